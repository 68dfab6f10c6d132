"""What discovery hands to the rest of the run: files to read, and entries that were never read, with the reason.

Paths: `path` is what the tables record, always valid UTF-8 (tasks/discover.py: table_path); a name that is not
valid UTF-8 is recorded escaped, and `os_path` keeps the name the filesystem knows, to open the file again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InputFile:
    """A regular file found under a source: its path as the tables record it, and what stat said. (Slots: a run
    holds one per file to process, and an instance dict would double each one's size.)"""

    path: str
    size: int
    mtime: float
    sha256: str | None = None  # known once hashed; new files are hashed by the worker that reads them
    os_path: str | None = None  # set when it differs from `path` (a name that is not valid UTF-8)

    @property
    def fs_path(self) -> str:
        """The path to open: the filesystem's own name, which `path` may have escaped."""
        return self.os_path or self.path


class Rejected(Exception):
    """A file newsprep cannot take; `reason` is the reject reason, `detail` one line for the rejects table."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Skipped:
    """An entry discovery did not open (a FIFO, a symlink leaving the source, ...): it becomes a reject row."""

    path: str
    reason: str
    detail: str
    size: int | None = None
