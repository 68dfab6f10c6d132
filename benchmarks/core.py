"""Throughput of the pure core and of the main job, on copies of the bundled samples. Prints its figures.

    python benchmarks/core.py                 # process_dump in one process vs. langdetect alone
    python benchmarks/core.py --flow          # plus `ingest` through Prefect local mode, 1 and 2 workers

The corpus is samples/ repeated (each copy gets a distinct first body line so no two files are identical).
The fuller generator and the baselines asked for by issue 7 come later; these figures are the floor to beat.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks.decode import decode  # noqa: E402
from tasks.language import detect  # noqa: E402
from tasks.pipeline import process_dump  # noqa: E402


def build_corpus(target: Path, copies: int) -> list[Path]:
    samples = sorted(p for p in (ROOT / "samples").iterdir() if p.name.endswith((".txt", ".txt.gz")))
    paths = []
    for i in range(copies):
        for p in samples:
            raw = p.read_bytes()
            if p.name.endswith(".gz"):
                raw = gzip.decompress(raw)
            text = decode(raw).text
            # A distinct last paragraph per copy keeps every file's content hash unique.
            out = target / f"copy{i:05d}_{p.name.removesuffix('.gz')}"
            out.write_text(text.rstrip("\n") + f"\n\nCopy number {i} of this sample was written by the benchmark.\n", "utf-8")
            paths.append(out)
    return paths


def bench_core(paths: list[Path]) -> None:
    raws = [(p.read_bytes(), str(p)) for p in paths]
    total_mb = sum(len(r) for r, _ in raws) / 1e6
    process_dump(*raws[0])  # warm: rules, registry, langdetect profiles
    t0 = time.perf_counter()
    results = [process_dump(raw, src) for raw, src in raws]
    core_s = time.perf_counter() - t0
    bodies = [a.body for r in results for a in r.articles]
    t0 = time.perf_counter()
    for body in bodies:
        detect(body)
    lang_s = time.perf_counter() - t0
    n = len(raws)
    print(f"corpus: {n} dumps, {total_mb:.1f} MB, {len(bodies)} articles")
    print(f"process_dump, 1 process: {n / core_s:8.1f} docs/s  {total_mb / core_s:6.2f} MB/s  ({core_s:.2f} s)")
    print(f"langdetect alone (same articles, 1 process): {len(bodies) / lang_s:8.1f} docs/s  ({lang_s:.2f} s)")
    print(f"share of core time in language detection: {lang_s / core_s:.0%}")


def bench_flow(corpus: Path, workers: int) -> None:
    from flows.ingest import IngestConfig, ingest

    warehouse = Path(tempfile.mkdtemp(prefix="newsprep-bench-wh-"))
    try:
        t0 = time.perf_counter()
        result = ingest(IngestConfig(sources=[str(corpus)], warehouse=str(warehouse), workers=workers))
        wall = time.perf_counter() - t0
        print(
            f"ingest flow, {workers} worker(s): {result['dumps'] / wall:8.1f} docs/s  wall {wall:.2f} s "
            f"({result['dumps']} dumps, {result['articles']} articles, {result['rejects']} rejects)"
        )
    finally:
        shutil.rmtree(warehouse, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=100, help="copies of samples/ (15 dumps each)")
    ap.add_argument("--flow", action="store_true", help="also run the ingest flow with 1 and 2 workers")
    args = ap.parse_args()
    corpus = Path(tempfile.mkdtemp(prefix="newsprep-bench-"))
    try:
        paths = build_corpus(corpus, args.copies)
        bench_core(paths)
        if args.flow:
            os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
            os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
            bench_flow(corpus, 1)  # the first flow also pays the temporary server's start-up
            bench_flow(corpus, 1)
            bench_flow(corpus, 2)
            from tasks.shard import shutdown_pool

            shutdown_pool()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this process: {peak:.0f} MB")
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


if __name__ == "__main__":
    main()
