"""flows.stages.warm_pool: the forkserver starts loading the models while the flow is still planning."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from flows.stages import ProcessingOptions, warm_pool
from tasks import shard


def _forkserver_pid() -> int | None:
    from multiprocessing import forkserver

    return getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_warming_starts_the_forkserver_without_waiting_for_its_models() -> None:
    shard.shutdown_pool(stop_forkserver=True)
    try:
        started = time.perf_counter()
        warm_pool(ProcessingOptions(workers=2))
        took = time.perf_counter() - started
        assert _forkserver_pid() is not None  # loading the models, in its own process
        assert took < 1.0, f"warm_pool waited {took:.2f} s: the preload (~1.5-2 s) should run behind it"
        assert shard._pool is not None and shard._pool_size == 2
        assert not shard._pool._processes  # no worker forked yet: that would wait for the preload
        pool = shard._pool
        warm_pool(ProcessingOptions(workers=2))
        assert shard._pool is pool  # a warm pool is kept
        assert shard._pool.submit(sum, [1, 2]).result(timeout=300) == 3
    finally:
        shard.shutdown_pool()


def test_a_dask_run_starts_no_local_pool() -> None:
    shard.shutdown_pool()
    warm_pool(ProcessingOptions(runner="dask", dask_address="tcp://127.0.0.1:1"))
    assert shard._pool is None
