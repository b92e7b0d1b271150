"""Serve latency on a MovieLens-25M-shaped model (162,541 users x 59,047 items): train with `collabfilt train`, serve, measure.
Usage: python serve_scale.py FOLDER [n_ratings]   (the model is kept in FOLDER/model and reused)"""
import json, socket, subprocess, sys, time, urllib.error, urllib.request
from pathlib import Path
import numpy as np, pandas as pd
from collabfilt.scale import size_ratings, collabfilt_cmd, run_command, SIZE_CASES
from collabfilt.loadtest import load_test, load_report

folder = Path(sys.argv[1]); folder.mkdir(parents=True, exist_ok=True)
n_ratings = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
shape = {**SIZE_CASES['ML-25M shape, 5M ratings'], 'n_ratings': n_ratings}
if not (folder/'model'/'model.safetensors').exists():
    size_ratings(**shape, seed=0).to_parquet(folder/'ratings.parquet')
    r = run_command(collabfilt_cmd('train', str(folder/'ratings.parquet'), '--out', str(folder/'model'), '--seed', '0'))
    print(f"train: {r['seconds']:.0f} s, peak {r['peak_gb']:.2f} GB"); print([l for l in r['out'].splitlines() if 'Plan' in l])
df = pd.read_parquet(folder/'ratings.parquet', columns=['user', 'item'])  # the ids to ask for, from the file trained on
users, items = df.user.unique(), df['item'].unique()
del df
with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
log = open(folder/'serve.log', 'w')
proc = subprocess.Popen(collabfilt_cmd('serve', '--model', str(folder/'model'), '--port', str(port)), stdout=log, stderr=subprocess.STDOUT)
url, t0 = f'http://127.0.0.1:{port}', time.perf_counter()
while True:
    try: urllib.request.urlopen(url + '/health', timeout=2); break
    except OSError:
        if proc.poll() is not None or time.perf_counter() - t0 > 300: raise SystemExit(open(folder/'serve.log').read()[-3000:])
        time.sleep(0.5)
print(f"server up in {time.perf_counter()-t0:.1f} s")
def post(path, body):
    req = urllib.request.Request(url + path, json.dumps(body).encode(), {'Content-Type': 'application/json'})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as r: status, out = r.status, json.load(r)
    except urllib.error.HTTPError as e: status, out = e.code, json.load(e)
    return status, out, (time.perf_counter() - t) * 1000
try:
    rng = np.random.default_rng(0)
    res = load_test(url, list(rng.choice(users, 5000)), list(rng.choice(items, 2000)), n_requests=4000, concurrency=8, pid=proc.pid, visitor_share=float(__import__("os").environ.get("VISITOR_SHARE", "0.1")))
    print(load_report(res))
    ms = [post('/recommend', {'user': f'nobody-{k}', 'n': 10}) for k in range(30)]
    print(f"unknown user: status {ms[0][0]}, {ms[0][1].get('error', '')[:120]!r}; ms p50 {np.median([m[2] for m in ms]):.1f} max {max(m[2] for m in ms):.1f}")
    ms = [post('/recommend', {'user': f'u{k:07d}x', 'n': 10}) for k in range(30)]  # a typo of a real id: suggestions
    print(f"mistyped user: status {ms[0][0]}, {ms[0][1].get('error', '')[:160]!r}; ms p50 {np.median([m[2] for m in ms]):.1f} max {max(m[2] for m in ms):.1f}")
    ms = [post('/predict', {'user': str(users[k]), 'items': [int(i) for i in rng.choice(items, 1000, replace=False)]}) for k in range(20)]
    print(f"predict 1,000 items: status {ms[0][0]} {str(ms[0][1])[:120] if ms[0][0] != 200 else ''}; ms p50 {np.median([m[2] for m in ms]):.1f} max {max(m[2] for m in ms):.1f}")
    ms = [post('/predict', {'user': str(users[k]), 'items': [int(items[0]), 10**9 + k]}) for k in range(20)]
    print(f"predict with an unknown item: status {ms[0][0]}, {ms[0][1].get('error', '')[:120]!r}; ms p50 {np.median([m[2] for m in ms]):.1f} max {max(m[2] for m in ms):.1f}")
finally:
    proc.terminate(); proc.wait(30)
