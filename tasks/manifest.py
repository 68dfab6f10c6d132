"""Which discovered files a run must process: the dumps table is the manifest of what is committed."""

from __future__ import annotations

from tasks.inputs import InputFile


def plan_shards(
    files: list[InputFile], committed: dict[str, str | None], shard_size: int, workers: int
) -> tuple[list[list[InputFile]], list[str], int]:
    """Skip files committed with the same content; cut the rest into shards that keep every worker busy.

    Returns the shards, the paths whose committed rows the new ones replace, and how many files were skipped.
    """
    todo = [f for f in files if f.sha256 is None or committed.get(f.path) != f.sha256]
    replaced = [f.path for f in todo if f.path in committed]
    size = max(1, min(shard_size, -(-len(todo) // max(1, workers * 2))))
    shards = [todo[i : i + size] for i in range(0, len(todo), size)]
    return shards, replaced, len(files) - len(todo)
