"""Discovery on a folder of many tiny files: time and peak memory of tasks/discover.py, streaming, stat only.

    python benchmarks/discovery.py            # 100,000 files in 100 folders of 1,000, in a temp folder
    python benchmarks/discovery.py --files 20000 --per-folder 20000

tests/benchmarks/test_discovery.py runs it at 100,000 files with bounds; this script prints the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.discover import discover  # noqa: E402


def build(root: Path, files: int, per_folder: int) -> float:
    """Tiny files written with os-level calls: the fastest way to make many inodes from Python."""
    started = time.perf_counter()
    for i in range(files):
        folder = root / f"f{i // per_folder:04d}"
        if i % per_folder == 0:
            folder.mkdir()
        fd = os.open(folder / f"{i:06d}.txt", os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, b"x\n")
        os.close(fd)
    return time.perf_counter() - started


def measure(root: Path) -> tuple[int, float, int]:
    """Files found, seconds, and the peak of Python allocations while discovering (tracemalloc)."""
    tracemalloc.start()
    started = time.perf_counter()
    count = sum(1 for _ in discover([str(root)]))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--per-folder", type=int, default=1_000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="newsprep-discovery-"))
    try:
        built = build(root, args.files, args.per_folder)
        count, seconds, peak = measure(root)
        again_count, again_seconds, _ = measure(root)  # a second pass: was the first one cache-bound?
        assert count == again_count == args.files, f"found {count}, expected {args.files}"
        print(f"created {args.files:,} files in {built:.1f} s ({args.per_folder:,} per folder)")
        print(f"discovered {count:,} files in {seconds:.2f} s, again in {again_seconds:.2f} s "
              f"({count / seconds:,.0f} files/s); peak Python memory {peak / 1e6:.1f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
