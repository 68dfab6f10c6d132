"""tasks/repair.py: mojibake and invisible damage fixed, each repair recorded, line numbers kept."""

from __future__ import annotations

import pytest

from tasks.repair import repair


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
