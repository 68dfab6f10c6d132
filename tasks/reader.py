"""Read one discovered file, bounded: whatever the file holds, a worker never takes more than `max_bytes` of it.

The decisions made here are about the file, not its text: too_large (from stat, before reading; or grown past the
limit while read; or a .gz that inflates past it), unreadable, vanished, not_regular (swapped for a FIFO or a
device since discovery), bad_gzip. Whether the bytes are text (binary, undecodable, empty) is tasks/decode.py's.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass

from tasks.decode import DecodeError, gunzip
from tasks.inputs import InputFile, Rejected

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # far above any news page; far below what would strain a worker's memory
_BLOCK = 1 << 20


class ReadError(Rejected):
    """The file cannot be read within the limits (too large, vanished, unreadable, not a regular file)."""


@dataclass(frozen=True)
class Contents:
    """The file's bytes as stored (what its sha256 is of) and as text bytes (inflated when it is a .gz)."""

    raw: bytes
    data: bytes


def read_input(entry: InputFile, max_bytes: int = DEFAULT_MAX_BYTES) -> Contents:
    """The file's contents, at most `max_bytes` stored and inflated; raises ReadError with the reason."""
    raw = _read_bounded(entry.fs_path, max_bytes)
    if not entry.path.endswith(".gz"):
        return Contents(raw, raw)
    try:
        return Contents(raw, gunzip(raw, max_bytes))
    except DecodeError as exc:  # a bad or bomb gzip: reading it failed, whatever decode's view of it
        raise ReadError(exc.reason, exc.detail) from exc


def _read_bounded(path: str, max_bytes: int) -> bytes:
    # O_NONBLOCK: a path swapped for a FIFO since discovery must not block the worker in open().
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(exc) from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("not_regular", "no longer a regular file when read")
        if st.st_size > max_bytes:
            raise ReadError("too_large", f"{st.st_size:,} bytes, over the {max_bytes:,}-byte limit")
        blocks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            block = os.read(fd, min(_BLOCK, max_bytes + 1 - size))
            if not block:
                return b"".join(blocks)
            blocks.append(block)
            size += len(block)
        raise ReadError("too_large", f"grew past the {max_bytes:,}-byte limit while read")
    except OSError as exc:
        raise _os_error(exc) from exc
    finally:
        os.close(fd)


def _os_error(exc: OSError) -> ReadError:
    if exc.errno == errno.ENOENT:
        return ReadError("vanished", "removed between discovery and reading")
    return ReadError("unreadable", f"cannot read: {exc.strerror or exc}")
