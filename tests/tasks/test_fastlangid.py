"""tasks/fastlangid.py: py3langid's scores with the automaton walk in C, identical to py3langid's own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid.langid import LanguageIdentifier

from tasks.language import _py3langid
from tests.generated import generated_news
from tests.kernel_support import needs_kernels


def _reference_scores(model: LanguageIdentifier, text: str) -> np.ndarray:
    return LanguageIdentifier._raw_score(model, model._encode(text))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [cut for text in generated_news() for cut in (text[:300], text[300:900], text[-80:])]


@needs_kernels
def test_the_walk_runs_in_c() -> None:
    assert _py3langid()._walk is not None


def test_without_the_c_kernels_py3langid_walks(monkeypatch: pytest.MonkeyPatch, texts: list[str]) -> None:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    from tasks.fastlangid import CompiledIdentifier

    monkeypatch.setenv("NEWSPREP_NO_KERNELS", "1")
    plain = CompiledIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    assert plain._walk is None
    assert plain.classify(texts[0]) == LanguageIdentifier.classify(plain, texts[0])


def test_the_same_scores_as_py3langid_on_generated_news(texts: list[str]) -> None:
    model = _py3langid()
    assert len(texts) > 100
    for text in texts:
        got = model._raw_score(model._encode(text))
        want = _reference_scores(model, text)
        assert got.dtype == want.dtype and np.array_equal(got, want), text[:80]
        assert model.classify(text) == LanguageIdentifier.classify(model, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc XYZ.,!éüßАбвあ漢字한국عربيةΑβγ\u0301\n1234")), max_size=200))
def test_the_same_scores_on_odd_text(text: str) -> None:
    model = _py3langid()
    assert np.array_equal(model._raw_score(model._encode(text)), _reference_scores(model, text))


def test_scores_do_not_depend_on_the_text_before(texts: list[str]) -> None:
    """The walk's scratch array is reset after every text."""
    model = _py3langid()
    first = [model._raw_score(model._encode(t)).tolist() for t in texts[:40]]
    again = [model._raw_score(model._encode(t)).tolist() for t in reversed(texts[:40])]
    assert again == list(reversed(first))
