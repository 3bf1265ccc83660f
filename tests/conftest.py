"""Shared test fixtures: where the real-page corpus is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Prefect must not phone home from tests.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# Prefect binds its console log handler to sys.stderr as it is when prefect is first imported. Imported
# first inside a test that captures with capsys, the handler kept that test's stream, closed after it: every
# later flow's log line failed ("I/O operation on closed file") and the flow with it. Imported here, it
# holds the session's stream.
import prefect.main  # noqa: E402,F401 (prefect itself imports lazily: prefect.main sets up its logging)


def corpus_path() -> Path:
    """Return the corpus folder: $RATSINFO_CORPUS, or ../shared/corpus beside the project."""
    return Path(os.environ.get("RATSINFO_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real-page corpus; skip when it is missing, fail under CI=true."""
    path = corpus_path()
    if not path.is_dir():
        message = (
            f"real-page corpus not found at {path} "
            "(set RATSINFO_CORPUS or place shared/ beside the project)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real local Prefect server for the session (ephemeral port, own home and log), Prefect pointed at it; its API URL.

    One per session: starting a Prefect server takes long on a busy machine.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.schedule import local_prefect_server

    tmp = tmp_path_factory.mktemp("prefect-server")
    with local_prefect_server(0, home=tmp / "home", log_path=tmp / "server.log") as api_url, \
            temporary_settings({PREFECT_API_URL: api_url}):
        yield api_url
        from prefect.logging.handlers import APILogWorker

        APILogWorker.drain_all(timeout=5)  # send the flow runs' logs while the server still listens
