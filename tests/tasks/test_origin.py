"""tasks/origin.py, through process_dump: publisher, agencies and kind of copy from small inline dumps."""

from __future__ import annotations

import pytest

from tasks.origin import translated
from tasks.pipeline import process_dump
from tasks.records import Origin
from tests.tasks.texts import P1, P2


def _one_article(text: str):
    result = process_dump(text.encode("utf-8"), "origin_test.txt")
    assert result.reject_reason is None, result.reject_detail
    assert len(result.articles) == 1
    return result, result.articles[0]


def test_outlet_doing_the_reporting_is_the_publisher() -> None:
    _, art = _one_article(
        f"Water plan approved\n\n{P1} Reuters has learned that the plan costs more than expected.\n\n{P2}\n"
    )
    assert art.origin.publisher == "Reuters"
    assert art.origin.publisher_country == "GB"
    assert art.origin.publisher_language == "en"
    assert art.origin.kind == "original"
    assert art.origin.publisher_evidence is not None
    assert art.origin.publisher_evidence.rule_id == "origin_self_reference"
    assert art.origin.publisher_evidence.line_no == 3
    assert art.translated is False


@pytest.mark.parametrize(
    "sentence",
    [
        "A senior official told Al Jazeera on Monday.",
        "According to Reuters, the plan was changed twice.",
        "The minister was speaking to Reuters after the vote.",
        "A spokesperson told Reuters he had reviewed the figures.",
    ],
)
def test_outlet_quoted_as_a_source_is_not_the_publisher(sentence: str) -> None:
    _, art = _one_article(f"Water plan approved\n\n{P1} {sentence}\n\n{P2}\n")
    assert art.origin.publisher is None
    assert art.origin.publisher_evidence is None
    assert art.origin.kind is None
    assert art.translated is None


def test_source_line_gives_the_registered_publisher() -> None:
    result, art = _one_article(f"Water plan approved\n\n{P1}\n\n{P2}\n\nSource: ALJAZEERA\n")
    assert (art.origin.publisher, art.origin.publisher_country, art.origin.publisher_language) == (
        "Al Jazeera",
        "QA",
        "en",
    )
    assert art.origin.publisher_languages == ("en", "ar")
    assert art.language == "en"
    assert art.translated is False
    source_line = result.lines[6]
    assert (source_line.kind, source_line.kept) == ("source_line", False)
    assert "ALJAZEERA" not in art.body


def test_newspaper_line_and_english_body_is_a_translation() -> None:
    result, art = _one_article(f"The newspaper La Jornada\n\nWater plan approved\n\n{P1}\n\n{P2}\n")
    assert art.origin.publisher == "La Jornada"
    assert (art.origin.publisher_country, art.origin.publisher_language) == ("MX", "es")
    assert art.language == "en"
    assert art.translated is True
    assert result.lines[0].kind == "publication_line"
    assert art.title == "Water plan approved"


def test_agency_credit_line_is_wire_copy() -> None:
    result, art = _one_article(f"Water plan approved\n\n{P1}\n\n{P2}\n\nEFE y AFP\n")
    assert list(art.origin.agencies) == ["EFE", "AFP"]
    assert art.origin.kind == "wire_copy"
    assert art.origin.publisher is None
    assert art.origin.agency_evidence is not None
    assert art.origin.agency_evidence.rule_id == "credit_line_agencies"
    assert result.lines[6].kind == "credit_line"
    assert "EFE" not in art.body


@pytest.mark.parametrize("where", ["head", "tail"])
def test_image_source_never_sets_a_publisher(where: str) -> None:
    credit = "Image Source: Getty Images"
    text = (
        f"Water plan approved\n\n{credit}\n\n{P1}\n\n{P2}\n"
        if where == "head"
        else f"Water plan approved\n\n{P1}\n\n{P2}\n\n{credit}\n"
    )
    result, art = _one_article(text)
    assert art.origin.publisher is None
    assert art.origin.agencies == ()
    assert art.image_credit == "Getty Images"
    assert any(line.kind == "image_credit" and line.text == credit for line in result.lines)


def test_unknown_outlet_is_kept_as_written() -> None:
    _, art = _one_article(f"Water plan approved\n\n{P1}\n\n{P2}\n\nSource: The Example Gazette\n")
    assert art.origin.publisher == "The Example Gazette"
    assert art.origin.publisher_country is None
    assert art.translated is None


def test_labelled_source_beats_a_self_reference_in_the_body() -> None:
    _, art = _one_article(
        f"Water plan approved\n\n{P1} Reuters has learned that the plan costs more than expected.\n\n{P2}\n\nSource: ALJAZEERA\n"
    )
    assert art.origin.publisher == "Al Jazeera"


def test_agency_named_as_source_is_an_agency_not_a_publisher() -> None:
    # EFE is a wire agency and no outlet in the registry.
    _, art = _one_article(f"Water plan approved\n\n{P1}\n\n{P2}\n\nSource: EFE\n")
    assert art.origin.publisher is None
    assert art.origin.agencies == ("EFE",)
    assert art.origin.kind == "wire_copy"


def test_name_registered_as_outlet_and_agency_reads_as_outlet() -> None:
    # AFP is in both registries: a source line naming it gives the outlet (with its country and language).
    _, art = _one_article(f"Water plan approved\n\n{P1}\n\n{P2}\n\nSource: AFP\n")
    assert (art.origin.publisher, art.origin.publisher_country) == ("AFP", "FR")


def test_agency_in_the_dateline_is_a_wire_credit() -> None:
    _, art = _one_article(f"Water plan approved\n\nMADRID (EFE) - {P1}\n\n{P2}\n")
    assert art.dateline_place == "Madrid"
    assert "EFE" in art.origin.agencies
    assert art.origin.kind == "wire_copy"


def test_translated_needs_both_languages() -> None:
    spanish = Origin(publisher="La Jornada", publisher_language="es")
    assert translated("en", spanish) is True
    assert translated("es", spanish) is False
    assert translated("und", spanish) is None
    assert translated("en", Origin()) is None


def test_source_naming_only_agencies_gives_agencies_not_a_publisher() -> None:
    result = process_dump(f"Water plan approved after drought\n\n{P1}\n\n{P2}\n\nCon información de EFE y AFP\n".encode(), "x.txt")
    origin = result.articles[0].origin
    assert origin.publisher is None
    assert origin.agencies == ("EFE", "AFP")


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("BOGOTÁ (Reuters).- El gobierno anunció un plan nuevo.", "Fin del comunicado.", [("Reuters", "agency_dateline")]),
        ("(ANSA) - MILANO - Il governo ha approvato il piano.", "Fine.", [("ANSA", "agency_dateline")]),
        ("法新社上海9月17日电 中国政府宣布新的计划。", "结束。", [("AFP", "agency_dateline")]),
        ("МОСКВА, 24 августа — Интерфакс. Правительство одобрило план.", "Конец.", [("Interfax", "agency_dateline")]),
        ("The council met on Monday.", "The minister said the plan would work. (AFP)", [("AFP", "agency_signoff")]),
        ("The council met on Monday.", "Police are investigating the cause. — Reuters", [("Reuters", "agency_signoff")]),
        ("The council met on Monday (a public holiday).", "It ended late — envoy.", []),
    ],
)
def test_wire_credits_in_datelines_and_signoffs(first: str, last: str, expected: list) -> None:
    from tasks.extract import wire_credits

    assert wire_credits(first, last) == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Jane Roe, AFP", ("Jane Roe", "AFP", None)),
        ("Jane Roe (AAP)", ("Jane Roe", "AAP", None)),
        ("Jane Roe of CBS News", ("Jane Roe", None, "CBS News")),
        ("John Smith and Ana Ruiz", ("John Smith and Ana Ruiz", None, None)),
    ],
)
def test_bylines_keep_authors_apart_from_agencies_and_outlets(byline: str, expected: tuple) -> None:
    from tasks.extract import split_byline

    assert split_byline(byline) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "A survey the WSJ found last year showed prices rising.",
        "The Guardian reached out to the ministry, which declined to comment.",
        "The analyst Reuters spoke to agrees with that view.",
    ],
)
def test_citing_another_outlets_work_names_no_publisher(sentence: str) -> None:
    result = process_dump(f"{P1}\n\n{sentence} {P2}\n".encode(), "cite.txt")
    assert result.articles[0].origin.publisher is None


def test_a_page_naming_its_site_in_its_menus_gives_a_low_confidence_publisher() -> None:
    page = "\n\n".join([P1, P2, "Le Monde Afrique", "Services Le Monde ▾", "Mentions légales"])
    origin = process_dump(page.encode(), "page.txt").articles[0].origin
    assert origin.publisher == "Le Monde"
    assert origin.publisher_evidence is not None and origin.publisher_evidence.rule_id == "page_chrome_outlet"
    assert origin.publisher_confidence is not None and origin.publisher_confidence < 0.7


def test_an_outlet_named_once_in_the_chrome_is_a_link_not_the_publisher() -> None:
    page = "\n\n".join(["Read more on Le Monde", P1, P2])
    assert process_dump(page.encode(), "page.txt").articles[0].origin.publisher is None


def test_an_outlet_inside_a_companys_copyright_line_is_the_publisher() -> None:
    page = f"{P1}\n\n{P2}\n\n© ЗАО \"Редакция газеты \"Московский Комсомолец\" Электронное периодическое издание\n"
    origin = process_dump(page.encode(), "mk.txt").articles[0].origin
    assert origin.publisher == "Moskovsky Komsomolets"


def test_an_outlet_signing_its_own_dateline_is_the_publisher() -> None:
    page = f"County races could decide the election\n\nWashington (CNN)\n\n{P1}\n\n{P2}\n"
    origin = process_dump(page.encode(), "cnn.txt").articles[0].origin
    assert origin.publisher == "CNN"
    assert origin.publisher_evidence is not None and origin.publisher_evidence.rule_id == "outlet_dateline"
    assert origin.agencies == ()


def test_a_home_page_title_names_its_site_first() -> None:
    from tasks.extract import split_site_suffix

    assert split_site_suffix("ABC News – Breaking News, Latest News and Videos") == (
        "ABC News – Breaking News, Latest News and Videos",
        "ABC News",
    )


def test_a_masthead_line_names_the_publisher_and_agencies_carry_confidence() -> None:
    page = f"ABC News\n\nCounty races could decide the election\n\nBOGOTÁ (Reuters) - {P1}\n\n{P2}\n"
    origin = process_dump(page.encode(), "abc.txt").articles[0].origin
    assert origin.publisher == "ABC News"
    assert origin.publisher_evidence is not None and origin.publisher_evidence.rule_id == "masthead_outlet"
    assert origin.agencies == ("Reuters",)
    assert origin.agency_evidence is not None and origin.agency_evidence.rule_id == "agency_dateline"
    assert origin.agency_confidence == 0.85


@pytest.mark.parametrize(
    ("sentence", "outlet"),
    [
        ("Since we last updated the CNN battleground map, the race has tightened.", "CNN"),
        ("Here at the BBC, we have asked the ministry for its figures.", "BBC News"),
        ("We at Fox News asked the ministry for its figures.", "Fox News"),
    ],
)
def test_the_text_speaking_as_its_outlet_names_the_publisher(sentence: str, outlet: str) -> None:
    origin = process_dump(f"{P1}\n\n{sentence} {P2}\n".encode(), "we.txt").articles[0].origin
    assert origin.publisher == outlet
    assert origin.publisher_evidence is not None and origin.publisher_evidence.rule_id == "origin_first_person"


@pytest.mark.parametrize(
    "sentence",
    [
        "“We at Fox News are proud of this work,” the network's director said.",
        "\"Here at CNN, we stand by the story,\" a spokesperson said.",
        "We're shocked to learn that CNN's bias is so blatant.",
        "We watched the CNN debate and updated our own map.",
        "Road to 270: CNN's general election map",
    ],
)
def test_quoted_we_and_an_outlet_spoken_about_name_no_publisher(sentence: str) -> None:
    origin = process_dump(f"{P1}\n\n{sentence} {P2}\n".encode(), "we.txt").articles[0].origin
    assert origin.publisher is None
