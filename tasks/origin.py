"""Where a text came from: its publisher (with country and language), the wire agencies, and the kind of copy.

Evidence, strongest first: publication lines, labelled source lines, network footers, then the text naming
its own outlet as the one doing the work ('Sputnik looked into ...'). A body that quotes an outlet as a
source ('told Al Jazeera', 'according to Reuters') names a source, not the publisher.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tasks.extract import DumpFacts
from tasks.matchers import agency_list
from tasks.records import Evidence, Origin
from tasks.registry import Agency, Outlet, outlets_named_in, registry

# What an outlet does when it reports on its own account: it is the subject of a newsroom verb.
_SELF_VERBS = (
    # Only verbs a newsroom uses of its own work: 'found', 'spoke to' or 'reached out' are as often said of
    # another outlet whose reporting is cited ('WSJ found that ...', 'the analyst Reuters spoke to').
    r"looked into|has learned|has learnt|has obtained|has seen|can reveal|can now reveal|understands|"
    r"has established|has contacted|contacted|has reviewed|reviewed|"
    r"consultó|contactó|pudo confirmar|ha podido saber|"
    r"hat erfahren|erfuhr|liegt .{0,20} vor|"
    r"a appris|a pu consulter|a contacté|"
    r"apurou|teve acesso|obteve"
)
# How far each kind of evidence is to be trusted: a printed publication line almost never lies; a text naming
# itself as the one that 'looked into' something is right most of the time. Unlisted rules: a labelled line.
_CONFIDENCE = {
    "publication_line_newspaper": 0.95,
    "publication_line_zh": 0.95,
    "footer_outlet": 0.9,
    "title_site_suffix": 0.85,
    "byline_outlet": 0.8,
    "source_credit_phrase": 0.75,
    "origin_self_reference": 0.7,
    "origin_first_person": 0.7,
    "page_chrome_outlet": 0.6,
    "outlet_dateline": 0.8,
    "masthead_outlet": 0.7,
}
_DEFAULT_CONFIDENCE = 0.9
# Agencies: a credit line is a statement of fact; a bracket in a dateline or a sign-off can be misread.
_AGENCY_CONFIDENCE = {
    "credit_line_agencies": 0.95,
    "byline_by": 0.9,
    "agency_dateline": 0.85,
    "agency_signoff": 0.8,
}


def agency_confidence(rule_id: str) -> float:
    return _AGENCY_CONFIDENCE.get(rule_id, 0.85)
# Phrases where an outlet is quoted as a source, not the one speaking.
_SOURCE_CUES = re.compile(
    r"(?:told|according to|said to|cited by|quoted by|reported by|speaking to|in an interview with|"
    r"dijo a|según|declaró a|sagte der|laut|selon|a déclaré à|disse à|segundo)\s*(?:the\s+)?$",
    re.IGNORECASE,
)


def resolve_origin(
    facts: DumpFacts,
    paragraphs: Sequence[tuple[int, str]],
    multi_article: bool,
    chrome: Sequence[tuple[int, str]] = (),
    opening: Sequence[tuple[int, str]] = (),
) -> Origin:
    """The dump's origin from its labelled lines, else from the body naming its own outlet, else from the
    page's own furniture (`chrome`: the removed lines) naming one outlet again and again."""
    reg = registry()
    outlet: Outlet | None = None
    name: str | None = None
    evidence: Evidence | None = None
    for written, ev in facts.publisher_claims:
        found = reg.outlet(written)
        if found is not None:
            outlet, name, evidence = found, found.name, ev
            break
        if name is None and reg.agency(written) is None and agency_list(written) is None:
            name, evidence = written, ev  # an outlet the registry does not know yet: keep it as written
    if name is None:
        found_self = (
            _self_reference(paragraphs) or _self_reference_other_orders(paragraphs) or _first_person(paragraphs)
        )
        if found_self is None:
            found_self = (
                _dateline_outlet([*chrome, *opening]) or _masthead_outlet(chrome[:MASTHEAD_LINES]) or _chrome_outlet(chrome)
            )
        if found_self is not None:
            outlet, evidence = found_self
            name = outlet.name
    agencies = _agencies(facts)
    kind = _kind(name, agencies, multi_article)
    return Origin(
        publisher=name,
        publisher_country=outlet.country if outlet else None,
        publisher_language=outlet.language if outlet else None,
        publisher_languages=outlet.languages if outlet else (),
        publisher_evidence=evidence,
        publisher_confidence=_CONFIDENCE.get(evidence.rule_id, _DEFAULT_CONFIDENCE) if evidence else None,
        agencies=agencies,
        agency_evidence=facts.agency_claims[0][1] if facts.agency_claims else None,
        agency_confidence=agency_confidence(facts.agency_claims[0][1].rule_id) if facts.agency_claims else None,
        kind=kind,
    )


def _agencies(facts: DumpFacts) -> tuple[str, ...]:
    reg = registry()
    names: list[str] = []
    for written, _ in facts.agency_claims:
        agency: Agency | None = reg.agency(written)
        name = agency.name if agency else written
        if name not in names:
            names.append(name)
    for written, _ in facts.publisher_claims:
        if reg.outlet(written) is not None:
            continue
        # 'Fuente: EFE' or 'Con información de EFE y AFP': a source that is only wire agencies.
        listed = agency_list(written)
        for agency_name in listed["agencies"].split("|") if listed else []:
            if agency_name not in names:
                names.append(agency_name)
    return tuple(names)


_SELF_VERB = re.compile(rf"(?<![\w-])(?:has\s+|have\s+)?(?:{_SELF_VERBS})\b", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"[\w.&'’-]+\s*$")
_MAX_NAME_WORDS = 5


# Languages that put the outlet elsewhere: Arabic starts with the verb ('وعلمت اليوم السابع أن', 'learned
# Youm7 that'); Chinese names the outlet's reporter ('澎湃新闻记者获悉', 'The Paper's reporter learned').
_VERB_FIRST_AR = re.compile(r"(?:^|\s)و?(?:علمت|تواصلت|حصلت|اطلعت|كشفت مصادر لـ?)\s+(?P<after>.{2,60})")
_REPORTER_ZH = re.compile(r"(?P<name>[^，。、“”]{2,24}?)记者(?:获悉|了解到|联系|从|独家|查阅)")
# Russian names the outlet as 'the publication «X»': 'Издание «РБК» связалось', 'В распоряжении «РБК» оказалась'.
_RUSSIAN_SELF = re.compile(
    r"(?:(?:[Ии]здание|[Рр]едакция)\s+«(?P<a>[^»]{2,40})»\s+(?:связал|выяснил|узнал|получил|обратил)|"
    r"[Вв] распоряжении\s+«(?P<b>[^»]{2,40})»)"
)
# What a match of each needs, tested first: most paragraphs lack it, and _REPORTER_ZH alone would try 24 name
# lengths at every character of a paragraph.
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
_RUSSIAN_QUOTE = "«"
_ZH_REPORTER = "记者"


def _outlet_after(text: str) -> Outlet | None:
    """The longest run of up to five words at the start of `text` that is a registered outlet."""
    words = text.split()
    reg = registry()
    for n in range(min(_MAX_NAME_WORDS, len(words)), 0, -1):
        outlet = reg.outlet(" ".join(words[:n]))
        if outlet is not None:
            return outlet
    return None


def _self_reference_other_orders(paragraphs: Sequence[tuple[int, str]]) -> tuple[Outlet, Evidence] | None:
    reg = registry()
    for line_no, text in paragraphs:
        for m in _VERB_FIRST_AR.finditer(text) if _ARABIC_LETTER.search(text) else ():
            outlet = _outlet_after(m.group("after"))
            if outlet is not None:
                return outlet, Evidence(line_no, "origin_self_reference", m.group(0).strip()[:80])
        for m in _RUSSIAN_SELF.finditer(text) if _RUSSIAN_QUOTE in text else ():
            outlet = reg.outlet(m.group("a") or m.group("b"))
            if outlet is not None:
                return outlet, Evidence(line_no, "origin_self_reference", m.group(0))
        for m in _REPORTER_ZH.finditer(text) if _ZH_REPORTER in text else ():
            name = m.group("name")
            for start in range(len(name) - 1):  # the name may follow other characters: try each suffix
                outlet = reg.outlet(name[start:])
                if outlet is not None:
                    return outlet, Evidence(line_no, "origin_self_reference", m.group(0))
    return None


def _self_reference(paragraphs: Sequence[tuple[int, str]]) -> tuple[Outlet, Evidence] | None:
    """An outlet that is the subject of a newsroom verb: find the verbs (rare), then read the name before them.

    Looking up the few words before each verb is far cheaper than searching every paragraph for ~2,000 names.
    """
    reg = registry()
    for line_no, text in paragraphs:
        for verb in _SELF_VERB.finditer(text):
            before = text[: verb.start()].rstrip()
            words: list[str] = []
            end = len(before)
            for _ in range(_MAX_NAME_WORDS):
                m = _WORD_BEFORE.search(before[:end])
                if m is None:
                    break
                words.insert(0, m.group(0).strip())
                end = m.start()
                if words[0][:1].islower():
                    continue  # names are written with a capital ('the hill found' is no outlet)
                outlet = reg.outlet(" ".join(words))
                if outlet is not None and not _SOURCE_CUES.search(before[max(0, end - 30) : end]):
                    start = end
                    return outlet, Evidence(line_no, "origin_self_reference", text[start : verb.end() + 30])
    return None


# The text speaking as its outlet: 'we at CNN', 'here at the BBC', 'since we last updated the CNN battleground
# map'. Only verbs of making one's own product count after 'we': 'we're shocked that CNN's bias ...' or 'we
# watched the CNN debate' speak about another outlet. The name must be written with its capital.
_FIRST_PERSON = re.compile(
    r"(?i:\b(?:we|us)\s+(?:here\s+)?at\s+|\bhere\s+at\s+|"
    r"\bwe(?:['’]ve|\s+have|\s+had)?\s+(?:last\s+|just\s+|first\s+|recently\s+)?"
    r"(?:updated|published|released|launched|conducted|commissioned|revised|unveiled)\s+(?:the|our|this)\s+"
    r"(?:(?:latest|new|previous|last)\s+)?)"
    r"(?:the\s+)?(?P<after>[A-ZÀ-Þ].{1,60})"
)
_CLAUSE_END = re.compile(r"[,;:!?()\"“”]|\.(?:\s|$)")  # 'here at CNN, we ...': the name ends there
_OPENING_QUOTES = "“«„"
_CLOSING_QUOTES = "”»"


def _inside_quote(text: str, pos: int) -> bool:
    """Whether `pos` falls inside quoted speech: '"We at Fox News are proud," said ...' is someone else talking."""
    before = text[:pos]
    opened = sum(before.count(q) for q in _OPENING_QUOTES) - sum(before.count(q) for q in _CLOSING_QUOTES)
    return opened > 0 or before.count('"') % 2 == 1


def _first_person(paragraphs: Sequence[tuple[int, str]]) -> tuple[Outlet, Evidence] | None:
    """An outlet the text names as 'we' (outside quotes): the newsroom speaking of itself."""
    for line_no, text in paragraphs:
        for m in _FIRST_PERSON.finditer(text):
            outlet = _outlet_after(_CLAUSE_END.split(m.group("after"), maxsplit=1)[0])
            if outlet is not None and not _inside_quote(text, m.start()):
                return outlet, Evidence(line_no, "origin_first_person", text[m.start() : m.start() + 90])
    return None


CHROME_MIN_LINES = 2
# 'Washington (CNN) — ...': outlets that are not wire agencies sign their own dateline so.
_OUTLET_DATELINE = re.compile(r"^[^()\n]{2,40}?\(([^()]{2,25})\)\s*(?:[-–—:]|$)")


MASTHEAD_LINES = 5


def _masthead_outlet(head: Sequence[tuple[int, str]]) -> tuple[Outlet, Evidence] | None:
    """A line that is nothing but an outlet's name among the first removed lines: the page's masthead."""
    reg = registry()
    for line_no, text in head:
        outlet = reg.outlet(text)
        if outlet is not None and reg.agency(text) is None:
            return outlet, Evidence(line_no, "masthead_outlet", text)
    return None


def _dateline_outlet(lines: Sequence[tuple[int, str]]) -> tuple[Outlet, Evidence] | None:
    reg = registry()
    for line_no, text in lines:
        m = _OUTLET_DATELINE.match(text)
        if m is None:
            continue
        outlet = reg.outlet(m.group(1))
        if outlet is not None and reg.agency(m.group(1)) is None:
            return outlet, Evidence(line_no, "outlet_dateline", text[:80])
    return None



def _chrome_outlet(chrome: Sequence[tuple[int, str]]) -> tuple[Outlet, Evidence] | None:
    """A web page names its own site in its menus, search box and footer: 'Services Le Monde ▾', 'Buscar no
    site da Folha de S.Paulo'. One outlet on two removed lines or more, and no other that often, is taken,
    with low confidence; an outlet named once (a link to another site) is not."""
    lines_by_outlet: dict[str, list[tuple[int, str]]] = {}
    outlets: dict[str, Outlet] = {}
    for line_no, text in chrome:
        for outlet in outlets_named_in(text):
            outlets[outlet.name] = outlet
            lines_by_outlet.setdefault(outlet.name, []).append((line_no, text))
    ranked = sorted(lines_by_outlet.items(), key=lambda kv: len(kv[1]), reverse=True)
    if not ranked or len(ranked[0][1]) < CHROME_MIN_LINES:
        return None
    if len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1]):
        return None  # two outlets as often as each other: no telling which page this is
    name, lines = ranked[0]
    line_no, text = lines[0]
    return outlets[name], Evidence(line_no, "page_chrome_outlet", text[:80])


def _kind(publisher: str | None, agencies: tuple[str, ...], multi_article: bool) -> str | None:
    if multi_article:
        return "repost"  # a page carrying several items one after another is an aggregator or blog page
    if agencies:
        return "wire_copy"
    return "original" if publisher else None


def translated(article_language: str, origin: Origin) -> bool | None:
    """True when the article's language differs from its publisher's primary language; None when either is unknown."""
    if origin.publisher_language is None or article_language == "und":
        return None
    return article_language != origin.publisher_language
