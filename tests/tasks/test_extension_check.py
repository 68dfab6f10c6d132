"""DuckDB checks an extension's signature at each load (~0.2 s a connect): tasks/warehouse checks each file once
per process and lets later databases skip the check only while the files are the ones it checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tasks import warehouse as wh

ROOT = Path(__file__).resolve().parents[2]


def _skips_check(con) -> bool:  # type: ignore[no-untyped-def]
    return bool(con.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone()[0])


@pytest.fixture
def forget_checks():  # type: ignore[no-untyped-def]
    saved = dict(wh._checked)
    wh._checked.clear()
    yield wh._checked
    wh._checked.clear()
    wh._checked.update(saved)


def test_the_first_database_checks_and_the_next_ones_reuse_the_check(forget_checks: dict) -> None:
    first = wh.new_database()
    try:
        assert not _skips_check(first)
    finally:
        first.close()
    assert set(forget_checks) == set(wh._EXTENSIONS.values())
    for path, *_ in forget_checks.values():
        assert Path(path).is_file() and path.endswith(".duckdb_extension")
    second = wh.new_database()
    try:
        assert _skips_check(second)
        loaded = {r[0] for r in second.execute("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()}
        assert set(wh._EXTENSIONS.values()) <= loaded
    finally:
        second.close()


def test_a_file_changed_since_its_check_is_checked_again(forget_checks: dict) -> None:
    wh.new_database().close()
    path, dev, ino, size, mtime = forget_checks["ducklake"]
    forget_checks["ducklake"] = (path, dev, ino, size, mtime - 1)  # as if the file had been replaced since
    con = wh.new_database()
    try:
        assert not _skips_check(con)
    finally:
        con.close()
    assert forget_checks["ducklake"][4] == mtime  # checked again, the file's identity recorded anew
    forget_checks["sqlite_scanner"] = (str(Path(path).with_name("gone.duckdb_extension")), 0, 0, 0, 0)
    con = wh.new_database()
    try:
        assert not _skips_check(con)
    finally:
        con.close()


def test_fts_is_checked_before_a_database_that_skips_checks_loads_it(forget_checks: dict) -> None:
    from tasks.search import load_fts

    wh.new_database().close()
    con = wh.new_database()
    try:
        assert _skips_check(con) and "fts" not in forget_checks
        load_fts(con)
        assert "fts" in forget_checks  # checked on a throwaway database first
        assert con.execute("SELECT count(*) FROM duckdb_extensions() WHERE loaded AND extension_name = 'fts'").fetchone()[0] == 1
    finally:
        con.close()


def test_each_process_checks_once() -> None:
    probe = (
        "from tasks import warehouse as wh\n"
        "flags = []\n"
        "for _ in range(3):\n"
        "    con = wh.new_database()\n"
        "    flags.append(con.execute(\"SELECT current_setting('allow_unsigned_extensions')\").fetchone()[0])\n"
        "    con.close()\n"
        "print(flags)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[False, True, True]"
