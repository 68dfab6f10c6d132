"""tasks/sqlguard.py and `newsprep sql`: hostile statements are refused with one line; the lake stays readable."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tasks import warehouse as wh
from tasks.sqlguard import SqlRefused, check, lock_down

SECRET = "newsprep-secret-line"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sqlguard")
    con = wh.connect(root / "wh", read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        con.execute("INSERT INTO rejects (source_path, reason, detail, run_id) VALUES ('/d/a.txt', 'empty', 'x', 'r1')")
    finally:
        con.close()
    (root / "secret.txt").write_text(SECRET + "\n")
    return root / "wh"


def _sql(warehouse: Path, query: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["sql", "-w", str(warehouse), "--format", "csv", *extra, "--", query])
    return result.exit_code, result.output


def _one_line_refusal(warehouse: Path, query: str, *extra: str) -> str:
    code, output = _sql(warehouse, query, *extra)
    assert code != 0, output
    assert SECRET not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), output
    return lines[0]


def test_reads_work_after_the_lock_down(warehouse: Path) -> None:
    code, output = _sql(warehouse, "SELECT source_path, reason FROM rejects")
    assert code == 0 and output.splitlines() == ["source_path,reason", "/d/a.txt,empty"]
    assert _sql(warehouse, "SELECT count(*) > 1 AS ok FROM snapshots()")[1].splitlines() == ["ok", "True"]


@pytest.mark.parametrize(
    "query", ["DESCRIBE rejects", "SHOW TABLES", "SUMMARIZE rejects", "FROM rejects", "VALUES (1)", "EXPLAIN SELECT 1",
              "PRAGMA version", "WITH x AS (SELECT 1) SELECT * FROM x", "SELECT 1 /* ; DROP TABLE t */",
              "SELECT ';DROP TABLE t'"]
)
def test_the_guard_lets_reads_through(query: str) -> None:
    check(duckdb.connect(), query)


HOSTILE = [
    ("SELECT 1; DROP TABLE rejects", "one statement at a time"),
    ("/* SELECT */ DROP TABLE rejects", "drop statements change the warehouse: add --write"),
    ("WITH x AS (SELECT 1) DELETE FROM rejects", "delete statements change the warehouse"),
    ("COPY rejects TO '/tmp/newsprep-leak.csv'", "copy statements are not allowed"),
    ("ATTACH ':memory:' AS other", "attach statements are not allowed"),
    ("DETACH lake", "detach statements are not allowed"),
    ("INSTALL httpfs", "load statements are not allowed"),
    ("LOAD httpfs", "load statements are not allowed"),
    ("EXPORT DATABASE '/tmp/newsprep-export'", "export statements are not allowed"),
    ("SET enable_external_access = true", "set statements are not allowed"),
    ("CALL read_text('/etc/passwd')", "call statements change the warehouse"),
]


@pytest.mark.parametrize(("query", "says"), HOSTILE)
def test_the_guard_refuses_hostile_statements(query: str, says: str) -> None:
    with pytest.raises(SqlRefused, match=says):
        check(duckdb.connect(), query)


@pytest.mark.parametrize(("query", "says"), [HOSTILE[0], HOSTILE[1], ("-- harmless\nDELETE FROM rejects", "delete"),
                                              HOSTILE[3], HOSTILE[4], HOSTILE[6]])
def test_the_command_refuses_in_one_line(warehouse: Path, query: str, says: str) -> None:
    assert says in _one_line_refusal(warehouse, query)


def test_reading_files_outside_the_lake_fails_even_inside_a_select(warehouse: Path) -> None:
    secret = warehouse.parent / "secret.txt"
    for query in (f"SELECT * FROM read_text('{secret}')", f"SELECT * FROM read_csv('{secret}')",
                  "SELECT * FROM glob('/etc/*')", "SELECT content FROM read_text('/etc/passwd')"):
        line = _one_line_refusal(warehouse, query)
        assert "query failed" in line and "disabled by configuration" in line


def test_rows_are_unchanged_after_the_refusals(warehouse: Path) -> None:
    _one_line_refusal(warehouse, "DELETE FROM rejects")
    assert _sql(warehouse, "SELECT count(*) AS n FROM rejects")[1].splitlines() == ["n", "1"]


def test_write_allows_table_writes_but_still_nothing_outside(warehouse: Path, tmp_path: Path) -> None:
    code, output = _sql(
        warehouse, "INSERT INTO rejects (source_path, reason, detail, run_id) VALUES ('/d/b.txt', 'empty', 'y', 'r2')",
        "--write",
    )
    assert code == 0, output
    assert _sql(warehouse, "SELECT count(*) AS n FROM rejects")[1].splitlines() == ["n", "2"]
    assert _sql(warehouse, "DELETE FROM rejects WHERE source_path = '/d/b.txt'", "--write")[0] == 0
    target = tmp_path / "leak.csv"
    assert "copy statements are not allowed" in _one_line_refusal(warehouse, f"COPY rejects TO '{target}'", "--write")
    line = _one_line_refusal(warehouse, f"CREATE TABLE leak AS SELECT * FROM read_text('{warehouse.parent}/secret.txt')",
                             "--write")
    assert "disabled by configuration" in line and not target.exists()


def test_a_syntax_error_is_one_line(warehouse: Path) -> None:
    assert "Parser Error" in _one_line_refusal(warehouse, "SELEC 1")


def test_the_lock_cannot_be_undone_from_sql(warehouse: Path) -> None:
    con = wh.connect(warehouse)
    try:
        lock_down(con, warehouse / wh.DATA_DIR)
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("SET enable_external_access = true")
        with pytest.raises(SqlRefused):
            check(con, "SELECT 1; SELECT 2")
        check(con, "UPDATE rejects SET detail = 'z'", write=True)  # allowed by the guard; the attach is read-only
        # Refused by the read-only attach, or earlier by the binder: the lake cuts row groups by bytes
        # (tasks/warehouse.py), which DuckDB allows only on writer connections (they drop insertion order).
        with pytest.raises(duckdb.Error, match="read-only|preserving insertion order"):
            con.execute("UPDATE rejects SET detail = 'z'")
        assert con.execute("SELECT count(*) FROM lake.rejects WHERE detail = 'z'").fetchone() == (0,)
    finally:
        con.close()
