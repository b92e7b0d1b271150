"""Run a notebook top to bottom with execnb and save its outputs: `RUN_SLOW=60,62 python tools/run_nb.py nbs/06_benchmark.ipynb`.
`#| slow` cells run only if their index (0-based, in the notebook's cells) is in RUN_SLOW; the others keep the outputs
they have. Stops at the first error, saving nothing. Then `nbdev_clean` and commit."""
import os, sys, time
from execnb.shell import CaptureShell
from execnb.nbio import read_nb, write_nb
fn = os.path.abspath(sys.argv[1])  # absolute: a notebook may change the working directory
slow = {int(x) for x in os.environ.get('RUN_SLOW', '').split(',') if x}
nb = read_nb(fn)
os.chdir(os.path.dirname(fn))
sh = CaptureShell()
t0 = time.time()
for i, c in enumerate(nb.cells):
    if c.cell_type != 'code': continue
    src = c.source
    lines = [l.strip().replace(' ', '') for l in src.split('\n') if l.startswith('#|')]
    if '#|eval:false' in lines: continue
    if any(l.startswith('#|slow') for l in lines) and i not in slow: continue
    print(f'[{time.time()-t0:7.0f}s] cell {i}', flush=True)
    c.outputs = sh.run(src)
    err = [o for o in c.outputs if o.get('output_type') == 'error']
    if err:
        print('ERROR in cell', i, err[0].get('ename'), err[0].get('evalue'), flush=True)
        print('\n'.join(err[0].get('traceback', []))[-3000:]); sys.exit(1)
    c.execution_count = None
write_nb(nb, fn)
print(f'done {time.time()-t0:.0f}s', flush=True)
