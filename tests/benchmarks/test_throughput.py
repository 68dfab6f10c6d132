"""The throughput benchmark: its langdetect knobs do what they say, and a tiny full run prints sane figures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.benchmarks.loader import load_benchmark

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "throughput.py"


@pytest.fixture(scope="module")
def tp() -> ModuleType:
    return load_benchmark("throughput")


def test_set_n_trial_reaches_newsprep_s_detector(tp: ModuleType) -> None:
    from tasks.language import N_TRIAL, _langdetect

    try:
        tp.set_n_trial(7)
        assert _langdetect().n_trial == 7
        tp.set_n_trial(1)
        assert _langdetect().n_trial == 1
    finally:
        tp.set_n_trial(N_TRIAL)
    assert _langdetect().n_trial == N_TRIAL


def test_profile_frames_go_to_the_module_or_library_doing_the_work(tp: ModuleType) -> None:
    assert tp._module_of("/x/.venv/lib/python3.11/site-packages/langdetect/detector.py") == "langdetect"
    assert tp._module_of(str(ROOT / "tasks" / "classify.py")) == "tasks/classify"
    assert tp._module_of("/usr/lib/python3.11/re/__init__.py") is None  # counted for its caller
    assert tp._module_of(None) is None


def _figure(out: str, label: str) -> tuple[float, float]:
    """(docs/s, peak RSS MiB) of the line starting with `label`."""
    m = re.search(rf"^{re.escape(label)}.*?([\d.]+) docs/s .*peak RSS\s+(\d+) MiB", out, re.M)
    assert m, f"no figure line for {label!r} in:\n{out}"
    return float(m.group(1)), float(m.group(2))


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_tiny_run_prints_every_figure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--n", "40", "--corpus", str(tmp_path), "--workers", "2", "--profile-n", "10",
         "--knob-sample", "10", "--accuracy-limit", "0", "--no-startup"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=280,
    )  # fmt: skip
    out = proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    for label in ("(a) naive", "(b) langdetect floor", "(c) newsprep ingest", "(d) run_shard"):
        rate, rss = _figure(out, label)
        assert 0.5 < rate < 100_000
        assert 20 < rss < 8192
    assert "c and d wrote the same counts: True" in out
    ratios = re.search(r"^ratios \(wall\): c/a ([\d.]+)x\s+c/b ([\d.]+)x\s+\(d-c\)/c ([-+][\d.]+)%", out, re.M)
    assert ratios and float(ratios.group(1)) > 0 and float(ratios.group(2)) > 0, out
    shares = re.search(r"^share of time by stage, \(d\): (.*)$", out, re.M)
    assert shares and "process" in shares.group(1)
    assert re.search(r"^hot path, .* tasks/fastdetect \d+%", out, re.M), out  # langdetect's algorithm, ours
    # Scaling on the same corpus: one more run with 1 worker; (c) is the 2-worker run.
    assert re.search(r"^scaling, 40 dumps, newsprep ingest with 1 worker\(s\): +[\d.]+ docs/s", out, re.M), out
    assert re.search(r"^scaling, 40 dumps, newsprep ingest with 2 worker\(s\): .*\(c\)$", out, re.M), out
    verdicts = re.findall(r"^  (PASS|FAIL)  .*(PASS|FAIL)  ", out, re.M)
    assert len(verdicts) == 4  # vs naive, vs floor, Prefect overhead, 1 -> 2 workers; wall and CPU (no start-up)
    knob_rows = re.findall(r"^\s+(7|3|1)\s+(300|1000|2000)\s+\d+\s+[\d.]+x", out, re.M)
    assert sorted(knob_rows) == sorted([("7", "1000"), ("3", "1000"), ("1", "1000"), ("7", "300"), ("7", "2000")])
    assert re.search(r"^content-hash cache: .* labels identical: True$", out, re.M), out
    assert (tmp_path / "newsprep-corpus-40-0" / "COMPLETE.json").is_file()  # cached for the next run
