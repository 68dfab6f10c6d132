"""The views shipped with the tables: SQL in views.sql, one documented column list per view here.

The columns are declared rather than read back from a warehouse so that the data dictionary renders without
one; tests/tasks/test_views.py checks every declaration against the view DuckDB actually builds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

SQL_FILE = Path(__file__).resolve().with_name("views.sql")
SAME_AS_ARTICLES = "every column of `articles`"


@dataclass(frozen=True)
class View:
    purpose: str
    columns: tuple[tuple[str, str, str], ...]  # (name, DuckDB type, meaning); empty: the columns of `articles`


VIEWS: dict[str, View] = {
    "articles_current": View(
        "one row per article: its latest version (newest run), canonical copies of duplicate clusters only; "
        f"{SAME_AS_ARTICLES}. Query `articles` for every copy",
        (),
    ),
    "daily_counts": View(
        "canonical articles per day-precision published date, language and publisher",
        (
            ("published_date", "DATE", "publication date (day precision only)"),
            ("language", "VARCHAR", "ISO 639-1 code"),
            ("publisher", "VARCHAR", "the outlet, null when unknown"),
            ("articles", "BIGINT", "canonical articles"),
            ("words", "BIGINT", "sum of their word counts"),
        ),
    ),
    "publisher_summary": View(
        "one row per known publisher, over canonical articles",
        (
            ("publisher", "VARCHAR", "the outlet"),
            ("publisher_country", "VARCHAR", "ISO 3166-1 alpha-2 country"),
            ("articles", "BIGINT", "canonical articles"),
            ("languages", "VARCHAR[]", "languages of its articles, sorted"),
            ("first_date", "DATE", "earliest published date"),
            ("last_date", "DATE", "latest published date"),
            ("share_translated", "DOUBLE", "share of articles not in the publisher's language (0-1)"),
            ("share_wire_copy", "DOUBLE", "share of articles that are wire copy (0-1)"),
        ),
    ),
    "removal_rules": View(
        "how often each rule removed a line, by the publisher of the article the line sat in",
        (
            ("rule_id", "VARCHAR", "the rule that decided"),
            ("kind", "VARCHAR", "what the line was"),
            ("publisher", "VARCHAR", "publisher of the article the line sat in or before, null when none"),
            ("lines", "BIGINT", "lines removed"),
            ("dumps", "BIGINT", "dumps they were removed from"),
        ),
    ),
    "duplicates": View(
        "one row per member of a duplicate cluster of two articles or more (latest versions, every copy)",
        (
            ("dup_cluster_id", "VARCHAR", "the cluster"),
            ("cluster_size", "BIGINT", "members in the cluster"),
            ("article_id", "VARCHAR", "the member"),
            ("is_canonical", "BOOLEAN", "the copy `articles_current` keeps"),
            ("dup_kind", "VARCHAR", "exact or near; null for the canonical copy"),
            ("title", "VARCHAR", "headline"),
            ("publisher", "VARCHAR", "the outlet"),
            ("published_date", "DATE", "publication date"),
            ("language", "VARCHAR", "ISO 639-1 code"),
            ("source_path", "VARCHAR", "path of the input file"),
        ),
    ),
}


def statements() -> dict[str, str]:
    """view name -> its CREATE statement, in file order (later views may read earlier ones)."""
    text = SQL_FILE.read_text("utf-8")
    out: dict[str, str] = {}
    for stmt in re.split(r";\s*$", text, flags=re.M):
        body = "\n".join(line for line in stmt.splitlines() if not line.lstrip().startswith("--")).strip()
        if body:
            name = re.match(r"CREATE OR REPLACE VIEW (\w+)", body)
            if name is None:
                raise ValueError(f"{SQL_FILE.name}: not a CREATE OR REPLACE VIEW statement: {body[:60]!r}")
            out[name.group(1)] = body
    return out


def create_views(con: duckdb.DuckDBPyConnection, catalog: str = "lake") -> None:
    """Create or replace every view in the attached catalog, in one transaction (one DuckLake snapshot).

    The statements name tables unqualified, so they are bound with the catalog selected; the caller's
    selection is restored after.
    """
    previous = con.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
    con.execute(f"USE {catalog}")
    con.execute("BEGIN TRANSACTION")
    try:
        for sql in statements().values():
            con.execute(sql)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute(f"USE {previous}")
