"""Turn DumpResults into rows of the tables in schemas/tables.py, and rows into Arrow tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from schemas.tables import TABLES
from tasks.pipeline import PIPELINE_VERSION
from tasks.records import Article, DumpResult
from tasks.rules import rules_version

Row = dict[str, Any]


@dataclass
class TableRows:
    """Rows for every table of one shard, column names as in schemas/tables.py."""

    articles: list[Row] = field(default_factory=list)
    removed_lines: list[Row] = field(default_factory=list)
    dumps: list[Row] = field(default_factory=list)
    rejects: list[Row] = field(default_factory=list)

    def extend(self, other: TableRows) -> None:
        for name in ("articles", "removed_lines", "dumps", "rejects"):
            getattr(self, name).extend(getattr(other, name))

    def to_arrow(self) -> dict[str, pa.Table]:
        return {
            name: pa.Table.from_pylist(getattr(self, name), schema=TABLES[name])
            for name in ("articles", "removed_lines", "dumps", "rejects")
        }


def rows_for(result: DumpResult, run_id: str, mtime: dt.datetime | None = None) -> TableRows:
    rows = TableRows()
    if result.rejected:
        rows.rejects.append(
            {
                "source_path": result.source_path,
                "sha256": result.sha256 or None,
                "size_bytes": result.size_bytes,
                "mtime": mtime,
                "reason": result.reject_reason,
                "detail": result.reject_detail,
                "run_id": run_id,
            }
        )
        return rows
    for line in result.lines:
        if line.kept or line.kind == "blank":
            continue
        rows.removed_lines.append(
            {
                "dump_id": result.dump_id,
                "source_path": result.source_path,
                "line_no": line.no,
                "rule_id": line.rule_id,
                "kind": line.kind,
                "text": line.text,
                "segment_index": max(line.segment, 0),
                "run_id": run_id,
            }
        )
    rows.articles.extend(_article_row(result, a, run_id) for a in result.articles)
    rows.dumps.append(
        {
            "dump_id": result.dump_id,
            "source_path": result.source_path,
            "sha256": result.sha256,
            "size_bytes": result.size_bytes,
            "mtime": mtime,
            "encoding": result.encoding,
            "repairs": list(result.repairs),
            "status": "ok",
            "article_count": len(result.articles),
            "line_count": len(result.lines),
            "removed_line_count": len(rows.removed_lines),
            "segmentation": result.segmentation,
            "rules_version": rules_version(),
            "pipeline_version": PIPELINE_VERSION,
            "run_id": run_id,
        }
    )
    return rows


def _article_row(result: DumpResult, a: Article, run_id: str) -> Row:
    o = a.origin
    d = a.published_date
    return {
        "article_id": f"{result.dump_id}-{a.segment_index}",
        "dump_id": result.dump_id,
        "source_path": result.source_path,
        "segment_index": a.segment_index,
        "title": a.title,
        "subtitle": a.subtitle,
        "body": a.body,
        "language": a.language,
        "language_score": a.language_score,
        "language_detector": a.language_detector,
        "mixed_languages": [{"language": code, "share": share} for code, share in a.mixed_languages],
        "second_language": a.second_language,
        "published_date": d.value if d else None,
        "date_precision": d.precision if d else None,
        "date_source": d.source if d else None,
        "date_text": d.text if d else None,
        "publisher": o.publisher,
        "publisher_country": o.publisher_country,
        "publisher_language": o.publisher_language,
        "publisher_evidence_line": o.publisher_evidence.line_no if o.publisher_evidence else None,
        "publisher_evidence_rule": o.publisher_evidence.rule_id if o.publisher_evidence else None,
        "publisher_confidence": o.publisher_confidence,
        "agencies": list(o.agencies),
        "agency_evidence_line": o.agency_evidence.line_no if o.agency_evidence else None,
        "agency_evidence_rule": o.agency_evidence.rule_id if o.agency_evidence else None,
        "agency_confidence": o.agency_confidence,
        "origin_kind": o.kind,
        "translated": a.translated,
        "byline": a.byline,
        "page": a.page,
        "dateline_place": a.dateline_place,
        "image_credit": a.image_credit,
        "title_line": a.title_line,
        "body_first_line": a.body_first_line,
        "body_last_line": a.body_last_line,
        "subheading_lines": list(a.subheading_lines),
        "word_count": a.word_count,
        "content_sha256": a.content_sha256,
        # Alone until tasks/dedup.link_duplicates links it to its copies, inside the commit.
        "dup_cluster_id": f"{result.dump_id}-{a.segment_index}", "is_canonical": True, "dup_kind": None,
        "run_id": run_id,
    }
