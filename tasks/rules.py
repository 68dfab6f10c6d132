"""Line rules as data: loaded once per process from tasks/data/rules/*.toml.

A rule is either a regular expression (named groups become extracted fields) or the name of a matcher,
a small function in tasks/matchers.py for what a regex cannot say alone (a line made only of agency names,
a footer naming a registered outlet, a line that is only a date). Every rule carries examples that must and
must not match; tests/tasks/test_rules.py runs them all.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_DIR = Path(__file__).parent / "data" / "rules"
# Files are read in this order and the first rule that matches a line wins, so specific rules
# ('Image Source:') come before general ones ('Source:').
# Language packs (lang/<code>.toml) come between the metadata rules and the generic widget and footer rules.
RULE_FILES = ("headers.toml", "metadata.toml", "lang/*.toml", "widgets.toml", "footers.toml")
WHERE = ("any", "edge", "head", "tail")

Fields = Mapping[str, str]
Matcher = Callable[[str], Fields | None]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    why: str
    lang: str
    where: str  # any: anywhere; edge: outside the body (head or tail block); head; tail
    max_words: int | None
    pattern: re.Pattern[str] | None
    matcher: str | None
    matches: tuple[str, ...]
    does_not_match: tuple[str, ...]
    matcher_fn: Matcher | None = None  # the function `matcher` names, looked up once when the rules load

    def match(self, text: str, words: int | None = None) -> Fields | None:
        """Fields read from the line when the rule applies to it, else None (position is checked by the caller).

        `words`: the line's word count when the caller already knows it (classify counts once per line)."""
        if self.max_words is not None and (len(text.split()) if words is None else words) > self.max_words:
            return None
        if self.pattern is not None:
            m = self.pattern.search(text)
            if m is None:
                return None
            return {k: v.strip() for k, v in m.groupdict().items() if v and v.strip()}
        return self.matcher_fn(text) if self.matcher_fn is not None else None


class RuleError(ValueError):
    pass


def _matcher_fn(name: str, source: str, rule_id: str) -> Matcher:
    from tasks import matchers  # late import: matchers use the registry and the date reader

    fn = getattr(matchers, name, None)
    if not callable(fn):
        raise RuleError(f"{source}: rule {rule_id}: no matcher named {name!r} in tasks/matchers.py")
    return fn


def _parse(raw: dict[str, object], source: str) -> Rule:
    try:
        rule_id = str(raw["id"])
        where = str(raw.get("where", "any"))
        if where not in WHERE:
            raise RuleError(f"{source}: rule {rule_id}: where must be one of {WHERE}")
        pattern = raw.get("pattern")
        matcher = raw.get("matcher")
        if (pattern is None) == (matcher is None):
            raise RuleError(f"{source}: rule {rule_id}: give exactly one of pattern or matcher")
        max_words = raw.get("max_words")
        return Rule(
            id=rule_id,
            kind=str(raw["kind"]),
            why=str(raw["why"]),
            lang=str(raw.get("lang", "*")),
            where=where,
            max_words=int(str(max_words)) if max_words is not None else None,
            pattern=re.compile(str(pattern)) if pattern is not None else None,
            matcher=str(matcher) if matcher is not None else None,
            matcher_fn=_matcher_fn(str(matcher), source, rule_id) if matcher is not None else None,
            matches=tuple(str(x) for x in raw.get("matches", [])),  # type: ignore[attr-defined]
            does_not_match=tuple(str(x) for x in raw.get("does_not_match", [])),  # type: ignore[attr-defined]
        )
    except KeyError as exc:
        raise RuleError(f"{source}: a rule lacks the field {exc}") from exc
    except re.error as exc:
        raise RuleError(f"{source}: rule {raw.get('id')}: bad pattern: {exc}") from exc


@cache
def load_rules(rules_dir: Path = RULES_DIR) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for name in RULE_FILES:
        for path in sorted(rules_dir.glob(name)):
            data = tomllib.loads(path.read_text("utf-8"))
            rel = str(path.relative_to(rules_dir))
            rules.extend(_parse(r, rel) for r in data.get("rule", []))
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise RuleError(f"rule id {r.id} is defined twice")
        seen.add(r.id)
    return tuple(rules)


@cache
def rules_version(rules_dir: Path = RULES_DIR) -> str:
    """A short content hash of every rule and reference-data file: changes whenever a rule changes."""
    h = hashlib.sha256()
    data_dir = rules_dir.parent
    for path in sorted([*rules_dir.rglob("*.toml"), *data_dir.glob("*.toml")]):
        h.update(str(path.relative_to(data_dir)).encode())
        h.update(path.read_bytes())
    from tasks.registry import user_registry_files

    for path in user_registry_files():  # a user's own outlets change results as much as ours do
        h.update(path.read_bytes() if path.is_file() else b"")
    return h.hexdigest()[:12]
