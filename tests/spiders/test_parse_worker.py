"""Pages read in the parse worker give what the crawl's process reads from them (``spiders.parse_worker``)."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from flows.demo_site import DEFAULT_EXPECTED, serve_demo
from schemas.staging import StagingArea
from spiders.dialects import DIALECT_MODULES, by_name
from spiders.parse_worker import PageReading, read_page
from tests.conftest import PROJECT_ROOT
from tests.sites.common import assert_reparse_stages_the_same

DEMO = PROJECT_ROOT / "data" / "demo" / "site" / "musterstadt" / "bi"
ALLRIS = by_name("allris_classic")


def _demo_page(program: str, query: str) -> tuple[str, bytes]:
    return f"http://127.0.0.1:1/musterstadt/bi/{program}?{query}", (DEMO / program / f"{query}.html").read_bytes()


FETCHED_AT = dt.datetime(2026, 9, 15, 8, 30, tzinfo=dt.timezone.utc)


def _read(url: str, body: bytes, *, status: int = 200, dataloss: bool = False, kind: str = "vo020") -> PageReading:
    return read_page(ALLRIS, ALLRIS.crawl_session(None, None), "musterstadt", url, body, "text/html", status, dataloss,
                     kind, {}, FETCHED_AT)


def test_a_paper_is_read_with_its_items_as_normalised_lines_links_fields_and_page_kind():
    reading = _read(*_demo_page("vo020.asp", "VOLFDNR=5001"))
    assert reading.failure is None and not reading.refused
    assert reading.page_kind == "vo020"
    assert reading.parsed.items == [] and reading.parsed.follow  # the items travel as lines
    lines = [json.loads(line) for line in reading.staged.text.splitlines()]
    assert reading.staged.counts == {kind: sum(1 for i in lines if i["type"] == kind) for kind in reading.staged.counts}
    assert reading.staged.keys == {key for line in lines for key in line}
    papers = [i for i in lines if i["type"] == "Paper"]
    assert [p["systemId"] for p in papers] == ["5001"]
    # Normalised from the raw string the parser kept:
    assert (papers[0]["leadOfficeRaw"], papers[0]["leadOfficeCode"], papers[0]["leadOfficeName"]) == (
        "Amt 50 Sozialamt", "50", "Sozialamt")
    assert {i["crawledAt"] for i in lines} == {FETCHED_AT.isoformat()}
    assert reading.parsed.fields_seen and all(reading.parsed.fields_seen.values())


def test_items_that_no_normaliser_expected_make_a_failed_page_with_the_reason(monkeypatch):
    from pipelines.normalise import items as normalise_items

    def broken(item):
        raise ValueError("no such office")

    monkeypatch.setattr(normalise_items, "normalise_item", broken)
    reading = _read(*_demo_page("vo020.asp", "VOLFDNR=5001"))
    assert reading.parse_error and reading.staged is None
    assert reading.failure == "normalising its items: ValueError: no such office"


@pytest.mark.parametrize("body, dataloss, reason", [
    (b"  \n", False, "empty body (HTTP 200)"),
    (b"<html><body>cut", False, "truncated HTML page"),
    (b"<html></html>", True, "truncated: the body is shorter than its Content-Length"),
    (b'<html><form><input type="password" name="pw"></form></html>', False, "a login form"),
])
def test_an_answer_that_is_not_the_page_is_a_failure_with_the_reason(body, dataloss, reason):
    reading = _read("http://127.0.0.1:1/musterstadt/bi/vo020.asp?VOLFDNR=1", body, dataloss=dataloss)
    assert reading.parsed is None and reading.failure is not None and reading.failure.startswith(reason)
    assert not reading.parse_error


def test_a_page_the_dialect_cannot_parse_is_a_parse_error_naming_the_exception():
    session = by_name("kic").crawl_session(None, None)
    reading = read_page(by_name("kic"), session, "s", "https://ris.example.test/app/x", b'{"unexpected": true}',
                        "application/json", 200, False, "guestmeetings", {}, FETCHED_AT)
    assert reading.parse_error and reading.failure.startswith("ParseError: ")


def test_a_session_says_whether_a_copy_of_it_may_read_pages_in_another_process(tmp_path):
    from scrapy.settings import Settings

    alone = {}
    for module in DIALECT_MODULES:
        dialect = by_name(module.rsplit(".", 1)[1])
        session = dialect.crawl_session(Settings(), StagingArea(tmp_path, dialect.NAME).create())
        assert isinstance(session.parses_alone, bool), dialect.NAME
        alone[dialect.NAME] = session.parses_alone
        if session.parses_alone:
            copy = pickle.loads(pickle.dumps(session))  # what the worker gets with each page
            assert type(copy) is type(session) and copy.parses_alone
    # Sessions that learn from pages (OParl's list walks, KIC's headers) stay in the crawl's process.
    assert alone["oparl"] is False and alone["kic"] is False
    assert alone["allris_classic"] and alone["sessionnet"] and alone["allris4"] and alone["sdnet"]


POOL_SCRIPT = """
import asyncio, datetime as dt, json, os, signal, sys
from pathlib import Path
from spiders.dialects import by_name
from spiders.parse_worker import ParseWorker, WorkerGone, read_page

dialect = by_name("allris_classic")
session = dialect.crawl_session(None, None)
folder = Path(sys.argv[1])
pages = [(f"http://127.0.0.1:1/musterstadt/bi/{p.parent.name}?{p.stem}", p.read_bytes())
         for p in sorted(folder.glob("*/*.html"))]
def args(url, body):
    return ("musterstadt", url, body, "text/html", 200, False, "x", {}, dt.datetime(2026, 9, 15, tzinfo=dt.timezone.utc))
def plain(reading):
    items = reading.staged.text if reading.staged else None
    follow = [(link.url, link.kind) for link in reading.parsed.follow] if reading.parsed else None
    return [reading.failure, reading.refused, reading.page_kind, items, follow]

async def main():
    worker = ParseWorker()
    out = {"pages": len(pages)}
    here = [plain(read_page(dialect, session, *args(u, b))) for u, b in pages]
    there = await asyncio.gather(*(worker.read(dialect, session, *args(u, b)) for u, b in pages))
    out["same"] = here == [plain(r) for r in there]
    # The worker killed: the pages waiting for it, and every later one, raise WorkerGone.
    waiting = [asyncio.ensure_future(worker.read(dialect, session, *args(u, b))) for u, b in pages[:20]]
    await asyncio.sleep(0)
    os.kill(worker.process.pid, signal.SIGKILL)
    results = await asyncio.gather(*waiting, return_exceptions=True)
    out["gone"] = sum(isinstance(r, WorkerGone) for r in results)
    out["read"] = sum(not isinstance(r, BaseException) for r in results)
    try:
        await worker.read(dialect, session, *args(*pages[0]))
        out["after"] = "read"
    except WorkerGone as exc:
        out["after"] = str(exc)
    worker.close()
    out["exitcode"] = worker.process.exitcode
    print(json.dumps(out))

asyncio.run(main())
"""


def test_the_worker_reads_as_the_crawl_does_and_a_killed_worker_raises_worker_gone():
    # In a process of its own: the worker forks, which the test process (with threads of other tests) must not.
    run = subprocess.run([sys.executable, "-c", POOL_SCRIPT, str(DEMO)], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["pages"] > 50 and out["same"] is True
    assert out["gone"] + out["read"] == 20 and out["gone"] >= 1  # none lost: each was read or raised
    assert out["after"].startswith("the parse worker is gone")
    assert out["exitcode"] == -9


def _crawl(tmp_path: Path, base_url: str, system: str, workers: str) -> StagingArea:
    from spiders.crawl import crawl_command

    months = json.loads(DEFAULT_EXPECTED.read_text(encoding="utf-8"))["months"]
    command = crawl_command(source="town", base_url=base_url, data_dir=tmp_path, crawl_id=f"w{workers}",
                            system=system, months=f"{months[0]}..{months[-1]}",
                            settings={"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
                                      "RATSINFO_PARSE_WORKERS": workers})
    run = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    return StagingArea(tmp_path, f"w{workers}")


def _rows(staging: StagingArea) -> list[str]:
    return sorted(json.dumps({k: v for k, v in item.items() if k != "crawledAt"}, sort_keys=True, default=str)
                  for item in staging.read_items())


@pytest.mark.slow
def test_a_crawl_with_the_parse_worker_stages_what_a_crawl_without_it_stages(tmp_path):
    with serve_demo() as server:
        (demo, base_url), *_ = [s for s in server.sources() if s[0].system == "sessionnet"]
        inline = _crawl(tmp_path, base_url, demo.system, "0")
        worker = _crawl(tmp_path, base_url, demo.system, "1")
    assert _rows(worker) == _rows(inline) and len(_rows(inline)) > 100
    first, second = inline.read_manifest(), worker.read_manifest()
    for key in ("status", "urls", "itemCounts", "pagesByKind", "fieldCounts", "failures"):
        assert second[key] == first[key], key
    assert first["status"] == "finished"
    assert_reparse_stages_the_same(tmp_path, "w1")
