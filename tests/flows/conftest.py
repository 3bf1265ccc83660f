"""One real Prefect server for the flow tests of a session (starting one takes long on a busy machine)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """Start a local Prefect server (ephemeral port, its own home and log) and point Prefect at it; yield its API URL."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.schedule import local_prefect_server

    tmp = tmp_path_factory.mktemp("prefect-server")
    with local_prefect_server(0, home=tmp / "home", log_path=tmp / "server.log") as api_url, \
            temporary_settings({PREFECT_API_URL: api_url}):
        yield api_url
