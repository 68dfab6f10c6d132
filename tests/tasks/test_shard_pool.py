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
