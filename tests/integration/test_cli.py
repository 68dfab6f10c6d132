"""The `newsprep` command as a user runs it: a subprocess, its own Prefect home, a temp warehouse."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.expectations import SAMPLES, SEEDS, SHARED

NEWSPREP = str(Path(sys.executable).with_name("newsprep"))


def newsprep(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 300):
    return subprocess.run(
        [NEWSPREP, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
    )


def test_missing_source_is_a_one_line_error(tmp_path: Path, cli_env) -> None:
    res = newsprep("run", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "wh"), env=cli_env)
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "source not found" in res.stderr


def test_warehouse_that_cannot_be_created_is_a_one_line_error(tmp_path: Path, cli_env) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = newsprep("run", str(SAMPLES), "--warehouse", str(blocker / "wh"), env=cli_env)
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "cannot create warehouse" in res.stderr


def test_sql_errors_are_one_line(tmp_path: Path, cli_env) -> None:
    res = newsprep("sql", "--warehouse", str(tmp_path / "none"), "SELECT 1", env=cli_env)
    assert res.returncode == 2 and "no warehouse" in res.stderr
    res = newsprep("sql", "--format", "xml", "SELECT 1", env=cli_env)
    assert res.returncode == 2 and "unknown --format" in res.stderr


def test_explain_shows_every_decision(cli_env) -> None:
    res = newsprep("explain", "--json", str(SAMPLES / "103_b3e3b3590ed7329c.txt"), env=cli_env)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    kinds = {line["kind"] for line in data["lines"]}
    assert {"inline_header", "date_stub", "image_credit", "share_widget", "paragraph"} <= kinds
    assert data["articles"][0]["published_date"]["value"] == "2024-03-02"
    assert data["segmentation"] == "one article"
    res = newsprep("explain", str(SAMPLES / "nope.txt"), env=cli_env)
    assert res.returncode == 2


@pytest.mark.slow
def test_run_on_bundled_samples_then_query(tmp_path: Path, cli_env) -> None:
    """`newsprep run` with no source ingests samples/ into ./warehouse; sql, status read it back."""
    res = newsprep("run", env=cli_env, cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    assert (tmp_path / "warehouse" / "catalog.sqlite").exists()
    res = newsprep("sql", "--format", "json", "SELECT language, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1", env=cli_env, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert isinstance(rows, list) and {r["language"] for r in rows} >= {"en", "es", "de", "fr", "pt", "zh"}
    res = newsprep("sql", "--format", "csv", "SELECT count(*) AS n FROM dumps", env=cli_env, cwd=tmp_path)
    n_samples = len([p for p in SAMPLES.iterdir() if p.name.endswith((".txt", ".txt.gz"))])
    assert res.stdout.splitlines() == ["n", str(n_samples)]
    res = newsprep("sql", "SELECT nonsense FROM articles", env=cli_env, cwd=tmp_path)
    assert res.returncode == 1 and res.stderr.strip().count("\n") == 0
    res = newsprep("sql", "DELETE FROM articles", env=cli_env, cwd=tmp_path)
    assert res.returncode == 2 and "add --write" in res.stderr
    res = newsprep("status", env=cli_env, cwd=tmp_path)
    assert res.returncode == 0 and "articles" in res.stdout and "completed" in res.stdout

    # --strict: a rejected input makes the run exit 3 after committing it (the default stays lenient).
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    res = newsprep("run", str(bad), "--strict", env=cli_env, cwd=tmp_path)
    assert res.returncode == 3 and "1 input(s) rejected" in res.stderr, res.stderr[-2000:]
    runs = json.loads(newsprep("runs", "--json", env=cli_env, cwd=tmp_path).stdout)
    assert [r["rejects_written"] for r in runs] == [1, 0] and all(r["snapshot"] for r in runs)
    # Time travel: at the first run's snapshot the reject is not there yet.
    first = str(runs[1]["snapshot"])
    res = newsprep("sql", "--at-version", first, "--format", "csv", "SELECT count(*) AS n FROM rejects", env=cli_env, cwd=tmp_path)
    assert res.returncode == 0 and res.stdout.splitlines() == ["n", "0"], res.stderr
    res = newsprep("sql", "--format", "csv", "SELECT count(*) AS n FROM rejects", env=cli_env, cwd=tmp_path)
    assert res.stdout.splitlines() == ["n", "1"]


@pytest.mark.slow
@pytest.mark.skipif(not (SEEDS / "expected.json").exists(), reason="../shared/seeds not present")
def test_seed_run_meets_every_expectation_of_the_shared_checker(tmp_path: Path, cli_env) -> None:
    """The acceptance check of the issue: `newsprep run ../shared/seeds` then check_seeds.py reports all met."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    wh = tmp_path / "wh"
    res = newsprep("run", str(seeds), "--warehouse", str(wh), env=cli_env)
    assert res.returncode == 0, res.stderr[-2000:]
    check = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "check_seeds.py"), str(wh), "--sql", f"{NEWSPREP} sql --warehouse {{wh}} --format json"],
        capture_output=True, text=True, env=cli_env, timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "155/155" in check.stdout


def test_bad_run_options_are_one_line_errors(tmp_path: Path, cli_env) -> None:
    res = newsprep("run", str(SAMPLES), "-w", str(tmp_path / "wh"), "--registry", str(tmp_path / "none.toml"), env=cli_env)
    assert res.returncode == 2 and "registry file not found" in res.stderr
    res = newsprep("run", str(SAMPLES), "-w", str(tmp_path / "wh"), "--language-detector", "guess", env=cli_env)
    assert res.returncode == 2 and "unknown --language-detector" in res.stderr
