"""The start-up benchmark reads when the flow run began from Prefect's log line, also across midnight."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.benchmarks.loader import load_benchmark

LINE = "{} | INFO    | Flow run 'ingest-empty-1' - Beginning flow run 'ingest-empty-1' for flow 'ingest'\n"


@pytest.mark.parametrize(
    ("launched", "logged", "seconds"),
    [
        (dt.datetime(2026, 12, 1, 10, 0, 0, 500_000), "10:00:03.250", 2.75),
        (dt.datetime(2026, 12, 1, 23, 59, 58), "00:00:01.000", 3.0),
    ],
)
def test_seconds_to_the_flow_run_start(launched: dt.datetime, logged: str, seconds: float) -> None:
    bench = load_benchmark("startup")
    output = "Prefect: the newsprep server at http://127.0.0.1:4200\n" + LINE.format(logged)
    assert bench._seconds_after(launched, output) == pytest.approx(seconds)
    assert bench._seconds_after(launched, "no flow run here") is None
