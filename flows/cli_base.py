"""What every `newsprep` command shares: the Typer app, the consoles, one-line errors, value formatting."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

app = typer.Typer(
    name="newsprep",
    help="Turn raw dumps of scraped news into clean, queryable DuckLake tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output keeps whole rows instead of wrapping them at 80 columns.
out = Console(width=None if sys.stdout.isatty() else 220)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 220)

WarehouseOpt = Annotated[
    Path, typer.Option("--warehouse", "-w", help="Warehouse folder (DuckLake catalog + Parquet files).")
]


def _profile_api_url() -> str | None:
    """PREFECT_API_URL of the active Prefect profile (`prefect config set`, `prefect profile use`), without Prefect."""
    import importlib.util
    import tomllib

    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    user = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    spec = importlib.util.find_spec("prefect")  # finds the package without running it
    shipped = Path(spec.origin).with_name("profiles.toml") if spec and spec.origin else None
    documents = []
    for path in (user, shipped):
        try:
            documents.append(tomllib.loads(path.read_text(encoding="utf-8")) if path else {})
        except (OSError, tomllib.TOMLDecodeError):
            documents.append({})
    active = os.environ.get("PREFECT_PROFILE") or documents[0].get("active") or documents[1].get("active")
    for doc in documents:  # the user's file first, then the profiles Prefect ships (`local` has a URL)
        url = doc.get("profiles", {}).get(active, {}).get("PREFECT_API_URL")
        if url:
            return str(url)
    return None


def prefect_api_env() -> str:
    """Choose the Prefect API for a flow-running command, before Prefect is imported (it reads its settings then).

    In order: PREFECT_API_URL if the user set it (environment or active profile); else the server of `newsprep
    server start` if it answers; else Prefect's local mode, whose temporary API server starts with every run
    (10-25 s, no UI). Returns which: "user", "newsprep-server" or "local".
    """
    if os.environ.get("PREFECT_API_URL") or _profile_api_url():
        return "user"
    from flows.cli_server import running_server

    server = running_server()
    if server is not None:
        os.environ["PREFECT_API_URL"] = server.api_url
        err.print(
            f"Prefect: the newsprep server at {server.ui_url} (runs show in its UI)", style="dim", highlight=False
        )
        return "newsprep-server"
    # Local mode's temporary server takes close to the default 20 s to start on a cold machine, and its telemetry
    # writes race the first run on SQLite.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    err.print(
        "Prefect: local mode, a temporary API server starts with this run (10-25 s, no UI); "
        "`newsprep server start` once makes runs start fast and shows them in the UI",
        style="dim",
        highlight=False,
    )
    return "local"


@contextlib.contextmanager
def shard_progress() -> Iterator[None]:
    """A progress bar with ETA over the shards of a run, on a terminal only (logs and pipes stay clean)."""
    from flows.stages import progress_listeners

    if not sys.stderr.isatty():
        yield
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("shards"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err)
    task_id = progress.add_task("shards", total=None)
    listener = lambda done, total: progress.update(task_id, completed=done, total=total)  # noqa: E731
    progress_listeners.append(listener)
    progress.start()
    try:
        yield
    finally:
        progress.stop()
        progress_listeners.remove(listener)


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def short(value: Any, width: int = 200) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
