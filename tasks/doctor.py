"""`newsprep doctor`: check the install and say what to fix, one line per check.

Required checks fail the command (exit 1); optional ones (chromium, a reachable Prefect server) only warn.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("duckdb", "prefect", "pyarrow", "langdetect", "typer", "rich", "altair", "vl-convert-python")
EXTENSIONS = ("sqlite", "ducklake", "fts")  # wheel names; each loads offline from its PyPI wheel
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, version, "" if ok else "use Python 3.11 or newer")


def check_packages() -> Check:
    missing, found = [], []
    for name in PACKAGES:
        try:
            found.append(f"{name} {md.version(name)}")
        except md.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check("packages", False, "missing: " + ", ".join(missing), "pip install -e . (in the repository)")
    return Check("packages", True, ", ".join(found))


def check_extensions() -> Check:
    """Load every DuckDB extension the way the pipeline does: from the wheels, in a fresh connection."""
    import duckdb

    from tasks.search import load_fts
    from tasks.warehouse import load_extensions

    con = duckdb.connect()
    try:
        load_extensions(con)
        load_fts(con)
    except Exception as exc:  # any failure here means the same fix
        return Check(
            "duckdb extensions", False, str(exc).splitlines()[0],
            "pip install 'duckdb-extension-ducklake==1.5.*' 'duckdb-extension-sqlite==1.5.*' 'duckdb-extension-fts==1.5.*'",
        )
    finally:
        con.close()
    return Check("duckdb extensions", True, ", ".join(EXTENSIONS) + " load offline")


def check_warehouse(warehouse: Path) -> Check:
    from tasks.search import index_is_current
    from tasks.warehouse import WarehouseError, connect

    try:
        con = connect(warehouse, read_only=True)
    except WarehouseError as exc:
        return Check("warehouse", False, str(exc), "check --warehouse, or run `newsprep run` to create it")
    try:
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
        runs = con.execute("SELECT count(*) FROM runs").fetchone()[0]  # type: ignore[index]
    except Exception as exc:  # a catalog from another tool, or a newer schema
        return Check("warehouse", False, f"{warehouse}: {str(exc).splitlines()[0]}", "run `newsprep run` on it")
    finally:
        con.close()
    detail = f"{warehouse.resolve()}: {articles} articles, {runs} runs"
    if not index_is_current(warehouse):
        return Check("warehouse", True, detail + "; search index missing or stale", "newsprep search rebuilds it")
    return Check("warehouse", True, detail + "; search index current")


def check_prefect() -> Check:
    """A configured server must answer; without one, runs use Prefect's local mode (a temporary server)."""
    url = os.environ.get("PREFECT_API_URL")
    if not url:
        return Check("prefect", True, "local mode: each run starts a temporary API server (~10-15 s)")
    import httpx

    try:
        httpx.get(url.rstrip("/") + "/health", timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        return Check(
            "prefect", False, f"{url} not reachable ({type(exc).__name__})",
            "start it (prefect server start) or unset PREFECT_API_URL for local mode",
        )
    return Check("prefect", True, f"server at {url} answers")


def check_kernels() -> Check:
    """The C loops of detection and signatures (tasks/_kernels.c): optional, the Python loops give the same
    answers with ~25% more CPU per dump."""
    from tasks.kernels import available

    if available():
        return Check("c kernels", True, "built (detection trials, automaton walk, MinHash)", required=False)
    if os.environ.get("NEWSPREP_NO_KERNELS"):
        return Check("c kernels", False, "switched off by NEWSPREP_NO_KERNELS", "unset it", required=False)
    return Check("c kernels", False, "not built (no C compiler at install): same results, slower",
                 "install gcc, then pip install -e . again", required=False)


def check_chromium() -> Check:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path:
        return Check("chromium", True, f"{path} (report browser test, screenshots)", required=False)
    return Check("chromium", False, "not found (only the report's browser test needs it)",
                 "apt-get install -y chromium", required=False)


def run_checks(warehouse: Path | None) -> list[Check]:
    checks: list[Callable[[], Check]] = [check_python, check_packages, check_extensions, check_kernels, check_prefect,
                                         check_chromium]
    if warehouse is not None:
        checks.insert(3, lambda: check_warehouse(warehouse))
    return [check() for check in checks]


def failed(checks: list[Check]) -> bool:
    return any(c.required and not c.ok for c in checks)
