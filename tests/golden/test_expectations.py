"""Golden tests of the pure core: every expectation for the seeds (../shared) and the bundled samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.pipeline import process_dump
from tasks.rows import rows_for
from tests.expectations import SAMPLES, SAMPLES_EXPECTED, SEEDS, checks_for, decoded_lines, load


def _cases(folder: Path, expected: Path) -> list:
    if not expected.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{expected} not present"))]
    return [pytest.param(folder / name, exp, id=name) for name, exp in load(expected).items()]


def _check(path: Path, exp: dict) -> None:
    result = process_dump(path.read_bytes(), str(path))
    assert not result.rejected, f"{path.name} rejected: {result.reject_detail}"
    assert result.dump_id == exp["dump_id"]
    rows = rows_for(result, run_id="test")
    removed = {r["line_no"] for r in rows.removed_lines}
    failures = [
        f"{c.name}: {c.detail}"
        for c in checks_for(path.name, exp, decoded_lines(path), rows.articles, removed)
        if not c.ok
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("path", "exp"), _cases(SEEDS, SEEDS / "expected.json"))
def test_seed(path: Path, exp: dict) -> None:
    _check(path, exp)


@pytest.mark.parametrize(("path", "exp"), _cases(SAMPLES, SAMPLES_EXPECTED))
def test_sample(path: Path, exp: dict) -> None:
    _check(path, exp)


def test_every_sample_has_expectations() -> None:
    files = {p.name for p in SAMPLES.iterdir() if p.name.endswith((".txt", ".txt.gz"))}
    assert len(files) >= 12
    assert files == set(load(SAMPLES_EXPECTED))


def test_every_nonblank_line_is_body_or_removed() -> None:
    """Nothing lost: each non-blank line of a dump ends in an article body or in removed_lines, never both."""
    for path in sorted(SAMPLES.iterdir()):
        result = process_dump(path.read_bytes(), str(path))
        rows = rows_for(result, run_id="test")
        removed = {r["line_no"] for r in rows.removed_lines}
        kept = {line.no for line in result.lines if line.kept and line.kind != "blank"}
        nonblank = {line.no for line in result.lines if line.kind != "blank"}
        assert kept | removed == nonblank, path.name
        assert not kept & removed, path.name


def test_checker_reports_a_wrong_expectation() -> None:
    """The checker itself can fail: a wrong title, date and removed line are each reported."""
    name, exp = next(iter(load(SAMPLES_EXPECTED).items()))
    path = SAMPLES / name
    wrong = {**exp, "articles": [{**exp["articles"][0], "title": "Not the title", "published_date": "1999-01-01"}]}
    result = process_dump(path.read_bytes(), str(path))
    rows = rows_for(result, run_id="test")
    failed = {c.name for c in checks_for(name, wrong, decoded_lines(path), rows.articles, set()) if not c.ok}
    assert f"{name}[0] title" in failed
    assert f"{name}[0] published_date" in failed
    assert exp["removed"] == {} or any("in removed_lines" in f for f in failed)


@pytest.mark.parametrize("path", sorted(p for p in SAMPLES.iterdir() if p.name.endswith((".txt", ".txt.gz"))), ids=lambda p: p.name)
def test_clean_text_comes_out_unchanged(path: Path) -> None:
    """Negative golden: a body that is already clean passes through with nothing removed and nothing added."""
    for article in process_dump(path.read_bytes(), str(path)).articles:
        again = process_dump(article.body.encode("utf-8"), "clean.txt")
        assert [a.body for a in again.articles] == [article.body]
        assert all(line.kept for line in again.lines if line.kind != "blank")
        assert again.articles[0].title is None and again.articles[0].published_date is None
