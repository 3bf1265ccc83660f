"""The parse-rate watch catches a quiet drop: a redesign that hides a field degrades its source only."""

from __future__ import annotations

import shutil

import pytest

from flows.demo_site import DEFAULT_ROOT, serve_demo
from flows.nightly import demo_sources, nightly

FAST_CRAWL = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
              "RATSINFO_DOWNLOAD_FILES": "none"}


@pytest.fixture(scope="module")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.mark.slow
def test_a_field_that_stops_being_found_marks_only_its_source_degraded(tmp_path, prefect_harness):
    site = tmp_path / "site"
    shutil.copytree(DEFAULT_ROOT, site)
    # Musterstadt "redesigns" its paper pages: the lead-office label is renamed.
    for page in (site / "musterstadt" / "bi" / "vo020.asp").glob("*.html"):
        page.write_bytes(page.read_bytes().replace("Federführend:".encode("latin-1"), "Zuständigkeit:".encode("latin-1")))
    with serve_demo(root=site) as server:
        sources = [s for s in demo_sources(server.base_url) if s["slug"] in {"musterstadt", "exempelstadt"}]
        summary = nightly(
            sources=sources,
            data_dir=str(tmp_path / "data"),
            db_path=str(tmp_path / "w.duckdb"),
            export_path=str(tmp_path / "out.csv"),
            crawl_settings=FAST_CRAWL,
        )
    assert summary["degraded"] == ["musterstadt"]
    assert summary["failed"] == []
    findings = summary["sources"]["musterstadt"]["degraded"]
    assert [(f["pageKind"], f["field"], f["found"]) for f in findings] == [("vo020", "leadOfficeRaw", 0)]
    # The other source was crawled and loaded as usual.
    assert summary["sources"]["exempelstadt"]["degraded"] == []
    assert summary["sources"]["exempelstadt"]["tables"]["paper"]["staged"] > 0

    import duckdb

    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    stored = con.execute('SELECT "degraded" FROM crawl WHERE "source" = \'musterstadt\'').fetchone()[0]
    assert "leadOfficeRaw" in stored
    rate = con.execute(
        """SELECT "rate" FROM parse_rate WHERE "source" = 'musterstadt' AND "pageKind" = 'vo020' AND "field" = 'leadOfficeRaw'"""
    ).fetchone()[0]
    assert rate == 0.0
