"""The run report in a real headless Chromium: every chart drawn as SVG, no console error, nothing fetched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tasks.report import write_run_report
from tests.tasks.lake import article, build, run_row

CHROMIUM = Path("/usr/bin/chromium")
RUN = "20260103T090000-33333333"
COUNTS = {
    "languages": {"en": 3, "fr": 1}, "publishers": {"Le Monde": 1, "BBC": 3}, "rules": {"widget_share_en": 4},
    "reject_reasons": {"empty": 2}, "stage_seconds": {"discover": 0.1, "scan": 0.5, "process": 2.0, "commit": 0.4},
}


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
def test_report_renders_its_charts_in_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    day = dt.date(2025, 1, 1)
    lake = build(
        tmp_path / "wh",
        articles=[article(f"b{i}-0", "text", run_id=RUN, published_date=day + dt.timedelta(days=i)) for i in range(4)],
        runs=[run_row(RUN, COUNTS)],
    )
    report = write_run_report(lake, RUN)
    errors: list[str] = []
    remote: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else remote.append(r.url))
            page.goto(report.as_uri())
            page.wait_for_function("document.querySelectorAll('.chart svg').length === 6", timeout=30_000)
            marks = page.eval_on_selector_all(
                ".chart", "els => els.map(e => [e.id, e.querySelectorAll('svg .mark-rect path').length])"
            )
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert [m[0] for m in marks] == [f"chart-{k}" for k in ("per-day", "languages", "publishers", "rules", "rejects", "stages")]
    assert dict(marks) == {"chart-per-day": 4, "chart-languages": 2, "chart-publishers": 2, "chart-rules": 1,
                           "chart-rejects": 1, "chart-stages": 4}
    assert errors == [] and remote == []
    assert (tmp_path / "report.png").stat().st_size > 10_000
