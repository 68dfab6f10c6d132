"""The flow process never holds the list of the run's inputs, and no scan statistics once boilerplate is learned
(real Prefect, local mode, real DuckLake): a 200,000-dump run held ~90 MiB of input files through processing and
its commit before (tasks/todo.py, flows/stages.py run_shards and Learned)."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from tasks.boilerplate import LineStats
from tasks.inputs import InputFile

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _alive(kind: type) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


def test_the_commit_runs_without_the_runs_input_files_or_scan_statistics(prefect_local, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from flows import stages
    from flows.ingest import IngestConfig, ingest

    source = tmp_path / "dumps"
    shutil.copytree(SAMPLES, source)
    seen: dict[str, int] = {}
    linking = stages.link_duplicates

    def observed(con, run_id):  # type: ignore[no-untyped-def]
        # Inside the commit's transaction, where the flow no longer needs its inputs: count what is still alive.
        seen.update(inputs=_alive(InputFile), stats=_alive(LineStats))
        return linking(con, run_id)

    held: list[int] = []

    def progress(done: int, total: int) -> None:
        held.append(_alive(InputFile))
        if done == total:  # the last shard: boilerplate was learned long ago
            seen["stats_while_processing"] = _alive(LineStats)

    monkeypatch.setattr(stages, "link_duplicates", observed)
    monkeypatch.setattr(stages, "progress_listeners", [progress])
    before = {"inputs": _alive(InputFile), "stats": _alive(LineStats)}
    result = ingest(IngestConfig(sources=[str(source)], warehouse=str(tmp_path / "wh"), workers=1, shard_size=2))
    assert result["dumps"] + result["rejects"] >= 10, "several shards and a boilerplate scan ran"
    assert seen == {**before, "stats_while_processing": before["stats"]}, (
        "the flow still held the run's input files (at the commit) or the scan's statistics (after learning)")
    # One worker: two shards of two in flight, and the next being read from the todo file.
    assert len(held) >= 5 and max(held) - before["inputs"] <= 3 * 2, (
        f"the flow held {max(held) - before['inputs']} input files while processing {len(held)} shards")


def test_the_window_keeps_at_most_its_tasks_in_flight_and_draws_items_as_they_finish(prefect_local) -> None:
    import threading
    import time

    from prefect import flow, task
    from prefect.task_runners import ThreadPoolTaskRunner

    from flows.stages import in_window

    lock = threading.Lock()
    state = {"running": 0, "most_running": 0, "drawn": 0, "collected": 0, "most_ahead": 0}

    @task
    def work(x: int) -> int:
        with lock:
            state["running"] += 1
            state["most_running"] = max(state["most_running"], state["running"])
        time.sleep(0.05)
        with lock:
            state["running"] -= 1
        return x * x

    def items():  # type: ignore[no-untyped-def]
        for x in range(12):
            state["drawn"] += 1
            state["most_ahead"] = max(state["most_ahead"], state["drawn"] - state["collected"])
            yield x

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=8))
    def windowed() -> dict[int, int]:
        out = {}
        for i, result in in_window(items(), lambda i, x: work.submit(x), 3):
            out[i] = result
            state["collected"] += 1
        return out

    assert windowed() == {x: x * x for x in range(12)}
    assert state["most_running"] <= 3, "more tasks ran at once than the window allows"
    # An item is drawn, then waits for a slot: the window's items and that one are all the flow holds.
    assert state["most_ahead"] <= 3 + 1, f"{state['most_ahead']} items were drawn ahead of their results"


def test_the_flow_process_reads_and_writes_parquet_with_the_system_allocator(tmp_path: Path) -> None:
    """Parquet's reader and writer allocate from Arrow's C++ default pool, fixed when pyarrow loads: importing the
    flows must choose glibc's before that (a fresh interpreter, as `newsprep run` starts)."""
    import os
    import subprocess
    import sys

    code = (
        "import flows.ingest, pyarrow as pa, pyarrow.parquet as pq\n"
        f"pq.write_table(pa.table({{'t': ['row ' * 20] * 20000}}), {str(tmp_path / 't.parquet')!r})\n"
        f"pq.read_table({str(tmp_path / 't.parquet')!r})\n"
        "print(pa.default_memory_pool().backend_name, pa.mimalloc_memory_pool().max_memory())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.split()
    assert out == ["system", "0"], f"mimalloc still served Parquet in the flow process: {out}"
