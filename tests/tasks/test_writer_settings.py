"""A warehouse opened for writing (a commit) caps DuckDB's memory at 512MB unless NEWSPREP_DUCKDB_MEMORY says
otherwise: at 1GB a 200,000-dump commit took the flow process to 1.3 GB (docs/scaling.md)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tasks import warehouse as wh


def _shown(limit: str) -> str:
    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = '{limit}'")
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]  # type: ignore[index]
    finally:
        con.close()


def test_a_writer_caps_duckdb_memory_at_512mb(tmp_path: Path) -> None:
    if os.environ.get("NEWSPREP_DUCKDB_MEMORY"):
        pytest.skip("NEWSPREP_DUCKDB_MEMORY is set here: the default is not in use")
    assert wh.WRITER_MEMORY == "512MB"
    con = wh.connect(tmp_path / "wh", read_only=False, create=True)
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == _shown("512MB")  # type: ignore[index]
    finally:
        con.close()
    assert _shown("512MB") != _shown("1GB")
