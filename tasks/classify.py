"""Classify every line of a dump: the rules pass.

Each non-blank line is tried against the rules in order; a rule with a position (`where`) only applies
outside the body: before the first prose paragraph (head) or after the last one (tail). Lines no rule
claims stay 'paragraph' here; tasks/structure.py then finds titles, duplicates, standfirsts, headlines
and subheadings among them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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


def _position_allows(rule: Rule, index: int, first_prose: int, last_prose: int) -> bool:
    if rule.where == "any":
        return True
    in_head = index < first_prose
    in_tail = index > last_prose
    return {"edge": in_head or in_tail, "head": in_head, "tail": in_tail}[rule.where]


def classify_lines(lines: Sequence[str], rules: Sequence[Rule] | None = None) -> list[Label]:
    rules = load_rules() if rules is None else rules
    labels = [
        Label(no=i + 1, text=t, kind=UNCLAIMED if t else "blank", rule_id="" if t else "blank", kept=bool(t))
        for i, t in enumerate(lines)
    ]
    word_counts = [len(lab.text.split()) for lab in labels]
    # Pass 1: position-free rules only, to know which lines are prose and so where the body starts and ends.
    free = [r for r in rules if r.where == "any"]
    first_free: dict[int, tuple[Rule, Mapping[str, str]]] = {}
    for i, label in enumerate(labels):
        if label.blank:
            continue
        hit = next(((r, f) for r in free if (f := r.match(label.text, word_counts[i])) is not None), None)
        if hit is not None:
            first_free[i] = hit
        # A line a position-free rule claims is noise wherever it is, so it never marks where the body starts.
        label.prose = hit is None and is_prose(label.text)
    prose_idx = [i for i, lab in enumerate(labels) if lab.prose]
    first_prose = prose_idx[0] if prose_idx else len(labels)
    last_prose = prose_idx[-1] if prose_idx else -1
    # Pass 2: rules in file order, first that applies at the line's position wins. Positional rules are only
    # tried outside the body, so body paragraphs cost one pass of the position-free rules.
    for i, label in enumerate(labels):
        if label.blank:
            continue
        free_hit = first_free.get(i)
        in_body = first_prose <= i <= last_prose
        for rule in rules:
            if free_hit is not None and rule is free_hit[0]:
                label.claim(rule.kind, rule.id, free_hit[1])
                break
            if rule.where == "any" or in_body or not _position_allows(rule, i, first_prose, last_prose):
                continue
            fields = rule.match(label.text, word_counts[i])
            if fields is not None:
                label.claim(rule.kind, rule.id, fields)
                label.prose = False
                break
    return labels
