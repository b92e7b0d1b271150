#!/usr/bin/env python
"""Open every docs page in headless Chromium and check it: it loads, logs no console error, links every page from
the home page, shows its API docs (`show_doc` output) on library pages, and shows its figures.

Uses only the standard library: docs/ is served on 127.0.0.1 by `http.server`, Chromium is driven over the DevTools
protocol (`--remote-debugging-port`) with the small websocket client below. Installs nothing (.ci/run installs
Debian `chromium` where no browser is found). Works on the fallback build (.ci/build_docs.py) and on Quarto's.

Expectations come from the source notebooks (nbs/): a library page (a notebook with `#| default_exp` or a name like
`00_x`) needs at least one API block: a heading with the symbol name and its signature code (`def f(` / `class`);
a notebook whose shown cells have image outputs needs at least that many loaded <img> on its page.

Usage: python .ci/check_docs.py [docs_dir]   (exit 1 on any failure; CHROME=/path/to/chromium to pick the browser)"""
import base64, functools, http.server, json, os, re, shutil, socket, struct, subprocess, sys, tempfile, threading, time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome')
IMG_MIMES = ('image/png', 'image/jpeg', 'image/gif', 'image/svg+xml')
HIDDEN = {'hide', 'export', 'exporti', 'default_exp'}  # cells nbdev drops from the docs

# ---------------------------------------------------------------- a minimal websocket client (RFC 6455, text frames)
class WS:
    def __init__(self, url, timeout=60):
        m = re.match(r'ws://([^:/]+):(\d+)(/.*)', url)
        self.sock = socket.create_connection((m.group(1), int(m.group(2))), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f'GET {m.group(3)} HTTP/1.1\r\nHost: {m.group(1)}:{m.group(2)}\r\nUpgrade: websocket\r\n'
                           f'Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n').encode())
        hdr = b''
        while b'\r\n\r\n' not in hdr:
            chunk = self.sock.recv(1)
            if not chunk: raise ConnectionError('websocket handshake: connection closed')
            hdr += chunk
        if b' 101 ' not in hdr.split(b'\r\n')[0]: raise ConnectionError(f'websocket handshake failed: {hdr[:200]!r}')

    def _exact(self, n):
        b = b''
        while len(b) < n:
            chunk = self.sock.recv(n - len(b))
            if not chunk: raise ConnectionError('websocket closed')
            b += chunk
        return b

    def send(self, text, opcode=1):
        data,mask = text.encode() if isinstance(text, str) else text, os.urandom(4)
        n = len(data)
        hdr = bytes([0x80 | opcode]) + (bytes([0x80 | n]) if n < 126 else
               bytes([0x80 | 126]) + struct.pack('>H', n) if n < 65536 else bytes([0x80 | 127]) + struct.pack('>Q', n))
        self.sock.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i,b in enumerate(data)))

    def recv(self):
        "Next text message (continuations joined, pings answered)"
        msg = b''
        while True:
            b0,b1 = self._exact(2)
            n = b1 & 0x7f
            if n == 126: n = struct.unpack('>H', self._exact(2))[0]
            elif n == 127: n = struct.unpack('>Q', self._exact(8))[0]
            mask = self._exact(4) if b1 & 0x80 else None
            data = self._exact(n)
            if mask: data = bytes(b ^ mask[i % 4] for i,b in enumerate(data))
            op = b0 & 0x0f
            if op == 9: self.send(data, opcode=10); continue
            if op == 8: raise ConnectionError('websocket closed by browser')
            if op in (0, 1, 2): msg += data
            if b0 & 0x80 and op != 10: return msg.decode('utf-8', 'replace')

# ---------------------------------------------------------------- the browser
class Browser:
    "Headless Chromium with one tab, driven over the DevTools protocol"
    def __init__(self, exe):
        self.udd = tempfile.mkdtemp(prefix='chromium-profile.')
        args = [exe, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync',
                '--disable-dev-shm-usage', f'--user-data-dir={self.udd}', '--remote-debugging-port=0',
                '--window-size=1280,900', 'about:blank']
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port_file,t0 = Path(self.udd)/'DevToolsActivePort', time.time()
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            if self.proc.poll() is not None: raise RuntimeError(f'{exe} exited: {self.proc.stderr.read().decode()[-2000:]}')
            if time.time() - t0 > 60: raise RuntimeError(f'{exe} did not open its DevTools port in 60s')
            time.sleep(0.1)
        self.port = int(port_file.read_text().split()[0])
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()  # drain
        tabs = json.load(urllib.request.urlopen(f'http://127.0.0.1:{self.port}/json/list', timeout=30))
        self.ws = WS(next(t for t in tabs if t['type'] == 'page')['webSocketDebuggerUrl'])
        self.id,self.events = 0,[]
        for m in ('Page.enable', 'Runtime.enable', 'Log.enable', 'Network.enable'): self.call(m)  # Network: page status

    def call(self, method, **params):
        self.id += 1
        self.ws.send(json.dumps(dict(id=self.id, method=method, params=params)))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get('id') == self.id:
                if 'error' in msg: raise RuntimeError(f'{method}: {msg["error"]}')
                return msg.get('result', {})
            if 'method' in msg: self.events.append(msg)

    def wait_event(self, method, timeout):
        "Collect events until `method` arrives (True) or `timeout` seconds pass (False)"
        self.ws.sock.settimeout(0.25)
        end = time.time() + timeout
        try:
            while time.time() < end:
                try: msg = json.loads(self.ws.recv())
                except (socket.timeout, TimeoutError): continue
                if 'method' in msg:
                    self.events.append(msg)
                    if msg['method'] == method: return True
            return False
        finally: self.ws.sock.settimeout(60)

    def settle(self, secs):
        "Collect events for `secs` seconds"
        self.wait_event('-never-', secs)

    def evaluate(self, js):
        r = self.call('Runtime.evaluate', expression=js, returnByValue=True, awaitPromise=True)
        if 'exceptionDetails' in r: raise RuntimeError(f'evaluate: {r["exceptionDetails"]}')
        return r['result'].get('value')

    def close(self):
        self.proc.terminate()
        try: self.proc.wait(10)
        except subprocess.TimeoutExpired: self.proc.kill()
        shutil.rmtree(self.udd, ignore_errors=True)

def find_browser():
    if os.environ.get('CHROME'): return os.environ['CHROME']
    return next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)

# ---------------------------------------------------------------- what each page should show
def nb_expectations(nbs_path):
    "{page path: dict(nb, library, images)} from the source notebooks, with nbdev's page naming"
    from nbdev.doclinks import nbglob, _nbpath2html
    from nbdev.process import extract_directives
    from execnb.nbio import read_nb
    res = {}
    for f in nbglob(nbs_path, as_path=True):
        nb,imgs,lib = read_nb(f),0,bool(re.match(r'\d+[a-zA-Z0-9]*_', f.name))
        for c in nb.cells:
            if c.cell_type != 'code': continue
            d = extract_directives(c, remove=False)
            if 'default_exp' in d: lib = True
            if d.keys() & HIDDEN or d.get('include:') == ['false'] or d.get('output:') == ['false']: continue
            imgs += sum(any(m in o.get('data', {}) for m in IMG_MIMES) for o in c.get('outputs', []))
        res[_nbpath2html(f.relative_to(nbs_path)).as_posix()] = dict(nb=f.relative_to(nbs_path).as_posix(), library=lib, images=imgs)
    return res

PAGE_JS = r"""(() => {
  const main = document.querySelector('main') || document.body;
  const imgs = [...main.querySelectorAll('img')];
  const sig = /^\s*(async\s+)?(def|class)\s+[\w.]+\s*[(:]/;
  let api = [...document.querySelectorAll('.api-doc')].filter(d => d.querySelector('h2,h3,h4,h5') && sig.test((d.querySelector('pre')||{}).textContent||''));
  if (!document.querySelector('.api-doc')) {  // Quarto: show_doc renders as heading + signature code block
    api = [...main.querySelectorAll('h2,h3,h4,h5')].filter(h => {
      let n = h.nextElementSibling;
      while (n && !n.matches('pre, div.sourceCode, div.highlight, h1,h2,h3,h4,h5,hr')) n = n.nextElementSibling;
      return n && !n.matches('h1,h2,h3,h4,h5,hr') && sig.test(n.textContent); });
  }
  return {title: document.title, h1: (document.querySelector('h1')||{}).textContent || '',
          api: api.length, api_docments: api.filter(d => /#\s*\S/.test(((d.querySelector && d.querySelector('pre')) || d.nextElementSibling || {}).textContent || '')).length,
          imgs: imgs.length, imgs_ok: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
          broken: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => (i.getAttribute('src')||'').slice(0,80)),
          links: [...document.querySelectorAll('a[href]')].map(a => a.href)};
})()"""

def console_errors(events):
    "Error messages among the DevTools events of one page load"
    errs = []
    for e in events:
        m,p = e['method'], e.get('params', {})
        if m == 'Runtime.exceptionThrown':
            d = p['exceptionDetails']
            errs.append('exception: ' + ((d.get('exception') or {}).get('description') or d.get('text', '')).splitlines()[0])
        elif m == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'assert'):
            errs.append('console.error: ' + ' '.join(str(a.get('value', a.get('description', ''))) for a in p.get('args', [])))
        elif m == 'Log.entryAdded' and p['entry'].get('level') == 'error':
            url = p['entry'].get('url', '')
            if url.endswith('/favicon.ico'): continue  # the browser's own request, not the page's
            errs.append(f"{p['entry'].get('source')}: {p['entry'].get('text')} {url}".strip())
    return list(dict.fromkeys(errs))

def main_status(events):
    "HTTP status of the page's own document"
    for e in events:
        p = e.get('params', {})
        if e['method'] == 'Network.responseReceived' and p.get('type') == 'Document': return p['response']['status']

def serve(docs):
    handler = functools.partial(type('Quiet', (http.server.SimpleHTTPRequestHandler,), {'log_message': lambda *a: None}), directory=str(docs))
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv

def check(docs, nbs_path):
    exp = nb_expectations(nbs_path)
    pages = sorted({p.relative_to(docs).as_posix() for p in docs.rglob('*.html')
                    if not any(s.startswith(('.', '_')) or s == 'site_libs' for s in p.relative_to(docs).parts)} | set(exp),
                   key=lambda p: (p != 'index.html', p))
    exe = find_browser()
    if not exe: print('FAIL no Chromium/Chrome found (install Debian `chromium` or set CHROME)'); return 1
    srv,br = serve(docs), Browser(exe)
    base = f'http://127.0.0.1:{srv.server_address[1]}/'
    fails,index_links = 0,None
    print(f'browser: {exe} (DevTools port {br.port}); docs served at {base}')
    try:
        for page in pages:
            e,probs = exp.get(page, {}), []
            if not (docs/page).exists():
                print(f'FAIL {page:32s} missing (notebook {e.get("nb")})'); fails += 1; continue
            br.events = []
            br.call('Page.navigate', url=base + page)
            loaded = br.wait_event('Page.loadEventFired', 60)
            br.settle(0.5)
            info = br.evaluate(PAGE_JS) if loaded else {}
            errs = console_errors(br.events)
            status = main_status(br.events)
            if not loaded: probs.append('did not finish loading in 60s')
            if status not in (None, 200): probs.append(f'HTTP {status}')
            probs += errs
            if e.get('library') and info.get('api', 0) < 1: probs.append('no API docs (show_doc output) on a library page')
            if info.get('imgs_ok', 0) < e.get('images', 0): probs.append(f'{info.get("imgs_ok", 0)} figures shown, notebook has {e["images"]}')
            if info.get('broken'): probs.append(f'broken images: {info["broken"]}')
            if page == 'index.html': index_links = {l.split('#')[0] for l in info.get('links', [])}
            fails += bool(probs)
            print(f'{"FAIL" if probs else "ok  "} {page:32s} {"library" if e.get("library") else "page":7s} '
                  f'api {info.get("api", 0):2d} (with docments {info.get("api_docments", 0):2d})  '
                  f'figures {info.get("imgs_ok", 0)}/{info.get("imgs", 0)} (notebook {e.get("images", "-")})  '
                  f'console errors {len(errs)}  {info.get("h1", "").strip()[:40]!r}')
            for p in probs: print(f'       - {p}')
        if 'index.html' not in pages: print('FAIL index.html missing: no home page'); fails += 1
        if index_links is not None:
            unlinked = [p for p in pages if p != 'index.html' and (docs/p).exists() and base + p not in index_links]
            if unlinked: print(f'FAIL index.html does not link to: {", ".join(unlinked)}'); fails += 1
            else: print('ok   index.html links every other page')
    finally:
        br.close(); srv.shutdown()
    print(f'docs check: {len(pages)} pages, {fails} failed')
    return 1 if fails else 0

if __name__ == '__main__':
    docs = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT/'docs').resolve()
    sys.path.insert(0, str(ROOT))
    from nbdev.config import get_config
    sys.exit(check(docs, get_config(path=ROOT).nbs_path))
