"""`model.onnx` written by torch's two ONNX exporters: the `torch.export`-based one (`dynamo=True`, torch's default) and
the TorchScript-based one (`dynamo=False`) that `masksclf.formats.onnx_export` uses. Each exporter runs in a new Python
process, exporting the same trained mobilenet_v2 (the tests' tiny model, `test_utils.tiny_run`, with the default
arch) `--repeat` times; the first export of a process pays for loading the exporter, the others don't. Both graphs are
run by ONNX Runtime on the same random batch and compared with torch.

    .venv/bin/python bench/bench_onnx_export.py [--repeat 3]
"""
import argparse, json, os, subprocess, sys, time

def one_exporter(exporter:str, repeat:int) -> dict:
    "Export the tiny model `repeat` times with `exporter`: seconds for each, and the largest difference from torch."
    import copy, numpy as np, onnxruntime as ort, torch
    from masksclf.test_utils import tiny_run
    from masksclf.formats.loading import load_model
    from masksclf.formats.onnx_export import OnnxGraph, _onnx_bytes
    p = load_model(tiny_run()/'model.pkl')
    graph, presize = OnnxGraph(copy.deepcopy(p.model).float().eval(), p.act, p.spec).eval(), p.spec['presize']
    def export():
        if exporter == 'torch.export':
            prog = torch.onnx.export(graph, (torch.zeros(2, *presize, 3, dtype=torch.uint8),), dynamo=True, external_data=False, verbose=False,
                                     input_names=['image'], output_names=['probs'], dynamic_shapes=({0: torch.export.Dim('batch')},))
            return prog.model_proto.SerializeToString()
        return _onnx_bytes(graph, presize, {})
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter(); data = export(); seconds.append(time.perf_counter() - start)
    x = torch.randint(0, 256, (4, *presize, 3), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    with torch.inference_mode(): ref = graph(x).numpy()
    got = ort.InferenceSession(data).run(None, {'image': x.numpy()})[0]
    return dict(exporter=exporter, seconds=seconds, max_diff=float(np.abs(got - ref).max()), bytes=len(data))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--one', help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one: return print(json.dumps(one_exporter(args.one, args.repeat)))
    import torch
    print(f"machine: {os.cpu_count()} CPU cores, torch {torch.__version__} with {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.1f}")
    rows = {}
    for exporter in ('torch.export', 'TorchScript'):
        r = subprocess.run([sys.executable, __file__, '--one', exporter, '--repeat', str(args.repeat)], capture_output=True, text=True, check=True)
        rows[exporter] = json.loads(r.stdout.strip().splitlines()[-1])
        s = rows[exporter]['seconds']
        print(f"{exporter:>12}: first export {s[0]:5.2f} s, then {' '.join(f'{t:.2f}' for t in s[1:])} s; {rows[exporter]['bytes']/1e6:.1f} MB; "
              f"ONNX Runtime against torch: max difference {rows[exporter]['max_diff']:.1e}")
    a, b = rows['torch.export']['seconds'], rows['TorchScript']['seconds']
    print(f"torch.export-based / TorchScript-based: first export {a[0]/b[0]:.1f}x, later exports {sum(a[1:])/max(sum(b[1:]), 1e-9):.1f}x as long")

if __name__ == '__main__': main()
