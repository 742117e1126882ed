"""A validation split that keeps near-duplicate photos on one side.

`facemask` holds augmented copies of its own photos (files named `augmented_image_N` or `... copy N`, and photos whose
thumbnails are identical, some mirrored). A seeded random split puts copies of one photo on both sides, so the
validation score measures memory as much as learning. Here photos are grouped when their 8x8 average hashes are equal,
either way round (a photo and its mirror image), or when their names differ only by a ` copy N` suffix; whole groups are
then drawn into the validation set.
"""
import re
import numpy as np, pandas as pd
from PIL import Image
from masksclf.core.images import load_image

def average_hashes(path, side=8) -> tuple:
    "The `side`x`side` average hash of the photo at `path` and of its mirror image, as two integers."
    grey = np.asarray(load_image(path).convert('L').resize((side, side), Image.Resampling.BOX), dtype=np.float32)
    bits = grey > grey.mean()
    return tuple(int(''.join('1' if b else '0' for b in o.ravel()), 2) for o in (bits, bits[:, ::-1]))

def _root(parent, i):
    while parent[i] != i: parent[i] = parent[parent[i]]; i = parent[i]
    return i

def near_duplicate_groups(fnames, root) -> np.ndarray:
    "A group number for each of `fnames` (under `root`): photos with the same average hash (mirror included) or the same name but for a ` copy N` suffix share one."
    parent, first = list(range(len(fnames))), {}
    def join(i, key):
        if key in first: parent[_root(parent, i)] = _root(parent, first[key])
        else: first[key] = i
    for i, f in enumerate(fnames):
        h, mirrored = average_hashes(root/f)
        join(i, ('hash', h)); join(i, ('hash', mirrored))
        join(i, ('name', re.sub(r'\s*copy\s*\d*(?=\.\w+$)', '', str(f), flags=re.I)))
    roots = [_root(parent, i) for i in range(len(fnames))]
    return pd.factorize(pd.Series(roots))[0]

def draw_groups(groups:np.ndarray, pct:float, seed:int) -> np.ndarray:
    "A mask of the rows in whole `groups` drawn at random (`seed`) until they hold `pct` of the rows."
    order, sizes, chosen, n = np.random.default_rng(seed).permutation(np.unique(groups)), pd.Series(groups).value_counts(), set(), 0
    for g in order:
        if n >= pct * len(groups): break
        chosen.add(g); n += sizes[g]
    return np.isin(groups, list(chosen))

def grouped_split(df, root, valid_pct=0.2, seed=42) -> pd.DataFrame:
    "`df` with `group` and `is_valid`: whole near-duplicate groups drawn at random (`seed`) into validation until it holds `valid_pct` of the photos."
    df = df.assign(group=near_duplicate_groups(list(df.fname), root))
    return df.assign(is_valid=draw_groups(df.group.to_numpy(), valid_pct, seed))

def describe_groups(df) -> str:
    "How many photos share a group with another, in how many groups."
    sizes = df.group.value_counts()
    shared = sizes[sizes > 1]
    return f"{len(df)} photos in {len(sizes)} groups; {shared.sum()} photos share a group with another ({len(shared)} groups, largest {sizes.max()})"
