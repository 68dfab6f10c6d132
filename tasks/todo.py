"""A run's lists of files, kept on disk: whatever the corpus size, the flow holds only the shards in flight.

Planning streams what discovery finds into a Parquet file (`found`), joins it with what the warehouse has
committed (tasks/warehouse.py: committed_for), and streams the files to process into another (`todo`), in
discovery's order. Shards, the boilerplate scan's sample and the counts are read back from these files. Held in
memory, the list of 200,000 dumps cost the flow process ~90 MiB (measured), a million ~450 by extrapolation.

The files live in the warehouse's staging area (`_staging/plan/`): a run clears it when it starts planning, and a
successful commit clears all of staging.
"""

from __future__ import annotations

import hashlib
import heapq
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from tasks import warehouse as wh
from tasks.boilerplate import scope_of
from tasks.inputs import InputFile, Skipped
from tasks.manifest import Committed, shard_size_for

PLAN_DIR = "plan"
BATCH_ROWS = 10_000  # rows written, and read back, at a time

FOUND = pa.schema([
    ("seq", pa.int64()),
    ("path", pa.string()),
    ("size", pa.int64()),
    ("mtime", pa.float64()),
    ("os_path", pa.binary()),  # the filesystem's bytes: a name that is not UTF-8 (tasks/inputs.py)
    ("skip_reason", pa.string()),  # set for an entry discovery did not open (tasks/inputs.py: Skipped)
    ("skip_detail", pa.string()),
])
TODO = pa.schema([
    ("seq", pa.int64()),
    ("path", pa.string()),
    ("size", pa.int64()),
    ("mtime", pa.float64()),
    ("sha256", pa.string()),
    ("os_path", pa.binary()),
    ("scope", pa.string()),  # the folder boilerplate is learned in (tasks/boilerplate.py: scope_of)
    ("sample_key", pa.binary(8)),  # orders a folder's files for the scan's sample, as scan_sample does
])


def _encoded(os_path: str | None) -> bytes | None:
    return None if os_path is None else os.fsencode(os_path)


def _decoded(raw: bytes | None) -> str | None:
    return None if raw is None else os.fsdecode(raw)


class _Spool:
    """Rows appended column by column and written to one Parquet file in batches."""

    def __init__(self, file: Path, schema: pa.Schema) -> None:
        self.file = file
        self.count = 0
        self._schema = schema
        self._columns: dict[str, list[Any]] = {name: [] for name in schema.names}
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(file, schema, compression="zstd")

    def append(self, **row: Any) -> None:
        for name, column in self._columns.items():
            column.append(row.get(name))
        self.count += 1
        if len(self._columns["seq"]) >= BATCH_ROWS:
            self._flush()

    def write(self, batch: pa.RecordBatch) -> None:
        """Whole rows at once (seq kept as it is)."""
        self._flush()
        if self._writer is not None:
            self._writer.write_batch(batch)
        self.count += batch.num_rows

    def _flush(self) -> None:
        if self._columns["seq"] and self._writer is not None:
            self._writer.write_batch(pa.RecordBatch.from_pydict(self._columns, schema=self._schema))
            for column in self._columns.values():
                column.clear()

    def close(self) -> None:
        if self._writer is not None:
            self._flush()
            self._writer.close()
            self._writer = None


def write_found(found: Iterable[InputFile | Skipped], file: Path) -> int:
    """Discovery's entries, in its order, to `file`; returns how many."""
    spool = _Spool(file, FOUND)
    try:
        for item in found:
            if isinstance(item, Skipped):
                spool.append(seq=spool.count, path=item.path, size=item.size, skip_reason=item.reason,
                             skip_detail=item.detail)
            else:
                spool.append(seq=spool.count, path=item.path, size=item.size, mtime=item.mtime,
                             os_path=_encoded(item.os_path))
    finally:
        spool.close()
    return spool.count


def found_with_committed(batches: Iterable[pa.RecordBatch]) -> Iterator[tuple[InputFile | Skipped, Committed | None]]:
    """Each found entry and what is committed for its path, from committed_for's rows (in discovery's order, a
    path both a dump and a reject in the warehouse twice, the reject first: it is the one taken)."""
    last = -1
    for batch in batches:
        for row in batch.to_pylist():
            if row["seq"] == last:
                continue
            last = row["seq"]
            item: InputFile | Skipped
            if row["skip_reason"] is not None:
                item = Skipped(row["path"], row["skip_reason"], row["skip_detail"], row["size"])
            else:
                item = InputFile(row["path"], row["size"], row["mtime"], os_path=_decoded(row["os_path"]))
            old = None
            if row["known"]:
                old = Committed(row["c_sha256"], row["c_size"], row["c_mtime"], row["c_rules_version"],
                                row["c_pipeline_version"], row["c_reason"])
            yield item, old


@dataclass(frozen=True)
class Todo:
    """The files a run processes, in discovery's order: `count` rows of a Parquet file (None when empty)."""

    file: str | None
    count: int

    def __len__(self) -> int:
        return self.count

    def slices(self, size: int) -> Iterator[list[InputFile]]:
        """Consecutive lists of `size` files (the last may be shorter)."""
        chunk: list[InputFile] = []
        for file in self:
            chunk.append(file)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def shards(self, shard_size: int, workers: int) -> Iterator[list[InputFile]]:
        """The shards tasks.manifest.cut_shards would cut from the whole list, one at a time."""
        return self.slices(shard_size_for(self.count, shard_size, workers))

    def shard_count(self, shard_size: int, workers: int) -> int:
        return -(-self.count // shard_size_for(self.count, shard_size, workers))

    def __iter__(self) -> Iterator[InputFile]:
        if self.file is None:
            return
        columns = ["path", "size", "mtime", "sha256", "os_path"]
        for batch in pq.ParquetFile(self.file).iter_batches(batch_size=BATCH_ROWS, columns=columns):
            path, size, mtime, sha256, os_path = (batch.column(c).to_pylist() for c in columns)
            yield from map(InputFile, path, size, mtime, sha256, map(_decoded, os_path))

    def sample(self, limit: int, file: Path) -> Todo:
        """The boilerplate scan's sample (tasks/boilerplate.py: scan_sample, the same files), grouped by folder:
        every file of a folder holding at most `limit`, else the `limit` whose paths hash lowest. Written to `file`,
        ordered by folder then discovery, so that `parts` can hand each folder whole to one scan task. Holds a count
        per folder and, for folders over the limit, their `limit` lowest keys; DuckDB sorts out of core."""
        if self.file is None:
            return Todo(None, 0)
        counts: dict[str, int] = {}
        for scope, _ in self._keys():
            counts[scope] = counts.get(scope, 0) + 1
        lowest: dict[str, list[int]] = {scope: [] for scope, n in counts.items() if n > limit}  # max-heaps (negated)
        for scope, key in self._keys():
            heap = lowest.get(scope)
            if heap is None:
                continue
            if len(heap) < limit:
                heapq.heappush(heap, -key)
            elif key < -heap[0]:
                heapq.heapreplace(heap, -key)
        highest = {scope: -heap[0] for scope, heap in lowest.items()}  # the largest key a big folder keeps
        del counts, lowest
        chosen = file.with_name(file.stem + ".unsorted.parquet")
        spool = _Spool(chosen, TODO)
        try:
            for batch in pq.ParquetFile(self.file).iter_batches(batch_size=BATCH_ROWS, use_threads=False):
                keys = map(_int_key, batch.column("sample_key").to_pylist())
                keep = [scope not in highest or key <= highest[scope]
                        for scope, key in zip(batch.column("scope").to_pylist(), keys, strict=True)]
                if any(keep):
                    spool.write(batch.filter(pa.array(keep)))
        finally:
            spool.close()
        con = duckdb.connect(config={"memory_limit": "256MB", "threads": 1, "temp_directory": str(file.parent / "spill")})
        try:  # COPY takes no prepared parameters: the paths go in as SQL strings
            con.execute(f"COPY (SELECT * FROM read_parquet({wh._sql_str(str(chosen))}) ORDER BY scope, seq) "
                        f"TO {wh._sql_str(str(file))} (FORMAT parquet, COMPRESSION zstd)")
        finally:
            con.close()
        chosen.unlink()
        return Todo(str(file), spool.count)

    def parts(self, size: int) -> Iterator[list[InputFile]]:
        """Consecutive lists of about `size` files, cut only where the folder changes (a sample's folder is at most
        its `limit` files): in a sample from `sample`, each folder's files are all in one part."""
        if self.file is None:
            return
        chunk: list[InputFile] = []
        last = None
        for scope, file in zip(self._column("scope"), self, strict=True):
            if len(chunk) >= size and scope != last:
                yield chunk
                chunk = []
            chunk.append(file)
            last = scope
        if chunk:
            yield chunk

    def _column(self, name: str) -> Iterator[Any]:
        assert self.file is not None
        for batch in pq.ParquetFile(self.file).iter_batches(batch_size=BATCH_ROWS, columns=[name], use_threads=False):
            yield from batch.column(name).to_pylist()

    def _keys(self) -> Iterator[tuple[str, int]]:
        assert self.file is not None
        yield from zip(self._column("scope"), map(_int_key, self._column("sample_key")), strict=True)


def _int_key(raw: bytes) -> int:
    return int.from_bytes(raw, "big")  # orders as the bytes do


class TodoWriter:
    """Appends files to process to a Todo's Parquet file; `todo()` once closed."""

    def __init__(self, file: Path) -> None:
        self._spool = _Spool(file, TODO)

    def add(self, item: InputFile) -> None:
        key = hashlib.blake2b(item.path.encode(), digest_size=8).digest()
        self._spool.append(seq=self._spool.count, path=item.path, size=item.size, mtime=item.mtime,
                           sha256=item.sha256, os_path=_encoded(item.os_path), scope=scope_of(item.path), sample_key=key)

    def close(self) -> Todo:
        self._spool.close()
        return Todo(str(self._spool.file), self._spool.count)

    def __enter__(self) -> TodoWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._spool.close()


def write_todo(files: Iterable[InputFile], file: Path) -> Todo:
    writer = TodoWriter(file)
    try:
        for item in files:
            writer.add(item)
    finally:
        todo = writer.close()
    return todo
