"""The nightly run's guards that need no fault: one run at a time, the alert command.

The nightly run under faults (unreachable source, time budget, failing
loads, export and index, the alert webhook) is in ``tests/faults/test_nightly.py``.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

from flows.nightly import nightly, nightly_lock
from flows.run_report import send_alert
from flows.sources import Alert


@pytest.mark.slow
def test_a_second_run_on_the_same_data_directory_is_skipped(tmp_path, prefect_server):
    with nightly_lock(tmp_path / "data") as holder:
        assert holder is None
        summary = nightly(sources=[], data_dir=str(tmp_path / "data"), db_path=str(tmp_path / "w.duckdb"),
                          export_path=str(tmp_path / "out.csv"))
    assert "another nightly run is in progress" in summary["skipped"]
    assert f"pid {os.getpid()}" in summary["skipped"]
    assert not (tmp_path / "w.duckdb").exists()


def test_the_alert_command_gets_the_report_path_and_the_failures(tmp_path):
    out = tmp_path / "alert.json"
    command = f"{sys.executable} -c \"import sys, pathlib; pathlib.Path({str(out)!r}).write_text(sys.argv[1] + '\\n' + sys.stdin.read())\""
    summary = {"runId": "r1", "sources": {"gone": {"reason": "unreachable"}}, "failed": ["gone"], "degraded": [], "errors": {}}
    outcome = send_alert(summary, tmp_path / "r1.json", Alert(command=command))
    assert outcome == {"command": "exit 0"}
    path, payload = out.read_text().split("\n", 1)
    assert path == str(tmp_path / "r1.json")
    assert json.loads(payload)["failed"] == {"gone": "unreachable"}
