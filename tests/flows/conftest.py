"""Fixtures of the web page's tests: the seeded warehouse (tests.web_seed) and the site serving it, one per module."""

from __future__ import annotations

import pytest

from flows.web.server import WebServer
from tests.web_seed import seed_warehouse


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return seed_warehouse(tmp_path_factory.mktemp("web") / "w.duckdb")


@pytest.fixture(scope="module")
def site(warehouse):
    with WebServer(warehouse) as server:
        yield server
