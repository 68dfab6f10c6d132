"""Repair decoded text before it is split into lines, and say which repairs were applied.

Mojibake ('NATOâ€™s') is fixed by ftfy's own fixers, not a hand-written table. Line breaks are left
alone so that line numbers stay those of the decoded file (removed_lines.line_no points at the raw line).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ftfy

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


@dataclass(frozen=True)
class Repaired:
    text: str
    repairs: tuple[str, ...]


def repair(text: str) -> Repaired:
    repairs: list[str] = []
    lines_before = text.count("\n")
    if ftfy.is_bad(text) or "Ã" in text or "â€" in text:
        fixed = ftfy.fix_and_explain(text, config=_FTFY)
        if fixed.text != text and fixed.text.count("\n") == lines_before:
            text = fixed.text
            steps = {step for step, _ in fixed.explanation or []}
            repairs.append("mojibake" if steps & {"encode", "decode", "transcode"} else "ftfy")
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
