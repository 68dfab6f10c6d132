"""Save a PNG of a flow run's page in the Prefect UI, for the docs: what a user sees after a run.

Headless Chromium from the system (Debian: `apt-get install -y chromium`), driven by Playwright without a browser
download. Needs a running `prefect server`; without --flow-run it takes the latest completed run.

    .venv/bin/python scripts/screenshot_run.py --api-url http://127.0.0.1:4200/api --out docs/img/flow-run.png
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# No sandbox: the browser runs as root in containers and CI; it only opens the local Prefect UI.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def ui_url(api_url: str, flow_run_id: str) -> str:
    """The UI page of a flow run: the UI is served by the same server, at the API URL without `/api`."""
    return f"{api_url.rstrip('/').removesuffix('/api')}/runs/flow-run/{flow_run_id}"


def latest_completed_run(api_url: str) -> tuple[str, str]:
    """Id and name of the most recently started completed flow run."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    completed = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED])))
    with SyncPrefectClient(api_url) as client:
        runs = client.read_flow_runs(flow_run_filter=completed, sort=FlowRunSort.START_TIME_DESC, limit=1)
    if not runs:
        raise SystemExit(f"error: no completed flow run on {api_url}")
    return str(runs[0].id), runs[0].name


def run_name(api_url: str, flow_run_id: str) -> str:
    from prefect.client.orchestration import SyncPrefectClient

    with SyncPrefectClient(api_url) as client:
        return client.read_flow_run(flow_run_id).name  # type: ignore[arg-type]


def screenshot(url: str, out: Path, wait_for_text: str, width: int, height: int, settle_ms: int) -> None:
    """Open `url`, wait until `wait_for_text` shows (the page is a single-page app), then save the viewport."""
    from playwright.sync_api import sync_playwright

    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.goto(url, wait_until="networkidle", timeout=60_000)
            page.get_by_text(wait_for_text).first.wait_for(timeout=60_000)
            page.wait_for_timeout(settle_ms)  # the run graph and logs render after the heading
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Save a PNG of a flow run's page in the Prefect UI.")
    parser.add_argument("--api-url", default=os.environ.get("PREFECT_API_URL"), help="default: $PREFECT_API_URL")
    parser.add_argument("--flow-run", help="flow run id (default: the latest completed run)")
    parser.add_argument("--out", type=Path, default=Path("docs/img/prefect-flow-run.png"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--settle-ms", type=int, default=3000, help="wait after the page shows the run name")
    args = parser.parse_args(argv)
    if not args.api_url:
        raise SystemExit("error: give --api-url or set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"error: {CHROMIUM} not found: apt-get install -y chromium")
    if args.flow_run:
        run_id, name = args.flow_run, run_name(args.api_url, args.flow_run)
    else:
        run_id, name = latest_completed_run(args.api_url)
    url = ui_url(args.api_url, run_id)
    screenshot(url, args.out, name, args.width, args.height, args.settle_ms)
    print(f"{args.out}: {url} ({args.out.stat().st_size // 1024} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()
