"""The manifest decides what a run does: stat first, hash only when the stat changed, versions matter for dumps."""

from __future__ import annotations

from pathlib import Path

from tasks.inputs import InputFile, Skipped
from tasks.manifest import MAX_SHARDS, Committed, cut_shards, plan_files, shard_key

V = ("rules-1", "0.2.0")


def _file(tmp_path: Path, name: str, text: str) -> InputFile:
    p = tmp_path / name
    p.write_text(text)
    st = p.stat()
    return InputFile(str(p), st.st_size, st.st_mtime)


def _committed(f: InputFile, sha: str | None, versions=V, reason=None) -> Committed:
    return Committed(sha, f.size, f.mtime, *(versions if reason is None else (None, None)), reason=reason)


def test_unchanged_stat_is_skipped_without_hashing(tmp_path):
    f = _file(tmp_path, "a.txt", "hello")
    hashed = []
    plan = plan_files([f], {f.path: _committed(f, "x")}, V, hash_file=lambda p: hashed.append(p) or "x")
    assert (plan.todo, plan.unchanged, hashed) == ([], 1, [])


def test_new_file_is_work_and_not_hashed_here(tmp_path):
    f = _file(tmp_path, "a.txt", "hello")
    plan = plan_files([f], {}, V, hash_file=lambda p: 1 / 0)
    assert plan.todo == [f] and plan.replaced == []


def test_touched_file_with_same_content_is_hashed_then_skipped(tmp_path):
    f = _file(tmp_path, "a.txt", "hello")
    old = Committed("same", f.size, f.mtime - 100, *V)
    plan = plan_files([f], {f.path: old}, V, hash_file=lambda p: "same")
    assert (plan.todo, plan.unchanged, plan.hashed) == ([], 1, 1)


def test_changed_content_replaces_the_committed_rows(tmp_path):
    f = _file(tmp_path, "a.txt", "hello again")
    old = Committed("old", 5, f.mtime - 100, *V)
    plan = plan_files([f], {f.path: old}, V, hash_file=lambda p: "new")
    assert [t.path for t in plan.todo] == [f.path] and plan.todo[0].sha256 == "new"
    assert plan.replaced == [f.path]


def test_outdated_versions_are_redone_rejects_are_not(tmp_path):
    dump = _file(tmp_path, "a.txt", "hello")
    rej = _file(tmp_path, "b.txt", "\0\0")
    committed = {dump.path: _committed(dump, "x", ("rules-0", "0.1.0")), rej.path: _committed(rej, "y", reason="binary")}
    plan = plan_files([dump, rej], committed, V, hash_file=lambda p: "x")
    assert [t.path for t in plan.todo] == [dump.path] and plan.outdated == 1 and plan.unchanged == 1


def test_skipped_entries_are_committed_once(tmp_path):
    s = Skipped(str(tmp_path / "fifo.txt"), "not_regular", "a FIFO")
    first = plan_files([s], {}, V)
    again = plan_files([s], {s.path: Committed(None, None, None, reason="not_regular")}, V)
    assert first.skipped_new == [s] and again.skipped_new == [] and again.unchanged == 1


def test_missing_files_are_those_under_the_roots_only(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    kept = _file(tmp_path / "a", "x.txt", "x")
    gone = str(tmp_path / "a" / "gone.txt")
    other = str(tmp_path / "b" / "other.txt")
    committed = {kept.path: _committed(kept, "x"), gone: Committed("g", 1, 0.0, *V), other: Committed("o", 1, 0.0, *V)}
    plan = plan_files([kept], committed, V, roots=[str(tmp_path / "a")])
    assert plan.missing == [gone]


def test_shards_keep_every_worker_busy():
    files = [InputFile(f"/d/{i}.txt", 1, 0.0) for i in range(100)]
    assert [len(s) for s in cut_shards(files, 200, 2)] == [25] * 4
    assert max(len(s) for s in cut_shards(files, 10, 2)) == 10
    assert cut_shards([], 200, 2) == []
    many = [InputFile(f"/d/{i}.txt", 1, 0.0) for i in range(100_000)]
    assert len(cut_shards(many, 200, 2)) <= MAX_SHARDS


def test_shard_key_follows_content_and_settings():
    a = [InputFile("/d/1.txt", 10, 1.0)]
    assert shard_key(a, "s") == shard_key(list(a), "s")
    assert shard_key(a, "s") != shard_key(a, "t")
    assert shard_key(a, "s") != shard_key([InputFile("/d/1.txt", 11, 1.0)], "s")
    assert len({shard_key([InputFile(f"/d/{i}", 1, 0.0)], "s") for i in range(50)}) == 50


def test_hash_file_reads_the_bytes(tmp_path):
    from tasks.manifest import sha256_file

    p = tmp_path / "a.txt"
    p.write_bytes(b"abc")
    assert sha256_file(str(p)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256_file(str(tmp_path / "nope")) is None


def test_a_changed_file_over_the_limit_is_not_hashed(tmp_path):
    f = _file(tmp_path, "big.txt", "x" * 100)
    old = Committed("old", 5, f.mtime - 100, *V)
    plan = plan_files([f], {f.path: old}, V, hash_file=lambda p: 1 / 0, max_bytes=50)
    assert plan.todo == [f] and plan.hashed == 0 and plan.replaced == [f.path]
