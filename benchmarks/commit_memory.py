"""A run's commit alone, replayed on staged shards: the process's RSS and PSS per statement.

    .venv/bin/python benchmarks/commit_memory.py stage /tmp/newsprep-corpus-200000-0 /tmp/commitmem/stage200k
    .venv/bin/python benchmarks/commit_memory.py replay /tmp/commitmem/stage200k [--limit 100] [--hash] [--all]

`stage` processes a corpus's shards as an ingest does (tasks.shard.run_shard in the worker pool, shards cut by
tasks.manifest.cut_shards, boilerplate learned from the same sample), without Prefect, and writes one Parquet file
per shard per table under OUT/shards plus OUT/staged.json (~12 min for 200,000 dumps on 2 cores). `replay` commits
those files into a fresh warehouse with tasks.warehouse.commit and tasks.dedup.link_duplicates as
flows/stages.py:commit_run does, in this process, with flows.stages imported first (Prefect, pyarrow and DuckDB
loaded, as in the flow process). A thread samples /proc/self/smaps_rollup every 20 ms; each statement the commit
runs is printed with its seconds and the peak RSS/PSS while it ran (--all: every statement, else the INSERTs, the
COMMIT and those over 0.3 s). `--limit N` commits the first N shards only (the slope in the run's size);
`--hash` prints count(*) and sum(hash(every column)) of each table afterwards, to check that a change to the commit
leaves the same data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RUN = "20261202T000000-replay00"


def stage(corpus: str, out: Path) -> None:
    from tasks.boilerplate import LineStats, scan_sample
    from tasks.discover import discover
    from tasks.manifest import DEFAULT_SHARD_SIZE, cut_shards, plan_files
    from tasks.pipeline import PIPELINE_VERSION
    from tasks.rules import rules_version
    from tasks.shard import run_shard, scan_shard, shutdown_pool, worker_pool

    plan = plan_files(list(discover([corpus])), {}, (rules_version(), PIPELINE_VERSION), roots=[corpus])
    shards = cut_shards(plan.todo, DEFAULT_SHARD_SIZE, 2)
    print(f"{len(plan.todo)} files, {len(shards)} shards", flush=True)
    stats = LineStats()
    stats.merge(scan_shard(scan_sample([e for s in shards for e in s])))
    boilerplate = stats.learn()
    pool = worker_pool(2)
    started = time.time()
    futures = [pool.submit(run_shard, i, s, "staged", str(out / "shards" / f"{i:06d}"), boilerplate, "langdetect")
               for i, s in enumerate(shards)]
    staged: dict[str, list[str]] = {}
    for n, fut in enumerate(futures):
        for table, path in fut.result().staged.items():
            staged.setdefault(table, []).append(path)
        if n % 50 == 0:
            print(f"{n} shards, {time.time() - started:.0f} s", flush=True)
    (out / "staged.json").write_text(json.dumps(staged))
    shutdown_pool(stop_forkserver=True)
    print(f"staged in {time.time() - started:.0f} s: {out / 'staged.json'}")


def _rss_pss() -> tuple[int, int]:
    values = {}
    with open("/proc/self/smaps_rollup") as fh:
        for line in fh:
            parts = line.split()
            if parts[0] in ("Rss:", "Pss:"):
                values[parts[0]] = int(parts[1]) // 1024
    return values["Rss:"], values["Pss:"]


class _Sampler:
    def __init__(self) -> None:
        self.step = [0, 0]
        self.total = [0, 0]
        self.stop = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self.stop:
            r, p = _rss_pss()
            self.step = [max(self.step[0], r), max(self.step[1], p)]
            self.total = [max(self.total[0], r), max(self.total[1], p)]
            time.sleep(0.02)


class _Traced:
    """The connection, each execute timed and its peak memory printed."""

    def __init__(self, con: Any, sampler: _Sampler, show_all: bool) -> None:
        self._con, self._sampler, self._all = con, sampler, show_all

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        started = time.time()
        self._sampler.step = list(_rss_pss())
        out = self._con.execute(sql, *args, **kwargs)
        seconds = time.time() - started
        text = " ".join(str(sql).split())
        if self._all or seconds > 0.3 or text.startswith(("INSERT INTO lake.", "COMMIT")):
            rss, pss = self._sampler.step
            print(f"  {seconds:6.2f} s  peak RSS {rss:5d} PSS {pss:5d} MiB | {text[:100]}", flush=True)
        return out


def replay(staging: Path, limit: int, with_hash: bool, show_all: bool) -> None:
    import pyarrow as pa

    import flows.stages  # noqa: F401 - the flow process's imports: Prefect, pyarrow, DuckDB
    from schemas.tables import TABLES
    from tasks import warehouse as wh
    from tasks.dedup import ensure_signatures, forget, link_duplicates

    staged = json.loads((staging / "staged.json").read_text())
    if limit:
        staged = {k: v[:limit] for k, v in staged.items()}
    sampler = _Sampler()
    with tempfile.TemporaryDirectory(prefix="newsprep-commit-") as tmp:
        con = wh.connect(Path(tmp) / "wh", read_only=False, create=True)
        try:
            wh.ensure_tables(con)
            ensure_signatures(con)
            base = _rss_pss()
            print(f"{len(staged.get('articles', []))} shards; before the commit RSS {base[0]} PSS {base[1]} MiB; "
                  f"memory_limit {wh.WRITER_MEMORY}, threads {wh.WRITER_THREADS}", flush=True)
            day = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
            row = {"run_id": RUN, "flow_run_id": None, "started_at": day, "finished_at": day, "status": "completed",
                   "files_seen": 0, "files_skipped": 0, "dumps_written": 0, "rejects_written": 0,
                   "articles_written": 0, "removed_lines_written": 0, "parameters": "{}", "versions": "{}",
                   "counts": "{}"}
            extra = {"rejects": pa.Table.from_pylist([], schema=TABLES["rejects"])}
            sampler.total = list(base)
            started, cpu = time.time(), time.process_time()
            _, linked = wh.commit(_Traced(con, sampler, show_all), {k: [Path(p) for p in v] for k, v in staged.items()},
                                  [], row, extra, post_insert=[link_duplicates], pre_delete=[forget])
            wall, cpu = time.time() - started, time.process_time() - cpu
            sampler.stop = True
            rss, pss = sampler.total
            print(f"commit: {wall:.1f} s ({cpu:.1f} CPU-s), peak RSS {rss} MiB (+{rss - base[0]}), "
                  f"PSS {pss} MiB (+{pss - base[1]}); linked {linked}")
            if with_hash:
                con.execute("SET memory_limit = '2GB'")
                for table in (*TABLES, "article_signatures"):
                    cols = [r[0] for r in con.execute(
                        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'lake' AND table_name = ?",
                        [table],
                    ).fetchall()]
                    count, digest = con.execute(f"SELECT count(*), sum(hash({', '.join(cols)})) FROM lake.{table}").fetchone()
                    print(f"  {table}: {count} rows, hash {digest}")
        finally:
            con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("stage")
    s.add_argument("corpus")
    s.add_argument("out", type=Path)
    r = sub.add_parser("replay")
    r.add_argument("staging", type=Path)
    r.add_argument("--limit", type=int, default=0, help="commit the first N shards only")
    r.add_argument("--hash", action="store_true", help="print each table's row count and content hash")
    r.add_argument("--all", action="store_true", help="print every statement")
    args = parser.parse_args()
    if args.command == "stage":
        if args.out.exists():
            shutil.rmtree(args.out)
        stage(args.corpus, args.out)
    else:
        replay(args.staging, args.limit, args.hash, args.all)


if __name__ == "__main__":
    main()
