"""Check article rows against an expectations file (seeds/expected.json format, or tests/golden/samples_expected.json).

Used twice: on rows built in memory by the pure core, and on rows read back from a real warehouse.
Each expectation becomes one named check, so a failure says exactly which fact is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLES = ROOT / "samples"
SAMPLES_EXPECTED = ROOT / "tests" / "golden" / "samples_expected.json"

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def norm(value: Any) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def load(path: Path) -> dict[str, dict[str, Any]]:
    return json.loads(path.read_text("utf-8"))["dumps"]


def decoded_lines(path: Path) -> list[str]:
    """The file's lines as the expectations number them (decoded, BOM gone, CRLF read as LF)."""
    from tasks.decode import decode, gunzip

    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gunzip(raw)
    return decode(raw).text.split("\n")


def checks_for(
    fname: str, exp: Mapping[str, Any], raw_lines: Sequence[str], articles: Sequence[Mapping[str, Any]], removed: set[int]
) -> Iterator[Check]:
    yield Check(f"{fname}: article count", len(articles) == len(exp["articles"]), f"{len(articles)} != {len(exp['articles'])}")
    bodies = [norm(a.get("body") or "") or "" for a in articles]
    body_lines = {norm(x) for b in bodies for x in b.split("\n")}
    for ln, kind in exp["removed"].items():
        text = norm(raw_lines[int(ln) - 1])
        yield Check(f"{fname}:{ln} ({kind}) in removed_lines", int(ln) in removed, "missing")
        yield Check(f"{fname}:{ln} ({kind}) out of bodies", text not in body_lines, "still in a body")
    origin = exp["origin"]
    for i, ea in enumerate(exp["articles"]):
        a: Mapping[str, Any] = articles[i] if i < len(articles) else {}
        body = norm(a.get("body") or "") or ""
        lo, hi = ea["body_lines"]
        missing = [
            ln for ln in range(lo, hi + 1)
            if norm(raw_lines[ln - 1]) and str(ln) not in exp["removed"] and norm(raw_lines[ln - 1]) not in body
        ]
        yield Check(f"{fname}[{i}] body lines {lo}-{hi}", not missing, f"missing lines {missing}")
        yield Check(f"{fname}[{i}] title", norm(a.get("title")) == norm(ea["title"]), f"{a.get('title')!r}")
        if "subtitle" in ea:
            yield Check(f"{fname}[{i}] subtitle", norm(a.get("subtitle")) == norm(ea["subtitle"]), f"{a.get('subtitle')!r}")
        yield Check(f"{fname}[{i}] language", (a.get("language") or "")[:2] == ea["language"], f"{a.get('language')!r}")
        got = a.get("published_date")
        got_date = got.isoformat() if isinstance(got, dt.date) else (str(got)[:10] if got else None)
        yield Check(f"{fname}[{i}] published_date", got_date == ea["published_date"], f"{got_date!r}")
        for key in ("page", "dateline_place", "image_credit"):
            if key in ea:
                yield Check(f"{fname}[{i}] {key}", norm(a.get(key)) == norm(ea[key]), f"{a.get(key)!r}")
        if "subheading_lines" in ea:
            got_sub = sorted(a.get("subheading_lines") or [])
            yield Check(f"{fname}[{i}] subheadings", got_sub == sorted(ea["subheading_lines"]), f"{got_sub}")
        if "publisher" in origin:
            want = norm(origin["publisher"])
            got_pub = norm(a.get("publisher"))
            yield Check(f"{fname}[{i}] publisher", got_pub == want if want else not got_pub, f"{a.get('publisher')!r}")
        for key in ("publisher_country", "publisher_language", "translated"):
            if key in origin:
                yield Check(f"{fname}[{i}] {key}", a.get(key) == origin[key], f"{a.get(key)!r}")
        if origin.get("agencies"):
            got_ag = {norm(x) for x in (a.get("agencies") or [])}
            yield Check(
                f"{fname}[{i}] agencies",
                all(norm(x) in got_ag for x in origin["agencies"]),
                f"{a.get('agencies')!r}",
            )
