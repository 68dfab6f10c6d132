"""The per-run HTML report from a real warehouse: where it goes, what its charts hold, nothing fetched online."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tasks.report import ReportError, RunFacts, chart_specs, charts, read_run, render_html, write_run_report
from tasks.warehouse import connect
from tests.tasks.lake import article, build, run_row

RUN_1, RUN_2 = "20260101T120000-11111111", "20260102T120000-22222222"
COUNTS = {
    "dumps": 3, "articles": 3, "rejects": 2, "removed_lines": 7,
    "languages": {"en": 2, "de": 1},
    "publishers": {"</script><b>Evil</b>": 2, "(unknown)": 1},
    "rules": {"widget_share_en": 5, "footer_outlet": 2},
    "reject_reasons": {"empty": 1, "binary": 1},
    "stage_seconds": {"discover": 0.2, "scan": 1.5, "process": 4.0, "commit": 0.7},
}


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    day = dt.date(2025, 6, 1)
    articles = [
        article("r1-0", "one", run_id=RUN_2, published_date=day),
        article("r2-0", "two", run_id=RUN_2, published_date=day),
        article("r3-0", "three", run_id=RUN_2, published_date=day + dt.timedelta(days=1)),
        article("r4-0", "old", run_id=RUN_1, published_date=day),
    ]
    runs = [run_row(RUN_1, {"shard_seconds": {"0": 1.0}}, day=1), run_row(RUN_2, COUNTS, day=2)]
    return build(tmp_path_factory.mktemp("report") / "wh", articles=articles, runs=runs)


def specs(page: str) -> dict:
    return json.loads(re.search(r"const specs = (.*);\n", page).group(1))  # type: ignore[union-attr]


def values(spec: dict) -> list[dict]:
    return spec["data"]["values"]


def test_latest_run_by_default_written_under_reports(lake: Path) -> None:
    path = write_run_report(lake)
    assert path == lake / "reports" / f"{RUN_2}.html"
    page = path.read_text("utf-8")
    assert f"newsprep run <code>{RUN_2}</code>" in page
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_charts_hold_the_runs_counts_and_its_articles(lake: Path) -> None:
    s = specs(write_run_report(lake, RUN_2).read_text("utf-8"))
    assert list(s) == ["per-day", "languages", "publishers", "rules", "rejects", "stages"]
    assert values(s["per-day"]) == [{"date": "2025-06-01", "articles": 2}, {"date": "2025-06-02", "articles": 1}]
    assert values(s["languages"]) == [{"language": "en", "articles": 2}, {"language": "de", "articles": 1}]
    assert values(s["rejects"]) == [{"reason": "binary", "files": 1}, {"reason": "empty", "files": 1}]
    # stages keep the order they run in, not the order of their durations
    assert [v["stage"] for v in values(s["stages"])] == ["discover", "scan", "process", "commit"]


def test_the_page_is_self_contained(lake: Path) -> None:
    page = write_run_report(lake, RUN_2).read_text("utf-8")
    assert "<script src" not in page and "cdn." not in page.lower()
    assert "vegaEmbed" in page and len(page) > 300_000  # the vega-embed bundle is inlined


def test_text_from_the_data_cannot_close_the_script(lake: Path) -> None:
    page = write_run_report(lake, RUN_2).read_text("utf-8")
    assert "</script><b>Evil" not in page
    assert values(specs(page)["publishers"])[0]["publisher"] == "</script><b>Evil</b>"


def test_older_runs_without_stage_timings_show_shard_timings(lake: Path) -> None:
    s = specs(write_run_report(lake, RUN_1).read_text("utf-8"))
    assert s["stages"]["title"] == "Shard timings"
    assert values(s["stages"]) == [{"stage": "shard 0", "seconds": 1.0}]
    assert values(s["per-day"]) == [{"date": "2025-06-01", "articles": 1}]


def test_the_charts_are_valid_vega_lite_as_the_page_holds_them(lake: Path) -> None:
    # A run builds its charts without altair's schema checks (tasks/report.chart_specs); here they are made.
    con = connect(lake)
    try:
        facts = [read_run(con, RUN_1), read_run(con, RUN_2)]
    finally:
        con.close()
    for f in [*facts, RunFacts(facts[0].run, {}, [])]:
        checked = chart_specs(f, validate=True)
        assert specs(render_html(f, "")) == json.loads(json.dumps(checked))


def test_a_chart_that_breaks_the_schema_fails_the_check() -> None:
    import altair as alt
    from altair.utils.schemapi import SchemaValidationError, debug_mode

    with debug_mode(False):  # built as a run builds its charts: no check yet
        bad = alt.Chart(alt.Data(values=[])).mark_bar().encode(x=alt.X("n:Q", axis=alt.Axis(tickMinStep="one")))
    with pytest.raises(SchemaValidationError, match="tickMinStep"):
        bad.to_dict(validate=True)


def test_an_unknown_run_is_an_error(lake: Path) -> None:
    with pytest.raises(ReportError, match="no run 'nope'"):
        write_run_report(lake, "nope")


def test_an_empty_run_still_renders_every_chart() -> None:
    run = {"run_id": "r", "status": "completed", "started_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
           "finished_at": None, "files_seen": 0, "files_skipped": 0, "dumps_written": 0, "articles_written": 0,
           "rejects_written": 0, "removed_lines_written": 0}
    facts = RunFacts(run, {}, [])
    assert len(charts(facts)) == 6
    assert all(values(spec) == [] for spec in specs(render_html(facts, "")).values())
