"""Full-text search on a real warehouse: the index file, ranking, bound filters, staleness, snippets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tasks.search import INDEX_FILE, SearchError, index_is_current, rebuild_index, search, snippet
from tests.tasks.lake import article, build

D = dt.date


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = [
        article("s1-0", "Floods hit the coast. Rescue teams worked through the night.", title="Floods hit the coast",
                publisher="Coast News", published_date=D(2024, 3, 1)),
        article("s2-0", "The council met to discuss the budget. Floods were mentioned once.", title="Budget talks",
                publisher="City Paper", published_date=D(2024, 5, 1)),
        article("s3-0", "Las inundaciones afectaron a Perú durante la semana.", title="Inundaciones",
                publisher="Diario", language="es", published_date=D(2024, 4, 1)),
        article("s4-0", "Floods hit the coast. Rescue teams worked through the night.", title="Floods hit the coast",
                publisher="Other", dup_cluster_id="s1-0", is_canonical=False, dup_kind="exact"),
    ]
    path = build(tmp_path_factory.mktemp("search") / "wh", articles=articles)
    assert rebuild_index(path) == 3  # the non-canonical copy is not indexed
    return path


def ids(hits) -> list[str]:
    return [h.article_id for h in hits]


def test_index_is_a_file_beside_the_catalog_and_current(lake: Path) -> None:
    assert (lake / INDEX_FILE).is_file()
    assert not [p for p in lake.iterdir() if p.name.endswith(".tmp")]
    assert index_is_current(lake)


def test_title_and_body_hits_rank_above_a_passing_mention(lake: Path) -> None:
    hits = search(lake, "floods coast")
    assert ids(hits) == ["s1-0", "s2-0"]
    assert hits[0].score > hits[1].score
    assert hits[0].title == "Floods hit the coast" and hits[0].publisher == "Coast News"
    assert hits[0].published_date == D(2024, 3, 1)


def test_filters_narrow_the_hits(lake: Path) -> None:
    assert ids(search(lake, "floods", publisher="city paper")) == ["s2-0"]
    assert ids(search(lake, "floods", date_from=D(2024, 4, 1))) == ["s2-0"]
    assert ids(search(lake, "floods", date_to=D(2024, 4, 1))) == ["s1-0"]
    assert search(lake, "floods", language="es") == []
    assert ids(search(lake, "floods", limit=1)) == ["s1-0"]


def test_filters_are_bound_never_pasted(lake: Path) -> None:
    assert search(lake, "floods", publisher="x' OR 1=1 --") == []
    assert search(lake, "floods", language="en'; DROP TABLE docs; --") == []
    assert len(search(lake, "floods")) == 2


def test_accents_and_case_are_ignored(lake: Path) -> None:
    assert ids(search(lake, "PERU")) == ["s3-0"]


def test_a_query_without_words_is_an_error(lake: Path) -> None:
    with pytest.raises(SearchError, match="nothing to search"):
        search(lake, " ;:!? ")


def test_a_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SearchError, match="no search index"):
        search(tmp_path, "floods")


def test_a_new_commit_makes_the_index_stale_and_a_rebuild_catches_up(tmp_path: Path) -> None:
    path = build(tmp_path / "wh", articles=[article("n1-0", "quiet news day")])
    assert rebuild_index(path) == 1
    build(path, articles=[article("n2-0", "volcano erupts")])  # a second commit on the same warehouse
    assert not index_is_current(path)
    assert search(path, "volcano") == []
    assert rebuild_index(path) == 2
    assert index_is_current(path) and ids(search(path, "volcano")) == ["n2-0"]


def test_snippet_is_centred_on_the_first_query_word() -> None:
    body = " ".join(f"w{i}" for i in range(100)) + " the flooding reached town " + " ".join(f"x{i}" for i in range(100))
    s = snippet(body, ["floods"], width=80)
    assert "flooding" in s and s.startswith("…") and s.endswith("…") and len(s) <= 82


def test_snippet_of_a_short_body_is_the_body() -> None:
    assert snippet("Short  text\n\nhere.", ["missing"]) == "Short text here."


def test_a_warehouse_without_the_views_is_a_one_line_error(tmp_path: Path) -> None:
    from tasks import warehouse as wh

    con = wh.connect(tmp_path, read_only=False, create=True)
    wh.ensure_tables(con)
    con.execute("DROP VIEW lake.articles_current")  # a warehouse from before the views, or one a user broke
    con.close()
    with pytest.raises(SearchError, match="cannot build the search index: .*articles_current"):
        rebuild_index(tmp_path)
    assert not (tmp_path / INDEX_FILE).exists() and not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]
