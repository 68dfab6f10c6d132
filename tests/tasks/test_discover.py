"""tasks/discover.py: which files a run sees and which entries it skips, with the reason, never opening them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tasks.discover import discover, table_path
from tasks.inputs import InputFile, Skipped

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("one")
    (tmp_path / "a" / "b" / "two.txt.gz").write_bytes(b"\x1f\x8b")
    (tmp_path / "a" / "b" / "skip.json").write_text("{}")
    (tmp_path / "a" / "notes.md").write_text("x")
    return tmp_path / "a"


def _files(found: list) -> list[InputFile]:
    return [f for f in found if isinstance(f, InputFile)]


def _skipped(found: list) -> dict[str, str]:
    return {Path(s.path).name: s.reason for s in found if isinstance(s, Skipped)}


def test_discover_finds_txt_and_gz_recursively_by_stat_only(tmp_path: Path) -> None:
    found = list(discover([str(_tree(tmp_path))]))
    assert [Path(f.path).name for f in found] == ["one.txt", "two.txt.gz"]  # a folder's files, then its folders
    one = found[0]
    assert isinstance(one, InputFile) and one.size == 3 and one.sha256 is None and one.os_path is None
    assert all(Path(f.path).is_absolute() for f in found)


def test_discover_streams(tmp_path: Path) -> None:
    found = discover([str(_tree(tmp_path))])
    assert isinstance(found, Iterator) and Path(next(found).path).name == "one.txt"


def test_discover_takes_a_file_given_directly_whatever_its_name_and_counts_it_once(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    assert len(list(discover([str(root), str(root / "one.txt")]))) == 2
    assert len(list(discover([str(root / "b"), str(root)]))) == 2  # an overlapping source is walked once
    assert [Path(f.path).name for f in discover([str(root / "notes.md")])] == ["notes.md"]


def test_special_files_are_skipped_without_opening(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block discovery forever
    os.mknod(tmp_path / "sock.txt", stat.S_IFSOCK | 0o600)
    os.mkfifo(tmp_path / "pipe.other")  # not a dump name: not a candidate at all
    found = list(discover([str(tmp_path)]))
    assert _skipped(found) == {"pipe.txt": "not_regular", "sock.txt": "not_regular"}
    assert {s.detail for s in found} == {"a FIFO: never opened", "a socket: never opened"}


def test_symlinks_not_followed_by_default(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("outside the root")
    (root / "real.txt").write_text("inside")
    (root / "alias.txt").symlink_to(root / "real.txt")  # inside: the walk lists real.txt anyway
    (root / "out.txt").symlink_to(outside)
    (root / "outdir").symlink_to(tmp_path)
    (root / "loop").symlink_to(root)
    (root / "self.txt").symlink_to(root / "self.txt")
    (root / "broken.txt").symlink_to(root / "missing.txt")
    found = list(discover([str(root)]))
    assert [Path(f.path).name for f in _files(found)] == ["real.txt"]
    assert _skipped(found) == {
        "out.txt": "symlink_outside",
        "outdir": "symlink_loop",  # a parent of the root: walking it would come back here
        "loop": "symlink_loop",
        "self.txt": "symlink_loop",
        "broken.txt": "symlink_broken",
    }


def test_follow_symlinks_follows_links_but_never_a_loop(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    other = tmp_path / "other"
    other.mkdir()
    (other / "far.txt").write_text("far away")
    (root / "sub" / "x.txt").write_text("x")
    (root / "far").symlink_to(other)
    (root / "far_file.txt").symlink_to(other / "far.txt")
    (root / "up").symlink_to(root)
    (root / "sub" / "back").symlink_to(root / "sub")
    found = list(discover([str(root)], follow_symlinks=True))
    files = [f.path for f in _files(found)]
    # far.txt is reached twice (through far/ and far_file.txt): taken once, at its first path in walk order.
    assert [Path(p).name for p in files] == ["far_file.txt", "x.txt"]
    assert _skipped(found) == {"up": "symlink_loop", "back": "symlink_loop"}


def test_strange_names_are_unique_utf8_and_reopenable(tmp_path: Path) -> None:
    names = [b"with space.txt", b"new\nline.txt", b"caf\xe9.txt", b"caf\\xe9.txt", b"back\\slash.txt"]
    for name in names:
        (tmp_path / os.fsdecode(name)).write_bytes(name)
    files = _files(list(discover([str(tmp_path)])))
    assert len(files) == len(names) == len({f.path for f in files})
    for f in files:
        f.path.encode("utf-8")  # what Arrow needs: no lone surrogates
        assert Path(f.fs_path).read_bytes() == os.fsencode(Path(f.fs_path).name)
    by_name = {Path(f.path).name: f for f in files}
    assert by_name["caf\\xe9.txt"].os_path == str(tmp_path / os.fsdecode(b"caf\xe9.txt"))
    assert by_name["caf\\\\xe9.txt"].os_path is not None  # escaped too, so the two can never collide
    assert by_name["with space.txt"].os_path is None and by_name["new\nline.txt"].os_path is None


def test_table_path_leaves_ordinary_paths_alone() -> None:
    assert table_path("/data/dumps/Ünïcode ok.txt") == "/data/dumps/Ünïcode ok.txt"
    assert table_path(os.fsdecode(b"/d/\xff.txt")) == "/d/\\xff.txt"


@pytest.mark.skipif(IS_ROOT, reason="running as root: permission bits are not enforced, the case cannot be built")
def test_unreadable_folder_is_skipped_and_the_walk_goes_on(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.txt").write_text("x")
    (tmp_path / "ok.txt").write_text("x")
    (tmp_path / "locked").chmod(0)
    try:
        found = list(discover([str(tmp_path)]))
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [Path(f.path).name for f in _files(found)] == ["ok.txt"]
    assert _skipped(found) == {"locked": "unreadable_dir"}


def test_a_missing_source_yields_nothing(tmp_path: Path) -> None:
    assert list(discover([str(tmp_path / "gone")])) == []


def test_a_file_vanishing_after_the_listing_is_not_there(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("x")
    found = discover([str(tmp_path)])
    first = next(found)  # the folder is listed; now a later entry goes away before its stat
    (tmp_path / "2.txt").unlink()
    assert [Path(first.path).name] + [Path(f.path).name for f in found] == ["0.txt", "1.txt"]


def test_recorded_paths_lead_back_to_the_files():
    from tasks.discover import os_path_of, table_path

    for name in ["/d/plain.txt", "/d/back\\slash.txt", os.fsdecode(b"/d/caf\xe9.txt"), os.fsdecode(b"/d/\\x41\xff")]:
        assert os_path_of(table_path(name)) == name
