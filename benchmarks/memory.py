"""Peak memory of an ingest run against the corpus size: is it flat in N?

    .venv/bin/python benchmarks/memory.py                       # 10k and 50k generated dumps
    .venv/bin/python benchmarks/memory.py --sizes 10000,50000,200000
    .venv/bin/python benchmarks/memory.py --trace /tmp/mem   # also /tmp/mem.<n>.jsonl: every sample, PSS by role

Each size is a generated corpus (benchmarks/generate.py, cached by (n, seed) under --corpus) ingested by the
flow in local mode into a fresh warehouse, in a child process whose whole tree (flow process, Prefect's temporary
API server, the worker pool) is sampled for memory, two ways, by process role:

- RSS summed over the tree counts a page shared by several processes once in each: the pool workers are forked
  from a forkserver that preloaded langdetect's and py3langid's models, so RSS counts those pages three times.
- PSS (proportional set size, /proc/PID/smaps_rollup) divides each shared page among the processes sharing it:
  the sum over the tree is the physical memory the run holds. The target is judged on it.

Prints the curve, the flow process's CPU per dump, the growth per 10,000 dumps between the smallest and the
largest size, and the issue's target (<= 1 GiB at 200,000 dumps), measured when 200,000 is among the sizes, else
extrapolated along the measured line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages are not installed under these names

from benchmarks.throughput import ensure_corpus, load_average, prefect_env, role, verdict  # noqa: E402

TARGET_N = 200_000
TARGET_BYTES = 2**30


def pss_bytes(pid: int) -> int:
    """Proportional set size of one process: shared pages divided among the processes that map them."""
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def tree_memory(proc) -> tuple[dict[str, int], dict[str, int]]:  # type: ignore[no-untyped-def]
    """(RSS by role, PSS by role) over a process and its descendants."""
    import psutil

    rss: Counter[str] = Counter()
    pss: Counter[str] = Counter()
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return {}, {}
    for p in procs:
        try:
            name = role(p.cmdline(), p.pid == proc.pid)
            rss[name] += p.memory_info().rss
            pss[name] += pss_bytes(p.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied, FileNotFoundError, ProcessLookupError):
            continue
    return dict(rss), dict(pss)


@dataclass(frozen=True)
class Measured:
    result: dict  # the flow stage's JSON result (seconds, cpu_parts, dumps, ...)
    peak_rss: int
    rss_parts: dict[str, int]  # by role, at the RSS peak
    peak_pss: int
    pss_parts: dict[str, int]  # by role, at the PSS peak
    role_max: dict[str, int]  # the largest PSS each role reached, whenever it did


def measure_flow(corpus: Path, warehouse: Path, workers: int, env: dict[str, str], interval: float,
                 trace: Path | None = None) -> Measured:
    """benchmarks/throughput.py's flow stage in a fresh interpreter, its tree sampled for RSS and PSS."""
    import psutil

    script = ROOT / "benchmarks" / "throughput.py"
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = psutil.Popen([sys.executable, str(script), "--stage", "flow", str(corpus), str(warehouse), str(workers)],
                            stdout=out, stderr=err, env=env, cwd=ROOT)
        peak_rss, rss_parts, peak_pss, pss_parts = 0, {}, 0, {}
        role_max: Counter[str] = Counter()
        started = time.monotonic()
        log = trace.open("a") if trace else None
        while proc.poll() is None:
            rss, pss = tree_memory(proc)
            for name, b in pss.items():
                role_max[name] = max(role_max[name], b)
            if log is not None:  # one JSON line per sample: seconds since start, PSS MiB by role
                log.write(json.dumps({"t": round(time.monotonic() - started, 2),
                                      **{k: v >> 20 for k, v in pss.items()}}) + "\n")
            if sum(rss.values()) > peak_rss:
                peak_rss, rss_parts = sum(rss.values()), rss
            if sum(pss.values()) > peak_pss:
                peak_pss, pss_parts = sum(pss.values()), pss
            time.sleep(interval)
        if log is not None:
            log.close()
        out.seek(0)
        err.seek(0)
        lines = out.read().strip().splitlines()
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"flow stage failed ({proc.returncode}):\n{err.read()[-4000:]}")
        return Measured(json.loads(lines[-1]), peak_rss, rss_parts, peak_pss, pss_parts, dict(role_max))


def parts_line(parts: dict[str, int]) -> str:
    return ", ".join(f"{name} {b / 2**20:.0f}" for name, b in sorted(parts.items(), key=lambda x: -x[1]))


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(s.replace("_", "").replace("k", "000")) for s in text.split(",") if s.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are positive numbers separated by commas, e.g. 10000,50000")
    return sizes


def at_target(curve: list[tuple[int, int]]) -> tuple[int, bool]:
    """Peak memory at TARGET_N: measured if in the curve, else on the line through the first and last points."""
    for n, peak in curve:
        if n == TARGET_N:
            return peak, True
    (n0, p0), (n1, p1) = curve[0], curve[-1]
    slope = (p1 - p0) / (n1 - n0) if n1 != n0 else 0.0
    return int(p1 + slope * (TARGET_N - n1)), False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[10_000, 50_000], help="dumps per run (default 10000,50000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()), help="corpus cache folder")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between samples of the tree")
    parser.add_argument("--trace", type=Path, help="append every sample (PSS by role) to this file, one JSON line each")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="newsprep-memory-"))
    rss_curve: list[tuple[int, int]] = []
    pss_curve: list[tuple[int, int]] = []
    try:
        print(f"machine: {load_average()}")
        env = prefect_env(tmp / "prefect-home")
        for n in args.sizes:
            corpus, size = ensure_corpus(args.corpus, n, args.seed)
            m = measure_flow(corpus, tmp / f"wh-{n}", args.workers, env, args.interval,
                             args.trace.with_suffix(f".{n}.jsonl") if args.trace else None)
            rss_curve.append((n, m.peak_rss))
            pss_curve.append((n, m.peak_pss))
            seconds = m.result["seconds"]
            flow_cpu = m.result.get("cpu_parts", {}).get("main")
            print(f"{n:>9,} dumps ({size / 1e6:7.1f} MB): peak PSS {m.peak_pss / 2**20:6.0f} MiB, peak RSS "
                  f"{m.peak_rss / 2**20:6.0f} MiB   ingest {seconds:7.1f} s ({n / seconds:.1f} docs/s)")
            print(f"          PSS at its peak (MiB): {parts_line(m.pss_parts)}")
            print(f"          RSS at its peak (MiB): {parts_line(m.rss_parts)}")
            print(f"          largest PSS of each role, whenever (MiB): {parts_line(m.role_max)}")
            if flow_cpu is not None:  # the pool's CPU is not there: its workers end before the commit
                print(f"          flow process CPU {flow_cpu:.1f} s ({1000 * flow_cpu / n:.2f} ms per dump)")
            shutil.rmtree(tmp / f"wh-{n}", ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for label, curve in (("PSS", pss_curve), ("RSS", rss_curve)):
        if len(curve) > 1:
            (n0, p0), (n1, p1) = curve[0], curve[-1]
            print(f"{label} growth: {(p1 - p0) / 2**20 / ((n1 - n0) / 10_000):+.1f} MiB per 10,000 dumps "
                  f"({n0:,} -> {n1:,})")
    for label, curve in (("PSS (judged: physical memory of the tree)", pss_curve),
                         ("RSS (shared pages counted once per process)", rss_curve)):
        peak, measured = at_target(curve)
        how = "measured" if measured else "extrapolated along the measured line"
        print(verdict(peak <= TARGET_BYTES, f"peak {label} at {TARGET_N:,} dumps <= 1 GiB: {peak / 2**20:.0f} MiB ({how})"))
    print(f"machine: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
