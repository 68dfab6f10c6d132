"""Which discovered files a run must process: the dumps and rejects tables are the manifest of what is committed.

Stat first: a file whose size and mtime match its committed row is skipped without being read. Only a file whose
stat changed is hashed, and only a changed hash (or outdated rules/pipeline versions) makes it new work.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from tasks.inputs import InputFile, Skipped

MTIME_TOLERANCE = 1e-5  # the tables keep microseconds; stat gives nanoseconds


@dataclass(frozen=True)
class Committed:
    """What the warehouse holds for one source path."""

    sha256: str | None
    size: int | None
    mtime: float | None
    rules_version: str | None = None  # None for rejects: a rule change does not make a binary file readable
    pipeline_version: str | None = None
    reason: str | None = None  # set for rejects


@dataclass
class Plan:
    todo: list[InputFile] = field(default_factory=list)
    skipped_new: list[Skipped] = field(default_factory=list)  # discovery's rejects not yet committed as such
    replaced: list[str] = field(default_factory=list)  # paths whose committed rows the new ones replace
    unchanged: int = 0
    hashed: int = 0  # files read in full to compare their content
    outdated: int = 0  # unchanged content, committed by older rules or pipeline
    missing: list[str] = field(default_factory=list)  # committed under these sources, gone from disk


def sha256_file(path: str) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None  # the shard reads it again and records the reason
    return h.hexdigest()


class Planner:
    """Decides, entry by entry, what a run does with what discovery found, given what is committed for its path.
    Files to process go to `todo` (a list, or a spool on disk for a big run: tasks/todo.py)."""

    def __init__(
        self,
        versions: tuple[str, str],
        hash_file: Callable[[str], str | None] = sha256_file,
        max_bytes: int | None = None,
        todo: Callable[[InputFile], None] | None = None,
    ) -> None:
        self.plan = Plan()
        self._versions = versions
        self._hash_file = hash_file
        self._max_bytes = max_bytes
        self._todo = todo or self.plan.todo.append

    def add(self, item: InputFile | Skipped, old: Committed | None) -> None:
        """A changed file over max_bytes is not hashed: the reader rejects it as too large from its size alone."""
        plan = self.plan
        if isinstance(item, Skipped):
            if old is not None and old.reason == item.reason:
                plan.unchanged += 1
                return
            plan.skipped_new.append(item)
        elif old is None:
            self._todo(item)
            return
        elif _same_stat(item, old) and _current(old, self._versions):
            plan.unchanged += 1
            return
        elif self._max_bytes is not None and item.size > self._max_bytes:
            self._todo(item)
        else:
            sha = self._hash_file(item.fs_path)
            plan.hashed += 1
            if sha is not None and sha == old.sha256 and _current(old, self._versions):
                plan.unchanged += 1
                return
            if sha is not None and sha == old.sha256:
                plan.outdated += 1
            self._todo(replace(item, sha256=sha))
        if old is not None:
            plan.replaced.append(item.path)


def plan_files(
    found: Iterable[InputFile | Skipped],
    committed: Mapping[str, Committed],
    versions: tuple[str, str],
    roots: Iterable[str] = (),
    hash_file: Callable[[str], str | None] = sha256_file,
    max_bytes: int | None = None,
) -> Plan:
    """Split what discovery found into work to do and files to skip; list committed files gone from the roots.
    In memory: the flow plans against the warehouse itself, streaming (flows/ingest.py), with the same Planner."""
    planner = Planner(versions, hash_file, max_bytes)
    seen: set[str] = set()
    for item in found:
        seen.add(item.path)
        planner.add(item, committed.get(item.path))
    prefixes = root_prefixes(roots)
    planner.plan.missing = sorted(p for p in committed if p not in seen and prefixes and p.startswith(prefixes))
    return planner.plan


def root_prefixes(roots: Iterable[str]) -> tuple[str, ...]:
    """What every path under the roots starts with (a file given as a root is its own prefix)."""
    return tuple(_prefix(r) for r in roots)


def _same_stat(item: InputFile, old: Committed) -> bool:
    return old.size == item.size and old.mtime is not None and abs(old.mtime - item.mtime) < MTIME_TOLERANCE


def _current(old: Committed, versions: tuple[str, str]) -> bool:
    """Rejects carry no versions: only a changed file is tried again."""
    return old.rules_version is None or (old.rules_version, old.pipeline_version) == versions


def _prefix(root: str) -> str:
    path = os.path.realpath(root)
    return path if os.path.isfile(path) else path.rstrip(os.sep) + os.sep


MAX_SHARDS = 400  # Prefect's UI and event queue stay healthy well under ~1,000 task runs per flow run


# Dumps per shard by default: one Prefect task each. A task run costs the flow and the API server tens of ms of
# CPU; 500 dumps are a few seconds of a worker, so that stays small, and a killed run redoes little.
DEFAULT_SHARD_SIZE = 500


def shard_size_for(count: int, shard_size: int, workers: int) -> int:
    """Shards small enough to keep every worker busy and at most shard_size dumps, unless that would make more
    than MAX_SHARDS tasks: then shards grow instead (a million dumps are 400 shards of 2,500)."""
    return max(1, min(shard_size, -(-count // max(1, workers * 2))), -(-count // MAX_SHARDS))


def cut_shards(todo: list[InputFile], shard_size: int, workers: int) -> list[list[InputFile]]:
    size = shard_size_for(len(todo), shard_size, workers)
    return [todo[i : i + size] for i in range(0, len(todo), size)]


def shard_key(entries: list[InputFile], salt: str) -> str:
    """Content key of a shard's work: the same files (by path, size, mtime) with the same settings stage the same rows.

    A run killed after some shards finished finds their staged output under this key and does not redo it.
    """
    h = hashlib.sha256(salt.encode())
    for e in entries:
        h.update(f"\0{e.path}\0{e.size}\0{e.mtime!r}\0{e.sha256}".encode())
    return h.hexdigest()[:32]
