"""Arrow schemas of every table, versioned. The DuckLake tables are created from these and nothing else.

How to add a column: add the field here (with its description), fill it in tasks/rows.py, bump
SCHEMA_VERSION; the next run adds the column to an existing warehouse (tasks/warehouse.py).
"""

from __future__ import annotations

import hashlib

import pyarrow as pa

SCHEMA_VERSION = 5


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


_STR = pa.string()
_TS = pa.timestamp("us", tz="UTC")

ARTICLES = pa.schema(
    [
        _f("article_id", _STR, "dump_id and segment index: '<dump_id>-<n>'", False),
        _f("dump_id", _STR, "the dump this article was cut from", False),
        _f("source_path", _STR, "path of the input file", False),
        _f("segment_index", pa.int32(), "0-based position of the article in its dump", False),
        _f("title", _STR, "headline; null when the dump carries none"),
        _f("subtitle", _STR, "standfirst or labelled subtitle"),
        _f("body", _STR, "cleaned text, paragraphs separated by a blank line", False),
        _f("language", _STR, "ISO 639-1 code, 'und' when the text is too short to judge", False),
        _f("language_score", pa.float64(), "probability of the detected language"),
        _f("language_detector", _STR, "what decided the language: script_rule, langdetect, py3langid, too_short"),
        _f(
            "mixed_languages",
            pa.list_(pa.struct([("language", _STR), ("share", pa.float64())])),
            "languages of the long paragraphs with their share of characters (articles of 2+ long paragraphs)",
        ),
        _f("second_language", _STR, "a real second language (a fifth of the text, 2+ paragraphs), else null"),
        _f("published_date", pa.date32(), "publication date from a header, label or publication line"),
        _f("date_precision", _STR, "day, month or year"),
        _f("date_source", _STR, "kind of line the date came from: inline_header, date_label, dateline, ..."),
        _f("date_text", _STR, "the date as written, time and zone included"),
        _f("publisher", _STR, "the outlet that published this copy"),
        _f("publisher_country", _STR, "ISO 3166-1 alpha-2 country of the publisher"),
        _f("publisher_language", _STR, "primary language (ISO 639-1) of the publisher"),
        _f("publisher_evidence_line", pa.int32(), "raw line number the publisher was read from"),
        _f("publisher_evidence_rule", _STR, "rule id that read the publisher"),
        _f("publisher_confidence", pa.float64(), "how sure the publisher is, by the kind of evidence (0-1)"),
        _f("agencies", pa.list_(_STR), "wire agencies credited"),
        _f("agency_evidence_line", pa.int32(), "raw line number of the first agency credit"),
        _f("agency_evidence_rule", _STR, "rule id that read the first agency credit"),
        _f("agency_confidence", pa.float64(), "how sure the agency credit is, by the kind of evidence (0-1)"),
        _f("origin_kind", _STR, "original, wire_copy or repost"),
        _f("translated", pa.bool_(), "true when the article's language differs from the publisher's"),
        _f("byline", _STR, "author(s), agencies kept apart"),
        _f("page", _STR, "print page number"),
        _f("dateline_place", _STR, "place named at the start of the body ('Beijing.')"),
        _f("image_credit", _STR, "credit of the article's image"),
        _f("title_line", pa.int32(), "raw line number of the title"),
        _f("body_first_line", pa.int32(), "raw line number of the first body line"),
        _f("body_last_line", pa.int32(), "raw line number of the last body line"),
        _f("subheading_lines", pa.list_(pa.int32()), "raw line numbers of subheadings kept in the body"),
        _f("word_count", pa.int32(), "words in the body (CJK: characters / 2)"),
        _f("content_sha256", _STR, "sha256 of the normalized body, for exact-duplicate detection"),
        _f(
            "dup_cluster_id",
            _STR,
            "article_id of the cluster's canonical member, shared by exact and near copies (tasks/dedup.py)",
        ),
        _f("is_canonical", pa.bool_(), "the cluster's reference copy: earliest date, then an original, then smallest id"),
        _f("dup_kind", _STR, "exact or near copy of the canonical; null for the canonical and unique articles"),
        _f("run_id", _STR, "run that wrote the row", False),
    ]
)

REMOVED_LINES = pa.schema(
    [
        _f("dump_id", _STR, "the dump the line belongs to", False),
        _f("source_path", _STR, "path of the input file", False),
        _f("line_no", pa.int32(), "1-based line number in the decoded file", False),
        _f("rule_id", _STR, "the rule that decided", False),
        _f("kind", _STR, "what the line is: title, credit_line, share_widget, ...", False),
        _f("text", _STR, "the line as it was (cleaned of invisible characters)", False),
        _f("segment_index", pa.int32(), "article the line sat in or before"),
        _f("run_id", _STR, "run that wrote the row", False),
    ]
)

DUMPS = pa.schema(
    [
        _f("dump_id", _STR, "hex id from a seed-style name, else a hash of the path", False),
        _f("source_path", _STR, "path of the input file", False),
        _f("sha256", _STR, "sha256 of the raw bytes", False),
        _f("size_bytes", pa.int64(), "size of the raw file", False),
        _f("mtime", _TS, "modification time when read"),
        _f("encoding", _STR, "detected encoding, '+crlf' when line ends were CRLF"),
        _f("repairs", pa.list_(_STR), "text repairs applied: mojibake, nbsp, invisible_chars, bidi_controls, nfc, ..."),
        _f("status", _STR, "ok", False),
        _f("article_count", pa.int32(), "articles cut from the dump", False),
        _f("line_count", pa.int32(), "lines in the decoded file"),
        _f("removed_line_count", pa.int32(), "non-blank lines that ended in no article body"),
        _f("segmentation", _STR, "why the dump was or was not split"),
        _f("rules_version", _STR, "hash of the rule and reference files used"),
        _f("pipeline_version", _STR, "newsprep pipeline version"),
        _f("run_id", _STR, "run that wrote the row", False),
    ]
)

REJECTS = pa.schema(
    [
        _f("source_path", _STR, "path of the input file", False),
        _f("sha256", _STR, "sha256 of the raw bytes (null when unreadable)"),
        _f("size_bytes", pa.int64(), "size of the raw file"),
        _f("mtime", _TS, "modification time when seen (with size, how the next run knows the file is unchanged)"),
        _f("reason", _STR, "empty, binary, undecodable, bad_gzip, unreadable, no_article", False),
        _f("detail", _STR, "one line saying what was wrong"),
        _f("run_id", _STR, "run that wrote the row", False),
    ]
)

RUNS = pa.schema(
    [
        _f("run_id", _STR, "newsprep run id", False),
        _f("flow_run_id", _STR, "Prefect flow run id"),
        _f("started_at", _TS, "when the run started", False),
        _f("finished_at", _TS, "when the run committed"),
        _f("status", _STR, "completed or failed", False),
        _f("files_seen", pa.int64(), "input files discovered"),
        _f("files_skipped", pa.int64(), "files already committed with the same content"),
        _f("dumps_written", pa.int64(), "rows written to dumps"),
        _f("rejects_written", pa.int64(), "rows written to rejects"),
        _f("articles_written", pa.int64(), "rows written to articles"),
        _f("removed_lines_written", pa.int64(), "rows written to removed_lines"),
        _f("counts", _STR, "JSON: every count of the run, by language, publisher and rule"),
        _f("parameters", _STR, "JSON: the run's parameters"),
        _f("versions", _STR, "JSON: pipeline, rules, schema and library versions"),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "removed_lines": REMOVED_LINES,
    "dumps": DUMPS,
    "rejects": REJECTS,
    "runs": RUNS,
}


ARTICLE_SIGNATURES = pa.schema(
    [
        _f("article_id", _STR, "the article", False),
        _f("source_path", _STR, "path of the article's input file (its signature goes when the file's rows do)", False),
        _f("run_id", _STR, "run that wrote the row", False),
        _f("content_sha256", _STR, "the article's content_sha256: pairs are formed per distinct body", False),
        _f("minhash", pa.list_(pa.int64()), "datasketch MinHash values of the body's 3-word shingles; empty when too short"),
        _f("band_keys", pa.list_(pa.int64()), "one hash per LSH band of the MinHash: the join keys for candidates"),
        _f("scheme", _STR, "how shingles were hashed (tasks/dedup.py HASH_SCHEME); other schemes are re-signed"),
    ]
)

# Indexes derived from the tables, rebuildable from them; created by the module that maintains them.
INDEXES: dict[str, pa.Schema] = {"article_signatures": ARTICLE_SIGNATURES}


def schema_hash() -> str:
    h = hashlib.sha256()
    for name, schema in TABLES.items():
        h.update(name.encode())
        h.update(str(schema).encode())
    return h.hexdigest()[:12]
