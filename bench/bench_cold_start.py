"""How long a `masksclf predict` takes from a cold start: each command in a new process, as a user or a script runs it,
on the same photos with the same trained run's `model.onnx` and `model.pkl` (the tests' tiny run, `test_utils.tiny_run`,
unless `--run` names another), and `masksclf --help`. The commands take turns, `--repeat` rounds, so a change in the
machine's load touches each alike; the medians are printed with their ratio.

    .venv/bin/python bench/bench_cold_start.py [--run RUN_FOLDER] [--photos 16] [--repeat 5]
"""
import argparse, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

def seconds(args:list) -> float:
    "Wall seconds of `python -m masksclf ARGS` in a new process (which must succeed)."
    start = time.perf_counter()
    subprocess.run([sys.executable, '-m', 'masksclf', *map(str, args)], check=True, capture_output=True)
    return time.perf_counter() - start

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', type=Path, help='a finished run folder holding model.onnx and model.pkl (default: the tests\' tiny run)')
    ap.add_argument('--photos', type=int, default=16, help='photos of facemask predicted by each command')
    ap.add_argument('--repeat', type=int, default=5)
    args = ap.parse_args()
    from masksclf.core.files import FACEMASK
    from masksclf.data.labels import read_labels_csv
    run = args.run
    if run is None:
        from masksclf.test_utils import tiny_run
        run = tiny_run()
    photos = [FACEMASK/f for f in read_labels_csv(FACEMASK/'labels.csv').fname.sample(args.photos, random_state=0)]
    out = Path(tempfile.mkdtemp())/'p.json'
    commands = {'--help': ['--help'], 'predict model.onnx': ['predict', run/'model.onnx', *photos, '--quiet', '--out', out],
                'predict model.pkl': ['predict', run/'model.pkl', *photos, '--quiet', '--out', out]}
    print(f"machine: {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}; {args.photos} photos, {args.repeat} rounds; run {run}")
    times = {k: [] for k in commands}
    for _ in range(args.repeat):
        for k, a in commands.items(): times[k].append(seconds(a))
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in times.items(): print(f"{'masksclf ' + k:28s} median {med[k]:5.2f} s   ({', '.join(f'{t:.2f}' for t in v)})")
    print(f"predict: model.pkl takes {med['predict model.pkl'] / med['predict model.onnx']:.1f}x as long as model.onnx from a cold start")

if __name__ == '__main__': main()
