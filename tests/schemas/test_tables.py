"""The schemas are the single source of truth: the data dictionary and the row builders follow them."""

from __future__ import annotations

from schemas.docs import DOC, render
from schemas.tables import TABLES
from tasks.pipeline import process_dump
from tasks.rows import rows_for
from tests.expectations import SAMPLES


def test_data_dictionary_is_in_sync() -> None:
    assert DOC.read_text("utf-8") == render(), "run `python -m schemas.docs` and commit docs/tables.md"


def test_every_column_is_documented() -> None:
    for name, schema in TABLES.items():
        for f in schema:
            assert (f.metadata or {}).get(b"doc"), f"{name}.{f.name} has no description"


def test_rows_fill_exactly_the_schema_columns() -> None:
    path = next(p for p in sorted(SAMPLES.iterdir()) if p.suffix == ".txt")
    rows = rows_for(process_dump(path.read_bytes(), str(path)), run_id="r")
    for name, table in rows.to_arrow().items():
        assert table.schema.names == TABLES[name].names
        for row in getattr(rows, name):
            assert set(row) == set(TABLES[name].names), name
