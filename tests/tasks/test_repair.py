"""tasks/repair.py: mojibake and invisible damage fixed, each repair recorded, line numbers kept."""

from __future__ import annotations

import unicodedata

import ftfy
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tasks.repair import looks_bad, repair


def test_mojibake_is_fixed_and_recorded() -> None:
    text = "Le prÃ©sident a parlÃ© Ã  la presse.\nNATOâ€™s summit ended."
    fixed = repair(text)
    assert fixed.text == "Le président a parlé à la presse.\nNATO’s summit ended."
    assert "mojibake" in fixed.repairs


@pytest.mark.parametrize(
    ("damaged", "clean", "name"),
    [
        ("one\u00a0two", "one two", "nbsp"),
        ("zero\u200bwidth", "zerowidth", "invisible_chars"),
        ("bidi \u202eoverride\u202c here", "bidi override here", "bidi_controls"),
        ("bell\x07 and \x1b escape", "bell and  escape", "control_chars"),
        ("cafe\u0301", "café", "nfc"),
    ],
)
def test_each_repair_is_named(damaged: str, clean: str, name: str) -> None:
    fixed = repair(damaged)
    assert fixed.text == clean
    assert fixed.repairs == (name,)


@pytest.mark.parametrize(
    "text",
    [
        "“Typographic quotes” and ‘apostrophes’ are the text, not damage.",
        "来源：新华社。全角标点保持不变。",
        "Canción, niño, Straße, été, ação: plain accented text is left alone.",
        "Статья на русском языке остаётся как есть.",
    ],
)
def test_clean_text_is_untouched(text: str) -> None:
    assert repair(text).text == text
    assert repair(text).repairs == ()


def test_line_count_never_changes() -> None:
    text = "a\u2028b\nprÃ©sident\n\n\u0085c\nlast"
    assert repair(text).text.count("\n") == text.count("\n")


# ---- looks_bad: ftfy.is_bad searched only around the characters a mojibake match needs

_MOJIBAKE_ALPHABET = "abcXYZ é Éà€â€™Ã©Ã ÂÎÐœœ×²°ВГРСЂ│┌▀Øَ،\u0080\u009d\ufffd¦¨¬¯¸ƒ\u02c6†‡‰ Ł≈√‚Ä"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*_MOJIBAKE_ALPHABET, "NATOâ€™s ", "cafÃ© ", "\n", "Ã "]), max_size=60).map("".join))
def test_looks_bad_answers_as_ftfy_is_bad(text: str) -> None:
    assert looks_bad(text) == ftfy.is_bad(text)


def test_looks_bad_uses_the_windowed_search_with_the_pinned_ftfy() -> None:
    from tasks.repair import _ANCHORED

    assert _ANCHORED is not None, "ftfy's pattern changed shape: every text is searched whole again (slow, correct)"


def test_looks_bad_on_generated_news_and_its_mojibake() -> None:
    from tests.generated import generated_news

    texts = [t for text in generated_news(40, 3) for t in (text, text.encode("utf-8").decode("cp1252", errors="replace"))]
    answers = [looks_bad(t) for t in texts]
    assert answers == [ftfy.is_bad(t) for t in texts]
    assert any(answers) and not all(answers)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aé \n\t\u200b\u200e\u00a0\u2007\x01\x0b\x7f\x9f\u2066\ufeff\u00ad\u202f")), max_size=40))
def test_the_one_scan_shortcut_repairs_what_the_four_passes_repair(text: str) -> None:
    from tasks.repair import _BIDI, _CONTROL, _INVISIBLE, _NBSP

    assume(not looks_bad(text))  # the mojibake fixer's own territory (C1 controls read as cp1252, ...)
    want, kinds = text, []
    for name, pattern, replacement in (("invisible_chars", _INVISIBLE, ""), ("bidi_controls", _BIDI, ""),
                                       ("nbsp", _NBSP, " "), ("control_chars", _CONTROL, "")):  # fmt: skip
        want, n = pattern.subn(replacement, want)
        if n:
            kinds.append(name)
    got = repair(text)
    assert got.text == unicodedata.normalize("NFC", want)
    assert [r for r in got.repairs if r != "nfc"] == kinds
