"""Every line rule in tasks/data/rules/*.toml against its own examples, plus the rule-set invariants."""

from __future__ import annotations

import re

import pytest

from tasks.rules import WHERE, load_rules, rules_version

RULES = load_rules()

# Rule examples that the rule itself gets wrong: (rule id, kind of example, index) -> why.
KNOWN_BUGS = {
}


def _example_cases() -> list[object]:
    cases: list[object] = []
    for rule in RULES:
        for kind, examples, expect_match in (
            ("match", rule.matches, True),
            ("does_not_match", rule.does_not_match, False),
        ):
            for i, text in enumerate(examples):
                reason = KNOWN_BUGS.get((rule.id, kind, i))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                cases.append(pytest.param(rule, text, expect_match, id=f"{rule.id}-{kind}-{i}", marks=marks))
    return cases


@pytest.mark.parametrize(("rule", "text", "expect_match"), _example_cases())
def test_rule_examples(rule, text: str, expect_match: bool) -> None:
    fields = rule.match(text)
    if expect_match:
        assert fields is not None, f"{rule.id} should match {text!r}"
    else:
        assert fields is None, f"{rule.id} should not match {text!r}, got {fields!r}"


def test_known_bug_entries_point_at_real_examples() -> None:
    by_id = {r.id: r for r in RULES}
    for rule_id, kind, i in KNOWN_BUGS:
        examples = by_id[rule_id].matches if kind == "match" else by_id[rule_id].does_not_match
        assert i < len(examples)


def test_rules_are_loaded_from_every_file() -> None:
    assert len(RULES) >= 20
    kinds = {r.kind for r in RULES}
    assert {"share_widget", "image_credit", "source_line", "date_stub", "publisher_footer"} <= kinds


def test_rule_ids_are_unique_snake_case() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule_id in ids:
        assert re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", rule_id), rule_id


def test_every_rule_has_positive_and_negative_examples() -> None:
    for rule in RULES:
        assert rule.matches, f"{rule.id} has no matches examples"
        assert rule.does_not_match, f"{rule.id} has no does_not_match examples"


def test_every_rule_is_a_pattern_or_a_matcher_with_a_known_position() -> None:
    from tasks import matchers

    for rule in RULES:
        assert (rule.pattern is None) != (rule.matcher is None), rule.id
        if rule.matcher is not None:
            assert callable(getattr(matchers, rule.matcher, None)), rule.id
        assert rule.where in WHERE, rule.id
        assert rule.why.strip(), rule.id


def test_max_words_caps_a_rule() -> None:
    rule = next(r for r in RULES if r.id == "source_label")
    assert rule.max_words is not None
    assert rule.match("Source: Reuters") == {"source": "Reuters"}
    long_line = "Source: " + " ".join(["word"] * rule.max_words)
    assert rule.match(long_line) is None


def test_named_groups_become_stripped_fields() -> None:
    rule = next(r for r in RULES if r.id == "inline_header_date_title")
    assert rule.match("date 2023-07-13 Title: Ministers meet in Oslo  ") == {
        "date": "2023-07-13",
        "title": "Ministers meet in Oslo",
    }


def test_image_source_is_an_image_credit_before_it_is_a_source() -> None:
    ids = [r.id for r in RULES]
    assert ids.index("image_credit_label") < ids.index("source_label")
    first = next(r for r in RULES if r.match("Image Source: Getty Images") is not None)
    assert first.id == "image_credit_label"


def test_rules_version_is_12_hex_and_stable() -> None:
    version = rules_version()
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert rules_version() == version
