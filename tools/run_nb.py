"""Run a notebook top to bottom with execnb and save its outputs: `RUN_SLOW=60,62 python tools/run_nb.py nbs/06_benchmark.ipynb`.
`#| slow` cells run only if their index (0-based, in the notebook's cells) is in RUN_SLOW; the others keep the outputs
they have. Stops at the first error, saving nothing. Then `nbdev_clean` and commit.
Text streams are saved as a terminal shows them (`as_terminal`): a console progress bar redraws its line with `\r`,
and only the last drawing of each line is kept -- the epoch table without the bar's hundred frames.
`python tools/run_nb.py --terminal NB ...` applies just that to the outputs NB has."""
import os, sys, time
from execnb.shell import CaptureShell
from execnb.nbio import read_nb, write_nb
def as_terminal(text:str)->str:
    "`text` as a terminal shows it: of each line, what follows its last carriage return, without trailing blanks"
    return '\n'.join(l.split('\r')[-1].rstrip() for l in text.replace('\r\n', '\n').split('\n'))

def clean_streams(nb):
    "Apply `as_terminal` to every text stream output of `nb`, dropping the streams it leaves empty (a bar's frames alone)"
    for c in nb.cells:
        for o in c.get('outputs', []):
            if o.get('output_type') == 'stream' and '\r' in ''.join(o['text']): o['text'] = as_terminal(''.join(o['text']))
        if 'outputs' in c: c.outputs = [o for o in c.outputs if not (o.get('output_type') == 'stream' and not ''.join(o['text']))]

if sys.argv[1] == '--terminal':
    for f in sys.argv[2:]: nb = read_nb(f); clean_streams(nb); write_nb(nb, f)
    sys.exit(0)
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
clean_streams(nb)
write_nb(nb, fn)
print(f'done {time.time()-t0:.0f}s', flush=True)
