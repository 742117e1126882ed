"""The plain fastai recipe: what a fastai user writes by hand for a multi-label classifier, run as its own program.

    python bench/plain_recipe.py LABELS_CSV IMAGES --seed 42 --out result.json [--test TEST_CSV]

`LABELS_CSV` holds `fname,labels,is_valid` (labels space-separated). A `DataBlock` with `Resize(224)` and
`aug_transforms(size=160, min_scale=0.75)`, `vision_learner` on mobilenet_v2 with its ImageNet weights, batch size 32,
fastai's default data loader workers, `lr_find` (100 iterations) and `fine_tune(2)` at its valley, float32.

It imports nothing from masksclf: the ImageNet weights must already be in the torch hub cache (`bench_train_speed.py`
places them), and fastai's `model_meta` entry for mobilenet_v2 is written here as a user writes it (fastai has none).
Writes its times and its validation scores at 0.5 (scikit-learn's) to `--out`; with `--test` (a CSV of `fname`s under
`IMAGES`), also its probabilities for those photos, as `learn.get_preds` gives them on fastai's `test_dl`.
"""
import argparse, json, os, time
start = time.perf_counter()
import pandas as pd
from fastai.vision.all import *
from sklearn.metrics import accuracy_score, f1_score, hamming_loss
from torchvision.models import mobilenet_v2, MobileNet_V2_Weights

model_meta[mobilenet_v2] = {'cut': -1, 'split': default_split, 'stats': imagenet_stats, 'weights': MobileNet_V2_Weights.IMAGENET1K_V1}

class Clock(Callback):
    "The wall time of each training epoch (not lr_find's), and when lr_find ended."
    def __init__(self): self.epochs, self.lr_find_end, self.t = [], None, None
    def before_train(self): self.t = time.perf_counter()
    def after_epoch(self):
        if self.t is None or hasattr(self.learn, 'lr_finder'): return
        self.epochs.append(time.perf_counter() - self.t); self.t = None
    def after_fit(self):
        if hasattr(self.learn, 'lr_finder'): self.lr_find_end = time.perf_counter()

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('csv'); p.add_argument('images'); p.add_argument('--seed', type=int, default=42); p.add_argument('--out', required=True)
    p.add_argument('--test', help='CSV of photos (fname) to predict once trained')
    a = p.parse_args()
    imported = time.perf_counter()
    df = pd.read_csv(a.csv, keep_default_na=False)
    set_seed(a.seed, reproducible=True)
    dblock = DataBlock(blocks=(ImageBlock, MultiCategoryBlock), get_x=ColReader('fname', pref=f'{a.images}{os.sep}'),
                       get_y=ColReader('labels', label_delim=' '), splitter=ColSplitter('is_valid'),
                       item_tfms=Resize(224), batch_tfms=aug_transforms(size=160, min_scale=0.75))
    dls = dblock.dataloaders(df, bs=32)
    learn = vision_learner(dls, mobilenet_v2, metrics=[accuracy_multi, F1ScoreMulti(average='macro')], cbs=(clock := Clock()))
    t0 = time.perf_counter()
    with learn.no_bar(), learn.no_logging():
        lr = learn.lr_find(show_plot=False).valley
        learn.fine_tune(2, lr)
        trained = time.perf_counter()
        probs, targets = learn.get_preds()
    y, pred = targets.numpy().astype(bool), (probs > .5).numpy()
    scores = {'accuracy_multi': 1 - hamming_loss(y, pred), 'accuracy_exact': accuracy_score(y, pred),
              'f1_macro': f1_score(y, pred, average='macro', zero_division=1.0)}
    res = {'wall': time.perf_counter() - start, 'imports': imported - start, 'lr_find': clock.lr_find_end - t0, 'epochs': clock.epochs,
           'train': trained - t0, 'lr': lr, 'n_train': len(dls.train_ds), 'n_valid': len(dls.valid_ds), 'vocab': list(dls.vocab),
           'num_workers': dls.train.num_workers, 'torch_threads': torch.get_num_threads(), 'at_0.5': {k: float(v) for k, v in scores.items()}}
    if a.test:
        test = pd.read_csv(a.test, keep_default_na=False)
        with learn.no_bar(): test_probs = learn.get_preds(dl=dls.test_dl(test))[0]
        res['test'] = {'fname': list(test.fname), 'probs': test_probs.tolist()}
    Path(a.out).write_text(json.dumps(res, indent=1))

if __name__ == '__main__': main()
