"""Classify every line of a dump: the rules pass.

Each non-blank line is tried against the rules in order; a rule with a position (`where`) only applies
outside the body: before the first prose paragraph (head) or after the last one (tail). Lines no rule
claims stay 'paragraph' here; tasks/structure.py then finds titles, duplicates, standfirsts, headlines
and subheadings among them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from tasks.lines import is_prose
from tasks.rules import Rule, load_rules

UNCLAIMED = "paragraph"


@dataclass
class Label:
    """The working decision on one line while the cleaner runs (frozen into records.Line at the end)."""

    no: int
    text: str
    kind: str
    rule_id: str
    fields: Mapping[str, str] = field(default_factory=dict)
    kept: bool = True
    prose: bool = False
    segment: int = -1

    @property
    def blank(self) -> bool:
        return self.kind == "blank"

    @property
    def unclaimed(self) -> bool:
        return self.kind == UNCLAIMED

    def claim(self, kind: str, rule_id: str, fields: Mapping[str, str] | None = None, kept: bool = False) -> None:
        self.kind, self.rule_id, self.kept = kind, rule_id, kept
        if fields is not None:
            self.fields = fields


def _position_allows(rule: Rule, in_head: bool, in_tail: bool) -> bool:
    """Whether a positional rule applies to a line before the body (`in_head`) or after it (`in_tail`); a dump
    with no prose has both."""
    if rule.where == "edge":
        return in_head or in_tail
    return in_head if rule.where == "head" else in_tail


def _positional_hit(
    positional: Sequence[tuple[int, Rule]], text: str, words: int, in_head: bool, in_tail: bool, before: int
) -> tuple[Rule, Mapping[str, str]] | None:
    """The first positional rule that applies at the line's position and matches it, among those (numbered in
    file order) before the rule numbered `before`."""
    for order, rule in positional:
        if order >= before:
            break
        if _position_allows(rule, in_head, in_tail) and (fields := rule.match(text, words)) is not None:
            return rule, fields
    return None


Numbered = list[tuple[int, Rule]]  # rules with their place in file order
FreeHit = tuple[int, Rule, Mapping[str, str]]


def _by_position(rules: Sequence[Rule]) -> tuple[Numbered, Numbered]:
    """(position-free rules, positional rules), each numbered in file order."""
    numbered = list(enumerate(rules))
    return [(o, r) for o, r in numbered if r.where == "any"], [(o, r) for o, r in numbered if r.where != "any"]


@cache
def _loaded_by_position() -> tuple[Numbered, Numbered]:
    return _by_position(load_rules())


@cache
def _remember_free_hits() -> bool:
    """Whether pass 1's answer for a line can be remembered: only while no position-free rule is a matcher
    (matchers read the registry, which a test or a user file can change)."""
    return all(r.matcher_fn is None for _, r in _loaded_by_position()[0])


def _first_free(free: Numbered, text: str) -> FreeHit | None:
    words = len(text.split())
    for order, rule in free:  # a plain loop, no generator: this runs for ~80 rules on every line
        fields = rule.match(text, words)
        if fields is not None:
            return order, rule, fields
    return None


@lru_cache(maxsize=16384)
def _first_free_loaded(text: str) -> FreeHit | None:
    """_first_free over the loaded rules, remembered: menus, footers and widgets come back dump after dump."""
    return _first_free(_starting_with(text[0])[0], text)


@lru_cache(maxsize=4096)
def _starting_with(char: str) -> tuple[Numbered, Numbered]:
    """The loaded rules (position-free, positional) whose matches can start with `char`, in file order: a line
    is only tried against those (most rules are anchored words, a prose line starts with a capital)."""
    free, positional = _loaded_by_position()
    return [(o, r) for o, r in free if r.could_start_with(char)], [(o, r) for o, r in positional
                                                                   if r.could_start_with(char)]


def classify_lines(lines: Sequence[str], rules: Sequence[Rule] | None = None) -> list[Label]:
    free, positional = _loaded_by_position() if rules is None else _by_position(rules)
    rule_count = len(free) + len(positional)
    labels = [
        Label(no=i + 1, text=t, kind=UNCLAIMED if t else "blank", rule_id="" if t else "blank", kept=bool(t))
        for i, t in enumerate(lines)
    ]
    # Pass 1: position-free rules only, to know which lines are prose and so where the body starts and ends.
    first_free: dict[int, FreeHit] = {}
    for i, label in enumerate(labels):
        if label.blank:
            continue
        text = label.text
        if rules is not None:
            hit = _first_free(free, text)
        else:
            hit = _first_free_loaded(text) if _remember_free_hits() else _first_free(_starting_with(text[0])[0], text)
        if hit is not None:
            first_free[i] = hit
        # A line a position-free rule claims is noise wherever it is, so it never marks where the body starts.
        label.prose = hit is None and is_prose(text)
    prose_idx = [i for i, lab in enumerate(labels) if lab.prose]
    first_prose = prose_idx[0] if prose_idx else len(labels)
    last_prose = prose_idx[-1] if prose_idx else -1
    # Pass 2: rules in file order, first that applies at the line's position wins. Positional rules are only
    # tried outside the body, and only those before the position-free rule that claimed the line, so body
    # paragraphs cost one pass of the position-free rules.
    for i, label in enumerate(labels):
        if label.blank:
            continue
        free_hit = first_free.get(i)
        in_head, in_tail = i < first_prose, i > last_prose
        placed = None
        if in_head or in_tail:
            before = free_hit[0] if free_hit is not None else rule_count
            candidates = _starting_with(label.text[0])[1] if rules is None else positional
            placed = _positional_hit(candidates, label.text, len(label.text.split()), in_head, in_tail, before)
        if placed is not None:
            label.claim(placed[0].kind, placed[0].id, placed[1])
            label.prose = False
        elif free_hit is not None:
            label.claim(free_hit[1].kind, free_hit[1].id, dict(free_hit[2]))  # a copy: the hit may be remembered
    return labels
