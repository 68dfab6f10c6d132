"""The per-run HTML report: <warehouse>/reports/<run_id>.html, charts drawn by Vega-Lite in the browser.

Charts are built with altair and embedded as Vega-Lite specs next to the vega-embed JavaScript, which is
inlined (from vl-convert-python), so the page opens offline with no CDN. vl-convert takes ~10 s to produce
that bundle, so it is cached on disk per vl-convert and Vega-Lite version.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode

from tasks import warehouse as wh

REPORTS_DIR = "reports"
_TOP = 20  # bars per chart: the long tail of rules and publishers is in the tables


class ReportError(ValueError):
    pass


@dataclass(frozen=True)
class RunFacts:
    run: dict[str, Any]  # the runs row
    counts: dict[str, Any]  # its counts JSON
    per_day: list[tuple[dt.date, int]]  # the run's articles by published date


def read_run(con, run_id: str | None) -> RunFacts:
    """The runs row (the latest when run_id is None), its counts and its articles per published day."""
    sql = "SELECT * FROM runs " + ("WHERE run_id = ?" if run_id else "ORDER BY started_at DESC LIMIT 1")
    cur = con.execute(sql, [run_id] if run_id else [])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    if row is None:
        raise ReportError(f"no run {run_id!r} in the warehouse" if run_id else "the warehouse has no runs yet")
    run = dict(zip(names, row, strict=True))
    per_day = con.execute(
        "SELECT published_date, count(*) FROM articles WHERE run_id = ? AND published_date IS NOT NULL "
        "GROUP BY 1 ORDER BY 1",
        [run["run_id"]],
    ).fetchall()
    return RunFacts(run, json.loads(run["counts"] or "{}"), per_day)


def _bars(title: str, counts: dict[str, float], label: str, value: str, ranked: bool = True) -> alt.Chart:
    """Horizontal bars, largest first (ranked) or in the given order (stages run in order)."""
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:_TOP] if ranked else list(counts.items())
    data = alt.Data(values=[{label: k, value: v} for k, v in top])
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=value, axis=alt.Axis(tickMinStep=1) if ranked else alt.Axis()),
            y=alt.Y(f"{label}:N", sort="-x" if ranked else None, title=None),
            tooltip=[f"{label}:N", f"{value}:Q"],
        )
        .properties(width=420)
    )


def _per_day(per_day: list[tuple[dt.date, int]]) -> alt.Chart:
    data = alt.Data(values=[{"date": d.isoformat(), "articles": n} for d, n in per_day])
    return (
        alt.Chart(data, title="Articles per published day")
        .mark_bar()
        .encode(x=alt.X("date:T", title=None), y=alt.Y("articles:Q", axis=alt.Axis(tickMinStep=1)), tooltip=["date:T", "articles:Q"])
        .properties(width=420)
    )


def charts(facts: RunFacts) -> dict[str, alt.Chart]:
    """One chart per question the report answers, keyed by a stable id (the page's element ids). Built without
    altair's schema validation (see chart_specs)."""
    with debug_mode(False):
        return _charts(facts)


def chart_specs(facts: RunFacts, validate: bool = False) -> dict[str, dict]:
    """The charts as Vega-Lite specs. altair checks every object against the Vega-Lite JSON schema as it is built
    and again in to_dict (~0.4-0.8 s per report, most of a run's report time); the charts here are fixed shapes
    filled with counts, so a run skips the checks and the tests make them (validate=True)."""
    return {key: chart.to_dict(validate=validate) for key, chart in charts(facts).items()}


def _charts(facts: RunFacts) -> dict[str, alt.Chart]:
    c = facts.counts
    # Runs before stage timings were recorded have shard timings only: show those rather than nothing.
    stages = c.get("stage_seconds") or {f"shard {k}": v for k, v in (c.get("shard_seconds") or {}).items()}
    return {
        "per-day": _per_day(facts.per_day),
        "languages": _bars("Language mix", c.get("languages", {}), "language", "articles"),
        "publishers": _bars("Top publishers", c.get("publishers", {}), "publisher", "articles"),
        "rules": _bars("Removal rules fired", c.get("rules", {}), "rule", "lines"),
        "rejects": _bars("Rejects by reason", c.get("reject_reasons", {}), "reason", "files"),
        "stages": _bars(
            "Stage timings" if c.get("stage_seconds") else "Shard timings", stages, "stage", "seconds", ranked=False
        ),
    }


@functools.cache
def vega_bundle() -> str:
    """vega + vega-lite + vega-embed as one script, from vl-convert; cached on disk (it takes ~10 s to make)."""
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    version = vl_version_for_vl_convert()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsprep"
    path = cache / f"vega-embed-{vlc.__version__}-{version}.js"
    if path.exists():
        return path.read_text("utf-8")
    bundle = vlc.javascript_bundle(vl_version=version)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(bundle, "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # no writable cache: the next report pays the ~10 s again, still correct
    return bundle


def _summary(run: dict[str, Any]) -> list[tuple[str, Any]]:
    seconds = (run["finished_at"] - run["started_at"]).total_seconds() if run.get("finished_at") else None
    return [
        ("status", run["status"]),
        ("started", run["started_at"]),
        ("seconds", f"{seconds:.1f}" if seconds is not None else ""),
        ("files seen", run["files_seen"]),
        ("skipped (unchanged)", run["files_skipped"]),
        ("dumps", run["dumps_written"]),
        ("articles", run["articles_written"]),
        ("rejects", run["rejects_written"]),
        ("removed lines", run["removed_lines_written"]),
    ]


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</' can close it early."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def render_html(facts: RunFacts, bundle: str) -> str:
    run_id = html.escape(str(facts.run["run_id"]))
    rows = "\n".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape('' if v is None else str(v))}</td></tr>"
        for k, v in _summary(facts.run)
    )
    specs = chart_specs(facts)
    divs = "\n".join(f'<div class="chart" id="chart-{key}"></div>' for key in specs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>newsprep run {run_id}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: 1.5rem; }}
th, td {{ text-align: left; padding: .2rem .8rem; border-bottom: 1px solid #ddd; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 2rem; }}
</style>
<script>{bundle}</script>
</head>
<body>
<h1>newsprep run <code>{run_id}</code></h1>
<table>
{rows}
</table>
<div class="charts">
{divs}
</div>
<script>
const specs = {_script_json(specs)};
for (const [key, spec] of Object.entries(specs)) {{
  vegaEmbed("#chart-" + key, spec, {{renderer: "svg", actions: false}}).catch(console.error);
}}
</script>
</body>
</html>
"""


def write_run_report(warehouse: Path | str, run_id: str | None = None) -> Path:
    """Write <warehouse>/reports/<run_id>.html (the latest run when run_id is None) and return its path."""
    con = wh.connect(warehouse, read_only=True)
    try:
        facts = read_run(con, run_id)
    finally:
        con.close()
    folder = Path(warehouse).resolve() / REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{facts.run['run_id']}.html"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(render_html(facts, vega_bundle()), "utf-8")
    os.replace(tmp, path)
    return path


def report_path(warehouse: Path | str, run_id: str) -> Path:
    return Path(warehouse).resolve() / REPORTS_DIR / f"{run_id}.html"
