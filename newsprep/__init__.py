"""newsprep's Python entry point for analysts: `newsprep.connect(warehouse)`.

    import newsprep
    con = newsprep.connect("warehouse")
    df = con.sql("SELECT * FROM articles_current").df()    # pandas
    pl = con.sql("SELECT * FROM daily_counts").pl()        # polars
"""

from __future__ import annotations

from pathlib import Path

import duckdb

__all__ = ["connect"]


def connect(warehouse: Path | str = "warehouse") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the warehouse's catalog attached read-only as `lake` and selected.

    Read-only so that notebooks can never change the tables; a run may commit while you read, and each query
    sees the latest committed snapshot.
    """
    from tasks.warehouse import connect as _connect

    return _connect(warehouse, read_only=True)
