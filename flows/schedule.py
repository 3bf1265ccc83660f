"""Serve the nightly flow on a schedule against a real Prefect server.

Two schedules on one deployment: the nightly crawl (default 02:00
Europe/Berlin) and a weekly full reconciliation (default Sunday 03:00),
which passes ``full=True`` so incremental sources re-read everything.
Without ``--api-url`` or ``PREFECT_API_URL`` a local Prefect server is
started on 127.0.0.1 and stopped again on exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

DEPLOYMENT_NAME = "nightly"


def nightly_schedules(cron: str, full_cron: str, timezone: str) -> list:
    """Return the deployment's schedules: the nightly run and the weekly full one."""
    from prefect.schedules import Cron

    return [
        Cron(cron, timezone=timezone, parameters={"full": False}, slug="nightly"),
        Cron(full_cron, timezone=timezone, parameters={"full": True}, slug="weekly-full"),
    ]


def wait_for_server(api_url: str, timeout: float = 90.0) -> None:
    """Block until the Prefect API at ``api_url`` answers its health check."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"Prefect server at {api_url} did not become healthy in {timeout:.0f}s")


@contextmanager
def local_prefect_server(port: int = 4200, home: Path | None = None) -> Iterator[str]:
    """Start ``prefect server start`` on 127.0.0.1 and yield its API URL; stop it afterwards."""
    prefect = Path(sys.executable).with_name("prefect")
    env = dict(os.environ, DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    if home is not None:
        env["PREFECT_HOME"] = str(home)
    process = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        wait_for_server(api_url)
        yield api_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def nightly_deployment(cron: str, full_cron: str, timezone: str, parameters: dict):
    """Return the nightly flow as a deployment with its two schedules."""
    from flows.nightly import nightly

    return nightly.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=nightly_schedules(cron, full_cron, timezone),
        parameters=parameters,
        description="Crawl, load and export every configured source.",
        tags=["ratsinfo"],
    )


def serve_schedule(
    *,
    cron: str,
    full_cron: str,
    timezone: str,
    sources_file: str,
    data_dir: str,
    db_path: str,
    api_url: str | None = None,
    port: int = 4200,
) -> int:
    """Register the scheduled deployment and serve it until interrupted."""
    parameters = {"sources_file": sources_file, "data_dir": data_dir, "db_path": db_path}
    api_url = api_url or os.environ.get("PREFECT_API_URL")
    if api_url:
        os.environ["PREFECT_API_URL"] = api_url
        wait_for_server(api_url)
        _serve(cron, full_cron, timezone, parameters)
        return 0
    with local_prefect_server(port) as local_url:
        os.environ["PREFECT_API_URL"] = local_url
        print(f"Prefect server at {local_url.removesuffix('/api')} (UI); serving the schedule, Ctrl-C stops", file=sys.stderr)
        _serve(cron, full_cron, timezone, parameters)
    return 0


def _serve(cron: str, full_cron: str, timezone: str, parameters: dict) -> None:
    from prefect import serve

    serve(nightly_deployment(cron, full_cron, timezone, parameters))
