"""tasks/pipeline.py: dump ids, rejects, one article vs several, and which dates become published_date."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re

import pytest

from tasks.pipeline import dump_id_for, process_dump
from tests.tasks.texts import P1, P2, P3

P4 = (
    "They said the limits would ruin small farms that have no other source of water during the "
    "summer, and promised to return to the capital next week."
)


def _run(text: str, source: str = "pipeline_test.txt"):
    return process_dump(text.encode("utf-8"), source)


def _accepted(text: str):
    result = _run(text)
    assert result.reject_reason is None, result.reject_detail
    return result


# dump_id_for


@pytest.mark.parametrize(
    ("path", "dump_id"),
    [
        ("000_86c95ef1e2636647.txt", "86c95ef1e2636647"),
        ("123_0123456789abcdef.txt.gz", "0123456789abcdef"),
        ("/data/dumps/042_fedcba9876543210.txt", "fedcba9876543210"),
        ("relative/dir/7_a1b2c3d4e5f60718.txt", "a1b2c3d4e5f60718"),
    ],
)
def test_dump_id_for_seed_names(path: str, dump_id: str) -> None:
    assert dump_id_for(path) == dump_id


@pytest.mark.parametrize(
    "path",
    [
        "notes/article.txt",
        "/abs/path/to/dump.txt.gz",
        "000_86C95EF1E2636647.txt",  # upper-case hex is not a seed name
        "000_86c95ef1e26366.txt",  # too short
        "000_86c95ef1e2636647.html",
        "x_86c95ef1e2636647.txt",
        "ünïcödé/файл.txt",
    ],
)
def test_dump_id_for_other_paths_is_a_stable_hash(path: str) -> None:
    dump_id = dump_id_for(path)
    assert re.fullmatch(r"[0-9a-f]{16}", dump_id)
    assert dump_id_for(path) == dump_id
    assert dump_id == hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]


def test_dump_id_for_differs_between_paths() -> None:
    assert dump_id_for("a/one.txt") != dump_id_for("a/two.txt")
    assert dump_id_for("a/one.txt") != dump_id_for("b/one.txt")


def test_result_carries_id_hash_and_size() -> None:
    raw = f"Water plan approved\n\n{P1}\n".encode()
    result = process_dump(raw, "dumps/005_00112233aabbccdd.txt")
    assert result.dump_id == "00112233aabbccdd"
    assert result.source_path == "dumps/005_00112233aabbccdd.txt"
    assert result.sha256 == hashlib.sha256(raw).hexdigest()
    assert result.size_bytes == len(raw)
    assert result.encoding == "utf-8"


# rejects


@pytest.mark.parametrize(
    ("raw", "source", "reason"),
    [
        (b"", "a.txt", "empty"),
        (b"  \n\n\t\n", "a.txt", "empty"),
        (b"Some text\x00with a NUL byte in it", "a.txt", "binary"),
        (b"abc\x81\x8d", "a.txt", "undecodable"),
        (b"plain text, not gzip", "a.txt.gz", "bad_gzip"),
    ],
    ids=["empty", "whitespace", "binary", "undecodable", "bad_gzip"],
)
def test_process_dump_rejects_unreadable_input(raw: bytes, source: str, reason: str) -> None:
    result = process_dump(raw, source)
    assert result.rejected
    assert result.reject_reason == reason
    assert result.reject_detail
    assert result.encoding is None
    assert result.articles == ()
    assert result.lines == ()


def test_process_dump_rejects_noise_only_dump() -> None:
    result = _run("Share this: Twitter\nFacebook\nLeave a comment\n")
    assert result.reject_reason == "no_article"
    assert result.articles == ()
    assert result.encoding == "utf-8"
    kinds = [line.kind for line in result.lines if line.kind != "blank"]
    assert kinds == ["share_widget", "share_widget", "comment_widget"]
    assert not any(line.kept for line in result.lines)
    assert "3 lines" in (result.reject_detail or "")


def test_gzip_dump_is_decompressed() -> None:
    text = f"Water plan approved\n\n{P1}\n\n{P2}\n"
    result = process_dump(gzip.compress(text.encode("utf-8")), "dumps/001_0011223344556677.txt.gz")
    assert result.reject_reason is None
    assert result.dump_id == "0011223344556677"
    assert len(result.articles) == 1
    assert result.articles[0].title == "Water plan approved"


def test_crlf_dump_records_its_line_ends() -> None:
    result = process_dump(f"Water plan approved\r\n\r\n{P1}\r\n".encode(), "a.txt")
    assert result.encoding == "utf-8+crlf"
    assert result.articles[0].body == P1


# one article, subheadings, splits


def test_sentence_case_subheadings_stay_in_one_article() -> None:
    result = _accepted(f"Water plan approved\n\n{P1}\n\nWhat the plan costs\n\n{P2}\n\nWho pays for it\n\n{P3}\n")
    assert len(result.articles) == 1
    art = result.articles[0]
    assert art.subheading_lines == (5, 9)
    assert [result.lines[n - 1].kind for n in art.subheading_lines] == ["subheading", "subheading"]
    assert "What the plan costs" in art.body and "Who pays for it" in art.body
    assert art.title == "Water plan approved"
    assert result.segmentation.startswith("one article")
    assert "subheadings kept at lines 5, 9" in result.segmentation
    assert art.origin.kind != "repost"


def test_title_case_headline_between_paragraphs_splits_the_dump() -> None:
    headline = "Farmers Protest Outside Parliament Over New Limits on River Water Use"
    assert len(headline.split()) >= 9
    result = _accepted(f"Water plan approved\n\n{P1}\n\n{P2}\n\n{headline}\n\n{P3}\n\n{P4}\n")
    assert len(result.articles) == 2
    first, second = result.articles
    assert first.title == "Water plan approved"
    assert second.title == headline
    assert second.title_line == 7
    assert headline not in first.body and headline not in second.body
    assert P2 in first.body and P3 in second.body and P3 not in first.body
    assert result.lines[6].kind == "title" and result.lines[6].rule_id == "headline_split"
    assert [first.segment_index, second.segment_index] == [0, 1]
    assert first.origin.kind == second.origin.kind == "repost"
    assert result.segmentation == "split into 2 articles at headline lines 7"


def test_headline_needs_a_paragraph_before_it() -> None:
    # A heading right after the title block is a standfirst, not the start of a second article.
    result = _accepted(
        f"Water plan approved\n\nFarmers Protest Outside Parliament Over New Limits on River Water Use\n\n{P1}\n\n{P2}\n"
    )
    assert len(result.articles) == 1


# dates


def test_date_in_the_body_is_never_the_publication_date() -> None:
    mention = "The first plan was announced on March 3, 2021, but the previous government dropped it after protests."
    result = _accepted(f"Water plan approved\n\n{P1}\n\n{mention}\n\n{P2}\n")
    art = result.articles[0]
    assert mention in art.body
    assert art.published_date is None


def test_header_date_wins_over_a_date_in_the_body() -> None:
    mention = "The first plan was announced on March 3, 2021, but the previous government dropped it after protests."
    result = _accepted(f"Water plan approved\nThursday, July 11, 2024, p. 24\n\n{P1}\n\n{mention}\n")
    date = result.articles[0].published_date
    assert date is not None
    assert (date.value, date.precision, date.source) == (dt.date(2024, 7, 11), "day", "dateline")
    assert result.articles[0].page == "24"


def test_date_stub_gives_no_date_and_is_removed() -> None:
    result = _accepted(f"Water plan approved\nDate: [Current Date]\n\n{P1}\n\n{P2}\n")
    art = result.articles[0]
    assert art.published_date is None
    stub = result.lines[1]
    assert (stub.text, stub.kind, stub.rule_id, stub.kept) == (
        "Date: [Current Date]",
        "date_stub",
        "stub_date_placeholder",
        False,
    )
    assert "Current Date" not in art.body
    assert art.title == "Water plan approved"


def test_date_stub_does_not_hide_a_real_date_line() -> None:
    result = _accepted(f"Water plan approved\nDate: [Current Date]\nDate: 2024-03-02\n\n{P1}\n")
    date = result.articles[0].published_date
    assert date is not None
    assert (date.value, date.source) == (dt.date(2024, 3, 2), "date_label")


def test_impossible_labelled_date_gives_no_date() -> None:
    result = _accepted(f"Water plan approved\nDate: 2024-02-30\n\n{P1}\n\n{P2}\n")
    assert result.articles[0].published_date is None


# the rest of an article


def test_one_article_fields() -> None:
    result = _accepted(f"Water plan approved\nBy Jane Doe\n\nMADRID — {P1}\n\n{P2}\n")
    art = result.articles[0]
    assert art.title == "Water plan approved" and art.title_line == 1
    assert art.byline == "Jane Doe"
    assert art.dateline_place == "Madrid"
    assert (art.body_first_line, art.body_last_line) == (4, 6)
    assert art.language == "en"
    assert art.word_count == len(art.body.split())
    assert re.fullmatch(r"[0-9a-f]{64}", art.content_sha256)


def test_content_hash_ignores_case_and_spacing() -> None:
    a = _accepted(f"Water plan approved\n\n{P1}\n").articles[0]
    b = _accepted(f"Water plan approved\n\n{P1.upper().replace(' ', '  ')}\n").articles[0]
    assert a.content_sha256 == b.content_sha256


def test_process_dump_is_deterministic() -> None:
    text = f"Water plan approved\n\n{P1}\n\nWhat the plan costs\n\n{P2}\n\nEFE y AFP\n"
    assert _run(text) == _run(text)
