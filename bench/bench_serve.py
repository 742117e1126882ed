"""Load test of the web app (`masksclf serve`) on loopback: concurrent uploads of real photos; throughput, latency, errors.

    .venv/bin/python bench/bench_serve.py [--model runs/x/model.pkl] [--clients 8] [--per-client 25] [--workers N]

The server runs in its own process, started the way the `masksclf serve` command starts it, on a free port; the clients
run in this one, each over its own keep-alive connection, half the uploads as raw `image/*` bytes and half as
`multipart/form-data` forms. First every photo is sent once, alone: that is its expected answer; then the clients send
them all at once, and every answer must be that photo's. Without `--model`, a mobilenet_v2 is first trained briefly on
256 of the photos (presize 160, size 128, as `masksclf train` does), in a separate process, by `bench_predict.py`.
"""
import argparse, json, signal, statistics, subprocess, sys, tempfile, time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit
from masksclf.data import read_labels_csv
from masksclf.app import encode_multipart, load_test, post_image

ROOT = Path(__file__).resolve().parent.parent
SERVE = ("import os, sys, threading; threading.Thread(target=lambda: (os.read(0, 1), os._exit(1)), daemon=True).start(); "
         "from masksclf.cli import main; sys.exit(main())")  # `masksclf serve ...`, ending with this process

def same_answer(a, b, eps=1e-5):
    "Whether two API answers agree: the same labels and message, probabilities within `eps`."
    return a['labels'] == b['labels'] and a['message'] == b['message'] and all(abs(a['probs'][k] - b['probs'][k]) <= eps for k in a['probs'])

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--model', help='an exported .pkl (or the safe format\'s model.json) to serve instead of training one')
    p.add_argument('--n-photos', type=int, default=64, help='distinct photos uploaded')
    p.add_argument('--clients', type=int, default=8, help='clients sending at once')
    p.add_argument('--per-client', type=int, default=25, help='uploads per client')
    p.add_argument('--workers', type=int, help="the server's predictions at once (default: its own, one per core)")
    p.add_argument('--data', default=str(ROOT/'..'/'shared'/'datasets'/'facemask'))
    a = p.parse_args()
    images = Path(a.data)
    df, trained_on = read_labels_csv(images/'labels.csv'), set()
    if a.model: model = Path(a.model)
    else:
        tmp, t0 = Path(tempfile.mkdtemp()), time.perf_counter()
        subprocess.run([sys.executable, str(ROOT/'bench'/'bench_predict.py'), '--train-only', str(tmp), '--data', str(images)], check=True)
        model, trained_on = tmp/'model.pkl', set(json.loads((tmp/'train.json').read_text()))
        print(f"trained mobilenet_v2 on 256 photos in {time.perf_counter()-t0:.0f} s (in a separate process)")
    photos = [images/f for f in df.fname[~df.fname.isin(trained_on)].sample(a.n_photos, random_state=0)]
    ctypes = ['image/png' if f.suffix == '.png' else 'image/jpeg' for f in photos]
    uploads = [(ct, f.read_bytes()) for f, ct in zip(photos, ctypes)] + [encode_multipart(f.read_bytes(), f.name, content_type=ct) for f, ct in zip(photos, ctypes)]

    args = ['serve', str(model), '--port', '0', '--quiet'] + (['--workers', str(a.workers)] if a.workers else [])
    server = subprocess.Popen([sys.executable, '-c', SERVE, *args], text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        line = server.stdout.readline()
        if ' at http' not in line: sys.exit(f'the server did not start: {line!r}')
        url = line.split(' at ')[1].split()[0]
        conn = HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=60)
        conn.request('GET', '/api/health'); health = json.loads(conn.getresponse().read())
        alone, ms = [], []
        for ct, body in uploads[:len(photos)]:
            t0 = time.perf_counter(); status, answer = post_image(conn, body, ct); ms.append(1000*(time.perf_counter()-t0))
            if status != 200: sys.exit(f'{status}: {answer}')
            alone.append(answer)
        conn.close()
        print(f"serving {model} at {url}: {health['workers']} prediction(s) at once; {len(photos)} photos it never saw")
        print(f"one upload at a time: p50 {statistics.median(ms):.1f} ms, {1000/statistics.mean(ms):.1f} requests/s")
        load = load_test(url, uploads, clients=a.clients, per_client=a.per_client)
        wrong = sum(r['status'] == 200 and not same_answer(r['answer'], alone[r['upload'] % len(photos)]) for r in load['results'])
        print(f"{a.clients} clients at once, {a.per_client} uploads each ({load['requests']} in all, half raw, half forms): "
              f"{load['per_second']:.1f} requests/s, latency p50 {load['p50_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms, "
              f"{load['errors']} errors, {wrong} answers unlike the photo's alone, in {load['seconds']:.1f} s")
        for r in load['results']:
            if r['status'] != 200: print(f"  error: {r['status']} {r['answer']}")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
    return 1 if load['errors'] or wrong else 0

if __name__ == '__main__': sys.exit(main())
