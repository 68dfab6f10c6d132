"""`newsprep server start`, a `newsprep run` that the server records, `newsprep server stop`: as a user runs them.

The server runs on a free loopback port with a temporary Prefect home; whatever happens, the test kills its process
group at the end (the state file names the PID), so a failure leaves no server behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import pytest

from flows.cli_server import STATE_FILE
from tests.expectations import SAMPLES
from tests.integration.servers import free_port, prefect_env, tail

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

NEWSPREP = str(Path(sys.executable).with_name("newsprep"))
# The target (issue 7) is 5 s from launch to the flow run's start, judged by benchmarks/startup.py. Here the bound
# only has to hold on a shared machine under heavy load (8 s measured at a load average of 10 on 2 cores, where local
# mode took 20-30 s); that no temporary API server started is checked apart.
STARTUP_BOUND_S = 15.0


def newsprep(env: dict[str, str], *args: str, timeout: float = 400) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NEWSPREP, *args], env=env, capture_output=True, text=True, timeout=timeout)


def _gone(pid: int) -> bool:
    """No such process, or only its zombie (a reaped-later orphan is no longer running)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"


def _kill_leftover(home: Path) -> None:
    """SIGKILL the process group of a server the state file still names (a test that failed half-way)."""
    try:
        pid = json.loads((home / STATE_FILE).read_text())["pid"]
    except (OSError, ValueError, KeyError):
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture
def server_env(tmp_path: Path):
    home = tmp_path / "prefect-home"
    env = prefect_env(home)
    try:
        yield env
    finally:
        newsprep(env, "server", "stop", "--grace", "10", timeout=120)
        _kill_leftover(home)


def test_server_start_run_recorded_and_stop(tmp_path: Path, server_env: dict[str, str]) -> None:
    home = Path(server_env["PREFECT_HOME"])
    port = free_port()
    res = newsprep(server_env, "server", "start", "--port", str(port), timeout=400)
    assert res.returncode == 0, f"{res.stdout}\n{res.stderr}\n{tail(home / 'newsprep-server.log')}"
    ui_url, api_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}/api"
    assert ui_url in res.stdout
    state = json.loads((home / STATE_FILE).read_text())
    assert state["api_url"] == api_url and state["port"] == port and not _gone(state["pid"])

    res = newsprep(server_env, "server", "status", "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["healthy"]
    # A second start finds the running server instead of starting another.
    res = newsprep(server_env, "server", "start", "--port", str(port))
    assert res.returncode == 0 and f"pid {state['pid']}" in res.stdout

    source = tmp_path / "dumps"
    source.mkdir()
    for sample in sorted(SAMPLES.glob("*.txt"))[:3]:
        shutil.copy(sample, source)
    warehouse = tmp_path / "warehouse"
    launched = time.time()
    res = newsprep(server_env, "run", str(source), "--warehouse", str(warehouse), "--workers", "1")
    assert res.returncode == 0, res.stderr[-3000:]
    assert f"Prefect: the newsprep server at {ui_url}" in res.stderr
    assert "temporary server" not in res.stdout + res.stderr  # no local-mode API server was started

    res = newsprep(
        server_env, "sql", "-w", str(warehouse), "--format", "json", "SELECT flow_run_id, dumps_written FROM runs"
    )
    assert res.returncode == 0, res.stderr
    (row,) = json.loads(res.stdout)
    assert row["dumps_written"] == 3

    from prefect.client.orchestration import SyncPrefectClient

    with SyncPrefectClient(api_url) as client:
        flow_run = client.read_flow_run(UUID(row["flow_run_id"]))
    assert flow_run.state is not None and flow_run.state.is_completed(), flow_run.state
    assert flow_run.start_time is not None
    startup = flow_run.start_time.timestamp() - launched
    print(f"\nnewsprep run against the newsprep server: flow run began {startup:.1f} s after launch")
    assert startup <= STARTUP_BOUND_S, f"the flow run began {startup:.1f} s after `newsprep run` was launched"

    res = newsprep(server_env, "server", "stop")
    assert res.returncode == 0, res.stderr
    assert _gone(state["pid"])
    assert not (home / STATE_FILE).exists()
    res = newsprep(server_env, "server", "status")
    assert res.returncode == 1 and "not running" in res.stdout
