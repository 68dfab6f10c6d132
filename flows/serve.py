"""Serve newsprep's flows with their schedules from one process: the single-machine path, no work pool, no worker.

The deployments come from prefect.yaml, the file `prefect deploy --all` reads, so names, schedules, parameters and
concurrency limits are written once. Only the infrastructure settings (work pool, working directory) are ignored:
`prefect.serve` runs each flow run as a subprocess of this one.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import yaml

PREFECT_YAML = Path(__file__).resolve().parent.parent / "prefect.yaml"


class ServeError(ValueError):
    """prefect.yaml cannot be turned into served deployments (a one-line reason)."""


def load_specs(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    """The deployments of prefect.yaml, anchors merged and `{{ $VAR }}` filled in as `prefect deploy` would.

    `$PWD` is the file's folder: the docs deploy from the repository root, and a served process may start anywhere.
    """
    from prefect.utilities.templating import apply_values

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ServeError(f"cannot read {path}: {exc}") from exc
    deployments = document.get("deployments") or []
    if not deployments:
        raise ServeError(f"{path} declares no deployments")
    env = {**os.environ, "PWD": str(path.resolve().parent)}
    return [apply_values(spec, env, remove_notset=False) for spec in deployments]


def select(specs: list[dict[str, Any]], names: list[str] | None) -> list[dict[str, Any]]:
    """The specs named in `names` (deployment names, in the file's order); all of them when `names` is empty."""
    if not names:
        return specs
    known = [s["name"] for s in specs]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ServeError(f"no deployment named {', '.join(unknown)} (known: {', '.join(known)})")
    return [s for s in specs if s["name"] in names]


def schedules_of(spec: dict[str, Any]) -> list:
    """Prefect schedules for the `schedules:` entries of one deployment (cron or interval, as prefect.yaml allows)."""
    from prefect.schedules import Cron, Interval

    schedules = []
    for entry in spec.get("schedules") or []:
        common = {"timezone": entry.get("timezone"), "active": entry.get("active", True)}
        if "cron" in entry:
            schedules.append(Cron(entry["cron"], day_or=entry.get("day_or", True), **common))
        elif "interval" in entry:
            schedules.append(Interval(entry["interval"], **common))
        else:
            raise ServeError(f"deployment {spec['name']}: only cron and interval schedules can be served, got {entry}")
    return schedules


def load_flow(entrypoint: str):
    """The flow object of an entrypoint like `flows/ingest.py:ingest`, imported as a module (`flows.ingest`)."""
    path, _, attr = entrypoint.partition(":")
    module = path.removesuffix(".py").replace("/", ".")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ServeError(f"cannot load flow {entrypoint}: {exc}") from exc


def to_deployment(spec: dict[str, Any]):
    """One served deployment with the spec's name, schedules, parameters, tags and concurrency limit."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig
    from prefect.deployments.runner import EntrypointType

    limit = spec.get("concurrency_limit")
    return load_flow(spec["entrypoint"]).to_deployment(
        name=spec["name"],
        schedules=schedules_of(spec),
        parameters=spec.get("parameters") or {},
        description=spec.get("description"),
        tags=spec.get("tags"),
        version=spec.get("version"),
        concurrency_limit=ConcurrencyLimitConfig(**limit) if isinstance(limit, dict) else limit,
        enforce_parameter_schema=spec.get("enforce_parameter_schema", True),
        # Runs import `flows.ingest` rather than a file path: they work whatever folder `newsprep serve` ran in.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve(names: list[str] | None = None, path: Path = PREFECT_YAML, limit: int | None = None) -> None:
    """Register the deployments and run their scheduled and triggered runs until interrupted."""
    import prefect

    deployments = [to_deployment(spec) for spec in select(load_specs(path), names)]
    prefect.serve(*deployments, limit=limit)
