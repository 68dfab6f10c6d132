"""The cleaning-quality benchmark on its fast subset (seeds, 150 noise-wrapped dumps, 50 html_derived pages),
held to the [fast.*] minimums of benchmarks/minimums.toml. Needs /work/shared (or $NEWSPREP_SHARED)."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest

from tests.benchmarks.loader import load_benchmark

SHARED = Path(os.environ.get("NEWSPREP_SHARED", "/work/shared"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (SHARED / "corpora").is_dir() or not (SHARED / "seeds" / "expected.json").is_file(),
        reason=f"benchmark data not found under {SHARED}",
    ),
]


@pytest.fixture(scope="module")
def quality() -> ModuleType:
    return load_benchmark("quality")


def test_fast_subset_meets_its_minimums(quality: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    code = quality.main(["--fast", "--check", "--failures", "10"])
    out = capsys.readouterr().out
    below = [line for line in out.splitlines() if line.startswith("BELOW MINIMUM")]
    assert code == 0, "figures below their pinned minimums:\n" + "\n".join(below) + "\n\n" + out[-4000:]


def test_every_fast_dataset_has_pinned_minimums(quality: ModuleType) -> None:
    fast = quality.load_minimums().get("fast", {})
    assert set(quality.FAST) <= set(fast)
    assert all(0.0 <= v <= 1.0 for section in fast.values() for v in section.values())


def test_noise_set_is_a_stable_prefix(quality: ModuleType) -> None:
    # `--limit N` and the fast subset take the first N dumps of the full set, so their figures compare.
    small, large = quality.noise.generate(5), quality.noise.generate(8)
    assert [d.text for d in small] == [d.text for d in large[:5]]


def test_c4_filter_keeps_sentences_and_drops_boilerplate(quality: ModuleType) -> None:
    prose = "\n".join(f"This is sentence number {i} of a long enough page." for i in range(6))
    page = "Home\nWe use cookies to improve your experience.\nvar x = {a: 1};\n" + prose
    kept = quality.c4_filter(page)
    assert kept == prose
    assert quality.c4_filter("Only one sentence here.") == ""
