"""Which Prefect API a flow command uses, and the server state file, without starting Prefect.

A stand-in for the newsprep server: this test process as the recorded PID and a tiny HTTP server answering
/api/health, so the choice `prefect_api_env()` makes can be checked in milliseconds.
"""

from __future__ import annotations

import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows import cli_server
from flows.cli import SAMPLES, app
from flows.cli_base import prefect_api_env

LOCAL_SETTINGS = ("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "PREFECT_SERVER_ANALYTICS_ENABLED")


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200 if self.path == "/api/health" else 404)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Prefect home, no API configured; whatever the code under test sets is undone afterwards."""
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH", *LOCAL_SETTINGS):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def healthy_api() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api"
    finally:
        server.shutdown()
        server.server_close()


def record(home: Path, api_url: str, pid: int | None = None) -> cli_server.ServerState:
    """Write a state file as `newsprep server start` would, for `pid` (default: this process)."""
    pid = pid or os.getpid()
    state = cli_server.ServerState(
        pid=pid,
        port=int(api_url.rsplit(":", 1)[1].split("/")[0]),
        ui_url=api_url.removesuffix("/api"),
        api_url=api_url,
        log=str(home / cli_server.LOG_FILE),
        prefect_home=str(home),
        started_at="2026-01-01T00:00:00+00:00",
        started=cli_server._start_ticks(pid),
    )
    (home / cli_server.STATE_FILE).write_text(json.dumps(state.__dict__))
    return state


def test_without_a_server_a_run_goes_to_local_mode_and_says_how_to_start_faster(home, capsys) -> None:
    assert prefect_api_env() == "local"
    assert "PREFECT_API_URL" not in os.environ
    assert os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "180"
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and "newsprep server start" in message


def test_a_running_newsprep_server_is_used(home, healthy_api, capsys) -> None:
    record(home, healthy_api)
    assert prefect_api_env() == "newsprep-server"
    assert os.environ["PREFECT_API_URL"] == healthy_api
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and healthy_api.removesuffix("/api") in message


def test_the_users_api_url_wins_over_the_newsprep_server(home, healthy_api, monkeypatch, capsys) -> None:
    record(home, healthy_api)
    monkeypatch.setenv("PREFECT_API_URL", "http://10.0.0.9:4200/api")
    assert prefect_api_env() == "user"
    assert os.environ["PREFECT_API_URL"] == "http://10.0.0.9:4200/api"
    assert capsys.readouterr().err == ""


def test_an_api_url_in_the_active_prefect_profile_counts_as_the_users(home, healthy_api) -> None:
    record(home, healthy_api)
    (home / "profiles.toml").write_text(
        'active = "mine"\n[profiles.mine]\nPREFECT_API_URL = "http://10.0.0.9:4200/api"\n'
    )
    assert prefect_api_env() == "user"
    assert "PREFECT_API_URL" not in os.environ  # Prefect reads the profile itself


def test_a_server_that_does_not_answer_is_not_used(home) -> None:
    record(home, "http://127.0.0.1:9/api")  # this process is alive, but nothing answers on port 9
    assert prefect_api_env() == "local"


def test_a_recorded_pid_now_used_by_another_process_is_not_the_server(home, healthy_api) -> None:
    state = record(home, healthy_api)
    (home / cli_server.STATE_FILE).write_text(json.dumps({**state.__dict__, "started": (state.started or 0) + 1}))
    assert cli_server.running_server() is None


def test_status_and_stop_without_a_server(home) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["server", "status"])
    assert res.exit_code == 1 and "not running" in res.output
    res = runner.invoke(app, ["server", "status", "--json"])
    assert json.loads(res.output)["running"] is False
    res = runner.invoke(app, ["server", "stop"])
    assert res.exit_code == 0 and "nothing to stop" in res.output


def test_status_of_a_running_server(home, healthy_api) -> None:
    record(home, healthy_api)
    res = CliRunner().invoke(app, ["server", "status", "--json"])
    assert res.exit_code == 0
    doc = json.loads(res.output)
    assert doc["healthy"] and doc["api_url"] == healthy_api and doc["pid"] == os.getpid()


def test_start_refuses_a_port_in_use(home, healthy_api) -> None:
    port = healthy_api.rsplit(":", 1)[1].split("/")[0]
    res = CliRunner().invoke(app, ["server", "start", "--port", port])
    assert res.exit_code == 2 and "in use" in res.output and f"PREFECT_API_URL={healthy_api}" in res.output
    assert not (home / cli_server.STATE_FILE).exists()


def test_samples_is_the_flows_default_source() -> None:
    from flows.ingest import SAMPLES as FLOW_SAMPLES

    assert SAMPLES == FLOW_SAMPLES
