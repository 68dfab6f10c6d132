"""tasks/dates.py: publication dates as newspapers write them, with precision; date-only lines told from sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.dates import MONTHS, parse_date, read_date_line

D = dt.date

DAY_DATES = [
    # English
    ("July 11, 2024", D(2024, 7, 11)),
    ("Thursday, July 11, 2024", D(2024, 7, 11)),
    ("11 July 2024", D(2024, 7, 11)),
    ("Sept. 3, 2024", D(2024, 9, 3)),
    ("Dec 25th, 2023", D(2023, 12, 25)),
    # Spanish
    ("11 de julio de 2024", D(2024, 7, 11)),
    ("Jueves 11 de julio de 2024", D(2024, 7, 11)),
    ("3 de setiembre de 2023", D(2023, 9, 3)),
    # Portuguese
    ("11 de julho de 2024", D(2024, 7, 11)),
    ("Quinta-feira, 11 de julho de 2024", D(2024, 7, 11)),
    ("5 de março de 2024", D(2024, 3, 5)),
    # French
    ("Mardi 3 septembre 2024", D(2024, 9, 3)),
    ("1er mars 2024", D(2024, 3, 1)),
    ("15 août 2024", D(2024, 8, 15)),
    # German
    ("4. März 2024", D(2024, 3, 4)),
    ("Montag, 4. März 2024", D(2024, 3, 4)),
    ("04.03.2024", D(2024, 3, 4)),
    # Italian
    ("11 luglio 2024", D(2024, 7, 11)),
    ("giovedì 11 luglio 2024", D(2024, 7, 11)),
    # ISO
    ("2024-03-02", D(2024, 3, 2)),
    ("2024-03-02T10:15:00Z", D(2024, 3, 2)),
    ("2024-02-29", D(2024, 2, 29)),
    # Chinese
    ("2024年7月11日", D(2024, 7, 11)),
    ("2024 年 7 月 11 日", D(2024, 7, 11)),
]


@pytest.mark.parametrize(("text", "value"), DAY_DATES, ids=[t for t, _ in DAY_DATES])
def test_parse_date_day_precision(text: str, value: dt.date) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.value == value
    assert parsed.precision == "day"
    assert parsed.text in text


@pytest.mark.parametrize(("text", "value"), DAY_DATES, ids=[t for t, _ in DAY_DATES])
def test_read_date_line_accepts_a_line_that_is_only_a_date(text: str, value: dt.date) -> None:
    fields = read_date_line(text)
    assert fields is not None
    assert fields["date"] == text
    parsed = parse_date(fields["date"])
    assert parsed is not None and parsed.value == value


MONTH_DATES = [
    ("July 2024", D(2024, 7, 1)),
    ("julio de 2024", D(2024, 7, 1)),
    ("März 2024", D(2024, 3, 1)),
    ("2024年7月", D(2024, 7, 1)),
    ("2024-07", D(2024, 7, 1)),
]


@pytest.mark.parametrize(("text", "value"), MONTH_DATES, ids=[t for t, _ in MONTH_DATES])
def test_parse_date_month_precision(text: str, value: dt.date) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.value, parsed.precision) == (value, "month")
    assert read_date_line(text) == {"date": text}


def test_parse_date_returns_the_expression_as_written() -> None:
    parsed = parse_date("Updated July 11, 2024 10:30 a.m. EDT")
    assert parsed is not None
    assert parsed.text == "July 11, 2024"


IMPOSSIBLE = [
    pytest.param("February 30, 2024", id="en-feb-30"),
    pytest.param("Feb 29, 2023", id="en-feb-29-non-leap"),
    pytest.param("31.04.2024", id="de-april-31"),
    pytest.param("2024-13-01", id="iso-month-13"),
    pytest.param("30 de febrero de 2024", id="es-feb-30"),
    pytest.param("2024-02-30", id="iso-feb-30"),
    pytest.param("2024年2月30日", id="zh-feb-30"),
]


@pytest.mark.parametrize("text", IMPOSSIBLE)
def test_parse_date_rejects_impossible_dates(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text", ["February 30, 2024", "30 de febrero de 2024", "2024-02-30", "2024年2月30日", "31.04.2024"]
)
def test_read_date_line_rejects_impossible_dates(text: str) -> None:
    assert read_date_line(text) is None


@pytest.mark.parametrize("text", ["", "no date here", "Page 24", "11/07/2024", "in the 1990s", "Room 2024"])
def test_parse_date_none_without_a_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "On July 11, 2024 the summit ended.",
        "The summit ended on July 11, 2024.",
        "El 11 de julio de 2024 terminó la cumbre.",
        "Am 4. März 2024 begann der Streik.",
        "Le 3 septembre 2024, le gouvernement a démissionné.",
        "In July 2024",
        "Updated July 11, 2024",
        "Page 24",
    ],
)
def test_read_date_line_rejects_sentences_that_contain_a_date(text: str) -> None:
    assert read_date_line(text) is None


def test_sentence_with_a_date_still_parses_but_is_not_a_date_line() -> None:
    text = "The summit ended on July 11, 2024."
    assert parse_date(text) is not None
    assert read_date_line(text) is None


@pytest.mark.parametrize(
    ("text", "page"),
    [
        ("Thursday, July 11, 2024, p. 24", "24"),
        ("Jueves 11 de julio de 2024, p. 7", "7"),
        ("Montag, 4. März 2024 | S. 12", "12"),
    ],
)
def test_read_date_line_reads_the_page(text: str, page: str) -> None:
    assert read_date_line(text) == {"date": text, "page": page}


@pytest.mark.parametrize(
    "text",
    [
        "Montag, 4. März 2024 | 10:30 Uhr",
        "Sábado, 3 de agosto de 2024 - 14:05 h",
        "2024年7月11日 10:30",
        "July 11, 2024.",
    ],
)
def test_read_date_line_allows_a_time_and_final_period(text: str) -> None:
    fields = read_date_line(text)
    assert fields == {"date": text}


def test_read_date_line_strips_surrounding_space() -> None:
    assert read_date_line("  July 11, 2024  ") == {"date": "July 11, 2024"}


def test_month_table_covers_abbreviations_and_variants() -> None:
    assert MONTHS["sep"] == MONTHS["sept"] == MONTHS["setiembre"] == MONTHS["setembro"] == 9
    assert MONTHS["mär"] == MONTHS["marz"] == MONTHS["märz"] == 3
    assert MONTHS["jänner"] == MONTHS["janvier"] == MONTHS["gennaio"] == 1


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("11 июля 2024 г.", "ru", dt.date(2024, 7, 11)),
        ("Четверг, 11 июля 2024", "ru", dt.date(2024, 7, 11)),
        ("11 يوليو 2024", "ar", dt.date(2024, 7, 11)),
        ("١١ يوليو ٢٠٢٤", "ar", dt.date(2024, 7, 11)),
        ("13 تموز 2024", "ar", dt.date(2024, 7, 13)),
        ("11/07/2024", "es", dt.date(2024, 7, 11)),
        ("07/25/2024", "en", dt.date(2024, 7, 25)),
        ("25/07/2024", "en", dt.date(2024, 7, 25)),
        ("2024年7月11日 星期四", "zh", dt.date(2024, 7, 11)),
    ],
)
def test_more_languages_and_numeric_forms(text: str, language: str, expected: dt.date) -> None:
    parsed = parse_date(text, language)
    assert parsed is not None and parsed.value == expected


@pytest.mark.parametrize("text", ["11/07/2024", "03/04/2024"])
def test_ambiguous_numeric_date_in_english_is_no_date(text: str) -> None:
    assert parse_date(text, "en") is None


@pytest.mark.parametrize("text", ["yesterday", "on Wednesday", "3 hours ago", "ayer", "gestern", "вчера", "أمس", "昨天"])
def test_relative_dates_are_never_dates(text: str) -> None:
    assert parse_date(text, None) is None
    assert read_date_line(text) is None
