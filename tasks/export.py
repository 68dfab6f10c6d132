"""Export a table or view to Parquet, CSV or JSON lines, for tools that don't speak DuckLake.

The user's --where filter is SQL: it runs on a read-only attach (it can't change the catalog), must be a single
expression (no ';'), and the table name is checked against the known tables and views, never pasted raw.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb

from schemas.tables import TABLES
from schemas.views import VIEWS
from tasks import warehouse as wh

FORMATS = {
    "parquet": "FORMAT parquet, COMPRESSION zstd",
    "csv": "FORMAT csv, HEADER true",
    "jsonl": "FORMAT json",  # DuckDB writes one JSON object per line
}
NAMES = (*TABLES, *VIEWS)


class ExportError(ValueError):
    pass


def export_query(table: str, where: str | None) -> str:
    """The SELECT an export runs, after checking the table name and the filter."""
    if table not in NAMES:
        raise ExportError(f"unknown table {table!r}: use one of {', '.join(NAMES)}")
    if where is None or not where.strip():
        return f"SELECT * FROM {table}"
    if ";" in where:
        raise ExportError("--where takes one SQL condition, not statements (no ';')")
    # A trailing comment would swallow the closing parenthesis: keep the filter one expression.
    if "--" in where or "/*" in where:
        raise ExportError("--where takes one SQL condition, without comments")
    return f"SELECT * FROM {table} WHERE ({where})"


def export(
    warehouse: Path | str,
    table: str,
    fmt: str,
    out: Path,
    where: str | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> int:
    """Write `table` (filtered by `where`) to `out`; returns the rows written.

    The file is written beside `out` and renamed into place, so a failed export leaves no half file.
    `on_progress` is called with DuckDB's percentage done while the export runs (only for a long one).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown --format {fmt!r}: use {', '.join(FORMATS)}")
    select = export_query(table, where)
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    con = wh.connect(warehouse, read_only=True)
    try:
        copy = f"COPY ({select}) TO {wh._sql_str(str(tmp))} ({FORMATS[fmt]})"
        rows = _run(con, copy, on_progress)
    except duckdb.Error as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"export failed: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    os.replace(tmp, out)
    return rows


def _run(con: duckdb.DuckDBPyConnection, sql: str, on_progress: Callable[[float], None] | None) -> int:
    """Run the COPY; with a progress callback, run it in a thread and poll DuckDB's query progress."""
    if on_progress is None:
        return int(con.execute(sql).fetchone()[0])  # type: ignore[index]
    result: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            result.append(int(con.execute(sql).fetchone()[0]))  # type: ignore[index]
        except BaseException as exc:  # handed back to the caller's thread
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
        progress = con.query_progress()
        if progress >= 0:
            on_progress(progress)
    if errors:
        raise errors[0]
    on_progress(100.0)
    return result[0]
