"""tasks/discover.py: which files a run sees, which it skips, and how it shards the rest."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tasks.discover import discover
from tasks.inputs import InputFile
from tasks.manifest import plan_shards


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("one")
    (tmp_path / "a" / "b" / "two.txt.gz").write_bytes(b"\x1f\x8b")
    (tmp_path / "a" / "b" / "skip.json").write_text("{}")
    (tmp_path / "a" / "notes.md").write_text("x")
    return tmp_path / "a"


def test_discover_finds_txt_and_gz_recursively_with_hashes(tmp_path: Path) -> None:
    files = discover([str(_tree(tmp_path))])
    assert sorted(Path(f.path).name for f in files) == ["one.txt", "two.txt.gz"]
    one = next(f for f in files if f.path.endswith("one.txt"))
    assert one.sha256 == hashlib.sha256(b"one").hexdigest() and one.size == 3
    assert all(Path(f.path).is_absolute() for f in files)


def test_discover_takes_a_file_given_directly_and_counts_it_once(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    files = discover([str(root), str(root / "one.txt")])
    assert len(files) == 2


def _f(name: str, sha: str | None) -> InputFile:
    return InputFile(path=f"/d/{name}", size=1, mtime=0.0, sha256=sha)


def test_plan_skips_unchanged_and_replaces_changed_or_unreadable() -> None:
    files = [_f("same", "s1"), _f("changed", "new"), _f("fresh", "f1"), _f("unreadable", None)]
    committed = {"/d/same": "s1", "/d/changed": "old", "/d/unreadable": None}
    shards, replaced, skipped = plan_shards(files, committed, shard_size=200, workers=2)
    assert skipped == 1
    assert sorted(replaced) == ["/d/changed", "/d/unreadable"]
    assert sorted(f.path for s in shards for f in s) == ["/d/changed", "/d/fresh", "/d/unreadable"]


def test_plan_keeps_every_worker_busy_and_respects_shard_size() -> None:
    files = [_f(f"x{i}", str(i)) for i in range(1000)]
    shards, _, _ = plan_shards(files, {}, shard_size=200, workers=2)
    assert max(len(s) for s in shards) <= 200 and sum(len(s) for s in shards) == 1000
    small, _, _ = plan_shards(files[:10], {}, shard_size=200, workers=2)
    assert len(small) >= 2
