"""The same trained face models, two decision rules: a photo's labels from its faces' probabilities pooled by noisy-OR (the rule before),
or decided at the face (its most probable face's, so a photo's labels are the union of its faces'), each with per-class thresholds
chosen on the validation photos for that rule; scored on those photos and on a second source's.

    .venv/bin/python bench/bench_face_decision.py runs/bench_multimask/faces-bags-seed42 runs/bench_multimask/faces-bags-seed7 [--second-source PATH]

Each run folder is a `masksclf train` faces-route run on `multimask` (as `bench_multimask.py` writes them): its `model.onnx` finds
and classifies the faces of its own validation photos (the seeded split of its `metrics.json`), once; both rules are applied to the
same faces. Also counts the predicted photo labels that no face carries under noisy-OR (under the face decision there are none by
construction) and the photos where no face was found.
"""
import argparse, json, sys
from pathlib import Path
import numpy as np, pandas as pd, torch
from fastai.vision.all import no_random
from masksclf.core.files import MULTIMASK
from masksclf.core.faces import pool_faces
from masksclf.core.onnx_predict import load_onnx, predict_decisions
from masksclf.core.settings import TrainSettings
from masksclf.data.datablock import read_labels_csv, split_labels, mask_splitter
from masksclf.learning.thresholds import class_thresholds
from bench_multimask import label_scores

def validation_split(df, run:Path) -> tuple:
    "The validation rows of `df` for the run folder `run` (the seeded split of its `metrics.json`), their label sets, and as targets for `vocab`."
    s = json.loads((run/'metrics.json').read_text())['settings']
    with no_random(s['seed']): _, valid = mask_splitter(TrainSettings(valid_pct=s['valid_pct'], seed=s['seed']))(df)
    v = df.iloc[list(valid)]
    return v, [set(split_labels(l)) for l in v.labels]

def targets_of(truth:list, vocab) -> torch.Tensor: return torch.tensor([[c in t for c in vocab] for t in truth], dtype=torch.float32)

def face_probs(model, photos:list) -> list:
    "Each photo's faces' probabilities (`faces x classes`), by the face model `model`."
    return [np.array([list(f['probs'].values()) for f in d.faces], np.float32).reshape(-1, len(model.vocab)) for d in predict_decisions(model, photos, threshold=1.)]

def photo_probs(faces:list, how:str, n:int) -> np.ndarray:
    return np.stack([pool_faces(p, how) if len(p) else np.zeros(n, np.float32) for p in faces])

def decide(probs, thresholds, vocab) -> list:
    return [{v for v, p in zip(vocab, row) if p > thresholds[v]} for row in probs]

def orphans(faces:list, labels:list, thresholds, vocab) -> int:
    "Predicted photo labels that none of the photo's faces passes on its own."
    return sum(sum(not any(p[vocab.index(v)] > thresholds[v] for p in f) for v in ls) for f, ls in zip(faces, labels))

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('runs', nargs='+'); p.add_argument('--data', default=str(MULTIMASK)); p.add_argument('--second-source', default=None)
    args = p.parse_args()
    data, second = Path(args.data), args.second_source and Path(args.second_source)
    df = read_labels_csv(data/'labels.csv')
    other = read_labels_csv(second/'labels.csv') if second else None
    rows = []
    for run in map(Path, args.runs):
        v, truth = validation_split(df, run)
        model = load_onnx(run/'model.onnx'); vocab = list(model.vocab)
        targets = targets_of(truth, vocab)
        faces = face_probs(model, [data/f for f in v.fname])
        far = face_probs(model, [second/f for f in other.fname]) if second else None
        for how in ('noisy_or', 'max'):
            probs = photo_probs(faces, how, len(vocab))
            thr = class_thresholds(torch.tensor(probs), targets, vocab)
            pred = decide(probs, thr, vocab)
            row = {'run': run.name, 'rule': 'noisy-OR' if how == 'noisy_or' else 'at the face', **label_scores(truth, pred, vocab),
                   'orphan_labels': orphans(faces, pred, thr, vocab), 'labels': sum(map(len, pred)), 'no_face': sum(len(f) == 0 for f in faces)}
            if second:
                fp = decide(photo_probs(far, how, len(vocab)), thr, vocab)
                s2 = label_scores([set(split_labels(l)) for l in other.labels], fp, vocab)
                row.update({f'second_{k}': x for k, x in s2.items()}, second_orphan_labels=orphans(far, fp, thr, vocab), second_labels=sum(map(len, fp)))
            rows.append(row); print(json.dumps(row), flush=True)
    t = pd.DataFrame(rows)
    print(f"\n{data.name}, validation photos of each run's split: F1 per class, macro F1, exact match, photo labels no face carries")
    print(t[['run', 'rule', *vocab, 'f1_macro', 'exact_match', 'orphan_labels', 'labels', 'no_face']].to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if second:
        print(f"\n{second.name}, every photo, at the thresholds chosen on multimask's validation photos")
        print(t[['run', 'rule', *[f'second_{c}' for c in vocab], 'second_f1_macro', 'second_exact_match', 'second_orphan_labels', 'second_labels']]
              .rename(columns=lambda c: c.replace('second_', '')).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print('\nmean over runs:'); print(t.groupby('rule', sort=False)[[c for c in t.columns if 'f1_macro' in c or c.endswith('exact_match')]].mean().round(3).to_string())

if __name__ == '__main__': sys.exit(main())
