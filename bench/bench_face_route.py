"""The face route on real group photos: photos as bags of detected faces, trained from image-level labels alone.

    .venv/bin/python bench/bench_face_route.py [--seeds 42 7] [--poolings max noisy_or lse] [--crop 64] [--data ../shared/datasets/multimask]

For each seed and pooling, in its own fresh process: detect and crop every photo's faces (`FaceCropCache`, a fresh
cache, so the time includes detection), build `face_bag_dataloaders` on that seed's 20% validation split, train
`face_bag_learner` over mobilenet_v2 with `train_mask_model`'s defaults (`lr_find`, one frozen epoch, about 300 unfrozen
steps), choose per-class thresholds on the validation photos (`evaluate_model`, as every run does), and print F1 per
class, macro F1 and exact match at those thresholds, macro F1 at 0.5, and the wall time. Then the mean over seeds
for each pooling, against the group-photo issue's bars: macro F1 >= 0.85 and every class >= 0.70 within 10 minutes.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from dataclasses import replace
from pathlib import Path
import pandas as pd, torch
from masksclf.files import MULTIMASK, SEED, TrainSettings
from masksclf.faces import FaceSettings, POOLINGS
from masksclf.face_bags import FaceCropCache, face_bag_dataloaders, face_bag_learner
from masksclf.train import train_mask_model, fast_training
from masksclf.pipeline import evaluate_model
from masksclf.thresholds import class_report

def run(data:Path, seed:int, pooling:str, crop:int, out:Path) -> dict:
    "One face-route run on the split of `seed`: its scores at the thresholds it chooses, and its wall time."
    t0 = time.perf_counter()
    df = pd.read_csv(data/'labels.csv')[['fname', 'labels']]
    with tempfile.TemporaryDirectory() as tmp:
        cache = FaceCropCache(replace(FaceSettings(), crop=crop), path=tmp)
        dls = face_bag_dataloaders(df, data, cache, seed=seed)
        t_dls = time.perf_counter() - t0
        learn = face_bag_learner(dls, pooling=pooling, path=out)
        log = lambda m: print(f"[{time.perf_counter()-t0:6.0f}s] seed {seed} {pooling}: {m}", file=sys.stderr, flush=True)
        with fast_training(learn), learn.no_bar(), learn.no_logging(): lr, _, history = train_mask_model(learn, log=log)
        ev = evaluate_model(learn)
    wall = time.perf_counter() - t0
    scores = ev.scores()
    f1 = class_report(ev.probs, ev.targets, ev.vocab, ev.thresholds).f1
    return {'seed': seed, 'pooling': pooling, 'crop': crop, **f1.round(3).to_dict(), 'f1_macro': round(scores['at_class_thresholds']['f1_macro'], 3),
            'exact_match': round(scores['at_class_thresholds']['accuracy_exact'], 3), 'f1_macro_0.5': round(scores['at_0.5']['f1_macro'], 3),
            'lr': float(lr), 'epochs': len(history.epochs), 'minutes_data': round(t_dls/60, 2), 'minutes': round(wall/60, 2)}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default=str(MULTIMASK))
    p.add_argument('--seeds', type=SEED, nargs='+', default=[42, 7])
    p.add_argument('--poolings', nargs='+', choices=POOLINGS, default=['max', 'noisy_or', 'lse'])
    p.add_argument('--crop', type=int, default=FaceSettings.crop)
    p.add_argument('--out', default='runs/bench_face_route')
    p.add_argument('--one', action='store_true', help=argparse.SUPPRESS)
    args = p.parse_args(); data = Path(args.data)
    if args.one:
        print(json.dumps(run(data, args.seeds[0], args.poolings[0], args.crop, Path(args.out)))); return
    print(f"machine: {os.cpu_count()} CPU cores, torch {torch.__version__} with {torch.get_num_threads()} threads, load average "
          f"{os.getloadavg()[0]:.1f}; photos in {data}; {TrainSettings()}; {FaceSettings(crop=args.crop)}", flush=True)
    rows = []
    for pooling in args.poolings:
        for seed in args.seeds:
            cmd = [sys.executable, __file__, '--one', '--data', str(data), '--seeds', str(seed), '--poolings', pooling, '--crop', str(args.crop),
                   '--out', f'{args.out}/{pooling}-{seed}']
            rows.append(json.loads(subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines()[-1]))
            print(json.dumps(rows[-1]), flush=True)
    res = pd.DataFrame(rows)
    print(res.drop(columns=['lr']).to_string(index=False))
    print('\nmean over seeds:'); print(res.drop(columns=['seed', 'crop', 'lr']).groupby('pooling', sort=False).mean().round(3).to_string())

if __name__ == '__main__': main()
