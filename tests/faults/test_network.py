"""Network faults: a crawl of a misbehaving server loads what it can, records what it cannot, refuses what it must.

One crawl of the demo town Musterstadt (ALLRIS classic) runs against
``tests.faults.server`` with a different fault on each of many pages (the
table below); every test then checks its own page in that crawl's output. A
few faults concern the whole crawl (an unreachable source) and get their own
short crawl. Outcomes (see ``tests/faults/__init__.py``): ``ok`` — the page's
items arrive exactly as the page holds them; ``recorded`` — a ``failed``
record with the reason and no item from the bad answer; ``refused`` — a
``refused`` record with the reason, and the URL was never requested.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from flows.demo_site import DEFAULT_ROOT, content_type, resolve
from pipelines.normalise.items import normalise_item
from pipelines.warehouse.reparse import reparse_crawl
from schemas.raw_store import RawStore, location_of
from schemas.staging import StagingArea
from spiders.dialects import Page, by_name
from tests.faults.server import (
    CrawlResult,
    FAST_SETTINGS,
    Fault,
    closed_port,
    cut_body,
    redirect,
    replace,
    run_crawl,
    serve_faults,
    silent_port,
)

BASE = "/musterstadt/bi/"
VO = BASE + "vo020.asp?VOLFDNR="
TO = BASE + "to020.asp?TOLFDNR="

LOGIN_PAGE = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Anmeldung</title></head><body>'
    '<h1>Anmeldung</h1><form method="post" action="login.asp"><input name="user">'
    '<input type="password" name="pw"><input type="submit" value="Anmelden"></form></body></html>'
)
MAINTENANCE_PAGE = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Wartungsarbeiten</title></head><body>'
    "<h1>Wartungsarbeiten</h1><p>Das Ratsinformationssystem ist vor&uuml;bergehend nicht erreichbar.</p>"
    "</body></html>"
)
DENIED_PAGE = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="iso-8859-1"><title>ALLRIS net</title></head><body>'
    "<h1>Zugriff verweigert</h1><p>Sie haben keine Berechtigung, diese Seite anzusehen.</p></body></html>"
)


OTHER_PORT = closed_port()  # a second "server" on 127.0.0.1 that must never be asked


# Faults that share one crawl: path+query prefix -> Fault. Listing pages carry several link faults.
def _listing_faults() -> dict[str, Fault]:
    fr = [
        ('fr020.asp?FRLFDNR=201&amp;', "http://evil.example/musterstadt/bi/fr020.asp?FRLFDNR=201&amp;"),
        ('fr020.asp?FRLFDNR=202&amp;', "file:///etc/fr020.asp?FRLFDNR=202&amp;"),
        ('fr020.asp?FRLFDNR=203&amp;', "http://10.0.0.7/musterstadt/bi/fr020.asp?FRLFDNR=203&amp;"),
        ('fr020.asp?FRLFDNR=204&amp;', "http://169.254.169.254/latest/fr020.asp?FRLFDNR=204&amp;"),
        ('fr020.asp?FRLFDNR=205&amp;', "{extra}/musterstadt/bi/fr020.asp?FRLFDNR=205&amp;"),
        ('fr020.asp?FRLFDNR=206&amp;', f"http://127.0.0.1:{OTHER_PORT}/musterstadt/bi/fr020.asp?FRLFDNR=206&amp;"),
    ]
    au = [
        ('au020.asp?AULFDNR=101&amp;', "ftp://127.0.0.1/musterstadt/bi/au020.asp?AULFDNR=101&amp;"),
        ('au020.asp?AULFDNR=102&amp;', "http://127.0.0.1@evil.example/musterstadt/bi/au020.asp?AULFDNR=102&amp;"),
        ('au020.asp?AULFDNR=103&amp;', "javascript:open('au020.asp?AULFDNR=103&amp;"),
        ('au020.asp?AULFDNR=104&amp;', "ri/au020.asp?AULFDNR=104&amp;"),  # robots.txt: Disallow /musterstadt/bi/ri/
        ('au020.asp?AULFDNR=105&amp;', "data:text/html,au020.asp?AULFDNR=105&amp;"),
        ('au020.asp?AULFDNR=106&amp;', "HTTP://EVIL.EXAMPLE:80/musterstadt/bi/au020.asp?AULFDNR=106&amp;"),
    ]

    def rewrite(pairs):
        def apply(body: bytes) -> bytes:
            for old, new in pairs:
                body = body.replace(f'href="{old}'.encode(), f'href="{new}'.encode())
            return body
        return apply

    return {BASE + "fr010.asp": Fault(body=rewrite(fr)), BASE + "au010.asp": Fault(body=rewrite(au))}


FAULTS: dict[str, Fault] = {
    # -- answered badly, but the data must arrive complete (retries, lenient decoding)
    VO + "5001": Fault(status=503, times=2, headers={"Retry-After": "0"}),
    VO + "5002": Fault(status=429, times=1, headers={"Retry-After": "1"}),
    VO + "5004": Fault(cut="reset", times=1),
    VO + "5006": Fault(content_type="text/html; charset=utf-8"),  # ISO-8859-1 bytes
    VO + "5010": Fault(content_type="text/html"),
    VO + "5011": Fault(content_type="application/octet-stream"),
    VO + "5012": Fault(cut="short", times=1),
    VO + "5013": Fault(cut="close", times=1),
    VO + "5014": Fault(delay=2.5, times=1),
    VO + "5022": redirect(VO + "5022&moved=1", status=301, times=1),
    TO + "7042": redirect(TO + "7042&hop=1", times=1),
    TO + "7042&hop=1": redirect(TO + "7042&hop=2", times=1),
    TO + "7042&hop=2": redirect(TO + "7042&hop=3", times=1),
    TO + "7047": Fault(content_type="text/html; charset=iso-8859-1",
                       body=lambda b: b.decode("cp1252").encode("utf-8")),  # UTF-8 bytes, Latin-1 header
    TO + "7048": Fault(headers={"Content-Encoding": "gzip"}, body=gzip.compress),
    TO + "7052": Fault(status=503, times=1, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
    TO + "7053": Fault(body=lambda b: b"\xef\xbb\xbf" + b.decode("cp1252").encode("utf-8"),
                       content_type="text/html"),
    # -- nothing usable: each must be recorded as failed with its reason
    VO + "5003": Fault(status=500),
    VO + "5005": Fault(cut="reset"),
    VO + "5007": Fault(cut="short"),
    VO + "5008": Fault(body=cut_body(0.6)),
    VO + "5009": Fault(body=b""),
    VO + "5015": redirect(BASE + "fehler.asp"),
    VO + "5016": redirect(BASE + "fehler.asp"),
    VO + "5017": redirect(BASE + "fehler.asp"),
    BASE + "fehler.asp": Fault(status=200, body=DENIED_PAGE, content_type="text/html; charset=iso-8859-1"),
    VO + "5018": redirect(VO + "5018&loop=1"),
    VO + "5018&loop=1": redirect(VO + "5018"),
    VO + "5020": Fault(delay=2.5),
    TO + "7003": Fault(status=404),
    TO + "7004": Fault(status=403),
    TO + "7008": Fault(body=LOGIN_PAGE, content_type="text/html; charset=utf-8"),
    TO + "7012": Fault(body=MAINTENANCE_PAGE, content_type="text/html; charset=utf-8"),
    TO + "7017": Fault(body=DENIED_PAGE, content_type="text/html; charset=iso-8859-1"),
    TO + "7018": Fault(headers={"Content-Encoding": "gzip"}, body=b"\x1f\x8b\x08\x00garbage, not gzip at all" * 20),
    TO + "7024": Fault(body=bytes(range(256)) * 40),
    TO + "7025": Fault(cut="close"),
    TO + "7026": redirect(TO + "7026"),
    TO + "7029": redirect(BASE + "login.asp"),
    BASE + "login.asp": Fault(status=200, body=LOGIN_PAGE, content_type="text/html; charset=utf-8"),
    TO + "7036": Fault(status=503, headers={"Retry-After": "0"}, body=MAINTENANCE_PAGE),
    TO + "7037": Fault(status=302, body=b""),  # a redirect without Location
    TO + "7055": Fault(body=cut_body(0.97)),  # cut just before </body></html>
    # -- must never be fetched: refused with the reason
    VO + "5019": redirect("http://evil.example/musterstadt/bi/vo020.asp?VOLFDNR=5019"),
    VO + "5021": redirect("file:///etc/passwd"),
    TO + "7027": redirect(f"http://127.0.0.1:{OTHER_PORT}/musterstadt/bi/to020.asp?TOLFDNR=7027"),
    TO + "7028": redirect("http://169.254.169.254/latest/meta-data/"),
    TO + "7041": redirect("ftp://127.0.0.1/musterstadt/bi/to020.asp?TOLFDNR=7041"),
    TO + "7035": Fault(body=replace("<head>", '<head><meta http-equiv="refresh" content="0; url=http://evil.example/">',
                                    count=1)),
    **_listing_faults(),
}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> CrawlResult:
    """One crawl of Musterstadt with every page fault of FAULTS; ``localhost:PORT`` is an extra host."""
    with serve_faults({}) as running:
        port = urlsplit(running.base_url).port
        extra = f"http://localhost:{port}"
        faults = dict(FAULTS)
        fr = faults[BASE + "fr010.asp"].body
        faults[BASE + "fr010.asp"] = Fault(body=lambda b: fr(b).replace(b"{extra}", extra.encode()))
        running.server.faults = faults
        result = run_crawl(
            base_url=running.base_url + BASE, data_dir=tmp_path_factory.mktemp("net-faults"),
            settings={"RATSINFO_EXTRA_HOSTS": f"localhost:{port}",
                      # the persistent connection faults above must not read as an unreachable source
                      "RATSINFO_MAX_CONSECUTIVE_FAILURES": "50"},
        )
        result.requests = running.log.with_headers()
        result.base_url = running.base_url
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def expected_items(crawl: CrawlResult, target: str, dialect: str = "allris_classic") -> list[dict]:
    """Return the items the unfaulted page at ``target`` holds: the demo file parsed by the dialect."""
    parts = urlsplit(target)
    found = resolve(DEFAULT_ROOT, parts.path, dict(parse_qsl(parts.query)))
    assert found is not None and found[0] == "file", target
    body = found[1].read_bytes()
    url = crawl.base_url + target
    page = Page.from_bytes(url, body, content_type(found[1], body))
    return [normalise_item(i).to_dict() for i in by_name(dialect).parse(page, "faults").items]


def assert_loaded_intact(crawl: CrawlResult, target: str, dialect: str = "allris_classic") -> None:
    """The page's items are in the crawl, field for field as the real page holds them, and no failure."""
    expected = expected_items(crawl, target, dialect)
    assert expected, f"the page {target} holds no items to compare"
    staged = {(i["type"], i.get("systemId")): i for i in crawl.items}
    for item in expected:
        got = staged.get((item["type"], item.get("systemId")))
        assert got is not None, f"{item['type']} {item.get('systemId')} of {target} was not loaded"
        for key, value in item.items():
            if key in {"crawledAt", "url"}:
                continue
            assert got.get(key) == value, f"{item['type']} {item.get('systemId')}.{key}: {got.get(key)!r} != {value!r}"
    assert "\ufffd" not in repr([staged.get((i["type"], i.get("systemId"))) for i in expected])
    assert not crawl.failures_for(target), crawl.failures_for(target)


def failure_of(crawl: CrawlResult, target: str, outcome: str) -> dict:
    """Return the one record for the URL ``target`` (as the crawl asked for it), checking its outcome."""
    pattern = re.compile(re.escape(target) + r"(?![0-9])")
    records = [f for f in crawl.failures if pattern.search(f["url"])]
    assert len(records) == 1, f"{target}: {records}"
    record = records[0]
    assert record["outcome"] == outcome, record
    return record


def assert_recorded(crawl: CrawlResult, target: str, reason: str, item: tuple[str, str] | None = None) -> dict:
    """The page is recorded as failed with a reason matching ``reason``; its item (if named) is not loaded from it."""
    record = failure_of(crawl, target, "failed")
    assert re.search(reason, record["error"], re.I), record["error"]
    if item is not None:
        staged = [i for i in crawl.items if (i["type"], i.get("systemId")) == item]
        assert not staged, f"{item} was loaded from a bad answer: {staged}"
    return record


def assert_refused(crawl: CrawlResult, asked: str, reason: str, never: str | None = None) -> dict:
    """The URL ``asked`` (or a redirect from it) is refused with ``reason``; ``never`` was never requested."""
    records = [f for f in crawl.failures if asked in f["url"] and f["outcome"] == "refused"]
    assert len(records) == 1, f"{asked}: {crawl.failures_for(asked)}"
    assert re.search(reason, records[0]["error"], re.I), records[0]["error"]
    if never is not None:
        seen = [(m, t, h.get("Host")) for m, t, h in crawl.requests if never in t]
        assert not seen, f"{never} was requested: {seen}"
    return records[0]


def paper(n: str) -> tuple[str, str]:
    return ("Paper", n)


# --------------------------------------------------------------------------
# ok: the data arrives complete and correct despite the fault
# --------------------------------------------------------------------------

OK = [
    ("http-503-burst", VO + "5001"),
    ("http-429-retry-after", VO + "5002"),
    ("reset-after-headers-once", VO + "5004"),
    ("charset-header-utf8-on-latin1-page", VO + "5006"),
    ("content-type-without-charset", VO + "5010"),
    ("wrong-content-type-octet-stream", VO + "5011"),
    ("short-content-length-once", VO + "5012"),
    ("connection-closed-before-answer-once", VO + "5013"),
    ("slow-response-once", VO + "5014"),
    ("redirect-on-host-301", VO + "5022"),
    ("redirect-chain-on-host", TO + "7042"),
    ("charset-header-latin1-on-utf8-page", TO + "7047"),
    ("gzip-content-encoding", TO + "7048"),
    ("retry-after-http-date", TO + "7052"),
    ("utf8-bom-without-charset", TO + "7053"),
]


@pytest.mark.parametrize(
    "target", [pytest.param(t, id=k, marks=pytest.mark.fault(kind=k, outcome="ok")) for k, t in OK]
)
def test_the_page_arrives_intact(crawl, target):
    assert_loaded_intact(crawl, target)


@pytest.mark.fault(kind="extra-host-link", outcome="ok")
def test_a_link_to_a_configured_extra_host_is_fetched(crawl):
    organization = crawl.of_type("Organization").get("fr-205")
    assert organization is not None and organization["name"]
    assert organization["url"].startswith("http://localhost:")
    assert not [f for f in crawl.failures if "FRLFDNR=205" in f["url"]]
    assert any(h.get("Host", "").startswith("localhost:") for _, t, h in crawl.requests if "FRLFDNR=205" in t)


# --------------------------------------------------------------------------
# recorded: what could not be had is a failure with its reason
# --------------------------------------------------------------------------

RECORDED = [
    ("http-500-persistent", VO + "5003", r"HTTP 500", paper("5003")),
    ("reset-after-headers", VO + "5005", r"connection lost after the headers", paper("5005")),
    ("short-content-length", VO + "5007", r"truncated: the body is shorter than its Content-Length", paper("5007")),
    ("truncated-html-body", VO + "5008", r"truncated HTML page", paper("5008")),
    ("empty-body-200", VO + "5009", r"empty body", paper("5009")),
    ("redirect-loop", VO + "5018", r"redirect loop", paper("5018")),
    ("timeout-every-attempt", VO + "5020", r"timeout|took longer", paper("5020")),
    ("http-404", TO + "7003", r"HTTP 404", None),
    ("http-403", TO + "7004", r"HTTP 403", None),
    ("login-page-200", TO + "7008", r"login form", None),
    ("maintenance-page-200", TO + "7012", r"not a content page.*Wartungsarbeiten", None),
    ("access-denied-page-200", TO + "7017", r"access denied", None),
    ("gzip-garbage", TO + "7018", r"gzip|decompress|not a gzipped|Error", None),
    ("binary-garbage-200", TO + "7024", r"truncated HTML|not a content page|Error", None),
    ("connection-closed-every-attempt", TO + "7025", r"no response|connection|closed", None),
    ("self-redirect", TO + "7026", r"redirect loop", None),
    ("redirect-to-login-page", TO + "7029", r"login form", None),
    ("maintenance-503-persistent", TO + "7036", r"HTTP 503", None),
    ("redirect-without-location", TO + "7037", r"HTTP 302", None),
    ("truncated-before-closing-tags", TO + "7055", r"truncated HTML page", None),
]


@pytest.mark.parametrize(
    ("target", "reason", "item"),
    [pytest.param(t, r, i, id=k, marks=pytest.mark.fault(kind=k, outcome="recorded")) for k, t, r, i in RECORDED],
)
def test_the_page_is_recorded_as_failed(crawl, target, reason, item):
    record = assert_recorded(crawl, target, reason, item)
    if item is None:  # an agenda item page: its details must not come from the bad answer
        assert not [i for i in crawl.items if target.split("?")[1] in (i.get("url") or "")], target


def _target(url: str) -> str:
    """Return a URL's path and query: what the fault server logs as the request's target."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _stored_body(crawl: CrawlResult, target: str) -> tuple[dict, bytes]:
    """Return the pages.jsonl record of ``target`` and the body the raw store keeps for it."""
    (record,) = [p for p in crawl.pages if p["url"].endswith(target)]
    return record, RawStore(crawl.data_dir).get(record["sha256"], location_of(record))


@pytest.mark.fault(kind="gzip-encoded-page-in-the-raw-store", outcome="ok")
def test_a_gzip_encoded_answer_is_kept_as_the_page_it_encodes(crawl):
    record, body = _stored_body(crawl, TO + "7048")
    found = resolve(DEFAULT_ROOT, "/musterstadt/bi/to020.asp", {"TOLFDNR": "7048"})
    assert found is not None and body == found[1].read_bytes()  # the page, not its gzip bytes: a re-parse reads it
    assert record["sha256"] == hashlib.sha256(body).hexdigest() and record["bytes"] == len(body)


@pytest.mark.fault(kind="gzip-garbage-in-the-raw-store", outcome="recorded")
def test_an_answer_whose_encoding_does_not_decode_is_kept_as_it_came_with_the_reason(crawl):
    record = assert_recorded(crawl, TO + "7018", r"the body cannot be decoded: Content-Encoding gzip")
    page, body = _stored_body(crawl, TO + "7018")
    assert record["sha256"] == page["sha256"] == hashlib.sha256(body).hexdigest()
    assert body.startswith(b"\x1f\x8b\x08\x00garbage")


@pytest.mark.fault(kind="many-redirects-to-one-error-page", outcome="recorded")
def test_every_url_redirected_to_one_error_page_is_recorded_under_its_own_url(crawl):
    for number in ("5015", "5016", "5017"):
        record = assert_recorded(crawl, VO + number, r"access denied", paper(number))
        assert record["finalUrl"].endswith(BASE + "fehler.asp")


@pytest.mark.fault(kind="redirect-chain-in-pages-jsonl", outcome="ok")
def test_a_page_reached_through_redirects_names_the_url_the_crawl_asked_for(crawl):
    """Its line in pages.jsonl names the first URL of the chain, under which the frontier keeps the link's meta."""
    (target,) = [p for p in crawl.pages if p["url"].endswith(TO + "7042&hop=3")]
    assert target["redirectedFrom"] == crawl.base_url + TO + "7042"
    (plain,) = [p for p in crawl.pages if p["url"].endswith(VO + "5010")]
    assert "redirectedFrom" not in plain


@pytest.mark.fault(kind="reparse-of-bad-answers", outcome="recorded")
def test_a_reparse_reads_every_stored_answer_as_the_crawl_read_it(crawl, tmp_path):
    """Re-parsing the raw store records the same answers as failed, for the same reasons, and stages the same items.

    A login form, a maintenance or access-denied page, an empty or cut-off
    body, garbage under ``Content-Encoding: gzip``: all were stored with HTTP
    200, and none may become a page's items when the crawl is parsed again.
    """
    data_dir = tmp_path / "data"
    shutil.copytree(crawl.data_dir, data_dir)

    report = reparse_crawl(data_dir, "faults")

    reparsed = StagingArea(data_dir, report.crawl_id)
    assert report.missing_bodies == 0

    def answers_failed(records) -> dict[str, str]:  # body SHA-256 -> why, for every stored 200 answer not used
        return {r["sha256"]: r["error"] for r in records if r.get("sha256") and (r.get("status") or 200) < 300}

    failed = answers_failed(reparsed.read_failures())
    assert failed == answers_failed(crawl.failures)
    reasons = " | ".join(sorted(failed.values()))
    for reason in ("login form", "not a content page", "access denied", "empty body", "truncated HTML page",
                   "the body cannot be decoded"):
        assert reason in reasons, reasons

    def lines(items) -> list[str]:
        return sorted(json.dumps(item, sort_keys=True) for item in items)

    assert lines(reparsed.read_items()) == lines(crawl.items)


# --------------------------------------------------------------------------
# refused: never fetched, the refusal recorded with its reason
# --------------------------------------------------------------------------

REFUSED = [
    ("redirect-off-host", VO + "5019", r"redirect \(302\).*host evil\.example is not the source's", None),
    ("redirect-file-scheme", VO + "5021", r"scheme file:// is not fetched", None),
    ("redirect-loopback-other-port", TO + "7027", rf"port {OTHER_PORT} of 127\.0\.0\.1 is not the source's", None),
    ("redirect-link-local-metadata", TO + "7028", r"host 169\.254\.169\.254 is not the source's", None),
    ("redirect-ftp-scheme", TO + "7041", r"scheme ftp:// is not fetched", None),
    ("meta-refresh-off-host", TO + "7035", r"meta refresh.*host evil\.example", None),
    ("link-off-host", "FRLFDNR=201", r"host evil\.example is not the source's", None),
    ("link-file-scheme", "FRLFDNR=202", r"scheme file:// is not fetched", None),
    ("link-private-address", "FRLFDNR=203", r"host 10\.0\.0\.7 is not the source's", None),
    ("link-link-local-address", "FRLFDNR=204", r"host 169\.254\.169\.254 is not the source's", None),
    ("link-loopback-other-port", "FRLFDNR=206", rf"port {OTHER_PORT} of 127\.0\.0\.1", "FRLFDNR=206"),
    ("link-ftp-scheme", "AULFDNR=101&", r"scheme ftp:// is not fetched", None),
    ("link-userinfo-host-trick", "AULFDNR=102&", r"host evil\.example is not the source's", None),
    ("link-javascript-scheme", "AULFDNR=103&", r"scheme javascript:// is not fetched", None),
    ("link-robots-disallowed", "ri/au020.asp?AULFDNR=104", r"robots\.txt", "ri/au020.asp"),
    ("link-data-scheme", "AULFDNR=105&", r"scheme data:// is not fetched", None),
    ("link-uppercase-off-host", "AULFDNR=106&", r"host evil\.example is not the source's", None),
]


@pytest.mark.parametrize(
    ("asked", "reason", "never"),
    [pytest.param(a, r, n, id=k, marks=pytest.mark.fault(kind=k, outcome="refused")) for k, a, r, n in REFUSED],
)
def test_the_request_is_refused(crawl, asked, reason, never):
    record = assert_refused(crawl, asked, reason, never)
    assert record["status"] is None and record["sha256"] is None  # nothing was fetched, nothing stored


@pytest.mark.fault(kind="no-request-leaves-the-source", outcome="refused")
def test_refused_targets_never_reach_any_server_and_the_rest_of_the_crawl_is_complete(crawl):
    # Nothing but the source's own host (and the configured extra host) was asked.
    hosts = {h.get("Host", "").split(":")[0] for _, _, h in crawl.requests}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    # Papers without a fault all arrive.
    faulted = {k[len(VO):].split("&")[0] for k in FAULTS if k.startswith(VO)}
    papers = crawl.of_type("Paper")
    missing = [f"50{n:02d}" for n in range(1, 23) if f"50{n:02d}" not in faulted and f"50{n:02d}" not in papers]
    assert not missing
    assert crawl.manifest["status"] == "finished"
    assert all(f["outcome"] in {"failed", "refused"} for f in crawl.failures)


# --------------------------------------------------------------------------
# The whole source: unreachable, or leaving for another host at once
# --------------------------------------------------------------------------


def _assert_stopped_unreachable(result: CrawlResult, max_seconds: float) -> None:
    assert result.returncode != 0, result.manifest
    assert result.manifest["status"].startswith("stopped: unreachable:"), result.manifest["status"]
    assert re.search(r"\d+ (consecutive )?connection failures", result.manifest["status"])
    assert result.failures and all(f["outcome"] == "failed" for f in result.failures)
    assert result.seconds < max_seconds, result.seconds


@pytest.mark.fault(kind="source-connection-refused", outcome="recorded")
def test_a_source_refusing_connections_stops_early_and_is_not_finished(tmp_path):
    port = closed_port()
    result = run_crawl(base_url=f"http://127.0.0.1:{port}{BASE}", data_dir=tmp_path)
    _assert_stopped_unreachable(result, max_seconds=30)
    assert any("connection refused" in f["error"].lower() or "unreachable" in f["error"] for f in result.failures)
    assert result.manifest["requests"] <= 12


@pytest.mark.fault(kind="source-never-answers", outcome="recorded")
def test_a_source_that_accepts_but_never_answers_stops_early(tmp_path):
    with silent_port() as (host, port):
        result = run_crawl(base_url=f"http://{host}:{port}{BASE}", data_dir=tmp_path,
                           settings={"DOWNLOAD_TIMEOUT": "0.5"})
    _assert_stopped_unreachable(result, max_seconds=30)


@pytest.mark.fault(kind="source-dns-failure", outcome="recorded")
def test_a_source_whose_name_does_not_resolve_stops_early(tmp_path):
    result = run_crawl(base_url="http://ratsinfo.gemeinde.invalid/bi/", data_dir=tmp_path)
    _assert_stopped_unreachable(result, max_seconds=40)
    assert any(re.search(r"DNS|unreachable", f["error"]) for f in result.failures)


@pytest.mark.fault(kind="source-down-for-maintenance-503", outcome="recorded")
def test_a_source_answering_only_503_stops_early(tmp_path):
    with serve_faults({"/": Fault(status=503, headers={"Retry-After": "0"}, body=MAINTENANCE_PAGE)}) as running:
        result = run_crawl(base_url=running.base_url + BASE, data_dir=tmp_path)
        asked = len(running.log)
    assert result.returncode != 0
    assert re.match(r"stopped: unreachable: \d+ answers with HTTP 503 and no other answer", result.manifest["status"])
    assert result.failures and all(f["outcome"] == "failed" for f in result.failures)
    # The fifth 503 closes the crawl. Scrapy's downloader gives the place that answer frees to the next
    # queued request before any middleware sees the answer, so up to the per-host concurrency's worth of
    # requests are on the wire at the close; they are answered, and nothing is sent after them.
    limit, on_the_wire = 5, int(FAST_SETTINGS["CONCURRENT_REQUESTS_PER_DOMAIN"])
    assert asked <= limit + on_the_wire and result.seconds < 30


@pytest.mark.fault(kind="source-down-requests-queued-at-the-close", outcome="recorded")
def test_requests_queued_when_the_source_is_found_down_are_recorded_not_sent(tmp_path):
    # One request at a time, as a real crawl makes them: the other start pages wait in the downloader's
    # queue when robots.txt's three 503s and the first two calendars' close the crawl.
    with serve_faults({"/": Fault(status=503, headers={"Retry-After": "0"}, body=MAINTENANCE_PAGE)}) as running:
        result = run_crawl(base_url=running.base_url + BASE, data_dir=tmp_path,
                           settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "1"})
        asked = [target for _, target in running.log.entries()]
    assert result.manifest["status"].startswith("stopped: unreachable: 5 answers with HTTP 503")
    pages = [target for target in asked if not target.endswith("/robots.txt")]
    assert len(pages) <= 3  # two calendars answered, one on the wire when the crawl closed
    never_sent = [f for f in result.failures if _target(f["url"]) not in pages]
    assert never_sent and all(f["outcome"] == "failed" and "not fetched: the crawl was closed" in f["error"]
                              for f in never_sent)


@pytest.mark.fault(kind="base-url-redirect-off-host", outcome="refused")
def test_a_base_url_redirecting_to_another_host_is_refused_and_the_crawl_not_finished(tmp_path):
    with serve_faults({BASE: redirect("http://evil.example/bi/")}) as running:
        result = run_crawl(base_url=running.base_url + BASE, data_dir=tmp_path, system=None)
        asked = running.log.entries()
    assert result.returncode != 0 and result.manifest["status"] != "finished"
    [record] = [f for f in result.failures if f["url"].endswith(BASE)]
    assert record["outcome"] == "refused" and "evil.example" in record["error"]
    assert [t for _, t in asked if t != "/robots.txt"] == [BASE]


# --------------------------------------------------------------------------
# SessionNet (Exempelstadt): the same rules on the other HTML dialect
# --------------------------------------------------------------------------

SN = "/exempelstadt/buergerinfo/"
SN_VO = SN + "vo0050.asp?__kvonr="
SESSIONNET_LOGIN = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><meta name="author" content="Somacos GmbH & Co. KG,'
    'https://www.somacos.de, SessionNet Version 5.5.4 KP4 bi (Layout 6)"><title>SessionNet | Anmeldung</title></head>'
    '<body id="smc_body" class="smc-body smc-pagetype-logon"><h1 class="smc_h1">Anmeldung</h1>'
    '<form action="ya0010.asp" method="post"><input name="__cusr"><input type="password" name="__cpwd"></form>'
    "</body></html>"
)
SESSIONNET_FAULTS: dict[str, Fault] = {
    SN_VO + "20101": Fault(body=lambda b: b.decode("utf-8").encode("cp1252"), content_type="text/html; charset=utf-8"),
    SN_VO + "20105": Fault(status=503, times=2, headers={"Retry-After": "0"}),
    SN_VO + "20102": Fault(body=SESSIONNET_LOGIN, content_type="text/html; charset=utf-8"),
    SN_VO + "20103": Fault(body=cut_body(0.5)),
    SN_VO + "20104": redirect(SN + "error2.asp"),
    SN + "error2.asp": Fault(status=200, content_type="text/html; charset=utf-8", body=(
        '<!DOCTYPE html><html><head><title>SessionNet Fehlermeldung</title></head><body>'
        '<div class="smc_page_error_layout">Fehler</div></body></html>')),
    SN + "gr0040.asp": Fault(body=replace('href="kp0040.asp?__kgrnr=11&', 'href="http://evil.example/kp0040.asp?__kgrnr=11&')),
}


@pytest.fixture(scope="module")
def sessionnet_crawl(tmp_path_factory) -> CrawlResult:
    with serve_faults(SESSIONNET_FAULTS) as running:
        result = run_crawl(base_url=running.base_url + SN, system="sessionnet",
                           data_dir=tmp_path_factory.mktemp("net-faults-sessionnet"))
        result.requests = running.log.with_headers()
        result.base_url = running.base_url
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.fault(kind="sessionnet-charset-header-utf8-on-cp1252-page", outcome="ok")
def test_sessionnet_page_in_cp1252_sent_as_utf8_arrives_intact(sessionnet_crawl):
    assert_loaded_intact(sessionnet_crawl, SN_VO + "20101", "sessionnet")


@pytest.mark.fault(kind="sessionnet-503-burst", outcome="ok")
def test_sessionnet_page_after_a_503_burst_arrives_intact(sessionnet_crawl):
    assert_loaded_intact(sessionnet_crawl, SN_VO + "20105", "sessionnet")


@pytest.mark.fault(kind="sessionnet-login-page-200", outcome="recorded")
def test_sessionnet_login_page_is_recorded(sessionnet_crawl):
    assert_recorded(sessionnet_crawl, SN_VO + "20102", r"login form", paper("20102"))


@pytest.mark.fault(kind="sessionnet-truncated-page", outcome="recorded")
def test_sessionnet_page_cut_in_half_is_recorded(sessionnet_crawl):
    assert_recorded(sessionnet_crawl, SN_VO + "20103", r"truncated HTML page", paper("20103"))


@pytest.mark.fault(kind="sessionnet-redirect-to-error-page", outcome="recorded")
def test_sessionnet_redirect_to_its_error_page_is_recorded(sessionnet_crawl):
    record = assert_recorded(sessionnet_crawl, SN_VO + "20104", r"access denied", paper("20104"))
    assert record["finalUrl"].endswith(SN + "error2.asp")


@pytest.mark.fault(kind="sessionnet-link-off-host", outcome="ok")
def test_sessionnet_link_to_another_host_is_read_as_the_sources_own_page(sessionnet_crawl):
    # SessionNet's parser builds its URLs from the program name and the id, never from the href:
    # the committee behind the rewritten link is fetched from the source itself, complete.
    assert_loaded_intact(sessionnet_crawl, SN + "kp0040.asp?__kgrnr=11", "sessionnet")
    assert sessionnet_crawl.failures and not [f for f in sessionnet_crawl.failures if "evil" in f["url"]]
    hosts = {h.get("Host", "").split(":")[0] for _, _, h in sessionnet_crawl.requests}
    assert hosts == {"127.0.0.1"}
