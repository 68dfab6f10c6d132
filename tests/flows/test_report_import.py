"""flows.stages.import_report_in_background: the report's imports (altair) load on a thread during the commit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys, threading
import flows.stages as stages
assert "altair" not in sys.modules, "the flows import altair up front: it should wait for the run's end"
thread = stages.import_report_in_background()
assert thread.daemon and thread.name == "import-report"
thread.join(120)
assert not thread.is_alive()
assert "tasks.report" in sys.modules and "altair" in sys.modules
print("ok")
"""


def test_the_report_module_is_imported_on_a_thread_and_not_before() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"
