"""search, export, report, status --json and doctor as a user runs them: subprocesses on a real warehouse."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tasks.lake import article, build, run_row

NEWSPREP = str(Path(sys.executable).with_name("newsprep"))
RUN = "20260104T080000-44444444"


def newsprep(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NEWSPREP, *args], capture_output=True, text=True, env=env, timeout=120)


def one_line_error(res: subprocess.CompletedProcess[str], code: int, text: str) -> bool:
    return res.returncode == code and res.stderr.strip().count("\n") == 0 and text in res.stderr


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = [
        article("q1-0", "Wildfire smoke closes schools across the valley.", title="Wildfire smoke",
                publisher="Valley Post", published_date=dt.date(2025, 8, 1), run_id=RUN),
        article("q2-0", "Le feu de forêt menace des villages.", title="Feu de forêt", language="fr",
                publisher="Le Monde", published_date=dt.date(2025, 8, 2), run_id=RUN),
    ]
    return build(tmp_path_factory.mktemp("cli") / "wh", articles=articles,
                 runs=[run_row(RUN, {"languages": {"en": 1, "fr": 1}})])


@pytest.mark.slow
def test_search_builds_a_missing_index_then_answers(lake: Path, cli_env) -> None:
    res = newsprep("search", "wildfire", "-w", str(lake), "--json", env=cli_env)
    assert res.returncode == 0, res.stderr
    assert "rebuilding" in res.stderr
    hits = json.loads(res.stdout)
    assert [(h["article_id"], h["publisher"], h["published_date"]) for h in hits] == [("q1-0", "Valley Post", "2025-08-01")]
    assert "Wildfire" in hits[0]["snippet"]
    res = newsprep("search", "wildfire", "-w", str(lake), env=cli_env)
    assert res.returncode == 0 and "rebuilding" not in res.stderr and "Valley Post" in res.stdout


@pytest.mark.slow
def test_search_errors_are_one_line(lake: Path, cli_env) -> None:
    assert one_line_error(newsprep("search", "x", "-w", str(lake), "--from", "2025-13-01", env=cli_env), 2, "YYYY-MM-DD")
    assert one_line_error(newsprep("search", "?!", "-w", str(lake), env=cli_env), 2, "nothing to search")
    assert one_line_error(newsprep("search", "x", "-w", str(lake / "none"), env=cli_env), 2, "no warehouse")


@pytest.mark.slow
def test_export_writes_the_file_or_refuses_in_one_line(lake: Path, tmp_path: Path, cli_env) -> None:
    out = tmp_path / "fr.csv"
    res = newsprep("export", "-t", "articles_current", "-f", "csv", "-o", str(out), "--where", "language = 'fr'",
                   "-w", str(lake), env=cli_env)
    assert res.returncode == 0, res.stderr
    assert "1 row of articles_current" in res.stderr and out.read_text("utf-8").count("\n") == 2
    assert one_line_error(newsprep("export", "-t", "secrets", "-o", str(out), "-w", str(lake), env=cli_env), 2,
                          "unknown table")
    res = newsprep("export", "-t", "runs", "-o", str(out), "--where", "1=1; DELETE FROM runs", "-w", str(lake), env=cli_env)
    assert one_line_error(res, 2, "no ';'")


@pytest.mark.slow
def test_report_then_status_links_it(lake: Path, cli_env) -> None:
    res = newsprep("report", "-w", str(lake), env=cli_env)
    assert res.returncode == 0, res.stderr
    path = Path(res.stdout.strip())
    assert path == lake / "reports" / f"{RUN}.html" and path.is_file()
    res = newsprep("status", "--json", "-w", str(lake), env=cli_env)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["tables"]["articles"] == 2 and doc["runs"][0]["run_id"] == RUN
    assert doc["runs"][0]["report"] == str(path)
    res = newsprep("status", "-w", str(lake), env=cli_env)
    assert "report of the latest run" in res.stdout and path.name in res.stdout


@pytest.mark.slow
def test_doctor_passes_here_and_fails_on_a_missing_warehouse_or_server(lake: Path, tmp_path: Path, cli_env) -> None:
    res = newsprep("doctor", "-w", str(lake), env=cli_env)
    assert res.returncode == 0, res.stdout
    assert "duckdb extensions" in res.stdout and "local mode" in res.stdout and "FAIL" not in res.stdout
    assert "c kernels" in res.stdout
    res = newsprep("doctor", "-w", str(tmp_path / "missing"), env={**cli_env, "PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert res.returncode == 1 and res.stdout.count("FAIL") == 2
    assert "newsprep run" in res.stdout and "not reachable" in res.stdout
