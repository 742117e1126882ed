"""Write `data/group_photos/`, the demo's real group photos: a seeded subset of `multimask` (CC0 1.0), its labels and face boxes.

    .venv/bin/python tools/make_group_photos.py [--src ../shared/datasets/multimask] [--n 300] [--n-test 60] [--seed 0]

Photos are drawn at random within each label set (`with_mask`, `with_mask without_mask`, ...), each set in proportion
to its share of the source, so the subset holds the source's mix of crowds, close-ups and rare states; `--n-test` of
them, drawn the same way, are the demo's unseen test photos. Each photo is re-encoded as JPEG quality 85 at its own
size (the faces are small already: shrinking would hide them from the detector). Writes `images/`, `train.csv` and
`test.csv` (`fname,labels`), `train_boxes.csv` (the training photos' faces, `fname,label,xmin,ymin,xmax,ymax`) and
`README.md` with the source and licence. Run once; the result is committed.
"""
import argparse, shutil
from pathlib import Path
import numpy as np, pandas as pd
from PIL import Image

def stratified(df:pd.DataFrame, n:int, seed:int) -> pd.DataFrame:
    "`n` rows of `df` drawn at random within each label set, in proportion to its share (largest remainders)."
    rng, sets = np.random.default_rng(seed), df.groupby('labels')
    share = sets.size() * n / len(df)
    k = np.floor(share).astype(int)
    k[(share - k).sort_values(ascending=False).index[:n - k.sum()]] += 1
    return pd.concat([g.iloc[rng.permutation(len(g))[:k[name]]] for name, g in sets]).sort_values('fname')

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--src', default=str(Path(__file__).resolve().parents[2]/'shared'/'datasets'/'multimask'))
    p.add_argument('--dest', default=str(Path(__file__).resolve().parents[1]/'data'/'group_photos'))
    p.add_argument('--n', type=int, default=300); p.add_argument('--n-test', type=int, default=60); p.add_argument('--seed', type=int, default=0)
    args = p.parse_args()
    src, dest = Path(args.src), Path(args.dest)
    labels, boxes = pd.read_csv(src/'labels.csv', keep_default_na=False), pd.read_csv(src/'boxes.csv')
    chosen = stratified(labels, args.n, args.seed)
    test = stratified(chosen, args.n_test, args.seed + 1)
    train = chosen[~chosen.fname.isin(test.fname)]
    shutil.rmtree(dest, ignore_errors=True); (dest/'images').mkdir(parents=True)
    for f in chosen.fname:
        with Image.open(src/f) as im: im.convert('RGB').save(dest/'images'/Path(f).name, quality=85)
    rename = lambda df: df.assign(fname=df.fname.map(lambda f: f"images/{Path(f).name}"))
    rename(train[['fname', 'labels']]).to_csv(dest/'train.csv', index=False)
    rename(test[['fname', 'labels']]).to_csv(dest/'test.csv', index=False)
    rename(boxes[boxes.fname.isin(train.fname)]).to_csv(dest/'train_boxes.csv', index=False)
    mb = sum(f.stat().st_size for f in (dest/'images').iterdir()) / 2**20
    (dest/'README.md').write_text(f"""# Group photos for the demo

{len(chosen)} real photos, many of groups, each labelled with the set of mask states of the people in it (`with_mask`,
`without_mask`, `mask_weared_incorrect`): `train.csv` ({len(train)} photos) and `test.csv` ({len(test)} unseen test
photos), `fname,labels`, and the training photos' faces in `train_boxes.csv` (`fname,label,xmin,ymin,xmax,ymax`,
{boxes.fname.isin(train.fname).sum()} faces). `masksclf demo` trains the faces route on them.

From the "Face Mask Detection" data set by Larxel (andrewmvd, on Kaggle), released under **CC0 1.0 Universal** (public
domain dedication): https://creativecommons.org/publicdomain/zero/1.0/. A seeded subset drawn in proportion to each
label set (`tools/make_group_photos.py --seed {args.seed}`), the per-face PASCAL VOC boxes of the source turned into
image-level label sets and a boxes CSV, each photo re-encoded as JPEG quality 85 at its own size ({mb:.1f} MB in all).
""")
    print(f"{dest}: {len(train)} training and {len(test)} test photos, {mb:.1f} MB")

if __name__ == '__main__': main()
