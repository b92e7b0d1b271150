#!/usr/bin/env python
"""Open every docs page in headless Chromium, at 1280 px and at 400 px wide, and check it as a reader would.

Checks (each FAIL line names its check):
  load            the page loads (HTTP 200) within 60 s
  console         no console error, uncaught exception or failed request, at either width
  offline         no request leaves 127.0.0.1 (no CDN fonts, scripts or styles)
  overflow        at 400 px nothing pushes the page sideways (document.scrollingElement.scrollWidth <= innerWidth),
                  and the text column gets the width (the sidebar collapses into the menu)
  links           every internal link resolves to a file, and its #anchor to an id on that page
  search          the search box finds `fold_in` on recommend.html (clicked and typed into, results listed)
  api             a library page (`#| default_exp` or a name like 00_x) shows API blocks (show_doc output);
  duplicate-api   no API block twice on a page
  figures         a page shows at least as many loaded figures as its notebook has image outputs
  index           the home page links every other page
  stderr-warning  no warning printed on stderr in an output (a `...Warning:` line): fix its cause in the notebook
  machine-path    no machine path (/root/, /tmp/, /home/) in the page text
  memory-address  no memory address (` at 0x7f...`) in the page text
  stderr-panel    no log (stderr that neither warns nor fails) shown as a red error panel: .ci/docs_build.py shows
                  such logs as output; an error message shown on purpose (a command's error) stays red
  alt-text        every image on the page has alt text (not empty, not nbconvert's "No description has been provided"
                  placeholder): a plot's cell gives it with `#| fig-alt: ...` or a first comment line (.ci/docs_build.py)
  description     the page has a description: the `> ...` line of its notebook's title cell, shown under the title
                  and as its `<meta name="description">`
  copy            every code block has a copy button (code cells: mkdocs-jupyter's; blocks in the text: material's)
  api-width       no API block is cut off (its signature or parameter table wider than the block, behind a scroll):
                  none at 1280 px, at most 10% of a page's blocks at 400 px (.ci/docs_build.py renders the parameters
                  as nbdev's Type / Default / Details table, the signature wraps)
Screenshots of three pages (home, a library page, a tutorial) at both widths go to --screenshots.

Uses only the standard library: docs/ is served on 127.0.0.1 by `http.server`, Chromium is driven over the DevTools
protocol (`--remote-debugging-port`) with the small websocket client below. Installs nothing (.ci/run installs
Debian `chromium` where no browser is found). Written for the mkdocs-material site of .ci/docs_build.py; on a Quarto
build (GitHub's deploy workflow) the mkdocs-specific checks (search, API blocks) may fail.

Usage: python .ci/check_docs.py [docs_dir] [--screenshots DIR] [--report-only CHECK,...]
  --report-only  print those checks' failures as REPORT lines without failing (for problems that need a notebook
                 change by its author; say so where it is used)
  exit 1 on any failure; CHROME=/path/to/chromium picks the browser"""
import argparse, base64, functools, http.server, json, os, re, shutil, socket, struct, subprocess, sys, tempfile, threading, time
import urllib.parse, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome')
IMG_MIMES = ('image/png', 'image/jpeg', 'image/gif', 'image/svg+xml')
HIDDEN = {'hide', 'export', 'exporti', 'default_exp'}  # cells nbdev drops from the docs
WIDTHS = dict(desktop=(1280, 900), phone=(400, 860))
SHOTS = ('index.html', 'recommend.html', 'tutorials/movielens.html')  # the first of these that exist, up to 3
_local = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy: the browser is local

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
        tabs = json.load(_local.open(f'http://127.0.0.1:{self.port}/json/list', timeout=30))
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


    def set_width(self, name):
        w,h = WIDTHS[name]
        self.call('Emulation.setDeviceMetricsOverride', width=w, height=h, deviceScaleFactor=1, mobile=name == 'phone')

    def screenshot(self, path):
        data = self.call('Page.captureScreenshot', format='png')['data']
        Path(path).write_bytes(base64.b64decode(data))

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
  const main = document.querySelector('article.md-content__inner') || document.querySelector('main') || document.body;
  const imgs = [...main.querySelectorAll('img')];
  const api = [...main.querySelectorAll('.api-doc .api-name')].map(h => h.textContent.trim());
  const stderr = [...main.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')].map(e => e.innerText);
  return {title: document.title, h1: (main.querySelector('h1')||{}).textContent || '',
          api, imgs: imgs.length, imgs_ok: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
          broken: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => (i.getAttribute('src')||'').slice(0,80)),
          links: [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.href, (a.textContent||'').trim().slice(0,40)]),
          ids: [...document.querySelectorAll('[id]')].map(e => e.id).concat([...document.querySelectorAll('a[name]')].map(a => a.name)),
          text: main.innerText, stderr,
          no_alt: imgs.filter(i => !(i.getAttribute('alt') || '').trim() || /No description has been provided/.test(i.getAttribute('alt')))
                      .map(i => (i.getAttribute('src') || '').slice(0, 40)),
          lead: ((main.querySelector('.page-description') || {}).textContent || '').trim(),
          meta_desc: ((document.querySelector('meta[name="description"]') || {}).content || '').trim(),
          copy_feature: ((document.querySelector('script#__config') || {}).textContent || '').includes('content.code.copy'),
          // material adds its copy button to a text code block (`pre > code`) once it scrolls into view: check the structure
          no_copy: [...main.querySelectorAll('pre')].filter(p => !p.closest('.highlight-ipynb, .jp-OutputArea, .api-doc') && !p.querySelector(':scope > code'))
                      .map(p => p.textContent.trim().split('\n')[0].slice(0, 50))
                   .concat([...main.querySelectorAll('.jp-CodeCell .jp-InputArea')].filter(a => !a.closest('.jp-Cell').querySelector('.zeroclipboard-container'))
                      .map(a => a.innerText.trim().split('\n')[0].slice(0, 50)))};
})()"""

API_CUT_JS = r"""(() => [...document.querySelectorAll('.api-doc')]
  .filter(b => [b, ...b.querySelectorAll('pre, table')].some(e => e.scrollWidth > e.clientWidth + 1))
  .map(b => ((b.querySelector('.api-name') || {}).textContent || '?').trim()))()"""

OVERFLOW_JS = r"""(() => {
  const w = Math.min(window.innerWidth, WIDTH), se = document.scrollingElement;
  const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true; return false; };
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
    .filter(e => !clipped(e)).filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= w + 1)
    .slice(0, 4).map(e => `${e.tagName.toLowerCase()}${e.className && typeof e.className == 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''} (${Math.round(e.getBoundingClientRect().right)} px)`);
  const content = document.querySelector('.md-content') || document.querySelector('main') || document.body;
  return {scroll: se.scrollWidth, inner: w, column: Math.round(content.getBoundingClientRect().width), wide};
})()"""

SEARCH_RESULTS_JS = r"""(() => ({n: document.querySelectorAll('.md-search-result__item').length,
  hrefs: [...document.querySelectorAll('.md-search-result__item a, a.md-search-result__link')].slice(0, 8).map(a => a.getAttribute('href')),
  meta: (document.querySelector('.md-search-result__meta') || {}).textContent || ''}))()"""

def search(br, q, timeout=30):
    "Type `q` into material's search box, as a reader does (a click, then key presses): its results"
    box = br.evaluate("(() => { const e = document.querySelector('input.md-search__input'); if (!e) return null;"
                      " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    if not box: return {'error': 'no search box (input.md-search__input)'}
    for t in ('mousePressed', 'mouseReleased'):
        br.call('Input.dispatchMouseEvent', type=t, x=box[0], y=box[1], button='left', clickCount=1)
    br.settle(1)  # the search index loads in a web worker
    for ch in q:
        br.call('Input.dispatchKeyEvent', type='keyDown', key=ch, text=ch, unmodifiedText=ch)
        br.call('Input.dispatchKeyEvent', type='keyUp', key=ch)
    end,prev = time.time() + timeout, None
    def full(res):  # material marks each result link with the query it answers (`?h=...`): the whole of `q`, not a prefix
        hs = [urllib.parse.parse_qs(urllib.parse.urlsplit(h or '').query).get('h', [None])[0] for h in res['hrefs']]
        return all(h is None or h == q for h in hs)
    while True:
        res = br.evaluate(SEARCH_RESULTS_JS)
        if (res['n'] and full(res) and res == prev) or time.time() > end: return res  # results for all of `q`, settled
        prev = res
        br.settle(0.5)

def console_errors(events, base):
    "Error messages, and requests that leave the machine, among the DevTools events of one page load"
    errs,external = [],[]
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
        elif m == 'Network.requestWillBeSent':
            url = p['request']['url']
            if not url.startswith((base, 'data:', 'blob:', 'about:', 'chrome')): external.append(url)
    return list(dict.fromkeys(errs)), list(dict.fromkeys(external))

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

def load(br, url, base):
    "Navigate to `url`: (loaded, HTTP status, console errors, external requests)"
    br.events = []
    br.call('Page.navigate', url=url)
    loaded = br.wait_event('Page.loadEventFired', 60)
    br.settle(0.7)
    errs,ext = console_errors(br.events, base)
    return loaded, main_status(br.events), errs, ext

# ---------------------------------------------------------------- content checks on the page text
RE_WARNING = re.compile(r'^.*\b\w*Warning\b:.*$|^.*warnings\.warn.*$', re.M)
RE_ALARM = re.compile(r'warn|error|exception|traceback|fail', re.I)  # as .ci/docs_build.py tells a log from an alarm
RE_PATH = re.compile(r'(?<![\w.~])/(?:root|tmp|home)/\S*')
RE_ADDR = re.compile(r'<?[^<>\n]{0,40} at 0x[0-9a-fA-F]{4,}>?')

def content_problems(info):
    "(check, message) for what a page shows that a reader should not see"
    res = []
    for s in info.get('stderr', []):
        for w in RE_WARNING.findall(s)[:2]: res.append(('stderr-warning', f'warning on stderr: {w.strip()[:160]}'))
    logs = [t for t in info.get('stderr', []) if not RE_ALARM.search(t)]  # an error shown on purpose (a CLI's message) stays red
    if logs: res.append(('stderr-panel', f'{len(logs)} log output(s) on stderr shown as error panels, e.g. {logs[0].strip()[:100]!r}'))
    for p in sorted(set(RE_PATH.findall(info.get('text', ''))))[:5]: res.append(('machine-path', f'machine path: {p[:100]}'))
    for a in sorted(set(RE_ADDR.findall(info.get('text', ''))))[:5]: res.append(('memory-address', f'memory address: {a.strip()[:100]}'))
    seen,dups = set(),[]
    for n in info.get('api', []):
        if n in seen and n not in dups: dups.append(n)
        seen.add(n)
    if dups: res.append(('duplicate-api', f'API blocks shown twice: {", ".join(dups)}'))
    if info.get('no_alt'): res.append(('alt-text', f'{len(info["no_alt"])} image(s) without alt text: give the cell `#| fig-alt: ...` (or a first comment line)'))
    if info and not info.get('lead'): res.append(('description', 'no description: add a `> ...` line under the title of its notebook'))
    elif info and ' '.join(info.get('meta_desc', '').split()) != ' '.join(info['lead'].split()):
        res.append(('description', f'<meta name="description"> is {info.get("meta_desc", "")[:60]!r}, not the page\'s own description'))
    if info and not info.get('copy_feature'): res.append(('copy', "material's `content.code.copy` is off (.ci/mkdocs/mkdocs.yml)"))
    if info.get('no_copy'): res.append(('copy', f'{len(info["no_copy"])} code block(s) without a copy button, e.g. {info["no_copy"][0]!r}'))
    return res

def url2file(docs, base, url):
    "(file under docs for an internal `url`, fragment) or (None, None) for an external one"
    if not url.startswith(base): return None, None
    u = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(u.path)
    if path.endswith('/'): path += 'index.html'
    return (docs/path.lstrip('/')).resolve(), urllib.parse.unquote(u.fragment)

REPORT_ONLY = ()  # checks reported but not failed until the notebooks concerned are fixed (add a check's name here, say which)

def check(docs, nbs_path, shots_dir=None, report_only=()):
    report_only = tuple(report_only) + REPORT_ONLY
    exp = nb_expectations(nbs_path)
    pages = sorted({p.relative_to(docs).as_posix() for p in docs.rglob('*.html')
                    if p.name != '404.html' and not any(s.startswith(('.', '_')) or s == 'site_libs' for s in p.relative_to(docs).parts)} | set(exp),
                   key=lambda p: (p != 'index.html', p))
    exe = find_browser()
    if not exe: print('FAIL [load] no Chromium/Chrome found (install Debian `chromium` or set CHROME)'); return 1
    srv,br = serve(docs), Browser(exe)
    base = f'http://127.0.0.1:{srv.server_address[1]}/'
    shots = [p for p in SHOTS if (docs/p).exists()][:3]
    if shots_dir: Path(shots_dir).mkdir(parents=True, exist_ok=True)
    print(f'browser: {exe} (DevTools port {br.port}); docs served at {base}')
    fails,reports,infos = 0,0,{}
    def problem(page, chk, msg):
        nonlocal fails, reports
        if chk in report_only: reports += 1; print(f'REPORT [{chk}] {page}: {msg}')
        else: fails += 1; print(f'FAIL [{chk}] {page}: {msg}')
    try:
        for page in pages:
            e = exp.get(page, {})
            if not (docs/page).exists(): problem(page, 'load', f'missing (notebook {e.get("nb")})'); continue
            t0,n0 = time.time(), fails
            br.set_width('desktop')
            loaded,status,errs,ext = load(br, base + page, base)
            info = br.evaluate(PAGE_JS) if loaded else {}
            infos[page] = info
            if not loaded: problem(page, 'load', 'did not finish loading in 60s')
            if status not in (None, 200): problem(page, 'load', f'HTTP {status}')
            for x in errs: problem(page, 'console', f'1280 px: {x}')
            for x in ext: problem(page, 'offline', f'request to {x[:120]}')
            if shots_dir and page in shots: br.screenshot(Path(shots_dir)/f'{page.replace("/", "_")[:-5]}-1280.png')
            if e.get('library') and not info.get('api'): problem(page, 'api', 'no API blocks (show_doc output) on a library page')
            if info.get('imgs_ok', 0) < e.get('images', 0): problem(page, 'figures', f'{info.get("imgs_ok", 0)} figures shown, notebook has {e["images"]}')
            if info.get('broken'): problem(page, 'figures', f'broken images: {info["broken"]}')
            for chk,msg in content_problems(info): problem(page, chk, msg)
            n_api = len(info.get('api', []))
            cut = br.evaluate(API_CUT_JS) if loaded else []
            if cut: problem(page, 'api-width', f'1280 px: {len(cut)} of {n_api} API blocks cut off (behind a scroll): {", ".join(cut[:5])}')
            br.set_width('phone')
            loaded,status,errs,ext = load(br, base + page, base)
            cut_phone = br.evaluate(API_CUT_JS) if loaded else []
            if len(cut_phone) > 0.1*n_api: problem(page, 'api-width', f'400 px: {len(cut_phone)} of {n_api} API blocks cut off (at most 10%): {", ".join(cut_phone[:5])}')
            for x in errs: problem(page, 'console', f'400 px: {x}')
            ov = br.evaluate(OVERFLOW_JS.replace('WIDTH', str(WIDTHS['phone'][0]))) if loaded else {}
            # a phone zooms out to fit wider content (innerWidth grows with it): measure against the device width too
            phone_w = WIDTHS['phone'][0]
            if ov and max(ov['scroll'], ov['inner']) > phone_w:
                problem(page, 'overflow', f'400 px: the page is {max(ov["scroll"], ov["inner"])} px wide; too wide: {"; ".join(ov["wide"]) or "?"}')
            if ov and ov['column'] < 0.85 * phone_w: problem(page, 'overflow', f'400 px: the text column is only {ov["column"]} px wide')
            if shots_dir and page in shots: br.screenshot(Path(shots_dir)/f'{page.replace("/", "_")[:-5]}-400.png')
            print(f'{"ok  " if fails == n0 else "FAIL"} {page:28s} {"library" if e.get("library") else "page":7s} '
                  f'api {n_api:2d} (cut {len(cut)}/{len(cut_phone)} at 1280/400 px)  figures {info.get("imgs_ok", 0)}/{info.get("imgs", 0)} (notebook {e.get("images", "-")})  '
                  f'400 px: {ov.get("scroll", "?")}/{ov.get("inner", "?")} px, column {ov.get("column", "?")} px  {time.time()-t0:.1f}s  {info.get("h1", "").replace("¶", "").strip()[:40]!r}')

        # links and anchors, now that every page's ids are known
        n_links = 0
        for page,info in infos.items():
            for raw,url,text in info.get('links', []):
                f,frag = url2file(docs, base, url)
                if f is None: continue
                n_links += 1
                rel = f.relative_to(docs.resolve()).as_posix() if f.is_relative_to(docs.resolve()) else str(f)
                if not f.exists(): problem(page, 'links', f'link {raw!r} ({text!r}) to a missing file {rel}'); continue
                if frag and rel in infos and frag not in set(infos[rel].get('ids', [])):
                    problem(page, 'links', f'link {raw!r} ({text!r}): no id {frag!r} on {rel}')
        print(f'links: {n_links} internal links checked')

        if 'index.html' not in pages: problem('index.html', 'index', 'missing: no home page')
        elif 'index.html' in infos:
            linked = {url2file(docs, base, u)[0] for _,u,_ in infos['index.html'].get('links', [])}
            unlinked = [p for p in pages if p != 'index.html' and (docs/p).exists() and (docs/p).resolve() not in linked]
            if unlinked: problem('index.html', 'index', f'does not link to: {", ".join(unlinked)}')

        br.set_width('desktop')
        load(br, base + 'index.html', base)
        res = search(br, 'fold_in')
        if res.get('error') or not res.get('n'): problem('index.html', 'search', f'searching `fold_in` found nothing: {res}')
        elif not any('recommend' in (h or '') for h in res['hrefs']): problem('index.html', 'search', f'`fold_in` results do not include recommend.html: {res["hrefs"]}')
        else: print(f'ok   search: `fold_in` -> {res["n"]} results, first {res["hrefs"][0]}')
    finally:
        br.close(); srv.shutdown()
    if shots_dir: print(f'screenshots: {", ".join(sorted(p.name for p in Path(shots_dir).glob("*.png")))} in {shots_dir}')
    print(f'docs check: {len(pages)} pages, {fails} failures' + (f', {reports} reported only ({", ".join(report_only)})' if reports else ''))
    return 1 if fails else 0

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('docs', nargs='?', default=str(ROOT/'docs'))
    ap.add_argument('--screenshots', help='folder for the screenshots')
    ap.add_argument('--report-only', default='', help='comma-separated checks whose failures are only reported')
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from nbdev.config import get_config
    sys.exit(check(Path(a.docs).resolve(), get_config(path=ROOT).nbs_path, a.screenshots,
                   tuple(filter(None, a.report_only.split(',')))))
