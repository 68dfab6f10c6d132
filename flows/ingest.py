"""The main job: raw dumps in a folder -> cleaned articles in the DuckLake warehouse, in one Prefect flow.

discover -> plan shards (skip files already committed) -> process shards (Prefect tasks on threads, the CPU
work in a process pool) -> commit in one DuckLake transaction -> markdown report artifact.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import shutil
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import BaseModel, Field

from schemas.tables import SCHEMA_VERSION, schema_hash
from tasks import warehouse as wh
from tasks.boilerplate import LineStats
from tasks.discover import discover
from tasks.manifest import plan_shards
from tasks.pipeline import PIPELINE_VERSION
from tasks.rules import rules_version
from tasks.shard import InputFile, ShardReport, default_workers, run_shard, scan_shard, worker_pool

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# Observers of shard progress (the command line's progress bar); never part of the flow's parameters.
progress_listeners: list[Callable[[int, int], None]] = []


class IngestConfig(BaseModel):
    """Parameters of an ingest run (the Prefect UI shows them as a form)."""

    sources: list[str] = Field(
        default_factory=lambda: [str(SAMPLES)],
        description="Files or folders of raw dumps (*.txt, *.txt.gz, searched recursively).",
        min_length=1,
    )
    warehouse: str = Field("warehouse", description="Warehouse folder: DuckLake catalog and Parquet files.")
    workers: int = Field(default_factory=default_workers, ge=1, le=64, description="Worker processes.")
    shard_size: int = Field(200, ge=1, le=10_000, description="Most dumps per shard (one Prefect task each).")
    language_detector: Literal["langdetect", "py3langid"] = Field(
        "langdetect", description="Language detector of record: langdetect, or py3langid (faster, offline)."
    )
    learn_boilerplate: bool = Field(
        True, description="First pass: learn lines repeated across many dumps of one folder, then remove them."
    )


def _run_name() -> str:
    params = get_run_context().flow_run.parameters  # type: ignore[union-attr]
    config = params.get("config") or {}
    sources = config.get("sources") if isinstance(config, dict) else getattr(config, "sources", None)
    first = Path(sources[0]).name if sources else "samples"
    return f"ingest-{first or 'root'}-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}"


@task(name="scan-shard", cache_policy=NO_CACHE)
def scan(entries: list[InputFile], workers: int) -> LineStats:
    """Count short lines by folder in the process pool (the first pass of boilerplate learning)."""
    return worker_pool(workers).submit(scan_shard, entries).result()


@task(name="process-shard", cache_policy=NO_CACHE, retries=0)
def process_shard(
    shard: int,
    entries: list[InputFile],
    run_id: str,
    staging: str,
    workers: int,
    boilerplate: dict[str, frozenset[str]],
    detector: str,
) -> ShardReport:
    """Send the shard to the process pool and wait: the task thread only orchestrates."""
    return worker_pool(workers).submit(run_shard, shard, entries, run_id, staging, boilerplate, detector).result()


@task(name="commit", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def commit_run(warehouse: str, staged: dict[str, list[str]], replaced: list[str], run_row: dict) -> int:
    con = wh.connect(warehouse, read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        return wh.commit(con, {k: [Path(p) for p in v] for k, v in staged.items()}, replaced, run_row)
    finally:
        con.close()


def _versions() -> dict[str, str]:
    out = {
        "pipeline": PIPELINE_VERSION,
        "rules": rules_version(),
        "schema": f"{SCHEMA_VERSION}:{schema_hash()}",
    }
    for pkg in ("prefect", "duckdb", "pyarrow", "langdetect"):
        out[pkg] = md.version(pkg)
    return out


@flow(
    name="ingest",
    flow_run_name=_run_name,
    task_runner=ThreadPoolTaskRunner(max_workers=max(4, default_workers())),
    log_prints=False,
)
def ingest(config: IngestConfig | None = None) -> dict:
    """Ingest raw news dumps into the warehouse. Returns counts and paths, never the data."""
    config = config or IngestConfig()
    logger = get_run_logger()
    started = dt.datetime.now(dt.UTC)
    run_id = f"{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    ctx = get_run_context()
    flow_run_id = str(ctx.flow_run.id) if getattr(ctx, "flow_run", None) else None  # type: ignore[union-attr]
    warehouse = Path(config.warehouse).resolve()
    for source in config.sources:
        if not Path(source).exists():
            raise ValueError(f"source not found: {source}")

    files = discover(config.sources)
    con = wh.connect(warehouse, read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        committed = wh.committed_files(con)
    finally:
        con.close()
    shards, replaced, skipped = plan_shards(files, committed, config.shard_size, config.workers)
    logger.info("%d files found, %d already committed, %d shards to process", len(files), skipped, len(shards))

    boilerplate: dict[str, frozenset[str]] = {}
    if config.learn_boilerplate and shards:
        stats = LineStats()
        for fut in [scan.submit(entries, config.workers) for entries in shards]:
            stats.merge(fut.result())
        boilerplate = stats.learn()
        logger.info("boilerplate learned: %d lines in %d folders", sum(map(len, boilerplate.values())), len(boilerplate))

    staging = warehouse / wh.STAGING_DIR / run_id
    futures = [
        process_shard.submit(i, entries, run_id, str(staging), config.workers, boilerplate, config.language_detector)
        for i, entries in enumerate(shards)
    ]
    reports: list[ShardReport] = []
    for fut in futures:
        reports.append(fut.result())
        for listener in progress_listeners:
            listener(len(reports), len(futures))
    totals = _totals(reports)
    staged: dict[str, list[str]] = {}
    for r in reports:
        for table, path in r.staged.items():
            staged.setdefault(table, []).append(path)
    run_row = {
        "run_id": run_id,
        "flow_run_id": flow_run_id,
        "started_at": started,
        "finished_at": dt.datetime.now(dt.UTC),
        "status": "completed",
        "files_seen": len(files),
        "files_skipped": skipped,
        "dumps_written": totals["dumps"],
        "rejects_written": totals["rejects"],
        "articles_written": totals["articles"],
        "removed_lines_written": totals["removed_lines"],
        "counts": wh.to_json(totals),
        "parameters": wh.to_json(config.model_dump()),
        "versions": wh.to_json(_versions()),
    }
    snapshot = commit_run(str(warehouse), staged, replaced, run_row)
    shutil.rmtree(staging, ignore_errors=True)
    logger.info(
        "committed snapshot %d: %d dumps, %d articles, %d rejects, %d removed lines",
        snapshot, totals["dumps"], totals["articles"], totals["rejects"], totals["removed_lines"],
    )
    report = _report_markdown(run_id, files, skipped, totals, reports, warehouse)
    create_markdown_artifact(key="ingest-report", markdown=report, description=f"newsprep run {run_id}")
    return {
        "run_id": run_id,
        "warehouse": str(warehouse),
        "snapshot": snapshot,
        "files_seen": len(files),
        "files_skipped": skipped,
        **{k: totals[k] for k in ("dumps", "articles", "rejects", "removed_lines")},
    }


def _totals(reports: list[ShardReport]) -> dict:
    languages: Counter[str] = Counter()
    publishers: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for r in reports:
        languages.update(r.languages)
        publishers.update(r.publishers)
        rules.update(r.rules)
        reasons.update(r.reject_reasons)
    return {
        "dumps": sum(r.dumps for r in reports),
        "rejects": sum(r.rejects for r in reports),
        "articles": sum(r.articles for r in reports),
        "removed_lines": sum(r.removed_lines for r in reports),
        "languages": dict(languages.most_common()),
        "publishers": dict(publishers.most_common()),
        "rules": dict(rules.most_common()),
        "reject_reasons": dict(reasons.most_common()),
        "reject_files": [list(x) for r in reports for x in r.reject_rows],
        "shard_seconds": {r.shard: round(r.seconds, 3) for r in reports},
    }


def _report_markdown(
    run_id: str, files: list[InputFile], skipped: int, totals: dict, reports: list[ShardReport], warehouse: Path
) -> str:
    def table(title: str, counts: dict, head: str) -> str:
        if not counts:
            return f"**{title}**: none\n"
        rows = "\n".join(f"| {k} | {v} |" for k, v in list(counts.items())[:15])
        return f"**{title}**\n\n| {head} | count |\n|---|---:|\n{rows}\n"

    rejects = "\n".join(f"| `{Path(p).name}` | {reason} | {detail} |" for p, reason, detail in totals["reject_files"][:50])
    slow = sorted(reports, key=lambda r: r.seconds, reverse=True)[:5]
    return "\n".join(
        [
            f"# newsprep ingest `{run_id}`",
            f"Warehouse: `{warehouse}`",
            "",
            "| inputs seen | skipped (unchanged) | processed | dumps | articles | rejected | removed lines |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {len(files)} | {skipped} | {totals['dumps'] + totals['rejects']} | {totals['dumps']} | "
            f"{totals['articles']} | {totals['rejects']} | {totals['removed_lines']} |",
            "",
            table("Articles by language", totals["languages"], "language"),
            table("Articles by publisher", totals["publishers"], "publisher"),
            table("Top removal rules", totals["rules"], "rule"),
            "**Rejects**\n\n| file | reason | detail |\n|---|---|---|\n" + rejects if rejects else "**Rejects**: none",
            "",
            "**Slowest shards**: " + ", ".join(f"#{r.shard} {r.seconds:.2f}s" for r in slow) if slow else "",
        ]
    )
