"""`ratsinfo schedule` registers the nightly flow with its two schedules on a real Prefect server."""

from __future__ import annotations

import os
import socket

import pytest

from flows.schedule import local_prefect_server, nightly_deployment


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_deployment_with_nightly_and_weekly_full_schedules(tmp_path, monkeypatch):
    with local_prefect_server(free_port(), home=tmp_path / "prefect-home") as api_url:
        monkeypatch.setenv("PREFECT_API_URL", api_url)
        from prefect.client.orchestration import get_client
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: api_url}):
            deployment = nightly_deployment("0 2 * * *", "0 3 * * 0", "Europe/Berlin", {"data_dir": str(tmp_path)})
            deployment_id = deployment.apply()
            with get_client(sync_client=True) as client:
                stored = client.read_deployment(deployment_id)
    schedules = sorted((s.schedule.cron, s.schedule.timezone, s.parameters.get("full")) for s in stored.schedules)
    assert schedules == [("0 2 * * *", "Europe/Berlin", False), ("0 3 * * 0", "Europe/Berlin", True)]
    assert stored.parameters["data_dir"] == str(tmp_path)
    assert stored.name == "nightly"
