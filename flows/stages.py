"""The stages ingest and reprocess share: learn boilerplate, process shards (reusing staged output), commit, report.

Prefect tasks run on threads and send the CPU work to a process pool that never imports Prefect; on a Dask cluster
the shard tasks run on the Dask workers instead. Shard output is staged as Parquet under the warehouse, keyed by the
shard's content, and made visible by one DuckLake transaction. A run killed before its commit leaves staged shards
that the next run with the same work reuses; a successful commit clears the staging area.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import importlib
import importlib.metadata as md
import os
import pickle
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.futures import PrefectFuture, as_completed
from prefect.utilities.annotations import quote
from pydantic import BaseModel, Field

from schemas.tables import SCHEMA_VERSION, TABLES, schema_hash
from tasks import warehouse as wh
from tasks.allocator import release_free_memory
from tasks.boilerplate import SCAN_SAMPLE, LineStats, scope_of
from tasks.dedup import ensure_signatures, forget, link_duplicates
from tasks.inputs import InputFile, Skipped
from tasks.manifest import DEFAULT_SHARD_SIZE, shard_key
from tasks.pipeline import PIPELINE_VERSION
from tasks.rules import rules_version
from tasks.shard import (
    ShardReport,
    default_workers,
    run_shard,
    scan_shard,
    shutdown_pool,
    worker_pool,
)
from tasks.todo import PLAN_DIR, Todo

DEFAULT_MAX_FILE_MB = 20
SHARDS_DIR = "shards"
DONE_FILE = "report.pkl"
# A run this large gives its worker pool back before the commit (the next run starts one again, ~2 s): the pool
# (forkserver + workers, ~700 MiB resident) idles while the commit works, and the run's peak memory would be the sum
# of both. Smaller runs keep it warm: tests and `serve` run many small flows in one process.
RELEASE_POOL_AT = 2_000
# Shard tasks submitted ahead per worker process (run_shards): enough to keep every worker busy.
SHARDS_IN_FLIGHT_PER_WORKER = 2
# The run's progress artifact (the UI's bar) is updated at most this often, and always at the end: each update is
# an API call and a write to the Prefect server's database (~13 ms of its CPU), and the server shares the cores with
# the workers.
PROGRESS_EVERY_S = 2.0
# Most dumps in one boilerplate-scan task: reading a sampled dump costs ~0.5 ms, a Prefect task run far more, but a
# part's list of files is held while it runs.
SCAN_PART_MAX = 5_000

T = TypeVar("T")

# Observers of shard progress (the command line's progress bar); never part of a flow's parameters.
progress_listeners: list[Callable[[int, int], None]] = []


class ProcessingOptions(BaseModel):
    """How shards are processed: shared by the ingest and reprocess flows (the Prefect UI shows them as a form)."""

    workers: int = Field(default_factory=default_workers, ge=1, le=64, description="Worker processes.")
    shard_size: int = Field(DEFAULT_SHARD_SIZE, ge=1, le=10_000, description="Most dumps per shard (one Prefect task each).")
    language_detector: Literal["langdetect", "py3langid"] = Field(
        "langdetect", description="Language detector of record: langdetect, or py3langid (faster, offline)."
    )
    learn_boilerplate: bool = Field(
        True, description="First pass: learn lines repeated across many dumps of one folder, then remove them."
    )
    max_file_mb: float = Field(
        DEFAULT_MAX_FILE_MB, gt=0, le=4096, description="Files larger than this (or inflating past it) are rejected."
    )
    shard_timeout_seconds: int = Field(
        3600, ge=10, le=86_400, description="A shard still running after this fails the run (nothing is committed)."
    )
    search_index: bool = Field(
        False,
        description="Rebuild the full-text search index after the commit. Off by default: it reads every article, "
        "so `newsprep search` rebuilds a stale index when asked and the weekly maintenance keeps it fresh.",
    )
    runner: Literal["local", "dask"] = Field(
        "local", description="local: a process pool on this machine; dask: the shards run on a Dask cluster."
    )
    dask_address: str | None = Field(
        None, description="Scheduler address for runner=dask, e.g. tcp://10.0.0.5:8786.", pattern=r"^[a-z]+://\S+$"
    )


@dataclass
class Work:
    """What a run has to do, decided before any shard runs."""

    todo: Todo  # on disk: the flow reads one shard at a time
    replaced: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # pruned: rows removed, nothing new
    skipped: list[Skipped] = field(default_factory=list)  # discovery's rejects, committed as reject rows
    files_seen: int = 0
    unchanged: int = 0
    notes: dict[str, Any] = field(default_factory=dict)  # extra counts for the runs table (hashed, outdated, ...)


def run_namer(prefix: str, field_name: str) -> Callable[[], str]:
    """Readable flow-run names for the UI: '<prefix>-<last part of a config field>-<UTC time>'."""

    def name() -> str:
        params = get_run_context().flow_run.parameters  # type: ignore[union-attr]
        config = params.get("config") or {}
        value = config.get(field_name) if isinstance(config, dict) else getattr(config, field_name, None)
        if isinstance(value, list):
            value = value[0] if value else None
        part = Path(str(value)).name if value else "default"
        return f"{prefix}-{part or 'root'}-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}"

    return name


def new_run_id() -> str:
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def versions() -> dict[str, str]:
    out = {"pipeline": PIPELINE_VERSION, "rules": rules_version(), "schema": f"{SCHEMA_VERSION}:{schema_hash()}"}
    for pkg in ("prefect", "duckdb", "pyarrow", "langdetect"):
        out[pkg] = md.version(pkg)
    return out


@contextmanager
def stage_timer(timings: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - start, 3)


class Learned:
    """The boilerplate learned by the scan, folder by folder, as each scan task finishes. A task's part of the
    sample holds whole folders (Todo.parts), so what its statistics teach about them is final: the flow keeps the
    learned lines, never the merged line statistics (~100 MiB in the flow at 200,000 dumps, growing through the
    scan). The tasks return only a count: a task's return value can stay referenced by Prefect's task-run records
    while the flow runs."""

    def __init__(self) -> None:
        self.lines: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def add(self, part: LineStats) -> int:
        learned = part.learn()
        with self._lock:
            self.lines.update(learned)
        return sum(part.dumps.values())


@task(name="scan-shard", cache_policy=NO_CACHE)
def scan(entries: list[InputFile], workers: int, max_bytes: int, timeout: int, into: Learned) -> int:
    """Count short lines by folder in the process pool (the first pass of boilerplate learning) and learn from
    them; returns the number of dumps scanned, what is learned goes into `into`."""
    stats = _within(worker_pool(workers).submit(scan_shard, entries, max_bytes=max_bytes), timeout, "scan")
    return into.add(stats)


def _within(future, timeout: int, what: str):  # type: ignore[no-untyped-def]
    """The result of a process-pool future, or a clear failure after `timeout` seconds (Prefect's own task timeout
    cannot interrupt a thread that waits)."""
    try:
        return future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise TimeoutError(f"a {what} shard ran longer than {timeout} s (shard_timeout_seconds)") from None


@task(name="process-shard", cache_policy=NO_CACHE)
def process_shard(
    shard: int,
    entries: list[InputFile],
    staging_root: str,
    salt: str,
    boilerplate: dict[str, frozenset[str]],
    options: ProcessingOptions,
    in_process: bool = False,
) -> tuple[ShardReport, bool]:
    """Process one shard, or reuse what a killed run staged for the same work; returns (report, reused)."""
    key = shard_key(entries, salt)
    final = Path(staging_root) / SHARDS_DIR / key
    done = final / DONE_FILE
    if done.is_file():
        with done.open("rb") as fh:
            report: ShardReport = pickle.load(fh)
        report.shard = shard
        return report, True
    partial = final.with_name(f"{key}.partial-{uuid.uuid4().hex[:8]}")
    args = (shard, entries, "staged", str(partial), boilerplate, options.language_detector)
    kwargs = {"max_bytes": int(options.max_file_mb * 1024 * 1024)}
    if in_process:
        report = run_shard(*args, **kwargs)
    else:
        future = worker_pool(options.workers).submit(run_shard, *args, **kwargs)
        report = _within(future, options.shard_timeout_seconds, "process")
    report.staged = {t: str(final / Path(p).relative_to(partial)) for t, p in report.staged.items()}
    partial.mkdir(parents=True, exist_ok=True)
    with (partial / DONE_FILE).open("wb") as fh:
        pickle.dump(report, fh)
        fh.flush()
        os.fsync(fh.fileno())
    shutil.rmtree(final, ignore_errors=True)
    os.replace(partial, final)  # the shard's output appears whole or not at all
    return report, False


@task(name="commit", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def commit_run(
    warehouse: str,
    staged: dict[str, list[str]],
    replaced: list[str],
    extra_rejects: list[dict[str, Any]],
    run_row: dict,
) -> tuple[int, dict[str, Any]]:
    con = wh.connect(warehouse, read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        ensure_signatures(con)
        extra = {"rejects": pa.Table.from_pylist(extra_rejects, schema=TABLES["rejects"])}
        # Duplicates are linked inside the same transaction: a replaced file leaves its clusters first.
        return wh.commit(con, {k: [Path(p) for p in v] for k, v in staged.items()}, replaced, run_row, extra,
                         post_insert=[link_duplicates], pre_delete=[forget])
    finally:
        con.close()


def flow_run_id() -> str | None:
    ctx = get_run_context()
    run = getattr(ctx, "flow_run", None)
    return str(run.id) if run is not None else None


def plan_dir(warehouse: Path) -> Path:
    """Where a run's lists of files go (tasks/todo.py), emptied first: what a dead run left is of no use."""
    spool = warehouse / wh.STAGING_DIR / PLAN_DIR
    shutil.rmtree(spool, ignore_errors=True)
    spool.mkdir(parents=True)
    return spool


def in_window(items: Iterable[T], submit: Callable[[int, T], PrefectFuture], window: int) -> Iterator[tuple[int, Any]]:
    """(index, result) of every item's task, at most `window` submitted and unfinished at a time; items are drawn
    only as tasks finish, so an iterator of shards read from disk is never held whole."""
    pending: dict[PrefectFuture, int] = {}
    for i, item in enumerate(items):
        if len(pending) >= window:
            fut = next(as_completed(list(pending)))
            yield pending.pop(fut), fut.result()
        pending[submit(i, item)] = i
    for fut in as_completed(list(pending)):
        yield pending.pop(fut), fut.result()


def scan_parts(todo: Todo, options: ProcessingOptions) -> Iterator[list[InputFile]]:
    """The boilerplate scan's sample of the todo, cut into the parts the scan tasks get: two per worker for a small
    run, about SCAN_PART_MAX dumps each for a big one, a folder never split."""
    sample = todo.sample(SCAN_SAMPLE, Path(todo.file).with_name("sample.parquet"))
    return sample.parts(min(SCAN_PART_MAX, max(1, -(-len(sample) // (2 * options.workers)))))


def staged_files(reports: list[ShardReport]) -> dict[str, list[str]]:
    """The staged Parquet files of the shards, by table: what the commit inserts."""
    staged: dict[str, list[str]] = {}
    for r in reports:
        for table, path in r.staged.items():
            staged.setdefault(table, []).append(path)
    return staged


def boilerplate_of(todo: Todo, options: ProcessingOptions) -> dict[str, frozenset[str]]:
    if not (options.learn_boilerplate and todo.file and todo.count):
        return {}
    learned = Learned()
    max_bytes = int(options.max_file_mb * 1024 * 1024)

    def submit(_: int, entries: list[InputFile]) -> PrefectFuture:
        return scan.submit(quote(entries), options.workers, max_bytes, options.shard_timeout_seconds, quote(learned))

    for _ in in_window(scan_parts(todo, options), submit, max(2, 2 * options.workers)):
        pass
    release_free_memory()  # what sampling and the parts' statistics freed, before the long processing stage
    return learned.lines


def _salt(options: ProcessingOptions, boilerplate: dict[str, frozenset[str]], entries: list[InputFile]) -> str:
    """Everything besides the files that changes a shard's rows."""
    h = hashlib.sha256(
        f"{PIPELINE_VERSION}|{rules_version()}|{schema_hash()}|{options.language_detector}|{options.max_file_mb}".encode()
    )
    for scope in sorted({scope_of(e.path) for e in entries}):
        h.update(scope.encode())
        for line in sorted(boilerplate.get(scope, ())):
            h.update(b"\0" + line.encode())
    return h.hexdigest()


@flow(name="process-shards-on-dask")
def process_on_dask(
    todo: Todo, staging_root: str, boilerplate: dict, options: ProcessingOptions
) -> list[tuple[ShardReport, bool]]:
    """The shards as tasks of a subflow whose task runner is the Dask cluster (see run_shards)."""
    runner = get_run_context().task_runner  # type: ignore[union-attr]
    threads = sum(runner.client.nthreads().values())  # the cluster's, which options.workers does not describe

    def submit(i: int, entries: list[InputFile]) -> PrefectFuture:
        salt = _salt(options, boilerplate, entries)
        return process_shard.submit(i, entries, staging_root, salt, boilerplate, options, in_process=True)

    results: list[tuple[ShardReport, bool] | None] = [None] * todo.shard_count(options.shard_size, options.workers)
    for i, result in in_window(todo.shards(options.shard_size, options.workers), submit,
                               max(2, SHARDS_IN_FLIGHT_PER_WORKER * threads)):
        results[i] = result
    return [r for r in results if r is not None]


def warm_pool(options: ProcessingOptions) -> None:
    """Start the worker pool's forkserver now, without waiting for it (~10 ms here): it loads the models (~1.5-2 s of
    one core) while this process starts Prefect, discovers and plans, instead of after, when the first shard would
    wait for it. A pool already warm is kept; the Dask runner's workers are the cluster's."""
    if options.runner == "local":
        worker_pool(options.workers)


def run_shards(
    todo: Todo, staging_root: Path, boilerplate: dict, options: ProcessingOptions
) -> list[tuple[ShardReport, bool]]:
    """Every shard's (report, reused), in shard order. Shards are read from the run's todo file as tasks finish."""
    if options.runner == "dask":
        from prefect_dask import DaskTaskRunner

        if not options.dask_address:
            raise ValueError("runner=dask needs dask_address (tcp://HOST:PORT of the Dask scheduler)")
        runner = DaskTaskRunner(address=options.dask_address)
        return process_on_dask.with_options(task_runner=runner)(todo, str(staging_root), boilerplate, options)
    # A bounded window of shard tasks: a few per worker keep the pool busy while the flow holds only that many
    # shards, whatever their number. quote(): Prefect would otherwise walk every InputFile and boilerplate line of
    # every task's parameters (looking for futures), several times per task: the flow process's largest CPU cost
    # per dump.
    total = todo.shard_count(options.shard_size, options.workers)
    progress_id = create_progress_artifact(0.0, key="ingest-progress", description="shards processed") if total else None
    results: list[tuple[ShardReport, bool] | None] = [None] * total

    def submit(i: int, entries: list[InputFile]) -> PrefectFuture:
        salt = _salt(options, boilerplate, entries)
        return process_shard.submit(i, quote(entries), str(staging_root), salt, quote(boilerplate), options)

    window = max(2, SHARDS_IN_FLIGHT_PER_WORKER * options.workers)
    shown = time.monotonic()
    for done, (i, result) in enumerate(in_window(todo.shards(options.shard_size, options.workers), submit, window), 1):
        results[i] = result
        if progress_id is not None and progress_due(done, total, shown, time.monotonic()):
            update_progress_artifact(progress_id, 100.0 * done / total)
            shown = time.monotonic()
        for listener in progress_listeners:
            listener(done, total)
    return [r for r in results if r is not None]


def progress_due(done: int, total: int, shown: float, now: float, every: float = PROGRESS_EVERY_S) -> bool:
    """Whether the progress artifact should show `done` of `total` now, `shown` being when it was last updated."""
    return done >= total or now - shown >= every


def skipped_rows(skipped: list[Skipped], run_id: str) -> list[dict[str, Any]]:
    return [
        {"source_path": s.path, "sha256": None, "size_bytes": s.size, "mtime": None, "reason": s.reason,
         "detail": s.detail, "run_id": run_id}
        for s in skipped
    ]


def execute(name: str, work: Work, warehouse: Path, options: ProcessingOptions, parameters: dict,
            timings: dict[str, float], started: dt.datetime, run_id: str) -> dict:
    """Process the work and commit it; publish the report artifacts. Returns counts and paths, never the data."""
    logger = get_run_logger()
    staging_root = warehouse / wh.STAGING_DIR
    logger.info("%d files seen, %d unchanged, %d to process in %d shards, %d skipped by discovery",
                work.files_seen, work.unchanged, len(work.todo),
                work.todo.shard_count(options.shard_size, options.workers), len(work.skipped))
    with stage_timer(timings, "scan"):
        boilerplate = boilerplate_of(work.todo, options)
    with stage_timer(timings, "process"):
        results = run_shards(work.todo, staging_root, boilerplate, options)
    processed = len(work.todo)
    if options.runner == "local" and processed >= RELEASE_POOL_AT:
        shutdown_pool(stop_forkserver=True)
    reports = [r for r, _ in results]
    totals = totals_of(reports, work)
    totals["shards_reused"] = sum(1 for _, reused in results if reused)
    staged = staged_files(reports)
    extra_rejects = skipped_rows(work.skipped, run_id)
    run_row = {
        "run_id": run_id,
        "flow_run_id": flow_run_id(),
        "started_at": started,
        "finished_at": dt.datetime.now(dt.UTC),
        "status": "completed",
        "files_seen": work.files_seen,
        "files_skipped": work.unchanged,
        "dumps_written": totals["dumps"],
        "rejects_written": totals["rejects"],
        "articles_written": totals["articles"],
        "removed_lines_written": totals["removed_lines"],
        "parameters": wh.to_json(parameters),
        "versions": wh.to_json(versions()),
    }
    import_report_in_background()  # altair's import (~0.3-0.4 s) overlaps the commit instead of following it
    with stage_timer(timings, "commit"):
        totals["stage_seconds"] = dict(timings)
        run_row["counts"] = wh.to_json(totals)
        snapshot, linked = commit_run(str(warehouse), staged, sorted({*work.replaced, *work.deleted}),
                                      extra_rejects, run_row)
    shutil.rmtree(staging_root, ignore_errors=True)  # committed: nothing staged is needed any more
    if options.search_index and (totals["dumps"] or totals["rejects"] or work.deleted or work.replaced):
        with stage_timer(timings, "search_index"):
            rebuild_search_index(warehouse)
    logger.info("committed snapshot %d: %d dumps, %d articles, %d rejects, %d removed lines, %d files pruned",
                snapshot, totals["dumps"], totals["articles"], totals["rejects"], totals["removed_lines"],
                len(work.deleted))
    totals["stage_seconds"] = dict(timings)
    result = {
        "run_id": run_id,
        "warehouse": str(warehouse),
        "snapshot": snapshot,
        "files_seen": work.files_seen,
        "files_skipped": work.unchanged,
        "pruned": len(work.deleted),
        "stage_seconds": dict(timings),  # with the commit's own time, which the runs row cannot hold
        **{k: totals[k] for k in ("dumps", "articles", "rejects", "removed_lines")},
    }
    publish_artifacts(name, result, totals, reports, warehouse)
    return result


def totals_of(reports: list[ShardReport], work: Work) -> dict:
    languages: Counter[str] = Counter()
    publishers: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    reasons: Counter[str] = Counter(s.reason for s in work.skipped)
    for r in reports:
        languages.update(r.languages)
        publishers.update(r.publishers)
        rules.update(r.rules)
        reasons.update(r.reject_reasons)
    return {
        "dumps": sum(r.dumps for r in reports),
        "rejects": sum(r.rejects for r in reports) + len(work.skipped),
        "articles": sum(r.articles for r in reports),
        "removed_lines": sum(r.removed_lines for r in reports),
        "pruned": len(work.deleted),
        **work.notes,
        "languages": dict(languages.most_common()),
        "publishers": dict(publishers.most_common()),
        "rules": dict(rules.most_common()),
        "reject_reasons": dict(reasons.most_common()),
        "reject_files": [list(x) for r in reports for x in r.reject_rows]
        + [[s.path, s.reason, s.detail] for s in work.skipped],
        "shard_seconds": {r.shard: round(r.seconds, 3) for r in reports},
    }


def publish_artifacts(name: str, result: dict, totals: dict, reports: list[ShardReport], warehouse: Path) -> None:
    """Keyed artifacts, so the Prefect UI shows each one's history across runs."""
    create_markdown_artifact(key=f"{name}-report", markdown=report_markdown(name, result, totals, reports),
                             description=f"newsprep {name} {result['run_id']}")
    rejects = [{"file": p, "reason": reason, "detail": detail} for p, reason, detail in totals["reject_files"][:500]]
    create_table_artifact(key=f"{name}-rejects", table=rejects or [{"file": "", "reason": "none", "detail": ""}],
                          description=f"{len(totals['reject_files'])} rejected inputs")
    report_path = write_html_report(warehouse, result["run_id"])
    target = report_path or warehouse
    create_link_artifact(key=f"{name}-warehouse", link=Path(target).as_uri(),
                         link_text=f"run report {result['run_id']}" if report_path else f"warehouse {warehouse}")


def rebuild_search_index(warehouse: Path) -> int | None:
    """The full-text index is derived from the tables: a failure leaves the old one and is logged, never fatal."""
    from tasks.search import rebuild_index

    try:
        return rebuild_index(warehouse)
    except Exception as exc:  # noqa: BLE001 - the data is committed; `newsprep search` rebuilds a stale index
        get_run_logger().warning("search index not rebuilt: %s", str(exc).splitlines()[0] if str(exc) else exc)
        return None


def import_report_in_background() -> threading.Thread:
    """Import the HTML report's module (altair: ~0.3-0.4 s of one core) on a thread while the commit runs: the
    commit's DuckDB work releases the GIL and, in a big run, the worker pool is already gone, so a core is free.
    Not earlier: altair adds ~25 MiB to this process, which would count while the pool holds its peak."""

    def load() -> None:
        try:
            importlib.import_module("tasks.report")
        except Exception:  # noqa: BLE001 - write_html_report imports it again and reports what fails
            pass

    thread = threading.Thread(target=load, name="import-report", daemon=True)
    thread.start()
    return thread


def write_html_report(warehouse: Path, run_id: str) -> Path | None:
    """The per-run HTML report; a report that fails never fails the run. (altair is imported here, when needed.)"""
    from tasks.report import write_run_report

    try:
        return write_run_report(warehouse, run_id)
    except Exception as exc:  # the data is committed; the report is a view of it
        get_run_logger().warning("run report not written: %s", str(exc).splitlines()[0] if str(exc) else exc)
        return None


def publish_failure(name: str, run_id: str, exc: BaseException, known: dict) -> None:
    """A failed run still says what it knows before it ends in a Failed state."""
    lines = [f"# newsprep {name} `{run_id}` failed", "", f"**Reason**: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", ""]
    lines += [f"- {k.replace('_', ' ')}: {v}" for k, v in known.items()]
    lines += ["", "Nothing of this run was committed; the warehouse holds the previous snapshot."]
    try:
        create_markdown_artifact(key=f"{name}-report", markdown="\n".join(lines), description=f"failed {run_id}")
    except Exception:  # noqa: BLE001 - the original error is what the user needs
        pass


def report_markdown(name: str, result: dict, totals: dict, reports: list[ShardReport]) -> str:
    def table(title: str, counts: dict, head: str) -> str:
        if not counts:
            return f"**{title}**: none\n"
        rows = "\n".join(f"| {k} | {v} |" for k, v in list(counts.items())[:15])
        return f"**{title}**\n\n| {head} | count |\n|---|---:|\n{rows}\n"

    rejects = "\n".join(f"| `{Path(p).name}` | {reason} | {detail} |" for p, reason, detail in totals["reject_files"][:50])
    slow = sorted(reports, key=lambda r: r.seconds, reverse=True)[:5]
    stages = " · ".join(f"{k} {v:.2f}s" for k, v in totals.get("stage_seconds", {}).items())
    return "\n".join(
        [
            f"# newsprep {name} `{result['run_id']}`",
            f"Warehouse: `{result['warehouse']}` · snapshot {result['snapshot']}",
            "",
            "| inputs seen | skipped (unchanged) | processed | dumps | articles | rejected | removed lines | pruned |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {result['files_seen']} | {result['files_skipped']} | {totals['dumps'] + totals['rejects']} | "
            f"{totals['dumps']} | {totals['articles']} | {totals['rejects']} | {totals['removed_lines']} | "
            f"{result['pruned']} |",
            "",
            table("Articles by language", totals["languages"], "language"),
            table("Articles by publisher", totals["publishers"], "publisher"),
            table("Top removal rules", totals["rules"], "rule"),
            "**Rejects**\n\n| file | reason | detail |\n|---|---|---|\n" + rejects if rejects else "**Rejects**: none",
            "",
            f"**Time per stage**: {stages}" if stages else "",
            "",
            "**Slowest shards**: " + ", ".join(f"#{r.shard} {r.seconds:.2f}s" for r in slow) if slow else "",
            f"Shards reused from a killed run: {totals.get('shards_reused', 0)}",
        ]
    )
