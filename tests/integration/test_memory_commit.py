"""A commit streams staged rows into the lake: the writer's settings that keep its memory flat in a run's size.

With DuckDB's defaults (one 122,880-row Parquet row group per writer thread) a commit buffered the run's article
bodies before the first flush: the flow process grew with every dump (benchmarks/memory.py measures the curve).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.tables import TABLES
from tasks import warehouse as wh
from tests.tasks.lake import article, run_row


def test_a_writer_uses_one_thread_and_byte_capped_row_groups(tmp_path: Path) -> None:
    con = wh.connect(tmp_path / "wh", read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        assert con.execute("SELECT current_setting('threads')").fetchone() == (wh.WRITER_THREADS,)
        options = dict(con.execute("SELECT option_name, value FROM lake.options()").fetchall())
        assert options["parquet_row_group_size_bytes"] == str(wh.ROW_GROUP_MB * 1_000_000)
        assert wh.ensure_tables(con) is False  # set once: a later writer changes nothing
    finally:
        con.close()


def test_a_committed_run_is_cut_into_row_groups_of_bounded_size(tmp_path: Path) -> None:
    # 6,000 articles of ~4 KB (hex, so compression does not hide the size): ~24 MB of bodies, one row group of
    # DuckDB's default size, at least three under the cap.
    rows = []
    for i in range(6_000):
        body = " ".join(hashlib.sha256(f"{i}-{k}".encode()).hexdigest() for k in range(64))
        rows.append(article(f"d{i:05d}-0", body, content_sha256=hashlib.sha256(body.encode()).hexdigest()))
    staged = tmp_path / "articles.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=TABLES["articles"]), staged)
    warehouse = tmp_path / "wh"
    con = wh.connect(warehouse, read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        row = {**run_row("20260102T000000-bbbbbbbb", {"articles": len(rows)}), "started_at": dt.datetime.now(dt.UTC)}
        wh.commit(con, {"articles": [staged]}, [], row)
        assert con.execute("SELECT count(*) FROM lake.articles").fetchone() == (len(rows),)
    finally:
        con.close()
    files = [p for p in (warehouse / wh.DATA_DIR).rglob("*.parquet") if "/articles/" in str(p)]
    groups = [pq.ParquetFile(p).metadata.row_group(i) for p in files for i in range(pq.ParquetFile(p).num_row_groups)]
    assert len(groups) >= 3
    # The cap is checked as rows arrive (DuckDB's vectors of 2,048 rows): a group may pass it by one vector.
    assert max(g.total_byte_size for g in groups) < 2 * wh.ROW_GROUP_MB * 1_000_000
