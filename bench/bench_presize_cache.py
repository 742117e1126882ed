"""Epoch time with the presize cache against the same run decoding the originals every epoch, side by side.

    .venv/bin/python bench/bench_presize_cache.py [--n 512] [--rounds 3] [--large 2048]

Two sets of the same `--n` real photos from ../shared/datasets/facemask (read in place, never copied into the repo):
the photos as they are (longest side <= 256 px), and the same photos enlarged to `--large` px on their longest side and
saved as JPEG in a temporary folder, standing in for phone-camera originals. For each set it builds the
`masksclf` DataLoaders twice, identical but for `cache=` (None, or a `PresizeCache` filled by one pass first), and in
each round times, for both, one training epoch of a mobilenet_v2 learner (`learn.fit(1)`) and one pass of the
training DataLoader alone (the data pipeline without the model). The order of the two alternates between rounds; the
ratio (uncached time / cached time) is taken within each round, then its median is printed.
"""
import argparse, os, statistics, sys, tempfile, time
from pathlib import Path
import torch
from PIL import Image
from masksclf.data.datablock import read_labels_csv, mask_dataloaders, PresizeCache, upright_rgb
from masksclf.learning.model import mask_learner
from masksclf.core.files import FACEMASK
from masksclf.core.settings import TrainSettings

def enlarge(df, src, dest, side):
    "Write each photo of `df` enlarged to `side` px on its longest side as JPEG under `dest`; return the new table."
    rows = []
    for i, f in enumerate(df.fname):
        with Image.open(src/f) as im: im = upright_rgb(im)
        s = side / max(im.size)
        name = f'{i:05d}.jpg'
        im.resize((round(im.width*s), round(im.height*s)), Image.BICUBIC).save(dest/name, quality=90)
        rows.append(name)
    return df.assign(fname=rows)

def timed(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default=str(FACEMASK))
    p.add_argument('--n', type=int, default=512); p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--large', type=int, default=2048); p.add_argument('--bs', type=int, default=TrainSettings.bs)
    p.add_argument('--presize', type=int, default=TrainSettings.presize); p.add_argument('--size', type=int, default=TrainSettings.size)
    args = p.parse_args()
    data = Path(args.data)
    print(f"machine: {os.cpu_count()} CPU cores, torch {torch.__version__} with {torch.get_num_threads()} threads; photos in {data}")
    df = read_labels_csv(data/'labels.csv').sample(args.n, random_state=0).reset_index(drop=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp); (tmp/'large').mkdir()
        t = time.perf_counter(); large = enlarge(df, data, tmp/'large', args.large)
        size_mb = sum(f.stat().st_size for f in (tmp/'large').iterdir()) / 2**20
        print(f"{args.n} photos; enlarged copies at {args.large} px: {size_mb:.0f} MB of JPEG, written in {time.perf_counter()-t:.0f} s")
        print(f"presize {args.presize}, size {args.size}, batch size {args.bs}, {args.rounds} rounds\n")
        results, settings = {}, TrainSettings(presize=args.presize, size=args.size, bs=args.bs, seed=0)
        for name, table, root in (('photos as they are', df, data), (f'enlarged to {args.large} px', large, tmp/'large')):
            cache = PresizeCache(args.presize, tmp/f'cache-{len(results)}')
            dls = {c: mask_dataloaders(table, root, settings=settings, cache=cache if c == 'cached' else None) for c in ('uncached', 'cached')}
            fill = timed(lambda: [None for dl in (dls['cached'].train, dls['cached'].valid) for _ in dl])
            print(f"{name}: first pass filling the cache {fill:.1f} s, cache {cache.size_bytes()/2**20:.0f} MB")
            learn = mask_learner(dls['uncached'], lr=1e-3)
            times = {(k, c): [] for k in ('epoch', 'data') for c in dls}
            for r in range(args.rounds):
                for c in (('uncached', 'cached') if r % 2 == 0 else ('cached', 'uncached')):
                    learn.dls = dls[c]
                    with learn.no_bar(), learn.no_logging(): times['epoch', c].append(timed(lambda: learn.fit(1)))
                    times['data', c].append(timed(lambda: [None for _ in dls[c].train]))
                print(f"  round {r+1}: " + ', '.join(f"{k} {c} {v[-1]:.1f}s" for (k, c), v in times.items()))
            results[name] = times
        print("\nseconds (median of rounds) and ratio uncached/cached (median of per-round ratios)")
        print(f"{'':<26}{'what':<28}{'uncached':>10}{'cached':>10}{'ratio':>8}")
        for name, times in results.items():
            for k, what in (('epoch', 'training epoch (fit 1)'), ('data', 'training data pass only')):
                u, c = times[k, 'uncached'], times[k, 'cached']
                ratio = statistics.median(a/b for a, b in zip(u, c))
                print(f"{name:<26}{what:<28}{statistics.median(u):>10.1f}{statistics.median(c):>10.1f}{ratio:>8.2f}")
    return 0

if __name__ == '__main__': sys.exit(main())
