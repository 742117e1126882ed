"""What `--route auto` sees: the share of photos in which the face detector finds two faces or more, per data set.

    .venv/bin/python bench/bench_route_choice.py [--seeds 42 7]

For `multimask` (group photos), `facemask` (close-ups) and the drawn sample set (200 images, seed 0), on 64 photos drawn
with each seed as `choose_route` draws them, prints the share of photos with two or more faces found (the faces route is
taken at a third or more) and with none.
"""
import argparse, tempfile
from pathlib import Path
import pandas as pd
from masksclf.core.faces import FaceDetector
from masksclf.core.images import load_image
from masksclf.core.files import FACEMASK, MULTIMASK
from masksclf.data.sample_data import make_sample_data
from masksclf.runs.plan import AUTO_SAMPLE, AUTO_GROUP_SHARE

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--seeds', type=int, nargs='+', default=[42, 7])
    args = p.parse_args()
    detector, tmp = FaceDetector(), Path(tempfile.mkdtemp())
    sets = [('multimask', MULTIMASK, MULTIMASK/'labels.csv'), ('facemask', FACEMASK, FACEMASK/'labels.csv'),
            ('sample', tmp/'sample', make_sample_data(tmp/'sample', n=200, seed=0))]
    for name, root, csv in sets:
        df = pd.read_csv(csv)
        for seed in args.seeds:
            n = [len(detector(load_image(root/f))) for f in df.sample(min(len(df), AUTO_SAMPLE), random_state=seed).fname]
            groups = sum(k >= 2 for k in n) / len(n)
            print(f"{name:9} seed {seed:2}: two faces or more in {groups:.0%} of {len(n)} photos, none in {sum(k == 0 for k in n) / len(n):.0%}"
                  f" -> route {'faces' if groups >= AUTO_GROUP_SHARE else 'image'}", flush=True)

if __name__ == '__main__': main()
