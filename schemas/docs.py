"""Generate the data dictionary (docs/tables.md) from the Arrow schemas and the views: `python -m schemas.docs`."""

from __future__ import annotations

import sys
from pathlib import Path

from schemas.tables import SCHEMA_VERSION, TABLES
from schemas.views import VIEWS

DOC = Path(__file__).resolve().parent.parent / "docs" / "tables.md"
_PURPOSE = {
    "articles": "one row per article cut from a dump",
    "removed_lines": "one row per non-blank line that ended in no article body, with the rule that decided",
    "dumps": "one row per input file that gave articles (the manifest of what was ingested)",
    "rejects": "one row per input file that could not be used, with the reason",
    "runs": "one row per ingest run",
}


def render() -> str:
    from tasks.warehouse import duck_type

    parts = [
        "# Tables",
        "",
        f"Generated from `schemas/tables.py` (schema version {SCHEMA_VERSION}) and `schemas/views.py` "
        "by `python -m schemas.docs`; "
        "a test fails when this file and the schemas disagree.",
        "",
    ]
    for name, schema in TABLES.items():
        parts += [f"## `{name}`", "", _PURPOSE[name] + ".", "", "| column | type | null | meaning |", "|---|---|---|---|"]
        for f in schema:
            doc = (f.metadata or {}).get(b"doc", b"").decode()
            parts.append(f"| `{f.name}` | {duck_type(f.type)} | {'yes' if f.nullable else 'no'} | {doc} |")
        parts.append("")
    return "\n".join(parts + _views())


def _views() -> list[str]:
    parts = [
        "# Views",
        "",
        "Created in the catalog with the tables (`schemas/views.sql`); query them like tables.",
        "",
    ]
    for name, view in VIEWS.items():
        parts += [f"## `{name}`", "", view.purpose + ".", ""]
        if view.columns:
            parts += ["| column | type | meaning |", "|---|---|---|"]
            parts += [f"| `{col}` | {type_} | {doc} |" for col, type_, doc in view.columns]
            parts.append("")
    return parts


if __name__ == "__main__":
    DOC.write_text(render(), "utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
