"""Integration fixtures: a real Prefect (local mode, its own temporary API server) on a throw-away PREFECT_HOME."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Prefect reads its settings at import: point it at a private home before anything imports it.
_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="newsprep-prefect-"))
os.environ["PREFECT_HOME"] = str(_PREFECT_HOME)
os.environ.pop("PREFECT_API_URL", None)
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_local() -> Iterator[None]:
    """One temporary Prefect API server for the whole session (starting one costs 10-15 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
    from tasks.shard import shutdown_pool

    shutdown_pool()
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the `newsprep` command in a subprocess with its own Prefect home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "180"
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    return env
