"""The shipped views, built in a real DuckLake catalog: declared columns, read-only visibility, what they count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from schemas.views import VIEWS, create_views, statements
from tasks.warehouse import connect
from tests.tasks.lake import article, build

OLD, NEW = "20260101T000000-aaaaaaaa", "20260102T000000-bbbbbbbb"
D1, D2 = dt.date(2026, 1, 1), dt.date(2026, 1, 2)


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = [
        # the same article from two runs: the newer copy is the current one
        article("a1-0", "old text", title="Old", publisher="P", published_date=D1, date_precision="day", run_id=OLD),
        article("a1-0", "new text here", title="New", publisher="P", published_date=D1, date_precision="day",
                run_id=NEW, source_path="/dumps/copy/a1.txt"),
        # an exact duplicate of a2-0, not canonical
        article("a2-0", "wire story", publisher="P", published_date=D2, date_precision="day", origin_kind="wire_copy",
                dup_cluster_id="c1"),
        article("a3-0", "wire story", publisher="Q", published_date=D2, date_precision="day", dup_cluster_id="c1",
                is_canonical=False, dup_kind="exact"),
        article("a4-0", "month only", publisher="P", language="de", translated=True, published_date=D1,
                date_precision="month"),
    ]
    removed = [
        {"dump_id": "a2", "source_path": "/dumps/a2.txt", "line_no": 1, "rule_id": "widget_share_en",
         "kind": "share_widget", "text": "Share", "segment_index": 0, "run_id": OLD},
        {"dump_id": "a2", "source_path": "/dumps/a2.txt", "line_no": 9, "rule_id": "widget_share_en",
         "kind": "share_widget", "text": "Share", "segment_index": 0, "run_id": OLD},
        {"dump_id": "zz", "source_path": "/dumps/zz.txt", "line_no": 1, "rule_id": "widget_share_en",
         "kind": "share_widget", "text": "Share", "segment_index": None, "run_id": OLD},
    ]
    return build(tmp_path_factory.mktemp("views") / "wh", articles=articles, removed_lines=removed)


def rows(lake: Path, sql: str) -> list[tuple]:
    con = connect(lake, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_view_in_the_sql_is_documented_in_order() -> None:
    assert list(statements()) == list(VIEWS)


def test_declared_columns_match_the_views_duckdb_builds(lake: Path) -> None:
    articles = rows(lake, "SELECT column_name, column_type FROM (DESCRIBE articles)")
    for name, view in VIEWS.items():
        got = rows(lake, f"SELECT column_name, column_type FROM (DESCRIBE {name})")
        want = [(c, t) for c, t, _ in view.columns] if view.columns else articles
        assert got == want, name


def test_a_read_only_attach_under_another_alias_sees_the_views(lake: Path) -> None:
    import duckdb

    from tasks.warehouse import load_extensions

    con = duckdb.connect()
    load_extensions(con)
    con.execute(f"ATTACH 'ducklake:sqlite:{lake}/catalog.sqlite' AS other (READ_ONLY)")
    assert con.execute("SELECT count(*) FROM other.articles_current").fetchone() == (3,)


def test_create_views_is_repeatable_and_keeps_the_callers_catalog(lake: Path) -> None:
    con = connect(lake, read_only=False)
    try:
        con.execute("USE memory")
        create_views(con)
        assert con.execute("SELECT current_database()").fetchone() == ("memory",)
    finally:
        con.close()


def test_articles_current_keeps_the_newest_canonical_copy(lake: Path) -> None:
    got = rows(lake, "SELECT article_id, title FROM articles_current ORDER BY 1")
    assert got == [("a1-0", "New"), ("a2-0", None), ("a4-0", None)]


def test_daily_counts_count_canonical_day_precision_articles(lake: Path) -> None:
    got = rows(lake, "SELECT published_date, publisher, articles, words FROM daily_counts ORDER BY 1")
    assert got == [(D1, "P", 1, 3), (D2, "P", 1, 2)]


def test_publisher_summary_shares(lake: Path) -> None:
    got = rows(lake, "SELECT * EXCLUDE (publisher_country) FROM publisher_summary")
    assert got == [("P", 3, ["de", "en"], D1, D2, pytest.approx(1 / 3), pytest.approx(1 / 3))]


def test_removal_rules_by_publisher(lake: Path) -> None:
    got = rows(lake, "SELECT rule_id, publisher, lines, dumps FROM removal_rules ORDER BY publisher NULLS LAST")
    assert got == [("widget_share_en", "P", 2, 1), ("widget_share_en", None, 1, 1)]


def test_duplicates_lists_members_of_clusters_of_two_or_more(lake: Path) -> None:
    got = rows(lake, "SELECT dup_cluster_id, cluster_size, article_id, is_canonical, dup_kind FROM duplicates ORDER BY 3")
    assert got == [("c1", 2, "a2-0", True, None), ("c1", 2, "a3-0", False, "exact")]
