"""py3langid's identifier with its byte-by-byte automaton walk in C: the same answers, cheaper.

py3langid scores a text by walking its UTF-8 bytes through an automaton, one Python loop turn per byte, counting
the feature each state emits (`visit_counts`), then summing the log counts against its naive-Bayes table. The
walk was most of its cost in a worker's profile (the paragraph-level language mix calls it ~5 times per long
article). Here the walk runs in C (tasks/_kernels.c) and returns the features in the order they were first met
with their counts, which is the order and the values `Counter` gives py3langid, so the scoring that follows is
py3langid's own expression on identical arrays (tests/tasks/test_fastlangid.py compares every score). Without
the C kernels (no compiler at install, or NEWSPREP_NO_KERNELS set) this is py3langid's class unchanged.
"""

from __future__ import annotations

import numpy as np
from py3langid.langid import LanguageIdentifier


class CompiledIdentifier(LanguageIdentifier):
    """LanguageIdentifier whose `_raw_score` walks the automaton in C."""

    __slots__ = ("_walk",)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        from tasks.kernels import Walk, available

        self._walk = None
        if available():
            # The walk holds the GIL during a call, and its scratch array is reset after every text.
            self._walk = Walk(np.frombuffer(self.tk_nextmove, dtype=np.uint32),  # array('I'): no copy
                              np.asarray(self._rowbase, dtype=np.int64), np.asarray(self.tk_output, dtype=np.int64))

    def _raw_score(self, text):  # type: ignore[no-untyped-def]
        if self._walk is None:
            return super()._raw_score(text)
        idx, counts = self._walk.features(bytes(text))
        if not len(idx):
            return super()._raw_score(text)  # no features: py3langid's own floor
        return np.log1p(counts) @ self.nb_ptc[idx] + self.nb_pc  # LanguageIdentifier._sparse_score
