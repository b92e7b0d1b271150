"""mkdocs hooks of the local docs site (.ci/mkdocs/mkdocs.yml, run by .ci/docs_build.py).

On each notebook page that mkdocs-jupyter rendered:
- math: TeX becomes MathML at build time (latex2mathml), which Chromium and Firefox render without a script; the
  MathJax loader mkdocs-jupyter puts on every page (from a CDN) is removed, and so is the Mermaid loader on pages
  that have no diagram;
- styles: mkdocs-jupyter inlines ~600 kB of notebook CSS into every page; it goes to one shared
  `assets/stylesheets/jupyter.css` instead;
- links: nbdev links backticked names to the published site (`doc_host`/`doc_baseurl`): they become relative links
  into this build. Where nbdev linked a name to another page but this page documents a symbol of that name (`main`
  in cli and benchmark), the link goes to this page's own. A link nbdev made to a name that has no API block (a
  private helper such as `_top_k`: nbdev's index holds every name, but `show_doc` skips private ones) would be a
  broken anchor: it is left as code. Hand-written links are not touched here; .ci/check_docs.py checks them all.
- headings: duplicated ids get `-1`, `-2` (as pandoc does); the "on this page" list is rebuilt from the headings
  that are on the page (API blocks included), so that every entry points at a real id;
- code blocks of the text (```sh in a markdown cell): nbconvert's renderer writes `<pre>` without `<code>`, where
  material's copy button (`content.code.copy`) goes: the `<code>` is added;
- search: the copy buttons' hidden second copy of each code cell is kept out of the search index;
- page.edit_url: the source notebook on GitHub (nbs/00_data.ipynb), not the page source mkdocs read;
- page.meta['description']: the notebook's own description (the `> ...` line of its title cell, passed by
  .ci/docs_build.py), so that `<meta name="description">` and search engines describe the page, not the whole site.
"""
import logging, posixpath, re

from mkdocs.structure.toc import get_toc

log = logging.getLogger('mkdocs.hooks.collabfilt')

# ---------------------------------------------------------------- math: TeX -> MathML
try:
    from latex2mathml.converter import convert as _tex2mml
except ImportError:  # the dev extra installs it; without it the TeX stays as text
    _tex2mml = None
    log.warning('latex2mathml is not installed: math shows as TeX source')

from nbconvert.filters.markdown_mistune import IPythonRenderer

def _math(tmpl, display):
    def f(self, body):
        if _tex2mml is None: return tmpl.format(self.escape_html(body))
        try: mml = _tex2mml(body, display=display)
        except Exception as e:
            log.warning(f'TeX that latex2mathml cannot convert ({e}): {body[:80]}')
            return tmpl.format(self.escape_html(body))
        return f'<div class="math-block">{mml}</div>' if display == 'block' else mml  # a wide formula scrolls
    return f
IPythonRenderer.block_math,IPythonRenderer.inline_math = _math('$${}$$', 'block'),_math('${}$', 'inline')

# ---------------------------------------------------------------- heading ids as pandoc (Quarto) makes them
import mkdocs_jupyter.convert as _mjc

def pandoc_id(text):
    "Pandoc's auto identifier: lower case, only letters, digits, `_-.`, spaces as hyphens, starting with a letter"
    s = re.sub(r'[^\w\s.-]', '', text.strip().lower())
    s = re.sub(r'^[^a-z]+', '', re.sub(r'\s+', '-', s))
    return s or 'section'
_mjc.slugify = pandoc_id  # mkdocs-jupyter gives markdown-cell headings ids with this function

# ---------------------------------------------------------------- the page's head: styles and CDN loaders
_CSS = {}  # every distinct <style> block outside the notebook, in order of appearance (one file for all pages)
_re_style = re.compile(r'<style\b[^>]*>(.*?)</style>\s*', re.S)
_re_script = re.compile(r'<script\b([^>]*)>(.*?)</script>\s*', re.S)
WRAP_OPEN,WRAP_CLOSE = '<div class="jupyter-wrapper">', '<!-- jupyter-wrapper -->'

def _outside(s, has_mermaid):
    "`s` (a part of the page outside the notebook) without its styles (kept for jupyter.css) and CDN loaders"
    def _style(m):
        css = m.group(1).strip()
        # mkdocs-jupyter appends its pygments styles once more as a Python list's repr (`['...']`): not CSS
        if not css.startswith("['"): _CSS.setdefault(css, None)
        return ''
    def _script(m):
        attrs,body = m.group(1), m.group(2)
        if re.search(r'\bsrc=""', attrs) or 'x-mathjax-config' in attrs: return ''  # MathJax: math is MathML here
        if 'mermaid' in body and not has_mermaid: return ''  # it would import Mermaid from a CDN
        return m.group(0)
    return _re_script.sub(_script, _re_style.sub(_style, s)).replace('<!-- Load mathjax -->', '').replace(
        '<!-- MathJax configuration -->', '').replace('<!-- End of mathjax configuration -->', '')

def split_notebook(h):
    i,j = h.find(WRAP_OPEN), h.rfind(WRAP_CLOSE)
    if i < 0 or j < 0: return '', h, ''
    j += len(WRAP_CLOSE)
    return h[:i], h[i:j], h[j:]

# ---------------------------------------------------------------- links
def _rel(target, here):
    "Link from page `here` to `target` (`page.html#frag`, both relative to the site's root)"
    page,sep,frag = target.partition('#')
    return posixpath.relpath(page or 'index.html', posixpath.dirname(here) or '.') + sep + frag

def fix_links(h, here, extra):
    "nbdev's links to the published site, relative to page `here`; auto links to names without an API block unlinked"
    doc_url = extra.get('doc_url', '').rstrip('/') + '/'
    api = extra.get('api', {})
    if doc_url == '/': return h
    own = set(api.get(here, []))
    re_auto = re.compile(r'<a href="' + re.escape(doc_url) + r'([^"#]*)(?:#([^"]*))?"\s*>(<code>([^<]*)</code>)</a>')
    def _auto(m):
        page,frag,code = m.group(1) or 'index.html', m.group(2), m.group(3)
        if frag and frag in own and page != here:
            log.info(f'{here}: `{m.group(4)}` linked to this page\'s own #{frag}, not {page}')
            return f'<a href="#{frag}">{code}</a>'
        if frag and page in api and frag not in api[page]:
            log.info(f'{here}: `{m.group(4)}` left unlinked: {page} has no API block #{frag} (nbdev links every name it indexes)')
            return code
        return f'<a href="{_rel(page + ("#" + frag if frag else ""), here)}">{code}</a>'
    h = re_auto.sub(_auto, h)
    return re.sub(r'href="' + re.escape(doc_url) + r'([^"]*)"', lambda m: f'href="{_rel(m.group(1), here)}"', h)

# ---------------------------------------------------------------- headings and the "on this page" list
_re_heading = re.compile(r'<h([1-6])\b([^>]*)>(.*?)</h\1>', re.S)
_re_id = re.compile(r'\bid="([^"]*)"')

def headings(h, toc_depth=3):
    "Page `h` with unique heading ids, and mkdocs toc tokens from its headings down to `toc_depth`"
    seen,flat = {},[]
    def _h(m):
        level,attrs,inner = int(m.group(1)), m.group(2), m.group(3)
        idm = _re_id.search(attrs)
        if not idm: return m.group(0)
        hid = idm.group(1)
        if hid in seen:
            seen[hid] += 1
            new = f'{hid}-{seen[hid]}'
            attrs = attrs.replace(f'id="{hid}"', f'id="{new}"')
            inner = inner.replace(f'href="#{hid}"', f'href="#{new}"')
            hid = new
        seen.setdefault(hid, 0)
        if level <= toc_depth:
            name = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', '', inner, flags=re.S)
            name = re.sub(r'<[^>]+>', '', name).replace('¶', '').strip()
            flat.append(dict(level=level, id=hid, name=name, children=[]))
        return f'<h{level}{attrs}>{inner}</h{level}>'
    h = _re_heading.sub(_h, h)
    tokens,stack = [],[]
    for t in flat:
        while stack and stack[-1]['level'] >= t['level']: stack.pop()
        (stack[-1]['children'] if stack else tokens).append(t)
        stack.append(t)
    return h, tokens

# ---------------------------------------------------------------- mkdocs events
_re_md_code = re.compile(r'<div class="highlight"><pre>(?:<span></span>)?(?!<code)(.*?)</pre></div>', re.S)
def code_blocks(h):
    "Code blocks of the text (not the notebook's code cells, `highlight-ipynb`) as `<pre><code>`, as material's copy button wants"
    return _re_md_code.sub(lambda m: f'<div class="highlight"><pre><span></span><code>{m.group(1)}</code></pre></div>', h)

def on_page_content(html_, page, config, files):
    if not page.file.src_uri.endswith('.ipynb'): return html_
    if (desc := config.extra.get('descriptions', {}).get(page.file.dest_uri)): page.meta['description'] = desc
    head,nb,tail = split_notebook(html_)
    has_mermaid = 'jp-Mermaid' in nb
    html_ = _outside(head, has_mermaid) + nb + _outside(tail, has_mermaid)
    # mkdocs-jupyter's copy buttons keep a second copy of each cell's source and a "Copied!" notice: not for search
    html_ = html_.replace('<div class="zeroclipboard-container">', '<div class="zeroclipboard-container" data-search-exclude>')
    html_ = re.sub(r'<div (id="cell-\d+" class="clipboard-copy-txt")>', r'<div \1 data-search-exclude>', html_)
    html_ = code_blocks(fix_links(html_, page.file.dest_uri, config.extra))
    html_,tokens = headings(html_, config.plugins['mkdocs-jupyter'].config['toc_depth'])
    page.toc = get_toc(tokens)
    return html_

def on_page_context(context, page, config, nav):
    src = config.extra.get('sources', {}).get(page.file.src_uri)
    if src and config.repo_url:
        page.edit_url = f"{config.repo_url.rstrip('/')}/blob/{config.extra.get('branch', 'main')}/{src}"
    return context

def on_post_build(config):
    from pathlib import Path
    out = Path(config.site_dir)/'assets'/'stylesheets'/'jupyter.css'
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text('/* mkdocs-jupyter\'s notebook styles (collected from the pages by .ci/mkdocs/hooks.py) */\n' +
                   '\n'.join(_CSS), encoding='utf-8')
