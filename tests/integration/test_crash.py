"""Crash safety: `newsprep run` killed with SIGKILL at many points never corrupts the warehouse, and a re-run
converges to exactly the tables a clean run produces.

The runs go against a real `prefect server` (started once), so each run starts in a few seconds and the kills land
during discovery, boilerplate scanning, shard processing and staging writes, the commit, and after it. After each
kill the warehouse must open and hold either the previous snapshot or the whole run, never part of one.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tasks import warehouse as wh
from tests.integration.servers import prefect_env, prefect_server

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
KILLS = 20
# Columns that differ between two correct runs: who wrote the row and when.
VOLATILE = {"run_id"}
TABLES = ("articles", "removed_lines", "dumps", "rejects")


def _corpus(root: Path) -> Path:
    """Three folders of the samples, each copy made distinct, so a run has several shards of real work."""
    src = root / "dumps"
    for n in range(3):
        for p in sorted(SAMPLES.iterdir()):
            if not p.name.endswith(".txt"):
                continue
            dest = src / f"site{n}" / p.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(p.read_bytes() + f"\nFolder {n} copy of this dump, kept for the crash test.\n".encode())
    return src


def _run(src: Path, warehouse: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "flows.cli", "run", str(src), "--warehouse", str(warehouse),
           "--workers", "1", "--shard-size", "3"]
    with log.open("ab") as out:
        return subprocess.Popen(cmd, env=env, cwd=Path(__file__).resolve().parents[2], stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _table_digest(warehouse: Path) -> dict[str, tuple[int, str]]:
    """Row count and an order-free content hash of every table, run ids left out."""
    con = wh.connect(warehouse, read_only=True)
    try:
        out = {}
        for table in TABLES:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'lake' AND table_name = ? "
                "ORDER BY column_index", [table]).fetchall() if r[0] not in VOLATILE]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            digest = hashlib.sha256()
            for row in sorted(repr(r) for r in rows):
                digest.update(row.encode())
            out[table] = (len(rows), digest.hexdigest()[:16])
        return out
    finally:
        con.close()


def _state(warehouse: Path) -> tuple[int, int]:
    """(committed runs, files accounted for) — and the warehouse opens, or the test fails here."""
    if not (warehouse / wh.CATALOG_FILE).exists():
        return (0, 0)
    con = wh.connect(warehouse, read_only=True)
    try:
        runs = con.execute("SELECT count(*) FROM runs").fetchone()[0]
        files = con.execute("SELECT (SELECT count(*) FROM dumps) + (SELECT count(*) FROM rejects)").fetchone()[0]
        doubled = con.execute(
            "SELECT count(*) FROM (SELECT source_path FROM dumps UNION ALL SELECT source_path FROM rejects) "
            "GROUP BY source_path HAVING count(*) > 1").fetchall()
        orphans = con.execute(
            "SELECT count(*) FROM articles a ANTI JOIN dumps d USING (dump_id)").fetchone()[0]
        assert doubled == [] and orphans == 0, "a kill left doubled or orphaned rows"
        return runs, files
    finally:
        con.close()


def _phase(warehouse: Path) -> str:
    staging = warehouse / wh.STAGING_DIR / "shards"
    if not staging.exists():
        return "discovery/scan"
    entries = list(staging.iterdir())
    if any(".partial-" in e.name for e in entries):
        return "staging write"
    return "processing" if entries else "discovery/scan"


@pytest.mark.timeout(2400)  # about 30 runs of a few seconds each; far more on a loaded machine
def test_sigkill_at_random_points_never_corrupts_and_rerun_converges(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    n_files = sum(1 for _ in src.rglob("*.txt"))
    with prefect_server(tmp_path / "server") as api_url:
        env = prefect_env(tmp_path / "client-home", api_url)
        log = tmp_path / "runs.log"

        # A clean run first: its duration spreads the kill points over a whole run.
        clean = tmp_path / "wh-clean"
        started = time.monotonic()
        assert _run(src, clean, env, log).wait(600) == 0, log.read_text()[-3000:]
        duration = time.monotonic() - started

        warehouse = tmp_path / "wh"
        rng = random.Random(7)
        phases: dict[str, int] = {}
        runs_before, files_before = 0, 0
        kills = mutations = 0
        while kills < KILLS:
            proc = _run(src, warehouse, env, log)
            time.sleep(rng.uniform(0.2, 1.1) * duration)
            if proc.poll() is None:
                phase = _phase(warehouse)
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                kills += 1
            else:
                assert proc.returncode == 0, log.read_text()[-3000:]
                phase = "after commit"
            runs, files = _state(warehouse)
            committed = runs > runs_before
            if phase != "after commit" and committed:
                phase = "commit"  # the kill came after the catalog's transaction ended
            phases[phase] = phases.get(phase, 0) + 1
            assert files in (files_before, n_files), f"part of a run is visible after a kill during {phase}"
            if committed:
                runs_before, files_before = runs, files
                # Give the next run work again: change a few files, as a scraper would.
                for p in rng.sample(sorted(src.rglob("*.txt")), 4):
                    p.write_bytes(p.read_bytes() + f"\nUpdate {mutations}.\n".encode())  # samples keep their encoding
                mutations += 1

        assert _run(src, warehouse, env, log).wait(600) == 0, log.read_text()[-3000:]
        reference = tmp_path / "wh-reference"
        assert _run(src, reference, env, log).wait(600) == 0, log.read_text()[-3000:]
    con = wh.connect(warehouse, read_only=True)
    reused = con.execute("SELECT sum(CAST(json_extract(counts, '$.shards_reused') AS BIGINT)) FROM runs").fetchone()[0]
    con.close()
    print(f"\n{kills} kills over a {duration:.1f} s run, by phase: {phases}; corpus changed {mutations} times; "
          f"{reused} staged shards reused")
    if phases.get("processing"):
        assert reused, "shards finished before a kill are reused by the next run, not redone"
    assert _table_digest(warehouse) == _table_digest(reference)
    assert not (warehouse / wh.STAGING_DIR).exists(), "a successful run leaves no staging behind"
    shutil.rmtree(tmp_path / "server", ignore_errors=True)
