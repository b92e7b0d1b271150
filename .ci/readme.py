#!/usr/bin/env python
"""README.md from the index notebook, as clean markdown: what `nbdev_readme` does with Quarto, without Quarto.

The notebook is processed by nbdev as for the docs (frontmatter from the title cell, `#| hide` cells dropped,
backticked names linked to the docs site), then written as plain markdown: no HTML and no CSS, so that GitHub and
the package index (which strips <style> and shows its CSS as text) render it alike. Code cells become ```python
blocks, text outputs fenced blocks, `text/markdown` outputs stay markdown, HTML tables (DataFrames) become markdown
tables, progress bars and fastprogress' styles are dropped (its epoch table stays, from its markdown form).

Usage: python .ci/readme.py [--nb PROCESSED_NB] [--check] [--no-run]
  --nb      an index notebook nbdev already processed (e.g. _proc/index.ipynb after .ci/docs_build.py);
            by default nbs/index.ipynb is processed here (it runs the notebook's imports and show_doc cells)
  --check   write nothing: exit 1 if README.md is not what this script writes, or if the package index's renderer
            (readme_renderer, GFM) cannot render it, or if it holds HTML outside code, or if its Python blocks do not
            run as written: all of them, in order, in one fresh Python process started in an empty temporary folder
            (a reader's copy-paste session; the checkout's package first on the path, as nbdev_test has it)
  --no-run  with --check: skip running the Python blocks"""
import argparse, base64, os, re, shutil, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- HTML tables -> markdown tables
def _cell_md(el):
    t = ' '.join(el.get_text(' ', strip=True).split())
    return t.replace('|', r'\|')

def html_tables_md(h):
    "Every <table> in HTML `h` as a markdown table (header rows merged column by column), or None if it has none"
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(h, 'html.parser')
    res = []
    for t in soup.find_all('table'):
        head = [[_cell_md(c) for c in r.find_all(['th', 'td'])] for r in (t.thead.find_all('tr') if t.thead else [])]
        body = [[_cell_md(c) for c in r.find_all(['th', 'td'])] for r in (t.tbody or t).find_all('tr', recursive=False)]
        if not head and body: head,body = [body[0]], body[1:]
        n = max(map(len, head + body), default=0)
        if not n: continue
        hdr = [' '.join(filter(None, (r[j] if j < len(r) else '' for r in head))) for j in range(n)]
        rows = [hdr, ['---'] * n] + [r + [''] * (n - len(r)) for r in body]
        res.append('\n'.join('| ' + ' | '.join(r) + ' |' for r in rows))
    return '\n\n'.join(res) if res else None

# ---------------------------------------------------------------- notebook -> markdown
_re_attr_link = re.compile(r'\[([^\]]+)\]\(([^)\s]+)\)\{[^}]*\}')  # pandoc link attributes: [t](u){target=..}
_re_fence = re.compile(r'^:::+\s*\{?\s*\.?(?:callout-)?([\w-]+)[^}]*\}?\s*$')

import functools
@functools.cache
def doc_url():
    "The docs site (settings.ini doc_host + doc_baseurl): where the notebooks' relative page links go"
    from nbdev.config import get_config
    cfg = get_config()
    return (cfg.get('doc_host', '').rstrip('/') + cfg.get('doc_baseurl', '')).rstrip('/')

def abs_link(m):
    "A relative link to a docs page (`data.html#x`, `00_data.ipynb`) as a link into the docs site: README is read elsewhere"
    text,url = m.group(1), m.group(2)
    if not doc_url() or re.match(r'^([a-z][\w+.-]*:|#|/)', url): return m.group(0)
    page,_,frag = url.partition('#')
    if not page.endswith(('.html', '.ipynb')): return m.group(0)
    from nbdev.doclinks import _nbpath2html
    page = _nbpath2html(Path(page)).as_posix() if page.endswith('.ipynb') else page
    return f'[{text}]({doc_url()}/{page}{"#" + frag if frag else ""})'

def md_clean(md):
    "Markdown from a notebook cell with pandoc's extras made plain: link attributes dropped, `:::` callouts as quotes"
    md = re.sub(r'<!--.*?-->\s*', '', _re_attr_link.sub(r'[\1](\2)', md), flags=re.S)
    md = re.sub(r'\[([^\]]+)\]\(([^)\s]+)\)', abs_link, md)
    out,depth = [],0
    for l in md.splitlines():
        t = l.strip()
        if t.startswith(':::') and (m := _re_fence.match(t)):
            depth += 1
            out.append(f'> **{m.group(1).title()}**')
        elif depth and t and set(t) == {':'}: depth -= 1
        else: out.append(('> ' + l).rstrip() if depth else l)
    return '\n'.join(out).strip()

def fence(text, lang=''):
    text = text.rstrip('\n')
    ticks = '```' + '`' * max([len(m) - 2 for m in re.findall(r'`{3,}', text)] or [0])
    return f'{ticks}{lang}\n{text}\n{ticks}'

def output_md(o, figs):
    "One output as markdown (None: nothing to show)"
    if o.output_type == 'stream': return fence(o.text) if o.text.strip() else None
    if o.output_type == 'error': return fence('\n'.join(o.get('traceback', [])) or f'{o.ename}: {o.evalue}')
    d = o.get('data', {})
    for mime,ext in (('image/png', 'png'), ('image/jpeg', 'jpg')):
        if mime in d:
            name = f'README_files/figure-{len(figs)+1}.{ext}'
            figs[name] = base64.b64decode(d[mime])
            return f'![]({name})'
    if 'text/html' in d:  # before text/markdown: fastprogress' markdown is its HTML in a ```html block
        h = re.sub(r'<progress\b[^>]*>.*?</progress>[^<]*', '', d['text/html'], flags=re.S)
        if (t := html_tables_md(h)) is not None: return t
        if not re.sub(r'<style\b.*?</style>|<[^>]+>|&nbsp;', '', h, flags=re.S).strip(): return None  # only styles / a bar
    if 'text/markdown' in d and not d['text/markdown'].lstrip().startswith('```html'): return md_clean(d['text/markdown'])
    if 'text/plain' in d:
        t = d['text/plain']
        if re.fullmatch(r'<IPython\.core\.display\.\w+ object>', t.strip()): return None
        return fence(t)
    return None

def split_directives(src):
    lines = src.splitlines()
    opts = {}
    while lines and (m := re.match(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$', lines[0])):
        opts[m.group(1)] = m.group(2).strip('"\'').lower()
        lines.pop(0)
    return opts, '\n'.join(lines)

def nb2readme(nb):
    "(markdown, {figure file: bytes}) for processed notebook `nb`"
    import yaml
    parts,figs,fm = [],{},{}
    for c in nb.cells:
        if c.cell_type == 'raw' and not fm and c.source.lstrip().startswith('---'):
            fm = yaml.safe_load(c.source.strip().strip('-')) or {}
            parts.append(f"# {fm.get('title', 'README')}" + (f"\n\n> {fm['description']}" if fm.get('description') else ''))
        elif c.cell_type == 'markdown':
            if (t := md_clean(c.source)): parts.append(t)
        elif c.cell_type == 'code':
            opts,src = split_directives(c.source)
            if opts.get('include') == 'false': continue
            if src.strip() and opts.get('echo') != 'false': parts.append(fence(src, 'python'))
            if opts.get('output') != 'false':
                parts += [t for o in c.get('outputs', []) if (t := output_md(o, figs))]
    return '\n\n'.join(parts).strip() + '\n', figs

def process_index(nb_path):
    "nbdev's docs processing of the index notebook alone (in a temporary folder): the processed notebook"
    import nbformat
    import nbdev.serve_drv
    from nbdev.serve import _proc_file
    from nbdev.config import get_config
    cfg = get_config()
    tmp = Path(tempfile.mkdtemp(prefix='readme.'))
    try:
        o = _proc_file(nb_path, cache=tmp, path=cfg.nbs_path)
        nbdev.serve_drv.main(o)
        return nbformat.reads(o[1].read_text(encoding='utf-8'), as_version=4)
    finally: shutil.rmtree(tmp, ignore_errors=True)

# ---------------------------------------------------------------- checks
def html_outside_code(md):
    "HTML tags in markdown `md` outside code blocks and code spans"
    no_code = re.sub(r'^(`{3,}|~{3,}).*?^\1\s*$', '', md, flags=re.S | re.M)
    no_code = re.sub(r'(`+).+?\1', '', no_code, flags=re.S)
    return re.findall(r'</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>|<!--', no_code)

def check(md, readme):
    from readme_renderer.markdown import render
    probs = []
    cur = readme.read_text(encoding='utf-8') if readme.exists() else None
    if cur != md: probs.append(f'{readme.name} is not what .ci/readme.py writes from the index notebook: run `python .ci/readme.py`')
    if cur is not None:
        out = render(cur, variant='GFM')
        if out is None: probs.append(f'the package index renderer (readme_renderer) could not render {readme.name}')
        if (tags := html_outside_code(cur)): probs.append(f'{readme.name} holds HTML outside code: {sorted(set(tags))[:8]}')
    for p in probs: print(f'FAIL {p}')
    if not probs: print(f'ok: {readme.name} is up to date, clean markdown, and renders with readme_renderer (GFM)')
    return not probs

def python_blocks(md):
    "The ```python blocks of markdown `md`: (first line number of the code, code)"
    return [(md[:m.start(2)].count('\n') + 1, m.group(2)) for m in re.finditer(r'^(`{3,})python[ \t]*\n(.*?)^\1[ \t]*$', md, flags=re.S | re.M)]

RUNNER = """import sys, traceback
blocks = {blocks!r}
g = dict(__name__='__main__')
for i,(line,src) in enumerate(blocks):
    try: exec(compile(src, f'README.md, block {{i+1}} (line {{line}})', 'exec'), g)
    except BaseException:
        print(f'FAIL README.md python block {{i+1}} of {{len(blocks)}} (line {{line}}) does not run as written:', file=sys.stderr)
        traceback.print_exc(); sys.exit(1)
print(f'ok: the {{len(blocks)}} python blocks of README.md run as written, in order, in a fresh process')
"""

def run_blocks(readme, timeout=900):
    "Run the Python blocks of `readme` in order in one fresh process, in an empty temporary folder: whether they all ran"
    import subprocess
    blocks = python_blocks(readme.read_text(encoding='utf-8'))
    if not blocks: print(f'FAIL {readme.name} has no python block to run'); return False
    tmp = Path(tempfile.mkdtemp(prefix='readme-run.'))
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join(filter(None, [str(ROOT), os.environ.get('PYTHONPATH')])), 'MPLBACKEND': 'Agg'}
    try:
        r = subprocess.run([sys.executable, '-c', RUNNER.format(blocks=blocks)], cwd=tmp, env=env, timeout=timeout,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True)  # the blocks' own output only on failure
        print(r.stdout.strip().splitlines()[-1] if r.returncode == 0 else (r.stdout[-4000:] + r.stderr[-6000:]).strip())
        return r.returncode == 0
    except subprocess.TimeoutExpired: print(f'FAIL the python blocks of {readme.name} ran past {timeout}s'); return False
    finally: shutil.rmtree(tmp, ignore_errors=True)

def write_readme(nb, readme):
    "Write `readme` (and README_files/ when the notebook has figures) from processed notebook `nb` (a path or a notebook)"
    import nbformat
    if isinstance(nb, (str, Path)): nb = nbformat.reads(Path(nb).read_text(encoding='utf-8'), as_version=4)
    md,figs = nb2readme(nb)
    shutil.rmtree(readme.parent/'README_files', ignore_errors=True)
    for name,data in figs.items():
        (readme.parent/name).parent.mkdir(parents=True, exist_ok=True)
        (readme.parent/name).write_bytes(data)
    readme.write_text(md, encoding='utf-8')
    print(f'{readme.name} written from the index notebook' + (f' ({len(figs)} figures in README_files/)' if figs else ''))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--nb', help='an index notebook nbdev already processed')
    ap.add_argument('--check', action='store_true', help='check README.md instead of writing it')
    ap.add_argument('--no-run', action='store_true', help="with --check: don't run README.md's python blocks")
    a = ap.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import nbformat
    from nbdev.config import get_config
    cfg = get_config()
    nb = (nbformat.reads(Path(a.nb).read_text(encoding='utf-8'), as_version=4) if a.nb
          else process_index(cfg.nbs_path/cfg.get('readme_nb', 'index.ipynb')))
    readme = ROOT/'README.md'
    if a.check:
        ok = check(nb2readme(nb)[0], readme)
        sys.exit(0 if (a.no_run or run_blocks(readme)) and ok else 1)
    write_readme(nb, readme)

if __name__ == '__main__': main()
