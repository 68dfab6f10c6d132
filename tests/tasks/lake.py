"""A small real warehouse (DuckLake on SQLite) with hand-written rows, for the query-side tests.

Articles are canonical with no duplicate kind unless a test says otherwise.
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
        "is_canonical": True,
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


def build(path: Path, **tables: list[dict[str, Any]]) -> Path:
    """Create a warehouse at `path` holding the given rows (table name -> rows) and the views."""
    con = wh.connect(path, read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        for name, rows in tables.items():
            con.register("_rows", pa.Table.from_pylist(rows, schema=TABLES[name]))
            con.execute(f"INSERT INTO lake.{name} BY NAME SELECT * FROM _rows")
            con.unregister("_rows")
        create_views(con)
    finally:
        con.close()
    return path
