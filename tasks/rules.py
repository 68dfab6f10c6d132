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
    # The characters a match can start with, as a one-character pattern (None: any). Rules are anchored at the
    # line's start, so a line whose first character this refuses cannot match: classify skips the rule.
    first: re.Pattern[str] | None = None

    def could_start_with(self, char: str) -> bool:
        return self.first is None or self.first.match(char) is not None

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


# ---- the first character of an anchored pattern's match, read from Python's own parse of the pattern


def first_characters(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern matching one character that every match of `pattern` (searched in a line) starts with, or
    None when that cannot be said: the pattern is not anchored at the start ('^' or '\\A'), can match the empty
    string, or starts with something this reading does not know (any character, a back-reference, ...).

    The answer is built from the pattern's own leading atoms (literals, classes, categories) with their own
    flags, so the regex engine decides case-insensitive matches exactly as the rule would. Lookarounds and other
    zero-width items are passed over: the set can only grow (a superset is safe, a rule is then merely tried).
    """
    from re import _parser

    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        flags = parsed.state.flags
        items = list(parsed)
        if flags & (re.MULTILINE | re.ASCII | re.LOCALE) or not items or items[0] not in _ANCHORS:
            return None
        pieces, nullable = _first_of(items[1:], flags)
    except (_Unknown, re.error, RecursionError, TypeError, ValueError):
        return None
    if nullable or not pieces:
        return None
    return re.compile("|".join(sorted(set(pieces))))


class _Unknown(Exception):
    pass


def _anchors() -> tuple[tuple[object, object], ...]:
    from re import _constants as c

    return ((c.AT, c.AT_BEGINNING), (c.AT, c.AT_BEGINNING_STRING))


_ANCHORS = _anchors()


def _char(code: int) -> str:
    return f"\\U{code:08x}"


def _wrap(piece: str, flags: int) -> str:
    return f"(?i:{piece})" if flags & re.IGNORECASE else piece


def _first_of(items: list, flags: int) -> tuple[list[str], bool]:  # type: ignore[type-arg]
    """(one-character patterns for the first consumed character, whether the sequence can consume nothing)."""
    pieces: list[str] = []
    for item in items:
        more, nullable = _first_of_item(item, flags)
        pieces += more
        if not nullable:
            return pieces, False
    return pieces, True


def _first_of_item(item: tuple, flags: int) -> tuple[list[str], bool]:  # type: ignore[type-arg]
    from re import _constants as c

    op, av = item
    if op is c.LITERAL:
        return [_wrap(_char(av), flags)], False
    if op is c.NOT_LITERAL:
        return [_wrap(f"[^{_char(av)}]", flags)], False
    if op is c.IN:
        return [_wrap(_class(av), flags)], False
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return [], True  # zero width: the next item consumes the first character
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        pieces, nullable = _first_of(list(sub), flags)
        return pieces, nullable or low == 0
    if op is c.SUBPATTERN:
        _group, add, remove, sub = av
        return _first_of(list(sub), (flags | add) & ~remove)
    if op is c.ATOMIC_GROUP:
        return _first_of(list(av), flags)
    if op is c.BRANCH:
        pieces, nullable = [], False
        for alternative in av[1]:
            more, empty = _first_of(list(alternative), flags)
            pieces += more
            nullable = nullable or empty
        return pieces, nullable
    raise _Unknown(op)  # ANY, group references, conditionals: any character may come first


def _class(items: list) -> str:  # type: ignore[type-arg]
    from re import _constants as c

    categories = {c.CATEGORY_DIGIT: "\\d", c.CATEGORY_NOT_DIGIT: "\\D", c.CATEGORY_SPACE: "\\s",
                  c.CATEGORY_NOT_SPACE: "\\S", c.CATEGORY_WORD: "\\w", c.CATEGORY_NOT_WORD: "\\W"}  # fmt: skip
    parts = []
    for op, av in items:
        if op is c.NEGATE:
            parts.insert(0, "^")
        elif op is c.LITERAL:
            parts.append(_char(av))
        elif op is c.RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is c.CATEGORY and av in categories:
            parts.append(categories[av])
        else:
            raise _Unknown(op)
    return "[" + "".join(parts) + "]"


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
            pattern=(compiled := re.compile(str(pattern))) if pattern is not None else None,
            first=first_characters(compiled) if pattern is not None else None,
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
