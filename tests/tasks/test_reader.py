"""tasks/reader.py: one file read within a size limit; every way a file can fail to be read is a reason."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from tasks.inputs import InputFile
from tasks.reader import DEFAULT_MAX_BYTES, ReadError, read_input

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _entry(path: Path) -> InputFile:
    st = path.stat() if path.exists() else None
    return InputFile(str(path), st.st_size if st else 0, st.st_mtime if st else 0.0)


def _reason(entry: InputFile, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_input(entry, max_bytes)
    assert "\n" not in info.value.detail
    return info.value


def test_reads_a_plain_file_and_inflates_a_gz(tmp_path: Path) -> None:
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"hello")
    packed = tmp_path / "b.txt.gz"
    packed.write_bytes(gzip.compress(b"inflated text"))
    assert read_input(_entry(plain)).data == b"hello"
    contents = read_input(_entry(packed))
    assert contents.data == b"inflated text" and contents.raw == packed.read_bytes()


def test_too_large_is_decided_from_stat_on_a_sparse_file(tmp_path: Path) -> None:
    big = tmp_path / "sparse.txt"
    with big.open("wb") as fh:
        fh.truncate(2 << 30)  # 2 GB that take no disk: read whole, this test would take seconds and 2 GB
    error = _reason(_entry(big))
    assert error.reason == "too_large" and "2,147,483,648 bytes" in error.detail


def test_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 101)
    assert _reason(_entry(path), max_bytes=100).reason == "too_large"
    assert len(read_input(_entry(path), max_bytes=101).data) == 101


def test_gz_bomb_is_too_large_and_corrupt_gz_is_bad_gzip(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"\x00" * (8 << 20), 9))
    error = _reason(_entry(bomb), max_bytes=1 << 20)
    assert error.reason == "too_large" and "inflates" in error.detail
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(gzip.compress(b"some text to compress, long enough")[:-8])
    assert _reason(_entry(broken)).reason == "bad_gzip"


def test_vanished_and_not_regular_and_directory(tmp_path: Path) -> None:
    gone = tmp_path / "gone.txt"
    gone.write_text("x")
    entry = _entry(gone)
    gone.unlink()
    assert _reason(entry).reason == "vanished"
    fifo = tmp_path / "swapped.txt"
    os.mkfifo(fifo)  # a regular file at discovery, a FIFO when read: open must not block
    assert _reason(InputFile(str(fifo), 1, 0.0)).reason == "not_regular"
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    assert _reason(InputFile(str(folder), 1, 0.0)).reason == "not_regular"


@pytest.mark.skipif(IS_ROOT, reason="running as root: permission bits are not enforced, the case cannot be built")
def test_permission_denied_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        error = _reason(_entry(path))
    finally:
        path.chmod(0o644)
    assert error.reason == "unreadable" and "Permission denied" in error.detail


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux procfs")
def test_a_file_longer_than_stat_said_is_read_up_to_the_limit_only() -> None:
    # A procfs file is regular and its stat says 0 bytes, like a file stat'ed before it grew: only the bounded
    # read can stop it.
    maps = Path("/proc/self/maps")
    assert maps.stat().st_size == 0
    error = _reason(InputFile(str(maps), 0, 0.0), max_bytes=100)
    assert error.reason == "too_large" and "while read" in error.detail
    assert len(read_input(InputFile(str(maps), 0, 0.0), max_bytes=1 << 20).data) > 100


def test_non_utf8_name_is_opened_through_os_path(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_bytes(b"text")
    entry = InputFile(str(tmp_path / "caf\\xe9.txt"), 4, 0.0, os_path=str(tmp_path / name))
    assert read_input(entry).data == b"text"
