"""Exports from a real warehouse, read back with DuckDB; the table name and the filter are checked first."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tasks.export import NAMES, ExportError, export, export_query
from tests.tasks.lake import article, build


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = [article(f"e{i}-0", f"body number {i}", language="en" if i % 2 else "fr") for i in range(6)]
    return build(tmp_path_factory.mktemp("export") / "wh", articles=articles)


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_each_format_reads_back(lake: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"a.{fmt}"
    assert export(lake, "articles_current", fmt, out, where="language = 'en'") == 3
    reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[fmt]
    got = duckdb.sql(f"SELECT article_id, language FROM {reader}('{out}') ORDER BY 1").fetchall()
    assert got == [("e1-0", "en"), ("e3-0", "en"), ("e5-0", "en")]
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp file left


def test_jsonl_is_one_object_per_line(lake: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    export(lake, "articles", "jsonl", out)
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 6 and all(json.loads(line)["body"].startswith("body number") for line in lines)


def test_progress_is_reported_to_the_end(lake: Path, tmp_path: Path) -> None:
    seen: list[float] = []
    assert export(lake, "daily_counts", "csv", tmp_path / "d.csv", on_progress=seen.append) == 0
    assert seen and seen[-1] == 100.0


def test_a_bad_filter_is_an_error_and_leaves_no_file(lake: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="export failed"):
        export(lake, "articles", "csv", tmp_path / "a.csv", where="no_such_column = 1")
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_format_is_an_error(lake: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown --format"):
        export(lake, "articles", "xlsx", tmp_path / "a.xlsx")


def test_tables_and_views_are_exportable_names() -> None:
    assert {"articles", "runs", "articles_current", "duplicates"} <= set(NAMES)
    assert export_query("runs", None) == "SELECT * FROM runs"
    assert export_query("runs", "status = 'completed'") == "SELECT * FROM runs WHERE (status = 'completed')"


@pytest.mark.parametrize(
    ("table", "where", "message"),
    [
        ("articles; DROP TABLE runs", None, "unknown table"),
        ("read_csv('/etc/passwd')", None, "unknown table"),
        ("articles", "1=1; DROP TABLE runs", "no ';'"),
        ("articles", "1=1) --", "without comments"),
        ("articles", "1=1 /* x */", "without comments"),
    ],
)
def test_names_and_statements_are_rejected(table: str, where: str | None, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        export_query(table, where)
