"""Posting photos to `masksclf serve` with the standard library alone, as the tests of `51_app` and `71_commands` and `bench_serve.py` do.

These are helpers for tests and benchmarks, not part of the package: a program of yours posts with whatever HTTP client it
has (`curl -F file=@photo.jpg http://127.0.0.1:8000/api/predict`, or the raw bytes with an `image/*` type).
"""
import base64, json, os, time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from urllib.parse import urlsplit

def encode_multipart(data:bytes, filename='image', field='file', content_type='application/octet-stream') -> tuple[str, bytes]:
    "(Content-Type, body) of a `multipart/form-data` form holding `data` as the file `field`, as a browser or `curl -F` sends it."
    boundary = '----masksclf' + base64.urlsafe_b64encode(os.urandom(12)).decode()
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f'Content-Type: {content_type}\r\n\r\n').encode()
    return f'multipart/form-data; boundary={boundary}', head + data + f'\r\n--{boundary}--\r\n'.encode()

def post_image(conn:HTTPConnection, body:bytes, content_type:str|None, path='/api/predict', headers:dict|None=None) -> tuple[int, dict]:
    "POST `body` (as `content_type`) through `conn` to the API; (HTTP status, its JSON answer)."
    conn.request('POST', path, body, {**({'Content-Type': content_type} if content_type else {}), **(headers or {})})
    res = conn.getresponse()
    data = res.read()
    return res.status, json.loads(data) if data else {}

def load_test(url:str, uploads:list, clients=8, per_client=6, timeout=60) -> dict:
    "Send `uploads` ((Content-Type, body) pairs, in turn) to the API at `url` from `clients` threads at once, `per_client` each."
    host, port = urlsplit(url).hostname, urlsplit(url).port
    def client(i):
        conn, res = HTTPConnection(host, port, timeout=timeout), []
        for j in range(per_client):
            k, t0 = (i*per_client + j) % len(uploads), time.perf_counter()
            try: status, answer = post_image(conn, uploads[k][1], uploads[k][0])
            except Exception as e: status, answer = None, {'error': f'{type(e).__name__}: {e}'}; conn.close()
            res.append(dict(upload=k, status=status, answer=answer, seconds=time.perf_counter() - t0))
        conn.close()
        return res
    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as ex: results = [r for rs in ex.map(client, range(clients)) for r in rs]
    secs, ms = time.perf_counter() - t0, sorted(1000*r['seconds'] for r in results)
    return dict(requests=len(results), errors=sum(r['status'] != 200 for r in results), seconds=secs, per_second=len(results)/secs,
                p50_ms=ms[len(ms)//2], p95_ms=ms[min(len(ms)-1, int(.95*len(ms)))], results=results)
