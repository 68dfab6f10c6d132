"""`newsprep serve`: the flows and their schedules from prefect.yaml, served by this one process."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from flows.cli_base import app, err, fail


@app.command()
def serve(
    deployment: Annotated[
        list[str] | None,
        typer.Option("--deployment", "-d", help="Serve only this deployment of prefect.yaml; repeatable."),
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Deployments file (default: the repository's prefect.yaml).")] = None,
    limit: Annotated[int | None, typer.Option(help="Most flow runs at once (default: no limit).", min=1)] = None,
) -> None:
    """Run the deployments of prefect.yaml on their schedules from this process, until Ctrl-C (no worker needed).

    Example: PREFECT_API_URL=http://127.0.0.1:4200/api newsprep serve
    """
    from flows.serve import PREFECT_YAML, ServeError
    from flows.serve import serve as serve_deployments

    path = file or PREFECT_YAML
    if not path.is_file():
        raise fail(f"deployments file not found: {path}")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not os.environ.get("PREFECT_API_URL"):
        err.print("PREFECT_API_URL is not set: runs go to a temporary local server with no UI (docs/scheduling.md)")
    try:
        serve_deployments(deployment, path, limit)
    except ServeError as exc:
        raise fail(str(exc)) from exc
