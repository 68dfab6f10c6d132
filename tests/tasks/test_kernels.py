"""tasks/kernels.py: the C kernels are built by the install, and `newsprep doctor` says when they are not."""

from __future__ import annotations

import pytest

from tasks import doctor, kernels
from tests.kernel_support import needs_kernels


@needs_kernels
def test_the_install_built_the_kernels() -> None:
    assert kernels.available()
    assert doctor.check_kernels().ok


def test_doctor_warns_without_failing_when_the_kernels_are_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSPREP_NO_KERNELS", "1")
    assert not kernels.available()
    check = doctor.check_kernels()
    assert not check.ok and not check.required and "NEWSPREP_NO_KERNELS" in check.detail
    assert not doctor.failed([check])


@needs_kernels
def test_minhash_is_the_minimum_of_the_affine_permutations() -> None:
    import numpy as np

    values = np.array([1, 2, 3, 2**32 - 1, 12345], dtype=np.uint64)
    a = np.array([3, 0xFFFFFFFF, 7], dtype=np.uint32)
    b = np.array([0, 5, 0xFFFFFFF0], dtype=np.uint32)
    h = values.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    assert kernels.minhash(values, a, b).tolist() == (h[:, None] * a + b).min(axis=0).tolist()
