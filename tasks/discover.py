"""Find the dumps under the sources and decide which need processing: the start of every run."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tasks.inputs import InputFile

PATTERNS = ("*.txt", "*.txt.gz")


def discover(sources: list[str], *, follow_symlinks: bool = False) -> list[InputFile]:
    """Every dump under the sources, sorted, with size, mtime and content hash."""
    found: dict[str, InputFile] = {}
    for source in sources:
        root = Path(source)
        paths = [root] if root.is_file() else [p for pat in PATTERNS for p in root.rglob(pat)]
        for p in paths:
            try:
                if not p.is_file():
                    continue
                st = p.stat()
            except OSError:
                continue  # gone since the folder was listed: it was never there for this run
            key = str(p.resolve())
            found[key] = InputFile(key, st.st_size, st.st_mtime, _sha256(p))
    return [found[k] for k in sorted(found)]


def _sha256(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None  # the shard records it as a reject with the reason
    return h.hexdigest()
