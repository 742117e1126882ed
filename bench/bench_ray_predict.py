"""`masksclf predict --ray` against `masksclf predict` on the same photos, each in a fresh process, side by side.

    .venv/bin/python bench/bench_ray_predict.py [--model runs/bench_train_speed/facemask/run/model.onnx] [--rounds 2] [--repeat 1]

The photos are the 3,991 of ../shared/datasets/facemask (read in place), listed `--repeat` times in a path list (a CSV with
a `path` column), and the model is a `model.onnx` of `masksclf train`'s defaults (`bench_train_speed.py` leaves one in
runs/bench_train_speed/facemask/run; any `model.onnx` will do). Three recipes, each a new Python process, in the order
below and then reversed, `--rounds` times:

- predict: `masksclf predict MODEL paths.csv --out preds.csv --quiet`, on one machine, the decoding in threads;
- ray, 1 worker and ray, 2 workers: `masksclf predict MODEL paths.csv --ray --ray-workers N --out shards/ --quiet` on a
  Ray cluster started on this machine, shards of 500 photos.

For each run the script prints the wall time of the whole process (imports, the cluster's start, loading the model,
predicting, writing) and the job's own time (`main(...)` alone; for Ray, after `ray.init`, so without the cluster's
start), the job's photos a second, and the cluster's start. It checks that every Ray run gave `masksclf predict`'s rows
(the same labels, messages and errors, probabilities within 1e-5), then prints each recipe's medians and their ratios to
`predict`'s. Last, in one more new process, it times a worker's stages one after another on one thread over 512 of the
photos (reading the files, decoding and resizing, the model in batches, writing a Parquet shard): the costs a photo
that bench/README scales to a cluster.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

RECIPES = {'predict': 0, 'ray, 1 worker': 1, 'ray, 2 workers': 2}

def one_run(recipe, model, paths, out) -> dict:
    "Run `recipe` in this process; the job's seconds and, for Ray, the cluster's start."
    workers, start = RECIPES[recipe], 0.
    from masksclf.cli.commands import main
    if workers:
        import ray
        t = time.perf_counter()
        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False, configure_logging=False)
        ray.data.DataContext.get_current().enable_progress_bars = False
        start = time.perf_counter() - t
        args = ['--ray', '--ray-workers', str(workers), '--shard-size', '500', '--out', out]
    else: args = ['--out', out]
    t = time.perf_counter()
    rc = main(['predict', model, paths, '--quiet', *args])
    job = time.perf_counter() - t
    if rc: raise SystemExit(f"{recipe}: masksclf predict exited with {rc}")
    return {'job': job, 'start': start}

def stage_costs(model, paths, n=512) -> dict:
    "Milliseconds a photo of each stage of a worker, on one thread, over `n` photos: reading the file, decoding and resizing, the model, writing the shard."
    from masksclf.core.images import read_image_file, load_image
    from masksclf.core.onnx_predict import load_onnx, PREDICT_BS
    from masksclf.batch.ray_predict import predict_items, write_shard
    m, paths, ms = load_onnx(model, n_threads=1), paths[:n], {}
    t = time.perf_counter(); data = [read_image_file(p) for p in paths]; ms['read'] = time.perf_counter() - t
    t = time.perf_counter(); xs = [m.prep(load_image(d)) for d in data]; ms['decode'] = time.perf_counter() - t
    t = time.perf_counter()
    for i in range(0, len(xs), PREDICT_BS): m.run(xs[i:i+PREDICT_BS])
    ms['model'] = time.perf_counter() - t
    rows = predict_items(m, paths)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter(); write_shard(rows, Path(tmp)/'part-00000.parquet', m.vocab); ms['write'] = time.perf_counter() - t
    return {k: 1000 * v / len(paths) for k, v in ms.items()}

def same_rows(shards, csv) -> bool:
    "Whether the Ray job's rows in `shards` are `masksclf predict`'s in `csv`."
    import numpy as np, pandas as pd
    from masksclf.batch.ray_predict import read_shards
    got, ref = read_shards(shards), pd.read_csv(csv, keep_default_na=False, na_values={c: [''] for c in pd.read_csv(csv, nrows=0).columns if c.startswith('p_')})
    cols, p = ['item', 'labels', 'message', 'judged', 'error'], [c for c in ref.columns if c.startswith('p_')]
    return got[cols].values.tolist() == ref[cols].values.tolist() and np.allclose(got[p].to_numpy(float), ref[p].to_numpy(float), atol=1e-5, equal_nan=True)

def pd_paths(csv) -> list:
    import pandas as pd
    return pd.read_csv(csv).path.tolist()

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--model', default='runs/bench_train_speed/facemask/run/model.onnx')
    p.add_argument('--rounds', type=int, default=2); p.add_argument('--repeat', type=int, default=1, help='list the photos this many times')
    p.add_argument('--recipe', choices=[*RECIPES, 'stages'], help=argparse.SUPPRESS); p.add_argument('--paths', help=argparse.SUPPRESS); p.add_argument('--out', help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.recipe == 'stages': return print(json.dumps(stage_costs(a.model, pd_paths(a.paths))))
    if a.recipe: return print(json.dumps(one_run(a.recipe, a.model, a.paths, a.out)))
    import pandas as pd
    from masksclf.core.files import FACEMASK
    if not Path(a.model).is_file(): raise SystemExit(f"{a.model}: no model; train one first (bench/bench_train_speed.py, or masksclf train) or name one with --model")
    photos = [str(FACEMASK/f) for f in pd.read_csv(FACEMASK/'labels.csv').fname] * a.repeat
    runs = {k: [] for k in RECIPES}
    print(f"machine: {os.cpu_count()} CPU cores; {len(photos):,} photos of {FACEMASK}; model {a.model}; each run in a new process", flush=True)
    print(f"{'run':>4}  {'recipe':<16}{'wall s':>8}{'job s':>8}{'photos/s':>10}{'cluster start s':>17}  same rows as predict  (load average before)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pd.DataFrame({'path': photos}).to_csv(tmp/'paths.csv', index=False)
        order = [r for k in range(a.rounds) for r in (list(RECIPES) if k % 2 == 0 else list(RECIPES)[::-1])]
        ref = tmp/'predict.csv'
        for k, recipe in enumerate(order, 1):
            out = ref if RECIPES[recipe] == 0 else tmp/f'shards{k}'
            load, t = os.getloadavg()[0], time.perf_counter()
            res = subprocess.run([sys.executable, __file__, '--recipe', recipe, '--model', a.model, '--paths', str(tmp/'paths.csv'), '--out', str(out)],
                                 check=True, capture_output=True, text=True)
            wall = time.perf_counter() - t
            r = {**json.loads(res.stdout.strip().splitlines()[-1]), 'wall': wall}
            runs[recipe].append(r)
            same = same_rows(out, ref) if RECIPES[recipe] and ref.exists() else None
            if RECIPES[recipe]: shutil.rmtree(out, ignore_errors=True)
            print(f"{k:>4}  {recipe:<16}{wall:8.1f}{r['job']:8.1f}{len(photos)/r['job']:10.0f}{r['start']:17.1f}  {'-' if same is None else same!s:<21} ({load:.1f})", flush=True)
        res = subprocess.run([sys.executable, __file__, '--recipe', 'stages', '--model', a.model, '--paths', str(tmp/'paths.csv')], check=True, capture_output=True, text=True)
        stages = json.loads(res.stdout.strip().splitlines()[-1])
    print("a worker's stages, one thread, 512 photos, ms a photo: " + ', '.join(f"{k} {v:.2f}" for k, v in stages.items())
          + f"; in all {sum(stages.values()):.2f} ms, {1000 / sum(stages.values()):.0f} photos a second a core")
    med = {k: {m: statistics.median(r[m] for r in v) for m in ('wall', 'job', 'start')} for k, v in runs.items()}
    base = med['predict']
    for k, m in med.items():
        print(f"median {k:<16} wall {m['wall']:6.1f} s, job {m['job']:6.1f} s ({len(photos)/m['job']:5.0f} photos/s); "
              f"throughput / predict's: job {base['job']/m['job']:.2f}x, whole command {base['wall']/m['wall']:.2f}x")

if __name__ == '__main__': main()
