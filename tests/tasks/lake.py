"""A small real warehouse (DuckLake on SQLite) with hand-written rows, for the query-side tests.

Rows get the dedup columns' obvious defaults (every article canonical, no duplicate kind) unless they say
otherwise; a warehouse whose schema predates those columns gets them added.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from schemas.tables import TABLES
from schemas.views import create_views
from tasks import warehouse as wh

_DEDUP = (("is_canonical", pa.bool_(), True), ("dup_kind", pa.string(), None))


def article(article_id: str, body: str, **fields: Any) -> dict[str, Any]:
    dump_id, _, seg = article_id.rpartition("-")
    row: dict[str, Any] = {
        "article_id": article_id,
        "dump_id": dump_id,
        "source_path": f"/dumps/{dump_id}.txt",
        "segment_index": int(seg),
        "body": body,
        "language": "en",
        "word_count": len(body.split()),
        "dup_cluster_id": article_id,
        "run_id": "20260101T000000-aaaaaaaa",
    }
    row.update(fields)
    return row


def run_row(run_id: str, counts: dict[str, Any], day: int = 1) -> dict[str, Any]:
    started = dt.datetime(2026, 1, day, 12, 0, tzinfo=dt.UTC)
    return {
        "run_id": run_id,
        "started_at": started,
        "finished_at": started + dt.timedelta(seconds=9),
        "status": "completed",
        "files_seen": counts.get("dumps", 0) + counts.get("rejects", 0),
        "files_skipped": 0,
        "dumps_written": counts.get("dumps", 0),
        "rejects_written": counts.get("rejects", 0),
        "articles_written": counts.get("articles", 0),
        "removed_lines_written": counts.get("removed_lines", 0),
        "counts": json.dumps(counts),
    }


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = TABLES[name]
    if name == "articles":
        for col, type_, default in _DEDUP:
            if col not in schema.names:
                schema = schema.append(pa.field(col, type_))
            rows = [{col: default, **r} for r in rows]
    return pa.Table.from_pylist(rows, schema=schema)


def build(path: Path, **tables: list[dict[str, Any]]) -> Path:
    """Create a warehouse at `path` holding the given rows (table name -> rows) and the views."""
    con = wh.connect(path, read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        have = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'lake' AND table_name = 'articles'"
        ).fetchall()}
        for col, type_, _ in _DEDUP:
            if col not in have:
                con.execute(f"ALTER TABLE lake.articles ADD COLUMN {col} {wh.duck_type(type_)}")
        for name, rows in tables.items():
            con.register("_rows", _table(name, rows))
            con.execute(f"INSERT INTO lake.{name} BY NAME SELECT * FROM _rows")
            con.unregister("_rows")
        create_views(con)
    finally:
        con.close()
    return path
