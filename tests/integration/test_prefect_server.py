"""The Prefect side for real: `prefect server start`, a process work pool, `prefect deploy --all`, a worker, a run.

One server for the module (it takes 15-50 s to start here): deploy from prefect.yaml, trigger the ingest deployment
on a copy of samples/ plus two bad files, let the worker run it, then check through the Prefect client what a user
sees in the UI (state, run name, task runs, artifacts) and through DuckDB what landed in the warehouse.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

import pytest

from flows.serve import load_specs, schedules_of
from tasks import warehouse as wh
from tests.expectations import SAMPLES
from tests.integration.servers import BIN, REPO, prefect_env, prefect_server, prefect_worker, start, stop, tail

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

POOL = "newsprep-process"
RUN_TIMEOUT = 600.0
NEWSPREP_SERVE = [str(Path(sys.executable).with_name("newsprep")), "serve"]


@dataclass
class Stack:
    api_url: str
    client: object  # SyncPrefectClient, imported lazily like the rest of Prefect
    root: Path
    started: float
    timings: dict[str, float] = field(default_factory=dict)


def prefect_cli(env: dict[str, str], *args: str) -> str:
    """Run the `prefect` command from the repository root, as the docs tell a user to; fail with its output."""
    proc = subprocess.run([str(BIN / "prefect"), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"prefect {' '.join(args)} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def wait_final(stack: Stack, flow_run_id: UUID, log: Path):
    """Poll the flow run until it reaches a final state; on timeout, show the log of what runs it."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        run = stack.client.read_flow_run(flow_run_id)  # type: ignore[attr-defined]
        if run.state is not None and run.state.is_final():
            return run
        if time.monotonic() > deadline:
            pytest.fail(f"flow run still {run.state_name} after {RUN_TIMEOUT:.0f} s; {log.name}:\n{tail(log, 60)}")
        time.sleep(1.0)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from prefect.client.orchestration import SyncPrefectClient

    root = tmp_path_factory.mktemp("prefect-server")
    started = time.monotonic()
    with prefect_server(root) as api_url:
        timings = {"server healthy": time.monotonic() - started}
        # PWD is what prefect.yaml's "{{ $PWD }}" resolves to: a shell in the repository root would set it so.
        env = prefect_env(root / "cli-home", api_url, PWD=str(REPO))
        prefect_cli(env, "work-pool", "create", POOL, "--type", "process")
        prefect_cli(env, "--no-prompt", "deploy", "--all")
        timings["pool and deployments"] = time.monotonic() - started
        with SyncPrefectClient(api_url) as client:
            stack = Stack(api_url, client, root, started, timings)
            yield stack
    print("\nprefect server test timings (s from `prefect server start`): "
          + ", ".join(f"{k} {v:.1f}" for k, v in stack.timings.items()))


@pytest.fixture(scope="module")
def ingest_run(stack, tmp_path_factory):
    """One run of the ingest deployment on samples/ plus an empty and a binary file, into a fresh warehouse."""
    root = tmp_path_factory.mktemp("ingest-run")
    source = root / "dumps"
    shutil.copytree(SAMPLES, source)
    (source / "empty.txt").write_bytes(b"")
    (source / "binary.txt").write_bytes(bytes(range(256)) * 8)
    warehouse = root / "warehouse"
    deployment = stack.client.read_deployment_by_name("ingest/ingest-hourly")
    config = {"sources": [str(source)], "warehouse": str(warehouse), "workers": 2, "shard_size": 5}
    log = stack.root / "worker.log"
    # The worker polls every 2 s instead of 15 s, so the test does not wait for the run to be picked up.
    settings = {"PREFECT_WORKER_QUERY_SECONDS": "2"}
    with prefect_worker(stack.api_url, POOL, home=stack.root / "worker-home", log=log, settings=settings):
        created = stack.client.create_flow_run_from_deployment(deployment.id, parameters={"config": config})
        run = wait_final(stack, created.id, log)
        stack.timings["ingest run final"] = time.monotonic() - stack.started
    return run, source, warehouse, log


def test_deployments_are_the_ones_of_prefect_yaml(stack) -> None:
    """What `prefect deploy --all` registered is what prefect.yaml says, and what `newsprep serve` would serve."""
    for spec in load_specs():
        flow_name = spec["entrypoint"].rpartition(":")[2]
        deployment = stack.client.read_deployment_by_name(f"{flow_name}/{spec['name']}")
        assert deployment.work_pool_name == POOL
        assert deployment.parameters == spec["parameters"]
        assert sorted(s.schedule.cron for s in deployment.schedules) == sorted(s.cron for s in schedules_of(spec))
        assert deployment.global_concurrency_limit is not None and deployment.global_concurrency_limit.limit == 1
        assert deployment.concurrency_options.collision_strategy == "ENQUEUE"
        assert deployment.enforce_parameter_schema
        assert deployment.job_variables["working_dir"] == str(REPO)
    ingest = stack.client.read_deployment_by_name("ingest/ingest-hourly")
    assert [s.schedule.cron for s in ingest.schedules] == ["0 * * * *"]


def test_ingest_run_completes_with_a_readable_name(stack, ingest_run) -> None:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    run, _, _, log = ingest_run
    assert run.state.is_completed(), f"{run.state_name}: {run.state.message}\n{tail(log, 60)}"
    assert run.name.startswith("ingest-dumps-")
    assert {"newsprep", "ingest"} <= set(run.tags)
    task_runs = stack.client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
    assert task_runs and all(t.state.is_completed() for t in task_runs)
    # 15 samples + 2 bad files in shards of 5: at least 4 process-shard tasks, one per shard.
    assert sum(t.task_key.startswith("process") or t.name.startswith("process-shard") for t in task_runs) >= 4


def _artifacts(stack, run) -> dict[str, object]:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    found = stack.client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
    return {a.key: a for a in found if a.key}


def _summary_row(markdown: str) -> dict[str, int]:
    """The report's counts table (`| inputs seen | ... |` and its one row of numbers) as a dict."""
    lines = markdown.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("| inputs seen"))
    names = [c.strip() for c in lines[head].strip("|").split("|")]
    values = [int(c) for c in lines[head + 2].strip("|").split("|")]
    return dict(zip(names, values, strict=True))


def test_artifacts_agree_with_the_warehouse(stack, ingest_run) -> None:
    run, source, warehouse, _ = ingest_run
    con = wh.connect(warehouse, read_only=True)
    try:
        articles, dumps, rejects = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "dumps", "rejects"))
        reject_rows = dict(con.execute("SELECT source_path, reason FROM rejects").fetchall())
    finally:
        con.close()
    artifacts = _artifacts(stack, run)
    assert {"ingest-report", "ingest-rejects", "ingest-progress", "ingest-warehouse"} <= set(artifacts)

    report = artifacts["ingest-report"]
    assert report.type == "markdown"
    counts = _summary_row(report.data)
    assert counts["inputs seen"] == len(list(source.iterdir())) == 17
    assert (counts["dumps"], counts["articles"], counts["rejected"]) == (dumps, articles, rejects)

    table = artifacts["ingest-rejects"]
    assert table.type == "table"
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert sorted(Path(r["file"]).name for r in rows) == ["binary.txt", "empty.txt"]
    assert {r["reason"] for r in rows} == set(reject_rows.values()) == {"binary", "empty"}

    progress = artifacts["ingest-progress"]
    assert progress.type == "progress" and float(progress.data) == 100.0
    # Prefect 3 stores a link artifact as markdown: [text](url).
    link = artifacts["ingest-warehouse"]
    assert f"]({warehouse.resolve().as_uri()}" in link.data, link.data


def test_tables_hold_the_samples(ingest_run) -> None:
    _, _, warehouse, _ = ingest_run
    samples = sorted(p.name for p in SAMPLES.iterdir())
    con = wh.connect(warehouse, read_only=True)
    try:
        dumped = sorted(Path(p).name for (p,) in con.execute("SELECT source_path FROM dumps").fetchall())
        languages = {lang for (lang,) in con.execute("SELECT DISTINCT language FROM articles").fetchall()}
        orphans = con.execute("SELECT count(*) FROM articles WHERE dump_id NOT IN (SELECT dump_id FROM dumps)").fetchone()[0]
    finally:
        con.close()
    assert dumped == samples
    assert {"en", "es", "de", "fr", "pt", "zh"} <= languages
    assert orphans == 0


def test_a_bad_parameter_is_refused_with_the_field_and_the_bound(stack) -> None:
    """workers=0 breaks the pydantic bound: the server refuses the run at creation, naming the field."""
    from prefect.exceptions import PrefectHTTPStatusError

    deployment = stack.client.read_deployment_by_name("ingest/ingest-hourly")
    with pytest.raises(PrefectHTTPStatusError) as refused:
        stack.client.create_flow_run_from_deployment(deployment.id, parameters={"config": {"workers": 0}})
    message = refused.value.response.json()["detail"]
    assert "workers" in message and "minimum of 1" in message, message


def test_serve_runs_the_deployment_of_prefect_yaml_without_a_worker(stack, ingest_run, tmp_path) -> None:
    """`newsprep serve` from another folder takes over ingest-hourly (after the worker's run) and runs it itself."""
    log = tmp_path / "serve.log"
    proc = start([*NEWSPREP_SERVE, "--deployment", "ingest-hourly"], prefect_env(tmp_path / "home", stack.api_url), log, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 180
        # Served deployments import the flow as a module, so the entrypoint says who registered it last.
        while (deployment := stack.client.read_deployment_by_name("ingest/ingest-hourly")).entrypoint != "flows.ingest.ingest":
            assert proc.poll() is None and time.monotonic() < deadline, f"serve did not register:\n{tail(log)}"
            time.sleep(1.0)
        assert [s.schedule.cron for s in deployment.schedules] == ["0 * * * *"]
        assert deployment.global_concurrency_limit is not None and deployment.global_concurrency_limit.limit == 1
        warehouse = tmp_path / "warehouse"
        config = {"sources": [str(SAMPLES)], "warehouse": str(warehouse), "workers": 2}
        run = wait_final(stack, stack.client.create_flow_run_from_deployment(deployment.id, parameters={"config": config}).id, log)
        assert run.state.is_completed(), f"{run.state_name}: {run.state.message}\n{tail(log, 60)}"
    finally:
        stop(proc)
    con = wh.connect(warehouse, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM dumps").fetchone()[0] == len(list(SAMPLES.iterdir()))
    finally:
        con.close()
