"""Private memory and CPU of the pool's workers, shard by shard, without Prefect.

    .venv/bin/python benchmarks/worker_memory.py --n 20000                    # the code as it is
    .venv/bin/python benchmarks/worker_memory.py --n 20000 --trim after-shard # + malloc_trim(0) after every shard
    .venv/bin/python benchmarks/worker_memory.py --n 20000 --detail 10        # + allocator and cache sizes

Runs what the flow runs in the worker pool (tasks/shard.py: the boilerplate scan on its sample, then run_shard on
every shard of a generated corpus, benchmarks/generate.py, cached under --corpus), each shard wrapped so that the
worker reports after it: its CPU seconds spent in the shard (user + system, getrusage), its memory from
/proc/self/smaps_rollup (private = Private_Clean + Private_Dirty: the pages no other process shares; PSS), and
with --detail K, every K-th shard, glibc's heap (mallinfo2: in use, free, mmapped), pymalloc's arenas and the
byte sizes of the workers' caches. --trim adds a malloc_trim(0) after the shard, inside the measured CPU, to
compare variants that tasks/shard.py does not have (`none` is the code as it is, whatever it does itself).

Prints, per worker, private memory after the first shards and at the end, the largest, and the CPU seconds spent
in shards (the comparable figure on a loaded machine: not wall time). --runs R repeats the corpus R times
(shard numbers go on), to look at a longer run without a bigger corpus.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages are not installed under these names


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]  # fmt: skip


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL("libc.so.6")


def smaps() -> dict[str, int]:
    """This process's /proc/self/smaps_rollup, in bytes."""
    out: dict[str, int] = {}
    with open("/proc/self/smaps_rollup") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1]) * 1024
    return out


def heap() -> dict[str, int]:
    """glibc malloc's view (all arenas): bytes in use, free inside the heap, mmapped chunks; pymalloc's arenas."""
    libc = _libc()
    libc.mallinfo2.restype = _Mallinfo2
    m = libc.mallinfo2()
    import pyarrow as pa

    mi = pa.mimalloc_memory_pool()
    return {"mimalloc_allocated": mi.bytes_allocated(), "mimalloc_max": mi.max_memory(), "malloc_in_use": m.uordblks, "malloc_free": m.fordblks, "malloc_mmapped": m.hblkhd,
            "malloc_heap": m.arena, "malloc_top_releasable": m.keepcost, **pymalloc()}  # fmt: skip


def pymalloc() -> dict[str, int]:
    """pymalloc's arenas (CPython 3.11: 1 MiB each, mmapped), from sys._debugmallocstats on the C stderr."""
    r, w = os.pipe()
    saved = os.dup(2)
    try:
        os.dup2(w, 2)
        os.close(w)
        sys._debugmallocstats()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    chunks = []
    while True:
        b = os.read(r, 1 << 16)
        if not b:
            break
        chunks.append(b)
    os.close(r)
    text = b"".join(chunks).decode(errors="replace")
    out: dict[str, int] = {}
    for line in text.splitlines():
        if "=" not in line:
            continue
        key, _, value = line.rpartition("=")
        key = key.strip()
        try:
            n = int(value.strip().replace(",", ""))
        except ValueError:
            continue
        if key.startswith("# bytes in allocated blocks"):
            out["pymalloc_in_use"] = n
        elif key.startswith("# bytes in available blocks"):
            out["pymalloc_free_blocks"] = n
        elif key.startswith("Total"):
            out.setdefault("pymalloc_arenas", n)  # the first Total: the arenas'; the next is the arena map's
        elif key.startswith("# arenas allocated current"):
            out["pymalloc_arena_count"] = n
    return out


def deep_size(obj: object, seen: set[int] | None = None) -> int:
    """Bytes of an object and everything it holds that no module-level object outside it shares (strings and ints
    included: the cache's keys and values are its own)."""
    seen = set() if seen is None else seen
    stack = [obj]
    total = 0
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        total += sys.getsizeof(o)
        if isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            stack.extend(o)
    return total


def cache_sizes() -> dict[str, int]:
    """Entries and bytes of each cache of a worker (the lru_caches: entries only, their size is not reachable)."""
    out: dict[str, int] = {}
    from tasks import dedup, language

    fast = language._fast
    if fast is not None:
        for name in ("_tokens", "_words", "_table"):
            d = getattr(fast, name)
            out[f"fastdetect.{name}"] = len(d)
            out[f"fastdetect.{name} bytes"] = deep_size(d)
    for name in ("_token_hashes", "_chunk_hashes"):
        d = getattr(dedup, name)
        out[f"dedup.{name}"] = len(d)
        out[f"dedup.{name} bytes"] = deep_size(d)
    import tasks.boilerplate
    import tasks.classify
    import tasks.dates
    import tasks.lines
    import tasks.registry

    for module in (tasks.classify, tasks.dates, tasks.lines, tasks.registry, tasks.boilerplate):
        for name, value in vars(module).items():
            info = getattr(value, "cache_info", None)
            if callable(info) and getattr(value, "__module__", None) == module.__name__:
                out[f"{module.__name__.split('.')[-1]}.{name}"] = info().currsize
    return out


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _faults() -> int:
    """Minor page faults so far: what a trim costs later, when the heap grows again (independent of the load)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def measured_shard(trim: str, detail: bool, trace: bool, *args: object) -> dict:
    """run_shard in the worker, then (trim) malloc_trim(0); what the shard cost and what the worker holds.
    With `trace`, tracemalloc runs from the worker's first shard (slow: for where the memory is, not for CPU)."""
    import tracemalloc

    from tasks.shard import run_shard

    if trace and not tracemalloc.is_tracing():
        tracemalloc.start(1)
    cpu, faults = _cpu(), _faults()
    report = run_shard(*args)  # type: ignore[arg-type]
    trimmed = 0.0
    if trim != "none":
        t = _cpu()
        if trim in ("after-shard", "both"):
            _libc().malloc_trim(0)
        if trim in ("mimalloc", "both"):
            import pyarrow as pa

            pa.mimalloc_memory_pool().release_unused()
        trimmed = _cpu() - t
    out = {"pid": os.getpid(), "shard": report.shard, "dumps": report.dumps + report.rejects,
           "cpu": _cpu() - cpu, "trim_cpu": trimmed, "faults": _faults() - faults, **{k: v for k, v in smaps().items()
                                                        if k in ("Rss", "Pss", "Private_Clean", "Private_Dirty",
                                                                 "Anonymous")}}  # fmt: skip
    out["private"] = out["Private_Clean"] + out["Private_Dirty"]
    if detail:
        out.update(heap())
        out.update(cache_sizes())
        out["mappings"] = mappings()
        if tracemalloc.is_tracing():
            snap = tracemalloc.take_snapshot()
            stats = snap.statistics("lineno")
            out["traced"] = sum(st.size for st in stats)
            out["traced_top"] = [(str(st.traceback[0]), st.size, st.count) for st in stats[:25]]
    return out


def probe_trim() -> dict:
    """What malloc_trim(0), then Arrow's mimalloc pool's release_unused(), give back right now in this worker,
    and what they cost: private bytes before, after the one, after the other."""
    import pyarrow as pa

    time.sleep(0.2)  # every worker gets some
    p = ("Private_Clean", "Private_Dirty")
    before = sum(smaps()[k] for k in p)
    t = _cpu()
    _libc().malloc_trim(0)
    cost = _cpu() - t
    trimmed = sum(smaps()[k] for k in p)
    t = _cpu()
    pa.mimalloc_memory_pool().release_unused()
    cost_mi = _cpu() - t
    released = sum(smaps()[k] for k in p)
    return {
        "pid": os.getpid(),
        "before": before,
        "after": trimmed,
        "cpu": cost,
        "released": released,
        "cpu_mi": cost_mi,
    }


def mappings() -> dict[str, int]:
    """This process's private bytes (Private_Clean + Private_Dirty) by mapping: [heap], anonymous, or file."""
    out: dict[str, int] = {}
    name = ""
    with open("/proc/self/smaps") as fh:
        for line in fh:
            first = line.split(maxsplit=1)[0]
            if "-" in first and not first.endswith(":"):
                parts = line.split()
                name = parts[5] if len(parts) > 5 else "[anon]"
                lo, hi = (int(x, 16) for x in first.split("-"))
                if name == "[anon]" and hi - lo >= 2**30:
                    name = "[anon 1 GiB reserved: mimalloc]"  # Arrow's C++ default pool, which Parquet's writer uses
                if name.startswith("/"):
                    name = "file " + ("lib" if ".so" in name else "other")
            elif first in ("Private_Clean:", "Private_Dirty:"):
                out[name] = out.get(name, 0) + int(line.split()[1]) * 1024
    return out


def probe_fresh(collect: bool) -> dict:
    """A worker's private bytes by mapping now, and (collect) after a full gc.collect(): pages a collection
    copies from the forkserver by writing the headers of the objects the worker inherited."""
    import gc

    time.sleep(0.5)  # every worker gets one
    before = mappings()
    after = {}
    if collect:
        gc.collect()
        after = mappings()
    return {"pid": os.getpid(), "before": before, "after": after, "gc_frozen": gc.get_freeze_count()}


class Sampler:
    """Every `interval` seconds, from this process: each pool worker's private bytes and the pool's PSS (forkserver
    and workers: this process's descendants), their largest values, whenever they happened (within a shard)."""

    def __init__(self, interval: float) -> None:
        import threading

        self.interval = interval
        self.private_max: dict[int, int] = {}
        self.pool_pss_max = 0
        self.pool_pss_parts: dict[int, int] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self.interval):
            pss: dict[int, int] = {}
            for p in me.children(recursive=True):
                try:
                    if "forkserver" not in " ".join(p.cmdline()):
                        continue  # the resource tracker
                    with open(f"/proc/{p.pid}/smaps_rollup") as fh:
                        fields = {ln.split()[0]: int(ln.split()[1]) * 1024 for ln in fh if ln.rstrip().endswith("kB")}
                except (psutil.NoSuchProcess, FileNotFoundError, ProcessLookupError):
                    continue
                pss[p.pid] = fields["Pss:"]
                if p.ppid() != me.pid:  # a worker (its parent is the forkserver)
                    private = fields["Private_Clean:"] + fields["Private_Dirty:"]
                    self.private_max[p.pid] = max(self.private_max.get(p.pid, 0), private)
            self.samples += 1
            if sum(pss.values()) > self.pool_pss_max:
                self.pool_pss_max, self.pool_pss_parts = sum(pss.values()), pss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="dumps in the generated corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()), help="corpus cache folder")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="process the corpus this many times")
    parser.add_argument("--trim", choices=("none", "after-shard", "mimalloc", "both"), default="none")
    parser.add_argument("--detail", type=int, default=0, help="allocator and cache sizes every K-th shard")
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python's allocations (slow)")
    parser.add_argument("--probe-trim", action="store_true", help="at the end, what one malloc_trim gives back")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between samples of the pool")
    parser.add_argument("--json", type=Path, help="write every shard's report here (JSON lines)")
    args = parser.parse_args(argv)

    from benchmarks.throughput import ensure_corpus, load_average
    from tasks.boilerplate import LineStats, scan_sample
    from tasks.discover import discover
    from tasks.inputs import InputFile
    from tasks.manifest import DEFAULT_SHARD_SIZE, cut_shards
    from tasks.shard import scan_shard, shutdown_pool, worker_pool

    print(f"machine: {load_average()}")
    corpus, _ = ensure_corpus(args.corpus, args.n, args.seed)
    todo = [f for f in discover([str(corpus)]) if isinstance(f, InputFile)]
    shards = cut_shards(todo, DEFAULT_SHARD_SIZE, args.workers)
    staging = Path(tempfile.mkdtemp(prefix="newsprep-worker-memory-"))
    started = time.perf_counter()
    rows: list[dict] = []
    sampler = Sampler(args.interval)
    try:
        sampler.__enter__()
        pool = worker_pool(args.workers)
        stats = LineStats()
        sample = scan_sample(todo)
        scanned = cut_shards(sample, -(-len(sample) // (2 * args.workers)), args.workers)
        for fut in [pool.submit(scan_shard, entries) for entries in scanned]:
            stats.merge(fut.result())
        boilerplate = stats.learn()
        run_id = uuid.uuid4().hex
        total = len(shards) * args.runs
        window = 2 * args.workers  # submitted ahead, like the flow's bounded window
        futures = []
        for k in range(total):
            entries = shards[k % len(shards)]
            detail = bool(args.detail) and (k % args.detail == args.detail - 1 or k >= total - args.workers)
            futures.append(pool.submit(measured_shard, args.trim, detail, args.tracemalloc, k, entries, run_id, str(staging / str(k % 8)),
                                       boilerplate, "langdetect"))  # fmt: skip
            while len(futures) >= window:
                rows.append(futures.pop(0).result())
                shutil.rmtree(staging / str(rows[-1]["shard"] % 8), ignore_errors=True)
        rows.extend(f.result() for f in futures)
        probes = []
        if args.probe_trim:
            probes = [pool.submit(probe_trim) for _ in range(args.workers * 4)]
            probes = [p.result() for p in probes]
        sampler.__exit__()
        shutdown_pool()
    finally:
        sampler.__exit__()
        shutil.rmtree(staging, ignore_errors=True)
    wall = time.perf_counter() - started
    if args.json:
        with args.json.open("w") as fh:
            for r in rows:
                fh.write(json.dumps(r) + "\n")
    mib = 2**20
    print(
        f"{args.n:,} dumps x {args.runs}, {len(shards)} shards of {len(shards[0])}, {args.workers} workers, "
        f"trim={args.trim}: wall {wall:.0f} s"
    )
    total_cpu = 0.0
    for pid in sorted({r["pid"] for r in rows}):
        mine = [r for r in rows if r["pid"] == pid]
        cpu = sum(r["cpu"] for r in mine)
        total_cpu += cpu
        dumps = sum(r["dumps"] for r in mine)
        trim_cpu = sum(r["trim_cpu"] for r in mine)
        early = mine[min(len(mine) - 1, 1)]
        print(f"  worker {pid}: {len(mine)} shards, {dumps:,} dumps, CPU {cpu:.1f} s ({1000 * cpu / dumps:.2f} ms/dump"
              f"; trim {trim_cpu:.2f} s; {sum(r['faults'] for r in mine) / dumps:.0f} page faults/dump)  private MiB after shard 2 {early['private'] / mib:.0f}, at the end "
              f"{mine[-1]['private'] / mib:.0f}, largest {max(r['private'] for r in mine) / mib:.0f}; PSS at the end "
              f"{mine[-1]['Pss'] / mib:.0f}, RSS {mine[-1]['Rss'] / mib:.0f}")  # fmt: skip
        last = [r for r in mine if "malloc_in_use" in r]
        if last:
            d = last[-1]
            print("    at shard {}: ".format(d["shard"]) + ", ".join(
                f"{k} {v / mib:.1f}" if k.endswith(("bytes", "in_use", "free", "mmapped", "heap", "releasable", "allocated", "max",
                                                     "arenas", "free_blocks")) else f"{k} {v}"
                for k, v in d.items() if isinstance(v, int) and k not in ("pid", "shard", "dumps", "faults")))  # fmt: skip
            print("    private by mapping (MiB): " + ", ".join(f"{k} {v / mib:.1f}" for k, v in d["mappings"].items()
                                                          if v >= mib))  # fmt: skip
            if "traced" in d:
                print(f"    traced by tracemalloc since the first shard: {d['traced'] / mib:.1f} MiB; largest:")
                for where, size, count in d["traced_top"]:
                    print(f"      {size / mib:7.2f} MiB {count:8d} blocks  {where}")
    print(f"  sampled every {args.interval} s ({sampler.samples} samples): pool PSS at its peak "
          f"{sampler.pool_pss_max / mib:.0f} MiB (" + ", ".join(f"{v / mib:.0f}" for v in sampler.pool_pss_parts.values())
          + "); largest private by worker: " + ", ".join(f"{pid} {v / mib:.0f}" for pid, v in
                                                         sorted(sampler.private_max.items())) + " MiB")  # fmt: skip
    print(f"  pool CPU in shards {total_cpu:.1f} s ({1000 * total_cpu / sum(r['dumps'] for r in rows):.3f} ms/dump)")
    for p in probes:
        print(
            f"  probe: worker {p['pid']} private {p['before'] / mib:.1f} -> {p['after'] / mib:.1f} MiB "
            f"after malloc_trim(0) ({p['cpu'] * 1000:.1f} ms CPU) -> {p['released'] / mib:.1f} MiB after "
            f"mimalloc release_unused() ({p['cpu_mi'] * 1000:.1f} ms CPU)"
        )
    print(f"machine: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
