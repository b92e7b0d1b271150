#!/usr/bin/env python
"""Build the docs site without Quarto: nbdev's processing of the notebooks, then mkdocs-material + mkdocs-jupyter.

1. Process: `nbdev.serve.proc_nbs(force=True)` taken apart into `nbdev.serve._proc_file` and `nbdev.serve_drv.main`,
   one notebook per task, so that one notebook's error does not hide the others (proc_nbs stops at the first). This
   writes `_proc/` as `nbdev_docs` feeds Quarto: frontmatter from the title cell, a `show_doc` cell after every
   exported symbol, executed with every `#| export` cell and every cell that has an import, `#| export` / `#| hide`
   cells removed, backticked names linked. (`nbdev_proc_nbs` is not used: in nbdev 2.4.14 it first tries to install
   Quarto.)
2. Prepare: each processed notebook becomes a page source in `_proc/_site_src/`, named as nbdev names its page
   (`00_data.ipynb` -> `data.ipynb` -> `data.html`, so nbdev's links `data.html#get_ml100k` work as in the Quarto
   site). What Quarto would do with nbdev's output is done here: the frontmatter becomes the title and description,
   `#| echo/output/include: false` are applied, `show_doc` output becomes an API block (`div.api-doc`, heading id
   = the name in lower case, as nbdev's links expect), `:::` callouts become admonitions. Progress bars are reduced
   to their final table, stderr output that is nothing but progress-bar redraws is dropped, consecutive stream
   outputs are merged (as Jupyter shows them). Nothing else is hidden: warnings stay on the page, and
   .ci/check_docs.py fails on them.
3. Build: mkdocs (material theme, mkdocs-jupyter for the notebooks, `.ci/mkdocs/`) writes the site into a temporary
   folder that replaces `docs/` (settings.ini `doc_path`). The navigation follows the reading order of
   `nbs/sidebar.yml` (the sidebar Quarto shows: home, getting started and tutorials first, then the reference pages);
   a notebook it leaves out is added at the end, by name. Each page's description (the `> ...` line of its title
   cell) becomes its `<meta name="description">` (.ci/mkdocs/hooks.py). Stream outputs are shown as a terminal shows
   them (carriage returns overwrite the line), stderr that neither warns nor fails (a progress log) is shown as
   output, not as a red error panel, and every figure gets alt text: the cell's `#| fig-alt:` (Quarto's
   option), else its first comment line.

Usage: python .ci/docs_build.py [--n_workers N] [--readme]
  --readme  also write README.md from the processed index notebook (.ci/readme.py)
Read it: python -m http.server -d docs (then http://127.0.0.1:8000); check it: python .ci/check_docs.py docs"""
import argparse, html, os, re, shutil, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))  # the checkout's package first, as nbdev_test does
HERE = Path(__file__).resolve().parent
MKDOCS_DIR = HERE/'mkdocs'

# nbconvert finds its templates under <prefix>/share/jupyter; a venv over the system site-packages has none there
_base = Path(sys.base_prefix)/'share'/'jupyter'
if _base.exists(): os.environ['JUPYTER_PATH'] = os.pathsep.join(filter(None, [os.environ.get('JUPYTER_PATH'), str(_base)]))

import nbformat, yaml
from fastcore.basics import concat
from fastcore.parallel import parallel
from nbdev.config import get_config
from nbdev.doclinks import nbglob, _nbpath2html
import nbdev.processors, nbdev.serve_drv
from nbdev.serve import _proc_file

API_CLASS = 'api-doc'  # wraps every show_doc output; .ci/check_docs.py looks for it
SRC_DIR = '_site_src'  # inside the processing cache (`_proc/`): what mkdocs reads

# ---------------------------------------------------------------- 1. nbdev's processing
def _def_names(cell, shown):
    "nbdev's `_def_names`, comparing qualified names: a `@patch`ed `Cls.meth` with its own `show_doc` is not shown twice"
    P = nbdev.processors
    cellp = cell.parsed_()
    if not cellp: return []
    return [nm for o in concat(cellp) if isinstance(o, P._def_types) and (nm := P.showdoc_nm(o)) not in shown
            and o.name not in shown and (o.name[0] != '_' or o.name[:2] == '__')]
# nbdev 2.4.14's `add_show_docs` checks `o.name` ('predict') against the names of the show_doc cells written in the
# notebook ('Recommender.predict'), so each explicitly documented `@patch` method got a second, automatic API block.
nbdev.processors._def_names = _def_names  # (patched at import: the spawned workers import this module too)

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

# ---------------------------------------------------------------- 2. from nbdev's notebooks to page sources
_re_directive = re.compile(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')
_re_attr_link = re.compile(r'\[([^\]]+)\]\(([^)\s]+)\)\{([^}]*)\}')  # pandoc link attributes: [t](u){target=..}
_re_fence_open = re.compile(r'^:::+\s*\{?\s*\.?([\w-]+)[^}]*\}?\s*$')

def split_directives(src):
    "Quarto `#| key: value` lines that lead `src` (nbdev keeps these), and the rest of the source"
    lines,opts = src.splitlines(),{}
    while lines and (m := _re_directive.match(lines[0])):
        opts[m.group(1)] = m.group(2).strip('"\'').lower()
        lines.pop(0)
    return opts, '\n'.join(lines)

def md2html(md):
    "Markdown to HTML with nbconvert's renderer, the one mkdocs-jupyter uses for markdown cells"
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    return markdown2html_mistune(md)

def _attr_link(m):
    cls = ' class="api-source"' if m.group(1) == 'source' else ''
    return f'<a href="{html.escape(m.group(2))}"{cls} target="_blank" rel="noopener">{m.group(1)}</a>'

CALLOUT_TITLES = dict(note='Note', tip='Tip', warning='Warning', caution='Caution', important='Important')
def pandoc_md(md):
    "Turn the pandoc extras nbdev and notebooks use (link attributes, `:::` callouts) into HTML that mistune keeps"
    md = _re_attr_link.sub(_attr_link, md)
    out,inner,depth,cls = [],[],0,''
    for l in md.splitlines():
        t = l.strip()
        if t.startswith(':::') and (m := _re_fence_open.match(t)):
            if depth: inner.append(l)
            else: cls = m.group(1).removeprefix('callout-')
            depth += 1
        elif depth and t and set(t) == {':'}:
            depth -= 1
            if depth: inner.append(l)
            else:  # one html block, newlines as entities so that no blank line ends it early
                body = md2html(pandoc_md('\n'.join(inner))).strip().replace('\n', '&#10;')
                title = f'<p class="admonition-title">{CALLOUT_TITLES.get(cls, cls.title())}</p>'
                out += ['', f'<div class="admonition {html.escape(cls)}">{title}{body}</div>', '']
                inner = []
        elif depth: inner.append(l)
        else: out.append(l)
    return '\n'.join(out + inner)

_re_fenced = re.compile(r'^(```+)[^\n]*\n.*?^\1[ \t]*$', re.S | re.M)
_re_md_link = re.compile(r'\[(`[^`\]]+`)\]\([^)\s]+\)')
_re_obj_repr = re.compile(r'<(?:function|built-in function|class) \'?([\w.<>]+?)\'?(?: at 0x[0-9a-fA-F]+)?>')

def api_signature(code):
    "A `show_doc` signature block as code: nbdev's links taken out of it, defaults that are functions by name"
    code = _re_md_link.sub(r'\1', code)  # add_links linked the backticked names of the docments comments: code shows them raw
    return _re_obj_repr.sub(lambda m: m.group(1).split('.')[-1], code)  # `metrics=(<function rmse at 0x7f..>,)` -> `(rmse,)`

_re_def = re.compile(r'^def\s+(\w+)\(')

def _comments(code):
    "{line number: the comment on it} of `code`, found by Python's tokenizer (a `#` inside a string is not a comment)"
    import io, tokenize
    try: return {t.start[0]: t.string.lstrip('#').strip() for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.COMMENT}
    except (tokenize.TokenError, SyntaxError, IndentationError): return None

def parse_signature(code):
    "(name, params, returns) of a docments signature block: params as (name, type, default, doc) rows, returns as (type, doc); None if it isn't one"
    import ast
    code = code.strip('\n')
    m,comments = _re_def.match(code),_comments(code)
    if not m or comments is None: return None
    try: fn = ast.parse(code + '\n    pass').body[0]
    except SyntaxError: return None
    seg = lambda n: '' if n is None else ast.get_source_segment(code, n) or ast.unparse(n)
    a = fn.args
    pos = a.posonlyargs + a.args
    defaults = [None]*(len(pos) - len(a.defaults)) + a.defaults
    rows = [(x.arg, x, d) for x,d in zip(pos, defaults)]
    if a.vararg: rows.append(('*' + a.vararg.arg, a.vararg, None))
    rows += [(x.arg, x, d) for x,d in zip(a.kwonlyargs, a.kw_defaults)]
    if a.kwarg: rows.append(('**' + a.kwarg.arg, a.kwarg, None))
    params = [(n, '' if seg(x.annotation) == 'NoneType' else seg(x.annotation), seg(d), comments.get(x.lineno, '')) for n,x,d in rows]
    last = len(code.splitlines())
    return m.group(1), params, (seg(fn.returns), comments.get(last, '') if fn.returns is not None or last > 1 else '')

def _inline(md):
    "Markdown of one line as inline HTML"
    return re.sub(r'^<p>|</p>\s*$', '', md2html(pandoc_md(md)).strip())

def api_table(params, returns):
    "nbdev's Type / Default / Details table of a signature's parameters and its return, as HTML"
    code = lambda t: f'<code>{html.escape(t)}</code>' if t else ''
    rows = [f'<tr><td>{code(n)}</td><td>{code(t)}</td><td>{code(d)}</td><td>{_inline(doc)}</td></tr>' for n,t,d,doc in params]
    if any(returns): rows.append(f'<tr class="api-returns"><td><strong>Returns</strong></td><td>{code(returns[0])}</td><td></td><td>{_inline(returns[1])}</td></tr>')
    head = '<thead><tr><th></th><th>Type</th><th>Default</th><th>Details</th></tr></thead>'
    return f'<table class="api-params">{head}<tbody>{"".join(rows)}</tbody></table>'

def api_signature_block(code):
    "(a short signature in a code block, the table of its parameters or '') for a `show_doc` code block"
    code = _re_obj_repr.sub(lambda m: m.group(1).split('.')[-1], code)  # defaults that are functions, by name (the comments keep nbdev's links)
    inner = re.sub(r'^```+[^\n]*\n|\n```+[ \t]*$', '', code.strip())
    sig = parse_signature(inner) if code.startswith('```python') else None
    if sig is None: return api_signature(code), ''
    name,params,returns = sig
    documented = any(doc for *_,doc in params) or returns[1]
    if not documented and len(params) > 6 and name[:1].isupper():  # a class without its own `__init__`: its base class's signature
        return f'```python\nclass {name}\n```', ''
    args = ', '.join(n + ('=' + d if d else '') for n,_,d,_ in params)
    short = f'```python\n{name}({args})' + (f' -> {returns[0]}' if returns[0] else '') + '\n```'
    return short, (api_table(params, returns) if documented else '')

def api_html(md):
    "A `show_doc` markdown output as an API block: a short signature, the docstring, the parameters in a table; its heading id the name in lower case (what nbdev's links use)"
    md = re.sub(r'^\s*---\s*\n', '', md)  # nbdev's rule above each block: the block's border does that here
    tables = []
    def _sig(m):
        short,table = api_signature_block(m.group(0))
        tables.append(table)
        return short
    md = _re_fenced.sub(_sig, md, count=1)
    name = None
    def _h(m):
        nonlocal name
        name = m.group(2)
        n = len(m.group(1))
        return f'<h{n} id="{html.escape(name.lower())}" class="api-name">{html.escape(name)}</h{n}>'
    md = re.sub(r'^(#{2,6})[ \t]+(\S.*?)[ \t]*$', _h, pandoc_md(md), count=1, flags=re.M)
    return name, f'<div class="{API_CLASS}">\n{md2html(md)}\n{"".join(tables)}\n</div>'

# fastprogress in a notebook: a <style> for its bars, then a display that is updated in place; the saved output is
# its last state, the bar (now at 100%) and, for training, the table of epochs. Only the table is worth reading.
_re_progress = re.compile(r'<progress\b[^>]*>.*?</progress>[^<]*', re.S)
_re_style = re.compile(r'<style\b[^>]*>(.*?)</style>', re.S)
def strip_progress(h):
    "HTML output `h` without fastprogress' bars and bar styles (its final table stays)"
    h = _re_progress.sub('', h)
    h = _re_style.sub(lambda m: '' if re.search(r'\bprogress\b', m.group(1)) and 'dataframe' not in m.group(1) else m.group(0), h)
    return re.sub(r'<div>\s*</div>', '', h)

def blank_html(h): return not re.sub(r'<[^>]+>|&nbsp;', '', h).strip()

# a console progress bar line: fastprogress (`|████| 100.00% [5/5 00:10<00:00]`) or tqdm (` 40%|████  | 4/10 [...]`)
_re_bar_line = re.compile(r'(\d+(\.\d+)?%\s*\|)|(\|[\s█▏▎▍▌▋▊▉#-]*\|?\s*\d+(\.\d+)?%)|(\[\d+/\d+\s+[\d:]+<[\d:]+)')
def progress_noise(text):
    "Whether stream `text` (redraws already collapsed) is nothing but progress-bar lines"
    lines = [l for l in text.splitlines() if l.strip()]
    return bool(lines) and all(_re_bar_line.search(l) for l in lines)

def terminal_text(text):
    "Stream `text` as a terminal shows it: each carriage return (`\\r`, a console progress bar's redraw) overwrites its line"
    lines = []
    for line in text.replace('\r\n', '\n').split('\n'):
        shown = ''
        for part in line.split('\r'): shown = part + shown[len(part):]
        lines.append(shown.rstrip() if '\r' in line else shown)
    return '\n'.join(lines)

# stderr that warns or fails stays stderr (red on the page, and .ci/check_docs.py fails on warnings); the rest is a log
_re_alarm = re.compile(r'warn|error|exception|traceback|fail', re.I)
_re_comment = re.compile(r'^\s*#(?!\|)\s*(.+?)\s*$')
def alt_text(opts, src):
    "A figure's alt text: the cell's `#| fig-alt:` (Quarto's option), else its first comment line; '' if it has neither"
    if opts.get('fig-alt'): return opts['fig-alt']
    first = next((l for l in src.splitlines() if l.strip()), '')
    return m.group(1) if (m := _re_comment.match(first)) else ''

IMG_MIMES = ('image/png', 'image/jpeg')
def img_html(data, alt):
    "An image output as an <img> with `alt` (nbconvert's templates write no alt text: it then puts a placeholder in)"
    mime = next(m for m in IMG_MIMES if m in data)
    return f'<img src="data:{mime};base64,{"".join(data[mime].split())}" alt="{html.escape(alt, quote=True)}">'

def clean_outputs(cell, show_doc=False, alt=''):
    "Merge stream outputs and show them as a terminal would, drop progress bars (keeping their final table), give images `alt`; return the API names shown"
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    CoalesceStreamsPreprocessor().preprocess_cell(cell, {}, 0)
    outs,names = [],[]
    for o in cell.get('outputs', []):
        if o.output_type == 'stream':
            if o.name == 'stderr' and progress_noise(o.text): continue
            o.text = terminal_text(o.text)
            if not o.text.strip(): continue
            if o.name == 'stderr' and not _re_alarm.search(o.text): o.name = 'stdout'  # a log line, shown as output
        data = o.get('data', {})
        if any(m in data for m in IMG_MIMES):
            o['data'] = {'text/html': img_html(data, alt)}
            o.get('metadata', {}).clear()
            outs.append(o)
            continue
        if show_doc and 'text/markdown' in data:
            name,h = api_html(data['text/markdown'])
            o['data'] = {'text/html': h}
            if name: names.append(name)
        elif 'text/html' in data:
            h = strip_progress(data['text/html'])
            if blank_html(h): continue  # only a progress bar, or only fastprogress' <style>
            data['text/html'] = h
            if 'text/markdown' in data and 'fastprogress' in h: del data['text/markdown']  # the table, once
        outs.append(o)
    cell.outputs = outs
    return names

CELL_KEYS = {'cell_type', 'id', 'metadata', 'source', 'outputs', 'execution_count', 'attachments'}
def prep_nb(nb):
    "Apply to `nb` what Quarto does with nbdev's output; return (title, description, API names)"
    fm,cells,names = {},[],[]
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
            names += clean_outputs(c, show_doc=c.source.lstrip().startswith('show_doc('), alt=alt_text(opts, c.source))
        for k in set(c) - CELL_KEYS: del c[k]  # nbdev's own marks (`has_sd`): not in the notebook format
        cells.append(c)
    title = str(fm.get('title') or '')
    if title:  # the title cell nbdev took the frontmatter from, back as the page's heading and lead paragraph
        desc = str(fm.get('description') or '')
        lead = f'\n\n<p class="page-description">{md2html(desc).strip().removeprefix("<p>").removesuffix("</p>")}</p>' if desc else ''
        cells.insert(0, nbformat.v4.new_markdown_cell(f'# {title}{lead}'))
    nb.cells = cells
    nb.metadata.pop('widgets', None)  # an empty widget state: mkdocs-jupyter would load the widget manager from a CDN
    return title, str(fm.get('description') or ''), names

def plain_text(md):
    "Markdown `md` as the plain text a reader sees (for `<meta name=\"description\">`): no backticks, links or tags"
    return ' '.join(html.unescape(re.sub(r'<[^>]+>', '', md2html(md))).split())

def page_key(nb_key):
    "The page source for notebook `nb_key` (relative to nbs/), named as nbdev names its page: `00_data.ipynb` -> `data.ipynb`"
    return _nbpath2html(Path(nb_key)).with_suffix('.ipynb').as_posix()

def nav_order(nb_keys):
    "Notebook keys in reading order: index first, then top-level notebooks by name, then each folder (tutorials last)"
    def key(k):
        parts = k.split('/')
        folder = parts[0] if len(parts) > 1 else ''
        return (folder != '', folder == 'tutorials', folder, parts[-1] != 'index.ipynb', k)
    return sorted(nb_keys, key=key)

def make_nav(nb_keys, titles):
    "mkdocs `nav`: top-level pages, then one section per folder"
    nav,sections = [],{}
    for k in nav_order(nb_keys):
        pk = page_key(k)
        entry = {('Home' if pk == 'index.ipynb' else titles[k] or Path(pk).stem): pk}
        if '/' in k: sections.setdefault(k.split('/')[0], []).append(entry)
        else: nav.append(entry)
    return nav + [{folder.replace('_', ' ').title(): entries} for folder,entries in sections.items()]

def sidebar_nav(nb_keys, titles):
    "mkdocs `nav` in the reading order of `sidebar.yml` (the sidebar Quarto shows), then any page it leaves out, by `make_nav`"
    f = get_config().nbs_path/'sidebar.yml'
    if not f.exists(): return make_nav(nb_keys, titles)
    listed = []
    def entry(k):
        listed.append(k)
        pk = page_key(k)
        return {('Home' if pk == 'index.ipynb' else titles[k] or Path(pk).stem): pk}
    def conv(items):
        res = []
        for it in items or []:
            if isinstance(it, dict) and 'section' in it:
                if (sub := conv(it.get('contents'))): res.append({it['section']: sub})
                continue
            k = it if isinstance(it, str) else (it or {}).get('href', '')
            if k in nb_keys: res.append(entry(k))
            else: print(f'note: sidebar.yml lists {k!r}, which is not a processed notebook')
        return res
    nav = conv(((yaml.safe_load(f.read_text(encoding='utf-8')) or {}).get('website', {}).get('sidebar', {})).get('contents'))
    rest = [k for k in nb_keys if k not in listed]
    if rest: print(f'note: sidebar.yml does not list {", ".join(rest)}: added at the end of the navigation')
    return nav + make_nav(rest, titles)

def prepare(cache, nbs_rel):
    "Page sources in `cache/SRC_DIR` from the processed notebooks in `cache`; return (nav, {page: source notebook}, {page: API ids})"
    src = cache/SRC_DIR
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir()
    keys = [f.relative_to(cache).as_posix() for f in nbglob(cache, as_path=True) if SRC_DIR not in f.parts]
    titles,sources,api,descs = {},{},{},{}
    for k in keys:
        pk = page_key(k)
        if pk in sources: sys.exit(f'{k} and {sources[pk]} would both be the page {Path(pk).with_suffix(".html")}')
        nb = nbformat.reads((cache/k).read_text(encoding='utf-8'), as_version=4)
        titles[k],desc,names = prep_nb(nb)
        if desc: descs[Path(pk).with_suffix('.html').as_posix()] = plain_text(desc)
        (src/pk).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, src/pk)
        sources[pk] = f'{nbs_rel}/{k}'
        api[Path(pk).with_suffix('.html').as_posix()] = sorted({n.lower() for n in names})
    for f in cache.rglob('*'):  # images and other files the notebooks link to
        if f.is_file() and SRC_DIR not in f.relative_to(cache).parts and f.suffix not in ('.ipynb', '.yml', '.yaml', '.py') and f.name != 'styles.css':
            (src/f.relative_to(cache)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, src/f.relative_to(cache))
    css = src/'assets'/'stylesheets'
    css.mkdir(parents=True, exist_ok=True)
    shutil.copy2(MKDOCS_DIR/'extra.css', css/'collabfilt.css')
    return sidebar_nav(keys, titles), sources, dict(api=api, descriptions=descs)

# ---------------------------------------------------------------- 3. mkdocs
def build_site(cfg, src, out, nav, sources, pages):
    "Run mkdocs on `src` into a temporary folder, then swap it in as `out`"
    from mkdocs.config import load_config
    from mkdocs.commands.build import build
    import logging
    logging.basicConfig(level=logging.WARNING, format='%(name)s %(levelname)s: %(message)s')
    # nbconvert's lab template writes no alt text on output images and says so for every page that has a figure
    logging.getLogger('traitlets').addFilter(lambda r: 'Alternative text is missing' not in r.getMessage())
    doc_url = cfg.get('doc_host', '').rstrip('/') + cfg.get('doc_baseurl', '')
    git_url = cfg.get('git_url', '').rstrip('/')
    tmp = Path(tempfile.mkdtemp(prefix='docs.', dir=ROOT))
    try:
        mk = load_config(str(MKDOCS_DIR/'mkdocs.yml'), docs_dir=str(src), site_dir=str(tmp), nav=nav,
                         site_name=cfg.get('title', cfg.lib_name), site_description=cfg.get('description', ''),
                         site_url=doc_url.rstrip('/') + '/', repo_url=git_url, repo_name=git_url.split('github.com/')[-1],
                         extra=dict(doc_url=doc_url, branch=cfg.get('branch', 'main'), sources=sources, **pages))
        build(mk)
        (tmp/'.nojekyll').touch()
        shutil.rmtree(out, ignore_errors=True)
        tmp.chmod(0o755)
        tmp.rename(out)
    finally: shutil.rmtree(tmp, ignore_errors=True)

def main(n_workers=2, readme=False):
    t0 = time.time()
    cfg = get_config()
    nbs,out,cache = cfg.nbs_path, cfg.doc_path, cfg.config_path/'_proc'
    errs = process_nbs(nbs, cache, n_workers)
    for k,e in errs.items(): print(f'FAIL processing {k}: {e}')
    print(f'processed notebooks in {cache.relative_to(ROOT)}/ ({time.time()-t0:.0f}s)')
    t1 = time.time()
    nav,sources,pages = prepare(cache, nbs.relative_to(ROOT).as_posix())
    if not sources: sys.exit(f'no processed notebooks: none in {nbs}, or all failed')
    build_site(cfg, cache/SRC_DIR, out, nav, sources, pages)
    for pk,nb in sources.items(): print(f'  {nb:40s} -> {out.name}/{Path(pk).with_suffix(".html").as_posix()}')
    print(f'{len(sources)} pages written to {out.relative_to(ROOT)}/ by mkdocs ({time.time()-t1:.0f}s)')
    if readme:
        import readme as _readme
        _readme.write_readme(cache/cfg.get('readme_nb', 'index.ipynb'), ROOT/'README.md')
    if errs: sys.exit(f'{len(errs)} notebook(s) failed nbdev processing, their pages are missing: {", ".join(errs)}')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n_workers', type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument('--readme', action='store_true', help='also write README.md from the index notebook')
    a = ap.parse_args()
    sys.path.insert(0, str(HERE))
    import docs_build  # run as that module: spawned workers unpickle `_proc_one` by module name, not from `__main__`
    docs_build.main(a.n_workers, a.readme)
