"""Split decoded text into lines and tell prose from heading-like lines."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ODD_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000\t"  # spaces clean_line turns into one plain space
_SPACES = re.compile(f"[{_ODD_SPACES} ]+")
# A line with none of these has nothing to collapse; searching for them is far cheaper than substituting
# every single space.
_NEEDS_COLLAPSE = re.compile(f"[{_ODD_SPACES}]| {{2}}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_TERMINAL = ".!?…。！？»"
_CLOSERS = "\"'”’)]»*"
_STOPWORDS_EN = frozenset(
    "a an the and or but of in on at to for from by with as is are was were be its it this that into over "
    "about after before against than via vs".split()
)


def clean_line(text: str) -> str:
    """One line with runs of spaces collapsed and ends trimmed (tasks/repair.py already did NFC and removed
    invisible characters for the whole text)."""
    if text.isascii():  # of the odd spaces only the tab is ASCII: two substring scans instead of the regex
        if "  " not in text and "\t" not in text:
            return text.strip()
    elif _NEEDS_COLLAPSE.search(text) is None:
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def split_lines(text: str) -> list[str]:
    return [clean_line(line) for line in text.split("\n")]


def is_cjk(text: str) -> bool:
    if text.isascii() or _CJK.search(text) is None:
        return False  # most lines: no need to count
    return len(_CJK.findall(text)) > len(text) * 0.3


@lru_cache(maxsize=4096)  # asked of the same line by the prose test, the heading test and the structure reader
def word_count(text: str) -> int:
    if is_cjk(text):
        # Chinese and Japanese have no spaces: about two characters make a word.
        return max(1, len(_CJK.findall(text)) // 2)
    return len(text.split())


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _TERMINAL


def is_prose(text: str) -> bool:
    """A body paragraph: a complete sentence of some length, or a long run of text whatever its ending."""
    words = word_count(text)
    return (words >= 12 and ends_sentence(text)) or words >= 35


def is_heading_like(text: str) -> bool:
    """Short, no sentence-final punctuation, and has letters: what titles and subheadings look like."""
    if not any(ch.isalpha() for ch in text):
        return False
    stripped = text.rstrip(_CLOSERS + " ")
    if not stripped or stripped[-1] in ".;:,!。；：，！":
        return False
    if stripped != text.rstrip() and stripped[-1] in _TERMINAL:
        return False  # '“Why not me?”': quoted speech, not a heading
    return word_count(text) <= 30


def _content(text: str) -> list[str]:
    words = [w.strip("\"'‘’“”()[]:;,—–-") for w in text.split()]
    return [w for w in words if len(w) > 3 and w.lower() not in _STOPWORDS_EN]


def content_words(text: str) -> int:
    return len(_content(text))


def title_case_ratio(text: str) -> float:
    """Share of the content words that start with a capital: near 1 for English headline style."""
    content = _content(text)
    if not content:
        return 0.0
    return sum(1 for w in content if w[:1].isupper()) / len(content)


# Replaced one by one: str.translate looks every character of a non-ASCII line up in a dict, 20x slower.
_PLAIN_QUOTES = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("«", '"'), ("»", '"'))


@lru_cache(maxsize=8192)  # the boilerplate scan keys a line twice (as a line and as the next one), the cleaner again
def norm_key(text: str) -> str:
    """Compare two lines as a reader would: case, quotes and spacing ignored."""
    t = unicodedata.normalize("NFKC", text).casefold()
    if not t.isascii():
        for curly, plain in _PLAIN_QUOTES:
            t = t.replace(curly, plain)
    return " ".join(t.split())  # whitespace runs to one space, ends trimmed (split and \s agree on whitespace)
