"""The training defaults across data sets, against the plain fastai recipe, scored on held-out photos.

    .venv/bin/python bench/bench_defaults.py [--data facemask multimask sample faces3] [--seed 42] [--out runs/bench_defaults]
                                             [--score-only] [--masksclf-args ...]

Each data set is split three ways, seeded, before anything trains: 20% of the photos held out for the test, then 20% of
the rest for validation (the `is_valid` column both recipes train with), whole groups at a time so that copies of one
photo never fall on two sides (`near_duplicates.py`; on `faces3`, the faces of one photo are a group):

- `facemask`: 3,991 close-ups with and without a mask (`../shared/datasets/facemask`), with its near-duplicates;
- `multimask`: 702 group photos, label sets of three states (`../shared/datasets/multimask`), the faces route;
- `sample`: the demo's drawn set (1,700 synthetic faces, `make_sample_data` with the demo's seed), seven labels, some pairs;
- `faces3`: a harder single-label set of fine classes, every annotated face of `multimask/boxes.csv` cut out with a
  quarter of its side around it (3,327 faces, 101 of them worn incorrectly), the image route.

Then two recipes run on the same split, each as its own program in a new Python process, timed from outside:
`plain` (`plain_recipe.py`: `Resize(224)`, `aug_transforms(size=160)`, `lr_find`, `fine_tune(2)`, decided at 0.5) and
`masksclf` (`python -m masksclf train` with its defaults, a new empty cache, then `masksclf predict` on the test photos
with the exported model, decided as it decides). The table gives wall time (training only; masksclf's includes decoding
every photo and writing every output), epochs, and on the held-out photos the macro F1 of the label sets (every class,
the noise label `-` too: plain predicts it as any class, masksclf where its probability passes its threshold, as the
demo scores it) and top-1 (the most probable class is one of the photo's labels; not for the group photos, where a
class's probability is a face's). `--score-only` scores again what a run wrote, with its wall times.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer
sys.path.insert(0, str(Path(__file__).parent))
from near_duplicates import draw_groups, near_duplicate_groups
from masksclf.core.files import FACEMASK, MULTIMASK
from masksclf.core.images import load_image
from masksclf.core.settings import SEED
from masksclf.core.schema import NOISE_LABEL
from masksclf.data.datablock import read_labels_csv, split_labels
from masksclf.data.sample_data import make_sample_data
from masksclf.learning.model import install_offline_weights

PLAIN, TOP1 = Path(__file__).parent/'plain_recipe.py', {'facemask', 'sample', 'faces3'}

def faces3(out:Path, margin=.25, least=12) -> tuple[Path, pd.DataFrame]:
    "Every annotated face of `multimask` at least `least` px wide, cut out with `margin` of its side around it, as `out/images`, and its labels with its photo as group."
    boxes, rows = pd.read_csv(MULTIMASK/'boxes.csv'), []
    (out/'images').mkdir(parents=True, exist_ok=True)
    for fname, faces in boxes.groupby('fname', sort=True):
        img = None
        for i, f in enumerate(faces.itertuples()):
            w, h = f.xmax - f.xmin, f.ymax - f.ymin
            if min(w, h) < least: continue
            name = f"images/{Path(fname).stem}_{i:03d}.jpg"
            if not (out/name).exists():
                img = img or load_image(MULTIMASK/fname)
                crop = img.crop((f.xmin - margin*w, f.ymin - margin*h, f.xmax + margin*w, f.ymax + margin*h))
                crop.save(out/name, quality=95)
            rows.append((name, f.label, fname))
    return out, pd.DataFrame(rows, columns=['fname', 'labels', 'group'])

def dataset(name, out:Path) -> tuple[Path, pd.DataFrame]:
    "The photos' folder and labels (`fname`, `labels`, `group`) of the data set `name`."
    if name == 'faces3': return faces3(out/'faces3')
    if name == 'sample':
        csv = make_sample_data(out/'sample', 1700, seed=0)
        df = read_labels_csv(csv); return csv.parent, df.assign(group=np.arange(len(df)))
    root = {'facemask': FACEMASK, 'multimask': MULTIMASK}[name]
    df = read_labels_csv(root/'labels.csv')
    return root, df.assign(group=near_duplicate_groups(list(df.fname), root))

def split(df, seed) -> tuple[pd.DataFrame, pd.DataFrame]:
    "The training photos (with `is_valid`) and the held-out test photos of `df`, whole groups on one side."
    test = draw_groups(df.group.to_numpy(), .2, seed)
    rest = df[~test].reset_index(drop=True)
    return rest.assign(is_valid=draw_groups(rest.group.to_numpy(), .2, seed + 1))[['fname', 'labels', 'is_valid']], df[test][['fname', 'labels']]

def scores(truth:list, predicted:list, probs:np.ndarray, vocab:list, top1:bool) -> dict:
    "Macro F1 of the label sets (scikit-learn's, every class of `vocab`) and, with `top1`, how often the most probable class of `probs` is one of the true labels."
    mlb = MultiLabelBinarizer(classes=vocab).fit([vocab])
    res = {'f1_macro': f1_score(mlb.transform(truth), mlb.transform(predicted), average='macro', zero_division=0)}
    if top1: res['top1'] = float(np.mean([vocab[i] in t for i, t in zip(probs.argmax(1), truth)]))
    return res

def score_plain(out, test, top1) -> dict:
    "The plain recipe's scores on `test`, from what `plain_recipe.py` wrote to `out`."
    r = json.loads((out/'plain.json').read_text())
    probs, vocab = np.array(r['test']['probs']), r['vocab']
    predicted = [[v for v, p in zip(vocab, row) if p > .5] for row in probs]
    return {'epochs': len(r['epochs']), **scores([split_labels(l) for l in test.labels], predicted, probs, vocab, top1)}

def run_plain(train_csv, test, root, seed, out, top1) -> dict:
    subprocess.run([sys.executable, str(PLAIN), str(train_csv), str(root), '--seed', str(seed), '--out', str(out/'plain.json'), '--test', str(out/'test.csv')], check=True)
    return score_plain(out, test, top1)

def score_masksclf(out, root, test, top1) -> dict:
    "masksclf's scores on `test`, from its run and predictions in `out`: the labels it gives, and the noise label where its probability passes its threshold (the demo's scoring)."
    m, preds = json.loads((out/'masksclf'/'metrics.json').read_text()), {str(Path(p['item']).resolve()): p for p in json.loads((out/'predictions.json').read_text())}
    vocab, rows = m['vocab'], [preds[str((Path(root)/f).resolve())] for f in test.fname]
    probs = np.array([[r['probs'][v] if r['probs'][v] is not None else 0. for v in vocab] for r in rows])
    noise = [[NOISE_LABEL] if NOISE_LABEL in vocab and (r['probs'][NOISE_LABEL] or 0) > r['thresholds'][NOISE_LABEL] else [] for r in rows]
    return {'epochs': m['epochs_run'], **scores([split_labels(l) for l in test.labels], [r['labels'] + n for r, n in zip(rows, noise)], probs, vocab, top1)}

def run_masksclf(train_csv, test, root, seed, out, top1, extra=()) -> dict:
    run = out/'masksclf'
    with tempfile.TemporaryDirectory() as cache:
        subprocess.run([sys.executable, '-m', 'masksclf', 'train', '--csv', str(train_csv), '--images', str(root), '--out', str(run), '--seed', str(seed),
                        '--cache', cache, '--overwrite', '--quiet', *extra], check=True)
    wall = time.perf_counter()
    subprocess.run([sys.executable, '-m', 'masksclf', 'predict', str(run/'model.pkl'), str(out/'test.csv'), '--images', str(root), '--out', str(out/'predictions.json'),
                    '--quiet'], check=True)
    return {'predict_s': time.perf_counter() - wall, **score_masksclf(out, root, test, top1)}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', nargs='+', choices=['facemask', 'multimask', 'sample', 'faces3'], default=['facemask', 'multimask', 'sample', 'faces3'])
    p.add_argument('--recipes', nargs='+', choices=['plain', 'masksclf'], default=['plain', 'masksclf'])
    p.add_argument('--seed', type=SEED, default=42)
    p.add_argument('--out', default='runs/bench_defaults')
    p.add_argument('--score-only', action='store_true', help='train nothing: score again what an earlier run of this bench wrote to --out')
    p.add_argument('--masksclf-args', nargs=argparse.REMAINDER, default=[], help='more options of masksclf train, e.g. --epochs 2')
    a = p.parse_args()
    install_offline_weights()
    print(f"machine: {os.cpu_count()} CPU cores; each recipe in a new process; seed {a.seed}; masksclf train {' '.join(a.masksclf_args) or 'with its defaults'}", flush=True)
    print(f"{'data':<10}{'recipe':<10}{'train':>6}{'valid':>6}{'test':>6}{'wall s':>8}{'epochs':>7}{'F1':>8}{'top-1':>8}  (load average before the run)", flush=True)
    results, earlier = [], (pd.read_json(Path(a.out)/'bench.json').set_index(['data', 'recipe']) if a.score_only else None)
    for name in a.data:
        out = Path(a.out)/name
        out.mkdir(parents=True, exist_ok=True)
        root, df = dataset(name, Path(a.out))
        train, test = split(df, a.seed)
        if not a.score_only: train.to_csv(out/'train.csv', index=False); test.to_csv(out/'test.csv', index=False)
        for recipe in a.recipes:
            load, t0 = os.getloadavg()[0], time.perf_counter()
            if a.score_only:
                r = score_plain(out, test, name in TOP1) if recipe == 'plain' else score_masksclf(out, root, test, name in TOP1)
                wall, load = earlier.loc[(name, recipe), 'wall'], float('nan')
            else:
                run = run_plain if recipe == 'plain' else lambda *args: run_masksclf(*args, extra=a.masksclf_args)
                r = run(out/'train.csv', test, root, a.seed, out, name in TOP1)
                wall = time.perf_counter() - t0 - r.get('predict_s', 0)
            results.append({'data': name, 'recipe': recipe, 'wall': wall, **r})
            top1 = f"{r['top1']:8.3f}" if 'top1' in r else f"{'-':>8}"
            print(f"{name:<10}{recipe:<10}{(~train.is_valid).sum():6}{train.is_valid.sum():6}{len(test):6}{wall:8.0f}{r['epochs']:7}{r['f1_macro']:8.3f}{top1}  ({load:.1f})", flush=True)
    res = pd.DataFrame(results)
    if not a.score_only: (Path(a.out)/'bench.json').write_text(res.to_json(orient='records', indent=1))
    if set(a.recipes) == {'plain', 'masksclf'}:
        w = res.pivot(index='data', columns='recipe', values=['wall', 'f1_macro'])
        print('\nmasksclf against plain, on the held-out photos:')
        for d, r in w.iterrows():
            print(f"{d:<10} time {r[('wall', 'masksclf')] / r[('wall', 'plain')]:.2f}x   macro F1 {r[('f1_macro', 'masksclf')]:.3f} against {r[('f1_macro', 'plain')]:.3f} "
                  f"({r[('f1_macro', 'masksclf')] - r[('f1_macro', 'plain')]:+.3f})")

if __name__ == '__main__': sys.exit(main())
