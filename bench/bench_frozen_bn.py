"""A frozen epoch's cost with fastai's default `train_bn=True` against `train_bn=False`, unfrozen alongside, each in a fresh process.

    .venv/bin/python bench/bench_frozen_bn.py [--n 512] [--rounds 2]

fastai keeps the BatchNorm layers of a frozen pretrained body trainable (`train_bn=True`). They are spread through the
whole body, so every frozen batch still runs the backward pass through all of it. With `train_bn=False` nothing in the
body needs a gradient, and the backward pass stops at the head.

Each recipe is one `masksclf` mobilenet_v2 learner (ImageNet weights, 128 px, batch size 32, presize cache filled
beforehand, trained as `masksclf train` trains: `fast_training`) on `--n` real photos of ../shared/datasets/facemask, timing one epoch (`fit(1)`, training and validation) after
a warm-up epoch that fills the cache:
- frozen, train_bn=True (fastai's default);
- frozen, train_bn=False (masksclf's default);
- unfrozen, for scale.
Each runs in a new Python process, in the order above and then reversed, `--rounds` times. The script prints every
run, each recipe's median seconds per batch, and the ratios of the medians.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

RECIPES = {'frozen, train_bn=True': dict(frozen=True, train_bn=True), 'frozen, train_bn=False': dict(frozen=True, train_bn=False),
           'unfrozen': dict(frozen=False, train_bn=False)}

def one_run(recipe, n, cache) -> float:
    "Seconds per batch of one training epoch of `recipe` on `n` photos."
    import torch
    from masksclf.data.datablock import read_labels_csv, mask_dataloaders, PresizeCache
    from masksclf.learning.model import mask_learner
    from masksclf.learning.devices import fast_training
    from masksclf.core.files import FACEMASK
    from masksclf.core.settings import TrainSettings
    df = read_labels_csv(FACEMASK/'labels.csv').sample(n, random_state=0)
    s = TrainSettings(train_bn=RECIPES[recipe]['train_bn'])
    dls = mask_dataloaders(df, FACEMASK, settings=s, cache=PresizeCache(s.presize, cache))
    learn = mask_learner(dls, s)
    if not RECIPES[recipe]['frozen']: learn.unfreeze()
    with learn.no_bar(), learn.no_logging(), fast_training(learn):
        learn.fit(1, 1e-3, cbs=[])  # warm-up epoch: fills the presize cache the first time, settles the allocator
        t = time.perf_counter(); learn.fit(1, 1e-3)
    return (time.perf_counter() - t) / (len(dls.train) + len(dls.valid))

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=512); p.add_argument('--rounds', type=int, default=2)
    p.add_argument('--recipe', choices=list(RECIPES), help=argparse.SUPPRESS); p.add_argument('--cache', help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.recipe: return print(json.dumps(one_run(a.recipe, a.n, a.cache)))
    import torch
    print(f"machine: {os.cpu_count()} CPU cores, torch {torch.__version__} with {torch.get_num_threads()} threads; {a.n} facemask photos, "
          f"mobilenet_v2 at 128 px, batch size 32; each run in a new process")
    runs = {k: [] for k in RECIPES}
    with tempfile.TemporaryDirectory() as cache:
        for r in range(a.rounds):
            for recipe in (list(RECIPES) if r % 2 == 0 else list(RECIPES)[::-1]):
                load = os.getloadavg()[0]
                out = subprocess.run([sys.executable, __file__, '--recipe', recipe, '--n', str(a.n), '--cache', cache], check=True, capture_output=True, text=True).stdout
                runs[recipe].append(json.loads(out.strip().splitlines()[-1]))
                print(f"round {r+1}  {recipe:<24}{runs[recipe][-1]*1000:8.0f} ms a batch  (load average before {load:.1f})", flush=True)
    med = {k: statistics.median(v) for k, v in runs.items()}
    for k, v in med.items(): print(f"median {k:<24}{v*1000:8.0f} ms a batch")
    base = med['frozen, train_bn=False']
    print(f"frozen train_bn=True / frozen train_bn=False: {med['frozen, train_bn=True']/base:.2f}x;  unfrozen / frozen train_bn=False: {med['unfrozen']/base:.2f}x")

if __name__ == '__main__': main()
