"""Throughput of folder prediction on the real photos, every way side by side in one run.

    .venv/bin/python bench/bench_predict.py [--n 300] [--model runs/x/model.pkl] [--int8]

Without `--model` a mobilenet_v2 is first trained briefly on a few hundred of the photos, in a separate process: a process
that has just trained allocates memory differently, and the timings should be those of a fresh process like `masksclf predict`.
Each round times every method once, in turn, so that a busy neighbour slows them all alike; medians over the rounds are
printed, and ratios are taken within each round, then their median. The learner is also exported to `model.onnx` and run
without torch by `masksclf.core.onnx_predict` (e); `--int8` adds PyTorch's post-training int8 quantisation of the safe model (q)
and ONNX Runtime's dynamic int8 quantisation of `model.onnx` (e8).
"""
import argparse, copy, json, logging, os, statistics, subprocess, sys, tempfile, threading, time, warnings
from dataclasses import replace
from pathlib import Path
import numpy as np, pandas as pd, torch
import masksclf  # before fastai: it silences torch's deprecation notice for the `torch.jit.script` fastai calls on import
from fastai.vision.all import set_seed
from masksclf.data.datablock import read_labels_csv, mask_dataloaders, check_image, MaskImage
from masksclf.learning.model import mask_learner
from masksclf.core.files import FACEMASK
from masksclf.learning.thresholds import class_thresholds
from masksclf.formats.inference import export_learner, load_mask_model, export_safe, load_safe, predict_images, predict_image, mask_predictor
from masksclf.formats.onnx_export import export_onnx
from masksclf.core import onnx_predict
from masksclf.core.predictions import prediction_columns

# `--int8`: PyTorch's FX quantisation API is deprecated and says so at each step, and the quantised model warns, at every
# concatenation of differently scaled inputs, of the inaccuracy that the agreement lines at the end measure.
INT8_WARNINGS = ((DeprecationWarning, r'torch\.ao\.quantization is deprecated'), (UserWarning, r'Please use quant_min and quant_max'),
                 (UserWarning, r'torch\.quantize_per_tensor, torch\.quantize_per_channel and other quantized tensor creation'),
                 (UserWarning, r'All inputs of this cat operator must share the same quantization parameters'))

def train_model(df, images, n_train, out, seed=0):
    "A briefly fine-tuned mobilenet_v2 exported with per-class thresholds, as `masksclf train` would."
    set_seed(seed, reproducible=True)
    train = df.sample(n_train, random_state=seed)
    dls = mask_dataloaders(train, images)
    learn = mask_learner(dls)
    with learn.no_bar(), learn.no_logging(): learn.fine_tune(1, 3e-3)
    with learn.no_bar(): probs, targets = learn.get_preds()
    export_learner(learn, out/'model.pkl', class_thresholds(probs, targets, list(dls.vocab)))
    (out/'train.json').write_text(json.dumps(list(train.fname)))

def old_predict_images(learn, items, bs=64):
    "What `predict_images` did before: `check_image`, decode again, fastai's `test_dl` and `get_preds`."
    good = [MaskImage.create(o) for o in items if check_image(o) is None]
    with learn.no_bar(): return learn.get_preds(dl=learn.dls.test_dl(good, bs=bs, num_workers=0))[0]

def bare_forward(model, x, n_batches, n_workers=1):
    "Forward passes on ready tensors: in the calling thread, or in `n_workers` threads sharing torch's threads as `predict_images` does."
    def work(k):
        with torch.inference_mode():
            for _ in range(k): model(x)
    if n_workers == 1: return work(n_batches)
    n_threads = torch.get_num_threads(); torch.set_num_threads(max(1, n_threads // n_workers))
    try:
        ths = [threading.Thread(target=work, args=(n_batches // n_workers + (i < n_batches % n_workers),)) for i in range(n_workers)]
        for t in ths: t.start()
        for t in ths: t.join()
    finally: torch.set_num_threads(n_threads)

def onnx_int8(path, out):
    "`model.onnx` at `path` with ONNX Runtime's dynamic int8 quantisation of its weights, written to `out` and loaded."
    from onnxruntime.quantization import quantize_dynamic, QuantType
    logging.disable(logging.WARNING)  # its advice to pre-process, and that the uint8 input is not quantised
    try: quantize_dynamic(str(path), str(out), weight_type=QuantType.QUInt8)
    finally: logging.disable(logging.NOTSET)
    return onnx_predict.load_onnx(out)

def int8_model(pred, files, size):
    "`pred.model` quantised to int8 by PyTorch's FX post-training static quantisation (x86), calibrated on `files`."
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import prepare_fx, convert_fx
    for category, message in INT8_WARNINGS: warnings.filterwarnings('ignore', message=message, category=category)
    torch.backends.quantized.engine = 'x86'
    m = prepare_fx(copy.deepcopy(pred.model).eval(), get_default_qconfig_mapping('x86'), example_inputs=(torch.randn(1, 3, *size),))
    with torch.inference_mode():
        for i in range(0, len(files), 16): m(pred.batch_tfm(torch.stack([pred.prep(MaskImage.create(f)) for f in files[i:i+16]])))
    return convert_fx(m)

def rate(f, n):
    t = time.perf_counter(); f(); return n / (time.perf_counter() - t)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=300, help='photos predicted in each batched measurement')
    p.add_argument('--n-naive', type=int, default=60, help='photos in each learn.predict loop (it is slow)')
    p.add_argument('--n-latency', type=int, default=30, help='single-image predictions per round')
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--bs', type=int, default=16)
    p.add_argument('--model', help='an exported .pkl to use instead of training one')
    p.add_argument('--n-train', type=int, default=256)
    p.add_argument('--int8', action='store_true', help='also time and score post-training int8 quantisation')
    p.add_argument('--data', default=str(FACEMASK))
    p.add_argument('--train-only', help=argparse.SUPPRESS)
    a = p.parse_args()
    images = Path(a.data).resolve()
    df = read_labels_csv(images/'labels.csv')
    if a.train_only: return train_model(df, images, a.n_train, Path(a.train_only))
    tmp = Path(tempfile.mkdtemp())
    print(f"machine: {os.cpu_count()} CPU cores, torch {torch.__version__} with {torch.get_num_threads()} threads; photos in {images}")
    if a.model: pkl, seen = Path(a.model), set()
    else:
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, '--train-only', str(tmp), '--n-train', str(a.n_train), '--data', str(images)], check=True)
        pkl, seen = tmp/'model.pkl', set(json.loads((tmp/'train.json').read_text()))
        print(f"trained mobilenet_v2 on {a.n_train} photos in {time.perf_counter()-t:.0f} s (in a separate process)")
    learn = load_mask_model(pkl)
    safe = load_safe(export_safe(learn, tmp/'safe'))
    size = mask_predictor(learn).spec['size']
    unseen = df[~df.fname.isin(seen)]
    test = unseen.sample(a.n, random_state=1)
    files = [images/f for f in test.fname]
    print(f"model {pkl}: input {size}; {a.n} photos it never saw, batch size {a.bs}, {a.rounds} rounds\n")

    x = torch.randn(a.bs, 3, *size)
    n_batches, model, cores = a.n // a.bs, learn.model.eval(), os.cpu_count()
    methods = {
        'a': ('learn.predict, one photo at a time', lambda: [learn.predict(f) for f in files[:a.n_naive]], a.n_naive),
        'old': ('previous predict_images (check_image + test_dl + get_preds, bs 64)', lambda: old_predict_images(learn, files), a.n),
        'b': ('predict_images, .pkl learner', lambda: predict_images(learn, files, bs=a.bs), a.n),
        'c': ('predict_images, safe format', lambda: predict_images(safe, files, bs=a.bs), a.n),
        'd': ('bare forward of learn.model, torch defaults', lambda: bare_forward(model, x, n_batches), n_batches*a.bs),
        'd2': ('bare forward of learn.model, one batch per core like (b)', lambda: bare_forward(model, x, n_batches, cores), n_batches*a.bs),
        'd3': ('bare forward of the safe model (BN folded), one batch per core like (c)', lambda: bare_forward(safe.model, x, n_batches, cores), n_batches*a.bs),
    }
    t = time.perf_counter(); onnx_path = export_onnx(learn, tmp/'model.onnx')
    print(f"exported {onnx_path.name} ({onnx_path.stat().st_size/1e6:.1f} MB) in {time.perf_counter()-t:.0f} s")
    ort = {'e': onnx_predict.load_onnx(onnx_path)}
    if a.int8: ort['e8'] = onnx_int8(onnx_path, tmp/'model.int8.onnx')
    extra = {'q': replace(safe, model=int8_model(safe, [images/f for f in unseen.drop(test.index).fname[:256]], size))} if a.int8 else {}
    names = {'e': 'predict_rows of masksclf.core.onnx_predict, model.onnx (no torch)', 'e8': 'predict_rows, model.onnx with dynamic int8 weights',
             'q': 'predict_images, safe model quantised to int8 (torch FX)'}
    for k, pred in extra.items(): methods[k] = (names[k], lambda pred=pred: predict_images(pred, files, bs=a.bs), a.n)
    for k, pred in ort.items(): methods[k] = (names[k], lambda pred=pred: onnx_predict.predict_rows(pred, files, bs=a.bs), a.n)
    singles = {'b': (learn, predict_image), 'c': (safe, predict_image), **{k: (pred, onnx_predict.predict_image) for k, pred in ort.items()}}

    with learn.no_bar():
        for _, f, _ in methods.values(): f()
        rates, lat = {k: [] for k in methods}, {k: [] for k in singles}
        for r in range(a.rounds):
            for k, (_, f, n) in methods.items(): rates[k].append(rate(f, n))
            for f in files[r*a.n_latency:(r+1)*a.n_latency]:
                for k, (m, predict) in singles.items():
                    t = time.perf_counter(); predict(m, f); lat[k].append((time.perf_counter() - t)*1000)
            print(f"round {r+1}: " + ', '.join(f"{k} {v[-1]:.0f}" for k, v in rates.items()) + ' images/s', flush=True)

    med = {k: statistics.median(v) for k, v in rates.items()}
    print('\nimages/s (median of rounds, [min-max])')
    for k, (name, _, _) in methods.items(): print(f"  ({k}) {name:<72} {med[k]:7.1f}  [{min(rates[k]):.0f}-{max(rates[k]):.0f}]")
    print('ratios (median of per-round ratios)')
    for num, den in (('b', 'a'), ('b', 'old'), ('b', 'd'), ('c', 'd'), ('b', 'd2'), ('c', 'd3'), *[(k, 'd') for k in extra],
                     *[(k, o) for k in ort for o in ('b', 'c')]):
        print(f"  {num}/{den}: {statistics.median(x/y for x, y in zip(rates[num], rates[den])):.2f}")
    print('single-image predict_image latency, ms')
    names1 = {'b': '.pkl learner', 'c': 'safe format', 'e': 'model.onnx', 'e8': 'int8 onnx'}
    for k in singles: print(f"  {names1[k]:<13} p50 {np.percentile(lat[k], 50):6.1f}   p95 {np.percentile(lat[k], 95):6.1f}   ({len(lat[k])} photos)")
    for k in ort: print(f"  p50 ratio {names1[k]} / .pkl {np.percentile(lat[k], 50)/np.percentile(lat['b'], 50):.2f}, / safe {np.percentile(lat[k], 50)/np.percentile(lat['c'], 50):.2f}")

    with learn.no_bar(): pa = torch.stack([learn.predict(f)[2] for f in files[:a.n_naive]])
    vocab, cols = list(learn.dls.vocab), [f'p_{v}' for v in learn.dls.vocab]
    labels_a = [' '.join(v for v, p in zip(vocab, row) if p > learn.thresholds[v] and v != learn.noise_label) for row in pa.tolist()]
    preds = {'b': predict_images(learn, files, bs=a.bs), 'c': predict_images(safe, files, bs=a.bs),
             **{k: predict_images(pred, files, bs=a.bs) for k, pred in extra.items()},
             **{k: pd.DataFrame(onnx_predict.predict_rows(pred, files, bs=a.bs), columns=prediction_columns(vocab)) for k, pred in ort.items()}}
    pb = preds['b']
    print('agreement')
    print(f"  (b) vs learn.predict: same labels {sum(x == y for x, y in zip(pb.labels, labels_a))}/{len(labels_a)}, "
          f"max |dp| {np.abs(pb[cols].values[:a.n_naive] - pa.numpy()).max():.1e}")
    for k in ('c', *extra, *ort):
        print(f"  ({k}) vs (b): same labels {(pb.labels == preds[k].labels).sum()}/{len(pb)}, max |dp| {np.abs(pb[cols].values - preds[k][cols].values).max():.1e}")
    print('  exact-match accuracy against the labels: ' + ', '.join(f"({k}) {(p.labels.values == test.labels.values).mean():.3f}" for k, p in preds.items()))

if __name__ == '__main__': main()
