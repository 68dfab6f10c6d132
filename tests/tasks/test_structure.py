"""tasks/structure.py: titles, their copies, headlines against subheadings, and runs of fragments."""

from __future__ import annotations

from tasks.pipeline import process_dump
from tasks.structure import title_parts
from tests.tasks.texts import P1, P2, P3


def _run(*lines: str):
    return process_dump("\n\n".join(lines).encode(), "structure.txt")


def test_title_parts() -> None:
    assert title_parts("Hay prices soar - feeding - practice - Horse Review") == [
        "Hay prices soar",
        "feeding",
        "practice",
        "Horse Review",
    ]
    assert title_parts("Water plan | The Daily Example") == ["Water plan", "The Daily Example"]


def test_page_title_gives_way_to_the_bare_headline_printed_below() -> None:
    result = _run("Water plan approved after drought - politics - The Daily Example", "Menu", "Water plan approved after drought", P1, P2)
    article = result.articles[0]
    assert article.title == "Water plan approved after drought"
    kinds = {line.text: line.kind for line in result.lines if line.text}
    assert kinds["Water plan approved after drought"] == "duplicate_title"


def test_short_title_case_english_headline_splits_but_sentence_case_subheading_does_not() -> None:
    split = _run(P1, P2, "Hewitt Falls to Dent", P3, P1)
    assert len(split.articles) == 2 and split.articles[1].title == "Hewitt Falls to Dent"
    kept = _run(P1, P2, "Costs rise for small growers", P3, P1)
    assert len(kept.articles) == 1 and kept.articles[0].subheading_lines


def test_quoted_question_is_never_a_headline() -> None:
    result = _run(P1, P2, "“Why should the village pay for a road it never asked for?”", P3, P1)
    assert len(result.articles) == 1
    assert "“Why should the village pay" in result.articles[0].body


def test_a_run_of_fragments_inside_the_body_is_removed() -> None:
    result = _run(P1, "Most read", "Storm closes ferry port", "Council elections: live", "Weather", P2, P3)
    rules = {line.text: line.rule_id for line in result.lines if line.text}
    assert rules["Storm closes ferry port"] == "generic_short_line_run"
    assert all(p in result.articles[0].body for p in (P1, P2, P3))


def test_an_isolated_widget_label_in_the_body_is_removed_but_list_items_stay() -> None:
    # Neither is followed by a paragraph, so neither is a subheading.
    result = _run(P1, "Latest posts", "1-2 dashes of bitters", P3, P1)
    rules = {line.text: line.rule_id for line in result.lines if line.text}
    assert rules["Latest posts"] == "generic_body_fragment"
    assert "1-2 dashes of bitters" in result.articles[0].body


def test_a_copyright_line_inside_the_page_is_never_a_headline() -> None:
    result = _run(P1, P2, "© Example Media Group Limited, registered office and all the rights that go with it", P3, P1)
    assert len(result.articles) == 1
    rules = {line.text[:1]: line.rule_id for line in result.lines if line.text.startswith("©")}
    assert rules == {"©": "footer_copyright_mark"}
