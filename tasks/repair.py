"""Repair decoded text before it is split into lines, and say which repairs were applied.

Mojibake ('NATOâ€™s') is fixed by ftfy's own fixers, not a hand-written table. Line breaks are left
alone so that line numbers stay those of the decoded file (removed_lines.line_no points at the raw line).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ftfy
from ftfy.badness import BADNESS_RE

# Typographic quotes are the text, not damage; full-width CJK punctuation is how Chinese is written.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization=None,  # NFC below, recorded as its own repair
    explain=True,
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NBSP = re.compile("[\u00a0\u2007\u202f]")
# C0 and C1 controls other than tab and newline: never text, sometimes left by a bad export.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_REPAIRABLE = re.compile("[" + "".join(p.pattern[1:-1] for p in (_INVISIBLE, _BIDI, _NBSP, _CONTROL)) + "]")


def _anchored_badness() -> tuple[re.Pattern[str], int] | None:
    """A character class every match of ftfy's mojibake pattern must contain, and the longest match.

    Each of the pattern's alternatives requires one character from some set of non-ASCII characters; take from
    each the set least likely in real text (fewest lowercase letters) and join them. A text with none of these
    characters cannot match, and a match lies within the longest match's width of one of them: searching those
    windows answers as `ftfy.is_bad` does, in a fraction of the time (it scans every position of the text with
    37 alternatives). None if the pattern is not of that shape (another ftfy version): then `ftfy.is_bad` is used.
    """
    from re import _constants as C  # noqa: N812
    from re import _parser

    def chars(op, av) -> set[str]:  # type: ignore[no-untyped-def]
        if op == C.LITERAL:
            return {chr(av)}
        if op != C.IN or any(o == C.NEGATE for o, _ in av):
            return set()
        out: set[str] = set()
        for o, a in av:
            if o == C.LITERAL:
                out.add(chr(a))
            elif o == C.RANGE:
                out.update(chr(c) for c in range(a[0], a[1] + 1))
            else:
                return set()  # a category such as \w: not a fixed set
        return out

    def cost(c: str) -> int:
        kind = unicodedata.category(c)
        return 100 if kind == "Ll" else 10 if kind.startswith("L") else 1

    parsed = _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    if len(parsed.data) != 1 or parsed.data[0][0] != C.BRANCH:
        return None
    anchor: set[str] = set()
    for branch in parsed.data[0][1][1]:
        # '^' still holds in a window that starts at 0; word boundaries and lookarounds would not.
        if any(op in (C.ASSERT, C.ASSERT_NOT, C.GROUPREF) or (op == C.AT and av != C.AT_BEGINNING)
               for op, av in branch.data):
            return None
        required = [s for s in (chars(op, av) for op, av in branch.data) if s and all(ord(c) >= 128 for c in s)]
        if not required:
            return None
        anchor |= min(required, key=lambda s: sum(map(cost, s)))
    width = parsed.getwidth()[1]
    return re.compile("[" + "".join(re.escape(c) for c in sorted(anchor)) + "]"), width


_ANCHORED = _anchored_badness()


def looks_bad(text: str) -> bool:
    """`ftfy.is_bad(text)`, searching only around the characters every mojibake match needs (see above)."""
    if _ANCHORED is None:
        return ftfy.is_bad(text)
    anchor, width = _ANCHORED
    for m in anchor.finditer(text):
        i = m.start()
        if BADNESS_RE.search(text, max(0, i - width + 1), i + width):
            return True
    return False


@dataclass(frozen=True)
class Repaired:
    text: str
    repairs: tuple[str, ...]


def repair(text: str) -> Repaired:
    repairs: list[str] = []
    lines_before = text.count("\n")
    if looks_bad(text) or "Ã" in text or "â€" in text:
        fixed = ftfy.fix_and_explain(text, config=_FTFY)
        if fixed.text != text and fixed.text.count("\n") == lines_before:
            text = fixed.text
            steps = {step for step, _ in fixed.explanation or []}
            repairs.append("mojibake" if steps & {"encode", "decode", "transcode"} else "ftfy")
    # One scan for any of the four kinds (most texts have none), then a pass per kind only if one is there.
    if _ANY_REPAIRABLE.search(text) is not None:
        for name, pattern, replacement in (
            ("invisible_chars", _INVISIBLE, ""),
            ("bidi_controls", _BIDI, ""),
            ("nbsp", _NBSP, " "),
            ("control_chars", _CONTROL, ""),
        ):
            text, n = pattern.subn(replacement, text)
            if n:
                repairs.append(name)
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        repairs.append("nfc")
        text = nfc
    return Repaired(text, tuple(repairs))
