"""The typed records that travel through the pipeline; schemas/tables.py mirrors them column for column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One raw line of a dump with the decision the cleaner took on it."""

    no: int  # 1-based line number in the decoded file
    text: str
    kind: str  # blank, paragraph, subheading, title, credit_line, share_widget, ...
    rule_id: str
    kept: bool  # True when the line ends up in an article body
    segment: int = -1  # index of the article it belongs to, -1 when none


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from: the raw line and the rule that read it."""

    line_no: int
    rule_id: str
    text: str


@dataclass(frozen=True)
class DateFact:
    value: dt.date
    precision: str  # day | month | year
    source: str  # the kind of line it came from: inline_header, publication_line, ...
    text: str  # the date as written, time and zone included


@dataclass(frozen=True)
class Origin:
    publisher: str | None = None
    publisher_country: str | None = None
    publisher_language: str | None = None
    publisher_languages: tuple[str, ...] = ()
    publisher_evidence: Evidence | None = None
    publisher_confidence: float | None = None
    agencies: tuple[str, ...] = ()
    agency_evidence: Evidence | None = None
    agency_confidence: float | None = None
    kind: str | None = None  # original | wire_copy | repost


@dataclass(frozen=True)
class Article:
    segment_index: int
    title: str | None
    title_line: int | None
    subtitle: str | None
    body: str
    body_first_line: int
    body_last_line: int
    subheading_lines: tuple[int, ...]
    language: str
    language_score: float
    language_detector: str
    mixed_languages: tuple[tuple[str, float], ...]
    second_language: str | None
    published_date: DateFact | None
    origin: Origin
    translated: bool | None
    byline: str | None
    page: str | None
    dateline_place: str | None
    image_credit: str | None
    word_count: int
    content_sha256: str


@dataclass(frozen=True)
class DumpResult:
    """Everything the pipeline learned from one input file."""

    dump_id: str
    source_path: str
    sha256: str
    size_bytes: int
    encoding: str | None
    repairs: tuple[str, ...] = ()  # what tasks/repair.py fixed: mojibake, nbsp, invisible_chars, nfc, ...
    lines: tuple[Line, ...] = ()
    articles: tuple[Article, ...] = ()
    segmentation: str = ""  # why the dump was (not) split, for explain
    reject_reason: str | None = None
    reject_detail: str | None = None

    @property
    def rejected(self) -> bool:
        return self.reject_reason is not None
