"""The origin benchmark's own labelled set on a small subset: publisher targets of the issue (found >= 0.90 where
the dump names its publisher, invented <= 0.01 where it does not). Needs /work/shared (or $NEWSPREP_SHARED)."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest

from tests.benchmarks.loader import load_benchmark

SHARED = Path(os.environ.get("NEWSPREP_SHARED", "/work/shared"))
SUBSET = 300  # own-set dumps: the first 300 of the default 600, about 5 s with the corpus loading

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (SHARED / "corpora" / "bbc").is_dir() or not (SHARED / "corpora" / "lang").is_dir(),
        reason=f"benchmark corpora not found under {SHARED}",
    ),
]


@pytest.fixture(scope="module")
def origin() -> ModuleType:
    return load_benchmark("origin")


@pytest.fixture(scope="module")
def own_run(origin: ModuleType):
    return origin.run_own(SUBSET, origin.OWN_SEED, origin.CORPORA)


def _report(origin: ModuleType, run) -> str:
    failures = sorted(run.failures.counts.items(), key=lambda kv: -kv[1])[:12]
    lines = [f"{n:4d}  {p}: {run.failures.examples[p][0]}" for p, n in failures]
    return "\n".join(lines)


def test_own_set_invents_no_publisher(origin: ModuleType, own_run) -> None:
    total = own_run.total()
    assert total.unnamed >= 100, "too few dumps without a publisher to judge"
    rate = total.invented / total.unnamed
    assert rate <= origin.INVENTED_MAX, f"publisher invented in {rate:.3f} of {total.unnamed} dumps\n" + _report(origin, own_run)


def test_own_set_finds_named_publishers(origin: ModuleType, own_run) -> None:
    total = own_run.total()
    assert total.named >= 100, "too few dumps naming their publisher to judge"
    rate = total.found / total.named
    assert rate >= origin.FOUND_MIN, f"publisher found in {rate:.3f} of {total.named} dumps\n" + _report(origin, own_run)


def test_own_set_is_deterministic_and_a_stable_prefix(origin: ModuleType) -> None:
    # `--limit N` takes the first N dumps of the default set, so subset figures compare with the full run.
    small, large = origin.generate_own(5), origin.generate_own(8)
    assert [d.text for d in small] == [d.text for d in large[:5]]
    assert [d.text for d in origin.generate_own(5, seed=99)] != [d.text for d in small]


def test_own_set_labels_match_the_text(origin: ModuleType) -> None:
    for dump in origin.generate_own(60):
        for cue in dump.cues:
            assert cue.text.strip() in dump.text, (dump.name, cue)
            assert cue.written.casefold() in cue.text.casefold(), (dump.name, cue)
        if dump.publisher is None:
            assert not dump.publisher_kinds
        if dump.byline is not None:
            assert dump.byline in dump.text


def test_a_scraped_row_naming_few_publishers_is_judged_in_the_pooled_row_only(origin: ModuleType) -> None:
    few = origin.Score(named=7, found=6, unnamed=294, invented=2)
    found, invented = origin.verdicts(few, origin.FOUND_MIN_PAGES)
    assert found[2] is None, "7 judged pages are too few to hold the row to 'found'"
    assert invented[2] is True
    assert origin.verdicts(few)[0][2] is False, "gold sets (seeds, own set) are judged on every page"
    many = origin.Score(named=origin.FOUND_MIN_PAGES, found=17, unnamed=9, invented=1)
    assert [ok for _, _, ok in origin.verdicts(many, origin.FOUND_MIN_PAGES)] == [False, False]
    run = origin.DatasetRun("fakenewsnet", found_min_pages=origin.FOUND_MIN_PAGES, rows={"all": few})
    assert origin.failed_targets([run]) == ["overall: pub found >= 0.90 = 0.857"]
    assert "not judged" in origin._verdict_text(few, origin.FOUND_MIN_PAGES)
