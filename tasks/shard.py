"""Process one shard of dumps and stage its rows as Parquet. Runs in worker processes that never import Prefect."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.tables import INDEXES
from tasks.allocator import release_free_memory
from tasks.boilerplate import LineStats, scope_of
from tasks.decode import decode
from tasks.dedup import SIGNATURES, signature_rows
from tasks.inputs import InputFile, Rejected
from tasks.pipeline import process_dump
from tasks.reader import DEFAULT_MAX_BYTES, read_input
from tasks.records import DumpResult
from tasks.repair import repair
from tasks.rows import TableRows, rows_for

PARQUET_OPTIONS = {"compression": "zstd", "row_group_size": 64_000}


@dataclass
class ShardReport:
    """What a shard did, small enough to return through Prefect: counts and staged file paths."""

    shard: int
    staged: dict[str, str] = field(default_factory=dict)  # table -> parquet path
    dumps: int = 0
    rejects: int = 0
    articles: int = 0
    removed_lines: int = 0
    seconds: float = 0.0
    languages: Counter[str] = field(default_factory=Counter)
    publishers: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    reject_reasons: Counter[str] = field(default_factory=Counter)
    reject_rows: list[tuple[str, str, str]] = field(default_factory=list)  # (path, reason, detail)


def read_and_process(
    entry: InputFile,
    boilerplate: frozenset[str] = frozenset(),
    detector: str = "langdetect",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DumpResult:
    """Read the file within the size limit (tasks/reader.py) and clean it; a file that cannot be read is a reject."""
    try:
        contents = read_input(entry, max_bytes)
    except Rejected as exc:
        return DumpResult(
            dump_id="",
            source_path=entry.path,
            sha256="",
            size_bytes=entry.size,
            encoding=None,
            reject_reason=exc.reason,
            reject_detail=exc.detail,
        )
    return process_dump(contents.raw, entry.path, boilerplate, detector)


def scan_shard(entries: list[InputFile], max_bytes: int = DEFAULT_MAX_BYTES) -> LineStats:
    """First pass: count the short lines of every dump by source folder, to learn its boilerplate."""
    stats = LineStats()
    for entry in entries:
        try:
            text = decode(read_input(entry, max_bytes).data).text
        except Rejected:
            continue  # the processing pass records it as a reject
        stats.add(entry.path, repair(text).text)
    release_free_memory()
    return stats


def run_shard(
    shard: int,
    entries: list[InputFile],
    run_id: str,
    staging: str,
    boilerplate: dict[str, frozenset[str]] | None = None,
    detector: str = "langdetect",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ShardReport:
    """Process every dump of the shard and write one Parquet file per table under `staging`."""
    started = dt.datetime.now(dt.UTC)
    rows = TableRows()
    report = ShardReport(shard=shard)
    boilerplate = boilerplate or {}
    for entry in entries:
        result = read_and_process(
            entry, boilerplate.get(scope_of(entry.path), frozenset()), detector, max_bytes=max_bytes
        )
        rows.extend(rows_for(result, run_id, dt.datetime.fromtimestamp(entry.mtime, dt.UTC)))
        if result.rejected:
            report.rejects += 1
            report.reject_reasons[str(result.reject_reason)] += 1
            report.reject_rows.append((entry.path, str(result.reject_reason), str(result.reject_detail)))
            continue
        report.dumps += 1
        report.articles += len(result.articles)
        for a in result.articles:
            report.languages[a.language] += 1
            report.publishers[a.origin.publisher or "(unknown)"] += 1
    report.removed_lines = len(rows.removed_lines)
    report.rules.update(r["rule_id"] for r in rows.removed_lines)
    out = Path(staging)
    tables = rows.to_arrow()
    # MinHash signatures are CPU work: done here in the workers, not in the commit that links duplicates.
    tables[SIGNATURES] = pa.Table.from_pylist(signature_rows(rows.articles, run_id), schema=INDEXES[SIGNATURES])
    for name, table in tables.items():
        if table.num_rows:
            path = out / name / f"shard-{shard:06d}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path, **PARQUET_OPTIONS)
            report.staged[name] = str(path)
    del rows, tables, table  # freed before the trim
    release_free_memory()
    report.seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return report


def _warm_worker() -> None:
    """Load rules, registry and langdetect's profiles once per worker, not once per dump."""
    # Arrow's default allocator (mimalloc) keeps what a shard's tables used: ~20 MiB more per worker after 10,000
    # dumps than the system allocator, for the same CPU time (each shard builds its small tables once).
    # That sets pyarrow's default only: Parquet's writer uses Arrow's C++ default, see _start_forkserver.
    pa.set_memory_pool(pa.system_memory_pool())
    from tasks.language import detect
    from tasks.registry import registry
    from tasks.rules import load_rules

    load_rules()
    registry()
    detect("This sentence only warms up the language detector profiles.")
    detect("This sentence only warms up the language detector profiles.", detector="py3langid")
    from tasks.dedup import _bands, _permutations

    _permutations()  # the MinHash permutations, drawn once
    _bands()


_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()
# Arrow's C++ default pool, chosen once per process from this variable when pyarrow loads, is the one Parquet's
# writer allocates from whatever pa.set_memory_pool says (that only sets pyarrow's own default). Left to mimalloc,
# it kept ~25-30 MiB of freed pages per worker (none of them in use between shards, release_unused() gave none
# back): the forkserver, which the workers fork from, starts with the system allocator instead.
ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"


def _start_forkserver() -> None:
    """Start the forkserver (unless it runs) with Arrow's C++ default pool set to the system allocator, in its
    environment only: this process's own variable is put back (its pyarrow has chosen its pool already)."""
    from multiprocessing import forkserver

    before = os.environ.get(ARROW_POOL_VARIABLE)
    os.environ[ARROW_POOL_VARIABLE] = "system"
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ[ARROW_POOL_VARIABLE]
        else:
            os.environ[ARROW_POOL_VARIABLE] = before


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """One process pool per orchestrating process. forkserver: workers start clean, not forked from threads."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != workers:
            if _pool is not None:
                _pool.shutdown(wait=True)
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            ctx = multiprocessing.get_context(method)
            if method == "forkserver":
                ctx.set_forkserver_preload(["tasks.preload"])  # models loaded once, before the first fork
                _start_forkserver()
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm_worker)
            _pool_size = workers
        return _pool


def shutdown_pool(stop_forkserver: bool = False) -> None:
    """Stop the workers; with `stop_forkserver`, the forkserver too: it holds the preloaded models (~290 MiB of
    PSS) until this process exits, and a big run's commit, which follows, needs none of them. The next pool
    starts a new forkserver (a few seconds of preloading)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None
        if stop_forkserver:
            from multiprocessing import forkserver

            stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)  # CPython's own, 3.11-3.13
            if callable(stop):
                stop()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
