"""The `newsprep` command: run the main job, query the tables, explain one dump, show status."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from flows.cli_base import WarehouseOpt, app, err, fail, json_default, out, prefect_api_env, shard_progress, short
from tasks.manifest import DEFAULT_SHARD_SIZE

# flows.ingest.SAMPLES, without importing Prefect and the pipeline before a bad option is refused.
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@app.command()
def run(
    sources: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders of dumps; default: the bundled samples/.")
    ] = None,
    warehouse: WarehouseOpt = Path("warehouse"),
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: all cores).", min=1)] = None,
    shard_size: Annotated[int, typer.Option(help="Most dumps per shard.", min=1)] = DEFAULT_SHARD_SIZE,
    language_detector: Annotated[
        str, typer.Option(help="Language detector of record: langdetect or py3langid.")
    ] = "langdetect",
    registry: Annotated[
        list[Path] | None,
        typer.Option(help="Your own outlet/agency registry file (TOML, like tasks/data/outlets.toml); repeatable."),
    ] = None,
    prune: Annotated[bool, typer.Option(help="Delete the rows of files gone from SOURCES (time travel keeps them).")] = False,
    strict: Annotated[bool, typer.Option(help="Exit with code 3 when any input was rejected.")] = False,
    max_file_mb: Annotated[float, typer.Option(help="Reject files larger than this (MB), also once inflated.", min=0.001)] = 20,
    follow_symlinks: Annotated[bool, typer.Option(help="Follow symbolic links (off: links are listed as rejects).")] = False,
    runner: Annotated[str, typer.Option(help="local (process pool) or dask (shards on a Dask cluster).")] = "local",
    dask_address: Annotated[str | None, typer.Option(help="Dask scheduler for --runner dask: tcp://HOST:PORT.")] = None,
) -> None:
    """Run the main job: clean every new or changed dump under SOURCES into the warehouse.

    Examples:
      newsprep run ./dumps --warehouse ./warehouse
      newsprep run ./dumps --prune --strict
      newsprep run ./dumps --runner dask --dask-address tcp://10.0.0.5:8786
    """
    paths = sources or [SAMPLES]
    for p in paths:
        if not p.exists():
            raise fail(f"source not found: {p}")
    for extra in registry or []:
        if not extra.is_file():
            raise fail(f"registry file not found: {extra}")
    if language_detector not in ("langdetect", "py3langid"):
        raise fail(f"unknown --language-detector {language_detector!r}: use langdetect or py3langid")
    if runner not in ("local", "dask"):
        raise fail(f"unknown --runner {runner!r}: use local or dask")
    if runner == "dask" and not dask_address:
        raise fail("--runner dask needs --dask-address tcp://HOST:PORT")
    try:
        (warehouse / "data").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(f"cannot create warehouse {warehouse}: {exc.strerror or exc}") from exc
    if registry:
        from tasks.registry import USER_REGISTRY_ENV

        os.environ[USER_REGISTRY_ENV] = os.pathsep.join(str(p.resolve()) for p in registry)
    # Bad options fail above in well under a second; Prefect (and all the pipeline) is imported only from here.
    prefect_api_env()
    from flows.ingest import IngestConfig, ingest
    from tasks.shard import shutdown_pool

    kwargs: dict[str, Any] = {
        "sources": [str(p) for p in paths],
        "warehouse": str(warehouse),
        "shard_size": shard_size,
        "language_detector": language_detector,
        "prune": prune,
        "max_file_mb": max_file_mb,
        "follow_symlinks": follow_symlinks,
        "runner": runner,
        "dask_address": dask_address,
    }
    if workers:
        kwargs["workers"] = workers
    try:
        config = IngestConfig(**kwargs)
    except ValueError as exc:
        raise fail(f"bad option: {str(exc).splitlines()[-1].strip()}") from exc
    from flows.stages import warm_pool

    warm_pool(config)  # the models load in the forkserver while Prefect's temporary API server starts
    try:
        with shard_progress():
            result = ingest(config)
    except Exception as exc:  # the flow already logged the traceback through Prefect
        raise fail(f"run failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", 1) from exc
    finally:
        shutdown_pool()
    summary = Table(title=f"newsprep run {result['run_id']}", show_header=False)
    for key in ("files_seen", "files_skipped", "dumps", "articles", "rejects", "removed_lines", "pruned", "snapshot",
                "warehouse"):
        summary.add_row(key.replace("_", " "), str(result[key]))
    out.print(summary)
    if strict and result["rejects"]:
        raise fail(f"--strict: {result['rejects']} input(s) rejected; see `newsprep sql \"FROM rejects\"`", 3)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="One SQL statement to run against the tables (read-only by default).")],
    warehouse: WarehouseOpt = Path("warehouse"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json (one JSON array of row objects).")] = "table",
    write: Annotated[bool, typer.Option("--write", help="Allow INSERT, UPDATE, DELETE, CREATE, DROP, ALTER on the lake.")] = False,
    at_version: Annotated[
        int | None, typer.Option("--at-version", help="Query the tables as they were at this snapshot (see `newsprep runs`).", min=0)
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Query the tables as they were at this time, e.g. '2026-12-01 10:00:00'.")
    ] = None,
) -> None:
    """Query the warehouse with DuckDB SQL: read-only unless --write; never files outside the warehouse.

    Examples:
      newsprep sql "SELECT language, count(*) FROM articles GROUP BY 1"
      newsprep sql "SELECT count(*) FROM dumps" --at-version 12
      newsprep sql "FROM rejects" --format csv > rejects.csv
    """
    from tasks.sqlguard import SqlRefused, check, lock_down
    from tasks.warehouse import DATA_DIR, WarehouseError, connect

    if fmt not in ("table", "csv", "json"):
        raise fail(f"unknown --format {fmt!r}: use table, csv or json")
    if write and (at_version is not None or at is not None):
        raise fail("--write cannot be combined with --at-version or --at: the past is read-only")
    try:
        con = connect(warehouse, read_only=not write, at_version=at_version, at_time=at)
    except WarehouseError as exc:
        raise fail(str(exc)) from exc
    try:
        lock_down(con, Path(warehouse) / DATA_DIR)
        check(con, query, write=write)
        cur = con.execute(query)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    except SqlRefused as exc:
        raise fail(f"refused: {exc}") from exc
    except Exception as exc:  # duckdb raises many error classes; the user needs the first line of any
        raise fail(f"query failed: {str(exc).splitlines()[0]}", 1) from exc
    finally:
        con.close()
    if fmt == "json":
        sys.stdout.write(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], default=json_default, ensure_ascii=False))
        sys.stdout.write("\n")
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(*columns, show_lines=False)
        for r in rows:
            table.add_row(*("" if v is None else short(v) for v in r))
        out.print(table)
        err.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(help="One raw dump (.txt or .txt.gz).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the decisions as JSON.")] = False,
) -> None:
    """Show every line of one dump with its kind and rule, the segmentation decision and the metadata.

    Example: newsprep explain samples/101_dacfd6bed4778e67.txt
    """
    from tasks.explain import explain_json, explain_table
    from tasks.pipeline import process_dump

    if not file.is_file():
        raise fail(f"not a file: {file}")
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}") from exc
    result = process_dump(raw, str(file))
    if as_json:
        sys.stdout.write(json.dumps(explain_json(result), default=json_default, ensure_ascii=False, indent=1) + "\n")
    else:
        explain_table(result, out)


@app.command()
def status(
    warehouse: WarehouseOpt = Path("warehouse"),
    limit: Annotated[int, typer.Option(help="How many recent runs to show.", min=1)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print tables, runs and report paths as one JSON object.")] = False,
) -> None:
    """Recent runs with their HTML reports, and the row count of every table.

    Examples:
      newsprep status --warehouse ./warehouse
      newsprep status --json
    """
    from schemas.tables import TABLES
    from tasks.report import report_path
    from tasks.warehouse import WarehouseError, connect

    try:
        con = connect(warehouse, read_only=True)
    except WarehouseError as exc:
        raise fail(str(exc)) from exc
    try:
        tables = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES}  # type: ignore[index]
        cur = con.execute(
            "SELECT run_id, status, started_at, date_diff('millisecond', started_at, finished_at) / 1000.0 AS seconds, "
            "files_seen, files_skipped, dumps_written, articles_written, rejects_written "
            "FROM runs ORDER BY started_at DESC LIMIT ?",
            [limit],
        )
        names = [d[0] for d in cur.description]
        runs = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
    for r in runs:
        path = report_path(warehouse, r["run_id"])
        r["report"] = str(path) if path.exists() else None
    if as_json:
        doc = {"warehouse": str(warehouse.resolve()), "tables": tables, "runs": runs}
        sys.stdout.write(json.dumps(doc, default=json_default, ensure_ascii=False) + "\n")
        return
    counts = Table("table", "rows", title=f"warehouse {warehouse}")
    for name, n in tables.items():
        counts.add_row(name, str(n))
    out.print(counts)
    shown = Table("run_id", "status", "started", "seconds", "seen", "skipped", "dumps", "articles", "rejects", title="recent runs")
    for r in runs:
        shown.add_row(*(str(v) if v is not None else "" for k, v in r.items() if k != "report"))
    out.print(shown)
    latest = runs[0] if runs else None
    if latest and latest["report"]:
        out.print(f"report of the latest run: [link=file://{latest['report']}]{latest['report']}[/link]")
    elif latest:
        out.print(f"no report for the latest run yet: newsprep report {latest['run_id']} -w {warehouse}")


# Commands defined in other modules register themselves on `app` when imported.
from flows import cli_query, cli_serve, cli_server, cli_warehouse  # noqa: E402,F401


def main() -> None:
    app()


if __name__ == "__main__":
    main()
