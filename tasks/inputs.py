"""What discovery hands to the rest of the run: files to read, and entries that were never read, with the reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputFile:
    """A regular file found under a source: its path as the tables record it, and what stat said."""

    path: str
    size: int
    mtime: float
    sha256: str | None = None  # known once hashed; new files are hashed by the worker that reads them


@dataclass(frozen=True)
class Skipped:
    """An entry discovery did not open (a FIFO, a symlink leaving the source, ...): it becomes a reject row."""

    path: str
    reason: str
    detail: str
    size: int | None = None
