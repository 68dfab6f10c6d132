"""Throughput of newsprep against the naive way and the langdetect floor, on one generated corpus, in one run.

    .venv/bin/python benchmarks/throughput.py                  # 20,000 generated dumps, corpus cached under /tmp
    .venv/bin/python benchmarks/throughput.py --n 2000 --scaling-n 1000 --accuracy-limit 10   # a quick look

Prints, for the same dumps:
  (a) naive    one process: read each file, langdetect (seeded) on the full text, one Parquet file (pyarrow);
  (b) floor    only langdetect (seeded, first 1,000 characters) over the cleaned article bodies newsprep wrote,
               on all cores (multiprocessing pool): what language detection alone costs;
  (c) newsprep `flows.ingest.ingest` through Prefect (default runner) into a fresh warehouse, timed once the
               temporary API server is up (its start-up is the separate `newsprep run` start-up figure), the
               worker pool's models loaded inside the timed run, as in (d);
  (d) plain    the same work without Prefect: the flow's own functions (its tasks' bodies) in the same order on
               threads, shards through `tasks.shard.run_shard` in the same process pool: plan against the
               manifest, boilerplate scan, shards staged, one DuckLake transaction, the HTML report;
then docs/s, MB/s (bytes on disk), peak RSS (the process and all its children, sampled), the share of time by
flow stage and by module of the hot path (pyinstrument), the ratios c/a, c/b and (d-c)/c, 1 vs 2 workers
(on the same corpus: (c) is the 2-worker run). (c), (d) and (c) with 1 worker run in --rounds rounds (default 3),
one after the other in alternating order; Prefect's share and the 1 -> 2 scaling are compared within each round
and judged by their median (the machine's speed drifts by more than the 5 % target within minutes); each run's
processes are sampled for their CPU and context switches, so that a round also shows whether the pool workers
themselves ran slower beside Prefect (their CPU in (c) over (d)), and (d)'s spread over the rounds is printed as the
machine's noise;
the start-up of `newsprep run` on an empty folder, and what langdetect's n_trial, input size and a
content-hash cache buy in docs/s and in accuracy on the language benchmark (benchmarks/language.py).
Each measured variant runs in its own child process (`--stage`), so its memory is its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages are not installed under these names

DEFAULT_N = 20_000
COMPLETE = "COMPLETE.json"  # written last: a corpus folder without it is a half-written one
LANGDETECT_CHARS = 1000
TRIALS = (7, 3, 1)
SIZES = (300, 1000, 2000)
ACCURACY_LENGTHS = (50, 300, 1000, 5000)

# Targets of issue 7 on the 2-core machine.
TARGET_VS_NAIVE = 4.0
TARGET_VS_FLOOR = 0.75
TARGET_OVERHEAD = 0.05
TARGET_SCALING = 1.8
TARGET_STARTUP_S = 5.0


# ---------------------------------------------------------------------------------------------------- corpus


def corpus_dir(base: Path, n: int, seed: int) -> Path:
    return base / f"newsprep-corpus-{n}-{seed}"


def ensure_corpus(base: Path, n: int, seed: int) -> tuple[Path, int]:
    """The (n, seed) corpus under `base`, generated once and reused: (folder, bytes on disk)."""
    from benchmarks.generate import generate

    folder = corpus_dir(base, n, seed)
    done = folder / COMPLETE
    if not done.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        summary = generate(folder, n, seed, progress=True)
        done.write_text(json.dumps({"n": n, "seed": seed, "bytes": summary.bytes}))
    return folder, int(json.loads(done.read_text())["bytes"])


def dump_paths(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.name.endswith((".txt", ".txt.gz")))


# ---------------------------------------------------------------------------------------------------- children


def role(cmdline: list[str], root: bool) -> str:
    """What a process of the measured tree is, for the memory breakdown."""
    text = " ".join(cmdline)
    if root:
        return "main"
    if "prefect" in text and "server" in text or "uvicorn" in text:
        return "prefect API server"
    if "forkserver" in text:
        return "forkserver + pool workers"  # workers forked from the forkserver keep its command line
    if "multiprocessing" in text or "spawn_main" in text:
        return "other multiprocessing"  # the resource tracker, or spawned workers
    return "other"


def tree_rss(proc, activity: dict[int, tuple[str, float, int, int]] | None = None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Resident memory of a process and all its descendants by role (pages shared between processes counted in
    each). With `activity`, also records each process's CPU seconds and context switches so far (see
    `activity_by_role`)."""
    import psutil

    parts: Counter[str] = Counter()
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return {}
    for p in procs:
        try:
            kind = role(p.cmdline(), p.pid == proc.pid)
            parts[kind] += p.memory_info().rss
            if activity is not None:
                if kind == "forkserver + pool workers":
                    kind = "forkserver" if p.ppid() == proc.pid else "pool workers"
                t, switches = p.cpu_times(), p.num_ctx_switches()
                activity[p.pid] = (kind, t.user + t.system, switches.voluntary, switches.involuntary)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return dict(parts)


@dataclass(frozen=True)
class Activity:
    """What the processes of one role did over a child's life: CPU seconds, and how often they gave up a core
    (voluntary context switches: waiting for I/O, a lock, a reply) or were made to (involuntary: preempted by
    another process wanting a core). Sampled: a process's last 0.1 s before it exits are missed."""

    cpu: float
    voluntary: int
    involuntary: int
    processes: int


def activity_by_role(activity: dict[int, tuple[str, float, int, int]]) -> dict[str, Activity]:
    sums: dict[str, list[float]] = {}
    for kind, cpu, voluntary, involuntary in activity.values():
        s = sums.setdefault(kind, [0.0, 0, 0, 0])
        s[0] += cpu
        s[1] += voluntary
        s[2] += involuntary
        s[3] += 1
    return {k: Activity(round(v[0], 2), int(v[1]), int(v[2]), int(v[3])) for k, v in sums.items()}


def cpu_by_role() -> Counter[str]:
    """CPU seconds (user + system) used so far by this process and its descendants, by role: on a machine
    other people load, CPU per dump is the figure that stays comparable, wall time is not. A descendant that has
    exited counts through the process that reaped it (pool workers through the forkserver that forked them)."""
    import psutil

    me = psutil.Process()
    parts: Counter[str] = Counter()
    for p in [me, *me.children(recursive=True)]:
        try:
            t = p.cpu_times()
            if p.pid == me.pid:
                # What this process reaped: the forkserver with its workers once a big run releases the pool
                # (flows/stages.py stops it before the commit).
                parts["main"] += t.user + t.system
                parts["forkserver + pool workers"] += t.children_user + t.children_system
            else:
                parts[role(p.cmdline(), False)] += t.user + t.system + t.children_user + t.children_system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return parts


def tree_cpu() -> float:
    return sum(cpu_by_role().values())


@dataclass(frozen=True)
class Child:
    result: dict
    peak_rss: int
    wall: float
    peak_parts: dict[str, int]  # RSS by process role at the peak
    activity: dict[str, Activity]  # CPU and context switches by role, over the child's life


def run_child(stage: str, *args: str, env: dict[str, str] | None = None, interval: float = 0.1) -> Child:
    """Run `--stage STAGE ARGS` in a fresh interpreter, sampling its process tree's RSS; its last stdout line is
    the JSON result."""
    import psutil

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = psutil.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--stage", stage, *args],
            stdout=out, stderr=err, env=env, cwd=ROOT,
        )
        peak, parts, activity = 0, {}, {}
        while proc.poll() is None:
            sample = tree_rss(proc, activity)
            if sum(sample.values()) > peak:
                peak, parts = sum(sample.values()), sample
            time.sleep(interval)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        lines = out.read().strip().splitlines()
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"stage {stage} failed ({proc.returncode}):\n{err.read()[-4000:]}")
        return Child(json.loads(lines[-1]), peak, wall, parts, activity_by_role(activity))


def prefect_env(home: Path) -> dict[str, str]:
    """A private Prefect home in local mode (no API URL), as the integration tests use."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    return env


# ---------------------------------------------------------------------------------------------------- stages


def stage_naive(corpus: str, out: str) -> dict:
    """(a) The obvious script: read, decode, langdetect on the whole text, one Parquet file."""
    import gzip

    import pyarrow as pa
    import pyarrow.parquet as pq
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    started, cpu = time.perf_counter(), tree_cpu()
    cols: dict[str, list] = {"path": [], "size": [], "language": [], "score": [], "text": []}
    for path in dump_paths(Path(corpus)):
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if path.name.endswith(".gz") else raw).decode("utf-8", errors="replace")
        try:
            best = detect_langs(text)[0]
            lang, score = str(best.lang), float(best.prob)
        except LangDetectException:
            lang, score = "und", 0.0
        for key, value in zip(cols, (str(path), len(raw), lang, score, text), strict=True):
            cols[key].append(value)
    pq.write_table(pa.table(cols), out, compression="zstd")
    return {"seconds": time.perf_counter() - started, "cpu": tree_cpu() - cpu, "dumps": len(cols["path"])}


def _seeded() -> None:
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()


def _langdetect_1000(text: str) -> str:
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    try:
        return str(detect_langs(text[:LANGDETECT_CHARS])[0].lang)
    except LangDetectException:
        return "und"


def stage_floor(bodies: str, workers: str, limit: str = "0") -> dict:
    """(b) langdetect alone on every cleaned body (the first `limit`, if not 0), all cores; the pool is started and
    warmed before the clock."""
    import pyarrow.parquet as pq

    texts = pq.read_table(bodies, columns=["body"]).column("body").to_pylist()
    texts = texts[: int(limit)] if int(limit) else texts
    with multiprocessing.get_context("fork").Pool(int(workers), initializer=_seeded) as pool:
        pool.map(_langdetect_1000, ["warm the pool up"] * int(workers))
        started, cpu = time.perf_counter(), tree_cpu()
        labels = pool.map(_langdetect_1000, texts, chunksize=64)
        seconds, cpu = time.perf_counter() - started, tree_cpu() - cpu
    return {"seconds": seconds, "cpu": cpu, "bodies": len(labels)}


def stage_flow(corpus: str, warehouse: str, workers: str) -> dict:
    """(c) The ingest flow in local mode: a flow over an empty folder first starts the temporary API server,
    then the timed run over the corpus."""
    started = time.perf_counter()
    from flows.ingest import IngestConfig, ingest
    from tasks.shard import shutdown_pool

    imported = time.perf_counter()
    empty = Path(tempfile.mkdtemp(prefix="newsprep-empty-"))
    ingest(IngestConfig(sources=[str(empty)], warehouse=str(empty / "wh"), workers=int(workers)))
    # That flow also started the pool's forkserver (flows.stages.warm_pool); stopped, so that the timed run loads
    # the models at its start, as (d) does: the comparison is of orchestration only.
    shutdown_pool(stop_forkserver=True)
    warm, before = time.perf_counter(), cpu_by_role()
    result = ingest(IngestConfig(sources=[corpus], warehouse=warehouse, workers=int(workers)))
    seconds, after = time.perf_counter() - warm, cpu_by_role()
    cpu_parts = {k: round(after[k] - before[k], 1) for k in after}  # a role born in the run counts from zero
    shutdown_pool()
    shutil.rmtree(empty, ignore_errors=True)
    return {
        "seconds": seconds,
        "cpu": sum(cpu_parts.values()),
        "cpu_parts": cpu_parts,
        "import": imported - started,
        "first_flow": warm - imported,
        "dumps": result["dumps"],
        "rejects": result["rejects"],
        "articles": result["articles"],
        # The flow's own timings include the commit, which the runs row (written inside it) cannot.
        "stages": result.get("stage_seconds") or _stage_seconds(warehouse, result["run_id"]),
    }


def _stage_seconds(warehouse: str, run_id: str) -> dict[str, float]:
    """The flow's own stage timings, from the runs row (empty when this version of the flow does not record them)."""
    from tasks.warehouse import connect

    con = connect(warehouse)
    try:
        row = con.execute("SELECT counts FROM lake.runs WHERE run_id = ?", [run_id]).fetchone()
    finally:
        con.close()
    counts = json.loads(row[0]) if row and row[0] else {}
    return counts.get("stage_seconds", {})


def stage_plain(corpus: str, warehouse: str, workers: str) -> dict:
    """(d) The flow's work without Prefect: the same functions the ingest flow calls (its tasks' bodies through
    `.fn`), with threads where Prefect's thread task runner would run its tasks, and in the same order: lock,
    warm the pool, plan against the manifest, learn boilerplate, process and stage the shards, release the pool,
    commit in one DuckLake transaction, write the HTML report. What remains between (c) and (d) is Prefect:
    its flow and task runs, their states, logs and artifacts, and the API server that records them."""
    from concurrent.futures import ThreadPoolExecutor

    from flows.ingest import IngestConfig, plan_run
    from flows.stages import (
        RELEASE_POOL_AT,
        SHARDS_IN_FLIGHT_PER_WORKER,
        Learned,
        _salt,
        commit_run,
        import_report_in_background,
        process_shard,
        scan_parts,
        skipped_rows,
        staged_files,
        totals_of,
        warm_pool,
    )  # fmt: skip
    from tasks import warehouse as wh
    from tasks.report import write_run_report
    from tasks.shard import scan_shard, shutdown_pool, worker_pool

    stages: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[name] = now - clock
        clock = now

    total_start, before = clock, cpu_by_role()
    options = IngestConfig(sources=[corpus], warehouse=warehouse, workers=int(workers))
    wh_path = Path(warehouse).resolve()
    run_id = uuid.uuid4().hex
    window = max(2, SHARDS_IN_FLIGHT_PER_WORKER * options.workers)
    max_bytes = int(options.max_file_mb * 1024 * 1024)
    with wh.exclusive(wh_path, f"plain {run_id}"), ThreadPoolExecutor(max(4, window)) as threads:
        warm_pool(options)
        work = plan_run.fn(options, wh_path)
        lap("discover")
        learned = Learned()

        def scan(entries: list) -> int:
            return learned.add(worker_pool(options.workers).submit(scan_shard, entries, max_bytes=max_bytes).result())

        list(threads.map(scan, scan_parts(work.todo, options)))
        boilerplate = learned.lines
        lap("scan")
        staging_root = wh_path / wh.STAGING_DIR

        def process(item: tuple[int, list]) -> tuple:
            i, entries = item
            salt = _salt(options, boilerplate, entries)
            return process_shard.fn(i, entries, str(staging_root), salt, boilerplate, options)

        results = list(threads.map(process, enumerate(work.todo.shards(options.shard_size, options.workers))))
        lap("process")
        if len(work.todo) >= RELEASE_POOL_AT:
            shutdown_pool(stop_forkserver=True)
        reports = [r for r, _ in results]
        totals = totals_of(reports, work)
        staged = staged_files(reports)
        now = dt.datetime.now(dt.UTC)
        run_row = {"run_id": run_id, "flow_run_id": None, "started_at": now, "finished_at": now,
                   "status": "completed", "files_seen": work.files_seen, "files_skipped": work.unchanged,
                   "dumps_written": totals["dumps"], "rejects_written": totals["rejects"],
                   "articles_written": totals["articles"], "removed_lines_written": totals["removed_lines"],
                   "parameters": "{}", "versions": "{}", "counts": wh.to_json(totals)}  # fmt: skip
        import_report_in_background()
        commit_run.fn(str(wh_path), staged, sorted(work.replaced), skipped_rows(work.skipped, run_id), run_row)
        shutil.rmtree(staging_root, ignore_errors=True)
        lap("commit")
        write_run_report(wh_path, run_id)
        lap("report")
    seconds, after = time.perf_counter() - total_start, cpu_by_role()
    cpu_parts = {k: round(after[k] - before[k], 1) for k in after}
    shutdown_pool()
    return {
        "seconds": seconds,
        "cpu": sum(cpu_parts.values()),
        "cpu_parts": cpu_parts,
        "dumps": totals["dumps"],
        "rejects": totals["rejects"],
        "articles": totals["articles"],
        "stages": stages,
    }


def _module_of(file_path: str | None) -> str | None:
    """The stage a profiled frame belongs to: a tasks/ module, or the library doing the work."""
    if not file_path:
        return None  # a builtin (a regex match, a str method): its caller's stage
    path = file_path.replace(os.sep, "/")
    for lib, name in (("/langdetect/", "langdetect"), ("/py3langid/", "py3langid"), ("/pyarrow/", "arrow+parquet"),
                      ("/charset_normalizer/", "decode"), ("/ftfy/", "repair")):  # fmt: skip
        if lib in path:
            return name
    if "/tasks/" in path and "/site-packages/" not in path:
        return "tasks/" + path.rsplit("/", 1)[-1].removesuffix(".py")
    return None


def stage_profile(corpus: str, limit: str) -> dict:
    """Where a worker's time goes: run_shard over the first `limit` dumps under pyinstrument, self time by
    the innermost tasks/ module or library on the stack."""
    from pyinstrument import Profiler

    from tasks.discover import discover
    from tasks.inputs import InputFile
    from tasks.shard import _warm_worker, run_shard

    _warm_worker()
    entries = [f for f in discover([corpus]) if isinstance(f, InputFile)][: int(limit)]
    staging = tempfile.mkdtemp(prefix="newsprep-profile-")
    profiler = Profiler(interval=0.001)
    profiler.start()
    run_shard(0, entries, "profile", staging, {}, "langdetect")
    profiler.stop()
    shutil.rmtree(staging, ignore_errors=True)
    shares: Counter[str] = Counter()

    def walk(frame, owner: str) -> None:  # type: ignore[no-untyped-def]
        mine = _module_of(frame.file_path) or owner
        shares[mine] += frame.time - sum(child.time for child in frame.children)
        for child in frame.children:
            walk(child, mine)

    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is not None:
        walk(root, "other")
    total = sum(shares.values()) or 1.0
    return {"dumps": len(entries), "shares": {k: v / total for k, v in shares.most_common()}}


# ---- langdetect settings: n_trial, input size, a cache by content hash


def set_n_trial(n_trial: int) -> None:
    """Make newsprep's langdetect (tasks/fastdetect.py, langdetect's algorithm) run `n_trial` random trials."""
    from tasks.language import _langdetect

    _langdetect().n_trial = n_trial


def _rate(texts: list[str]) -> tuple[float, list[str]]:
    from tasks.language import detect

    started = time.perf_counter()
    labels = [detect(t).language for t in texts]
    return len(texts) / (time.perf_counter() - started), labels


def _cached_rate(texts: list[str]) -> tuple[float, list[str]]:
    from tasks.language import detect

    cache: dict[bytes, str] = {}
    labels = []
    started = time.perf_counter()
    for t in texts:
        key = hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest()
        if key not in cache:
            cache[key] = detect(t).language
        labels.append(cache[key])
    return len(texts) / (time.perf_counter() - started), labels


def stage_knobs(bodies: str, sample: str, accuracy_limit: str) -> dict:
    """docs/s of tasks.language.detect on corpus bodies (one process) and accuracy on the language benchmark,
    for each n_trial and input size; then a content-hash cache on the whole corpus's bodies."""
    import pyarrow.parquet as pq

    import tasks.language as language
    from benchmarks import language as bench

    texts = pq.read_table(bodies, columns=["body"]).column("body").to_pylist()
    sampled = texts[:: max(1, len(texts) // int(sample))][: int(sample)]
    language.detect("Warm the profiles up before the clock starts.")
    have_data = (bench.LANG_DIR / "doc_labels.tsv").is_file()
    rows = []
    baseline_labels: list[str] | None = None
    for n_trial, size in [(t, LANGDETECT_CHARS) for t in TRIALS] + [(7, s) for s in SIZES if s != LANGDETECT_CHARS]:
        set_n_trial(n_trial)
        language.MAX_CHARS = size
        rate, labels = _rate(sampled)
        baseline_labels = baseline_labels or labels
        row = {"n_trial": n_trial, "chars": size, "docs_s": rate,
               "same_label": sum(a == b for a, b in zip(labels, baseline_labels, strict=True)) / len(labels)}
        if have_data and int(accuracy_limit) > 0:
            report = bench.run(limit=int(accuracy_limit), jobs=2, detectors=["langdetect"], lengths=ACCURACY_LENGTHS)
            t = bench.targets(report, "langdetect")
            row.update(acc_long=t.long_acc, n_long=t.long_n, acc_50=t.short_acc, n_50=t.short_n,
                       below=[lang for lang, _, _ in t.below])
        rows.append(row)
    set_n_trial(7)
    language.MAX_CHARS = LANGDETECT_CHARS
    plain_rate, plain_labels = _rate(sampled)
    cached_rate, cached_labels = _cached_rate(sampled)
    distinct = len({hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts})
    return {
        "rows": rows,
        "sample": len(sampled),
        "bodies": len(texts),
        "distinct": distinct,
        "sample_plain": plain_rate,
        "sample_cached": cached_rate,
        "cache_identical": plain_labels == cached_labels,
    }


STAGES = {
    "naive": stage_naive, "floor": stage_floor, "flow": stage_flow, "plain": stage_plain,
    "profile": stage_profile, "knobs": stage_knobs,
}  # fmt: skip


# ---------------------------------------------------------------------------------------------------- start-up


def startup_seconds(env: dict[str, str], tmp: Path) -> float:
    """Wall time of `newsprep run` on an empty folder: Python, imports, Prefect's local server, an empty run."""
    empty = tmp / f"empty-{uuid.uuid4().hex[:6]}"
    empty.mkdir()
    started = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("newsprep")), "run", str(empty), "-w", str(tmp / "startup-wh")],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )
    return time.perf_counter() - started


def startup_with_server(tmp: Path, reps: int = 3) -> tuple[float, float]:
    """`newsprep run` on an empty folder against a `newsprep server` started for this (benchmarks/startup.py
    measures more cases): (seconds from launch to the flow run's start, seconds for the whole command), best of
    `reps` after one untimed run."""
    from benchmarks.startup import NEWSPREP, env_for, free_port, timed_run

    env = env_for(tmp / "server-home")
    empty = tmp / "startup-empty"
    empty.mkdir(exist_ok=True)
    run = [NEWSPREP, "run", str(empty), "--warehouse", str(tmp / "startup-server-wh")]
    try:
        subprocess.run([NEWSPREP, "server", "start", "--port", str(free_port())], env=env, check=True,
                       capture_output=True)
        timed_run(run, env)  # registers the flow
        timings = [timed_run(run, env) for _ in range(reps)]
    finally:
        subprocess.run([NEWSPREP, "server", "stop"], env=env, capture_output=True)
    starts = [t.to_flow for t in timings if t.to_flow is not None]
    return (min(starts) if starts else float("inf")), min(t.wall for t in timings)


def export_bodies(warehouse: Path, out: Path) -> int:
    """The cleaned article bodies of a run, for the langdetect floor and the langdetect settings."""
    from tasks.warehouse import connect

    con = connect(warehouse)
    try:
        con.execute(f"COPY (SELECT body FROM lake.articles ORDER BY source_path, segment_index) TO '{out}' (FORMAT parquet)")
        row = con.execute("SELECT count(*) FROM lake.articles").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


# ---------------------------------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Figure:
    name: str
    seconds: float
    docs: int
    mb: float
    peak_rss: int
    cpu: float  # CPU seconds of the whole process tree while the clock ran

    @property
    def docs_s(self) -> float:
        return self.docs / self.seconds

    @property
    def docs_cpu_s(self) -> float:
        return self.docs / self.cpu

    def line(self) -> str:
        return (f"{self.name:<44} {self.docs_s:9.1f} docs/s {self.mb / self.seconds:7.2f} MB/s "
                f"{self.seconds:8.1f} s   peak RSS {self.peak_rss / 2**20:7.0f} MiB   "
                f"CPU {self.cpu:7.1f} s = {self.docs_cpu_s:7.1f} docs per CPU-s")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def overhead_of(children: dict[str, Child], what: str) -> float:
    """(c - d) / c within one round: the share of c's time (or CPU) that Prefect adds."""
    c, d = children["flow"].result[what], children["plain"].result[what]
    return (c - d) / c


def prefect_cpu_share(children: dict[str, Child]) -> float:
    """Prefect's own CPU in (c) as a share of c's CPU: its API server's, plus what c's flow process used beyond the
    main process of (d), which does the same work without Prefect. Unlike (c) - (d) over the whole tree, it does not
    compare the workers' CPU of two runs, the part a drifting machine changes most."""
    c, d = children["flow"].result["cpu_parts"], children["plain"].result["cpu_parts"]
    own = c.get("prefect API server", 0.0) + max(0.0, c.get("main", 0.0) - d.get("main", 0.0))
    return own / children["flow"].result["cpu"]


def workers_cpu_ratio(children: dict[str, Child]) -> float | None:
    """The pool workers' CPU in (c) over theirs in (d), for the same dumps: above 1 when the workers themselves
    ran slower beside Prefect (preempted by its processes, caches evicted), not only lost cores to it."""
    c, d = children["flow"].activity.get("pool workers"), children["plain"].activity.get("pool workers")
    return c.cpu / d.cpu if c and d and d.cpu else None


def noise_line(rounds: list[dict[str, Child]]) -> str:
    """How much the machine moves the same run: (d) repeats identical work in every round."""
    cpu = [x["plain"].result["cpu"] for x in rounds]
    wall = [x["plain"].result["seconds"] for x in rounds]
    return (f"the machine's noise: (d), the same work in each round, took {min(wall):.1f}-{max(wall):.1f} s "
            f"(+{max(wall) / min(wall) - 1:.0%}) and {min(cpu):.1f}-{max(cpu):.1f} CPU-s (+{max(cpu) / min(cpu) - 1:.0%}); "
            "a difference between two runs smaller than that is not measured here")


def median_round(rounds: list[dict[str, Child]]) -> int:
    times = [x["flow"].result["seconds"] for x in rounds]
    return sorted(range(len(times)), key=times.__getitem__)[(len(times) - 1) // 2]


def round_line(number: int, children: dict[str, Child], n: int) -> str:
    order = " ".join({"plain": "d", "flow": "c", "flow-1": "c1"}[k] for k in children)
    parts = [f"round {number} ({order}):"]
    for kind, label in (("flow", "(c)"), ("plain", "(d)"), ("flow-1", "(c, 1 worker)")):
        if kind in children:
            r = children[kind].result
            parts.append(f"{label} {r['seconds']:.1f} s {n / r['seconds']:.1f} docs/s {r['cpu']:.1f} CPU-s;")
    parts.append(f"Prefect {overhead_of(children, 'seconds'):+.1%} wall {overhead_of(children, 'cpu'):+.1%} CPU, "
                 f"its own CPU {prefect_cpu_share(children):.1%};")
    ratio = workers_cpu_ratio(children)
    if ratio is not None:
        c, d = children["flow"].activity["pool workers"], children["plain"].activity["pool workers"]
        parts.append(f"workers' CPU c/d {ratio:.2f}, preempted {c.involuntary:,} (c) vs {d.involuntary:,} (d) times;")
    else:  # what the sampler did see, to find out why it missed the workers
        seen = {k: ", ".join(f"{role} {a.processes}" for role, a in sorted(children[k].activity.items()))
                for k in ("flow", "plain")}
        parts.append(f"workers' CPU c/d n/a (sampled: c {seen['flow'] or 'nothing'}; d {seen['plain'] or 'nothing'});")
    if "flow-1" in children:
        one, two = children["flow-1"].result, children["flow"].result
        parts.append(f"1 -> 2 workers {one['seconds'] / two['seconds']:.2f}x wall {2 * one['cpu'] / two['cpu']:.2f}x CPU")
    return " ".join(parts)


def verdict(ok: bool, text: str) -> str:
    return f"  {'PASS' if ok else 'FAIL'}  {text}"


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def print_stage_shares(title: str, stages: dict[str, float]) -> None:
    total = sum(stages.values())
    if not total:
        print(f"{title}: not recorded")
        return
    parts = ", ".join(f"{k} {v:.1f} s ({v / total:.0%})" for k, v in stages.items())
    print(f"{title}: {parts}")


def print_knobs(k: dict) -> None:
    print(f"\nlangdetect settings: tasks.language.detect on {k['sample']} corpus bodies, one process "
          "(docs/s); accuracy on benchmarks/language.py (scored labels, lengths 50/300/1000/5000)")
    print(f"{'n_trial':>7} {'chars':>6} {'docs/s':>8} {'speed':>6} {'same label':>10} {'acc>=300':>9} "
          f"{'acc@50':>7}  below 0.97 from 300 up")
    base = k["rows"][0]["docs_s"]
    for r in k["rows"]:
        acc = (f"{r['acc_long']:9.4f} {r['acc_50']:7.4f}  {', '.join(r['below']) or 'none'}"
               if "acc_long" in r else f"{'-':>9} {'-':>7}  (no language benchmark data)")
        print(f"{r['n_trial']:>7} {r['chars']:>6} {r['docs_s']:8.0f} {r['docs_s'] / base:5.2f}x "
              f"{r['same_label']:10.2%} {acc}")
    repeats = 1 - k["distinct"] / k["bodies"]
    print(f"content-hash cache: {k['distinct']:,} distinct bodies of {k['bodies']:,} ({repeats:.1%} repeats, at most "
          f"{1 / (1 - repeats):.3f}x on the corpus); on the sample {k['sample_plain']:.0f} -> {k['sample_cached']:.0f} "
          f"docs/s, labels identical: {k['cache_identical']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=DEFAULT_N, help=f"dumps in the corpus (default {DEFAULT_N:,})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()),
                        help="where generated corpora are cached by (n, seed) (default: the temp folder)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="workers for b, c, d")
    parser.add_argument("--scaling-n", type=int, default=None,
                        help="dumps for the 1 vs 2 workers runs (default: the corpus itself, whose 2-worker run is "
                             "(c) when --workers is 2; 0: skip)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of (c), (d) and (c) with 1 worker, judged by their median (default 3)")
    parser.add_argument("--profile-n", type=int, default=400, help="dumps profiled with pyinstrument (0: skip)")
    parser.add_argument("--knob-sample", type=int, default=2000, help="bodies timed per langdetect setting (0: skip)")
    parser.add_argument("--accuracy-limit", type=int, default=40,
                        help="documents per language for the accuracy of each setting (0: no accuracy)")
    parser.add_argument("--no-startup", action="store_true", help="skip the two `newsprep run` start-up runs")
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.stage:
        print(json.dumps(STAGES[args.stage](*rest)))
        return 0
    return run(args)


def run(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="newsprep-throughput-"))
    try:
        return _run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(args: argparse.Namespace, tmp: Path) -> int:
    corpus, size = ensure_corpus(args.corpus, args.n, args.seed)
    mb, n, w = size / 1e6, args.n, args.workers
    env = prefect_env(tmp / "prefect-home")
    print(f"corpus: {n:,} generated dumps (seed {args.seed}), {mb:.1f} MB on disk, {corpus}")
    print(f"machine: {load_average()} at start (other work on the machine makes every figure noisy)")

    naive = run_child("naive", str(corpus), str(tmp / "naive.parquet"))
    a = Figure("(a) naive: 1 process, langdetect full text", naive.result["seconds"], n, mb, naive.peak_rss,
               naive.result["cpu"])
    print(a.line())
    # (c), (d) and (c) with one worker, in rounds: on a shared VM the same run's speed drifts by 10-25 % within
    # minutes, more than the 5 % Prefect target, so each comparison is made within a round, between runs made one
    # after the other, and judged by its median over the rounds. The order alternates (d c c1, then c1 c d, ...)
    # so that a drift through a round favours neither side.
    same_corpus_scaling = args.scaling_n is None or args.scaling_n == n
    kinds = ["plain", "flow", *(["flow-1"] if same_corpus_scaling and w == 2 else [])]
    rounds: list[dict[str, Child]] = []
    for r in range(max(1, args.rounds)):
        children: dict[str, Child] = {}
        for kind in kinds if r % 2 == 0 else kinds[::-1]:
            if kind == "plain":
                children[kind] = run_child("plain", str(corpus), str(tmp / f"wh-plain-{r}"), str(w))
            else:
                workers = "1" if kind == "flow-1" else str(w)
                children[kind] = run_child("flow", str(corpus), str(tmp / f"wh-{kind}-{r}"), workers, env=env)
        rounds.append(children)
        print(round_line(r + 1, children, n))
    mid = median_round(rounds)  # the round whose (c) took the median time: its stages and CPU are printed
    flow, plain = rounds[mid]["flow"], rounds[mid]["plain"]
    c = Figure(f"(c) newsprep ingest, Prefect, {w} workers", median([x["flow"].result["seconds"] for x in rounds]),
               n, mb, max(x["flow"].peak_rss for x in rounds), median([x["flow"].result["cpu"] for x in rounds]))
    d = Figure(f"(d) run_shard in a process pool, {w} workers", median([x["plain"].result["seconds"] for x in rounds]),
               n, mb, max(x["plain"].peak_rss for x in rounds), median([x["plain"].result["cpu"] for x in rounds]))
    print(c.line() + f"   (median of {len(rounds)})")
    bodies = tmp / "bodies.parquet"
    n_bodies = export_bodies(tmp / f"wh-flow-{mid}", bodies)
    floor = run_child("floor", str(bodies), str(w))
    b = Figure(f"(b) langdetect floor, {w} processes", floor.result["seconds"], n, mb, floor.peak_rss,
               floor.result["cpu"])
    print(b.line())
    machine = None
    if args.scaling_n != 0 and n_bodies:  # what 1 -> 2 processes give on this machine for pure CPU work
        ref_n = min(n_bodies, 5_000)
        ref = {k: run_child("floor", str(bodies), str(k), str(ref_n)).result for k in (1, 2)}
        machine = ref[1]["seconds"] / ref[2]["seconds"]
        print(f"the machine, 1 -> 2 processes: langdetect alone on {ref_n:,} bodies (no I/O, no coordination) "
              f"{machine:.2f}x wall, {2 * ref[1]['cpu'] / ref[2]['cpu']:.2f}x from CPU")
    print(d.line() + f"   (median of {len(rounds)})")
    same = all(x["flow"].result[k] == x["plain"].result[k] for x in rounds for k in ("dumps", "rejects", "articles"))
    print(f"c and d wrote the same counts: {same} ({flow.result['dumps']:,} dumps, {flow.result['articles']:,} "
          f"articles, {flow.result['rejects']:,} rejects; b detected {n_bodies:,} bodies)")
    print(f"(c) child process: import {flow.result['import']:.1f} s, first (empty) flow with the temporary API "
          f"server {flow.result['first_flow']:.1f} s, not in (c)'s time")
    print(f"(c) CPU seconds by process (round {mid + 1}): " + ", ".join(
        f"{k} {v:.1f}" for k, v in sorted(flow.result["cpu_parts"].items(), key=lambda x: -x[1])))
    print_stage_shares(f"share of time by stage, (c) (round {mid + 1})", flow.result["stages"])
    print_stage_shares(f"share of time by stage, (d) (round {mid + 1})", plain.result["stages"])
    if args.profile_n:
        prof = run_child("profile", str(corpus), str(args.profile_n)).result
        parts = ", ".join(f"{k} {v:.0%}" for k, v in prof["shares"].items() if v >= 0.01)
        print(f"hot path, run_shard over {prof['dumps']} dumps in one process (pyinstrument self time): {parts}")

    # CPU-based figures: what the same work would give with `w` idle cores (it assumes c and d keep them busy).
    overhead = median([overhead_of(x, "seconds") for x in rounds])
    overhead_cpu = median([overhead_of(x, "cpu") for x in rounds])
    prefect_own = median([prefect_cpu_share(x) for x in rounds])
    vs_naive, vs_naive_cpu = c.docs_s / a.docs_s, w * c.docs_cpu_s / a.docs_cpu_s
    vs_floor, vs_floor_cpu = c.docs_s / b.docs_s, c.docs_cpu_s / b.docs_cpu_s
    print(f"\nratios (wall): c/a {vs_naive:.2f}x   c/b {vs_floor:.2f}x   (d-c)/c {(d.docs_s - c.docs_s) / c.docs_s:+.1%} "
          f"in docs/s   Prefect share of c's time (c-d)/c {overhead:+.1%} (median of the rounds' pairs)")
    print(f"ratios (CPU):  c/a {vs_naive_cpu:.2f}x ({w} cores vs 1)   c/b {vs_floor_cpu:.2f}x   "
          f"Prefect share of c's CPU (c-d)/c {overhead_cpu:+.1%}; Prefect's own CPU (API server + c's flow process "
          f"beyond d's) {prefect_own:.1%} of c's")
    print(f"docs/s per core: (c) {c.docs_s / w:.1f} wall, {c.docs_cpu_s:.1f} per CPU-s; (d) {d.docs_s / w:.1f} wall, "
          f"{d.docs_cpu_s:.1f} per CPU-s; (b) {b.docs_cpu_s:.1f} per CPU-s; (a) {a.docs_cpu_s:.1f} per CPU-s")
    by_round = [workers_cpu_ratio(x) for x in rounds]
    ratios = [r for r in by_round if r is not None]
    if ratios:  # n/a: a run whose workers the sampler did not see
        print(f"the pool workers' CPU in (c) over (d), same dumps, by round: "
              f"{', '.join('n/a' if r is None else f'{r:.2f}' for r in by_round)} (median {median(ratios):.2f})")
    if len(rounds) > 1:
        print(noise_line(rounds))

    scaling = scaling_cpu = None
    if args.scaling_n != 0:
        scaling_n = n if args.scaling_n is None else args.scaling_n
        if "flow-1" in kinds:
            pairs = [{1: x["flow-1"].result, 2: x["flow"].result} for x in rounds]
        else:  # another corpus size, or (c) is not a 2-worker run: one pair, made here
            small, _ = ensure_corpus(args.corpus, scaling_n, args.seed)
            pairs = [{k: run_child("flow", str(small), str(tmp / f"wh-scale-{k}"), str(k), env=env).result
                      for k in (1, 2)}]
        for i, runs in enumerate(pairs):
            print(f"scaling, {scaling_n:,} dumps, newsprep ingest"
                  + (f", round {i + 1}" if len(pairs) > 1 else "") + ": " + "; ".join(
                      f"{k} worker(s) {scaling_n / runs[k]['seconds']:.1f} docs/s, {runs[k]['cpu']:.1f} CPU-s"
                      for k in (1, 2)) + ("  (2 workers: c)" if "flow-1" in kinds else ""))
        scaling = median([runs[1]["seconds"] / runs[2]["seconds"] for runs in pairs])
        # two busy cores, each as efficient as the one was
        scaling_cpu = median([2 * runs[1]["cpu"] / runs[2]["cpu"] for runs in pairs])
        print(f"scaling 1 -> 2 workers: {scaling:.2f}x wall; {scaling_cpu:.2f}x from CPU per dump"
              + (f" (medians of {len(pairs)} rounds)" if len(pairs) > 1 else ""))
        # The stages the workers run, apart from the flow's own (discovery, commit, report), which one process does
        # whatever the worker count: where the run's wall time goes that more workers cannot shorten.
        runs = pairs[len(pairs) // 2]
        parallel = {k: sum(runs[k]["stages"].get(s, 0.0) for s in ("scan", "process")) for k in (1, 2)}
        if parallel[1] and parallel[2]:
            serial = {k: runs[k]["seconds"] - parallel[k] for k in (1, 2)}
            print(f"  scan + process stages (the workers' part): {parallel[1] / parallel[2]:.2f}x "
                  f"({parallel[1]:.1f} s -> {parallel[2]:.1f} s); the rest of the run (one process: discovery, "
                  f"commit, report, Prefect) {serial[1]:.1f} s -> {serial[2]:.1f} s")

    startup = served = None
    if not args.no_startup:
        startup = [startup_seconds(prefect_env(tmp / "startup-home"), tmp) for _ in range(2)]  # new home, then warm
        print(f"`newsprep run` on an empty folder, local mode: {startup[0]:.1f} s with a new Prefect home, "
              f"{startup[1]:.1f} s with an existing one")
        served = startup_with_server(tmp)
        print(f"`newsprep run` on an empty folder against a running `newsprep server` (best of 3): flow run begun "
              f"{served[0]:.1f} s after launch, command done in {served[1]:.1f} s")

    print(f"\nTargets (issue 7): wall time, then the CPU-based figure; {load_average()}")
    print(verdict(vs_naive >= TARGET_VS_NAIVE, f"c >= {TARGET_VS_NAIVE}x a: {vs_naive:.2f}x wall") +
          verdict(vs_naive_cpu >= TARGET_VS_NAIVE, f"{vs_naive_cpu:.2f}x CPU"))
    print(verdict(vs_floor >= TARGET_VS_FLOOR, f"c >= {TARGET_VS_FLOOR}x b: {vs_floor:.2f}x wall") +
          verdict(vs_floor_cpu >= TARGET_VS_FLOOR, f"{vs_floor_cpu:.2f}x CPU"))
    print(verdict(overhead <= TARGET_OVERHEAD, f"Prefect overhead <= {TARGET_OVERHEAD:.0%}: {overhead:.1%} wall") +
          verdict(overhead_cpu <= TARGET_OVERHEAD, f"{overhead_cpu:.1%} CPU") +
          verdict(prefect_own <= TARGET_OVERHEAD, f"its own CPU {prefect_own:.1%}"))
    if scaling is not None and scaling_cpu is not None:
        print(verdict(scaling >= TARGET_SCALING, f"1 -> 2 workers >= {TARGET_SCALING}x: {scaling:.2f}x wall") +
              verdict(scaling_cpu >= TARGET_SCALING, f"{scaling_cpu:.2f}x CPU") +
              (f"   (the machine: {machine:.2f}x for langdetect alone)" if machine else ""))
    if startup is not None and served is not None:
        cold, warm = startup
        print(verdict(served[0] <= TARGET_STARTUP_S, f"start-up of `newsprep run` <= {TARGET_STARTUP_S:.0f} s: "
                      f"{served[0]:.1f} s to its flow run against a running newsprep server") +
              verdict(served[1] <= TARGET_STARTUP_S, f"whole empty run {served[1]:.1f} s") +
              f"   (local mode: {warm:.1f} s, {cold:.1f} s with a new Prefect home)")

    if args.knob_sample:
        print_knobs(run_child("knobs", str(bodies), str(args.knob_sample), str(args.accuracy_limit)).result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
