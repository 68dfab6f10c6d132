"""Rules are tried only on lines whose first character a match can start with (tasks/rules.py
first_characters): the set read from the pattern must never refuse a line the rule matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.classify import classify_lines
from tasks.lines import split_lines
from tasks.rules import first_characters, load_rules
from tests.generated import generated_news

RULES = load_rules()
# Characters the regex engine folds in unusual ways under IGNORECASE (Kelvin sign, long s, dotless and dotted i,
# Greek finals), and the first characters of the rules' own examples.
ODD_FIRSTS = "KkſsSıİiIΣσςµμ ©(【[«\"'-–*•"
EXAMPLE_LINES = [text for r in RULES for text in (*r.matches, *r.does_not_match) if text]


def _chars(pattern: str) -> re.Pattern[str] | None:
    return first_characters(re.compile(pattern))


def test_an_anchored_literal_start() -> None:
    first = _chars(r"^(?:Photo|Foto):\s")
    assert first is not None
    assert [c for c in "PFpfX ©" if first.match(c)] == ["P", "F"]


def test_case_insensitive_starts_fold_as_the_regex_engine_folds() -> None:
    first = _chars(r"^(?i:kilo|sport)")
    assert first is not None
    assert all(first.match(c) for c in "kKKsSſ")  # the Kelvin sign and the long s match under IGNORECASE
    assert not first.match("x")


def test_zero_width_and_optional_items_are_passed_over() -> None:
    first = _chars(r"^(?=[A-Z])\s*[(\[]?(?:AP|Reuters)\b")
    assert first is not None
    assert all(first.match(c) for c in " \t([AR")
    assert not first.match("x")


@pytest.mark.parametrize("pattern", [r"Photo:", r"^\s*$", r"^.", r"^(a)?\1", r"(?m)^x", r"^(?:x|)"])
def test_what_cannot_be_said_is_any_character(pattern: str) -> None:
    """Unanchored, able to match nothing, starting with any character, a back-reference, multi-line: None."""
    assert _chars(pattern) is None


def test_most_rules_have_a_first_character_set() -> None:
    assert sum(r.first is not None for r in RULES) > len(RULES) * 0.8


def test_no_rule_refuses_a_line_it_matches_among_its_examples() -> None:
    for rule in RULES:
        for text in rule.matches:
            if text and rule.match(text) is not None:
                assert rule.could_start_with(text[0]), (rule.id, text)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(EXAMPLE_LINES), st.sampled_from(ODD_FIRSTS), st.integers(0, 3))
def test_no_rule_refuses_a_line_it_matches_after_edits(text: str, char: str, how: int) -> None:
    """Examples with their first character replaced, doubled, case-swapped or prefixed by an odd one."""
    line = (char + text, char + text[1:], text.swapcase(), text[0] + text)[how]
    for rule in RULES:
        if rule.pattern is not None and rule.pattern.search(line):
            assert rule.could_start_with(line[0]), (rule.id, line)


@pytest.fixture(scope="module")
def generated_dumps() -> list[list[str]]:
    return [split_lines(text) for text in generated_news(60, 4)]


def _labels(lines: list[str], rules=None) -> list[tuple]:  # type: ignore[no-untyped-def, type-arg]
    return [(lab.kind, lab.rule_id, lab.kept, dict(lab.fields or {}), lab.prose) for lab in classify_lines(lines, rules)]


def test_classification_is_the_same_with_and_without_the_dispatch(generated_dumps: list[list[str]]) -> None:
    """The loaded rules go through the dispatch; the same rules passed explicitly are each tried on every line."""
    example_lines = [text for r in RULES for text in r.matches if text]
    cases = [*generated_dumps, example_lines, ["Headline", *example_lines, "Body " * 40, *example_lines]]
    assert sum(len(c) for c in cases) > 2000
    for lines in cases:
        assert _labels(lines) == _labels(lines, list(RULES))
