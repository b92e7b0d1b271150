#!/usr/bin/env python
"""Render the docs without Quarto: nbdev's own processing step, then nbconvert to static HTML.

Processing is `nbdev.serve.proc_nbs(force=True)` taken apart into its two pieces, `nbdev.serve._proc_file` and
`nbdev.serve_drv.main`, so that one notebook's error does not hide the others' (proc_nbs stops at the first). It
writes `_proc/` exactly as `nbdev_docs` feeds Quarto: frontmatter from the title cell, a `show_doc` cell after every
exported symbol, executed together with every `#| export` cell and every cell that has an import, `#| export` /
`#| hide` cells removed, backticked names linked. (`nbdev_proc_nbs` is not used: in nbdev 2.4.14 it first tries to
download and install Quarto.) Each processed notebook is rendered with nbconvert's `basic` template (no external
scripts or styles; images embedded as data URIs) into `docs/` at the path Quarto would use (nbdev's `output-file`:
`00_data.ipynb` -> `data.html`, `tutorials/movielens.ipynb` -> `tutorials/movielens.html`), so the links nbdev writes
(`data.html#get_ml100k`) work in both sites. Every page gets a sidebar in the order of `nbs/sidebar.yml`.

Usage: python .ci/build_docs.py [--n_workers N] [--readme]
  --readme  also write README.md from the processed index notebook (what `nbdev_readme` does with Quarto)"""
import argparse, html, os, re, shutil, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))  # the checkout's package first, as nbdev_test does

# nbconvert finds its templates under <prefix>/share/jupyter; a venv over the system site-packages has none there
_base = Path(sys.base_prefix)/'share'/'jupyter'
if _base.exists(): os.environ['JUPYTER_PATH'] = os.pathsep.join(filter(None, [os.environ.get('JUPYTER_PATH'), str(_base)]))

import nbformat, yaml
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from pygments.formatters import HtmlFormatter
from nbdev.config import get_config
from nbdev.doclinks import nbglob, _nbpath2html
from nbdev.serve import _proc_file
import nbdev.serve_drv
from fastcore.parallel import parallel

API_CLASS = 'api-doc'  # wraps every show_doc output; .ci/check_docs.py looks for it

try:  # TeX -> MathML (Chromium renders MathML without scripts); without latex2mathml the TeX stays as text
    from latex2mathml.converter import convert as _tex2mml
    from nbconvert.filters.markdown_mistune import IPythonRenderer
    def _math(tmpl, display):
        def f(self, body):
            try: return _tex2mml(body, display=display)
            except Exception: return tmpl.format(self.escape_html(body))
        return f
    IPythonRenderer.block_math,IPythonRenderer.inline_math = _math('$${}$$', 'block'),_math('${}$', 'inline')
except ImportError: pass

_re_directive = re.compile(r'^\s*#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')
_re_attr_link = re.compile(r'\[([^\]]+)\]\(([^)\s]+)\)\{([^}]*)\}')  # pandoc link attributes: [t](u){target=..}
_re_fence_open = re.compile(r'^:::+\s*\{?\s*\.?([\w-]+)[^}]*\}?\s*$')

def split_directives(src):
    "Quarto `#| key: value` lines that lead `src` (nbdev keeps these), and the rest of the source"
    lines,opts = src.splitlines(),{}
    while lines and (m := _re_directive.match(lines[0])):
        opts[m.group(1)] = m.group(2).strip('"\'').lower()
        lines.pop(0)
    return opts, '\n'.join(lines)

def pandoc_md(md):
    "Turn the pandoc extras nbdev and notebooks use (link attributes, `:::` callouts) into HTML that mistune keeps"
    md = _re_attr_link.sub(lambda m: f'<a href="{html.escape(m.group(2))}" target="_blank" rel="noopener">{m.group(1)}</a>', md)
    out,inner,depth,cls = [],[],0,''
    for l in md.splitlines():
        t = l.strip()
        if t.startswith(':::') and (m := _re_fence_open.match(t)):
            if depth: inner.append(l)
            else: cls = m.group(1)
            depth += 1
        elif depth and t and set(t) == {':'}:
            depth -= 1
            if depth: inner.append(l)
            else:  # one html block, newlines as entities so no blank line ends it early
                body = markdown2html_mistune(pandoc_md('\n'.join(inner))).strip().replace('\n', '&#10;')
                out += ['', f'<div class="callout {cls}">{body}</div>', '']
                inner = []
        elif depth: inner.append(l)
        else: out.append(l)
    return '\n'.join(out + inner)

def api_html(md):
    "Render a `show_doc` markdown output, with its heading id as Quarto makes it (lower case)"
    def _h(m): return f'<h{len(m.group(1))} id="{html.escape(m.group(2).lower())}" class="api-name">{html.escape(m.group(2))}</h{len(m.group(1))}>'
    md = re.sub(r'^(#{2,6})[ \t]+(\S.*?)[ \t]*$', _h, pandoc_md(md), count=1, flags=re.M)
    return f'<div class="{API_CLASS}">\n{markdown2html_mistune(md)}\n</div>'

def prep_nb(nb):
    "Apply the Quarto cell options nbdev leaves in code cells; return the frontmatter"
    fm,cells = {},[]
    for c in nb.cells:
        if c.cell_type == 'raw' and not fm and c.source.lstrip().startswith('---'):
            fm = yaml.safe_load(c.source.strip().strip('-')) or {}
            continue
        if c.cell_type == 'markdown': c.source = pandoc_md(c.source)
        if c.cell_type == 'code':
            opts,c.source = split_directives(c.source)
            if opts.get('include') == 'false': continue
            if opts.get('output') == 'false': c.outputs = []
            if opts.get('echo') == 'false': c.metadata.setdefault('tags', []).append('remove_input')
            if c.source.startswith('show_doc('): show_doc_outputs(c)
        cells.append(c)
    nb.cells = cells
    return fm

def show_doc_outputs(cell):
    "Swap `show_doc`'s markdown output for pre-rendered HTML wrapped in the API class"
    for o in cell.outputs:
        md = o.get('data', {}).get('text/markdown')
        if md is not None: o['data'] = {'text/html': api_html(md)}

def exporter(cls=HTMLExporter, **kw):
    "An nbconvert exporter that drops the inputs `prep_nb` tagged `remove_input`"
    from traitlets.config import Config
    c = Config()
    c.TagRemovePreprocessor.remove_input_tags = ('remove_input',)
    c.TagRemovePreprocessor.enabled = True
    return cls(config=c, **kw)

def write_readme(cache, cfg):
    "README.md (and its figures in README_files/) from the processed index notebook, as `nbdev_readme` does with Quarto"
    from nbconvert import MarkdownExporter
    src = cache/cfg.get('readme_nb', 'index.ipynb')
    nb = nbformat.v4.reads(src.read_text(encoding='utf-8'))
    fm = prep_nb(nb)
    nb.metadata.setdefault('language_info', {'name': 'python'})  # code fences as ```python
    head = f"# {fm.get('title', cfg.lib_name)}\n\n" + (f"> {fm['description']}\n\n" if fm.get('description') else '')
    md,res = exporter(MarkdownExporter).from_notebook_node(nb, resources={'output_files_dir': 'README_files'})
    shutil.rmtree(ROOT/'README_files', ignore_errors=True)
    for name,data in res.get('outputs', {}).items():
        (ROOT/name).parent.mkdir(parents=True, exist_ok=True)
        (ROOT/name).write_bytes(data)
    (ROOT/'README.md').write_text(head + md.lstrip('\n'), encoding='utf-8')
    print(f'README.md written from {src.relative_to(cache)}' + (f" ({len(res['outputs'])} figures in README_files/)" if res.get('outputs') else ''))

def read_sidebar(nbs_path):
    "Sidebar entries [(section or None, [nb rel paths])] in the order of sidebar.yml"
    p = nbs_path/'sidebar.yml'
    if not p.exists(): return []
    contents = (((yaml.safe_load(p.read_text()) or {}).get('website') or {}).get('sidebar') or {}).get('contents') or []
    def _flat(items):
        for o in items:
            if isinstance(o, str): yield o
            elif isinstance(o, dict) and 'href' in o: yield o['href']
            elif isinstance(o, dict) and 'contents' in o: yield from _flat(o['contents'])
    res = []
    for o in contents:
        if isinstance(o, dict) and 'contents' in o: res.append((o.get('section') or o.get('text'), list(_flat(o['contents']))))
        else: res.append((None, list(_flat([o]))))
    return res

def nav_entries(sidebar, pages):
    "Ordered [(section, [page key])] covering every page once: sidebar order, then the rest sorted"
    seen,res = set(),[]
    for sec,items in sidebar:
        keys = [k for k in items if k in pages and k not in seen]
        seen.update(keys)
        if keys: res.append((sec, keys))
    rest = sorted(k for k in pages if k not in seen)
    if rest: res.append(('Other pages' if res else None, rest))
    return res

def nav_html(nav, pages, cur=None, here=Path('.')):
    "Sidebar `ul` for the page `cur` (in folder `here` of the site) with links relative to it"
    def _a(k):
        href = os.path.relpath(pages[k]['out'], here).replace(os.sep, '/')
        cls = ' class="active"' if k == cur else ''
        return f'<li><a href="{html.escape(href)}"{cls}>{html.escape(pages[k]["title"])}</a></li>'
    out = []
    for sec,keys in nav:
        items = '\n'.join(map(_a, keys))
        out.append(f'<li class="section"><span>{html.escape(sec)}</span><ul>{items}</ul></li>' if sec else items)
    return '<ul class="nav">\n' + '\n'.join(out) + '\n</ul>'

CSS = """
*{box-sizing:border-box} body{margin:0;font:16px/1.55 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#212529}
a{color:#2780e3;text-decoration:none} a:hover{text-decoration:underline}
nav.sidebar{position:fixed;top:0;left:0;bottom:0;width:250px;overflow-y:auto;padding:1.2rem 1rem;background:#f8f9fa;border-right:1px solid #dee2e6}
nav.sidebar .brand{display:block;font-size:1.3rem;font-weight:600;margin-bottom:1rem;color:#212529}
nav.sidebar ul{list-style:none;margin:0;padding:0} nav.sidebar li{margin:.15rem 0}
nav.sidebar li.section>span{display:block;margin-top:.8rem;font-weight:600;color:#6c757d}
nav.sidebar li.section ul{padding-left:.8rem} nav.sidebar a.active{font-weight:600;color:#212529}
main{margin-left:250px;padding:1.5rem 2.5rem;max-width:1100px}
header h1.title{margin:.2rem 0 .3rem}
pre,code{font-family:SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.875rem}
pre{background:#f6f8fa;padding:.6rem .8rem;overflow-x:auto;border-radius:4px;margin:.4rem 0}
.jp-Cell{margin-bottom:1rem} .jp-InputArea .highlight pre{border-left:3px solid #2780e3}
.jp-OutputArea-output pre{background:none;border-left:2px solid lightsalmon;border-radius:0}
.jp-RenderedImage img,.jp-RenderedMarkdown img{max-width:100%}
table{border-collapse:collapse;margin:.6rem 0} th,td{border:1px solid #dee2e6;padding:.25rem .6rem;text-align:left}
.anchor-link{visibility:hidden;margin-left:.3rem} h1:hover .anchor-link,h2:hover .anchor-link,h3:hover .anchor-link{visibility:visible}
.api-doc{border:1px solid #dee2e6;border-radius:6px;padding:.3rem 1rem .6rem;margin:1rem 0;box-shadow:0 1px 2px rgba(0,0,0,.05)}
.api-doc hr{display:none} .api-doc a[target=_blank]{float:right;font-size:smaller}
.callout{border-left:4px solid #2780e3;background:#f3f8fe;padding:.4rem 1rem;margin:1rem 0}
.callout.callout-warning,.callout.callout-caution{border-color:#ff7518;background:#fff6ee}
.callout.callout-important{border-color:#cc1914;background:#fdf1f1} .callout.callout-tip{border-color:#3fb618;background:#f3fbf1}
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {site}</title><meta name="description" content="{desc}"><link rel="icon" href="data:,">
<style>{css}</style></head>
<body><nav class="sidebar"><a class="brand" href="{home}">{site}</a>
{nav}
</nav>
<main><header><h1 class="title">{title}</h1>{desc_p}</header>
{body}
</main></body></html>
"""

def site_links(body, page_out, doc_url):
    "Links nbdev wrote to the published site (`doc_host`+`doc_baseurl`) become relative links into this build"
    if not doc_url: return body
    def _rel(m):
        tgt,frag = (m.group(2).split('#', 1) + [''])[:2]
        rel = os.path.relpath(tgt or 'index.html', page_out.parent.as_posix() or '.').replace(os.sep, '/')
        return f'{m.group(1)}{rel}{"#"+frag if frag else ""}"'
    return re.sub(r'(href=")' + re.escape(doc_url.rstrip('/')) + r'/([^"]*)"', _rel, body)

def _proc_one(o):
    "nbdev's processing of one notebook (`serve_drv.main`), returning its error as text instead of raising it"
    try: nbdev.serve_drv.main(o)
    except Exception as e:
        cause = e.__cause__ or e.__context__
        msg = str(e).strip().splitlines()
        res = f'{msg[0] if msg else type(e).__name__}' + (f' -> {type(cause).__name__}: {cause}' if cause else '')
        if re.search(r'^\s*(import|from)\s', '\n'.join(msg[1:]), flags=re.M): res += (
            '\n    nbdev runs every cell that has an import (and every export and show_doc cell) when it builds the docs:'
            '\n    keep imports in cells of their own')
        return res + ('\n    ' + '\n    '.join(msg[1:]) if len(msg) > 1 else '')

def process_nbs(nbs, cache, n_workers):
    "`nbdev.serve.proc_nbs(nbs, force=True)` that processes every notebook: {notebook: error} for those that failed"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    files = nbglob(nbs, func=Path, file_glob='', file_re='').map(_proc_file, cache=cache, path=nbs).filter()
    errs = parallel(_proc_one, files, n_workers=n_workers, method='spawn', pause=0.01)
    return {f[0].relative_to(nbs).as_posix(): e for f,e in zip(files, errs) if e}

def main(n_workers=2, readme=False):
    cfg = get_config()
    nbs,out,cache = cfg.nbs_path, cfg.doc_path, cfg.config_path/'_proc'
    errs = process_nbs(nbs, cache, n_workers)
    for k,e in errs.items(): print(f'FAIL processing {k}: {e}')
    print(f'processed notebooks in {cache.relative_to(ROOT)}/')
    site = cfg.get('title', cfg.lib_name)
    doc_url = cfg.get('doc_host', '').rstrip('/') + cfg.get('doc_baseurl', '')
    style = CSS + HtmlFormatter(style='default').get_style_defs('.highlight') + '\n'
    if (nbs/'styles.css').exists(): style += (nbs/'styles.css').read_text()

    pages,exp = {},exporter(template_name='basic', exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True)
    for f in nbglob(cache, as_path=True):
        key = f.relative_to(cache).as_posix()
        nb = nbformat.v4.reads(f.read_text(encoding='utf-8'))  # joins sources, no schema validation
        fm = prep_nb(nb)
        body,_ = exp.from_notebook_node(nb, resources={'metadata': {'path': str(f.parent)}})
        rel_out = _nbpath2html(Path(key))
        pages[key] = dict(out=rel_out, body=body, title=str(fm.get('title') or rel_out.stem), desc=str(fm.get('description') or ''))
    if not pages: sys.exit(f'no processed notebooks: none in {nbs}, or all failed')

    nav = nav_entries(read_sidebar(nbs), pages)
    tmp = Path(tempfile.mkdtemp(prefix='docs.', dir=ROOT))
    try:
        for k,p in pages.items():
            home = os.path.relpath('index.html', p['out'].parent.as_posix() or '.').replace(os.sep, '/')
            desc_p = f'<div class="description">{markdown2html_mistune(p["desc"])}</div>' if p['desc'] else ''
            page = PAGE.format(title=html.escape(p['title']), site=html.escape(site), desc=html.escape(p['desc']), css=style,
                               home=home, nav=nav_html(nav, pages, k, p['out'].parent), desc_p=desc_p,
                               body=site_links(p['body'], p['out'], doc_url))
            dest = tmp/p['out']
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(page, encoding='utf-8')
            print(f'  {k:40s} -> {out.name}/{p["out"].as_posix()}')
        if not (tmp/'index.html').exists():  # no index.ipynb: a bare navigation page
            (tmp/'index.html').write_text(PAGE.format(title=html.escape(site), site=html.escape(site), desc='', css=style, home='index.html',
                                                      nav=nav_html(nav, pages), desc_p='', body=''))
            print(f'  {"(navigation index)":40s} -> {out.name}/index.html')
        for f in cache.rglob('*'):  # images and other files the notebooks link to
            if f.is_file() and f.suffix not in ('.ipynb', '.yml', '.yaml', '.py') and f.name != 'styles.css':
                (tmp/f.relative_to(cache)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, tmp/f.relative_to(cache))
        (tmp/'.nojekyll').touch()
        shutil.rmtree(out, ignore_errors=True)
        tmp.chmod(0o755)
        tmp.rename(out)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    print(f'{len(pages)} pages written to {out.relative_to(ROOT)}/')
    if readme: write_readme(cache, cfg)
    if errs: sys.exit(f'{len(errs)} notebook(s) failed nbdev processing, their pages are missing: {", ".join(errs)}')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n_workers', type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument('--readme', action='store_true', help='also write README.md from the index notebook')
    a = ap.parse_args()
    import build_docs  # run as that module: spawned workers unpickle `_proc_one` by module name, not from `__main__`
    build_docs.main(a.n_workers, a.readme)
