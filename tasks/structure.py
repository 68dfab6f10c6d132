"""The structural pass: titles, repeated lines, standfirsts, article boundaries and subheadings.

Runs after the rules pass on the lines no rule claimed. Decisions are written onto the labels with rule ids
of their own, so `newsprep explain` and `removed_lines` show them like any other rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tasks.boilerplate import line_key, reads_as_prose
from tasks.classify import Label
from tasks.lines import content_words, ends_sentence, is_heading_like, norm_key, title_case_ratio, word_count

# Wire headlines end with who said it: '... attitude — envoy', '... – minister'.
_ATTRIBUTION = re.compile(r"\s[—–-]\s*\w+(?:\s\w+)?$")
# A headline that opens an item of a multi-article page is a full headline, not a section label.
HEADLINE_MIN_WORDS = 7
HEADLINE_TITLE_CASE = 0.6
HEADLINE_TITLE_CASE_MIN_WORDS = 4
# Section subheadings are short ('Costs rise for small growers'); a heading this long opens a new article.
HEADLINE_ANY_WORDS = 9
STANDFIRST_MAX_WORDS = 60
TITLE_MIN_WORDS = 3
EDGE_FRAGMENT_MAX_WORDS = 12
SHORT_RUN_MIN_LINES = 3
SHORT_RUN_MAX_WORDS = 8
BODY_FRAGMENT_MAX_WORDS = 6


@dataclass(frozen=True)
class Structure:
    headline_indexes: tuple[int, ...]  # label index of each split headline, one per article after the first
    decision: str  # the segmentation decision in words, for explain and the dumps table


def _nonblank(labels: list[Label]) -> list[int]:
    return [i for i, lab in enumerate(labels) if not lab.blank]


Language = str | None | Callable[[], str | None]


def find_structure(
    labels: list[Label], language: Language = None, boilerplate: frozenset[str] = frozenset()
) -> Structure:
    """`language` is the dump's language, or a function giving it: only asked for when a headline is in doubt.
    `boilerplate` holds the keys of lines learned as repeated across the dump's source folder."""
    idx = _nonblank(labels)
    if boilerplate:
        _mark_repeated_across_dumps(labels, idx, boilerplate)
    prose = [i for i in idx if labels[i].prose]
    first_prose = prose[0] if prose else len(labels)
    last_prose = prose[-1] if prose else -1
    title_index = _mark_title(labels, idx, first_prose)
    _mark_duplicates(labels, idx, title_index)
    if title_index is not None:
        _mark_standfirst(labels, idx, title_index, first_prose)
    _mark_short_line_runs(labels, idx, first_prose, last_prose)
    headlines, subheadings = _headings_in_body(labels, idx, first_prose, language)
    for i in headlines:
        labels[i].claim("title", "headline_split", kept=False)
    for i in subheadings:
        labels[i].claim("subheading", "subheading_in_body", kept=True)
    _mark_body_fragments(labels, idx, first_prose, last_prose)
    _mark_edge_fragments(labels, idx, first_prose, last_prose)
    if headlines:
        decision = (
            f"split into {len(headlines) + 1} articles at headline lines "
            f"{', '.join(str(labels[i].no) for i in headlines)}"
        )
    else:
        decision = "one article"
    if subheadings:
        decision += f"; subheadings kept at lines {', '.join(str(labels[i].no) for i in subheadings)}"
    _assign_segments(labels, headlines)
    return Structure(tuple(headlines), decision)


def _mark_repeated_across_dumps(labels: list[Label], idx: list[int], boilerplate: frozenset[str]) -> None:
    for i in idx:
        lab = labels[i]
        if lab.unclaimed and not reads_as_prose(lab.text) and line_key(lab.text) in boilerplate:
            lab.claim("boilerplate", "generic_repeated_across_dumps")
            lab.prose = False


def _mark_short_line_runs(labels: list[Label], idx: list[int], first_prose: int, last_prose: int) -> None:
    """Inside the body, three or more short fragments in a row are a menu or a list of links, not the article.

    A subheading is one line before a paragraph; a run of fragments with no sentence among them is not text,
    unless a line ending in ':' announced it ('Sources used:'), which makes it the article's own list.
    """
    run: list[int] = []
    announced = False

    def flush() -> None:
        if len(run) >= SHORT_RUN_MIN_LINES and not announced:
            for i in run:
                labels[i].claim("boilerplate", "generic_short_line_run")
        run.clear()

    for i in idx:
        lab = labels[i]
        if not first_prose < i < last_prose:
            continue
        text = lab.text
        if (
            lab.unclaimed
            and not lab.prose
            and not ends_sentence(text)
            and not text.endswith((":", "："))
            and word_count(text) <= SHORT_RUN_MAX_WORDS
        ):
            run.append(i)
        elif lab.kept:
            flush()
            announced = text.endswith((":", "："))
    flush()


def _mark_body_fragments(labels: list[Label], idx: list[int], first_prose: int, last_prose: int) -> None:
    """A few words with no sentence end, inside the body but heading nothing ('Neueste Beiträge', 'Entdecken
    Sie jetzt'): a widget label. Subheadings (a paragraph follows) were claimed before this runs."""
    for i in idx:
        lab = labels[i]
        if not first_prose < i < last_prose or not lab.unclaimed or lab.prose:
            continue
        text = lab.text
        if ends_sentence(text) or text.endswith((":", "：")) or word_count(text) > BODY_FRAGMENT_MAX_WORDS:
            continue
        if _LIST_ITEM.match(text) or any(ch in text for ch in "=\\{}<>"):
            continue  # an ingredient, a step, a command: the article's own list or code
        lab.claim("boilerplate", "generic_body_fragment")


def _mark_edge_fragments(labels: list[Label], idx: list[int], first_prose: int, last_prose: int) -> None:
    """Outside the body, a line no rule or structure claimed and that is no sentence is page furniture."""
    for i in idx:
        lab = labels[i]
        words = word_count(lab.text)
        if not lab.unclaimed or ends_sentence(lab.text) or words >= EDGE_FRAGMENT_MAX_WORDS:
            continue  # a sentence, or a long run of words (a sentence cut short), reads as text
        if lab.text.endswith((":", "：")) and words >= 3:
            continue  # a sentence introducing what follows
        if i < first_prose:
            lab.claim("boilerplate", "generic_head_fragment")
        elif i > last_prose:
            lab.claim("boilerplate", "generic_tail_fragment")


def _mark_title(labels: list[Label], idx: list[int], first_prose: int) -> int | None:
    for i in idx:
        if i >= first_prose:
            return None
        lab = labels[i]
        if "title" in lab.fields:
            return i
        if lab.unclaimed and is_heading_like(lab.text):
            if word_count(lab.text) < TITLE_MIN_WORDS:
                continue  # 'Home', 'World': navigation, left to the edge-fragment signal
            lab.claim("title", "title_first_head_line")
            return i
        if lab.unclaimed:
            return None  # head text that is neither noise nor a heading: no title line
    return None


_LIST_ITEM = re.compile(r"^(?:\d|[-–•*·▪◦]\s)")
_TITLE_PARTS = re.compile(r"\s+(?:\||[-–—]|::|»)\s+")


def title_parts(title: str) -> list[str]:
    """'Headline - section - Site' -> ['Headline', 'section', 'Site']: page titles join their parts so."""
    return [p for p in _TITLE_PARTS.split(title) if p]


def _mark_duplicates(labels: list[Label], idx: list[int], title_index: int | None) -> None:
    """Copies of the title (whole, or its headline part when the page title adds section and site), and short
    lines printed twice."""
    title_keys: set[str] = set()
    if title_index is not None:
        title = labels[title_index].fields.get("title", labels[title_index].text)
        title_keys.add(norm_key(title))
        parts = title_parts(title)
        if len(parts) > 1 and word_count(parts[0]) >= TITLE_MIN_WORDS:
            title_keys.add(norm_key(parts[0]))
    seen: set[str] = set()
    for i in idx:
        lab = labels[i]
        key = norm_key(lab.text)
        if i != title_index and key in title_keys and (lab.unclaimed or lab.kind == "title"):
            lab.claim("duplicate_title", "duplicate_title")
            if key != norm_key(labels[title_index].text):  # type: ignore[index]
                # The page printed the headline alone: that is the title, without the site's additions.
                labels[title_index].fields = {**labels[title_index].fields, "headline": lab.text}  # type: ignore[index]
        elif lab.unclaimed and not lab.prose and key in seen:
            # A short line printed twice (a scraped label, a repeated caption) is one use and one copy.
            lab.claim("duplicate_line", "duplicate_line_in_dump")
        seen.add(key)


def _mark_standfirst(labels: list[Label], idx: list[int], title_index: int, first_prose: int) -> None:
    if any(labels[i].kind == "subtitle_line" for i in idx):
        return
    for i in idx:
        if i <= title_index or i >= first_prose:
            continue
        lab = labels[i]
        if not lab.unclaimed:
            continue
        # A standfirst has no final full stop; a short first sentence that has one is the body's first paragraph.
        if word_count(lab.text) <= STANDFIRST_MAX_WORDS and is_heading_like(lab.text):
            lab.claim("subtitle_line", "standfirst_after_title", {"subtitle": lab.text})
        return


def _is_headline(text: str, language: Language) -> bool:
    words = word_count(text)
    if words < HEADLINE_MIN_WORDS:
        # Short English headlines are set in full Title Case ('Hewitt Falls to Dent'); subheadings rarely are.
        return (
            words >= HEADLINE_TITLE_CASE_MIN_WORDS
            and title_case_ratio(text) == 1.0
            and content_words(text) >= 3
            and (language() if callable(language) else language) == "en"
        )
    if words >= HEADLINE_ANY_WORDS or _ATTRIBUTION.search(text):
        return True
    # Title Case marks headlines in English only; German capitalizes every noun.
    if title_case_ratio(text) < HEADLINE_TITLE_CASE:
        return False
    return (language() if callable(language) else language) == "en"


def _headings_in_body(
    labels: list[Label], idx: list[int], first_prose: int, language: Language
) -> tuple[list[int], list[int]]:
    """Heading-like lines between paragraphs: headlines of new articles, or subheadings of this one."""
    headlines: list[int] = []
    subheadings: list[int] = []
    kept = [i for i in idx if labels[i].kept]
    for pos, i in enumerate(kept):
        lab = labels[i]
        if i < first_prose or not lab.unclaimed or lab.prose or not is_heading_like(lab.text):
            continue
        nxt = kept[pos + 1] if pos + 1 < len(kept) else None
        if nxt is None or not labels[nxt].prose or pos == 0:
            continue  # a heading needs text before it and a paragraph after it
        (headlines if _is_headline(lab.text, language) else subheadings).append(i)
    return headlines, subheadings


def _assign_segments(labels: list[Label], headlines: list[int]) -> None:
    segment = 0
    bounds = set(headlines)
    for i, lab in enumerate(labels):
        if i in bounds:
            segment += 1
        lab.segment = segment
