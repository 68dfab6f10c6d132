"""tasks/fastdetect.py gives langdetect's own probabilities, bit for bit, on every language and on odd text."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.language import N_TRIAL, _langdetect, _warm_up
from tests.generated import generated_news
from tests.kernel_support import needs_kernels


def _reference(text: str, n_trial: int) -> list[tuple[str, float]] | str:
    from langdetect import detector_factory
    from langdetect.lang_detect_exception import LangDetectException

    _warm_up()
    detector = detector_factory._factory.create()  # type: ignore[union-attr]
    detector.n_trial = n_trial
    detector.append(text)
    try:
        return [(p.lang, p.prob) for p in detector.get_probabilities()]
    except LangDetectException as exc:
        return str(exc)


def _fast(text: str, n_trial: int) -> list[tuple[str, float]] | str:
    from langdetect.lang_detect_exception import LangDetectException

    from tasks.fastdetect import FastDetector

    fast = _langdetect() if n_trial == N_TRIAL else FastDetector.from_factory(_langdetect_factory(), n_trial=n_trial)
    try:
        return [(p.lang, p.prob) for p in fast.probabilities(text)]
    except LangDetectException as exc:
        return str(exc)


def _langdetect_factory():  # type: ignore[no-untyped-def]
    from langdetect import detector_factory

    _warm_up()
    return detector_factory._factory


@pytest.fixture(scope="module")
def generated_texts() -> list[str]:
    """Dumps of the benchmark generator from 40 folders (eleven languages, four scripts), cut three ways."""
    return [cut for text in generated_news() for cut in (text[:1000], text[200:450], text[-120:])]


@pytest.mark.parametrize("n_trial", [N_TRIAL, 7])
def test_the_same_probabilities_as_langdetect_on_generated_news(generated_texts: list[str], n_trial: int) -> None:
    assert len(generated_texts) > 100
    for text in generated_texts:
        assert _fast(text, n_trial) == _reference(text, n_trial), text[:80]


ODD = "abcXYZ  .,!?-'ÀÉéüßşţșțœАБВГРСабвあアカ漢字한국ﺎﻟعربيةΑβγ\u0301\u0300ƠớẠ\u00a0\t\n1234"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*ODD, " http://example.com/a?b ", " a.b@example.org ", "NATO", "McDonald"]),
                max_size=120).map("".join))
def test_the_same_probabilities_on_odd_text(text: str) -> None:
    assert _fast(text, N_TRIAL) == _reference(text, N_TRIAL)


def test_the_same_answer_across_many_calls_in_one_process() -> None:
    """The per-word cache must not change an answer: one text, detected between many others."""
    rng = random.Random(3)
    words = ["river", "Fluss", "rivière", "река", "نهر", "río", "fiume", "OECD", "EU-Kommission"]
    texts = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(50)]
    first = [_fast(t, N_TRIAL) for t in texts]
    assert [_fast(t, N_TRIAL) for t in reversed(texts)] == list(reversed(first))
    assert first == [_reference(t, N_TRIAL) for t in texts]


@needs_kernels
def test_the_trials_run_in_c() -> None:
    """The C kernels are built at install (setup.py): they are what the pipeline runs, so the equality tests
    above are tests of the kernel against langdetect."""
    assert _langdetect()._kernel is not None


@needs_kernels
def test_the_c_trials_equal_the_python_trials(generated_texts: list[str]) -> None:
    import numpy as np

    fast = _langdetect()
    compared = 0
    for text in generated_texts:
        rows = fast.rows(fast.prepare(text))
        if rows:
            got = fast._kernel.run(np.array(rows, dtype=np.int32), fast.n_trial, fast.alpha)
            assert got == fast._trials(rows), text[:80]
            compared += 1
    assert compared > 100


@needs_kernels
def test_a_text_needing_more_random_draws_than_computed_takes_the_python_trials(generated_texts: list[str]) -> None:
    """The kernel reads a precomputed stretch of the random stream; when a text would run past it, the kernel
    says so and the Python trials answer, with langdetect's probabilities."""
    import numpy as np

    from tasks.fastdetect import FastDetector
    from tasks.kernels import Trials

    short = FastDetector.from_factory(_langdetect_factory(), n_trial=N_TRIAL)
    kernel = short._kernel
    words, gauss, kept = kernel.words[:40].copy(), kernel.gauss[:40].copy(), kernel.kept[:40].copy()
    kernel.trials = Trials(np.array(short._lists, dtype=np.float64), words, gauss, kept, compensated=False)
    text = generated_texts[0]
    assert kernel.run(np.array(short.rows(short.prepare(text)), dtype=np.int32), N_TRIAL, short.alpha) is None
    assert [(p.lang, p.prob) for p in short.probabilities(text)] == _reference(text, N_TRIAL)


def test_without_the_c_kernels_the_python_trials_answer(monkeypatch: pytest.MonkeyPatch,
                                                        generated_texts: list[str]) -> None:  # fmt: skip
    from tasks.fastdetect import FastDetector

    monkeypatch.setenv("NEWSPREP_NO_KERNELS", "1")
    plain = FastDetector.from_factory(_langdetect_factory(), n_trial=N_TRIAL)
    assert plain._kernel is None
    for text in generated_texts[:30]:
        try:
            got = [(p.lang, p.prob) for p in plain.probabilities(text)]
        except Exception as exc:  # noqa: BLE001 - the same LangDetectException as the reference
            got = str(exc)
        assert got == _reference(text, N_TRIAL)


def test_the_profiles_read_into_the_matrix_equal_langdetects_factory() -> None:
    """from_profiles reads langdetect's profile files itself: the same languages, n-grams and probabilities (bit for
    bit) as the factory langdetect loads, in the same order."""
    import numpy as np

    from tasks.fastdetect import FastDetector
    from tasks.language import SEED

    factory = _langdetect_factory()
    own = FastDetector.from_profiles(seed=SEED)
    assert own.langlist == factory.langlist and own.seed == factory.seed == SEED
    assert list(own._row) == list(factory.word_lang_prob_map)
    reference = np.array(list(factory.word_lang_prob_map.values()), dtype=np.float64)
    assert own._matrix.shape == reference.shape
    assert own._matrix.tobytes() == reference.tobytes()
    assert own._lists[:1000] == list(factory.word_lang_prob_map.values())[:1000]


def test_the_pipeline_never_loads_langdetects_own_factory() -> None:
    """Detecting through the pipeline reads the profiles into one matrix only: langdetect's factory (a list of
    Python floats per n-gram, ~60 MiB in every worker) stays unloaded. In a fresh interpreter."""
    import subprocess
    import sys

    code = (
        "from tasks.language import detect\n"
        "from langdetect import detector_factory\n"
        "assert detect('Der Fluss trat über die Ufer und die Stadt rief den Notstand aus.').language == 'de'\n"
        "print(detector_factory._factory is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
