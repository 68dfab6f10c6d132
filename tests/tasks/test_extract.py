"""tasks/extract.py: datelines at the start of a first paragraph, and facts read from labelled lines."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.classify import classify_lines
from tasks.extract import DATE_SOURCES, dateline, read_facts
from tasks.structure import find_structure

BODY = (
    "The regional council approved a new flood defence plan on Monday after three storms in a row left "
    "several coastal towns under water for most of the winter."
)


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Beijing. China yesterday said it would lower tariffs on farm goods.", ("Beijing", None)),
        ("BERLIN (dpa) - Die Regierung hat am Montag neue Regeln beschlossen.", ("Berlin", "dpa")),
        ("WASHINGTON — The Senate voted late on Tuesday to extend the program.", ("Washington", None)),
        ("MEXICO CITY (AP) — The president said the plan would go ahead.", ("Mexico City", "AP")),
        ("PARIS, 3 sept. (AFP) - Le gouvernement a présenté son budget.", ("Paris", "AFP")),
        ("BUENOS AIRES (Télam) - El gobierno anunció nuevas medidas.", ("Buenos Aires", "Télam")),
        ("MADRID – El Gobierno aprobó el martes la reforma.", ("Madrid", None)),
    ],
)
def test_dateline_found(paragraph: str, expected: tuple[str, str | None]) -> None:
    assert dateline(paragraph) == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        "Yes. The vote passed by a wide margin on Thursday.",
        "Mr. Smith said the vote would be held again next week.",
        "He said: the vote would be held again next week.",
        "He said: The vote would be held again next week.",
        "The end. The vote passed.",
        "However, the vote passed by a wide margin.",
        "Washington — The Senate voted late on Tuesday.",  # a dash dateline must be in capitals
        "Dr. Jones said the hospital was full.",
        "Meanwhile. The vote passed.",
        "Update: The story has been changed.",
        "the vote passed on Thursday.",
        "",
    ],
)
def test_dateline_not_found(paragraph: str) -> None:
    assert dateline(paragraph) is None


def test_dateline_with_long_name_and_period_is_rejected() -> None:
    # A '.' dateline without an agency must be a short proper name: four capitalized words read as a sentence.
    assert dateline("Four Big Capital Words. Then more text.") is None
    assert dateline("Santa Cruz. The town council met.") == ("Santa Cruz", None)


def test_reuters_style_dateline() -> None:
    assert dateline("NEW YORK, July 11 (Reuters) - Stocks rose on Thursday.") == ("New York", "Reuters")


@pytest.mark.parametrize(
    "paragraph",
    ["Note: The figures in this report are preliminary.", "Q: What did the minister say about the plan?"],
)
def test_label_with_colon_is_not_a_dateline(paragraph: str) -> None:
    assert dateline(paragraph) is None


def test_all_caps_place_keeps_lowercase_connectors() -> None:
    assert dateline("RIO DE JANEIRO — O governo anunciou novas regras.") == ("Rio de Janeiro", None)


def _facts(lines: list[str]):
    labels = classify_lines(lines)
    find_structure(labels, "en")
    return read_facts(labels)


def test_date_sources_order() -> None:
    assert DATE_SOURCES == ("inline_header", "date_label", "dateline", "publication_line")


def test_inline_header_date_beats_later_date_lines() -> None:
    facts = _facts(
        [
            "date 2024-03-02 Title: Storm hits the coast",
            "Date: 2024-05-06",
            "",
            BODY,
            "",
            "Thursday, July 11, 2024, p. 24",
        ]
    )
    assert facts.date is not None
    assert (facts.date.value, facts.date.precision, facts.date.source) == (dt.date(2024, 3, 2), "day", "inline_header")
    assert facts.title == "Storm hits the coast"
    assert facts.page == "24"


def test_date_label_beats_a_date_line() -> None:
    facts = _facts(["Storm hits the coast", "Thursday, July 11, 2024, p. 24", "Date: 2024-05-06", "", BODY])
    assert facts.date is not None
    assert (facts.date.value, facts.date.source) == (dt.date(2024, 5, 6), "date_label")


def test_labelled_title_and_subtitle() -> None:
    facts = _facts(["Title: Storm hits the coast", "Subtitle: Four towns flooded", "", BODY])
    assert facts.title == "Storm hits the coast"
    assert facts.subtitle == "Four towns flooded"
    assert facts.date is None


def test_unlabelled_first_head_line_is_the_title() -> None:
    facts = _facts(["Storm hits the coast", "", BODY])
    assert facts.title == "Storm hits the coast"


def test_byline_agency_tail_is_split_off() -> None:
    facts = _facts(["Storm hits the coast", "Von Hans Müller, dpa", "", BODY])
    assert facts.byline == "Hans Müller"
    assert [name for name, _ in facts.agency_claims] == ["dpa"]
    assert facts.agency_claims[0][1].line_no == 2


def test_publisher_claims_keep_line_evidence() -> None:
    facts = _facts(["Storm hits the coast", "", BODY, "", "Source: Example Gazette"])
    assert [name for name, _ in facts.publisher_claims] == ["Example Gazette"]
    evidence = facts.publisher_claims[0][1]
    assert (evidence.line_no, evidence.rule_id) == (5, "source_label")


def test_body_date_is_not_a_fact() -> None:
    facts = _facts(["Storm hits the coast", "", BODY + " The last such storm struck on March 3, 2021."])
    assert facts.date is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Stocks rally as oil slips | Reuters", ("Stocks rally as oil slips", "Reuters")),
        ("Allies meet in Vilnius - The New York Times", ("Allies meet in Vilnius", "The New York Times")),
        ("El Gobierno aprueba el plan | EL PAÍS", ("El Gobierno aprueba el plan", "El País")),
        # An attribution is not a site: the headline keeps it.
        ("Statements in Vilnius confirm the bloc's attitude — envoy", ("Statements in Vilnius confirm the bloc's attitude — envoy", None)),
        ("Macron: no office in Tokyo", ("Macron: no office in Tokyo", None)),
        ("Man stabbed in Berlin - The Jerusalem Post | JPost.com", ("Man stabbed in Berlin", "The Jerusalem Post")),
        ("Protesters killed in Bolivia — RT World News", ("Protesters killed in Bolivia", "RT")),
    ],
)
def test_site_suffix_is_split_only_for_known_outlets(title: str, expected: tuple[str, str | None]) -> None:
    from tasks.extract import split_site_suffix

    assert split_site_suffix(title) == expected


def test_site_suffix_gives_title_and_publisher_through_the_pipeline() -> None:
    from tasks.pipeline import process_dump
    from tests.tasks.texts import P1, P2

    result = process_dump(f"Water plan approved after drought | Reuters\n\n{P1}\n\n{P2}\n".encode(), "s.txt")
    article = result.articles[0]
    assert article.title == "Water plan approved after drought"
    assert article.origin.publisher == "Reuters"
    assert article.origin.publisher_evidence is not None
    assert article.origin.publisher_evidence.rule_id == "title_site_suffix"
