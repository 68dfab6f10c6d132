"""The C kernels (tasks/_kernels.c, built by `pip install` through setup.py), loaded with ctypes: langdetect's
random trials, py3langid's automaton walk and datasketch's MinHash update, each the same operations as its Python
version (tests/tasks/test_fastdetect.py, test_fastlangid.py and test_dedup.py compare them).

`available()` is False when the library was not built (no C compiler at install) or NEWSPREP_NO_KERNELS is set;
callers then run the Python loops, which give the same answers more slowly.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.machinery
import os
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parent
_P = ctypes.c_void_p
_I64 = ctypes.c_int64
_F64 = ctypes.c_double


def _path() -> Path | None:
    if os.environ.get("NEWSPREP_NO_KERNELS"):
        return None
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = _HERE / f"_kernels{suffix}"
        if path.is_file():
            return path
    return None


def _load(loader: type[ctypes.CDLL]) -> ctypes.CDLL | None:
    path = _path()
    if path is None:
        return None
    lib = loader(str(path))
    lib.newsprep_trials.restype = ctypes.c_int
    lib.newsprep_trials.argtypes = [_P, _I64, _P, _I64, _P, _I64, _P, _P, _I64, _F64, _F64, _F64, _F64, _I64,
                                    ctypes.c_int, _P, _P]  # fmt: skip
    lib.newsprep_minhash.restype = None
    lib.newsprep_minhash.argtypes = [_P, _I64, _P, _P, _I64, _P]
    lib.newsprep_walk.restype = _I64
    lib.newsprep_walk.argtypes = [_P, _P, _P, ctypes.c_char_p, _I64, _P, _P, _P]
    return lib


@functools.cache
def _library() -> ctypes.CDLL | None:
    """For the trials and MinHash, called without the GIL (each call has its own buffers)."""
    return _load(ctypes.CDLL)


@functools.cache
def _library_with_gil() -> ctypes.CDLL | None:
    """For the walk, called holding the GIL: it shares one scratch array per model between calls."""
    return _load(ctypes.PyDLL)


def available() -> bool:
    return _path() is not None


def _address(array: np.ndarray) -> int:
    return array.__array_interface__["data"][0]


class Trials:
    """langdetect's trials over one profile matrix and one random stream (tasks/fastdetect.py)."""

    def __init__(self, matrix: np.ndarray, words: np.ndarray, gauss: np.ndarray, kept: np.ndarray,
                 compensated: bool) -> None:  # fmt: skip
        assert matrix.dtype == np.float64 and matrix.flags.c_contiguous
        assert words.dtype == np.uint32 and gauss.dtype == kept.dtype == np.float64
        self._keep = (matrix, words, gauss, kept)  # the C code reads these buffers: keep them alive
        self._lib = _library()
        self._count = matrix.shape[1]
        self._addresses = (_address(matrix), _address(words), _address(gauss), _address(kept))
        self._end = len(words)
        self._compensated = int(compensated)

    def run(self, rows: np.ndarray, n_trial: int, alpha: float, alpha_width: float, base_freq: float,
            threshold: float, limit: int) -> list[float] | None:  # fmt: skip
        """The summed probabilities per language, or None when the text would read past the stream."""
        assert rows.dtype == np.int32 and rows.flags.c_contiguous
        out = np.zeros(self._count, dtype=np.float64)
        scratch = np.empty(self._count, dtype=np.float64)
        matrix, words, gauss, kept = self._addresses
        ok = self._lib.newsprep_trials(_address(rows), len(rows), matrix, self._count, words, self._end, gauss, kept,
                                       n_trial, alpha, alpha_width, base_freq, threshold, limit, self._compensated,
                                       _address(out), _address(scratch))  # fmt: skip
        return out.tolist() if ok else None


class Walk:
    """py3langid's automaton over one model (tasks/fastlangid.py); the GIL is held during a walk, so two threads
    never share the scratch array at once."""

    def __init__(self, nextmove: np.ndarray, rowbase: np.ndarray, output: np.ndarray) -> None:
        assert nextmove.dtype == np.uint32 and rowbase.dtype == output.dtype == np.int64
        self._lib = _library_with_gil()
        self._seen = np.full(int(output.max()) + 1, -1, dtype=np.int64)
        self._keep = (nextmove, rowbase, output)
        self._addresses = (_address(nextmove), _address(rowbase), _address(output), _address(self._seen))

    def features(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices in first-met order, their counts as float32)."""
        idx = np.empty(len(data), dtype=np.intp)
        counts = np.empty(len(data), dtype=np.float32)
        nextmove, rowbase, output, seen = self._addresses
        found = self._lib.newsprep_walk(nextmove, rowbase, output, data, len(data), seen, _address(idx),
                                        _address(counts))  # fmt: skip
        return idx[:found], counts[:found]


def minhash(values: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """min over values of a*fmix32(value) + b per permutation (uint32, wrapping), as datasketch's affine32 scheme."""
    assert a.dtype == b.dtype == np.uint32 and a.flags.c_contiguous and b.flags.c_contiguous
    values = np.ascontiguousarray(values, dtype=np.uint64)
    out = np.empty(len(a), dtype=np.uint32)
    _library().newsprep_minhash(_address(values), len(values), _address(a), _address(b), len(a), _address(out))  # type: ignore[union-attr]
    return out
