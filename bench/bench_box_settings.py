"""One faces-route run trained from face boxes on `multimask`, with one setting changed: a line of the table in bench/README.

    .venv/bin/python bench/bench_box_settings.py SEED BALANCE EPOCHS POOLING [CROP]
    .venv/bin/python bench/bench_box_settings.py 42 0 10 noisy_or 96       # e.g.; EPOCHS 'none' for the default budget

Runs `train_job` as `masksclf train --csv labels.csv --boxes boxes.csv --images multimask --seed SEED --epochs EPOCHS
--pooling POOLING` does, in this process, with a fresh cache, and with the annotated faces drawn by `face_weights` at
power BALANCE (0: shuffled as they come) and cut at CROP px (detector and classifier alike). Prints one JSON line: F1
per class, macro F1 and exact match of the photos at the exported thresholds, the face classifier's macro F1 at 0.5 on
the validation photos' annotated faces, and the wall time in minutes. Run each line in its own process.
"""
import dataclasses, functools, json, sys, tempfile, time
from pathlib import Path
import pandas as pd
import masksclf.learning.face_boxes as face_boxes, masksclf.runs.pipeline as pipeline
from masksclf.core.settings import FaceSettings
from masksclf.core.files import MULTIMASK

def main(seed:int, balance:float, epochs:int|None, pooling:str, crop:int=FaceSettings.crop) -> dict:
    pipeline.face_crop_dataloaders = functools.partial(face_boxes.face_crop_dataloaders, balance=balance)
    if crop != FaceSettings.crop:
        faces = dataclasses.replace(FaceSettings(), crop=crop)
        pipeline.FaceSettings = lambda: faces
    out, t0 = Path(f'runs/bench_box_settings/s{seed}-b{balance}-e{epochs}-{pooling}-c{crop}'), time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:
        m = pipeline.train_job(MULTIMASK/'labels.csv', MULTIMASK, out, boxes=MULTIMASK/'boxes.csv', seed=seed, epochs=epochs, pooling=pooling,
                               cache=Path(cache)/'presize', progress=False, overwrite=True, log=lambda s: print(s, file=sys.stderr, flush=True))
    f1 = pd.read_csv(out/'class_report.csv', index_col='class').f1
    return {'seed': seed, 'balance': balance, 'epochs': m.epochs, 'pooling': pooling, 'crop': crop, **f1.round(3).to_dict(),
            'macro': round(m.valid['at_class_thresholds']['f1_macro'], 3), 'exact': round(m.valid['at_class_thresholds']['accuracy_exact'], 3),
            'faces_macro': round(m.boxes['at_0.5']['f1_macro'], 3), 'min': round((time.perf_counter() - t0) / 60, 2)}

if __name__ == '__main__':
    a = sys.argv[1:]
    if len(a) not in (4, 5): sys.exit(__doc__)
    print(json.dumps(main(int(a[0]), float(a[1]), None if a[2] == 'none' else int(a[2]), a[3], *(int(x) for x in a[4:]))))
