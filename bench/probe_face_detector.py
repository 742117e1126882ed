"""How many faces of the group photos an offline face detector finds, and how long it takes: the face-crop path of
`nbs/82_group_photo_experiments.ipynb`, measured, not adopted.

    .venv/bin/pip install --no-deps --target build/facenet facenet-pytorch==2.6.0   # its pins (torch<2.3, numpy<2) would replace torch
    .venv/bin/python bench/probe_face_detector.py [--n 150] [--seed 0]

`facenet-pytorch` is the one package in the registry whose face-detector weights ship in the package itself (MTCNN's
pnet/rnet/onet, 2 MB); it is not a dependency of masksclf. `multimask`'s labels.csv gives each photo's number of faces
(`n_faces`), so the faces found can be counted against it: overall, and in the photos that hold each label.
"""
import argparse, os, sys, time
import pandas as pd, torch
from masksclf.core.files import MULTIMASK
from masksclf.core.settings import SEED
from masksclf.core.images import load_image

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=150); p.add_argument('--seed', type=SEED, default=0)
    p.add_argument('--detector', default='build/facenet', help='where facenet-pytorch was installed with --target')
    p.add_argument('--min-face', type=int, default=12); p.add_argument('--min-prob', type=float, default=.9)
    args = p.parse_args()
    sys.path.insert(0, args.detector)
    from facenet_pytorch import MTCNN
    torch.set_num_threads(1)
    df = pd.read_csv(MULTIMASK/'labels.csv', keep_default_na=False).sample(args.n, random_state=args.seed)
    detector, rows, t0 = MTCNN(keep_all=True, device='cpu', min_face_size=args.min_face), [], time.perf_counter()
    for r in df.itertuples():
        boxes, probs = detector.detect(load_image(MULTIMASK/r.fname))
        rows.append((int(r.n_faces), 0 if boxes is None else int((probs > args.min_prob).sum()), r.labels))
    seconds = time.perf_counter() - t0
    d = pd.DataFrame(rows, columns=['n_faces', 'found', 'labels'])
    print(f"{args.n} photos, load average {os.getloadavg()[0]:.1f}: {seconds/args.n*1000:.0f} ms a photo on one thread; "
          f"faces found {d.found.sum()} of {d.n_faces.sum()} ({d.found.sum()/d.n_faces.sum():.0%}); no face found in {(d.found == 0).mean():.0%} of the photos")
    for label in sorted({l for ls in d.labels for l in ls.split()}):
        s = d[d.labels.str.split().map(lambda ls: label in ls)]
        print(f"  photos with {label}: {len(s)}, faces found {s.found.sum()} of {s.n_faces.sum()} ({s.found.sum()/s.n_faces.sum():.0%})")

if __name__ == '__main__': sys.exit(main())
