"""The warehouse: a DuckLake catalog on SQLite plus Parquet data files, in one folder.

Extensions are installed from their PyPI wheels (duckdb_extensions.import_extension), so nothing is
downloaded at run time. SQLite as the catalog lets readers attach while a run writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from schemas.tables import TABLES
from schemas.views import VIEWS, create_views

CATALOG_FILE = "catalog.sqlite"
DATA_DIR = "data"
STAGING_DIR = "_staging"
LOCK_FILE = ".run.lock"
ALIAS = "lake"
_EXTENSIONS = {"sqlite": "sqlite_scanner", "ducklake": "ducklake"}


class WarehouseError(RuntimeError):
    pass


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def load_extensions(con: duckdb.DuckDBPyConnection, names: Mapping[str, str] = _EXTENSIONS) -> None:
    """Install (once per machine, from the wheels) and load extensions ({wheel name: extension name}); sqlite and
    ducklake by default."""
    installed = {
        name
        for name, ok in con.execute("SELECT extension_name, installed FROM duckdb_extensions()").fetchall()
        if ok
    }
    for wheel_name, ext_name in names.items():
        if ext_name not in installed:
            from duckdb_extensions import import_extension

            import_extension(wheel_name, con=con)
        con.execute(f"LOAD {ext_name}")


# DuckDB checks an extension's signature every time a database loads it: it hashes the file (sqlite_scanner and
# ducklake are ~70 MB together), ~0.2 s per connect, and a run connects several times (plan, commit, report; the
# tests thousands of times). The first load in a process is checked; later databases skip the check
# (allow_unsigned_extensions) only while every file they load is the one checked: same path, inode, size, mtime.
_checked: dict[str, tuple[str, int, int, int, int]] = {}
_checked_lock = threading.Lock()


def _file_identity(path: str) -> tuple[str, int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _still_checked(ext_names: Iterable[str]) -> bool:
    with _checked_lock:
        known = [_checked.get(name) for name in ext_names]
    return all(k is not None and _file_identity(k[0]) == k for k in known)


def _record_checked(con: duckdb.DuckDBPyConnection, ext_names: Iterable[str]) -> None:
    """Remember the files of extensions this (signature-checking) database has loaded."""
    wanted = set(ext_names)
    rows = con.execute("SELECT extension_name, install_path FROM duckdb_extensions() WHERE loaded").fetchall()
    with _checked_lock:
        for name, path in rows:
            identity = _file_identity(path) if name in wanted and path else None
            if identity is not None:
                _checked[name] = identity


def verify_extensions(names: Mapping[str, str]) -> None:
    """Make sure these extensions' files were signature-checked in this process (a throwaway database loads them
    once, with DuckDB's check), so that a database that skips the check may load them."""
    if _still_checked(names.values()):
        return
    con = duckdb.connect()
    try:
        load_extensions(con, names)
        _record_checked(con, names.values())
    finally:
        con.close()


def new_database() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the sqlite and ducklake extensions loaded, their signatures checked once per
    process (see _checked)."""
    fast = _still_checked(_EXTENSIONS.values())
    con = duckdb.connect(config={"allow_unsigned_extensions": True} if fast else {})
    try:
        load_extensions(con)
        if not fast:
            _record_checked(con, _EXTENSIONS.values())
    except BaseException:
        con.close()
        raise
    return con


def connect(
    warehouse: Path | str,
    read_only: bool = True,
    create: bool = False,
    at_version: int | None = None,
    at_time: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the warehouse's catalog attached as `lake` and selected.

    at_version / at_time attach the catalog as it was at that snapshot (time travel; read-only).
    """
    wh = Path(warehouse).resolve()  # the catalog records its data path: always the absolute one
    catalog = wh / CATALOG_FILE
    if not create and not catalog.exists():
        raise WarehouseError(f"no warehouse at {wh} (no {CATALOG_FILE}); run `newsprep run` first")
    if create:
        try:
            (wh / DATA_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(f"cannot create warehouse {wh}: {exc.strerror or exc}") from exc
        if not catalog.exists():
            _create_catalog(wh, catalog)
    con = new_database()
    con.execute("SET enable_progress_bar = false")  # its bar would land in the middle of the command's output
    options = []
    if at_version is not None:
        options.append(f"SNAPSHOT_VERSION {int(at_version)}")
    if at_time is not None:
        options.append(f"SNAPSHOT_TIME {_sql_str(at_time)}")
    if read_only or at_version is not None or at_time is not None:
        options.append("READ_ONLY")
    else:
        options.append("DATA_INLINING_ROW_LIMIT 0")  # always real Parquet files, never rows inlined in SQLite
    if not read_only:
        use_wal(catalog)
        # A commit streams every staged file into the lake: no need to keep rows in order or more than this in
        # memory (DuckDB spills beyond it), so the flow's process does not grow with the size of a run.
        con.execute(f"SET memory_limit = '{WRITER_MEMORY}'")
        con.execute("SET preserve_insertion_order = false")
        # DuckDB keeps what it read from Parquet files in a cache inside the memory limit; a commit reads each staged
        # file once, so the cache only held memory (~60 MiB more at the peak of a 50,000-dump commit).
        con.execute("SET enable_external_file_cache = false")
        # With DuckDB's default threads and row groups a commit held the run's article bodies in memory (~+110 MiB
        # per 10,000 dumps); one thread and byte-capped row groups (ensure_tables) keep it flat in the run's size.
        con.execute(f"SET threads = {WRITER_THREADS}")
    attach = _attach_sql(wh, catalog, options)
    for attempt in range(ATTACH_ATTEMPTS):
        try:
            con.execute(attach)
            break
        except duckdb.Error as exc:
            if "database is locked" in str(exc) and attempt + 1 < ATTACH_ATTEMPTS:
                time.sleep(0.1 * 2**attempt)  # a writer's checkpoint holds the catalog for a moment
                continue
            con.close()
            raise WarehouseError(f"cannot open warehouse {wh}: {str(exc).splitlines()[0]}") from exc
    con.execute(f"USE {ALIAS}")
    return con


def _attach_sql(wh: Path, catalog: Path, options: list[str]) -> str:
    """ATTACH of a warehouse's SQLite catalog as `lake`, its data under wh/data/, with these further options."""
    data_path = f"DATA_PATH {_sql_str(str(wh / DATA_DIR) + '/')}"
    return f"ATTACH {_sql_str('ducklake:sqlite:' + str(catalog))} AS {ALIAS} ({', '.join([data_path, *options])})"


def _create_catalog(wh: Path, catalog: Path) -> None:
    """A new catalog, made whole under a temporary name and renamed into place: a run killed while it creates
    the warehouse leaves no catalog at all, never one without its tables (which readers would open and fail on)."""
    partial = catalog.with_name(f"{catalog.name}.creating-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        use_wal(partial)
        con = new_database()
        try:
            con.execute(_attach_sql(wh, partial, ["DATA_INLINING_ROW_LIMIT 0"]))
            con.execute(f"USE {ALIAS}")
            ensure_tables(con)
            con.execute("USE memory")
            con.execute(f"DETACH {ALIAS}")
        finally:
            con.close()
        db = sqlite3.connect(partial)  # everything in the main file before it is renamed: its WAL would not follow
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        if not catalog.exists():  # another process may have made it meanwhile: theirs stands
            os.replace(partial, catalog)
    except (duckdb.Error, OSError) as exc:
        raise WarehouseError(f"cannot create warehouse {wh}: {str(exc).splitlines()[0]}") from exc
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-wal"), partial.with_name(partial.name + "-shm")):
            leftover.unlink(missing_ok=True)


ATTACH_ATTEMPTS = 8
# The commit's DuckDB spills beyond this: at 1GB a 200,000-dump commit took the flow process to 1.3 GB PSS.
WRITER_MEMORY = os.environ.get("NEWSPREP_DUCKDB_MEMORY", "512MB")
WRITER_THREADS = max(1, int(os.environ.get("NEWSPREP_DUCKDB_THREADS", "1")))
# Rows per Parquet row group are DuckDB's 122,880 by default: ~370 MB of article bodies buffered before a flush.
# A byte cap keeps a commit's memory flat in the run's size; 8 MB groups still compress and scan well.
ROW_GROUP_MB = 8


def use_wal(catalog: Path) -> None:
    """Put the SQLite catalog in WAL mode (it stays so): readers then never wait for, nor fail on, a writer's
    commit. A new catalog is created in WAL mode before DuckLake fills it; an older one is switched when no one
    else has it open, else left as it is until the next writer."""
    try:
        db = sqlite3.connect(catalog, timeout=1)
        try:
            db.execute("PRAGMA journal_mode=WAL")
        finally:
            db.close()
    except sqlite3.Error:
        pass


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


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One DuckLake transaction (one snapshot): committed when the block ends, rolled back when it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def ensure_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """Create missing tables, add columns a newer schema has (never drops or retypes one), then the views.

    Views are (re)created when one is missing or a table changed; the maintenance flow always recreates them,
    which is how a changed schemas/views.sql reaches an existing warehouse. Returns whether anything changed.
    """
    existing = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [ALIAS]
    ).fetchall()}
    changes = []
    for name, schema in TABLES.items():
        if name not in existing:
            cols = ", ".join(
                f"{f.name} {duck_type(f.type)}{'' if f.nullable else ' NOT NULL'}" for f in schema
            )
            changes.append(f"CREATE TABLE {ALIAS}.{name} ({cols})")
            continue
        have = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND table_name = ?", [ALIAS, name]
        ).fetchall()}
        changes += [f"ALTER TABLE {ALIAS}.{name} ADD COLUMN {f.name} {duck_type(f.type)}"
                    for f in schema if f.name not in have]
    changed = bool(changes)
    options = dict(con.execute(f"SELECT option_name, value FROM {ALIAS}.options() WHERE scope = 'GLOBAL'").fetchall())
    if options.get("parquet_row_group_size_bytes") != str(ROW_GROUP_MB * 1_000_000):  # how new files are cut
        changes.append(f"CALL {ALIAS}.set_option('parquet_row_group_size_bytes', '{ROW_GROUP_MB}MB')")
    if changes:
        # One DuckLake transaction: each statement on its own is a commit to the catalog (a new warehouse's five
        # tables took 0.27 s that way, 0.04-0.07 s together), and a failure leaves no half-changed schema.
        with transaction(con):
            for sql in changes:
                con.execute(sql)
    views = {r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE database_name = ?", [ALIAS]
    ).fetchall()}
    if changed or not set(VIEWS) <= views:
        create_views(con, ALIAS)
        changed = True
    return changed


# What is committed for each source path, as a dump or as a reject: the manifest a run plans against.
_COMMITTED = (
    f"SELECT source_path, sha256, size_bytes, epoch_us(mtime) / 1e6 AS mtime, rules_version, pipeline_version, "
    f"NULL::VARCHAR AS reason, 0 AS is_reject FROM {ALIAS}.dumps UNION ALL "
    f"SELECT source_path, sha256, size_bytes, epoch_us(mtime) / 1e6, NULL, NULL, reason, 1 FROM {ALIAS}.rejects"
)


def committed_for(con: duckdb.DuckDBPyConnection, found_file: str, batch_rows: int = 10_000) -> pa.RecordBatchReader:
    """Every entry of a found-files Parquet file (tasks/todo.py) with what is committed for its path (c_* columns,
    `known` false when nothing), in discovery's order: a join DuckDB runs out of core, however large the warehouse.
    A path committed both as a dump and as a reject comes twice, the reject first."""
    return con.execute(
        f"SELECT f.*, c.source_path IS NOT NULL AS known, c.sha256 AS c_sha256, c.size_bytes AS c_size, "
        f"c.mtime AS c_mtime, c.rules_version AS c_rules_version, c.pipeline_version AS c_pipeline_version, "
        f"c.reason AS c_reason FROM read_parquet(?) f LEFT JOIN ({_COMMITTED}) c ON c.source_path = f.path "
        f"ORDER BY f.seq, c.is_reject DESC",
        [found_file],
    ).to_arrow_reader(batch_rows)


def missing_paths(con: duckdb.DuckDBPyConnection, found_file: str, prefixes: Sequence[str]) -> list[str]:
    """Committed paths under the prefixes (tasks/manifest.py: root_prefixes) that discovery did not find."""
    if not prefixes:
        return []
    under = " OR ".join("starts_with(c.source_path, ?)" for _ in prefixes)
    rows = con.execute(
        f"SELECT DISTINCT c.source_path FROM ({_COMMITTED}) c ANTI JOIN read_parquet(?) f ON f.path = c.source_path "
        f"WHERE {under} ORDER BY 1",
        [found_file, *prefixes],
    ).fetchall()
    return [r[0] for r in rows]


# Tables holding rows of a source file: replacing or pruning a file deletes its rows from each, in one transaction.
FILE_TABLES = ("articles", "removed_lines", "dumps", "rejects")
# Called inside the commit transaction once the run's rows are in (duplicate linking); returns counts.
PostInsert = Callable[[duckdb.DuckDBPyConnection, str], Mapping[str, Any]]
# Called inside the commit transaction before the rows of replaced or pruned files are deleted; returns counts.
PreDelete = Callable[[duckdb.DuckDBPyConnection, list[str]], Mapping[str, Any]]


def commit(
    con: duckdb.DuckDBPyConnection,
    staged: Mapping[str, Sequence[Path]],
    replaced_paths: Iterable[str],
    run_row: Mapping[str, Any],
    extra: Mapping[str, pa.Table] | None = None,
    post_insert: Sequence[PostInsert] = (),
    pre_delete: Sequence[PreDelete] = (),
) -> tuple[int, dict[str, Any]]:
    """Make a run's rows visible in one DuckLake transaction; returns the new snapshot id and post-insert counts.

    Rows of files that changed (or were pruned) are deleted in the same transaction, so a reader sees either the old
    rows or the new ones, never both and never neither. Staged rows take this run's id even when they were staged by
    an earlier, killed run and reused.
    """
    run_id = str(run_row["run_id"])
    replaced = sorted(set(replaced_paths))
    extras: dict[str, Any] = {}
    with transaction(con):
        if replaced:
            for before in pre_delete:
                extras.update({f"forget_{k}": v for k, v in before(con, replaced).items()})
            con.execute("CREATE OR REPLACE TEMP TABLE _replaced (source_path VARCHAR)")
            con.executemany("INSERT INTO _replaced VALUES (?)", [[p] for p in replaced])
            for name in FILE_TABLES:
                con.execute(
                    f"DELETE FROM {ALIAS}.{name} WHERE source_path IN (SELECT source_path FROM _replaced)"
                )
        for name, files in staged.items():
            if files:
                file_list = "[" + ", ".join(_sql_str(str(f)) for f in files) + "]"
                con.execute(
                    f"INSERT INTO {ALIAS}.{name} BY NAME "
                    f"SELECT * REPLACE (? AS run_id) FROM read_parquet({file_list})",
                    [run_id],
                )
        for name, table in (extra or {}).items():
            if table.num_rows:
                con.register("_extra_rows", table)
                con.execute(f"INSERT INTO {ALIAS}.{name} BY NAME SELECT * FROM _extra_rows")
                con.unregister("_extra_rows")
        for hook in post_insert:
            extras.update(hook(con, run_id))
        row = dict(run_row)
        if extras:
            row["counts"] = to_json({**json.loads(row.get("counts") or "{}"), "linked": extras})
        run_table = pa.Table.from_pylist([row], schema=TABLES["runs"])
        con.register("_run_row", run_table)
        con.execute(f"INSERT INTO {ALIAS}.runs BY NAME SELECT * FROM _run_row")
        con.unregister("_run_row")
        con.execute(
            f"CALL {ALIAS}.set_commit_message('newsprep', ?, extra_info => ?)",
            [f"run {run_id}", to_json({"run_id": run_id})],
        )
    row = con.execute(f"SELECT max(snapshot_id) FROM {ALIAS}.snapshots()").fetchone()
    return (int(row[0]) if row and row[0] is not None else 0), extras


class WarehouseBusy(WarehouseError):
    pass


@contextlib.contextmanager
def exclusive(warehouse: Path | str, what: str) -> Iterator[None]:
    """Hold the warehouse's run lock: one writing run at a time; a second one stops with a clear message.

    An OS file lock (flock), so a run killed with SIGKILL releases it at once: no stale lock to clear by hand.
    Readers never take it.
    """
    wh = Path(warehouse).resolve()
    wh.mkdir(parents=True, exist_ok=True)
    path = wh / LOCK_FILE
    fh = open(path, "a+")  # noqa: SIM115 - held open for the whole run
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another run"
            raise WarehouseBusy(f"warehouse {wh} is busy: {holder}; try again when it ends") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{what} (pid {os.getpid()}, since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC)")
        fh.flush()
        yield
    finally:
        fh.close()  # closing releases the lock


def to_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
