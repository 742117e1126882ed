"""Training speed: the plain fastai recipe against `masksclf train` with its defaults, side by side in one run.

    .venv/bin/python bench/bench_train_speed.py [--data facemask multimask] [--seed 42] [--out runs/bench_train_speed]

For each data set (default: both real-photo sets in ../shared/datasets), on the same seeded 20% validation split:

- plain: what a fastai user writes by hand. A `DataBlock` with `Resize(224)` and `aug_transforms(size=160)`,
  `vision_learner` on mobilenet_v2 (ImageNet weights), `lr_find` (100 iterations), `fine_tune(2)` at its `valley`,
  batch size 32, float32. It imports masksclf only for fastai's `model_meta` entry for mobilenet_v2 and the offline weights.
- masksclf: `train_job` exactly as `masksclf train --csv labels.csv --images DATA` runs it, with a fresh presize cache,
  so its wall time includes decoding every photo and writing every output (models, ONNX, plots, report).

Prints wall time, lr_find's share, time per epoch, training images per second, and accuracy_multi, macro F1 and exact
match at 0.5 on the validation photos (masksclf's at its per-class thresholds too), then the ratios.
"""
import argparse, json, os, sys, tempfile, time
from pathlib import Path
import numpy as np, torch
# fastai's model_meta for mobilenet_v2, with ImageNet weights from the installed package; imported before fastai, as masksclf
# silences torch's deprecation notice for the `torch.jit.script` that fastai calls on import
import masksclf.model  # noqa: F401
from fastai.vision.all import (DataBlock, ImageBlock, MultiCategoryBlock, ColReader, RandomSplitter, Resize, aug_transforms,
                               vision_learner, accuracy_multi, F1ScoreMulti, Callback, set_seed)
from torchvision.models import mobilenet_v2
from masksclf.pipeline import train_job, TrainSettings, prepare_data
from masksclf.thresholds import multilabel_scores
from masksclf.files import FACEMASK, MULTIMASK, SEED

DATASETS = {'facemask': FACEMASK, 'multimask': MULTIMASK}

class Clock(Callback):
    "The wall time of each training epoch (not lr_find's) and when lr_find ended."
    def __init__(self): self.epochs, self.lr_find_end, self.t = [], None, None
    def before_train(self): self.t = time.perf_counter()
    def after_epoch(self):
        if self.t is None or hasattr(self.learn, 'lr_finder'): return  # `get_preds` also calls `after_epoch`, with no `before_train`
        self.epochs.append(time.perf_counter() - self.t); self.t = None
    def after_fit(self):
        if hasattr(self.learn, 'lr_finder'): self.lr_find_end = time.perf_counter()

def plain_recipe(df, root, seed) -> dict:
    "The fastai recipe by hand; its times and validation scores at 0.5."
    t0 = time.perf_counter()
    set_seed(seed, reproducible=True)
    dblock = DataBlock(blocks=(ImageBlock, MultiCategoryBlock), get_x=ColReader('fname', pref=f'{root}{os.sep}'),
                       get_y=ColReader('labels', label_delim=' '), splitter=RandomSplitter(0.2, seed=seed),
                       item_tfms=Resize(224), batch_tfms=aug_transforms(size=160))
    dls = dblock.dataloaders(df, bs=32)
    learn = vision_learner(dls, mobilenet_v2, metrics=[accuracy_multi, F1ScoreMulti(average='macro')], cbs=(clock := Clock()))
    with learn.no_bar(), learn.no_logging():
        lr = learn.lr_find(show_plot=False).valley
        learn.fine_tune(2, lr)
        train_end = time.perf_counter()
        probs, targets = learn.get_preds()
    s = multilabel_scores(probs, targets, .5)
    return {'wall': time.perf_counter() - t0, 'train': train_end - t0, 'lr_find': clock.lr_find_end - t0, 'epochs': clock.epochs,
            'n_train': len(dls.train_ds), 'n_valid': len(dls.valid_ds), 'vocab': list(dls.vocab), 'at_0.5': s, 'at_thresholds': None}

def masksclf_defaults(root, out) -> dict:
    "`masksclf train --csv labels.csv --images root --out out`, every line it logs timed."
    t0, stamps = time.perf_counter(), []
    def log(line): stamps.append((time.perf_counter() - t0, line))
    with tempfile.TemporaryDirectory() as cache:
        m = train_job(root/'labels.csv', root, out, cache=cache, progress=False, overwrite=True, log=log)
    wall = time.perf_counter() - t0
    start = next(t for t, l in stamps if l.startswith('training '))
    found = next((t for t, l in stamps if l.startswith('lr_find suggests')), start)
    ends = [t for t, l in stamps if l.startswith('epoch ')]
    return {'wall': wall, 'train': m.seconds['validate'] + m.seconds['train'], 'lr_find': found, 'epochs': list(np.diff([found, *ends])),
            'n_train': m.n_train, 'n_valid': m.n_valid, 'vocab': m.vocab, 'at_0.5': m.valid['at_0.5'],
            'at_thresholds': m.valid['at_class_thresholds'], 'settings': {**m.settings, 'epochs': m.epochs}}

def row(name, r) -> str:
    per_epoch = np.mean(r['epochs'])
    ips = r['n_train'] * len(r['epochs']) / sum(r['epochs'])
    s, t = r['at_0.5'], r['at_thresholds']
    thr = f"{t['f1_macro']:>12.4f}" if t else f"{'-':>12}"
    return (f"{name:<10}{r['wall']:>8.0f}{r['lr_find']:>9.0f}{len(r['epochs']):>8}{per_epoch:>11.1f}{ips:>9.1f}"
            f"{s['accuracy_multi']:>11.4f}{s['f1_macro']:>10.4f}{s['accuracy_exact']:>9.4f}{thr}")

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', nargs='+', choices=list(DATASETS), default=list(DATASETS))
    p.add_argument('--seed', type=SEED, default=TrainSettings.seed)
    p.add_argument('--out', default='runs/bench_train_speed')
    args = p.parse_args()
    print(f"machine: {os.cpu_count()} CPU cores, torch {torch.__version__} with {torch.get_num_threads()} threads, "
          f"{'GPU ' + torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU'}; masksclf defaults {TrainSettings()}", flush=True)
    results = {}
    for name in args.data:
        root = DATASETS[name]
        df, _ = prepare_data(root/'labels.csv', root, tempfile.mkdtemp(), log=lambda *a: None)
        df = df.assign(labels=df.labels.fillna(''))
        results[name] = {'plain': plain_recipe(df, root, args.seed), 'masksclf': masksclf_defaults(root, Path(args.out)/name)}
        r = results[name]
        print(f"\n{name}: {r['plain']['n_train']} training, {r['plain']['n_valid']} validation photos, classes {r['plain']['vocab']}")
        print(f"{'':<10}{'wall s':>8}{'lr_find':>9}{'epochs':>8}{'s/epoch':>11}{'img/s':>9}{'acc_multi':>11}{'F1 macro':>10}{'exact':>9}{'F1 at thr':>12}")
        print(row('plain', r['plain'])); print(row('masksclf', r['masksclf']))
        pl, ms = r['plain'], r['masksclf']
        print(f"masksclf / plain: wall time {ms['wall']/pl['wall']:.2f}x ({pl['wall']/ms['wall']:.2f}x faster), "
              f"macro F1 at 0.5 {ms['at_0.5']['f1_macro'] - pl['at_0.5']['f1_macro']:+.4f}", flush=True)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    json.dump(results, open(Path(args.out)/'bench.json', 'w'), indent=2, default=float)

if __name__ == '__main__': sys.exit(main())
