"""The throughput benchmark: its langdetect knobs do what they say, and a tiny full run prints sane figures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
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


def test_rounds_are_judged_by_their_median_pair(tp: ModuleType) -> None:
    def child(seconds: float, cpu: float, main: float = 4.0, server: float = 0.0):  # type: ignore[no-untyped-def]
        parts = {"main": main, "prefect API server": server, "forkserver + pool workers": cpu - main - server}
        workers = tp.Activity(cpu - main - server - 1, 100, int(seconds * 10), 2)  # the forkserver: 1 CPU-s
        return tp.Child({"seconds": seconds, "cpu": cpu, "cpu_parts": parts}, 0, seconds, {}, {"pool workers": workers})

    rounds = [
        {"plain": child(40, 80), "flow": child(42, 82, 5, 2), "flow-1": child(80, 80)},  # +4.8 %, 1.90x
        {"flow-1": child(99, 99), "flow": child(55, 101, 5, 2), "plain": child(49, 95, 3)},  # +10.9 %, 1.80x (slow)
        {"plain": child(41, 80, 5), "flow": child(41, 81, 4.5, 2), "flow-1": child(82, 81)},  # 0 %, 2.00x
    ]
    assert [round(tp.overhead_of(r, "seconds"), 3) for r in rounds] == [0.048, 0.109, 0.0]
    assert tp.median([tp.overhead_of(r, "seconds") for r in rounds]) == pytest.approx(2 / 42)
    assert tp.median([3.0, 1.0]) == 2.0 and tp.median([5.0]) == 5.0
    assert tp.median_round(rounds) == 0  # (c) times 42, 55, 41: the median is round 1's
    # Prefect's own CPU: the server's, plus c's flow process beyond d's main process (never below nothing)
    assert [round(tp.prefect_cpu_share(r), 4) for r in rounds] == [round(3 / 82, 4), round(4 / 101, 4), round(2 / 81, 4)]
    line = tp.round_line(2, rounds[1], 1000)
    assert line.startswith("round 2 (c1 c d): (c) 55.0 s 18.2 docs/s 101.0 CPU-s;")
    assert "Prefect +10.9% wall +5.9% CPU, its own CPU 4.0%;" in line and "1 -> 2 workers 1.80x wall 1.96x CPU" in line
    # the workers' own CPU, (c) over (d): 101-5-2-1 = 93 over 95-3-1 = 91; preemptions from the sampled counts
    assert "workers' CPU c/d 1.02, preempted 550 (c) vs 490 (d) times;" in line
    assert [round(tp.workers_cpu_ratio(r), 3) for r in rounds] == [round(74 / 75, 3), round(93 / 91, 3), round(73.5 / 74, 3)]
    blind = {**rounds[1], "plain": tp.Child(rounds[1]["plain"].result, 0, 49, {}, {"main": tp.Activity(3, 1, 1, 1)})}
    assert tp.workers_cpu_ratio(blind) is None
    assert "workers' CPU c/d n/a (sampled: c pool workers 2; d main 1);" in tp.round_line(2, blind, 1000)
    # (d) repeats the same work each round: its spread is the machine's noise
    assert tp.noise_line(rounds).startswith("the machine's noise: (d), the same work in each round, took 40.0-49.0 s "
                                            "(+23%) and 80.0-95.0 CPU-s (+19%)")


def test_activity_sums_processes_by_role(tp: ModuleType) -> None:
    activity = {10: ("main", 2.0, 5, 1), 11: ("pool workers", 30.0, 7, 40), 12: ("pool workers", 29.5, 3, 60),
                13: ("forkserver", 1.5, 2, 0)}
    by_role = tp.activity_by_role(activity)
    assert by_role["pool workers"] == tp.Activity(59.5, 10, 100, 2)
    assert by_role["main"] == tp.Activity(2.0, 5, 1, 1) and by_role["forkserver"].processes == 1


def test_sampling_tells_the_forkserver_from_its_workers(tp: ModuleType) -> None:
    """A real process tree: this interpreter starts a child that starts a forkserver pool; the sampler records the
    forkserver (a child of the measured process) apart from the workers it forked."""
    import psutil

    script = ("import multiprocessing as mp, time\n"
              "if __name__ == '__main__':\n"
              "    ctx = mp.get_context('forkserver')\n"
              "    with ctx.Pool(2) as pool:\n"
              "        pool.map(sum, [range(10**6)] * 8)\n"
              "        time.sleep(1.5)\n")
    proc = psutil.Popen([sys.executable, "-c", script])
    activity: dict = {}
    try:
        while proc.poll() is None:
            tp.tree_rss(proc, activity)
            time.sleep(0.05)
    finally:
        proc.wait(10)
    by_role = tp.activity_by_role(activity)
    assert by_role["main"].processes == 1
    assert by_role["forkserver"].processes == 1
    assert by_role["pool workers"].processes == 2
    assert all(a.voluntary + a.involuntary > 0 for a in by_role.values())


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_tiny_run_prints_every_figure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--n", "40", "--corpus", str(tmp_path), "--workers", "2", "--profile-n", "10",
         "--knob-sample", "10", "--accuracy-limit", "0", "--no-startup", "--rounds", "2"],
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
    shares = re.search(r"^share of time by stage, \(d\) \(round \d\): (.*)$", out, re.M)
    assert shares and "process" in shares.group(1)
    assert re.search(r"^hot path, .* tasks/fastdetect \d+%", out, re.M), out  # langdetect's algorithm, ours
    # Rounds of d, c and c with 1 worker, in alternating order; each compares within itself.
    rounds = re.findall(r"^round (\d) \((.*?)\): \(c\) .* Prefect [-+][\d.]+% wall .* 1 -> 2 workers [\d.]+x wall", out, re.M)
    assert rounds == [("1", "d c c1"), ("2", "c1 c d")], out
    assert "(median of 2)" in out
    # Scaling on the same corpus: (c) is the 2-worker run of each round.
    assert len(re.findall(r"^scaling, 40 dumps, newsprep ingest, round \d: 1 worker\(s\) [\d.]+ docs/s, .*"
                          r"2 worker\(s\) [\d.]+ docs/s, .*\(2 workers: c\)$", out, re.M)) == 2, out
    assert re.search(r"^scaling 1 -> 2 workers: [\d.]+x wall; [\d.]+x from CPU per dump \(medians of 2 rounds\)$", out, re.M)
    verdicts = re.findall(r"^  (PASS|FAIL)  .*(PASS|FAIL)  ", out, re.M)
    assert len(verdicts) == 4  # vs naive, vs floor, Prefect overhead, 1 -> 2 workers; wall and CPU (no start-up)
    assert re.search(r"^  (PASS|FAIL)  Prefect overhead .* (PASS|FAIL)  its own CPU [\d.]+%$", out, re.M), out
    assert re.search(r"^the machine, 1 -> 2 processes: langdetect alone on 43 bodies .* [\d.]+x wall", out, re.M), out
    assert re.search(r"^  (PASS|FAIL)  1 -> 2 workers .*\(the machine: [\d.]+x for langdetect alone\)$", out, re.M)
    knob_rows = re.findall(r"^\s+(7|3|1)\s+(300|1000|2000)\s+\d+\s+[\d.]+x", out, re.M)
    assert sorted(knob_rows) == sorted([("7", "1000"), ("3", "1000"), ("1", "1000"), ("7", "300"), ("7", "2000")])
    assert re.search(r"^content-hash cache: .* labels identical: True$", out, re.M), out
    assert (tmp_path / "newsprep-corpus-40-0" / "COMPLETE.json").is_file()  # cached for the next run
