"""Faults of the parse worker (``spiders.parse_worker``): a dead worker loses no page, a dead crawl leaves no worker.

Each test crawls an ALLRIS classic site of a few hundred papers
(``tests/sites/build_allris_classic_large.py``) in a child process and kills a
process with SIGKILL once part of the pages are done (read from the frontier).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from flows.demo_site import serve_demo
from schemas.staging import StagingArea
from spiders.frontier import frontier_path
from tests.conftest import PROJECT_ROOT
from tests.sites import build_allris_classic_large
from tests.sites.common import SiteContents, crawl_command, done_pages

pytestmark = pytest.mark.slow  # each test runs crawls of a few seconds

PAPERS = 200
SETTINGS = {"RATSINFO_DOWNLOAD_FILES": "none", "RATSINFO_PARSE_WORKERS": "1"}


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    if not path.exists():
        pytest.skip("this system does not list a process's children in /proc")
    return [int(p) for p in path.read_text().split()]


def _running(pid: int) -> bool:
    """Tell whether the process runs (an exited one waiting for its parent to reap it does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status and "\nState:\tX" not in status


@contextmanager
def _crawl_with_its_worker(tmp_path: Path, done: int = 40) -> Iterator[tuple[SiteContents, list[str], subprocess.Popen, int]]:
    """Serve the site and start its crawl in a child process until ``done`` pages are done.

    Yields the site, the crawl's command (to resume it), the running crawl and its parse worker's pid.
    """
    site = build_allris_classic_large.build(tmp_path / "site", PAPERS)
    with serve_demo(site.root) as server:
        command = crawl_command(source="musterstadt", base_url=server.base_url + site.base_path,
                                system="allris_classic", months=site.months, data_dir=tmp_path, crawl_id="c",
                                settings=SETTINGS)
        db = frontier_path(StagingArea(tmp_path, "c"))
        crawl = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 120
            while done_pages(db) < done and crawl.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert crawl.poll() is None, f"the crawl ended before {done} pages were done: {crawl.communicate()[1][-2000:]}"
            workers = _children(crawl.pid)
            assert len(workers) == 1, workers  # the crawl's one child is its parse worker
            yield site, command, crawl, workers[0]
        finally:
            if crawl.poll() is None:  # a failed test leaves no crawl running
                crawl.kill()
                crawl.communicate()


def _assert_everything_loaded(summary: dict, site: SiteContents) -> None:
    """Every planned page loaded, and the papers, agenda items and consultations the site holds staged."""
    counts = site.notes["expected"]["counts"]
    urls = summary["urls"]
    assert summary["status"] == "finished" and urls["loaded"] == urls["planned"]
    assert {k: summary["itemCounts"].get(k) for k in ("Paper", "AgendaItem", "Consultation")} == {
        "Paper": counts["papers"], "AgendaItem": counts["agendaItems"], "Consultation": counts["consultations"]}
    assert summary["pagesByKind"]["vo020"] == PAPERS


@pytest.mark.fault(kind="parse worker killed mid-crawl", outcome="ok")
def test_a_crawl_whose_parse_worker_is_killed_reads_its_pages_itself_and_loses_none(tmp_path):
    with _crawl_with_its_worker(tmp_path) as (site, _command, crawl, worker):
        os.kill(worker, signal.SIGKILL)
        stdout, stderr = crawl.communicate(timeout=180)
    assert crawl.returncode == 0, stderr[-3000:]
    assert "the parse worker is gone" in stderr
    summary = json.loads(stdout)
    _assert_everything_loaded(summary, site)
    assert summary["urls"]["failed"] == 0
    assert not [f for f in StagingArea(tmp_path, "c").read_failures() if f.get("outcome") == "failed"]


@pytest.mark.fault(kind="crawl killed with kill -9: its parse worker", outcome="ok")
def test_the_parse_worker_of_a_killed_crawl_ends_and_the_resumed_crawl_loads_everything(tmp_path):
    with _crawl_with_its_worker(tmp_path) as (site, command, crawl, worker):
        crawl.send_signal(signal.SIGKILL)
        crawl.communicate(timeout=30)
        # The worker sees the end of its task pipe and exits (within its current page).
        deadline = time.monotonic() + 10
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(worker), "the parse worker outlived its killed crawl"
        resumed = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    _assert_everything_loaded(json.loads(resumed.stdout), site)
