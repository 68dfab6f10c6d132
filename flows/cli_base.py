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


def prefect_local_env() -> None:
    """Settings for Prefect's local mode, unless the user set them: its temporary API server takes close to the
    default 20 s to start on a cold machine, and its telemetry writes race the first run on SQLite."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


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
