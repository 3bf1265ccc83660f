"""Faults around what a crawl plans: every planned URL ends loaded, failed or refused, and the counts add up.

Each test crawls a small ALLRIS classic site (the demo's Musterstadt with a
few papers, ``tests/sites/build_allris_classic_large.py``) with one fault and
checks the crawl's summary (``urls`` in crawl.json), its frontier and
``failures.jsonl``: nothing planned vanishes, not even requests Scrapy itself
would drop (robots.txt, the duplicate filter on redirects).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from flows.demo_site import serve_demo
from schemas.staging import StagingArea
from tests.conftest import PROJECT_ROOT
from tests.sites import build_allris_classic_large
from tests.sites.common import SiteContents, crawl_command

pytestmark = pytest.mark.slow  # each test runs a crawl of its own (a few seconds)

PAPERS = 6


def _site(tmp_path: Path) -> SiteContents:
    return build_allris_classic_large.build(tmp_path / "site", PAPERS, excerpt_every=3)


def _crawl(tmp_path: Path, site: SiteContents) -> tuple[dict, list[dict], list[str]]:
    """Crawl the site; return the crawl's summary, its failure records and the paths the server answered."""
    with serve_demo(site.root) as server:
        command = crawl_command(source="musterstadt", base_url=server.base_url + site.base_path,
                                system="allris_classic", months=site.months, data_dir=tmp_path, crawl_id="c",
                                settings={"RATSINFO_DOWNLOAD_FILES": "none"})
        done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
        paths = [path for _method, path in server.requests.entries()]
    assert done.stdout, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    staging = StagingArea(tmp_path, "c")
    assert summary == staging.read_manifest()
    urls = summary["urls"]
    assert urls["planned"] == urls["loaded"] + urls["failed"] + urls["refused"] + urls["pending"]
    assert urls["pending"] == 0 and summary["status"] == "finished" and done.returncode == 0
    failures = list(staging.read_failures())
    assert all(f.get("outcome") in ("failed", "refused") for f in failures), failures
    return summary, failures, paths


def _paper_ids(site: SiteContents) -> list[str]:
    folder = site.root / site.base_path.strip("/") / "vo020.asp"
    return sorted(p.stem.split("=", 1)[1] for p in folder.glob("VOLFDNR=*.html"))


@pytest.mark.fault(kind="robots.txt disallows one paper", outcome="refused")
def test_paper_disallowed_by_robots_txt_is_a_recorded_refusal(tmp_path):
    site = _site(tmp_path)
    denied = _paper_ids(site)[2]
    robots = site.root / "robots.txt"
    robots.write_text(robots.read_text().replace(
        "User-agent: *\n", f"User-agent: *\nDisallow: {site.base_path}vo020.asp?VOLFDNR={denied}\n"))
    summary, failures, paths = _crawl(tmp_path, site)
    assert f"{site.base_path}vo020.asp?VOLFDNR={denied}" not in paths
    assert summary["urls"]["refused"] == 1 and summary["urls"]["failed"] == 0
    assert summary["urls"]["refusedBy"] == {"robots.txt": 1}
    assert summary["itemCounts"]["Paper"] == PAPERS - 1
    [record] = failures
    assert record["url"].endswith(f"VOLFDNR={denied}")
    assert record["outcome"] == "refused" and record["reason"] == "robots.txt"


@pytest.mark.fault(kind="paper page missing (404)", outcome="recorded")
def test_missing_paper_page_is_a_recorded_failure(tmp_path):
    site = _site(tmp_path)
    missing = _paper_ids(site)[1]
    (site.root / site.base_path.strip("/") / "vo020.asp" / f"VOLFDNR={missing}.html").unlink()
    summary, failures, _paths = _crawl(tmp_path, site)
    assert summary["urls"]["failed"] == 1 and summary["urls"]["refused"] == 0
    assert summary["urls"]["loaded"] == summary["urls"]["planned"] - 1
    assert summary["itemCounts"]["Paper"] == PAPERS - 1
    [record] = failures
    assert record["url"].endswith(f"VOLFDNR={missing}") and record["outcome"] == "failed"
    assert record["status"] == 404


@pytest.mark.fault(kind="redirect loop", outcome="recorded")
def test_redirect_loop_ends_as_a_recorded_failure(tmp_path):
    site = _site(tmp_path)
    folder = site.root / site.base_path.strip("/") / "au010.asp"
    (folder / "index.html").unlink()
    (folder / "index.redirect").write_text("au010.asp")  # to itself
    summary, failures, paths = _crawl(tmp_path, site)
    # Scrapy's duplicate filter used to drop the second hop silently; the frontier lets the
    # hops through, so the loop ends at REDIRECT_MAX_TIMES as a failure of the planned URL.
    from spiders import settings

    assert paths.count(f"{site.base_path}au010.asp") == settings.REDIRECT_MAX_TIMES + 1
    assert summary["urls"]["failed"] == 1
    [record] = failures
    assert record["url"].endswith("au010.asp") and record["outcome"] == "failed"
    assert "redirect" in record["error"]


@pytest.mark.fault(kind="two pages redirect to one disallowed page", outcome="refused")
def test_pages_redirected_to_one_disallowed_page_are_each_refused(tmp_path):
    site = _site(tmp_path)
    for program in ("au010.asp", "fr010.asp"):
        folder = site.root / site.base_path.strip("/") / program
        for index in folder.glob("index.*"):
            index.unlink()
        (folder / "index.redirect").write_text("ri/logon.asp")  # robots.txt: Disallow …/bi/ri/
    summary, failures, _paths = _crawl(tmp_path, site)
    assert summary["urls"]["refused"] == 2, summary["urls"]
    assert summary["urls"]["refusedBy"] == {"robots.txt": 2}
    assert len(failures) == 2
    assert {f["outcome"] for f in failures} == {"refused"}
