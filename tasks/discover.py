"""Find the dumps under the sources: the start of every run. Stat only; what to hash is tasks/manifest.py's call.

Streaming: one directory is listed (and sorted, so the order is the same on every run) at a time, and entries
are yielded as found, so 100,000 files cost one directory listing and a set of (device, inode) keys (~60 bytes a
file), not a list of the tree. Entries that are not regular files are never opened: a FIFO would block the reader, a
device could be endless. Symlinks are not followed unless asked; either way a loop is never walked.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator

from tasks.inputs import InputFile, Skipped

PATTERNS = ("*.txt", "*.txt.gz")
_SUFFIXES = tuple(p.removeprefix("*") for p in PATTERNS)
_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}

Found = InputFile | Skipped


def discover(sources: Iterable[str], *, follow_symlinks: bool = False) -> Iterator[Found]:
    """Every dump under the sources (files given directly are taken whatever their name), then the entries
    skipped with their reason. The same file (device, inode) reached twice is taken once, at its first path.

    follow_symlinks=False: a link is never followed; one that leaves its source root or loops is reported,
    one that stays inside is an alias of a file the walk lists anyway. True: links are followed wherever they
    point, except a folder link to its own folder or a parent (a loop).
    """
    seen: set[int] = set()
    for source in sources:
        root = os.path.realpath(os.fsdecode(source))
        try:
            st = os.stat(root)
        except OSError:
            continue  # gone since the run started: not there for this run (the flow checks sources exist first)
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(root, _key(st), seen, follow_symlinks)
        elif _key(st) not in seen:
            seen.add(_key(st))
            yield _found(root, st)


def table_path(os_path: str) -> str:
    """The path as the tables record it: valid UTF-8 (Arrow refuses the lone surrogates Python uses for bytes
    that are not UTF-8) and unique. Such bytes become `\\xNN`, and a backslash `\\\\` so that no real name can
    collide with an escaped one; every other path, the usual case, is unchanged."""
    if "\\" not in os_path:
        try:
            os_path.encode("utf-8")
            return os_path
        except UnicodeEncodeError:
            pass
    return os_path.replace("\\", "\\\\").encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def os_path_of(recorded: str) -> str:
    """The inverse of table_path: the name the filesystem knows, from the path the tables record."""
    if "\\" not in recorded:
        return recorded
    raw, text, i = bytearray(), recorded, 0
    while i < len(text):
        if text[i] == "\\" and text[i + 1 : i + 2] == "\\":
            raw += b"\\"
            i += 2
        elif text[i] == "\\" and text[i + 1 : i + 2] == "x":
            raw.append(int(text[i + 2 : i + 4], 16))
            i += 4
        else:
            raw += text[i].encode("utf-8")
            i += 1
    return os.fsdecode(bytes(raw))


def _walk(root: str, root_key: int, seen: set[int], follow: bool) -> Iterator[Found]:
    """Depth first, iteratively (a hostile tree may be deeper than Python's recursion limit)."""
    if root_key in seen:
        return  # a source inside another source, already walked
    seen.add(root_key)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            yield Skipped(table_path(folder), "unreadable_dir", f"cannot list the folder: {exc.strerror or exc}")
            continue
        subfolders: list[str] = []
        for entry in entries:
            try:
                yield from _entry(entry, root, seen, follow, subfolders)
            except FileNotFoundError:
                continue  # vanished between listing and stat: not there for this run
        stack.extend(reversed(subfolders))


def _entry(entry: os.DirEntry[str], root: str, seen: set[int], follow: bool, subfolders: list[str]
           ) -> Iterator[Found]:
    if entry.is_symlink():
        yield from _link(entry, root, seen, follow, subfolders)
    elif entry.is_dir(follow_symlinks=False):
        key = _key(entry.stat(follow_symlinks=False))
        if key not in seen:
            seen.add(key)
            subfolders.append(entry.path)
    elif entry.name.endswith(_SUFFIXES):
        st = entry.stat(follow_symlinks=False)
        if _key(st) not in seen:
            seen.add(_key(st))
            yield _found(entry.path, st)


def _link(entry: os.DirEntry[str], root: str, seen: set[int], follow: bool, subfolders: list[str]
          ) -> Iterator[Found]:
    wanted = entry.name.endswith(_SUFFIXES)
    try:
        st = os.stat(entry.path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            yield Skipped(table_path(entry.path), "symlink_loop", "the link resolves to itself: a loop")
        elif wanted and exc.errno == errno.ENOENT:
            yield Skipped(table_path(entry.path), "symlink_broken", "the link points to nothing")
        elif wanted:
            yield Skipped(table_path(entry.path), "unreadable", f"cannot follow the link: {exc.strerror or exc}")
        return
    target = os.path.realpath(entry.path)
    is_dir = stat.S_ISDIR(st.st_mode)
    if is_dir and _within(os.path.realpath(os.path.dirname(entry.path)), target):
        yield Skipped(table_path(entry.path), "symlink_loop", "the link points to its own folder or a parent: a loop")
    elif not is_dir and not wanted:
        return
    elif not follow:
        if not _within(target, root):
            yield Skipped(table_path(entry.path), "symlink_outside", "the link points outside the source root")
        # else: an alias of an entry inside the root, which the walk lists under its own name
    elif _key(st) in seen:
        return
    elif is_dir:
        seen.add(_key(st))
        subfolders.append(entry.path)
    else:
        seen.add(_key(st))
        yield _found(entry.path, st)


def _found(path: str, st: os.stat_result) -> Found:
    if stat.S_ISREG(st.st_mode):
        shown = table_path(path)
        return InputFile(shown, st.st_size, st.st_mtime, os_path=None if shown == path else path)
    kind = _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
    return Skipped(table_path(path), "not_regular", f"{kind}: never opened")


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _key(st: os.stat_result) -> int:
    """(device, inode) as one int: the walk keeps one per file, and a tuple of two ints is three objects."""
    return st.st_dev << 64 | st.st_ino
