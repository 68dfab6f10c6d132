"""Full-text search over article titles and bodies, with DuckDB's FTS extension.

A DuckLake table cannot hold an FTS index, so the index lives in its own DuckDB file in the warehouse
(search.duckdb), built from `articles_current`. It is built to a temporary file and renamed over the old one:
a search running meanwhile keeps reading the old file. The file records the catalog snapshot it was built
from; a later commit makes it stale.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tasks import warehouse as wh

INDEX_FILE = "search.duckdb"
FTS = {"fts": "fts"}  # wheel name: extension name
_WORD = re.compile(r"\w+")


class SearchError(RuntimeError):
    pass


@dataclass(frozen=True)
class Hit:
    article_id: str
    title: str | None
    publisher: str | None
    published_date: dt.date | None
    language: str
    score: float
    snippet: str


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Install the fts extension from its wheel (once per machine) and load it; never downloads. Its signature is
    checked once per process (tasks/warehouse.verify_extensions), also when `con` skips DuckDB's own check."""
    wh.verify_extensions(FTS)
    con.execute("LOAD fts")


def _snapshot(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(f"SELECT max(snapshot_id) FROM {wh.ALIAS}.snapshots()").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def rebuild_index(warehouse: Path | str) -> int:
    """Rebuild <warehouse>/search.duckdb from articles_current; returns the number of articles indexed."""
    final = Path(warehouse).resolve() / INDEX_FILE
    tmp = final.with_name(f".{INDEX_FILE}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = wh.connect(warehouse, read_only=True)
    try:
        load_fts(con)
        con.execute(f"ATTACH {wh._sql_str(str(tmp))} AS idx")
        con.execute(
            "CREATE TABLE idx.docs AS SELECT article_id, title, body, publisher, language, published_date "
            "FROM articles_current"
        )
        con.execute("CREATE TABLE idx.meta AS SELECT ? AS snapshot_id, now() AS built_at", [_snapshot(con)])
        con.execute("USE idx")
        # strip_accents and lower: 'Perú' finds 'peru'; the Porter stemmer only helps English and harms no other.
        con.execute("PRAGMA create_fts_index('docs', 'article_id', 'title', 'body', strip_accents=1, lower=1)")
        n = con.execute("SELECT count(*) FROM idx.docs").fetchone()[0]  # type: ignore[index]
        con.execute("USE memory")
        con.execute("DETACH idx")
    except BaseException as exc:
        con.close()
        tmp.unlink(missing_ok=True)
        if isinstance(exc, duckdb.Error):  # e.g. a warehouse created before the views: one line, not a traceback
            raise SearchError(f"cannot build the search index: {str(exc).splitlines()[0]}") from exc
        raise
    con.close()
    os.replace(tmp, final)
    return int(n)


def index_is_current(warehouse: Path | str) -> bool:
    """True when the index exists and was built from the catalog's latest snapshot."""
    con = wh.connect(warehouse, read_only=True)  # first: a missing warehouse is its own error
    path = Path(warehouse).resolve() / INDEX_FILE
    try:
        if not path.exists():
            return False
        con.execute(f"ATTACH {wh._sql_str(str(path))} AS idx (READ_ONLY)")
        built = con.execute("SELECT snapshot_id FROM idx.meta").fetchone()
        return built is not None and built[0] == _snapshot(con)
    except duckdb.Error:
        return False  # a file left half-written by another tool, or an older layout: rebuild it
    finally:
        con.close()


def terms(query: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(query)]


def snippet(body: str, words: list[str], width: int = 160) -> str:
    """About `width` characters of the body around the first query word (or its stem), on word boundaries."""
    text = " ".join(body.split())
    stems = [w[: max(4, len(w) - 2)] for w in words]
    found = [m.start() for s in stems if (m := re.search(r"\b" + re.escape(s), text, re.I))]
    start = max(0, min(found) - width // 3) if found else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


_SEARCH_SQL = """
SELECT article_id, title, publisher, published_date, language, score, body FROM (
    SELECT *, fts_main_docs.match_bm25(article_id, $query) AS score FROM docs
)
WHERE score IS NOT NULL
  AND ($language IS NULL OR language = $language)
  AND ($date_from IS NULL OR published_date >= $date_from)
  AND ($date_to IS NULL OR published_date <= $date_to)
  AND ($publisher IS NULL OR lower(publisher) = lower($publisher))
ORDER BY score DESC, article_id
LIMIT $limit
"""


def search(
    warehouse: Path | str,
    query: str,
    language: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    publisher: str | None = None,
    limit: int = 10,
) -> list[Hit]:
    """Ranked (BM25) hits for `query`; every filter is a bound parameter, never pasted into the SQL."""
    words = terms(query)
    if not words:
        raise SearchError(f"nothing to search for in {query!r}: give at least one word")
    path = Path(warehouse).resolve() / INDEX_FILE
    if not path.exists():
        raise SearchError(f"no search index at {path}; run `newsprep search` with a writable warehouse to build it")
    con = duckdb.connect(str(path), read_only=True)
    try:
        load_fts(con)
        params = {
            "query": " ".join(words),
            "language": language,
            "date_from": date_from,
            "date_to": date_to,
            "publisher": publisher,
            "limit": limit,
        }
        rows = con.execute(_SEARCH_SQL, params).fetchall()
    finally:
        con.close()
    return [Hit(*r[:6], snippet=snippet(r[6], words)) for r in rows]
