"""Commands that look after the warehouse: runs, reprocess, maintain."""

from __future__ import annotations

from flows.cli_base import app  # noqa: F401
