"""Does running the plain recipe in a process that imported masksclf (as the first `bench_train_speed.py` did) slow it?

    .venv/bin/python bench/probe_plain_context.py SPLIT_CSV [--data facemask] [--rounds 1]

Times the plain recipe's `lr_find` (100 iterations, its first pass over the photos) in new processes, alternating:
`fresh`, a process that imports fastai alone; `after-masksclf`, one that first does what the first version of the
bench did before the plain recipe, `import masksclf.runs.pipeline` and `prepare_data` (every photo opened and decoded).
`SPLIT_CSV` is the `split.csv` `bench_train_speed.py` writes.
"""
import argparse, os, subprocess, sys, time
from pathlib import Path

CHILD = r'''
import os, sys, time
start = time.perf_counter()
context, labels_csv, images = sys.argv[1:4]  # `csv` would be shadowed by fastai's star import
if context == 'after-masksclf':
    import tempfile
    from masksclf.runs.pipeline import prepare_data
    prepare_data(labels_csv, images, tempfile.mkdtemp(), log=lambda *a: None)
prepared = time.perf_counter()
import pandas as pd
from fastai.vision.all import *
from torchvision.models import mobilenet_v2, MobileNet_V2_Weights
model_meta[mobilenet_v2] = {'cut': -1, 'split': default_split, 'stats': imagenet_stats, 'weights': MobileNet_V2_Weights.IMAGENET1K_V1}
df = pd.read_csv(labels_csv, keep_default_na=False)
set_seed(42, reproducible=True)
dls = DataBlock(blocks=(ImageBlock, MultiCategoryBlock), get_x=ColReader('fname', pref=f'{images}{os.sep}'), get_y=ColReader('labels', label_delim=' '),
                splitter=ColSplitter('is_valid'), item_tfms=Resize(224), batch_tfms=aug_transforms(size=160, min_scale=0.75)).dataloaders(df, bs=32)
learn = vision_learner(dls, mobilenet_v2, metrics=[accuracy_multi])
t0 = time.perf_counter()
with learn.no_bar(), learn.no_logging(): learn.lr_find(show_plot=False)
t1 = time.perf_counter()
print(f"{context}: before the recipe {prepared - start:.0f} s; lr_find {t1 - t0:.0f} s; data loader workers {dls.train.num_workers}, torch threads {torch.get_num_threads()}", flush=True)
'''

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('csv'); p.add_argument('--images', default=str(Path(__file__).resolve().parents[2]/'shared'/'datasets'/'facemask'))
    p.add_argument('--rounds', type=int, default=1)
    a = p.parse_args()
    for _ in range(a.rounds):
        for context in ('fresh', 'after-masksclf', 'after-masksclf', 'fresh'):
            load, t0 = os.getloadavg()[0], time.perf_counter()
            subprocess.run([sys.executable, '-c', CHILD, context, a.csv, a.images], check=True, stderr=subprocess.DEVNULL)
            print(f"  whole process {time.perf_counter() - t0:.0f} s (load average before: {load:.1f})", flush=True)

if __name__ == '__main__': sys.exit(main())
