"""The run's lists on disk give what the in-memory forms give: the same shards, sample and plan, in the same order."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks import warehouse as wh
from tasks.boilerplate import LineStats, scan_sample, scope_of
from tasks.inputs import InputFile, Skipped
from tasks.manifest import Committed, Planner, cut_shards, plan_files, root_prefixes
from tasks.todo import BATCH_ROWS, Todo, found_with_committed, write_found, write_todo

V = ("rules-1", "0.2.0")


def _files(n: int, folders: int = 3) -> list[InputFile]:
    return [
        InputFile(f"/src/f{i % folders}/dump-{i:05d}.txt", 100 + i, 1_700_000_000.5 + i,
                  sha256=None if i % 4 else f"{i:064x}", os_path=None if i % 7 else f"/src/f{i % folders}/raw-\udcff{i}")
        for i in range(n)
    ]


def test_a_todo_gives_back_every_field_in_order_across_batches(tmp_path: Path) -> None:
    files = _files(BATCH_ROWS + 123)
    todo = write_todo(files, tmp_path / "todo.parquet")
    assert len(todo) == len(files)
    assert list(todo) == files


@pytest.mark.parametrize(("count", "shard_size", "workers"), [(0, 500, 2), (1, 500, 2), (99, 10, 2), (1001, 500, 2),
                                                             (1001, 3, 1), (2500, 1, 4)])
def test_shards_from_disk_are_the_shards_of_the_list(tmp_path: Path, count: int, shard_size: int, workers: int) -> None:
    files = _files(count)
    todo = write_todo(files, tmp_path / "todo.parquet")
    expected = cut_shards(files, shard_size, workers)
    assert list(todo.shards(shard_size, workers)) == expected
    assert todo.shard_count(shard_size, workers) == len(expected)


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=4),
    limit=st.integers(min_value=1, max_value=30),
    part=st.integers(min_value=1, max_value=50),
)
def test_the_sample_on_disk_is_scan_sample_in_parts_of_whole_folders(
    tmp_path_factory: pytest.TempPathFactory, sizes: list[int], limit: int, part: int
) -> None:
    files = [InputFile(f"/site/s{k}/{j:03d}-{k}.txt", 1, 0.0) for k, n in enumerate(sizes) for j in range(n)]
    files.sort(key=lambda f: f.path[::-1])  # folders interleaved, as a walk never lists them
    tmp = tmp_path_factory.mktemp("sample")
    sample = write_todo(files, tmp / "todo.parquet").sample(limit, tmp / "sample.parquet")
    expected = scan_sample(files, limit=limit)
    assert sorted(sample, key=lambda f: f.path) == sorted(expected, key=lambda f: f.path)
    assert len(sample) == len(expected)
    parts = list(sample.parts(part))
    assert [f for p in parts for f in p] == list(sample)
    folders = [{scope_of(f.path) for f in p} for p in parts]
    assert sum(len(f) for f in folders) == len(set().union(*folders)), "a folder was split across scan parts"
    assert all(len(p) < part + limit for p in parts)


def test_boilerplate_learned_part_by_part_is_learned_from_the_whole_sample(tmp_path: Path) -> None:
    nav = "Home | World | Business | Sport"
    texts: dict[str, str] = {}
    for k in range(6):
        for j in range(12 + k):
            title = f"Headline number {j} of folder {k}"
            body = f"Body text {j} of folder {k} says something long enough to read as prose here."
            texts[f"/site/s{k}/{j:03d}.txt"] = f"{nav}\n{title}\n{body}\n{'Share this' if k % 2 else ''}\n"
    files = [InputFile(path, 1, 0.0) for path in sorted(texts, key=lambda p: p[::-1])]
    whole = LineStats()
    for f in files:
        whole.add(f.path, texts[f.path])
    sample = write_todo(files, tmp_path / "todo.parquet").sample(10, tmp_path / "sample.parquet")
    by_parts: dict[str, frozenset[str]] = {}
    for part in sample.parts(7):
        stats = LineStats()
        for f in part:
            stats.add(f.path, texts[f.path])
        by_parts.update(stats.learn())
    sampled = LineStats()
    for f in scan_sample(files, limit=10):
        sampled.add(f.path, texts[f.path])
    assert by_parts == sampled.learn() and by_parts, "learning by whole folders must equal learning on the sample"
    assert {k for k in by_parts} == {scope_of(p) for p in texts}


def test_an_empty_todo(tmp_path: Path) -> None:
    assert list(Todo(None, 0).shards(500, 2)) == [] and len(Todo(None, 0).sample(10, tmp_path / "s.parquet")) == 0
    empty = write_todo([], tmp_path / "todo.parquet")
    assert (len(empty), list(empty), len(empty.sample(10, tmp_path / "s.parquet"))) == (0, [], 0)


def _manifest_db(rows: dict[str, Committed]) -> duckdb.DuckDBPyConnection:
    """A DuckDB database with the warehouse's dumps and rejects columns the plan reads, under the lake's alias."""
    con = duckdb.connect()
    con.execute(f"ATTACH ':memory:' AS {wh.ALIAS}")
    con.execute(f"CREATE TABLE {wh.ALIAS}.dumps (source_path VARCHAR, sha256 VARCHAR, size_bytes BIGINT, "
                "mtime TIMESTAMPTZ, rules_version VARCHAR, pipeline_version VARCHAR)")
    con.execute(f"CREATE TABLE {wh.ALIAS}.rejects (source_path VARCHAR, sha256 VARCHAR, size_bytes BIGINT, "
                "mtime TIMESTAMPTZ, reason VARCHAR)")
    for path, c in rows.items():
        mtime = None if c.mtime is None else c.mtime
        if c.reason is None:
            con.execute(f"INSERT INTO {wh.ALIAS}.dumps VALUES (?, ?, ?, to_timestamp(?), ?, ?)",
                        [path, c.sha256, c.size, mtime, c.rules_version, c.pipeline_version])
        else:
            con.execute(f"INSERT INTO {wh.ALIAS}.rejects VALUES (?, ?, ?, to_timestamp(?), ?)",
                        [path, c.sha256, c.size, mtime, c.reason])
    return con


def test_planning_against_the_warehouse_is_planning_against_the_manifest(tmp_path: Path) -> None:
    root = tmp_path / "src"
    (root / "a").mkdir(parents=True)
    found: list[InputFile | Skipped] = []
    for i in range(8):
        p = root / "a" / f"{i}.txt"
        p.write_text(f"dump {i}")
        st_ = p.stat()
        found.append(InputFile(str(p), st_.st_size, st_.st_mtime))
    found.append(Skipped(str(root / "a" / "fifo.txt"), "not_regular", "a FIFO: never opened"))
    f = found
    committed = {
        f[0].path: Committed("x", f[0].size, f[0].mtime, *V),  # unchanged
        f[1].path: Committed("x", f[1].size, f[1].mtime - 50, *V),  # touched, same content
        f[2].path: Committed("old", 1, f[2].mtime - 50, *V),  # changed
        f[3].path: Committed("x", f[3].size, f[3].mtime, "rules-0", "0.1.0"),  # outdated rules
        f[4].path: Committed("y", f[4].size, f[4].mtime, None, None, reason="binary"),  # a reject stays one
        f[8].path: Committed(None, None, None, reason="not_regular"),  # committed once already
        str(root / "a" / "gone.txt"): Committed("z", 3, 1.0, *V),  # missing from the roots
        str(tmp_path / "elsewhere" / "kept.txt"): Committed("z", 3, 1.0, *V),  # not under the roots
    }
    hashed = {f[1].path: "x", f[2].path: "new", f[3].path: "x"}
    expected = plan_files(found, committed, V, roots=[str(root)], hash_file=hashed.get)

    con = _manifest_db(committed)
    found_file = tmp_path / "found.parquet"
    assert write_found(found, found_file) == len(found)
    planner = Planner(V, hash_file=hashed.get)
    for item, old in found_with_committed(wh.committed_for(con, str(found_file), batch_rows=3)):
        planner.add(item, old)
    planner.plan.missing = wh.missing_paths(con, str(found_file), root_prefixes([str(root)]))
    assert planner.plan == expected
    assert [t.path for t in expected.todo] == [f[2].path, f[3].path, *(x.path for x in f[5:8])]
    assert expected.missing == [str(root / "a" / "gone.txt")] and expected.unchanged == 4


def test_a_path_committed_twice_is_planned_once_as_its_reject(tmp_path: Path) -> None:
    path = str(tmp_path / "a.txt")
    con = _manifest_db({path: Committed("x", 5, 1.0, *V)})
    con.execute(f"INSERT INTO {wh.ALIAS}.rejects VALUES (?, 'y', 5, to_timestamp(1.0), 'binary')", [path])
    found_file = tmp_path / "found.parquet"
    write_found([InputFile(path, 5, 1.0)], found_file)
    pairs = list(found_with_committed(wh.committed_for(con, str(found_file))))
    assert [(item.path, old.reason if old else None) for item, old in pairs] == [(path, "binary")]
