"""Re-run committed dumps when the rules or the code changed: from the raw files, replacing their rows.

The dumps table says which rules and pipeline version produced each dump; the dumps whose versions differ from the
current ones (or all, with `everything`) are read again from their source paths and their rows replaced in one
transaction. `where` narrows the selection with a filter on dumps joined to their articles (a folder, a publisher).
"""

from __future__ import annotations

import datetime as dt
import os
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
from tasks.discover import os_path_of
from tasks.inputs import InputFile
from tasks.pipeline import PIPELINE_VERSION
from tasks.rules import rules_version
from tasks.shard import default_workers
from tasks.todo import TodoWriter


class ReprocessConfig(ProcessingOptions):
    """Parameters of a reprocess run (the Prefect UI shows them as a form)."""

    warehouse: str = Field("warehouse", description="Warehouse folder: DuckLake catalog and Parquet files.")
    where: str | None = Field(
        None,
        description="SQL filter on dumps d joined to articles a, e.g. \"a.publisher = 'BBC News'\" or "
        "\"d.source_path LIKE '/data/2024/%'\".",
        max_length=2000,
    )
    everything: bool = Field(False, description="Reprocess the selected dumps even when their versions are current.")


class FilterError(ValueError):
    pass


def selection_sql(where: str | None, everything: bool) -> str:
    """The query naming the dumps to redo. The filter runs on a read-only connection and must be one expression."""
    if where is not None and (";" in where or "--" in where or "/*" in where):
        raise FilterError("--where takes one SQL expression (no ';' and no comments)")
    conditions = [] if everything else ["(d.rules_version IS DISTINCT FROM ? OR d.pipeline_version IS DISTINCT FROM ?)"]
    if where:
        conditions.append(f"({where})")
    clause = " AND ".join(conditions) or "TRUE"
    return (
        "SELECT DISTINCT d.source_path FROM dumps d LEFT JOIN articles a USING (dump_id) "
        f"WHERE {clause} ORDER BY 1"
    )


@task(name="select-dumps", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def select_dumps(config: ReprocessConfig, warehouse: Path) -> Work:
    sql = selection_sql(config.where, config.everything)
    params = [] if config.everything else [rules_version(), PIPELINE_VERSION]
    con = wh.connect(warehouse, read_only=True)
    try:
        paths = [r[0] for r in con.execute(sql, params).fetchall()]
    except wh.WarehouseError:
        raise
    except Exception as exc:  # duckdb raises many error classes; the user needs the first line
        raise FilterError(f"bad --where filter: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    gone = 0
    replaced: list[str] = []
    with TodoWriter(plan_dir(warehouse) / "todo.parquet") as writer:
        for path in paths:
            real = os_path_of(path)
            try:
                st = os.stat(real)
            except OSError:
                gone += 1  # the raw file is gone: its rows stay as they are
                continue
            writer.add(InputFile(path, st.st_size, st.st_mtime, os_path=real if real != path else None))
            replaced.append(path)
        todo = writer.close()
    return Work(todo=todo, replaced=replaced, files_seen=len(paths), notes={"source_missing": gone})


@flow(
    name="reprocess",
    flow_run_name=run_namer("reprocess", "warehouse"),
    task_runner=ThreadPoolTaskRunner(max_workers=max(4, default_workers())),
)
def reprocess(config: ReprocessConfig | None = None) -> dict:
    """Re-run dumps made by older rules or code (or all selected) from their raw files; replace their rows."""
    config = config or ReprocessConfig()
    started = dt.datetime.now(dt.UTC)
    run_id = new_run_id()
    warehouse = Path(config.warehouse).resolve()
    timings: dict[str, float] = {}
    known: dict = {"warehouse": str(warehouse), "where": config.where}
    try:
        with wh.exclusive(warehouse, f"reprocess {run_id}"):
            warm_pool(config)
            with stage_timer(timings, "discover"):
                work = select_dumps(config, warehouse)
            known.update(selected=work.files_seen, to_process=len(work.todo))
            if work.notes["source_missing"]:
                get_run_logger().warning("%d selected dumps have no raw file any more; their rows are kept",
                                         work.notes["source_missing"])
            return execute("reprocess", work, warehouse, config, config.model_dump(), timings, started, run_id)
    except BaseException as exc:
        publish_failure("reprocess", run_id, exc, known)
        raise
