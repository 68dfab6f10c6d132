"""The Prefect flows (ingest, reprocess, maintain), the stages they share, and the `newsprep` command line."""

import os

# Arrow's C++ default allocator is chosen once, when pyarrow loads, and Parquet's reader and writer use it whatever
# pyarrow.set_memory_pool says. glibc's, so that what the flow process's planning reads and writes free is given
# back: mimalloc kept ~35 MiB more at 50,000 dumps. Set before anything imports pyarrow; a user's own choice wins.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

from tasks.allocator import limit_arenas  # noqa: E402  (after the variable: tasks/ imports nothing that loads pyarrow here)

# At most two malloc arenas in this process and its children, before any thread starts: see tasks/allocator.py.
limit_arenas()
