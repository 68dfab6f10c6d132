"""Incremental runs: a full run over a generated corpus, a re-run with nothing changed, a re-run with 1% changed.

    .venv/bin/python benchmarks/incremental.py                 # 20,000 generated dumps (cached under /tmp)
    .venv/bin/python benchmarks/incremental.py --n 2000 --workers 2

The three runs are the ingest flow called in one process (Prefect's local mode starts its temporary API server
once, before the first run; that start-up is not part of any run's time). Targets from issue 5: a re-run with
nothing changed ≤ 5% of the full run, with 1% of the files changed ≤ 10%. The search index rebuild is measured
apart: it reads every article, so it is not incremental (turn it off per run with search_index=False and let the
maintenance flow rebuild it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.throughput import dump_paths, ensure_corpus  # noqa: E402

TARGETS = {"unchanged": 0.05, "one_percent": 0.10}


def _env() -> None:
    home = Path(tempfile.mkdtemp(prefix="newsprep-bench-prefect-"))
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.pop("PREFECT_API_URL", None)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def _timed(config) -> tuple[float, dict]:  # type: ignore[no-untyped-def]
    from flows.ingest import ingest

    start = time.perf_counter()
    result = ingest(config)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="dumps in the generated corpus (default 20,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()), help="where corpora are cached")
    args = parser.parse_args(argv)
    _env()
    from flows.ingest import IngestConfig, ingest
    from flows.stages import rebuild_search_index
    from tasks.shard import shutdown_pool

    cached, _ = ensure_corpus(args.corpus, args.n, args.seed)
    work = Path(tempfile.mkdtemp(prefix="newsprep-incremental-"))
    corpus = work / "dumps"
    shutil.copytree(cached, corpus)  # the 1% run changes files: never the cached corpus
    warehouse = work / "wh"
    config = IngestConfig(sources=[str(corpus)], warehouse=str(warehouse), workers=args.workers, search_index=False)
    empty = work / "empty"
    empty.mkdir()
    try:
        # Start Prefect's temporary server and the worker pool before any timed run.
        ingest(IngestConfig(sources=[str(empty)], warehouse=str(work / "warm"), workers=args.workers))
        full, first = _timed(config)
        unchanged, second = _timed(config)
        paths = dump_paths(corpus)
        changed = paths[::100]  # 1% of the files, spread over every folder
        for p in changed:
            p.write_bytes(p.read_bytes() + b"\n")  # a scraper re-saving a file with one more line end
        one_percent, third = _timed(config)
        start = time.perf_counter()
        indexed = rebuild_search_index(warehouse)
        search_seconds = time.perf_counter() - start
    finally:
        shutdown_pool()
    print(f"corpus: {len(paths):,} dumps ({args.n:,} generated, seed {args.seed}), {args.workers} workers")
    print(f"full run              {full:8.1f} s   {first['dumps']:,} dumps, {first['articles']:,} articles, "
          f"{first['rejects']:,} rejects, {len(paths) / full:,.0f} docs/s")
    rows = (("unchanged", unchanged, second, "nothing changed"), ("one_percent", one_percent, third,
                                                                  f"{len(changed)} files changed"))
    ok = True
    for key, seconds, result, what in rows:
        share = seconds / full
        passed = share <= TARGETS[key]
        ok &= passed
        print(f"re-run, {what:16s}{seconds:8.1f} s   {share:6.1%} of the full run (target ≤ {TARGETS[key]:.0%}: "
              f"{'PASS' if passed else 'FAIL'}); processed {result['dumps'] + result['rejects']:,}, "
              f"skipped {result['files_skipped']:,}")
    print(f"search index rebuild  {search_seconds:8.1f} s   over {indexed or 0:,} articles (not part of the runs above)")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
