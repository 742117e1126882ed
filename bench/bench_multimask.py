"""Quality and time of `masksclf train` on real group photos, both routes, on several seeded splits, and on photos of a second source.

    .venv/bin/python bench/bench_multimask.py [--seeds 42 7] [--routes image faces boxes] [--face-labels bags single] [--poolings noisy_or]
        [--data ../shared/datasets/multimask] [--second-source PATH] [--face SETTING=VALUE ...] [--train SETTING=VALUE ...] [--out runs/bench_multimask]

For each route and seed, in its own fresh process, runs `train_job` exactly as `masksclf train --csv labels.csv --images
DATA --seed SEED --route ROUTE` does (no other flag: `TrainSettings`' defaults; `--route auto`, the default, picks
`faces` on these photos), with a fresh presize and face cache, so the wall time includes decoding every photo once
(and, for the faces route, finding every photo's faces) and writing every output. Prints, on that seed's 20% validation
split, F1 per class, macro F1 and exact match (every label of a photo right) at the per-class thresholds the run exports,
macro F1 at 0.5, and the wall time; then the mean over the seeds of each route, against the bars of the group-photo
issue: macro F1 >= 0.85, every class >= 0.70, within 10 minutes. The thresholds are chosen on the same validation
photos they are scored on, as every run's report does. `--face-labels bags single` runs the faces route once per way of
learning faces from photo labels (`--face-labels`), `--poolings max noisy_or lse mean` once per training pooling
(`--pooling`); `--face margin=0.4` finds and cuts faces with those settings (`masksclf train --face-margin 0.4`), `--train max_minutes=6` trains with those (`masksclf train --max-minutes 6`). The `boxes` route is the faces route trained from the annotated faces of `boxes.csv` (`masksclf train
--boxes boxes.csv`), scored on the same photos through the detector's faces; it also prints the face classifier's macro
F1 at 0.5 on the validation photos' annotated faces.

With `--second-source PATH` (a folder with `labels.csv` of the same classes, photos of another source), each exported
`model.onnx` also predicts every photo there, at the thresholds it exports (chosen on multimask's validation photos), and
the same scores are printed for those photos: how the model does on the next photos, which no split of one source shows.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd, torch
from sklearn.metrics import f1_score
from masksclf.runs.pipeline import train_job, TrainSettings
from masksclf.core.files import MULTIMASK
from dataclasses import fields
from masksclf.core.settings import SEED, ROUTES, FACE_LABELS, POOLINGS, FaceSettings
from masksclf.core.onnx_predict import load_onnx, predict_rows
from masksclf.data.datablock import read_labels_csv, split_labels

def label_scores(truth:list, predicted:list, vocab:list) -> dict:
    "F1 per class, macro F1 and exact match of `predicted` label sets against `truth`, by sklearn."
    t = np.array([[v in s for v in vocab] for s in truth]); p = np.array([[v in s for v in vocab] for s in predicted])
    per = f1_score(t, p, average=None, zero_division=0.)
    return {**dict(zip(vocab, per.tolist())), 'f1_macro': float(per.mean()), 'exact_match': float((t == p).all(1).mean())}

def score_source(model:Path, data:Path) -> dict:
    "`model`'s scores on every photo of `data` (its `labels.csv`), at its exported thresholds, and the milliseconds a photo."
    df = read_labels_csv(data/'labels.csv')
    predictor = load_onnx(model)
    t0 = time.perf_counter()
    rows = predict_rows(predictor, [data/f for f in df.fname])
    ms = (time.perf_counter() - t0) / len(df) * 1000
    bad = [r['item'] for r in rows if r['error']]
    if bad: raise SystemExit(f"{len(bad)} photos of {data} could not be read, e.g. {bad[0]}")
    vocab = [v for v in predictor.vocab if v != predictor.noise_label]
    s = label_scores([set(split_labels(l)) for l in df.labels], [set(r['labels'].split()) for r in rows], vocab)
    return {**s, 'no_face': float(np.mean([r['judged'] == 'no face' for r in rows])), 'ms_per_photo': ms}

def _setting_value(f, v:str):
    "`v` as a value of the settings field `f`: of its bound's kind, `true` or `false` for a flag, else the text (`Settings` checks its choices)."
    if f.metadata.get('bound'): return f.metadata['bound'].kind(v)
    if isinstance(f.default, bool):
        if v.lower() not in ('true', 'false'): raise SystemExit(f"{f.name}={v}: expected true or false")
        return v.lower() == 'true'
    return v

def settings_from_pairs(cls, pairs:list) -> dict:
    "The `SETTING=VALUE` pairs of `--face` or `--train` as keywords of the settings class `cls`, each of its declared kind."
    named = {f.name: f for f in fields(cls)}
    pairs = [p.split('=', 1) for p in pairs]
    unknown = [k for k, _ in pairs if k not in named]
    if unknown: raise SystemExit(f"not settings of {cls.__name__}: {unknown}")
    return {k: _setting_value(named[k], v) for k, v in pairs}

def face_settings(pairs:list) -> FaceSettings: return FaceSettings(**settings_from_pairs(FaceSettings, pairs))

def run(data:Path, out:Path, seed:int, route:str, pooling:str, face_labels:str, second:Path|None, faces:FaceSettings=FaceSettings(), train:dict|None=None) -> dict:
    "One `masksclf train --route ROUTE` (or `--boxes boxes.csv`) run with the defaults on the split of `seed`: its scores at the exported thresholds and its wall time."
    t0 = time.perf_counter()
    boxes = {'boxes': data/'boxes.csv', 'route': 'faces'} if route == 'boxes' else {'route': route}
    with tempfile.TemporaryDirectory() as cache:
        m = train_job(data/'labels.csv', data, out, seed=seed, pooling=pooling, face_labels=face_labels, faces=faces, cache=Path(cache)/'presize', progress=False, **(train or {}),
                      overwrite=True, log=lambda s: print(f"[{time.perf_counter()-t0:6.0f}s] {route} seed {seed}: {s}", file=sys.stderr, flush=True), **boxes)
    wall = time.perf_counter() - t0
    f1 = pd.read_csv(out/'class_report.csv', index_col='class').f1
    at_thr = m.valid['at_class_thresholds']
    faces = {'faces_f1_macro_0.5': m.boxes['at_0.5']['f1_macro']} if m.boxes else {}
    name = m.route if m.route == 'image' else route if route == 'boxes' else f"faces {face_labels} {pooling}"
    row = {'route': name, 'seed': seed, **f1.to_dict(), 'f1_macro': at_thr['f1_macro'], 'exact_match': at_thr['accuracy_exact'],
           'f1_macro_0.5': m.valid['at_0.5']['f1_macro'], 'lr': m.lr, 'epochs': m.epochs_run, **faces, 'minutes': wall / 60}
    if second is not None: row['second'] = score_source(Path(m.onnx_model), second)
    return row

def summary(table:pd.DataFrame, classes:list, seeds, what:str, bars:tuple):
    "The runs' table and each route's mean over the seeds, against the bars (macro F1, every class)."
    print(f"\n{what}: F1 per class, macro F1 and exact match at the exported thresholds")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    for route, t in table.groupby('route', sort=False):
        mean = t.drop(columns=['route', 'seed']).mean()
        worst = min(classes, key=lambda c: mean[c])
        print(f"{route}, {what}, mean over seeds {seeds}: " + '  '.join(f"{c} {mean[c]:.3f}" for c in classes) +
              f"  macro {mean.f1_macro:.3f}  exact {mean.exact_match:.3f}; bars: macro F1 >= {bars[0]}: {mean.f1_macro >= bars[0]};  "
              f"every class >= {bars[1]}: {all(mean[c] >= bars[1] for c in classes)} (lowest {worst} {mean[worst]:.3f})"
              + (f";  slowest run {t.minutes.max():.1f} min <= 10: {t.minutes.max() <= 10}" if 'minutes' in t else ''), flush=True)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default=str(MULTIMASK))
    p.add_argument('--seeds', type=SEED, nargs='+', default=[42, 7])
    p.add_argument('--routes', nargs='+', choices=[*ROUTES, 'boxes'], default=['image', 'faces'])
    p.add_argument('--face-labels', nargs='+', choices=FACE_LABELS, default=[TrainSettings.face_labels])
    p.add_argument('--poolings', nargs='+', choices=POOLINGS, default=[TrainSettings.pooling])
    p.add_argument('--second-source', default=None, help='a folder of photos of another source with labels.csv, scored by every model')
    p.add_argument('--face', nargs='*', default=[], metavar='SETTING=VALUE', help='face settings other than the defaults, e.g. margin=0.4 (FaceSettings)')
    p.add_argument('--train', nargs='*', default=[], metavar='SETTING=VALUE', help='training settings other than the defaults, e.g. max_minutes=6 (TrainSettings)')
    p.add_argument('--out', default='runs/bench_multimask')
    p.add_argument('--one', action='store_true', help=argparse.SUPPRESS)
    args = p.parse_args()
    data, out, second = Path(args.data), Path(args.out), args.second_source and Path(args.second_source)
    if args.one:
        print(json.dumps(run(data, out, args.seeds[0], args.routes[0], args.poolings[0], args.face_labels[0], second, face_settings(args.face), settings_from_pairs(TrainSettings, args.train)), default=float)); return
    print(f"machine: {os.cpu_count()} CPU cores, torch {torch.__version__} with {torch.get_num_threads()} threads, "
          f"{'GPU ' + torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU'}, load average {os.getloadavg()[0]:.1f}; "
          f"photos in {data}; second source {second}; defaults {TrainSettings()}; face settings {face_settings(args.face)}; training settings {settings_from_pairs(TrainSettings, args.train)}", flush=True)
    rows = []
    runs = [(r, p, l) for r in args.routes for p in (args.poolings if r in ('faces', 'boxes') else [TrainSettings.pooling])
            for l in (args.face_labels if r == 'faces' else [TrainSettings.face_labels])]
    for route, pooling, labels in runs:
        for seed in args.seeds:
            name = '-'.join([route] + ([labels] if route == 'faces' and len(args.face_labels) > 1 else []) + ([pooling] if route != 'image' and len(args.poolings) > 1 else []))
            cmd = [sys.executable, __file__, '--one', '--data', str(data), '--seeds', str(seed), '--routes', route, '--poolings', pooling,
                   '--face-labels', labels, '--out', str(out/f'{name}-seed{seed}')] + (['--second-source', str(second)] if second else []) + (['--face', *args.face] if args.face else []) + (['--train', *args.train] if args.train else [])
            rows.append(json.loads(subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines()[-1]))
            print(json.dumps(rows[-1]), flush=True)
    table = pd.DataFrame([{k: v for k, v in r.items() if k != 'second'} for r in rows])
    classes = [c for c in table.columns if c not in ('route', 'seed', 'f1_macro', 'exact_match', 'f1_macro_0.5', 'lr', 'epochs', 'faces_f1_macro_0.5', 'minutes')]
    summary(table, classes, args.seeds, f'{data.name}, validation split', (.85, .7))
    if second:
        other = pd.DataFrame([{'route': r['route'], 'seed': r['seed'], **r['second']} for r in rows])
        summary(other, classes, args.seeds, f'{second.name}, every photo', (.8, .6))
    out.mkdir(parents=True, exist_ok=True)
    json.dump({'seeds': args.seeds, 'runs': rows}, open(out/'bench.json', 'w'), indent=2, default=float)

if __name__ == '__main__': sys.exit(main())
