"""Memory of `masksclf serve` under stalled uploads: clients that send all but the last byte of a large upload and wait.

    .venv/bin/python bench/bench_stalled_uploads.py [--model runs/demo/model.onnx] [--clients 100] [--mb 9.9]

Two servers, each in its own fresh process, serve the same model one after the other: with the default bound on the
bytes of uploads held at once (`--max-held-mb`, `ServeSettings.max_held_bytes`) and with that bound lifted (100,000 MB,
as before the bound existed). For each, after one real upload has warmed it up, `--clients` connections each send the
headers of a `--mb` MB upload (`Content-Length` at the server's `--max-mb`) and all of its body but the last byte, all
at once from as many threads (well within the server's 30 s body timeout, which would otherwise free them), then wait; the server's resident memory (VmRSS) is read before, at its peak while they wait, and after they have gone
(closed, plus a few seconds). Prints each server's numbers and how many clients were answered 503 at once.
"""
import argparse, os, socket, subprocess, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def rss_mb(pid) -> float:
    "Resident memory of process `pid`, in MB."
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'): return int(line.split()[1]) / 1024
    return float('nan')

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def wait_up(port, timeout=120):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try: socket.create_connection(('127.0.0.1', port), 1).close(); return
        except OSError: time.sleep(.2)
    raise RuntimeError('server did not start')

def post(port, body:bytes) -> int:
    "Status of one whole upload of `body` as image/jpeg."
    from http.client import HTTPConnection
    c = HTTPConnection('127.0.0.1', port, timeout=60)
    c.request('POST', '/api/predict', body, {'Content-Type': 'image/jpeg'}); status = c.getresponse().status; c.close()
    return status

def stall(port, n_bytes) -> socket.socket:
    "A socket that sent the headers of an `n_bytes` upload and all its body but the last byte (or as much as the server took before it answered)."
    s = socket.create_connection(('127.0.0.1', port))
    s.sendall(f'POST /api/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: {n_bytes}\r\n\r\n'.encode())
    chunk, left = b'\0' * (1 << 16), n_bytes - 1
    try:
        while left > 0: left -= s.send(chunk[:min(len(chunk), left)])
    except OSError: pass  # the server answered and closed
    return s

def status(s) -> str|None:
    "The status code the server sent on `s`, if it sent one."
    s.settimeout(.5)
    try: return s.recv(64).split(b' ')[1].decode()
    except (OSError, IndexError): return None

def run(model, max_held_mb, clients, mb) -> dict:
    port = free_port()
    cmd = [sys.executable, '-m', 'masksclf', 'serve', str(model), '--port', str(port), '--quiet', '--max-mb', str(mb), '--max-held-mb', str(max_held_mb)]
    srv = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(port)
        photo = next((ROOT/'data'/'group_photos'/'images').glob('*.jpg')).read_bytes()
        assert post(port, photo) == 200
        base, peak, stop = rss_mb(srv.pid), [0.], threading.Event()
        def watch():
            while not stop.is_set(): peak[0] = max(peak[0], rss_mb(srv.pid)); time.sleep(.05)
        threading.Thread(target=watch, daemon=True).start()
        t_open = time.perf_counter()
        with ThreadPoolExecutor(clients) as ex: socks = list(ex.map(lambda _: stall(port, int(mb * 1e6)), range(clients)))
        sent = time.perf_counter()
        codes = [status(s) for s in socks]
        time.sleep(max(0, 2 - (time.perf_counter() - sent)))
        for s in socks: s.close()
        time.sleep(8)
        stop.set()
        after = rss_mb(srv.pid)
        ok = post(port, photo)
        return dict(max_held_mb=max_held_mb, base=base, peak=peak[0], after=after, refused=codes.count('503'), seconds=sent - t_open, answered_after=ok)
    finally: srv.terminate(); srv.wait(30)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--model', default=str(ROOT/'runs'/'demo'/'model.onnx'))
    p.add_argument('--clients', type=int, default=100); p.add_argument('--mb', type=float, default=9.9)
    args = p.parse_args()
    from masksclf.serving.app import ServeSettings
    print(f"machine: {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}; model {args.model}; {args.clients} clients, {args.mb} MB uploads stalled one byte short")
    for held in (ServeSettings().max_held_bytes / 1e6, 100_000):
        r = run(args.model, held, args.clients, args.mb)
        print(f"--max-held-mb {r['max_held_mb']:g}: resident memory {r['base']:.0f} MB before, {r['peak']:.0f} MB at the peak (+{r['peak'] - r['base']:.0f}), "
              f"{r['after']:.0f} MB after the clients left (+{r['after'] - r['base']:.0f}); {r['refused']} of {args.clients} clients answered 503 at once; all sent in {r['seconds']:.1f} s; "
              f"an upload after them: {r['answered_after']}", flush=True)

if __name__ == '__main__': main()
