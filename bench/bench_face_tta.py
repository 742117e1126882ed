"""Flip test-time augmentation on faces: the same trained face models deciding at the face from each face's probabilities, or from the
mean of the face's and its mirror image's, each with per-class thresholds chosen on the validation photos; scored on those photos and a second source.

    cd bench && ../.venv/bin/python bench_face_tta.py ../runs/bench_multimask/faces-bags-seed42 ../runs/bench_multimask/faces-bags-seed7 [--second-source PATH]

Each run folder is a faces-route run on `multimask` (as `bench_multimask.py` writes them); its `model.onnx` finds the faces of its own
validation photos once, and classifies each crop and its mirror image.
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np, pandas as pd, torch
from PIL import ImageOps
from masksclf.core.files import MULTIMASK
from masksclf.core.faces import face_crops
from masksclf.core.images import load_image
from masksclf.core.onnx_predict import load_onnx
from masksclf.data.datablock import read_labels_csv, split_labels
from masksclf.learning.thresholds import class_thresholds
from bench_multimask import label_scores
from bench_face_decision import validation_split, targets_of, photo_probs

def faces_both_ways(model, photos:list) -> tuple:
    "Each photo's faces' probabilities, as they are and mirrored, `faces x classes` each, and the seconds a photo took."
    inner, det, same, flipped, t0 = model.inner, model.detector, [], [], time.perf_counter()
    for f in photos:
        img = load_image(f)
        boxes = np.array([f_.box for f_ in det(img)], np.float32).reshape(-1, 4)
        crops = face_crops(img, boxes, det.settings) if len(boxes) else []
        run = lambda cs: np.asarray(inner.run([inner.prep(c) for c in cs]), np.float32).reshape(-1, len(model.vocab)) if cs else np.zeros((0, len(model.vocab)), np.float32)
        same.append(run(crops)); flipped.append(run([ImageOps.mirror(c) for c in crops]))
    return same, flipped, (time.perf_counter() - t0) / len(photos)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('runs', nargs='+'); p.add_argument('--data', default=str(MULTIMASK)); p.add_argument('--second-source', default=None)
    args = p.parse_args()
    data, second = Path(args.data), args.second_source and Path(args.second_source)
    df, other = read_labels_csv(data/'labels.csv'), read_labels_csv(second/'labels.csv') if second else None
    rows = []
    for run in map(Path, args.runs):
        v, truth = validation_split(df, run)
        model = load_onnx(run/'model.onnx'); vocab = list(model.vocab)
        targets = targets_of(truth, vocab)
        same, flipped, sec = faces_both_ways(model, [data/f for f in v.fname])
        far = faces_both_ways(model, [second/f for f in other.fname]) if second else None
        for name, pick in (('as they are', lambda a, b: a), ('with their mirror images', lambda a, b: (a + b) / 2)):
            probs = photo_probs([pick(a, b) for a, b in zip(same, flipped)], 'max', len(vocab))
            thr = class_thresholds(torch.tensor(probs), targets, vocab)
            decide = lambda P: [{c for c, x in zip(vocab, r) if x > thr[c]} for r in P]
            row = {'run': run.name, 'faces': name, **label_scores(truth, decide(probs), vocab)}
            if far:
                fp = photo_probs([pick(a, b) for a, b in zip(far[0], far[1])], 'max', len(vocab))
                row.update({f'second_{k}': x for k, x in label_scores([set(split_labels(l)) for l in other.labels], decide(fp), vocab).items()})
            rows.append(row); print(json.dumps(row), flush=True)
    t = pd.DataFrame(rows)
    print(t.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print('\nmean over runs:'); print(t.groupby('faces', sort=False)[[c for c in t.columns if 'f1_macro' in c or 'incorrect' in c]].mean().round(3).to_string())

if __name__ == '__main__': sys.exit(main())
