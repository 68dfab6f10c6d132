"""`newsprep server start|stop|status`: a local `prefect server` in the background, so runs start fast and show in a UI.

Without a server, every flow run starts Prefect's temporary API server in its own process (10-25 s, no UI). This
starts `prefect server start` once, detached, on loopback; `newsprep run` and the other flow commands find it through
a small state file and send their runs to it. Its database, log and state file live in the Prefect home
($PREFECT_HOME, default ~/.prefect), like the database local mode uses: one server per Prefect home, for every
warehouse.

Nothing here imports Prefect: `newsprep run` asks `running_server()` before Prefect reads its settings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

import typer

from flows.cli_base import app, err, fail, out

STATE_FILE = "newsprep-server.json"
LOG_FILE = "newsprep-server.log"
HOST = "127.0.0.1"  # loopback only: the server has no authentication

# A process started in the background from a non-interactive shell inherits an ignored SIGINT, and Prefect stops by
# re-sending SIGINT to itself: the launcher restores the default handlers, then becomes the server (same PID).
_LAUNCHER = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "signal.signal(signal.SIGTERM, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
)

server_app = typer.Typer(
    help="A local Prefect server in the background: runs start fast and show in its UI.", no_args_is_help=True
)
app.add_typer(server_app, name="server")


@dataclass(frozen=True)
class ServerState:
    """What `start` records in the state file; `started` ties the PID to one process (PIDs get reused)."""

    pid: int
    port: int
    ui_url: str
    api_url: str
    log: str
    prefect_home: str
    started_at: str
    started: int | None  # the process's start time in clock ticks since boot (/proc/PID/stat), None off Linux


def prefect_home() -> Path:
    """The Prefect home as Prefect resolves it, without importing Prefect."""
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


def state_path() -> Path:
    return prefect_home() / STATE_FILE


def read_state() -> ServerState | None:
    try:
        return ServerState(**json.loads(state_path().read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # none recorded, or a file from another version: as good as not running


def _write_state(state: ServerState) -> None:
    path = state_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def _forget_state() -> None:
    state_path().unlink(missing_ok=True)


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state first), or None when there is no such process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw.rpartition(")")[2].split()


def _start_ticks(pid: int) -> int | None:
    fields = _proc_stat(pid)
    return int(fields[19]) if fields else None


def _group_members(pgid: int) -> list[int]:
    """Live processes (not zombies) in process group `pgid`: the server and anything it spawned."""
    if not Path("/proc/self/stat").exists():
        try:
            os.killpg(pgid, 0)
            return [pgid]
        except (ProcessLookupError, PermissionError):
            return []
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _proc_stat(int(entry.name))
            if fields and fields[0] != "Z" and int(fields[2]) == pgid:
                members.append(int(entry.name))
    return members


def is_alive(state: ServerState) -> bool:
    """The recorded process still runs and is the one `start` launched (not a PID reused since)."""
    if not Path("/proc/self/stat").exists():
        try:
            os.kill(state.pid, 0)
            return True
        except (ProcessLookupError, PermissionError):
            return False
    fields = _proc_stat(state.pid)
    if fields is None or fields[0] == "Z":
        return False
    return state.started is None or int(fields[19]) == state.started


def is_healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def running_server() -> ServerState | None:
    """The newsprep-managed server of this Prefect home if it runs and answers its health check, else None."""
    state = read_state()
    if state is None or not is_alive(state):
        return None
    return state if is_healthy(state.api_url) else None


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        return s.connect_ex((HOST, port)) == 0


def _prefect_command() -> list[str]:
    """`prefect` of this environment (the venv's script beside its python, with the pins of pyproject.toml: fastapi
    and sqlalchemy versions its API server works with), else `python -m prefect`."""
    script = Path(sys.executable).with_name("prefect")
    if script.exists():
        return [str(script)]
    found = shutil.which("prefect")
    return [found] if found else [sys.executable, "-m", "prefect"]


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


def launch(port: int) -> ServerState:
    """Start `prefect server start` detached (own session, so its group id is its PID), log appended to a file."""
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    log = home / LOG_FILE
    ui_url = f"http://{HOST}:{port}"
    api_url = f"{ui_url}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # the server is not a client of another
    env["PREFECT_HOME"] = str(home)
    # The UI in the browser asks the API here; left unset it would ask the default port 4200.
    env["PREFECT_UI_API_URL"] = api_url
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    cmd = [*_prefect_command(), "server", "start", "--host", HOST, "--port", str(port)]
    with log.open("ab") as sink:
        sink.write(
            f"\n--- {dt.datetime.now().isoformat(timespec='seconds')} newsprep server start: {' '.join(cmd)}\n".encode()
        )
        sink.flush()
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, *cmd],
            env=env,
            # Not the caller's folder: Prefect would read a prefect.toml or .env there, and a folder removed later
            # would stay busy.
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    state = ServerState(
        pid=proc.pid,
        port=port,
        ui_url=ui_url,
        api_url=api_url,
        log=str(log),
        prefect_home=str(home),
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        started=_start_ticks(proc.pid),
    )
    _write_state(state)
    return state


def terminate(state: ServerState, grace: float = 20.0) -> bool:
    """SIGTERM to the server's process group, SIGKILL to what is left after `grace` seconds; True once all gone."""
    pgid = state.pid  # its own session: the group id is the PID
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        if not _group_members(pgid):
            return True
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while _group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.2)
    return not _group_members(pgid)


def wait_healthy(state: ServerState, timeout: float) -> str | None:
    """None once the server answers /api/health; else why not (it exited, or `timeout` passed)."""
    deadline = time.monotonic() + timeout
    while not is_healthy(state.api_url, timeout=1.0):
        if not is_alive(state):
            return "exited"
        if time.monotonic() > deadline:
            return f"not healthy after {timeout:.0f} s"
        time.sleep(0.5)
    return None


def _ready_message(state: ServerState) -> None:
    out.print(f"Prefect server running: UI {state.ui_url}  (API {state.api_url}, pid {state.pid})", highlight=False)
    err.print(
        f"newsprep run/reprocess/maintain now use it; other tools: export PREFECT_API_URL={state.api_url}\n"
        f"log: {state.log}; stop: newsprep server stop",
        style="dim",
        highlight=False,
    )
    user_url = os.environ.get("PREFECT_API_URL")
    if user_url and user_url.rstrip("/") != state.api_url:
        err.print(
            f"note: PREFECT_API_URL is set to {user_url}: newsprep runs go there, not to this server", highlight=False
        )


@server_app.command("start")
def start(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 for the UI and API.", min=1, max=65535)] = 4200,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the server to answer.", min=1)] = 180,
) -> None:
    """Start a local Prefect server in the background and wait until it answers (15-60 s the first time).

    Example: newsprep server start --port 4200
    """
    state = read_state()
    if state is not None and is_alive(state):
        if not is_healthy(state.api_url):
            err.print(f"the newsprep server (pid {state.pid}) is starting: waiting for it", style="dim")
            if (why := wait_healthy(state, timeout)) is not None:
                raise fail(
                    f"the newsprep server (pid {state.pid}) is {why}; log {state.log}:\n{_tail(Path(state.log))}", 1
                )
        _ready_message(state)
        return
    _forget_state()
    if _port_in_use(port):
        hint = (
            f"a Prefect API already answers there: use it with export PREFECT_API_URL=http://{HOST}:{port}/api"
            if is_healthy(f"http://{HOST}:{port}/api")
            else "choose another with --port"
        )
        raise fail(f"port {port} on {HOST} is in use; {hint}")
    state = launch(port)
    err.print(
        f"starting prefect server on {state.ui_url} (pid {state.pid}), log {state.log}", style="dim", highlight=False
    )
    try:
        why = wait_healthy(state, timeout)
    except KeyboardInterrupt:
        why = "interrupted"
    if why is not None:
        terminate(state)
        _forget_state()
        raise fail(f"prefect server {why}; it was stopped. Log {state.log}:\n{_tail(Path(state.log))}", 1)
    _ready_message(state)


@server_app.command("stop")
def stop(
    grace: Annotated[float, typer.Option(help="Seconds to let it shut down before SIGKILL.", min=0)] = 20,
) -> None:
    """Stop the newsprep-managed Prefect server (and anything it started) by its PID.

    Example: newsprep server stop
    """
    state = read_state()
    if state is None:
        err.print(f"no newsprep server recorded in {prefect_home()}: nothing to stop", highlight=False)
        return
    if not is_alive(state):
        _forget_state()
        err.print(f"the newsprep server (pid {state.pid}) was not running; state cleared", highlight=False)
        return
    if not terminate(state, grace):
        raise fail(f"prefect server (pid {state.pid}) still running after SIGKILL", 1)
    _forget_state()
    out.print(f"Prefect server stopped (pid {state.pid}, {state.ui_url})", highlight=False)


@server_app.command("status")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print the state as one JSON object.")] = False,
) -> None:
    """Whether the newsprep-managed Prefect server runs, and where (exit 0 when it answers, else 1).

    Example: newsprep server status
    """
    state = read_state()
    alive = state is not None and is_alive(state)
    healthy = alive and state is not None and is_healthy(state.api_url)
    if as_json:
        doc = {
            "running": alive,
            "healthy": healthy,
            "state_file": str(state_path()),
            **(asdict(state) if alive and state else {}),
        }
        sys.stdout.write(json.dumps(doc) + "\n")
    elif state is None or not alive:
        out.print(f"not running (no server in {prefect_home()}); start one: newsprep server start", highlight=False)
    elif healthy:
        out.print(
            f"running: UI {state.ui_url}  (API {state.api_url}, pid {state.pid}, since {state.started_at})",
            highlight=False,
        )
        out.print(f"home {state.prefect_home}, log {state.log}", highlight=False)
    else:
        out.print(f"starting or not answering: pid {state.pid} on {state.ui_url}; log {state.log}", highlight=False)
    if not healthy:
        raise typer.Exit(1)
