"""`newsprep serve`: the flows and their schedules from prefect.yaml, served by this one process."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli_base import app, fail, prefect_api_env


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

    Examples: newsprep server start && newsprep serve
              PREFECT_API_URL=http://127.0.0.1:4200/api newsprep serve
    """
    from flows.serve import PREFECT_YAML, ServeError
    from flows.serve import serve as serve_deployments

    path = file or PREFECT_YAML
    if not path.is_file():
        raise fail(f"deployments file not found: {path}")
    # PREFECT_API_URL if set, else the server of `newsprep server start`, else local mode (said in one line).
    prefect_api_env()
    try:
        serve_deployments(deployment, path, limit)
    except ServeError as exc:
        raise fail(str(exc)) from exc
