"""process_dump: raw bytes in, a DumpResult out. The whole pure core, with no Prefect import."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from functools import cache
from pathlib import PurePath

from tasks.classify import Label, classify_lines
from tasks.decode import DecodeError, decode, gunzip
from tasks.extract import DumpFacts, dateline, read_facts, split_site_suffix, wire_credits
from tasks.language import detect, language_mix
from tasks.lines import split_lines, word_count
from tasks.origin import agency_confidence, resolve_origin, translated
from tasks.records import Article, DumpResult, Evidence, Line, Origin
from tasks.repair import repair
from tasks.structure import find_structure

PIPELINE_VERSION = "0.3.0"
OPENING_LINES = 3  # where a dateline can stand: the first lines of the body
_SEED_NAME = re.compile(r"^\d+_(?P<id>[0-9a-f]{16})\.txt(?:\.gz)?$")


def dump_id_for(source_path: str) -> str:
    """The hex id of a seed-style name ('000_86c95ef1e2636647.txt'), else a stable hash of the path."""
    m = _SEED_NAME.match(PurePath(source_path).name)
    if m:
        return m.group("id")
    return hashlib.sha256(source_path.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def process_dump(
    raw: bytes, source: str, boilerplate: frozenset[str] = frozenset(), detector: str = "langdetect"
) -> DumpResult:
    """Clean one dump. `boilerplate`: keys of lines learned as repeated across its folder (tasks/boilerplate.py);
    `detector`: the language detector of record, langdetect or py3langid (tasks/language.py)."""
    sha = hashlib.sha256(raw).hexdigest()
    base = {"dump_id": dump_id_for(source), "source_path": source, "sha256": sha, "size_bytes": len(raw)}
    try:
        data = gunzip(raw) if source.endswith(".gz") else raw
        decoded = decode(data)
    except DecodeError as exc:
        return DumpResult(**base, encoding=None, reject_reason=exc.reason, reject_detail=exc.detail)
    repaired = repair(decoded.text)
    labels = classify_lines(split_lines(repaired.text))

    @cache
    def dump_language() -> str | None:
        sample = "\n".join(lab.text for lab in labels if lab.prose)[:2000]
        return detect(sample, detector).language if sample else None

    structure = find_structure(labels, dump_language, boilerplate)
    facts = read_facts(labels, dump_language)
    articles = _build_articles(labels, facts, structure.headline_indexes, detector)
    lines = tuple(Line(lab.no, lab.text, lab.kind, lab.rule_id, lab.kept, lab.segment) for lab in labels)
    if not articles:
        return DumpResult(
            **base,
            encoding=decoded.encoding,
            repairs=repaired.repairs,
            lines=lines,
            segmentation=structure.decision,
            reject_reason="no_article",
            reject_detail=f"no body text left after cleaning ({sum(1 for x in lines if x.kind != 'blank')} lines, all noise)",
        )
    return DumpResult(
        **base,
        encoding=decoded.encoding,
        repairs=repaired.repairs,
        lines=lines,
        articles=tuple(articles),
        segmentation=structure.decision,
    )


def _build_articles(
    labels: list[Label], facts: DumpFacts, headlines: tuple[int, ...], detector: str
) -> list[Article]:
    segments: dict[int, list[Label]] = {}
    for lab in labels:
        if lab.kept and not lab.blank:
            segments.setdefault(lab.segment, []).append(lab)
    # A segment made only of subheadings is no article.
    segments = {k: v for k, v in segments.items() if any(lab.kind == "paragraph" for lab in v)}
    if not segments:
        return []
    paragraphs = [(lab.no, lab.text) for lab in labels if lab.kept and lab.kind == "paragraph"]
    chrome = [(lab.no, lab.text) for lab in labels if not lab.kept and not lab.blank and lab.kind != "title"]
    opening = [(lab.no, lab.text) for lab in labels if lab.kept and not lab.blank][:OPENING_LINES]
    origin = resolve_origin(facts, paragraphs, multi_article=len(segments) > 1, chrome=chrome, opening=opening)
    image_credits = [(lab.no, lab.fields["image_credit"]) for lab in labels if "image_credit" in lab.fields]
    articles = []
    for index, (segment, body_labels) in enumerate(sorted(segments.items())):
        first, last = body_labels[0].no, body_labels[-1].no
        title_line: int | None
        if segment == 0:
            title, subtitle = facts.title, facts.subtitle
            title_line = next(
                (lab.no for lab in labels if lab.segment == 0 and ("title" in lab.fields or lab.kind == "title")),
                None,
            )
        else:
            headline = labels[headlines[segment - 1]]
            title, subtitle, title_line = split_site_suffix(headline.text)[0], None, headline.no
        articles.append(
            _article(
                index, title, title_line, subtitle, body_labels, facts, origin,
                _credit_for(image_credits, first, last, index), detector,
            )
        )
    return articles


def _credit_for(credits: list[tuple[int, str]], first: int, last: int, index: int) -> str | None:
    """The image credit printed inside or right after this article; one before all articles goes to the first."""
    for line_no, credit in credits:
        if first <= line_no <= last or (index == 0 and line_no < first):
            return credit
    after = [c for n, c in credits if n > last]
    return after[0] if after and index == 0 else None


def _article(
    index: int,
    title: str | None,
    title_line: int | None,
    subtitle: str | None,
    body_labels: list[Label],
    facts: DumpFacts,
    origin: Origin,
    image_credit: str | None,
    detector: str,
) -> Article:
    body = "\n\n".join(lab.text for lab in body_labels)
    lang = detect(body, detector)
    mix = language_mix([lab.text for lab in body_labels if lab.kind == "paragraph"])
    first_paragraph = next(lab.text for lab in body_labels if lab.kind == "paragraph")
    place = dateline(first_paragraph)
    last_paragraph = next(lab.text for lab in reversed(body_labels) if lab.kind == "paragraph")
    credits = wire_credits(first_paragraph, last_paragraph)
    if place and place[1] and not credits:
        # 'BERLIN (xyz) - ...': an agency in the dateline the registry does not know yet, kept as written.
        credits = [(place[1], "agency_dateline")]
    first_no = next(lab.no for lab in body_labels if lab.kind == "paragraph")
    last_no = next(lab.no for lab in reversed(body_labels) if lab.kind == "paragraph")
    for name, rule in credits:
        if name not in origin.agencies:
            line_no, text = (first_no, first_paragraph) if rule == "agency_dateline" else (last_no, last_paragraph)
            evidence = origin.agency_evidence or Evidence(line_no, rule, text[:80])
            origin = replace(
                origin,
                agencies=(*origin.agencies, name),
                kind=origin.kind or "wire_copy",
                agency_evidence=evidence,
                agency_confidence=agency_confidence(evidence.rule_id),
            )
    return Article(
        segment_index=index,
        title=title,
        title_line=title_line,
        subtitle=subtitle,
        body=body,
        body_first_line=body_labels[0].no,
        body_last_line=body_labels[-1].no,
        subheading_lines=tuple(lab.no for lab in body_labels if lab.kind == "subheading"),
        language=lang.language,
        language_score=lang.score,
        language_detector=lang.detector,
        mixed_languages=mix.shares,
        second_language=mix.second_language,
        published_date=facts.date,
        origin=origin,
        translated=translated(lang.language, origin),
        byline=facts.byline if index == 0 else None,
        page=facts.page,
        dateline_place=place[0] if place else None,
        image_credit=image_credit,
        word_count=sum(word_count(lab.text) for lab in body_labels),
        content_sha256=hashlib.sha256(_content_key(body).encode()).hexdigest(),
    )


def _content_key(body: str) -> str:
    """The body as duplicate detection sees it: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", body).casefold().split())  # split and \s agree on whitespace
