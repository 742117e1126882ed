"""Training speed: the plain fastai recipe against `masksclf train` with its defaults, each run in a fresh process.

    .venv/bin/python bench/bench_train_speed.py [--data facemask multimask] [--seed 42] [--rounds 2] [--out runs/bench_train_speed]

For each data set (default: both real-photo sets in ../shared/datasets), one validation split is written first and both
recipes train on it: 20% of the photos, drawn as whole groups of near-duplicates (`near_duplicates.py`: equal 8x8
average hashes, mirror included, or names that differ by a ` copy N` suffix), so copies of one photo are never on both
sides. Then each round runs the two recipes one after the other in both orders (plain, masksclf, masksclf, plain), each
as its own program in a new Python process, timed from outside from start to exit:

- plain: `bench/plain_recipe.py`, what a fastai user writes by hand (`Resize(224)`, `aug_transforms(size=160,
  min_scale=0.75)`, bs 32, fastai's default data loader workers, `lr_find`, `fine_tune(2)` at its valley, float32). It
  imports nothing from masksclf; the ImageNet weights are placed in the torch hub cache beforehand.
- masksclf: `python -m masksclf train --csv split.csv --images DATA` with its defaults and a new, empty presize cache,
  so its time includes decoding every photo and writing every output (models, ONNX, plots, report). Its lr_find column
  is its training time less its epochs (`history.csv` times them to the second).

Prints every run (wall time, lr_find, epochs, seconds per epoch, macro F1 at 0.5 on the validation photos, and
masksclf's at its per-class thresholds), then each recipe's median and the ratio of medians. The machine's load
average is printed before each run.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from near_duplicates import grouped_split, describe_groups
from masksclf.data.datablock import read_labels_csv
from masksclf.core.files import FACEMASK, MULTIMASK
from masksclf.core.settings import SEED
from masksclf.learning.model import install_offline_weights

DATASETS = {'facemask': FACEMASK, 'multimask': MULTIMASK}
PLAIN = Path(__file__).parent/'plain_recipe.py'

def run_plain(csv, root, seed, out) -> dict:
    res = out/'plain.json'
    subprocess.run([sys.executable, str(PLAIN), str(csv), str(root), '--seed', str(seed), '--out', str(res)], check=True)
    r = json.loads(res.read_text())
    return {'lr_find': r['lr_find'], 'epochs': r['epochs'], 'f1_0.5': r['at_0.5']['f1_macro'], 'f1_thr': None, 'n_train': r['n_train'], 'n_valid': r['n_valid']}

def run_masksclf(csv, root, seed, out) -> dict:
    with tempfile.TemporaryDirectory() as cache:
        subprocess.run([sys.executable, '-m', 'masksclf', 'train', '--csv', str(csv), '--images', str(root), '--out', str(out/'run'), '--seed', str(seed),
                        '--cache', cache, '--overwrite'], check=True, stdout=subprocess.DEVNULL)
    m = json.loads((out/'run'/'metrics.json').read_text())
    history = [l.split(',') for l in (out/'run'/'history.csv').read_text().splitlines()]
    col = history[0].index('time') if 'time' in history[0] else None
    epochs = [sum(int(x) * 60**i for i, x in enumerate(reversed(r[col].split(':')))) for r in history[1:]] if col is not None else []
    return {'lr_find': m['seconds']['train'] - sum(epochs) if epochs else None, 'epochs': epochs, 'f1_0.5': m['valid']['at_0.5']['f1_macro'], 'f1_thr': m['valid']['at_class_thresholds']['f1_macro'],
            'n_train': m['n_train'], 'n_valid': m['n_valid'], 'seconds': m['seconds']}

RECIPES = {'plain': run_plain, 'masksclf': run_masksclf}

def line(name, k, recipe, wall, r) -> str:
    per_epoch = f"{statistics.mean(r['epochs']):9.1f}" if r['epochs'] else f"{'-':>9}"
    lr_find = f"{r['lr_find']:8.0f}" if r['lr_find'] is not None else f"{'-':>8}"
    thr = f"{r['f1_thr']:10.4f}" if r['f1_thr'] is not None else f"{'-':>10}"
    return f"{name:<10}{k:>4}  {recipe:<9}{wall:8.0f}{lr_find}{len(r['epochs']):8}{per_epoch}{r['f1_0.5']:10.4f}{thr}"

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', nargs='+', choices=list(DATASETS), default=list(DATASETS))
    p.add_argument('--seed', type=SEED, default=42)
    p.add_argument('--rounds', type=int, default=2, help='rounds of plain, masksclf, masksclf, plain (default: %(default)s)')
    p.add_argument('--out', default='runs/bench_train_speed')
    a = p.parse_args()
    install_offline_weights()
    print(f"machine: {os.cpu_count()} CPU cores; each recipe in a new process; {a.rounds} round(s) of plain, masksclf, masksclf, plain", flush=True)
    print(f"{'data':<10}{'run':>4}  {'recipe':<9}{'wall s':>8}{'lr_find':>8}{'epochs':>8}{'s/epoch':>9}{'F1 @0.5':>10}{'F1 @thr':>10}  (load average before the run)")
    summary = {}
    for name in a.data:
        root, out = DATASETS[name], Path(a.out)/name
        out.mkdir(parents=True, exist_ok=True)
        split = grouped_split(read_labels_csv(root/'labels.csv'), root, seed=a.seed)
        print(f"{name}: {describe_groups(split)}; validation {split.is_valid.sum()} photos", flush=True)
        csv = out/'split.csv'
        split[['fname', 'labels', 'is_valid']].to_csv(csv, index=False)
        walls = {k: [] for k in RECIPES}
        order = [r for _ in range(a.rounds) for r in ('plain', 'masksclf', 'masksclf', 'plain')]
        for k, recipe in enumerate(order, 1):
            load = os.getloadavg()[0]
            t0 = time.perf_counter()
            r = RECIPES[recipe](csv, root, a.seed, out)
            wall = time.perf_counter() - t0
            walls[recipe].append(wall)
            print(line(name, k, recipe, wall, r) + f"  ({load:.1f})", flush=True)
        med = {k: statistics.median(v) for k, v in walls.items()}
        summary[name] = {'walls': walls, 'median': med}
        print(f"{name}: median wall plain {med['plain']:.0f} s, masksclf {med['masksclf']:.0f} s: masksclf / plain {med['masksclf']/med['plain']:.2f}x", flush=True)
    (Path(a.out)/'bench.json').write_text(json.dumps(summary, indent=1))

if __name__ == '__main__': sys.exit(main())
