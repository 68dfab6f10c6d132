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
_AGENCY_TAIL = re.compile(r"\s*(?:[,|–—-]\s*|\()(?P<agency>[^,|–—()-]+)\)?$")
_BYLINE_OUTLET = re.compile(r"\s+(?:of|for|für|de|para|pour|per|из|для)\s+(?P<outlet>[A-ZÀ-Þ«\"“].{1,50})$")


def split_byline(byline: str) -> tuple[str | None, str | None, str | None]:
    """(names, agency credited, outlet named) of a byline; only registered agencies and outlets count."""
    reg = registry()
    agency = outlet = None
    m = _AGENCY_TAIL.search(byline)
    if m and reg.agency(m.group("agency").strip()) is not None:
        agency = reg.agency(m.group("agency").strip()).name  # type: ignore[union-attr]
        byline = byline[: m.start()]
    m = _BYLINE_OUTLET.search(byline)
    if m and reg.outlet(m.group("outlet").strip()) is not None:
        outlet = reg.outlet(m.group("outlet").strip()).name  # type: ignore[union-attr]
        byline = byline[: m.start()]
    return byline.strip() or None, agency, outlet


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
    byline: str | None = None
    for lab in labels:
        if "agencies" in lab.fields:
            agencies += [(a, Evidence(lab.no, lab.rule_id, lab.text)) for a in lab.fields["agencies"].split("|")]
        if lab.kind != "byline" or "byline" not in lab.fields:
            continue
        # 'By Jane Roe, AFP' / 'By Jane Roe (AAP)': an agency; 'By Jane Roe of CBS News': the publisher.
        names, credit, outlet = split_byline(lab.fields["byline"])
        evidence = Evidence(lab.no, lab.rule_id, lab.text)
        if credit is not None:
            agencies.append((credit, evidence))
        if outlet is not None:
            publishers.append((outlet, Evidence(lab.no, "byline_outlet", lab.text)))
        byline = byline or names
    return DumpFacts(date, page, tuple(publishers), tuple(agencies), title, subtitle, byline)


_SITE_SEPARATOR = re.compile(r"\s+(?:\||[-–—]|::|»)\s+")
_SITE_FILLER = re.compile(
    r"\s+(?:world news|news|online|live|digital|en español|español|deutschland|españa|france|italia|india|uk|us|"
    r"australia|africa|international)$",
    re.I,
)
MIN_TITLE_CHARS = 8


def _site_outlet(part: str):  # type: ignore[no-untyped-def]
    """The registered outlet a title part names, allowing the fillers sites add ('RT World News')."""
    reg = registry()
    part = part.strip()
    outlet = reg.outlet(part)
    if outlet is None and (bare := _SITE_FILLER.sub("", part)) != part:
        outlet = reg.outlet(bare)
    return outlet


def split_site_suffix(title: str) -> tuple[str, str | None]:
    """'Stocks rally | Reuters' -> ('Stocks rally', 'Reuters'): only when a trailing part is a known outlet.

    Page titles add section and site: 'Headline - World - The Jerusalem Post | JPost.com'; the outlet may be
    any of the last three parts, and everything from it on goes. 'Statements in Vilnius confirm NATO's
    attitude — envoy' keeps its ending: 'envoy' is no outlet.
    """
    parts = _SITE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title, None
    for cut in range(max(1, len(parts) - 3), len(parts)):  # the first outlet part: the site ends the title
        outlet = _site_outlet(parts[cut])
        if outlet is None:
            continue
        head = " - ".join(parts[:cut]) if cut > 1 else parts[0]
        if len(head) >= MIN_TITLE_CHARS:
            # Keep the separators the title used before the site part.
            m = list(_SITE_SEPARATOR.finditer(title))[cut - 1]
            return title[: m.start()].strip(), outlet.name
    # A home page's title puts the site first: 'ABC News – Breaking News, Latest News and Videos'. The site
    # is evidence of the publisher; the title stays as printed (what follows is often a tagline, not a headline).
    first = _site_outlet(parts[0])
    if first is not None:
        return title, first.name
    return title, None


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


_BRACKETED = re.compile(r"[(（/]\s*([^()（）/]{2,25}?)\s*[)）/]")  # '(Reuters)', '/Интерфакс/'
_CJK_AGENCY_OPENING = re.compile(r"^([\u4e00-\u9fff]{2,5}社)")
_DASH_AGENCY = re.compile(r"^[^—–\n]{2,40}?\s[—–]\s*([^.,:;—–]{2,25}?)\s*\.")
_SIGNOFF = re.compile(r"(?:[(（]\s*([^()（）]{2,25}?)\s*[)）]|\s[—–]\s*([^.,;:—–]{2,25}?))\s*\.?\s*$")
DATELINE_SPAN = 60


def wire_credits(first_paragraph: str, last_paragraph: str) -> list[tuple[str, str]]:
    """Agencies credited where wire copy credits them: in the dateline ('BOGOTÁ (Reuters).-', '(ANSA) - MILANO',
    '法新社上海9月17日电', 'МОСКВА, 24 августа — Интерфакс.') or in a sign-off ('... said. (AFP)', '— Reuters').

    Returns (agency name, rule id); only names the agency registry knows count.
    """
    reg = registry()
    found: list[tuple[str, str]] = []
    head = first_paragraph[:DATELINE_SPAN]
    candidates = [m.group(1) for m in _BRACKETED.finditer(head)]
    for pattern in (_CJK_AGENCY_OPENING, _DASH_AGENCY):
        m = pattern.match(first_paragraph)
        if m:
            candidates.append(m.group(1))
    for written in candidates:
        agency = reg.agency(written)
        if agency is not None:
            found.append((agency.name, "agency_dateline"))
    m = _SIGNOFF.search(last_paragraph[-60:])
    if m:
        agency = reg.agency(m.group(1) or m.group(2))
        if agency is not None:
            found.append((agency.name, "agency_signoff"))
    return found
