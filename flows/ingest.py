"""The main job: raw dumps in a folder -> cleaned articles in the DuckLake warehouse, in one Prefect flow.

lock the warehouse -> discover (stat only) -> plan against the manifest (hash only files whose stat changed) ->
learn boilerplate -> process shards (reusing any a killed run staged) -> commit in one DuckLake transaction ->
report artifacts. Discovery and the plan stream through Parquet files under staging (tasks/todo.py): the flow
never holds a list of the corpus.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from flows.stages import (
    ProcessingOptions,
    Work,
    execute,
    new_run_id,
    plan_dir,
    publish_failure,
    run_namer,
    stage_timer,
    warm_pool,
)
from tasks import warehouse as wh
from tasks.allocator import release_free_memory
from tasks.discover import discover
from tasks.manifest import Planner, root_prefixes
from tasks.pipeline import PIPELINE_VERSION
from tasks.rules import rules_version
from tasks.shard import default_workers
from tasks.todo import TodoWriter, found_with_committed, write_found

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


class IngestConfig(ProcessingOptions):
    """Parameters of an ingest run (the Prefect UI shows them as a form)."""

    sources: list[str] = Field(
        default_factory=lambda: [str(SAMPLES)],
        description="Files or folders of raw dumps (*.txt, *.txt.gz, searched recursively).",
        min_length=1,
    )
    warehouse: str = Field("warehouse", description="Warehouse folder: DuckLake catalog and Parquet files.")
    prune: bool = Field(
        False, description="Delete the rows of files that disappeared from the sources (time travel still shows them)."
    )
    follow_symlinks: bool = Field(False, description="Follow symbolic links that stay inside readable files.")


@task(name="plan", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def plan_run(config: IngestConfig, warehouse: Path) -> Work:
    """Discover the sources and compare them with the manifest: only new and changed files become work. Streams:
    what discovery finds and the files to process go to Parquet files under staging, never into one list."""
    spool = plan_dir(warehouse)
    found_file = spool / "found.parquet"
    files_seen = write_found(discover(config.sources, follow_symlinks=config.follow_symlinks), found_file)
    con = wh.connect(warehouse, read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        with TodoWriter(spool / "todo.parquet") as writer:
            planner = Planner((rules_version(), PIPELINE_VERSION), max_bytes=int(config.max_file_mb * 1024 * 1024),
                              todo=writer.add)
            for item, old in found_with_committed(wh.committed_for(con, str(found_file))):
                planner.add(item, old)
            todo = writer.close()
        missing = wh.missing_paths(con, str(found_file), root_prefixes(config.sources))
    finally:
        con.close()
    found_file.unlink()
    release_free_memory()  # the join's and the spools' buffers: the flow process lives through the whole run
    plan = planner.plan
    return Work(
        todo=todo,
        replaced=plan.replaced,
        deleted=missing if config.prune else [],
        skipped=plan.skipped_new,
        files_seen=files_seen,
        unchanged=plan.unchanged,
        notes={"hashed": plan.hashed, "outdated": plan.outdated, "missing": len(missing)},
    )


@flow(
    name="ingest",
    flow_run_name=run_namer("ingest", "sources"),
    task_runner=ThreadPoolTaskRunner(max_workers=max(4, default_workers())),
    log_prints=False,
)
def ingest(config: IngestConfig | None = None) -> dict:
    """Ingest raw news dumps into the warehouse: only new and changed files. Returns counts and paths, never data."""
    config = config or IngestConfig()
    started = dt.datetime.now(dt.UTC)
    run_id = new_run_id()
    warehouse = Path(config.warehouse).resolve()
    for source in config.sources:
        if not Path(source).exists():
            raise ValueError(f"source not found: {source}")
    timings: dict[str, float] = {}
    known: dict = {"warehouse": str(warehouse)}
    try:
        with wh.exclusive(warehouse, f"ingest {run_id}"):
            warm_pool(config)
            with stage_timer(timings, "discover"):
                work = plan_run(config, warehouse)
            known.update(files_seen=work.files_seen, unchanged=work.unchanged, to_process=len(work.todo))
            if work.notes.get("missing"):
                get_run_logger().info("%d committed files are gone from the sources%s", work.notes["missing"],
                                      " and are pruned" if config.prune else " (kept; --prune removes their rows)")
            return execute("ingest", work, warehouse, config, config.model_dump(), timings, started, run_id)
    except BaseException as exc:
        publish_failure("ingest", run_id, exc, known)
        raise
