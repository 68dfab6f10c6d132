"""Render a DumpResult for people: every line with its kind and rule, then what was extracted."""

from __future__ import annotations

import dataclasses
from typing import Any

from rich.console import Console
from rich.table import Table

from tasks.records import DumpResult


def explain_json(result: DumpResult) -> dict[str, Any]:
    return {
        "source_path": result.source_path,
        "dump_id": result.dump_id,
        "encoding": result.encoding,
        "repairs": list(result.repairs),
        "reject_reason": result.reject_reason,
        "reject_detail": result.reject_detail,
        "segmentation": result.segmentation,
        "lines": [dataclasses.asdict(line) for line in result.lines],
        "articles": [
            {k: v for k, v in dataclasses.asdict(a).items() if k != "body"} | {"body_chars": len(a.body)}
            for a in result.articles
        ],
    }


def explain_table(result: DumpResult, console: Console) -> None:
    repairs = f"  repairs={','.join(result.repairs)}" if result.repairs else ""
    console.print(f"[bold]{result.source_path}[/]  dump_id={result.dump_id}  encoding={result.encoding}{repairs}")
    if result.rejected and not result.lines:
        console.print(f"[red]rejected[/]: {result.reject_reason}: {result.reject_detail}")
        return
    table = Table("line", "kind", "rule", "", "text", show_lines=False, expand=True)
    for line in result.lines:
        if line.kind == "blank":
            continue
        mark = "[green]kept[/]" if line.kept else "[red]drop[/]"
        text = line.text if len(line.text) <= 110 else line.text[:109] + "…"
        table.add_row(str(line.no), line.kind, line.rule_id, mark, text)
    console.print(table)
    console.print(f"[bold]segmentation[/]: {result.segmentation}")
    if result.rejected:
        console.print(f"[red]rejected[/]: {result.reject_reason}: {result.reject_detail}")
    for a in result.articles:
        facts = Table(show_header=False, title=f"article {a.segment_index}")
        d = a.published_date
        o = a.origin
        for key, value in (
            ("title", a.title),
            ("subtitle", a.subtitle),
            ("body lines", f"{a.body_first_line}-{a.body_last_line} ({a.word_count} words)"),
            ("subheadings", ", ".join(map(str, a.subheading_lines)) or None),
            ("language", f"{a.language} ({a.language_score:.2f}, {a.language_detector})"),
            ("published", f"{d.value} ({d.precision}, from {d.source}: {d.text!r})" if d else None),
            ("publisher", f"{o.publisher} {o.publisher_country or ''} {o.publisher_language or ''}".strip() if o.publisher else None),
            (
                "evidence",
                f"line {o.publisher_evidence.line_no} ({o.publisher_evidence.rule_id}, "
                f"confidence {o.publisher_confidence}): {o.publisher_evidence.text!r}"
                if o.publisher_evidence
                else None,
            ),
            ("agencies", ", ".join(o.agencies) or None),
            (
                "agency evidence",
                f"line {o.agency_evidence.line_no} ({o.agency_evidence.rule_id}): {o.agency_evidence.text!r}"
                if o.agency_evidence
                else None,
            ),
            ("language mix", ", ".join(f"{c} {s:.0%}" for c, s in a.mixed_languages) or None),
            ("second language", a.second_language),
            ("origin kind", o.kind),
            ("translated", a.translated),
            ("byline", a.byline),
            ("page", a.page),
            ("dateline", a.dateline_place),
            ("image credit", a.image_credit),
        ):
            if value is not None:
                facts.add_row(key, str(value))
        console.print(facts)
