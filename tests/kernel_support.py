"""Tests of the C kernels run wherever they could be built: with a C compiler on the machine, kernels that are
missing fail the tests; with none (a fresh machine with only Python), those tests skip and say why, and every
other test runs the Python loops, which give the same answers."""

from __future__ import annotations

import shutil

import pytest

from tasks import kernels

NO_COMPILER = not kernels.available() and not any(shutil.which(cc) for cc in ("cc", "gcc", "clang"))
needs_kernels = pytest.mark.skipif(NO_COMPILER, reason="no C compiler here: the C kernels were not built at "
                                   "install, the Python loops run (same results, slower)")
