"""Commands that use the tables: search, export, report, doctor."""

from __future__ import annotations

from flows.cli_base import app  # noqa: F401
