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
