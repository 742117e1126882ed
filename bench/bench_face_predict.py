"""Time to predict one group photo with `model.onnx`, detection included, against the whole-image model, side by side.

    .venv/bin/python bench/bench_face_predict.py FACES_MODEL.onnx IMAGE_MODEL.onnx [--n 40] [--rounds 5] [--data ../shared/datasets/multimask]

The two models are what `bench/bench_multimask.py` trains (runs/bench_multimask/faces-seed42/model.onnx and
image-seed42/model.onnx). Each model is loaded in its own fresh process, as `masksclf predict` and `masksclf serve` load
it, and predicts `--n` photos of the set one at a time with `predict_image` (decoding, detection, crops, the face
classifier and pooling for the faces route), in `--rounds` rounds that alternate between the two processes; each photo's
time is kept, and the p50 and p95 over all rounds are printed with the faces found per photo and the ratio of the p50s.
"""
import argparse, json, os, statistics, subprocess, sys, time
from pathlib import Path
import numpy as np, pandas as pd

def times(model:str, photos:list) -> dict:
    "Each photo's time through `predict_image` with the model at `model`, in this process, and the faces it found."
    from masksclf.core.onnx_predict import load_onnx, predict_image
    m = load_onnx(model); predict_image(m, photos[0])
    out, faces = [], []
    for p in photos:
        t0 = time.perf_counter(); pred = predict_image(m, p); out.append(time.perf_counter() - t0)
        faces.append(len(pred.faces) if pred.faces is not None else None)
    return {'ms': [1000*t for t in out], 'faces': faces}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('faces_model'); p.add_argument('image_model')
    p.add_argument('--n', type=int, default=40); p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--data', default=None)
    p.add_argument('--one', help=argparse.SUPPRESS)
    args = p.parse_args()
    from masksclf.core.files import MULTIMASK
    data = Path(args.data or MULTIMASK)
    photos = [str(data/f) for f in pd.read_csv(data/'labels.csv').sample(args.n, random_state=0).fname]
    if args.one: print(json.dumps(times(args.one, photos))); return
    print(f"machine: {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}; {args.n} photos of {data}, {args.rounds} rounds", flush=True)
    res = {'faces': [], 'image': []}
    for r in range(args.rounds):
        for name, model in (('faces', args.faces_model), ('image', args.image_model)):
            cmd = [sys.executable, __file__, args.faces_model, args.image_model, '--n', str(args.n), '--data', str(data), '--one', model]
            res[name].append(json.loads(subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True).stdout))
    for name, rs in res.items():
        ms = np.concatenate([r['ms'] for r in rs])
        found = [f for f in rs[0]['faces'] if f is not None]
        print(f"{name:5} route: p50 {np.percentile(ms, 50):.1f} ms, p95 {np.percentile(ms, 95):.1f} ms over {len(ms)} predictions"
              + (f"; faces a photo: median {statistics.median(found):g}, max {max(found)}" if found else ''))
    p50 = {k: np.percentile(np.concatenate([r['ms'] for r in v]), 50) for k, v in res.items()}
    print(f"faces/image p50: {p50['faces']/p50['image']:.2f}x")

if __name__ == '__main__': main()
