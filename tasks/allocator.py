"""glibc malloc's knobs, for processes that live through a whole run: give freed pages back, and bound the number
of heaps (arenas) that threads spread their allocations over. No-ops where the C library is not glibc.

Imports nothing heavy: flows/__init__.py calls `limit_arenas` before Prefect, DuckDB or pyarrow load."""

from __future__ import annotations

import ctypes
import functools
import os

# mallopt's parameter number for the most arenas (malloc.h: M_ARENA_MAX).
M_ARENA_MAX = -8
# The variable glibc reads at a process's start for the same limit: children inherit it (Prefect's temporary API
# server, the forkserver and the pool's workers).
ARENA_VARIABLE = "MALLOC_ARENA_MAX"
# Two heaps are plenty for a process whose threads mostly wait (the flow's task threads, Prefect's client, the API
# server): glibc's default is 8 per core, and every thread that allocates in a new one keeps its pages.
FLOW_ARENAS = 2


@functools.cache
def glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:  # not glibc (musl, macOS)
        return None


def release_free_memory() -> bool:
    """Give the pages glibc's malloc holds free back to the system (malloc_trim(0)); True if some were.

    Called after each shard: what the shard's dumps, rows, tables and Parquet writer freed stays in the worker's
    heap otherwise. 20,000 dumps, 2 workers: a worker's private memory between shards ~105 MiB instead of ~130
    (its peak within a shard ~5 MiB lower, the pool's PSS peak ~16 MiB lower), for ~2 ms a shard and ~10 more
    page faults a dump when the heap grows again (<1% of a dump's CPU)."""
    libc = glibc()
    return bool(libc is not None and libc.malloc_trim(0))


def limit_arenas(arenas: int = FLOW_ARENAS) -> bool:
    """Bound this process's malloc arenas (for threads that start later) and, through MALLOC_ARENA_MAX, its
    children's; a limit the user set in the environment wins. True if this process's limit was set.

    10,000 dumps, benchmarks/memory.py: the flow process's peak 310 -> 286 MiB PSS: its task threads each grew a
    heap of their own, freed and refilled as shards came and went."""
    chosen = os.environ.setdefault(ARENA_VARIABLE, str(arenas))
    libc = glibc()
    try:
        return bool(libc is not None and libc.mallopt(M_ARENA_MAX, int(chosen)))
    except ValueError:  # the user's variable is not a number: glibc ignores it too
        return False
