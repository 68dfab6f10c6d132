"""Real servers for integration tests: a `prefect server`, a Prefect worker, a Dask cluster, each a subprocess.

Every process starts in its own session, so its process-group id is its PID: stopping it is SIGTERM to that PID,
a grace period, then SIGKILL to the group (flow-run children of a worker, spawned processes of a Dask worker),
always in a `finally`, so a failing test leaves nothing running.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# A background process started from a non-interactive shell inherits an ignored SIGINT, and a Prefect worker
# stops by re-sending SIGINT to itself: without the default handler back it ignores SIGTERM too.
_DEFAULT_SIGINT_LAUNCHER = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"


def free_port() -> int:
    """A loopback port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefect_env(home: Path, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """This environment without any PREFECT_ setting of the caller's, pointed at `home` and, if given, a server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(home)
    # Telemetry writes race the first runs on SQLite ('database is locked').
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def start(cmd: Sequence[str], env: dict[str, str], log: Path, cwd: Path = REPO) -> subprocess.Popen:
    """Start `cmd` in a new session (group id = PID), stdout and stderr to `log`, default SIGINT restored."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", _DEFAULT_SIGINT_LAUNCHER, *cmd],
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(proc: subprocess.Popen, grace: float = 15.0) -> None:
    """SIGTERM to the PID, SIGKILL to its process group after `grace` seconds or once it has exited."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone
    proc.wait()


def tail(log: Path, lines: int = 30) -> str:
    """The end of a process log, for an assertion message that says why a server never came up."""
    if not log.exists():
        return f"(no log at {log})"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def wait_until(ready, timeout: float, proc: subprocess.Popen, log: Path, what: str) -> None:
    """Poll `ready()` until true; fail at once if the process died, or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode}:\n{tail(log)}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready after {timeout:.0f} s:\n{tail(log)}")
        time.sleep(0.5)


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def prefect_server(tmp_path: Path, timeout: float = 180.0) -> Iterator[str]:
    """`prefect server start` on a free loopback port with its own PREFECT_HOME (SQLite); yields the API URL.

    Its home is `tmp_path/prefect-home` and its log `tmp_path/prefect-server.log`.
    """
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    # The UI asks the API at PREFECT_UI_API_URL, which otherwise stays on the default port 4200.
    env = prefect_env(tmp_path / "prefect-home", PREFECT_UI_API_URL=api_url)
    log = tmp_path / "prefect-server.log"
    cmd = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    proc = start(cmd, env, log)
    try:
        wait_until(lambda: _healthy(api_url), timeout, proc, log, "prefect server")
        yield api_url
    finally:
        stop(proc)


@contextmanager
def prefect_worker(
    api_url: str,
    pool: str,
    home: Path | None = None,
    log: Path | None = None,
    args: Sequence[str] = (),
    settings: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen]:
    """`prefect worker start --pool POOL` against `api_url`, run from the repository root; yields the process.

    `args` adds options (`--run-once`, `--limit 1`), `settings` environment variables (PREFECT_WORKER_QUERY_SECONDS);
    the log goes to `log` (default: in the worker's home).
    """
    own_home = home is None
    home = home or Path(tempfile.mkdtemp(prefix="newsprep-worker-"))
    log = log or home / "prefect-worker.log"
    cmd = [str(BIN / "prefect"), "worker", "start", "--pool", pool, *args]
    proc = start(cmd, prefect_env(home, api_url, **(settings or {})), log)
    try:
        yield proc
    finally:
        stop(proc)
        if own_home:
            shutil.rmtree(home, ignore_errors=True)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def dask_cluster(n_workers: int = 2, nthreads: int = 1, timeout: float = 90.0) -> Iterator[str]:
    """`dask scheduler` and `n_workers` `dask worker` processes (no nanny) on loopback; yields the scheduler address.

    Workers run from the repository root, so they import `flows` and `tasks` like the flow does.
    """
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    root = Path(tempfile.mkdtemp(prefix="newsprep-dask-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    procs: list[subprocess.Popen] = []
    scheduler_log = root / "scheduler.log"
    try:
        scheduler = start(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            env,
            scheduler_log,
        )
        procs.append(scheduler)
        wait_until(lambda: _port_open(port), timeout, scheduler, scheduler_log, "dask scheduler")
        for i in range(n_workers):
            worker = [str(BIN / "dask"), "worker", address, "--host", "127.0.0.1", "--no-nanny", "--no-dashboard"]
            worker += ["--nthreads", str(nthreads), "--name", f"worker-{i}", "--local-directory", str(root / f"w{i}")]
            procs.append(start(worker, env, root / f"worker-{i}.log"))
        with Client(address, timeout=timeout) as client:
            client.wait_for_workers(n_workers, timeout=timeout)
        yield address
    finally:
        for proc in reversed(procs):  # workers first, the scheduler last
            stop(proc, grace=10.0)
        shutil.rmtree(root, ignore_errors=True)
