"""The main job end to end: demo site on 127.0.0.1 → nightly Prefect flow → DuckDB → CSV.

The expected numbers come from ``data/demo/expected.json``, which the demo
generator computes from its own content (not from parsing), so this test
checks the crawl, the parsers, the load and the export against what the
site really contains.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from flows.demo_site import DEFAULT_EXPECTED, serve_demo
from flows.nightly import demo_sources, nightly

EXPECTED = json.loads(Path(DEFAULT_EXPECTED).read_text(encoding="utf-8"))
FAST_CRAWL = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "4"}
TABLE_FOR_COUNT = {
    "papers": "paper",
    "consultations": "consultation",
    "meetings": "meeting",
    "agendaItems": "agenda_item",
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, prefect_server):
    """Run the nightly flow once against the demo site; return the summary and paths."""
    tmp = tmp_path_factory.mktemp("nightly")
    with serve_demo() as server:
        summary = nightly(
            sources=demo_sources(server.base_url),
            data_dir=str(tmp / "data"),
            db_path=str(tmp / "ratsinfo.duckdb"),
            export_path=str(tmp / "integration.csv"),
            crawl_settings=FAST_CRAWL,
        )
        requests = list(server.requests)
    return {"summary": summary, "tmp": tmp, "requests": requests}


def query(run, sql, params=()):
    con = duckdb.connect(str(run["tmp"] / "ratsinfo.duckdb"), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_every_demo_source_crawled_without_failures(demo_run):
    summary = demo_run["summary"]
    assert set(summary["sources"]) == {m["slug"] for m in EXPECTED["municipalities"]}
    assert summary["failed"] == []
    for slug, entry in summary["sources"].items():
        assert entry["status"] == "finished", slug
        assert entry["failures"] == 0, (slug, entry)
        assert entry["degraded"] == [], (slug, entry["degraded"])
    systems = {entry["system"] for entry in summary["sources"].values()}
    assert {"allris_classic", "sessionnet"} <= systems


@pytest.mark.slow
@pytest.mark.parametrize("municipality", EXPECTED["municipalities"], ids=lambda m: m["slug"])
@pytest.mark.parametrize("count", sorted(TABLE_FOR_COUNT))
def test_loaded_counts_equal_what_the_site_contains(demo_run, municipality, count):
    table = TABLE_FOR_COUNT[count]
    loaded = query(demo_run, f'SELECT count(*) FROM {table} WHERE "source" = ? AND NOT "deleted"', [municipality["slug"]])[0][0]
    assert loaded == municipality["counts"][count]


@pytest.mark.slow
def test_the_csv_holds_exactly_the_integration_papers(demo_run):
    path = demo_run["tmp"] / "integration.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig"), delimiter=";"))  # as German Excel reads it
    # ids are system:base:systemId (stable across slugs); the slug is in "source"
    exported = {f"{row['source']}:{row['id'].rsplit(':', 1)[1]}" for row in rows}
    expected = {f"{m['slug']}:{pid}" for m in EXPECTED["municipalities"] for pid in m["integrationPapers"]}
    false_friends = {f"{m['slug']}:{pid}" for m in EXPECTED["municipalities"] for pid in m["falseFriendPapers"]}
    assert exported == expected
    assert not exported & false_friends
    assert all(row["topic_terms"] for row in rows)
    assert all(row["url"].startswith("http://127.0.0.1:") for row in rows)


@pytest.mark.slow
def test_signatories_come_from_the_main_documents(demo_run):
    for municipality in EXPECTED["municipalities"]:
        papers = municipality["papers"]
        if isinstance(papers, str):  # summarised in expected.json
            continue
        for paper in papers:
            if not paper.get("signatories"):
                continue
            stored = query(demo_run, 'SELECT "signatories" FROM paper WHERE "source" = ? AND "systemId" = ?',
                           [municipality["slug"], paper["systemId"]])
            assert stored and stored[0][0], paper["systemId"]
            assert stored[0][0] == paper["signatories"], paper["systemId"]  # a typed list of structs


@pytest.mark.slow
def test_robots_txt_is_fetched_and_obeyed(demo_run):
    paths = [path for _method, path in demo_run["requests"]]
    assert "/robots.txt" in paths
    assert not [p for p in paths if "/bi/ri/" in p]


@pytest.mark.slow
def test_the_documents_stage_runs_after_the_loads_and_leaves_nothing_pending(demo_run):
    summary = demo_run["summary"]
    assert summary["pendingDocuments"] == 0
    for slug, entry in summary["sources"].items():
        documents = entry["documents"]
        assert documents["crawlId"].endswith("-documents"), slug
        assert documents["failed"] == documents["refused"] == 0, (slug, documents)
        assert set(documents["statuses"]) == {"ok"}, (slug, documents["statuses"])
        assert entry["pendingDocuments"] == 0
    # main documents only by default (RATSINFO_DOWNLOAD_FILES=main); every one read
    rows = query(demo_run, 'SELECT "role", "textStatus", count(*) FROM file WHERE "sha256" IS NOT NULL GROUP BY ALL')
    assert [(role, status) for role, status, _ in rows] == [("mainFile", "ok")]
    assert rows[0][2] == EXPECTED["totals"]["papers"]
