"""Peak memory of an ingest run against the corpus size: is it flat in N?

    .venv/bin/python benchmarks/memory.py                       # 10k and 50k generated dumps
    .venv/bin/python benchmarks/memory.py --sizes 10000,50000,200000

Each size is a generated corpus (benchmarks/generate.py, cached by (n, seed) under --corpus) ingested by the
flow in local mode into a fresh warehouse, in a child process whose whole tree (flow process, Prefect's temporary
API server, the worker pool) is sampled for resident memory. Prints the curve, the growth per 10,000 dumps
between the smallest and the largest size, and the issue's target (<= 1 GiB at 200,000 dumps), measured when
200,000 is among the sizes, else extrapolated along the measured line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages are not installed under these names

from benchmarks.throughput import ensure_corpus, load_average, prefect_env, run_child, verdict  # noqa: E402

TARGET_N = 200_000
TARGET_BYTES = 2**30


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(s.replace("_", "").replace("k", "000")) for s in text.split(",") if s.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are positive numbers separated by commas, e.g. 10000,50000")
    return sizes


def at_target(curve: list[tuple[int, int]]) -> tuple[int, bool]:
    """Peak RSS at TARGET_N: measured if in the curve, else on the line through the first and last points."""
    for n, peak in curve:
        if n == TARGET_N:
            return peak, True
    (n0, p0), (n1, p1) = curve[0], curve[-1]
    slope = (p1 - p0) / (n1 - n0) if n1 != n0 else 0.0
    return int(p1 + slope * (TARGET_N - n1)), False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[10_000, 50_000], help="dumps per run (default 10000,50000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()), help="corpus cache folder")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="newsprep-memory-"))
    curve: list[tuple[int, int]] = []
    try:
        print(f"machine: {load_average()}")
        env = prefect_env(tmp / "prefect-home")
        for n in args.sizes:
            corpus, size = ensure_corpus(args.corpus, n, args.seed)
            child = run_child("flow", str(corpus), str(tmp / f"wh-{n}"), str(args.workers), env=env, interval=0.25)
            curve.append((n, child.peak_rss))
            print(f"{n:>9,} dumps ({size / 1e6:7.1f} MB): peak RSS {child.peak_rss / 2**20:7.0f} MiB  "
                  f"ingest {child.result['seconds']:7.1f} s ({n / child.result['seconds']:.1f} docs/s)")
            print("          at the peak: " + ", ".join(
                f"{name} {rss / 2**20:.0f} MiB" for name, rss in sorted(child.peak_parts.items(), key=lambda x: -x[1])))
            shutil.rmtree(tmp / f"wh-{n}", ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if len(curve) > 1:
        (n0, p0), (n1, p1) = curve[0], curve[-1]
        print(f"growth: {(p1 - p0) / 2**20 / ((n1 - n0) / 10_000):+.1f} MiB per 10,000 dumps ({n0:,} -> {n1:,})")
    peak, measured = at_target(curve)
    how = "measured" if measured else "extrapolated along the measured line"
    print(verdict(peak <= TARGET_BYTES, f"peak RSS at {TARGET_N:,} dumps <= 1 GiB: {peak / 2**20:.0f} MiB ({how})"))
    print(f"machine: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
