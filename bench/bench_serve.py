"""Load test of the web app on loopback, the previous server and `masksclf serve` side by side: throughput, latency, errors, batch sizes.

    .venv/bin/python bench/bench_serve.py [--model runs/x/model.pkl] [--onnx] [--rounds 3] [--workers N] [--max-batch 16] [--max-wait-ms 2]

Two servers run at once, each in its own process, on free ports, serving the same model: the previous one, the standard
library's `http.server` with one thread per connection and one prediction per core (`masksclf/serving/app.py` at commit
138b095, run from a temporary copy), and the current `masksclf serve` (FastAPI on uvicorn, batching uploads). The clients
run in this process, each over its own keep-alive connection, half the uploads as raw `image/*` bytes and half as
`multipart/form-data` forms. First every photo is sent once, alone, to each server; then, in each round, 8 clients and
then 64 clients send uploads at once to one server and then the other (the order alternating between rounds). Every
answer must be the one `predict_images` gives for that photo in this process (exit status 1 if the new server fails
an upload or answers one wrongly). With `--onnx` the new server serves the model's ONNX export (`model.onnx`, as every
training run writes it) with ONNX Runtime, and its probabilities must be within 1e-4 of `predict_images`'. Without `--model`, a mobilenet_v2 is first
trained briefly on 256 of the photos (presize 160, size 128, as `masksclf train` does), in a separate process, by
`bench_predict.py`.
"""
import argparse, json, os, signal, statistics, subprocess, sys, tempfile, time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit
import torch
from masksclf.data.datablock import read_labels_csv
from masksclf.formats.inference import predict_images
from masksclf.formats.loading import load_model
from http_client import encode_multipart, load_test, post_image
from masksclf.formats.onnx_export import export_onnx
from masksclf.core.files import FACEMASK

ROOT = Path(__file__).resolve().parent.parent
OLD_COMMIT = '138b095'
ENDS_WITH_BENCH = "import os, sys, threading; threading.Thread(target=lambda: (os.read(0, 1), os._exit(1)), daemon=True).start(); "
SERVE = ENDS_WITH_BENCH + ("import argparse; from {module} import add_serve_args, serve_command; "
                           "p = argparse.ArgumentParser(prog='masksclf'); sub = p.add_subparsers(dest='command', required=True); "
                           "add_serve_args(sub.add_parser('serve')); sys.exit(serve_command(p.parse_args()))")

def old_server_module(folder:Path) -> str:
    "Write the previous `masksclf/serving/app.py` into `folder` as a module importing the current package; its name."
    src = subprocess.run(['git', 'show', f'{OLD_COMMIT}:masksclf/serving/app.py'], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    (folder/'masksclf_app_old.py').write_text(src.replace('from .', 'from masksclf.'))
    return 'masksclf_app_old'

def start_server(module:str, model, args, path) -> tuple[subprocess.Popen, str]:
    "`masksclf serve model` from `module` in a new process, `path` first on its Python path; (the process, its URL)."
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(path), str(ROOT), os.environ.get('PYTHONPATH', '')])}
    proc = subprocess.Popen([sys.executable, '-c', SERVE.format(module=module), 'serve', str(model), '--port', '0', '--quiet', *args],
                            text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    line = proc.stdout.readline()
    if ' at http' not in line: sys.exit(f'{module}: the server did not start: {line!r}')
    return proc, line.split(' at ')[1].split()[0]

def health(url) -> dict:
    conn = HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=60)
    conn.request('GET', '/api/health')
    return json.loads(conn.getresponse().read())

def same_answer(answer, row, vocab, eps=1e-5) -> bool:
    "Whether an API answer is `predict_images`'s `row` for the same photo: the same labels and message, probabilities within `eps`."
    return (answer['labels'] == row['labels'].split() and answer['message'] == row['message']
            and all(abs(answer['probs'][v] - row[f'p_{v}']) <= eps for v in vocab))

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--model', help="an exported .pkl (or the safe format's model.json) to serve instead of training one")
    p.add_argument('--n-photos', type=int, default=64, help='distinct photos uploaded')
    p.add_argument('--requests', type=int, default=256, help='uploads in each load test')
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--workers', type=int, help='worker processes of the new server (default: its own)')
    p.add_argument('--max-batch', type=int, help="the new server's largest batch (default: its own)")
    p.add_argument('--max-wait-ms', type=float, help="how long the new server's batches wait for more uploads (default: its own)")
    p.add_argument('--data', default=str(FACEMASK))
    p.add_argument('--onnx', action='store_true', help="the new server serves the same model's ONNX export (the model.onnx every training run writes), "
                   "run by ONNX Runtime; its probabilities must then be within 1e-4 of predict_images'")
    a = p.parse_args()
    images = Path(a.data)
    df, trained_on, tmp = read_labels_csv(images/'labels.csv'), set(), Path(tempfile.mkdtemp())
    print(f"machine: {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}, torch {torch.__version__}; photos in {images}")
    if a.model:
        model = Path(a.model)
        if (model.parent/'train.json').is_file(): trained_on = set(json.loads((model.parent/'train.json').read_text()))
    else:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT/'bench'/'bench_predict.py'), '--train-only', str(tmp), '--data', str(images)], check=True)
        model, trained_on = tmp/'model.pkl', set(json.loads((tmp/'train.json').read_text()))
        print(f"trained mobilenet_v2 on 256 photos in {time.perf_counter()-t0:.0f} s (in a separate process)")
    photos = [images/f for f in df.fname[~df.fname.isin(trained_on)].sample(a.n_photos, random_state=0)]
    ctypes = ['image/png' if f.suffix == '.png' else 'image/jpeg' for f in photos]
    uploads = [(ct, f.read_bytes()) for f, ct in zip(photos, ctypes)] + [encode_multipart(f.read_bytes(), f.name, content_type=ct) for f, ct in zip(photos, ctypes)]
    predictor = load_model(model)
    expected = predict_images(predictor, photos).to_dict('records')
    served, eps = (export_onnx(predictor, tmp/'model.onnx'), {'old': 1e-5, 'new': 1e-4}) if a.onnx else (model, {'old': 1e-5, 'new': 1e-5})

    new_args = [f'--{k}={v}' for k, v in [('workers', a.workers), ('max-batch', a.max_batch), ('max-wait-ms', a.max_wait_ms)] if v is not None]
    servers = {'old': start_server(old_server_module(tmp), model, [], tmp), 'new': start_server('masksclf.serving.app', served, new_args, ROOT)}
    try:
        print(f"model {model}{f' (the new server: {served.name}, ONNX Runtime)' if a.onnx else ''}; {len(photos)} photos it never saw; old: http.server at {OLD_COMMIT}, new: masksclf serve {' '.join(new_args)}")
        for name, (_, url) in servers.items():
            conn, ms, wrong = HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=60), [], 0
            for (ct, body), row in zip(uploads[:len(photos)], expected):
                t0 = time.perf_counter(); status, answer = post_image(conn, body, ct); ms.append(1000*(time.perf_counter()-t0))
                wrong += status != 200 or not same_answer(answer, row, predictor.vocab, eps[name])
            print(f"{name}: one upload at a time: p50 {statistics.median(ms):.1f} ms, {1000/statistics.mean(ms):.1f} requests/s, {wrong} answers unlike predict_images'")

        runs, failures = [], 0
        for r in range(a.rounds):
            for clients in (8, 64):
                for name in (('old', 'new') if r % 2 == 0 else ('new', 'old')):
                    url = servers[name][1]
                    before = health(url).get('batch_sizes', {})
                    load = load_test(url, uploads, clients=clients, per_client=a.requests // clients)
                    wrong = sum(x['status'] == 200 and not same_answer(x['answer'], expected[x['upload'] % len(photos)], predictor.vocab, eps[name]) for x in load['results'])
                    after = health(url).get('batch_sizes', {})
                    formed = {int(k): v - before.get(k, 0) for k, v in after.items() if v > before.get(k, 0)}
                    answered = (load['requests'] - load['errors']) / load['seconds']
                    runs.append(dict(round=r+1, server=name, clients=clients, **{k: v for k, v in load.items() if k != 'results'}, answered=answered, wrong=wrong, batches=formed))
                    if name == 'new': failures += load['errors'] + wrong
                    print(f"round {r+1}, {name}, {clients:2d} clients: {answered:6.1f} answers/s, p50 {load['p50_ms']:4.0f} ms, p95 {load['p95_ms']:4.0f} ms, "
                          f"{load['errors']} errors, {wrong} wrong" + (f"; batch sizes {dict(sorted(formed.items()))}" if formed else ''))
                    for x in load['results']:
                        if x['status'] != 200: print(f"  error: {x['status']} {x['answer']}")
    finally:
        for proc, _ in servers.values(): proc.send_signal(signal.SIGINT)
        for proc, _ in servers.values():
            try: proc.wait(30)
            except subprocess.TimeoutExpired: proc.kill(); proc.wait()  # the old server can hang on a connection it reset

    print(f"\n{a.requests} uploads per load test (half raw, half forms), median of {a.rounds} rounds; throughput counts answered uploads (200); ratio new/old taken within each round")
    for clients in (8, 64):
        row = {s: [x for x in runs if x['server'] == s and x['clients'] == clients] for s in ('old', 'new')}
        med = lambda s, k: statistics.median(x[k] for x in row[s])
        ratio = statistics.median(n['answered']/o['answered'] for o, n in zip(row['old'], row['new']))
        sizes = {}
        for x in row['new']:
            for k, v in x['batches'].items(): sizes[k] = sizes.get(k, 0) + v
        mean_batch = sum(k*v for k, v in sizes.items()) / max(1, sum(sizes.values()))
        print(f"{clients:2d} clients: old {med('old', 'answered'):6.1f} answers/s (p50 {med('old', 'p50_ms'):.0f} ms, p95 {med('old', 'p95_ms'):.0f} ms), "
              f"new {med('new', 'answered'):6.1f} answers/s (p50 {med('new', 'p50_ms'):.0f} ms, p95 {med('new', 'p95_ms'):.0f} ms); "
              f"throughput new/old {ratio:.2f}; errors old {sum(x['errors'] for x in row['old'])}, new {sum(x['errors'] for x in row['new'])}; "
              f"new batches: mean {mean_batch:.1f} uploads, sizes {dict(sorted(sizes.items()))}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 1 if failures else 0

if __name__ == '__main__': sys.exit(main())
