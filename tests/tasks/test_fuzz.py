"""Property tests: process_dump on arbitrary input never raises, is deterministic, and loses no line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.pipeline import process_dump
from tasks.rows import rows_for

# Lines drawn from the kinds of text dumps hold, so the cleaner's branches are reached, plus anything at all.
_LINES = st.one_of(
    st.sampled_from(
        [
            "",
            "Share this: Twitter",
            "Facebook",
            "Date: [Current Date]",
            " date 2024-03-02 Title: A headline from a header",
            "Source: ALJAZEERA",
            "AFP and Reuters",
            "The newspaper La Jornada",
            "Thursday, July 11, 2024, p. 24",
            "__temp__ __location__",
            "Leave a comment",
            "Costs rise for small growers",
            "Island Councils Agree to Share the Cost of a New Ferry Route Today",
            "Beijing. The ministry said on Tuesday that talks would continue next week in the capital.",
            "The council approved the budget after a long debate, and the mayor said the vote was fair.",
            "来源：新华社",
            "中国外交部发言人周二表示，双方将继续就有关问题保持沟通，并推动合作取得更多成果。",
        ]
    ),
    st.text(max_size=200),
)
_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _all_lines_accounted(raw: bytes) -> None:
    result = process_dump(raw, "fuzz.txt")
    again = process_dump(raw, "fuzz.txt")
    assert again == result, "process_dump must be deterministic"
    if result.rejected:
        assert result.reject_reason in {"empty", "binary", "undecodable", "no_article"}
        assert result.reject_detail
        return
    rows = rows_for(result, run_id="fuzz")
    removed = {r["line_no"] for r in rows.removed_lines}
    kept = {line.no for line in result.lines if line.kept and line.kind != "blank"}
    nonblank = {line.no for line in result.lines if line.kind != "blank"}
    # Every non-blank line is in exactly one place: an article body, or removed_lines with its rule.
    assert kept | removed == nonblank
    assert not kept & removed
    assert all(r["rule_id"] for r in rows.removed_lines)
    assert result.articles
    body_lines = {line for a in result.articles for line in a.body.split("\n\n")}
    assert all(line.text in body_lines for line in result.lines if line.kept and line.kind != "blank")


@_SETTINGS
@given(st.lists(_LINES, max_size=30))
def test_any_text_is_cleaned_without_loss(lines: list[str]) -> None:
    _all_lines_accounted("\n".join(lines).encode("utf-8", "surrogatepass"))


@_SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_never_raise(raw: bytes) -> None:
    _all_lines_accounted(raw)
