"""The flow process never holds the list of the run's inputs, and no scan statistics once boilerplate is learned
(real Prefect, local mode, real DuckLake): a 200,000-dump run held ~90 MiB of input files through processing and
its commit before (tasks/todo.py, flows/stages.py run_shards, MergedStats)."""

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
