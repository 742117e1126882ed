"""Quality and time of `masksclf train` on real group photos, both routes, on several seeded splits.

    .venv/bin/python bench/bench_multimask.py [--seeds 42 7] [--routes image faces boxes] [--poolings noisy_or] [--data ../shared/datasets/multimask] [--out runs/bench_multimask]

For each route and seed, in its own fresh process, runs `train_job` exactly as `masksclf train --csv labels.csv --images
DATA --seed SEED --route ROUTE` does (no other flag: `TrainSettings`' defaults; `--route auto`, the default, picks
`faces` on these photos), with a fresh presize and face cache, so the wall time includes decoding every photo once
(and, for the faces route, finding every photo's faces) and writing every output. Prints, on that seed's 20% validation
split, F1 per class, macro F1 and exact match (every label of a photo right) at the per-class thresholds the run exports,
macro F1 at 0.5, and the wall time; then the mean over the seeds of each route, against the bars of the group-photo
issue: macro F1 >= 0.85, every class >= 0.70, within 10 minutes. The thresholds are chosen on the same validation
photos they are scored on, as every run's report does. `--poolings max noisy_or lse mean` runs the faces route once per
pooling (`--pooling`), to compare them. The `boxes` route is the faces route trained from the annotated faces of
`boxes.csv` (`masksclf train --boxes boxes.csv`), scored on the same photos through the detector's faces; it also
prints the face classifier's macro F1 at 0.5 on the validation photos' annotated faces.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd, torch
from masksclf.runs.pipeline import train_job, TrainSettings
from masksclf.core.files import MULTIMASK, SEED, ROUTES
from masksclf.core.faces import POOLINGS

def run(data:Path, out:Path, seed:int, route:str, pooling:str) -> dict:
    "One `masksclf train --route ROUTE` (or `--boxes boxes.csv`) run with the defaults on the split of `seed`: its scores at the exported thresholds and its wall time."
    t0 = time.perf_counter()
    boxes = {'boxes': data/'boxes.csv', 'route': 'faces'} if route == 'boxes' else {'route': route}
    with tempfile.TemporaryDirectory() as cache:
        m = train_job(data/'labels.csv', data, out, seed=seed, pooling=pooling, cache=Path(cache)/'presize', progress=False, overwrite=True,
                      log=lambda s: print(f"[{time.perf_counter()-t0:6.0f}s] {route} seed {seed}: {s}", file=sys.stderr, flush=True), **boxes)
    wall = time.perf_counter() - t0
    f1 = pd.read_csv(out/'class_report.csv', index_col='class').f1
    at_thr = m.valid['at_class_thresholds']
    faces = {'faces_f1_macro_0.5': m.boxes['at_0.5']['f1_macro']} if m.boxes else {}
    return {'route': m.route if m.route == 'image' else f"{route} {pooling}", 'seed': seed, **f1.to_dict(), 'f1_macro': at_thr['f1_macro'], 'exact_match': at_thr['accuracy_exact'],
            'f1_macro_0.5': m.valid['at_0.5']['f1_macro'], 'lr': m.lr, 'epochs': m.epochs, **faces, 'minutes': wall / 60}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default=str(MULTIMASK))
    p.add_argument('--seeds', type=SEED, nargs='+', default=[42, 7])
    p.add_argument('--routes', nargs='+', choices=[*ROUTES, 'boxes'], default=['image', 'faces'])
    p.add_argument('--poolings', nargs='+', choices=POOLINGS, default=[TrainSettings.pooling])
    p.add_argument('--out', default='runs/bench_multimask')
    p.add_argument('--one', action='store_true', help=argparse.SUPPRESS)
    args = p.parse_args()
    data, out = Path(args.data), Path(args.out)
    if args.one:
        print(json.dumps(run(data, out, args.seeds[0], args.routes[0], args.poolings[0]), default=float)); return
    print(f"machine: {os.cpu_count()} CPU cores, torch {torch.__version__} with {torch.get_num_threads()} threads, "
          f"{'GPU ' + torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU'}, load average {os.getloadavg()[0]:.1f}; "
          f"photos in {data}; defaults {TrainSettings()}", flush=True)
    rows = []
    runs = [(r, p) for r in args.routes for p in (args.poolings if r in ('faces', 'boxes') else [TrainSettings.pooling])]
    for route, pooling in runs:
        for seed in args.seeds:
            name = route if route == 'image' or len(args.poolings) == 1 else f'{route}-{pooling}'
            cmd = [sys.executable, __file__, '--one', '--data', str(data), '--seeds', str(seed), '--routes', route, '--poolings', pooling,
                   '--out', str(out/f'{name}-seed{seed}')]
            rows.append(json.loads(subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines()[-1]))
            print(json.dumps(rows[-1]), flush=True)
    table = pd.DataFrame(rows)
    classes = [c for c in table.columns if c not in ('route', 'seed', 'f1_macro', 'exact_match', 'f1_macro_0.5', 'lr', 'epochs', 'faces_f1_macro_0.5', 'minutes')]
    print("\nF1 per class, macro F1 and exact match at the exported thresholds; macro F1 at 0.5; wall time")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    for route, t in table.groupby('route', sort=False):
        mean = t.drop(columns=['route', 'seed']).mean()
        worst = min(classes, key=lambda c: mean[c])
        print(f"\n{route} route, mean over seeds {args.seeds}: " + '  '.join(f"{c} {mean[c]:.3f}" for c in classes) +
              f"  macro {mean.f1_macro:.3f}  exact {mean.exact_match:.3f}; bars: macro F1 >= 0.85: {mean.f1_macro >= .85};  "
              f"every class >= 0.70: {all(mean[c] >= .7 for c in classes)} (lowest {worst} {mean[worst]:.3f});  "
              f"slowest run {t.minutes.max():.1f} min <= 10: {t.minutes.max() <= 10}", flush=True)
    out.mkdir(parents=True, exist_ok=True)
    json.dump({'seeds': args.seeds, 'runs': rows}, open(out/'bench.json', 'w'), indent=2, default=float)

if __name__ == '__main__': sys.exit(main())
