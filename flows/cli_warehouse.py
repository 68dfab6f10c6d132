"""Commands that look after the warehouse: runs (what each run changed), reprocess, maintain."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from flows.cli_base import WarehouseOpt, app, err, fail, json_default, out, prefect_api_env, shard_progress

RUNS_SQL = """
SELECT r.run_id, s.snapshot_id AS snapshot, r.status, r.started_at,
       round(date_diff('millisecond', r.started_at, r.finished_at) / 1000.0, 1) AS seconds,
       r.files_seen, r.files_skipped, r.dumps_written, r.articles_written, r.rejects_written,
       coalesce(CAST(json_extract(r.counts, '$.pruned') AS BIGINT), 0) AS pruned,
       s.changes
FROM runs r
LEFT JOIN snapshots() s ON json_extract_string(s.commit_extra_info, '$.run_id') = r.run_id
ORDER BY r.started_at DESC
LIMIT ?
"""


@app.command()
def runs(
    warehouse: WarehouseOpt = Path("warehouse"),
    limit: Annotated[int, typer.Option(help="How many recent runs.", min=1)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the runs as a JSON array.")] = False,
) -> None:
    """Each run with its snapshot (for `newsprep sql --at-version`) and what it changed.

    Example: newsprep runs --warehouse ./warehouse --limit 5
    """
    from tasks.warehouse import WarehouseError, connect

    try:
        con = connect(warehouse, read_only=True)
    except WarehouseError as exc:
        raise fail(str(exc)) from exc
    try:
        cur = con.execute(RUNS_SQL, [limit])
        columns = [d[0] for d in cur.description]
        rows = [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]
        names = dict(con.execute("SELECT CAST(table_id AS VARCHAR), table_name FROM ducklake_table_info('lake')").fetchall())
    finally:
        con.close()
    for r in rows:
        r["changes"] = _changes(r["changes"], names)
    if as_json:
        sys.stdout.write(json.dumps(rows, default=json_default, ensure_ascii=False) + "\n")
        return
    table = Table(*columns, title=f"runs in {warehouse}")
    for r in rows:
        table.add_row(*("" if r[c] is None else str(r[c]) for c in columns))
    out.print(table)


_CHANGE_MARKS = {"tables_inserted_into": "+", "tables_deleted_from": "-", "tables_created": "new "}


def _changes(changes: dict[str, list[str]] | None, names: dict[str, str]) -> str:
    """DuckLake's snapshot changes as '+articles -articles +dumps': rows inserted into, deleted from, tables created."""
    if not changes:
        return ""  # the run's snapshot was expired by maintenance
    parts = []
    for kind, mark in _CHANGE_MARKS.items():
        parts += [mark + names.get(t, t).removeprefix("main.") for t in changes.get(kind, [])]
    return " ".join(parts)


@app.command()
def reprocess(
    warehouse: WarehouseOpt = Path("warehouse"),
    where: Annotated[
        str | None,
        typer.Option(help="SQL filter on dumps d joined to articles a, e.g. \"a.publisher = 'BBC News'\"."),
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Redo the selected dumps even when up to date.")] = False,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: all cores).", min=1)] = None,
) -> None:
    """Re-run dumps made by older rules or code from their raw files, replacing their rows in one snapshot.

    Examples:
      newsprep reprocess --warehouse ./warehouse
      newsprep reprocess --all --where "d.source_path LIKE '/data/site-a/%'"
    """
    from tasks.warehouse import CATALOG_FILE

    if not (warehouse / CATALOG_FILE).exists():
        raise fail(f"no warehouse at {warehouse} (no {CATALOG_FILE}); run `newsprep run` first")
    prefect_api_env()  # before Prefect is imported: it reads its settings then
    from flows.reprocess import FilterError, ReprocessConfig
    from flows.reprocess import reprocess as reprocess_flow
    from tasks.shard import shutdown_pool

    kwargs: dict[str, Any] = {"warehouse": str(warehouse), "where": where, "everything": everything}
    if workers:
        kwargs["workers"] = workers
    from flows.stages import warm_pool

    try:
        config = ReprocessConfig(**kwargs)
        warm_pool(config)  # the models load in the forkserver while Prefect's temporary API server starts
        with shard_progress():
            result = reprocess_flow(config)
    except FilterError as exc:
        raise fail(str(exc)) from exc
    except Exception as exc:
        raise fail(f"reprocess failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", 1) from exc
    finally:
        shutdown_pool()
    err.print(
        f"reprocessed {result['dumps'] + result['rejects']} of {result['files_seen']} selected dumps: "
        f"{result['articles']} articles, snapshot {result['snapshot']}"
    )


@app.command()
def maintain(
    warehouse: WarehouseOpt = Path("warehouse"),
    retention_days: Annotated[int, typer.Option(help="Keep snapshots (time travel) younger than this.", min=0)] = 30,
    merge: Annotated[bool, typer.Option(help="Merge small Parquet files.")] = True,
) -> None:
    """Merge small files, expire snapshots older than the retention, delete unneeded files, clear dead staging.

    Example: newsprep maintain --warehouse ./warehouse --retention-days 7
    """
    from tasks.warehouse import CATALOG_FILE

    if not (warehouse / CATALOG_FILE).exists():
        raise fail(f"no warehouse at {warehouse} (no {CATALOG_FILE}); run `newsprep run` first")
    prefect_api_env()  # before Prefect is imported: it reads its settings then
    from flows.maintain import MaintainConfig
    from flows.maintain import maintain as maintain_flow

    try:
        done = maintain_flow(MaintainConfig(warehouse=str(warehouse), retention_days=retention_days, merge_files=merge))
    except Exception as exc:
        raise fail(f"maintenance failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", 1) from exc
    table = Table("step", "result", title=f"maintenance of {warehouse}")
    for key, value in done.items():
        table.add_row(key.replace("_", " "), str(value))
    out.print(table)
