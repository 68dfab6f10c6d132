"""Linking a run's duplicates inside its commit holds only the rows that change, not the run's articles.

A DuckLake table written in the same transaction is estimated at ~0 rows, so DuckDB built the UPDATE's hash join on
lake.articles: every article of the run, bodies included (+290 MiB at 50,000 dumps; benchmarks/memory.py). Here a
run of ~60 MB of bodies is committed under a DuckDB memory limit far below that, with a few copies to link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from schemas.tables import INDEXES, TABLES
from tasks import warehouse as wh
from tasks.dedup import HASH_SCHEME, SIGNATURES, ensure_signatures, link_duplicates
from tests.tasks.lake import article, run_row

pytestmark = pytest.mark.slow

RUN = "20260102T000000-cccccccc"


def _body(i: int) -> str:
    # hex, so that neither compression nor dictionary encoding hides the size
    return " ".join(hashlib.sha256(f"{i}-{k}".encode()).hexdigest() for k in range(48))


def test_linking_a_run_updates_only_the_changed_rows_under_a_small_memory_limit(tmp_path: Path) -> None:
    rows = []
    for i in range(20_000):
        body = _body(i % 19_990)  # the last 10 articles are exact copies of the first 10
        rows.append(article(f"d{i:05d}-0", body, content_sha256=hashlib.sha256(body.encode()).hexdigest(), run_id=RUN))
    staged = tmp_path / "articles.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=TABLES["articles"]), staged, row_group_size=1_000)
    # staged signatures, as shard workers stage them (empty: these bodies are linked as exact copies only)
    signatures = tmp_path / "signatures.parquet"
    sig_rows = [{"article_id": r["article_id"], "source_path": r["source_path"], "run_id": RUN,
                 "content_sha256": r["content_sha256"], "minhash": [], "band_keys": [], "scheme": HASH_SCHEME}
                for r in rows]
    pq.write_table(pa.Table.from_pylist(sig_rows, schema=INDEXES[SIGNATURES]), signatures)
    con = wh.connect(tmp_path / "wh", read_only=False, create=True)
    try:
        wh.ensure_tables(con)
        ensure_signatures(con)
        con.execute("SET memory_limit = '48MB'")  # the run's bodies are ~60 MB
        row = {**run_row(RUN, {"articles": len(rows)}), "started_at": dt.datetime.now(dt.UTC)}
        _, extras = wh.commit(con, {"articles": [staged], SIGNATURES: [signatures]}, [], row, post_insert=[link_duplicates])
        assert extras["exact"] == 10
        assert extras["rows_updated"] == 10
        copies = con.execute(
            "SELECT count(*) FROM lake.articles WHERE dup_kind = 'exact' AND NOT is_canonical"
        ).fetchone()
        assert copies == (10,)
    finally:
        con.close()
