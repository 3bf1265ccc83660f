"""Re-parsing stored raw pages: a parser fix reaches the warehouse without the network.

The staged crawl here is what a crawl with a broken paper parser would have
left: every real page fetched and kept in the raw store, but the papers'
titles lost. No server runs during the test, so whatever the re-parse finds
comes from the raw store.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest

from flows.cli import main as ratsinfo
from pipelines.warehouse.load import connect, load_crawl
from schemas.raw_store import RawStore
from pipelines.warehouse.reparse import ReparseError, reparse_crawl
from schemas.staging import JsonlWriter, StagingArea

GOLDEN = Path(__file__).resolve().parent.parent / "spiders" / "golden" / "allris_classic"
PAGES = ["hamburg-altona_vo020", "hamburg-bergedorf_vo020", "hamburg-eimsbuettel_vo020"]
SOURCE = "hamburg"


def _stage_crawl_with_a_broken_parser(corpus_dir: Path, data_dir: Path,
                                      gzip_encoded: bool = False) -> tuple[str, dict[str, str]]:
    """Stage the real vo020 pages as a crawl whose parser lost every paper's name; return id and the true names.

    ``gzip_encoded``: the raw store holds each page as a server's gzip-encoded answer, as crawls before
    December 2026 archived it.
    """
    staging = StagingArea(data_dir, "20260101T000000Z-hamburg").create()
    store = RawStore(data_dir)
    pages, items = JsonlWriter(staging.pages_path), JsonlWriter(staging.items_path)
    names = {}
    for name in PAGES:
        golden = json.loads((GOLDEN / f"{name}.json").read_text())
        body = (corpus_dir / golden["page"]).read_bytes()
        sha256, at = store.store(gzip.compress(body) if gzip_encoded else body)
        pages.write({"url": golden["url"], "fetchedAt": "2026-01-01T00:00:00+00:00", "status": 200,
                     "contentType": "text/html", "sha256": sha256, "kind": "vo020",
                     "rawPack": at.pack, "rawOffset": at.offset, "rawLength": at.length})
        for item in golden["items"]:
            if item["type"] == "Paper":
                names[item["systemId"]] = item["name"]
                items.write({**item, "source": SOURCE, "name": None})
    pages.close()
    items.close()
    store.close()
    staging.update_manifest(crawlId=staging.crawl_id, source=SOURCE, system="allris_classic",
                            startedAt="2026-01-01T00:00:00+00:00", status="finished")
    return staging.crawl_id, names


def _paper_names(db: Path) -> dict[str, str | None]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute('SELECT "systemId", "name" FROM paper WHERE "source" = ?', [SOURCE]).fetchall())
    finally:
        con.close()


def test_a_parser_fix_reaches_the_warehouse_by_reparsing_raw_pages(corpus_dir, tmp_path):
    data_dir, db = tmp_path / "data", tmp_path / "w.duckdb"
    crawl_id, names = _stage_crawl_with_a_broken_parser(corpus_dir, data_dir)
    con = connect(db)
    load_crawl(StagingArea(data_dir, crawl_id), con)
    con.close()
    assert _paper_names(db) == {paper_id: None for paper_id in names}

    code = ratsinfo(["reparse", crawl_id, "--data-dir", str(data_dir), "--db", str(db)])

    assert code == 0
    assert _paper_names(db) == names
    assert all(names.values())
    # Today's parse rates are in the warehouse under the re-parse (the parse-rate watch reads them): each page once.
    con = duckdb.connect(str(db), read_only=True)
    rates = con.execute('SELECT "crawlId", "pageKind", min("total"), max("total") FROM parse_rate'
                        ' GROUP BY ALL').fetchall()
    con.close()
    assert [(kind, low, high) for crawl, kind, low, high in rates if "-reparse-" in crawl] == [
        ("vo020", len(PAGES), len(PAGES))]


def test_pages_an_earlier_crawl_archived_gzip_encoded_are_reparsed_as_the_pages_they_encode(corpus_dir, tmp_path):
    data_dir = tmp_path / "data"
    crawl_id, names = _stage_crawl_with_a_broken_parser(corpus_dir, data_dir, gzip_encoded=True)

    report = reparse_crawl(data_dir, crawl_id)

    reparsed = {i["systemId"]: i["name"] for i in StagingArea(data_dir, report.crawl_id).read_items()
                if i["type"] == "Paper"}
    assert report.failures == 0 and reparsed == names and all(names.values())


def test_a_reparse_stages_a_new_crawl_and_records_pages_it_cannot_read(corpus_dir, tmp_path):
    data_dir = tmp_path / "data"
    crawl_id, names = _stage_crawl_with_a_broken_parser(corpus_dir, data_dir)
    old = StagingArea(data_dir, crawl_id)
    first = next(old.read_pages())
    lost = first["sha256"]
    with (data_dir / "raw" / "packs" / first["rawPack"]).open("r+b") as pack:  # the body's bytes damaged
        pack.seek(first["rawOffset"])
        pack.write(b"\0" * first["rawLength"])

    report = reparse_crawl(data_dir, crawl_id)

    new = StagingArea(data_dir, report.crawl_id)
    assert report.reparsed_from == crawl_id and report.crawl_id != crawl_id
    assert new.read_manifest()["reparsedFrom"] == crawl_id
    assert report.pages == len(PAGES) and report.missing_bodies == 1 and report.failures == 1
    failures = list(new.read_failures())
    assert [(f["sha256"], f["outcome"]) for f in failures] == [(lost, "failed")]
    reparsed = {i["systemId"]: i["name"] for i in new.read_items() if i["type"] == "Paper"}
    assert len(reparsed) == len(PAGES) - 1 and set(reparsed.items()) <= set(names.items())
    # The new crawl's manifest lists every key of its lines: the load reads only those fields.
    keys = set().union(*(line.keys() for line in new.read_items()))
    assert new.staged_keys() == sorted(keys) and "name" in keys


def test_a_page_whose_items_no_normaliser_expected_is_recorded_and_the_reparse_goes_on(corpus_dir, tmp_path,
                                                                                         monkeypatch):
    from pipelines.normalise import items as normalise_items

    data_dir = tmp_path / "data"
    crawl_id, names = _stage_crawl_with_a_broken_parser(corpus_dir, data_dir)
    normalise = normalise_items.normalise_item
    calls = []

    def fails_on_the_second_page(item):
        calls.append(item.url)
        if item.url == calls[0]:
            return normalise(item)
        raise ValueError("no such office")

    monkeypatch.setattr(normalise_items, "normalise_item", fails_on_the_second_page)
    report = reparse_crawl(data_dir, crawl_id)

    new = StagingArea(data_dir, report.crawl_id)
    failures = list(new.read_failures())
    assert report.failures == len(failures) == len(PAGES) - 1
    assert {f["error"] for f in failures} == {"normalising its items: ValueError: no such office"}
    assert {i["url"] for i in new.read_items()} == {calls[0]}  # the first page's items, normalised
    assert report.items == sum(1 for _ in new.read_items())


def test_reparse_of_an_unknown_crawl_is_one_clear_error(tmp_path, capsys):
    with pytest.raises(ReparseError):
        reparse_crawl(tmp_path, "nope")
    assert ratsinfo(["reparse", "nope", "--data-dir", str(tmp_path), "--db", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("ratsinfo: no crawl 'nope' staged")


def test_reparse_of_a_source_passes_over_its_documents_stage(corpus_dir, tmp_path, capsys):
    """``ratsinfo documents`` stages its downloads as a crawl folder of their own: not pages to re-parse."""
    data_dir, db = tmp_path / "data", tmp_path / "w.duckdb"
    crawl_id, names = _stage_crawl_with_a_broken_parser(corpus_dir, data_dir)
    documents = StagingArea(data_dir, "20260102T000000Z-hamburg-documents").create()
    documents.update_manifest(crawlId=documents.crawl_id, source=SOURCE, stage="documents",
                              baseUrl="https://ratsinfo.example.de/bi/", status="finished")
    JsonlWriter(documents.items_path).close()

    code = ratsinfo(["reparse", "--source", SOURCE, "--data-dir", str(data_dir), "--db", str(db)])

    assert code == 0, capsys.readouterr().err
    assert _paper_names(db) == names


def test_reparse_passes_over_robots_txt(corpus_dir, tmp_path):
    """The crawl stores every answer, robots.txt too; it parsed none of them as a page, nor does a reparse."""
    data_dir = tmp_path / "data"
    crawl_id, names = _stage_crawl_with_a_broken_parser(corpus_dir, data_dir)
    store = RawStore(data_dir)
    sha256, at = store.store(b"User-agent: *\nDisallow: /intern/\n")
    store.close()
    with StagingArea(data_dir, crawl_id).pages_path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"url": "https://sitzungsdienst-altona.hamburg.de/robots.txt", "status": 200,
                             "fetchedAt": "2026-01-01T00:00:00+00:00", "contentType": "text/plain", "kind": None,
                             "sha256": sha256, "rawPack": at.pack, "rawOffset": at.offset,
                             "rawLength": at.length}) + "\n")

    report = reparse_crawl(data_dir, crawl_id)

    assert (report.pages, report.failures) == (len(PAGES), 0)
    assert len(list(StagingArea(data_dir, report.crawl_id).read_pages())) == len(PAGES) + 1  # still listed


@pytest.mark.parametrize(("said", "reason"), [
    ({"truncated": True}, "truncated: the body is shorter than its Content-Length"),
    ({"decodingError": "Content-Encoding br: error: bad data"}, "the body cannot be decoded: Content-Encoding br"),
    # A crawl staged before pages.jsonl said so recorded it only as the page's failure.
    ("failure", "truncated: the body is shorter than its Content-Length (DataLoss)"),
])
def test_an_answer_the_crawl_could_not_use_whole_is_recorded_again_not_read(corpus_dir, tmp_path, said, reason):
    data_dir = tmp_path / "data"
    crawl_id, names = _stage_crawl_with_a_broken_parser(corpus_dir, data_dir)
    old = StagingArea(data_dir, crawl_id)
    pages = list(old.read_pages())
    bad = pages[0]
    if said == "failure":
        with old.failures_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"url": bad["url"], "kind": "vo020", "status": 200, "outcome": "failed",
                                 "error": reason, "sha256": bad["sha256"]}) + "\n")
    else:
        old.pages_path.write_text("".join(json.dumps({**p, **(said if p is bad else {})}) + "\n" for p in pages))

    report = reparse_crawl(data_dir, crawl_id)

    new = StagingArea(data_dir, report.crawl_id)
    assert [(f["url"], f["sha256"], f["error"].startswith(reason)) for f in new.read_failures()] == [
        (bad["url"], bad["sha256"], True)]
    assert report.failures == 1 and bad["url"] not in {i["url"] for i in new.read_items()}
    assert len({i["systemId"] for i in new.read_items() if i["type"] == "Paper"}) == len(PAGES) - 1


def test_a_login_form_stored_with_http_200_is_recorded_as_failed_not_parsed(corpus_dir, tmp_path):
    """The crawl recorded it as failed; read as a page today it must not become one."""
    data_dir = tmp_path / "data"
    crawl_id, names = _stage_crawl_with_a_broken_parser(corpus_dir, data_dir)
    store = RawStore(data_dir)
    login = (b'<html><head><title>Anmeldung</title></head><body><form method="post" action="login.asp">'
             b'<input name="user"><input type="password" name="pw"></form></body></html>')
    sha256, at = store.store(login)
    store.close()
    url = "https://sitzungsdienst-altona.hamburg.de/bi/vo020.asp?VOLFDNR=1"
    with StagingArea(data_dir, crawl_id).pages_path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"url": url, "status": 200, "fetchedAt": "2026-01-01T00:00:00+00:00",
                             "contentType": "text/html", "kind": "vo020", "sha256": sha256, "rawPack": at.pack,
                             "rawOffset": at.offset, "rawLength": at.length}) + "\n")

    report = reparse_crawl(data_dir, crawl_id)

    failures = list(StagingArea(data_dir, report.crawl_id).read_failures())
    assert [(f["url"], f["error"]) for f in failures] == [(url, "a login form (password field) instead of the page")]


@pytest.mark.parametrize("redirected", [True, False])
def test_a_refused_page_whose_link_had_a_fallback_is_no_failure_even_behind_a_redirect(corpus_dir, tmp_path, redirected):
    """The crawl tried the link's next URL instead (a page of its own): nothing to record. The link's meta is
    found in the frontier under the URL the crawl asked for, which a redirect's target names in pages.jsonl."""
    from scrapy import Request

    from spiders.frontier import Frontier, frontier_path

    data_dir = tmp_path / "data"
    crawl_id, names = _stage_crawl_with_a_broken_parser(corpus_dir, data_dir)
    old = StagingArea(data_dir, crawl_id)
    asked = "http://sitzungsdienst-altona.hamburg.de/bi/si010_r.asp?MM=10&YY=2026"
    fallback = "https://sitzungsdienst-altona.hamburg.de/bi/si010_e.asp?MM=10&YY=2026"
    frontier = Frontier(frontier_path(old))
    frontier.plan("k|parse_page", Request(asked, meta={"link_kind": "calendar", "link_meta": {"fallbacks": [fallback]}}),
                  None)
    frontier.close()
    store = RawStore(data_dir)
    sha256, at = store.store(b"<html><head><title>ALLRIS net</title></head><body><h1>Zugriff verweigert</h1>"
                             b"<p>Sie haben keine Berechtigung, diese Seite anzusehen.</p></body></html>")
    store.close()
    url = asked.replace("http:", "https:")
    line = {"url": url, "requestUrl": url, "status": 200, "fetchedAt": "2026-01-01T00:00:00+00:00",
            "contentType": "text/html", "kind": "calendar", "sha256": sha256, "rawPack": at.pack,
            "rawOffset": at.offset, "rawLength": at.length}
    if redirected:
        line["redirectedFrom"] = asked
    with old.pages_path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")

    report = reparse_crawl(data_dir, crawl_id)

    failures = [(f["url"], f["error"]) for f in StagingArea(data_dir, report.crawl_id).read_failures()]
    if redirected:
        assert failures == []
    else:  # the line does not say where the crawl asked: no link meta, no fallback known
        assert failures == [(url, "access denied: the server answered with an access/error page")]
