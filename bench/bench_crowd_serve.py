"""`masksclf serve` with a faces-route `model.onnx` under 64 concurrent uploads of one crowd photo (one face tiled over 1600x1200, 500+
faces): every answer's status, latency, and the server's resident memory (VmRSS) idle, at its peak (VmHWM) and after the load.

    .venv/bin/python bench/bench_crowd_serve.py runs/demo/group_photos/model.onnx [--clients 64] [--per-client 1] [--code DIR]

`--code DIR` serves with the `masksclf` package of another checkout (`git worktree add DIR COMMIT`), to measure a version side by side.

The server runs in its own process with its defaults; the clients post from threads of this one, through the standard library
(`bench/http_client.py`). The bar of the hardening issue: every upload answered (200, or 503 with Retry-After), peak under 3 GB,
memory back near its idle size after.
"""
import argparse, io, os, socket, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path
import numpy as np
from PIL import Image
ROOT = Path(__file__).resolve().parents[1]

def memory_mb(pid, key='VmRSS') -> float:
    "`key` of process `pid`'s status (VmRSS: resident now; VmHWM: its peak), in MB."
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith(key + ':'): return int(line.split()[1]) / 1024
    return float('nan')

def crowd_photo(face:Path, size=(1600, 1200), tile=(56, 64)) -> bytes:
    "A JPEG of `size` tiled with the face of the photo `face` (its centre, at `tile`), many times."
    im = Image.open(face).convert('RGB'); w, h = im.size
    face_img = im.crop((w//4, h//8, 3*w//4, 7*h//8)).resize(tile)
    crowd = Image.new('RGB', size, 'white')
    for x in range(0, size[0] - tile[0] + 1, tile[0] + 4):
        for y in range(0, size[1] - tile[1] + 1, tile[1] + 4): crowd.paste(face_img, (x, y))
    buf = io.BytesIO(); crowd.save(buf, 'JPEG', quality=90); return buf.getvalue()

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def post(port, body) -> tuple:
    "(status, Retry-After, seconds, faces) of one upload."
    conn, t0 = HTTPConnection('127.0.0.1', port, timeout=300), time.perf_counter()
    try:
        conn.request('POST', '/api/predict', body, {'Content-Type': 'image/jpeg'}); res = conn.getresponse(); data = res.read()
        faces = len(__import__('json').loads(data).get('faces') or []) if res.status == 200 else 0
        return res.status, res.getheader('Retry-After'), time.perf_counter() - t0, faces
    except Exception as e: return f'{type(e).__name__}', None, time.perf_counter() - t0, 0
    finally: conn.close()

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('model'); p.add_argument('--clients', type=int, default=64); p.add_argument('--per-client', type=int, default=1)
    p.add_argument('--code', default=None, help="a checkout whose masksclf package serves, instead of this one's")
    args = p.parse_args()
    face = sorted((ROOT/'data'/'group_photos'/'images').glob('*.jpg'))[3]
    body = crowd_photo(face)
    port = free_port()
    srv = subprocess.Popen([sys.executable, '-m', 'masksclf', 'serve', str(Path(args.model).resolve()), '--port', str(port), '--quiet'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=args.code, env={**os.environ, **({'PYTHONPATH': str(Path(args.code).resolve())} if args.code else {})})  # python -m puts the cwd first
    try:
        for _ in range(600):
            try: socket.create_connection(('127.0.0.1', port), 1).close(); break
            except OSError: time.sleep(.2)
        status, _, secs, faces = post(port, body)
        idle = memory_mb(srv.pid)
        print(f"code: {args.code or ROOT}; machine: {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}; crowd photo {len(body)/1e3:.0f} KB, 1600x1200; "
              f"one upload alone: {status}, {faces} faces answered, {secs:.2f} s; server idle after it: {idle:.0f} MB", flush=True)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as ex:
            res = list(ex.map(lambda i: post(port, body), range(args.clients * args.per_client)))
        wall = time.perf_counter() - t0
        time.sleep(5)
        after, peak = memory_mb(srv.pid), memory_mb(srv.pid, 'VmHWM')
        statuses = {}
        for s, retry, _, _ in res: statuses[f"{s}{' with Retry-After' if retry else ''}"] = statuses.get(f"{s}{' with Retry-After' if retry else ''}", 0) + 1
        ok = sorted(r[2] for r in res if r[0] == 200)
        print(f"{len(res)} uploads from {args.clients} clients in {wall:.1f} s: {statuses}")
        if ok: print(f"answered 200: p50 {np.percentile(ok, 50):.1f} s, p95 {np.percentile(ok, 95):.1f} s")
        print(f"server memory: idle {idle:.0f} MB, peak {peak:.0f} MB, 5 s after the load {after:.0f} MB")
        answered = all(s == 200 or (s == 503 and r) for s, r, _, _ in res)
        print(f"bars: every upload answered (200, or 503 with Retry-After): {answered};  peak under 3 GB: {peak < 3072};  "
              f"back within 500 MB of idle: {after - idle < 500}")
    finally: srv.terminate(); srv.wait(30)

if __name__ == '__main__': sys.exit(main())
