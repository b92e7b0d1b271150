"""Counts for issue 19: private names imported or used across modules, notebook cell counts, runs of export cells."""
import ast, glob, json
from pathlib import Path
mods = {Path(f).stem: f for f in glob.glob('collabfilt/*.py') if not Path(f).stem.startswith('__') and Path(f).stem != '_modidx'}
bad = []
for m, f in mods.items():
    tree = ast.parse(open(f).read())
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom) and n.module and (n.level or n.module.startswith('collabfilt')):
            for a in n.names:
                if a.name.startswith('_') and not a.name.startswith('__'): bad.append(f"{m}: from {'.'*n.level}{n.module} import {a.name}")
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in mods and n.attr.startswith('_') and not n.attr.startswith('__'):
            bad.append(f"{m}: {n.value.id}.{n.attr}")
print('private names across modules:', len(bad)); [print('  ', b) for b in bad]
over, runs = [], []
for nb in sorted(glob.glob('nbs/[0-9]*.ipynb')):
    cells = json.load(open(nb))['cells']
    if len(cells) > 120: over.append((nb, len(cells)))
    run = best = 0
    for c in cells:
        run = run + 1 if c['cell_type'] == 'code' and ''.join(c['source']).startswith('#| export') else 0
        best = max(best, run)
    runs.append((best, nb))
print('notebooks over 120 cells:', over or 'none', '; largest:', max((len(json.load(open(nb))['cells']), nb) for nb in glob.glob('nbs/[0-9]*.ipynb')))
print('longest run of export cells without prose between:', max(runs))
print('cli.py lines:', sum(1 for _ in open('collabfilt/cli.py')))
