"""tasks/allocator.py: glibc's arena limit, for the flow process and the processes it starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tasks.allocator import ARENA_VARIABLE, glibc, limit_arenas

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(glibc() is None, reason="glibc's mallopt and malloc_stats")

# Eight threads allocate at once, then malloc_stats() (on stderr) lists the arenas they were served from.
_THREADS = """
import ctypes, threading
barrier = threading.Barrier(9)
def work():
    kept = [bytes(4096) for _ in range(2000)]  # > 512 bytes: malloc's, not pymalloc's
    barrier.wait()
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads:
    t.start()
barrier.wait()
ctypes.CDLL("libc.so.6").malloc_stats()
barrier.wait()
for t in threads:
    t.join()
"""


def _arenas(prelude: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != ARENA_VARIABLE}
    done = subprocess.run([sys.executable, "-c", prelude + _THREADS], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return sum(1 for line in done.stderr.splitlines() if line.startswith("Arena "))


def test_importing_the_flows_bounds_the_arenas_of_threads_that_start_later() -> None:
    """The flow's task threads each grew a heap of their own (glibc allows 8 per core): 10,000 dumps, the flow
    process's peak PSS 310 -> 286 MiB with two."""
    assert _arenas("") > 2  # the default: this check can fail
    assert _arenas("import flows\n") <= 2


def test_the_limit_reaches_the_processes_the_flow_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ARENA_VARIABLE, raising=False)
    assert limit_arenas()
    assert os.environ[ARENA_VARIABLE] == "2"  # Prefect's temporary API server and the forkserver inherit it
    code = "import os; print(os.environ.get('MALLOC_ARENA_MAX'))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "2"


def test_a_limit_the_user_chose_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ARENA_VARIABLE, "4")
    assert limit_arenas()
    assert os.environ[ARENA_VARIABLE] == "4"
    monkeypatch.setenv(ARENA_VARIABLE, "many")
    assert not limit_arenas()  # glibc ignores what is not a number; so does this
