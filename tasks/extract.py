"""Read metadata out of the lines that carry it, before they are dropped.

Dates come only from header, label and date lines; a date a body paragraph mentions is never read here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tasks.classify import Label
from tasks.dates import parse_date
from tasks.records import DateFact, Evidence
from tasks.registry import registry

# Where a publication date may come from, strongest first.
DATE_SOURCES = ("inline_header", "date_label", "dateline", "publication_line")

_DATELINE_PLACE = re.compile(
    r"^(?P<place>(?:[A-ZÀ-Þ][\w'’\-]*|[A-ZÀ-Þ]{2,})(?:[ \-](?:[A-ZÀ-Þ][\w'’\-]*|de|del|la|am|an|sur|upon)){0,3})"
    r"(?:\s*,\s*(?:\d{1,2}\s+\w+\.?|\w+\.?\s+\d{1,2}))?"  # 'PARIS, 3 sept.', 'NEW YORK, July 11'
    r"\s*(?:\((?P<agency>[^()]{2,25})\)\s*)?"
    r"(?P<sep>\.|\s?[-–—])\s+(?=[\"“«]?[A-ZÀ-Þ0-9])"
)
# Words that open ordinary sentences and would otherwise read as a one-word dateline ('Yes. The ...').
_NOT_PLACES = frozenset(
    "yes no today yesterday however also meanwhile moreover thus so but and then now still first second "
    "finally update updated breaking watch read listen live exclusive analysis opinion editorial sí hoy ayer "
    "además ja nein heute gestern oui non aujourd'hui hier sim não hoje ontem he she it they we i you "
    "mr mrs ms dr prof st sr sra jr él ella ellos er sie es il elle ils ele ela eles the a an el la le die der".split()
)
_AGENCY_TAIL = re.compile(r"\s*[,|–—-]\s*(?P<agency>[^,|–—-]+)$")


@dataclass(frozen=True)
class DumpFacts:
    """Facts read from labelled lines: page-level (date, page) and per-line (the rest, with evidence)."""

    date: DateFact | None
    page: str | None
    publisher_claims: tuple[tuple[str, Evidence], ...]  # (name as written, where), strongest kind first
    agency_claims: tuple[tuple[str, Evidence], ...]
    title: str | None
    subtitle: str | None
    byline: str | None


def read_facts(labels: list[Label], language: Callable[[], str | None] | str | None = None) -> DumpFacts:
    """`language` (or a function giving it) is only needed for all-numeric dates such as 11/07/2024."""
    date: DateFact | None = None
    for source in DATE_SOURCES:
        for lab in labels:
            if lab.kind == source and "date" in lab.fields:
                text = lab.fields["date"]
                lang = (language() if callable(language) else language) if "/" in text else None
                parsed = parse_date(text, lang)
                if parsed is not None:
                    date = DateFact(parsed.value, parsed.precision, source, lab.fields["date"])
                    break
        if date is not None:
            break
    page = next((lab.fields["page"] for lab in labels if "page" in lab.fields), None)
    title = next((lab.fields["title"] for lab in labels if "title" in lab.fields), None)
    if title is None:
        title = next((lab.text for lab in labels if lab.kind == "title" and lab.segment == 0), None)
    headline = next((lab.fields["headline"] for lab in labels if "headline" in lab.fields), None)
    title_label = next((lab for lab in labels if "title" in lab.fields or (lab.kind == "title" and lab.segment == 0)), None)
    site: str | None = None
    if title is not None:
        title, site = split_site_suffix(title)
        if headline is not None:
            title = headline  # the page also printed the bare headline: prefer it to 'Headline - Section - Site'
    subtitle = next((lab.fields["subtitle"] for lab in labels if "subtitle" in lab.fields), None)
    publishers: list[tuple[str, Evidence]] = []
    # Strongest first. A rule's pattern names the outlet `publisher`, `source` or (where a second alternative
    # needs its own group name) `paper`.
    for kind in ("publication_line", "source_line", "publisher_footer"):
        for lab in labels:
            written = lab.fields.get("publisher") or lab.fields.get("source") or lab.fields.get("paper")
            if lab.kind == kind and written:
                publishers.append((written, Evidence(lab.no, lab.rule_id, lab.text)))
    if site is not None and title_label is not None:
        publishers.append((site, Evidence(title_label.no, "title_site_suffix", title_label.text)))
    agencies: list[tuple[str, Evidence]] = []
    for lab in labels:
        if "agencies" in lab.fields:
            agencies += [(a, Evidence(lab.no, lab.rule_id, lab.text)) for a in lab.fields["agencies"].split("|")]
        if lab.kind == "byline" and (m := _AGENCY_TAIL.search(lab.fields.get("byline", ""))):
            agencies.append((m.group("agency").strip(), Evidence(lab.no, lab.rule_id, lab.text)))
    byline = next((lab.fields["byline"] for lab in labels if lab.kind == "byline" and "byline" in lab.fields), None)
    if byline is not None:
        byline = _AGENCY_TAIL.sub("", byline).strip() or None
    return DumpFacts(date, page, tuple(publishers), tuple(agencies), title, subtitle, byline)


_SITE_SUFFIX = re.compile(r"^(?P<title>.{8,}?)\s+(?:\||[-–—:]|::)\s+(?P<site>[^|–—]{2,60}?)\s*$")


def split_site_suffix(title: str) -> tuple[str, str | None]:
    """'Stocks rally | Reuters' -> ('Stocks rally', 'Reuters'): only when the suffix is a known outlet.

    'Statements in Vilnius confirm NATO's attitude — envoy' keeps its ending: 'envoy' is no outlet.
    """
    m = _SITE_SUFFIX.match(title)
    if m is None:
        return title, None
    outlet = registry().outlet(m.group("site"))
    if outlet is None:
        return title, None
    return m.group("title").strip(), outlet.name


def dateline(paragraph: str) -> tuple[str, str | None] | None:
    """('Beijing', None) from 'Beijing. China yesterday ...'; ('Berlin', 'dpa') from 'BERLIN (dpa) - Die ...'."""
    m = _DATELINE_PLACE.match(paragraph)
    if m is None:
        return None
    place = m.group("place").strip()
    agency = m.group("agency")
    sep = m.group("sep").strip()
    if place.casefold() in _NOT_PLACES or len(place) > 40:
        return None
    # 'Beijing. China ...' is a dateline; 'He said: ...' and 'The end. ...' are not: without an agency
    # in brackets, a '.' or ':' dateline must be a short proper name, and a dash one must be in capitals.
    if agency is None and sep == "." and len(place.split()) > 3:
        return None
    if agency is None and sep != "." and not place.isupper():
        return None
    if place.isupper():
        place = _title_place(place)
    return place, agency.strip() if agency else None


_PLACE_PARTICLES = frozenset("de del della di da do dos das la le les el am an im sur upon of on".split())


def _title_place(place: str) -> str:
    """'RIO DE JANEIRO' -> 'Rio de Janeiro': capitals back to a name, particles lower-case."""
    words = place.title().split(" ")
    return " ".join(w.lower() if i and w.lower() in _PLACE_PARTICLES else w for i, w in enumerate(words))
