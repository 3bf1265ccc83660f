"""Tests for the demo council information system: the server, the generator and the pages."""

from __future__ import annotations

import http.client
import io
import json
import re
import types
import urllib.robotparser
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from protego import Protego

from flows.demo_site import DEMO_SOURCES, DEFAULT_EXPECTED, DEFAULT_ROOT, resolve, serve_demo

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXPECTED = json.loads(DEFAULT_EXPECTED.read_text(encoding="utf-8"))
BY_SLUG = {m["slug"]: m for m in EXPECTED["municipalities"]}


def fetch(base_url: str, target: str, method: str = "GET", body: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Return status, headers (lower-case names) and body of one request."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, target, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo():
    with serve_demo() as server:
        yield server


def load_generator() -> types.ModuleType:
    """Return the demo site generator (tests/sites/demo.py)."""
    from tests.sites import demo

    return demo


def site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def soup_of(path: Path) -> BeautifulSoup:
    with warnings.catch_warnings():
        # ALLRIS pages start with an XML declaration, yet they are HTML.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(path.read_bytes(), "lxml")


# --------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------


def test_vo020_is_served_as_iso_8859_1_with_crlf(demo):
    paper = BY_SLUG["musterstadt"]["papers"][0]
    status, headers, body = fetch(demo.base_url, f"/musterstadt/bi/vo020.asp?VOLFDNR={paper['systemId']}")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=iso-8859-1"
    assert body.startswith(b'<?xml version="1.0" encoding="iso-8859-1"?>\r\n')
    assert b'<meta http-equiv="content-type" content="text/html; charset=iso-8859-1" />' in body
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    assert "öffentlich".encode("iso-8859-1") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_sessionnet_pages_are_utf8_and_pdfs_are_pdfs(demo):
    base = BY_SLUG["exempelstadt"]["basePath"]
    paper = BY_SLUG["exempelstadt"]["papers"][0]
    status, headers, body = fetch(demo.base_url, f"{base}vo0050.asp?__kvonr={paper['systemId']}")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    body.decode("utf-8")
    status, headers, pdf = fetch(demo.base_url, paper["mainFileUrl"])
    assert (status, headers["content-type"]) == (200, "application/pdf")
    assert pdf.startswith(b"%PDF-1.4")


def test_unknown_pages_answer_404_with_html(demo):
    for target in ("/musterstadt/bi/vo020.asp?VOLFDNR=1", "/musterstadt/bi/nothing.asp", "/nowhere",
                   "/musterstadt/bi/vo020.asp", "/../etc/passwd"):
        status, headers, body = fetch(demo.base_url, target)
        assert status == 404, target
        assert headers["content-type"].startswith("text/html")
        assert b"<html" in body


def test_post_form_fields_select_the_page(demo):
    # ALLRIS document buttons are POST forms (do027.asp with DOLFDNR and options).
    paper = BY_SLUG["beispielhausen"]["papers"][0]
    form = f"DOLFDNR={paper['mainFile']}&options=64".encode()
    status, headers, body = fetch(demo.base_url, "/beispielhausen/bi/do027.asp", "POST", form,
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, headers["content-type"]) == (200, "application/pdf")
    assert body.startswith(b"%PDF")


def test_calendar_without_parameters_redirects_to_the_current_month(demo):
    status, headers, _ = fetch(demo.base_url, "/musterstadt/bi/si010_e.asp")
    assert status == 302
    assert headers["location"] == "/musterstadt/bi/si010_e.asp?MM=11&YY=2026"


def test_robots_txt_allows_public_areas_and_disallows_members_area(demo):
    status, headers, body = fetch(demo.base_url, "/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    text = body.decode("ascii")
    protego = Protego.parse(text)
    classic = urllib.robotparser.RobotFileParser()
    classic.parse(text.splitlines())
    allowed = ["/musterstadt/bi/vo020.asp?VOLFDNR=5001", "/beispielhausen/bi/si010_e.asp?MM=9&YY=2026",
               "/exempelstadt/buergerinfo/si0040.asp"]
    disallowed = ["/musterstadt/bi/ri/logon.asp", "/beispielhausen/bi/ri/logon.asp"]
    for path in allowed:
        assert protego.can_fetch(demo.url(path), "ratsinfo"), path
        assert classic.can_fetch("ratsinfo", demo.url(path)), path
    for path in disallowed:
        assert not protego.can_fetch(demo.url(path), "ratsinfo"), path
        assert not classic.can_fetch("ratsinfo", demo.url(path)), path
    # The members' area exists, so a crawler that ignores robots.txt would find it.
    assert fetch(demo.base_url, "/musterstadt/bi/ri/logon.asp")[0] == 200


def test_si0057_needs_the_session_cookie_of_the_calendar(demo):
    base = BY_SLUG["exempelstadt"]["basePath"]
    meeting = next(m for m in BY_SLUG["exempelstadt"]["meetings"] if m["agendaItems"])
    agenda = f"{base}si0057.asp?__ksinr={meeting['systemId']}"

    status, _, body = fetch(demo.base_url, agenda)
    assert status == 200
    assert b"smctablesitzung" not in body and b"smc-error" in body

    status, headers, _ = fetch(demo.base_url, f"{base}si0040.asp?__cjahr=2026&__cmonat=9")
    cookie = headers["set-cookie"].split(";")[0]
    assert cookie.startswith("ASPSESSIONID")
    status, _, body = fetch(demo.base_url, agenda, headers={"Cookie": cookie})
    assert status == 200 and b"smctablesitzung" in body

    status, _, body = fetch(demo.base_url, agenda, headers={"Cookie": "ASPSESSIONIDQCRTBDSA=FORGED"})
    assert b"smc-error" in body


def test_session_cookie_requirement_can_be_switched_off():
    base = BY_SLUG["exempelstadt"]["basePath"]
    meeting = next(m for m in BY_SLUG["exempelstadt"]["meetings"] if m["agendaItems"])
    with serve_demo(require_session_cookie=False) as server:
        _, _, body = fetch(server.base_url, f"{base}si0057.asp?__ksinr={meeting['systemId']}")
    assert b"smctablesitzung" in body


def test_fail_first_answers_503_then_the_page():
    prefix = "/musterstadt/bi/vo040.asp"
    with serve_demo(fail_first={prefix: 2}) as server:
        answers = [fetch(server.base_url, prefix) for _ in range(3)]
        other = fetch(server.base_url, "/musterstadt/bi/au010.asp")
        assert [a[0] for a in answers] == [503, 503, 200]
        assert answers[0][1]["retry-after"] == "1"
        assert other[0] == 200
        assert server.requests.count(prefix) == 3
        assert server.requests.count("/musterstadt/bi/au010.asp", method="GET") == 1
        assert server.requests.entries()[0] == ("GET", prefix)


def test_resolve_maps_queries_to_files_by_identifying_parameters():
    root = DEFAULT_ROOT
    vo = resolve(root, "/musterstadt/bi/vo020.asp", {"VOLFDNR": "5001", "toggleMenu": "1"})
    assert vo == ("file", root / "musterstadt/bi/vo020.asp/VOLFDNR=5001.html")
    assert resolve(root, "/musterstadt/bi/vo020.asp", {"volfdnr": "5001"}) == vo
    cal = resolve(root, "/beispielhausen/bi/si010_e.asp", {"YY": "2026", "MM": "09", "DD": "10"})
    assert cal == ("file", root / "beispielhausen/bi/si010_e.asp/MM=9&YY=2026.html")
    first_item = BY_SLUG["musterstadt"]["agendaItems"][0]
    agenda = resolve(root, "/musterstadt/bi/to010.asp",
                     {"SILFDNR": first_item["meeting"], "TOLFDNR": first_item["systemId"], "BES": "1"})
    assert agenda == ("file", root / f"musterstadt/bi/to010.asp/SILFDNR={first_item['meeting']}.html")
    assert resolve(root, "/musterstadt/bi/au010.asp", {"T1": "Ausschüsse"})[1].name == "index.html"
    assert resolve(root, "/musterstadt/bi/si010_e.asp", {})[0] == "redirect"
    assert resolve(root, "/musterstadt/bi/si010_e.asp", {"MM": "1", "YY": "2026"}) is None
    assert resolve(root, "/../../etc/passwd", {}) is None


def test_demo_sources_describe_the_three_municipalities():
    assert [(s.slug, s.system) for s in DEMO_SOURCES] == [
        ("musterstadt", "allris_classic"), ("beispielhausen", "allris_classic"), ("exempelstadt", "sessionnet")]
    for source in DEMO_SOURCES:
        assert re.fullmatch(r"\d{8}", source.ags)
        assert source.basePath.startswith(f"/{source.slug}/") and source.basePath.endswith("/")
        assert source.startUrls and all(u.startswith(source.basePath) for u in source.startUrls)
        assert (DEFAULT_ROOT / source.basePath.strip("/")).is_dir()


# --------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------


def test_generator_is_deterministic_and_matches_the_committed_site(tmp_path):
    generator = load_generator()
    out, expected = tmp_path / "site", tmp_path / "expected.json"
    assert generator.main(["--out", str(out), "--expected", str(expected)]) == 0
    fresh, committed = site_files(out), site_files(DEFAULT_ROOT)
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert changed == []
    assert expected.read_text(encoding="utf-8") == DEFAULT_EXPECTED.read_text(encoding="utf-8")


def test_demo_data_stays_small():
    total = sum(p.stat().st_size for p in (PROJECT_ROOT / "data" / "demo").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts)
    assert total < 2_000_000


def test_written_pdf_text_is_extractable_with_umlauts():
    generator = load_generator()
    pdf = generator.pdf_document([("h1", "Stadt Musterstadt"), ("p", "Größe: 5 € – Übergangswohnheim (neu)")],
                                 title="Prüfung")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "Stadt Musterstadt" in text
    assert "Größe: 5 € – Übergangswohnheim (neu)" in text
    assert reader.metadata.title == "Prüfung"


# --------------------------------------------------------------------------
# Pages: parseable, and counted the same way expected.json counts them
# --------------------------------------------------------------------------


def allris_pages(slug: str, page: str) -> list[Path]:
    return sorted((DEFAULT_ROOT / slug / "bi" / page).glob("*.html"))


@pytest.mark.parametrize("slug", ["musterstadt", "beispielhausen"])
def test_allris_vo020_pages_have_the_key_elements(slug):
    word = "Vorlage" if slug == "musterstadt" else "Drucksache"
    pages = allris_pages(slug, "vo020.asp")
    assert len(pages) == BY_SLUG[slug]["counts"]["papers"]
    for path in pages:
        soup = soup_of(path)
        volfdnr = path.stem.split("=")[1]
        assert soup.find("meta", attrs={"name": "description"})["content"] == "ALLRIS net Version 3.9.5 (221117m)"
        assert soup.find("meta", attrs={"name": "objectID"})["content"] == volfdnr
        assert soup.select_one("div#allriscontainer.vo020") is not None
        assert soup.select_one("div#risname > h1").get_text().startswith(f"{word} - ")
        labels = {td.get_text(strip=True) for td in soup.select("td.kb1")}
        assert {"Betreff:", "Status:", f"{word}-Art:", "Federführend:", "Beratungsfolge:"} <= labels
        assert soup.select_one("td.me1 form[action='do027.asp'] input[name='DOLFDNR']") is not None
        raw = path.read_bytes().decode("iso-8859-1")
        assert '<a name="allrisBV"></a>' in raw and "Aspose.Words for .NET" in raw


def test_allris_inline_texts_split_words_across_runs():
    raw = (DEFAULT_ROOT / "musterstadt/bi/vo020.asp").glob("*.html")
    joined = "".join(p.read_bytes().decode("iso-8859-1") for p in raw)
    # A word broken by run markup right after an umlaut, as Word/Aspose exports do.
    assert re.search(r"[äöüß]</span><span style=\"font-family:Arial[^\"]*\">[a-z]", joined)


def test_sessionnet_pages_carry_generator_tags_and_mixed_entities():
    base = DEFAULT_ROOT / "exempelstadt" / "buergerinfo"
    pages = sorted(base.rglob("*.html"))
    assert pages
    for path in pages:
        soup = soup_of(path)
        assert "SessionNet Version 5.5.4 KP4 bi (Layout 6)" in soup.find("meta", attrs={"name": "author"})["content"]
        assert soup.find("meta", attrs={"name": "sessionnet"})["content"] == "V:050504"
    everything = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "&#252;" in everything and "&uuml;" in everything and "ü" in everything
    vote = soup_of(next((base / "to0050.asp").glob("*.html"))).select_one("div.toabstimmung")
    assert re.fullmatch(r"Ja: \d+, Nein: \d+, Enthaltungen: \d+, Befangen: \d+",
                        vote.get_text().replace("\xa0", " "))


def count_allris(slug: str) -> dict[str, int]:
    """Count what the ALLRIS pages of a municipality show, independently of the generator's model."""
    counts = {"papers": 0, "consultations": 0, "meetings": 0, "agendaItems": 0, "memberships": 0}
    persons: set[str] = set()
    files: set[str] = set()
    for path in allris_pages(slug, "vo020.asp"):
        soup = soup_of(path)
        counts["papers"] += 1
        counts["consultations"] += sum(1 for tr in soup.select("tr.zl12")
                                       if tr.find("td", attrs={"title": True}) and tr.select_one("td.text1"))
        files.update(i["value"] for i in soup.select("form[action='do027.asp'] input[name='DOLFDNR']"))
        files.update(a["href"] for a in soup.select("td.text3 a[href^='___tmp']"))
    meetings: set[str] = set()
    for path in allris_pages(slug, "si010_e.asp"):
        for inp in soup_of(path).select("table.tl1 form input[name='SILFDNR']"):
            meetings.add(inp["value"])
    counts["meetings"] = len(meetings)
    for path in allris_pages(slug, "to010.asp"):
        soup = soup_of(path)
        counts["agendaItems"] += len(soup.select("table.tl1 td.text4 a[href*='TOLFDNR=']"))
        files.update(i["value"] for i in soup.select("td.me1 form[action='do027.asp'] input[name='DOLFDNR']"))
    for page in ("au020.asp", "fr020.asp"):
        for path in allris_pages(slug, page):
            links = soup_of(path).select("table.tl1 a[href^='kp020.asp?KPLFDNR=']")
            counts["memberships"] += len(links)
            persons.update(a["href"].split("=")[1] for a in links)
    counts["persons"] = len(persons)
    counts["files"] = len(files)
    return counts


@pytest.mark.parametrize("slug", ["musterstadt", "beispielhausen"])
def test_expected_counts_match_what_the_allris_pages_show(slug):
    expected = BY_SLUG[slug]["counts"]
    assert count_allris(slug) == {k: expected[k] for k in
                                  ("papers", "consultations", "meetings", "agendaItems", "memberships",
                                   "persons", "files")}


def test_expected_counts_match_what_the_sessionnet_pages_show():
    base = DEFAULT_ROOT / "exempelstadt" / "buergerinfo"
    expected = BY_SLUG["exempelstadt"]["counts"]
    meetings = {a["href"] for p in (base / "si0040.asp").glob("*.html")
                for a in soup_of(p).select("td.silink a[href^='si0057.asp']")}
    items = sum(len(soup_of(p).select("td.tofnum")) for p in (base / "si0057.asp").glob("*.html"))
    stations = sum(len(soup_of(p).select("div.card")) for p in (base / "vo0053.asp").glob("*.html"))
    roster_rows = [a["href"] for p in (base / "kp0040.asp").glob("*.html") for a in soup_of(p).select("td.pename a")]
    files = {a["href"] for p in base.rglob("*.html") for a in soup_of(p).select("a[href^='getfile.asp']")}
    assert len(list((base / "vo0050.asp").glob("*.html"))) == expected["papers"]
    assert len(meetings) == expected["meetings"]
    assert items == expected["agendaItems"]
    assert stations == expected["consultationsWithMeeting"]
    assert len(roster_rows) == expected["memberships"]
    assert len(set(roster_rows)) == expected["persons"]
    assert len(files) == expected["files"]


def test_expected_lists_integration_papers_and_false_friends():
    integration = [pid for m in EXPECTED["municipalities"] for pid in m["integrationPapers"]]
    false_friends = [pid for m in EXPECTED["municipalities"] for pid in m["falseFriendPapers"]]
    allris_integration = [pid for m in EXPECTED["municipalities"] if m["system"] == "allris_classic"
                          for pid in m["integrationPapers"]]
    assert len(allris_integration) >= 8
    assert not set(integration) & set(false_friends)
    names = {p["systemId"]: p["name"] for m in EXPECTED["municipalities"] for p in m["papers"]}
    friend_names = " ".join(names[pid] for pid in false_friends)
    for word in ("Systemintegration", "Integrierte Gesamtschule", "Integriertes Handlungskonzept", "Inklusion"):
        assert word in friend_names, word
    assert EXPECTED["months"] == ["2026-09", "2026-10", "2026-11"]


def test_signed_main_documents_carry_the_signature_block():
    for muni in EXPECTED["municipalities"]:
        signed = [p for p in muni["papers"] if p["signatories"]]
        assert signed, muni["slug"]
        for paper in signed:
            url = urlsplit(paper["mainFileUrl"])
            found = resolve(DEFAULT_ROOT, url.path, dict(p.split("=") for p in url.query.split("&")))
            assert found is not None and found[0] == "file", paper["mainFileUrl"]
            text = pypdf.PdfReader(found[1]).pages[0].extract_text()
            first = paper["signatories"][0]
            prefix = f"gez. {first['representation']} " if first["representation"] else "gez. "
            assert f"{prefix}{first['name']} . gez. {paper['signatories'][1]['name']} ." in text
            assert f"{first['role']} {paper['signatories'][1]['role']}" in text
