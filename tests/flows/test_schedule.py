"""`ratsinfo schedule` registers the nightly flow with its two schedules on a real Prefect server."""

from __future__ import annotations

import pytest

from flows.schedule import nightly_deployment


@pytest.mark.slow
def test_deployment_with_nightly_and_weekly_full_schedules(tmp_path, prefect_server):
    from prefect.client.orchestration import get_client

    deployment = nightly_deployment("0 2 * * *", "0 3 * * 0", "Europe/Berlin", {"data_dir": str(tmp_path)})
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment(deployment_id)
    schedules = sorted((s.schedule.cron, s.schedule.timezone, s.parameters.get("full")) for s in stored.schedules)
    assert schedules == [("0 2 * * *", "Europe/Berlin", False), ("0 3 * * 0", "Europe/Berlin", True)]
    assert stored.parameters["data_dir"] == str(tmp_path)
    assert stored.name == "nightly"
    assert stored.global_concurrency_limit.limit == 1
    assert stored.concurrency_options.collision_strategy == "CANCEL_NEW"
