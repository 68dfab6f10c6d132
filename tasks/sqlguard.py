"""What `newsprep sql` lets a query do: read the lake, or with --write change its tables; never reach outside it.

Two layers, so neither has to be perfect. DuckDB's own parser says what each statement is (a keyword hidden in a
comment or a string cannot fool it, unlike a regex on the text): statements that read are allowed, table writes
only with --write, and never those that reach the machine (ATTACH, COPY, INSTALL/LOAD, EXPORT, SET). Then DuckDB's
own guard, measured with DuckLake 1.5: after the catalog is attached, `enable_external_access=false` with the
warehouse's data folder in `allowed_directories` leaves DuckLake able to read (and, with --write, to write) its
Parquet files, while read_text('/etc/passwd'), read_csv, glob, COPY TO and INSTALL fail; `lock_configuration`
keeps a query from setting it back. A read-only query also runs on a READ_ONLY attach, so even a statement the
first layer missed cannot write.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

_T = duckdb.StatementType
# DESCRIBE, SHOW, SUMMARIZE, FROM-first, VALUES and PRAGMA <name> all parse as SELECT.
READ_ONLY = frozenset({_T.SELECT, _T.EXPLAIN})
TABLE_WRITES = frozenset({_T.INSERT, _T.UPDATE, _T.DELETE, _T.MERGE_INTO, _T.CREATE, _T.DROP, _T.ALTER, _T.CALL})


class SqlRefused(ValueError):
    """The query is not allowed; the message is one line for the user."""


def check(con: duckdb.DuckDBPyConnection, query: str, *, write: bool = False) -> None:
    """Refuse anything but one statement of an allowed kind. Syntax errors surface as duckdb.ParserException."""
    statements = con.extract_statements(query)
    if len(statements) != 1:
        raise SqlRefused(f"one statement at a time, got {len(statements)}")
    kind = statements[0].type
    if kind in READ_ONLY or (write and kind in TABLE_WRITES):
        return
    name = kind.name.lower()
    if kind in TABLE_WRITES:
        raise SqlRefused(f"{name} statements change the warehouse: add --write to run them")
    raise SqlRefused(f"{name} statements are not allowed in newsprep sql (reading, or table writes with --write)")


def lock_down(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """No file, network or extension access beyond the lake's own data folder, for the rest of the session."""
    folder = str(data_dir.resolve()).rstrip("/") + "/"
    con.execute("SET allowed_directories = ?", [[folder]])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
