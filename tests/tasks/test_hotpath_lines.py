"""The fast paths of tasks/lines.py and pipeline._content_key give what the plain regex versions gave."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.lines import clean_line, is_cjk, norm_key, word_count
from tasks.pipeline import _content_key

ALL_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
TEXTS = [
    "",
    " ",
    "Plain line of text.",
    "  two  spaces\tand a tab ",
    "no\u00a0break\u2009thin\u3000ideographic",
    f"every{ALL_WHITESPACE}whitespace{ALL_WHITESPACE}",
    "‘Curly’ “quotes” «guillemets» and 'plain' ones",
    "ＦＵＬＬＷＩＤＴＨ Letters and ﬁ ligature",
    "政府周二表示将提高进口商品关税",
    "Mixed 中文 and English words here",
    "Правительство заявило «по просьбе»",
    "غير ASCII ولكن لا CJK",
    "\x1c\x1dcontrol whitespace\x1e\x1f",
]


def _clean_line_regex(text: str) -> str:
    return re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t ]+", " ", text).strip()


def _norm_key_regex(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).casefold()
    t = t.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"'}))
    return re.sub(r"\s+", " ", t).strip()


def _word_count_findall(text: str) -> int:
    cjk = re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", text)
    return max(1, len(cjk) // 2) if len(cjk) > len(text) * 0.3 else len(text.split())


def test_re_whitespace_is_str_whitespace() -> None:
    # norm_key and _content_key collapse with str.split(): exact only while the two agree on every code point.
    assert re.findall(r"\s", "".join(map(chr, range(sys.maxunicode + 1)))) == list(ALL_WHITESPACE)


@pytest.mark.parametrize("text", TEXTS)
def test_fast_paths_match_the_regex_versions(text: str) -> None:
    assert clean_line(text) == _clean_line_regex(text)
    assert norm_key(text) == _norm_key_regex(text)
    assert _content_key(text) == re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()
    assert word_count(text) == _word_count_findall(text)
    assert is_cjk(text) == (len(re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", text)) > len(text) * 0.3)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "b", " ", "\t", "\u00a0", "\u2003", "\u3000", "\u202f", "é", "\r", "."]),
               max_size=30))
def test_clean_line_collapses_exactly_the_odd_spaces_and_runs(text: str) -> None:
    """The ASCII shortcut and the regex agree: every run of spaces and odd spaces becomes one space, ends trimmed."""
    from tasks.lines import _SPACES

    assert clean_line(text) == _SPACES.sub(" ", text).strip()
