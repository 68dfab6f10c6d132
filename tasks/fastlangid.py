"""py3langid's identifier with its byte-by-byte automaton walk compiled (numba): the same answers, cheaper.

py3langid scores a text by walking its UTF-8 bytes through an automaton, one Python loop turn per byte, counting
the feature each state emits (`visit_counts`), then summing the log counts against its naive-Bayes table. The
walk was most of its cost in a worker's profile (the paragraph-level language mix calls it ~5 times per long
article). Here the walk runs compiled and returns the features in the order they were first met with their counts,
which is the order and the values `Counter` gives py3langid, so the scoring that follows is py3langid's own
expression on identical arrays (tests/tasks/test_fastlangid.py compares every score). Without numba, or with
NEWSPREP_NO_JIT set, this is py3langid's class unchanged.
"""

from __future__ import annotations

import functools
import os

import numpy as np
from py3langid.langid import LanguageIdentifier


class CompiledIdentifier(LanguageIdentifier):
    """LanguageIdentifier whose `_raw_score` walks the automaton in compiled code."""

    __slots__ = ("_walk", "_nextmove", "_rowbase_array", "_output_array", "_seen")

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._walk = _compiled_walk() if not os.environ.get("NEWSPREP_NO_JIT") else None
        if self._walk is not None:
            self._nextmove = np.frombuffer(self.tk_nextmove, dtype=np.uint32)  # array('I'): no copy
            self._rowbase_array = np.asarray(self._rowbase, dtype=np.int64)
            self._output_array = np.asarray(self.tk_output, dtype=np.int64)
            # Where each feature sits in this text's list, -1 if not met yet; reset after every walk. The walk
            # holds the GIL, so one scratch array per identifier is never used by two threads at once.
            self._seen = np.full(int(self._output_array.max()) + 1, -1, dtype=np.int64)

    def _raw_score(self, text):  # type: ignore[no-untyped-def]
        if self._walk is None:
            return super()._raw_score(text)
        data = np.frombuffer(text, dtype=np.uint8)
        idx = np.empty(len(data), dtype=np.intp)
        counts = np.zeros(len(data), dtype=np.float32)
        found = self._walk(self._nextmove, self._rowbase_array, self._output_array, data, self._seen, idx, counts)
        if not found:
            return super()._raw_score(text)  # no features: py3langid's own floor
        idx, counts = idx[:found], counts[:found]
        return np.log1p(counts) @ self.nb_ptc[idx] + self.nb_pc  # LanguageIdentifier._sparse_score


@functools.cache
def _compiled_walk():  # type: ignore[no-untyped-def]
    try:
        from numba import njit
    except ImportError:
        return None
    return njit(cache=True)(_walk_kernel)


def _walk_kernel(nextmove, rowbase, output, data, seen, idx, counts):  # type: ignore[no-untyped-def]
    """py3langid.langid.visit_counts, keeping Counter's first-seen order; returns how many features were met."""
    state = 0
    found = 0
    for byte in data:
        state = nextmove[rowbase[state] + byte]
        feature = output[state]
        if feature >= 0:
            at = seen[feature]
            if at < 0:
                seen[feature] = found
                idx[found] = feature
                counts[found] = 1.0
                found += 1
            else:
                counts[at] += 1.0
    for i in range(found):
        seen[idx[i]] = -1
    return found
