"""Scale-out for real: the ingest flow's shards on a Dask cluster give the same tables as the local process pool.

A `prefect server`, a `dask scheduler` and two `dask worker` processes run on 127.0.0.1 (tests/integration/servers.py
starts them and stops them by PID, also when the test fails). The Dask workers talk to the same server: without
one, each would start its own temporary Prefect API (see the shared PREFECT-NOTES). The flow runs in a subprocess
pointed at the server, once with runner="dask" and once with the default runner, over samples/ into two warehouses.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from schemas.tables import TABLES
from tasks import warehouse as wh
from tests.expectations import SAMPLES
from tests.integration.servers import REPO, dask_cluster, prefect_env, prefect_server, tail

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

# Columns that say when or in which run a row was written: they differ between two runs by design.
RUN_COLUMNS = frozenset({"run_id", "flow_run_id", "started_at", "finished_at"})

RUN_FLOW = """
import json, sys
from flows.ingest import IngestConfig, ingest
result = ingest(IngestConfig(**json.loads(sys.argv[1])))
print(json.dumps({k: result[k] for k in ("dumps", "articles", "rejects", "removed_lines")}))
"""


def run_flow(config: dict, env: dict[str, str], log: Path) -> dict:
    """The ingest flow in a fresh interpreter against the server; its counts, or a failure showing its output."""
    proc = subprocess.run(
        [sys.executable, "-c", RUN_FLOW, json.dumps(config)],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    log.write_text(proc.stdout + proc.stderr)
    assert proc.returncode == 0, f"ingest {config.get('runner', 'local')} exited {proc.returncode}:\n{tail(log, 60)}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table_digests(warehouse: Path) -> dict[str, tuple[int, str]]:
    """Row count and a content hash of every data table, rows sorted, run columns left out."""
    con = wh.connect(warehouse)
    try:
        out = {}
        for name, schema in TABLES.items():
            if name == "runs":
                continue
            cols = ", ".join(f.name for f in schema if f.name not in RUN_COLUMNS)
            rows = con.execute(f"SELECT {cols} FROM {wh.ALIAS}.{name} ORDER BY ALL").fetchall()
            out[name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return out
    finally:
        con.close()


def dask_subflow_runs(api_url: str) -> list:
    """The flow runs of the subflow that hands the shards to the Dask task runner, as the server recorded them."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    with SyncPrefectClient(api_url) as client:
        return client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["process-shards-on-dask"])))


def test_dask_runner_writes_the_same_tables_as_the_local_runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with prefect_server(tmp_path) as api_url:
        # The Dask workers inherit this environment: they report their task runs to the same server.
        monkeypatch.setenv("PREFECT_API_URL", api_url)
        monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "dask-home"))
        env = prefect_env(tmp_path / "client-home", api_url)
        with dask_cluster(n_workers=2) as address:
            on_dask = run_flow(
                {"sources": [str(SAMPLES)], "warehouse": str(tmp_path / "wh-dask"), "workers": 2, "shard_size": 4,
                 "runner": "dask", "dask_address": address},
                env, tmp_path / "flow-dask.log",
            )  # fmt: skip
            from distributed import Client

            with Client(address, timeout=60) as client:
                prefixes = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
        local = run_flow(
            {"sources": [str(SAMPLES)], "warehouse": str(tmp_path / "wh-local"), "workers": 2, "shard_size": 4},
            env, tmp_path / "flow-local.log",
        )  # fmt: skip
        subflows = dask_subflow_runs(api_url)

    assert prefixes, "the Dask scheduler never saw a task: the shards did not run on the cluster"
    assert [r.state_name for r in subflows] == ["Completed"]
    assert on_dask == local
    assert on_dask["dumps"] > 0 and on_dask["articles"] > 0
    dask_tables, local_tables = table_digests(tmp_path / "wh-dask"), table_digests(tmp_path / "wh-local")
    assert dask_tables["articles"][0] == on_dask["articles"]
    assert dask_tables == local_tables
