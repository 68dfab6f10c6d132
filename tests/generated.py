"""Generated news for tests that compare a fast path with its plain version: dumps of benchmarks/generate.py
(seed 0: eleven languages, four scripts, scraper noise), decoded as the pipeline decodes them."""

from __future__ import annotations

import gzip
from functools import cache

from benchmarks.generate import FILES_PER_FOLDER, build_pools, dump_file
from tasks.decode import decode


@cache
def generated_news(folders: int = 40, per_folder: int = 2) -> tuple[str, ...]:
    """The decoded text of `per_folder` dumps from each of the first `folders` site folders."""
    pools = build_pools(0)
    texts = []
    for i in range(0, folders * FILES_PER_FOLDER, FILES_PER_FOLDER // per_folder):
        name, data = dump_file(i, folders * FILES_PER_FOLDER, 0, pools)
        texts.append(decode(gzip.decompress(data) if name.endswith(".gz") else data).text)
    return tuple(texts)
