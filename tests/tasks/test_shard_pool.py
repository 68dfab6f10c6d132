"""tasks/shard.py's worker pool: workers fork from a forkserver that has already loaded the models."""

from __future__ import annotations

import multiprocessing
import sys

import pytest

from tasks.shard import shutdown_pool, worker_pool


def _forked_from_preloaded_server() -> bool:
    """True in a worker whose forkserver imported tasks.preload (the pool's initializer never imports it)."""
    return "tasks.preload" in sys.modules and "tasks.fastdetect" in sys.modules


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_workers_fork_with_the_models_the_forkserver_preloaded() -> None:
    shutdown_pool()
    try:
        assert worker_pool(1).submit(_forked_from_preloaded_server).result(timeout=300)
    finally:
        shutdown_pool()


def _pid() -> int:
    import os

    return os.getppid()  # a worker's parent: the forkserver


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_releasing_the_pool_can_stop_the_forkserver_and_a_new_pool_starts_one() -> None:
    import os

    shutdown_pool()
    try:
        server = worker_pool(1).submit(_pid).result(timeout=300)
        os.kill(server, 0)  # alive
        shutdown_pool(stop_forkserver=True)
        with pytest.raises(ProcessLookupError):
            os.kill(server, 0)
        again = worker_pool(1).submit(_pid).result(timeout=300)
        assert again != server
        assert worker_pool(1).submit(_forked_from_preloaded_server).result(timeout=300)
    finally:
        shutdown_pool()


def _arrow_allocator() -> str:
    import pyarrow as pa

    return pa.default_memory_pool().backend_name


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_workers_build_their_tables_with_the_system_allocator() -> None:
    """Arrow's default allocator (mimalloc) kept ~20 MiB more per worker after 10,000 dumps."""
    shutdown_pool()
    try:
        assert worker_pool(1).submit(_arrow_allocator).result(timeout=300) == "system"
    finally:
        shutdown_pool()


def _parquet_writer_allocations(folder: str) -> tuple[int, int]:
    """(bytes mimalloc ever held, bytes the system pool ever held) in a worker after it wrote a Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"text": [f"row {i} " * 20 for i in range(20_000)], "n": list(range(20_000))})
    pq.write_table(table, f"{folder}/t.parquet", compression="zstd")
    return pa.mimalloc_memory_pool().max_memory(), pa.system_memory_pool().max_memory()


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_parquet_writer_in_workers_uses_the_system_allocator_too(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Parquet's writer allocates from Arrow's C++ default pool, not pyarrow's: left to mimalloc, it kept
    ~25-30 MiB of freed pages in each worker. The forkserver starts with the system allocator as that default;
    the variable is set in its environment only."""
    import os

    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    shutdown_pool(stop_forkserver=True)  # a forkserver started before would keep its environment
    try:
        mimalloc, system = worker_pool(1).submit(_parquet_writer_allocations, str(tmp_path)).result(timeout=300)
        assert mimalloc == 0
        assert system > 0
        assert "ARROW_DEFAULT_MEMORY_POOL" not in os.environ
    finally:
        shutdown_pool()


def _private_bytes() -> int:
    with open("/proc/self/smaps_rollup") as fh:
        return sum(int(line.split()[1]) * 1024 for line in fh if line.startswith(("Private_Clean:", "Private_Dirty:")))


def _private_after_a_shard(staging: str) -> tuple[int, int]:
    """(private bytes, private bytes after an empty shard) in a worker whose heap holds ~100 MiB freed in its
    middle (one block in 100 kept alive: glibc's free() only gives back the top of the heap)."""
    from tasks.shard import run_shard

    blocks = [bytes(1024) for _ in range(100_000)]  # > 512 bytes: from malloc, not pymalloc
    kept = blocks[::100]
    del blocks
    before = _private_bytes()
    run_shard(0, [], "run", staging)
    after = _private_bytes()
    del kept
    return before, after


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim, /proc/self/smaps_rollup")
def test_workers_give_back_the_memory_a_shard_freed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """run_shard ends with malloc_trim(0): 20,000 dumps, a worker held ~25 MiB less between shards."""
    shutdown_pool()
    try:
        before, after = worker_pool(1).submit(_private_after_a_shard, str(tmp_path)).result(timeout=300)
        assert before - after > 50 * 2**20, (before >> 20, after >> 20)
    finally:
        shutdown_pool()


def _frozen_and_untracked() -> tuple[int, int]:
    """(objects in the permanent generation, the preloaded module objects a full collection would visit)."""
    import gc

    import tasks.fastdetect

    tracked = {id(o) for o in gc.get_objects()}  # the generations a collection walks: not the permanent one
    return gc.get_freeze_count(), int(id(vars(tasks.fastdetect)) in tracked)


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_workers_inherit_the_preloaded_objects_frozen() -> None:
    """tasks/preload.py freezes what it loaded (gc.freeze): a worker's collections never write to those objects'
    headers, so their pages stay shared with the forkserver (5,000 dumps: pool PSS 364 -> 347 MiB)."""
    shutdown_pool()
    try:
        frozen, visited = worker_pool(1).submit(_frozen_and_untracked).result(timeout=300)
        assert frozen > 10_000, frozen
        assert visited == 0
    finally:
        shutdown_pool()
