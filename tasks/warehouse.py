"""The warehouse: a DuckLake catalog on SQLite plus Parquet data files, in one folder.

Extensions are installed from their PyPI wheels (duckdb_extensions.import_extension), so nothing is
downloaded at run time. SQLite as the catalog lets readers attach while a run writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from schemas.tables import TABLES

CATALOG_FILE = "catalog.sqlite"
DATA_DIR = "data"
STAGING_DIR = "_staging"
ALIAS = "lake"
_EXTENSIONS = {"sqlite": "sqlite_scanner", "ducklake": "ducklake"}


class WarehouseError(RuntimeError):
    pass


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def load_extensions(con: duckdb.DuckDBPyConnection) -> None:
    """Install (once per machine, from the wheels) and load the sqlite and ducklake extensions."""
    installed = {
        name
        for name, ok in con.execute("SELECT extension_name, installed FROM duckdb_extensions()").fetchall()
        if ok
    }
    for wheel_name, ext_name in _EXTENSIONS.items():
        if ext_name not in installed:
            from duckdb_extensions import import_extension

            import_extension(wheel_name, con=con)
        con.execute(f"LOAD {ext_name}")


def connect(warehouse: Path | str, read_only: bool = True, create: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the warehouse's catalog attached as `lake` and selected."""
    wh = Path(warehouse).resolve()  # the catalog records its data path: always the absolute one
    catalog = wh / CATALOG_FILE
    if not create and not catalog.exists():
        raise WarehouseError(f"no warehouse at {wh} (no {CATALOG_FILE}); run `newsprep run` first")
    if create:
        try:
            (wh / DATA_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(f"cannot create warehouse {wh}: {exc.strerror or exc}") from exc
    con = duckdb.connect()
    load_extensions(con)
    options = [f"DATA_PATH {_sql_str(str(wh / DATA_DIR) + '/')}"]
    if read_only:
        options.append("READ_ONLY")
    else:
        options.append("DATA_INLINING_ROW_LIMIT 0")  # always real Parquet files, never rows inlined in SQLite
    try:
        con.execute(f"ATTACH {_sql_str('ducklake:sqlite:' + str(catalog))} AS {ALIAS} ({', '.join(options)})")
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"cannot open warehouse {wh}: {str(exc).splitlines()[0]}") from exc
    con.execute(f"USE {ALIAS}")
    return con


_DUCK_TYPES: tuple[tuple[Callable[[pa.DataType], bool], str], ...] = (
    (pa.types.is_string, "VARCHAR"),
    (pa.types.is_int32, "INTEGER"),
    (pa.types.is_int64, "BIGINT"),
    (pa.types.is_float64, "DOUBLE"),
    (pa.types.is_boolean, "BOOLEAN"),
    (pa.types.is_date32, "DATE"),
)


def duck_type(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return duck_type(t.value_type) + "[]"
    if pa.types.is_struct(t):
        return "STRUCT(" + ", ".join(f"{f.name} {duck_type(f.type)}" for f in t) + ")"
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ" if t.tz else "TIMESTAMP"
    for test, name in _DUCK_TYPES:
        if test(t):
            return name
    raise WarehouseError(f"no DuckDB type for Arrow {t}")


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, and add columns a newer schema has (never drops or retypes one)."""
    existing = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [ALIAS]
    ).fetchall()}
    for name, schema in TABLES.items():
        if name not in existing:
            cols = ", ".join(
                f"{f.name} {duck_type(f.type)}{'' if f.nullable else ' NOT NULL'}" for f in schema
            )
            con.execute(f"CREATE TABLE {ALIAS}.{name} ({cols})")
            continue
        have = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND table_name = ?", [ALIAS, name]
        ).fetchall()}
        for f in schema:
            if f.name not in have:
                con.execute(f"ALTER TABLE {ALIAS}.{name} ADD COLUMN {f.name} {duck_type(f.type)}")


def committed_files(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """source_path -> sha256 of every file a run has committed, as a dump or as a reject.

    A reject with no hash (the file could not be read) maps to None: it is retried, and its old row replaced.
    """
    rows = con.execute(
        f"SELECT source_path, sha256 FROM {ALIAS}.dumps UNION ALL SELECT source_path, sha256 FROM {ALIAS}.rejects"
    ).fetchall()
    return {path: sha for path, sha in rows}


def commit(
    con: duckdb.DuckDBPyConnection,
    staged: Mapping[str, Sequence[Path]],
    replaced_paths: Iterable[str],
    run_row: Mapping[str, Any],
) -> int:
    """Make a run's rows visible in one DuckLake transaction; returns the new snapshot id.

    Rows of files that changed since their last commit are deleted in the same transaction, so a reader
    sees either the old rows or the new ones, never both and never neither.
    """
    replaced = sorted(set(replaced_paths))
    con.execute("BEGIN TRANSACTION")
    try:
        if replaced:
            con.execute("CREATE OR REPLACE TEMP TABLE _replaced (source_path VARCHAR)")
            con.executemany("INSERT INTO _replaced VALUES (?)", [[p] for p in replaced])
            for name in ("articles", "removed_lines", "dumps", "rejects"):
                con.execute(
                    f"DELETE FROM {ALIAS}.{name} WHERE source_path IN (SELECT source_path FROM _replaced)"
                )
        for name, files in staged.items():
            if files:
                file_list = "[" + ", ".join(_sql_str(str(f)) for f in files) + "]"
                con.execute(f"INSERT INTO {ALIAS}.{name} BY NAME SELECT * FROM read_parquet({file_list})")
        run_table = pa.Table.from_pylist([dict(run_row)], schema=TABLES["runs"])
        con.register("_run_row", run_table)
        con.execute(f"INSERT INTO {ALIAS}.runs BY NAME SELECT * FROM _run_row")
        con.unregister("_run_row")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    row = con.execute(f"SELECT max(snapshot_id) FROM {ALIAS}.snapshots()").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def to_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
