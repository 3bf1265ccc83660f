"""The OParl dialect on the real captured responses: mapping, quirks, list walking.

Every quirk of the OParl primer's pitfall catalogue that the corpus shows is
tested on the file that shows it (the test name says quirk and town).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipelines.warehouse.load import connect, load_crawl
from schemas.staging import JsonlWriter, StagingArea
from schemas.items import AgendaItem, Consultation, File, Meeting, Membership, Organization, Paper, Person
from spiders.dialects import ParseError, detect
from spiders.dialects import oparl
from spiders.dialects.base import Link, Page

HW = "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0"
KA = "https://web1.karlsruhe.de/oparl/bodies/0001"
BERLIN = dt.timezone(dt.timedelta(hours=2))


def corpus_page(corpus_dir: Path, name: str, url: str | None = None) -> Page:
    """Return a corpus file as the Page the crawl would have fetched (at ``url``, else its own id or self link)."""
    body = (corpus_dir / "oparl" / name).read_bytes()
    if url is None:
        data, _ = oparl.load_json(body.decode("utf-8"))
        url = data.get("id") or data.get("links", {}).get("self") if isinstance(data, dict) else None
    return Page.from_bytes(url or f"file:///{name}", body, "application/json")


def of_type(items, cls):
    return [i for i in items if isinstance(i, cls)]


def by_id(items, system_id: str):
    return next(i for i in items if i.systemId == system_id)


# ---------------------------------------------------------------- detection


def test_detects_oparl_10_and_11_and_leaves_html_alone(corpus_dir):
    assert "1.0/System" in detect(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-system.json"))[1]
    module, evidence = detect(corpus_page(corpus_dir, "karlsruhe-somacos-sessionnet-oparl11-paper-54250-deleted-tombstone.json"))
    assert module.NAME == "oparl" and "1.1/Paper" in evidence
    html = next((corpus_dir / "allris3").glob("*.htm*"), None) or next((corpus_dir / "sessionnet").glob("*"))
    assert oparl.detect(Page.from_bytes("https://x/vo020.asp", html.read_bytes())) is None


def test_page_kinds(corpus_dir):
    assert oparl.page_kind(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-system.json")) == "system"
    assert oparl.page_kind(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-body-list.json")) == "body_list"
    assert oparl.page_kind(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-paper-list-page1.json")) == "paper_list"
    assert oparl.page_kind(corpus_page(corpus_dir, "karlsruhe-somacos-sessionnet-oparl11-meeting-10051.json")) == "meeting"


# ---------------------------------------------------------------- System → Body → lists


def test_system_leads_to_the_body_list_with_the_vendor_family(corpus_dir):
    parsed = oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-system.json"), "hw")
    assert parsed.items == []
    (link,) = parsed.follow
    assert link.url == f"{HW}/body"
    assert link.kind == "list"
    assert link.meta["list"] == "body"
    assert link.meta["vendor"] == "sternberg"


def test_body_list_leads_to_the_four_lists_of_oparl_10(corpus_dir):
    parsed = oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-body-list.json"), "hw", {"list": "body", "vendor": "sternberg"})
    lists = {link.meta["list"]: link for link in parsed.follow}
    assert sorted(lists) == ["meeting", "organization", "paper", "person"]
    assert lists["paper"].url == f"{HW}/body/1/paper"
    assert lists["paper"].meta == {"vendor": "sternberg", "list": "paper", "listUrl": f"{HW}/body/1/paper", "body": f"{HW}/body/1", "page": 1}


def test_body_of_oparl_11_also_leads_to_its_optional_lists(corpus_dir):
    parsed = oparl.parse(corpus_page(corpus_dir, "bonn-ccegov-allris-oparl11-body-broken-datetime.json"), "bonn")
    names = sorted(link.meta["list"] for link in parsed.follow)
    assert names == ["agendaItem", "consultation", "file", "meeting", "membership", "organization", "paper", "person"]


def test_body_list_url_answering_one_body_is_read_as_the_body(corpus_dir):
    # Krefeld: System.body …/v1.0/body returns a single Body, not a list page.
    page = corpus_page(corpus_dir, "krefeld-sternberg-oparl10-body.json", url="https://ris.krefeld.de/webservice/oparl/v1.0/body")
    parsed = oparl.parse(page, "krefeld", {"list": "body"})
    assert sorted(link.meta["list"] for link in parsed.follow) == ["meeting", "organization", "paper", "person"]


# ---------------------------------------------------------------- objects → items


def test_paper_with_embedded_consultation_and_files_sternberg(corpus_dir):
    parsed = oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-paper-3711.json"), "hw")
    paper = by_id(parsed.items, f"{HW}/body/1/paper/3711")
    assert isinstance(paper, Paper)
    assert paper.system == "oparl"
    assert paper.url == f"{HW}/body/1/paper/3711"
    assert paper.reference == "52/2021 1. Ergänzung"
    assert paper.name == "Haushalt 2021\n- Beratung der Anträge der Fraktionen zum Entwurf der Haushaltssatzung 2021 samt Anlagen"
    assert paper.paperType == "Beschlussvorlage"
    assert paper.dateRaw == "2021-05-26"
    assert paper.date == dt.date(2021, 5, 26)
    assert paper.underDirectionOf == [f"{HW}/body/1/organization/3-186"]
    assert paper.created == dt.datetime(2021, 5, 18, 14, 57, 50, tzinfo=BERLIN)
    assert paper.web == "https://sdnetrim.kdvz-frechen.de/rim4220/vorgang/?__=UGhVM0hpd2NXNFdFcExjZYsvsTczM8_juagI43rzkgg"
    (consultation,) = of_type(parsed.items, Consultation)
    # Embedded without back-reference: the parent gives it.
    assert consultation.paper == paper.systemId
    assert consultation.position == 1
    assert consultation.meeting == f"{HW}/body/1/meeting/2461"
    assert consultation.agendaItem == f"{HW}/body/1/agendaitem/9871"
    assert consultation.organization == f"{HW}/body/1/organization/1-8"
    files = of_type(parsed.items, File)
    assert [f.role for f in files].count("mainFile") == 1 and [f.role for f in files].count("auxiliaryFile") == 14
    main = next(f for f in files if f.role == "mainFile")
    assert main.systemId == f"{HW}/body/1/file/1-30659"
    assert (main.parentType, main.parent, main.position) == ("Paper", paper.systemId, 1)
    assert main.mimeType == "application/pdf"
    assert main.accessUrl.endswith("/Beschlussvorlage_52-2021_1._Ergaenzung.pdf")
    assert Link(main.accessUrl, "file") in parsed.follow


def test_paper_of_oparl_11_sessionnet(corpus_dir):
    parsed = oparl.parse(corpus_page(corpus_dir, "karlsruhe-somacos-sessionnet-oparl11-paper-52444.json"), "ka")
    paper = by_id(parsed.items, f"{KA}/papers/vo/52444")
    assert paper.reference == "2025/0938"
    assert paper.paperType == "Beschlussvorlage"
    assert paper.superordinatedPaper == [f"{KA}/papers/vo/52947"]
    consultations = of_type(parsed.items, Consultation)
    assert [c.position for c in consultations] == [1, 2]
    assert all(c.paper == paper.systemId for c in consultations)
    raw = json.loads((corpus_dir / "oparl" / "karlsruhe-somacos-sessionnet-oparl11-paper-52444.json").read_text())
    for item, source in zip(consultations, raw["consultation"]):
        assert item.role == source.get("role")
        assert item.authoritative == source.get("authoritative")
        assert item.meeting == source.get("meeting")
    # SessionNet has no mainFile: every document is an auxiliary file.
    assert {f.role for f in of_type(parsed.items, File)} == {"auxiliaryFile"}
    assert len(of_type(parsed.items, File)) == len(raw["auxiliaryFile"])


def test_meeting_with_location_agenda_and_files_sternberg(corpus_dir):
    parsed = oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-meeting-2524.json"), "hw")
    meeting = by_id(parsed.items, f"{HW}/body/1/meeting/2524")
    assert isinstance(meeting, Meeting)
    assert meeting.name == "Gemeinderat (5. Sitzung)"
    assert meeting.organization == f"{HW}/body/1/organization/1-8"
    assert meeting.start == dt.datetime(2021, 7, 1, 18, 0, tzinfo=BERLIN)
    assert meeting.end == dt.datetime(2021, 7, 1, 20, 0, tzinfo=BERLIN)
    assert meeting.date == dt.date(2021, 7, 1)
    assert meeting.room == "Sekundarschule Kleinhau, Aula der Sekundarschule Kleinhau"
    assert meeting.locality == "August-Scholl-Straße 4, 52393 Hürtgenwald"
    items = of_type(parsed.items, AgendaItem)
    assert len(items) == 41
    assert (items[0].number, items[0].name, items[0].meeting) == ("A", "Öffentliche Sitzung", meeting.systemId)
    roles = sorted({f.role for f in of_type(parsed.items, File) if f.parentType == "Meeting"})
    assert roles == ["invitation", "resultsProtocol"]
    assert any(f.parentType == "AgendaItem" and f.role == "auxiliaryFile" for f in of_type(parsed.items, File))


def test_person_with_embedded_memberships(corpus_dir):
    parsed = oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-person-13.json"), "hw")
    person = by_id(parsed.items, f"{HW}/body/1/person/13")
    assert isinstance(person, Person)
    assert (person.name, person.familyName, person.givenName, person.formOfAddress, person.gender) == (
        "Herr Peter Huppertz", "Huppertz", "Peter", "Herr", "male")
    memberships = of_type(parsed.items, Membership)
    assert len(memberships) == 10
    first = memberships[0]
    assert first.systemId == f"{HW}/body/1/membership/9-2-1-13"
    assert first.person == person.systemId  # embedded: back-reference from the parent
    assert first.organization == f"{HW}/body/1/organization/2-1"
    assert (first.role, first.startDate, first.endDate) == ("Mitglied", dt.date(2002, 5, 16), dt.date(2009, 10, 20))
    assert memberships[2].votingRight is True


def test_organization_fraktion(corpus_dir):
    (org,) = oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-organization-2-1.json"), "hw").items
    assert isinstance(org, Organization)
    assert (org.name, org.organizationType, org.startDate) == ("Christlich Demokratische Union", "Fraktion", dt.date(2002, 1, 1))
    assert org.isStub is False


def test_embedded_objects_given_only_as_urls_are_fetched_with_their_parent(corpus_dir):
    # Organization.membership lists membership URLs; a Person that did the same would leave
    # the memberships nowhere else: they are fetched, and the parent travels with the link.
    raw = json.loads((corpus_dir / "oparl" / "huertgenwald-sternberg-oparl10-person-13.json").read_text())
    embedded = raw["membership"]
    raw["membership"] = [m["id"] for m in embedded]
    parsed = oparl.parse_document(raw, raw["id"], "hw", {})
    assert of_type(parsed.items, Membership) == []
    links = [link for link in parsed.follow if link.kind == "object"]
    assert [link.url for link in links] == raw["membership"]
    assert links[0].meta == {"expect": "Membership", "parentType": "Person", "parent": raw["id"], "role": "membership", "position": 1}
    (membership,) = oparl.parse_document(embedded[0], embedded[0]["id"], "hw", links[0].meta).items
    assert (membership.person, membership.organization) == (raw["id"], f"{HW}/body/1/organization/2-1")


# ---------------------------------------------------------------- the pitfall catalogue


def test_quirk_broken_offset_datetimes_bonn_body(corpus_dir):
    # "+01::00" in every date-time; LegislativeTerm dates written as date-times.
    data = json.loads((corpus_dir / "oparl" / "bonn-ccegov-allris-oparl11-body-broken-datetime.json").read_text())
    summary = oparl.body_summary(data)
    assert summary["created"] == "2019-12-15T05:01:23+01:00"
    assert summary["modified"] == "2019-12-15T05:01:23+01:00"
    term = data["legislativeTerm"][0]
    assert oparl.parse_datetime(term["created"]) == dt.datetime(2019, 12, 16, 11, 21, 11, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert oparl.parse_day(term["startDate"]) == dt.date(1971, 5, 4)
    assert oparl.parse_day(term["endDate"]) == dt.date(1975, 5, 4)


def test_quirk_empty_created_leipzig_body(corpus_dir):
    data = json.loads((corpus_dir / "oparl" / "leipzig-ccegov-allris-oparl10-body.json").read_text())
    assert data["created"] == ""
    summary = oparl.body_summary(data)
    assert summary["created"] is None
    assert summary["modified"] == "2018-12-17T14:48:52+01:00"
    assert summary["shortName"] is None  # "" as well


def test_quirk_date_time_where_a_date_belongs_bonn_meeting(corpus_dir):
    parsed = oparl.parse(corpus_page(corpus_dir, "bonn-ccegov-allris-oparl11-meeting-664-auxfile-object.json"), "bonn")
    invitation = next(f for f in of_type(parsed.items, File) if f.role == "invitation")
    assert invitation.dateRaw == "2021-04-27T21:51:03+02:00"
    assert invitation.date == dt.date(2021, 4, 27)


def test_quirk_invalid_json_control_characters_are_repaired_braunschweig(corpus_dir):
    name = "braunschweig-ccegov-allris-oparl10-paper-1664-INVALID-control-chars.json.broken"
    text = (corpus_dir / "oparl" / name).read_text(encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    data, note = oparl.load_json(text)
    assert note.startswith("unescaped control characters in strings (U+0001, U+0003, U+0004, U+0006)")
    (paper,) = oparl.parse(Page.from_bytes("https://ratsinfo.braunschweig.de/bi/oparl/1.0/papers.asp?id=1664", text.encode()), "bs").items
    assert paper.reference == "1664/99"
    assert paper.name.startswith("Volkshochschule Braunschweig e. V.\r\nUmwandlung in eine Gesellschaft")
    assert not any(ord(c) < 0x20 and c not in "\r\n\t" for c in paper.name)


def test_quirk_invalid_json_beyond_repair_is_a_parse_error_braunschweig(corpus_dir):
    name = "braunschweig-ccegov-allris-oparl10-paper-1664-INVALID-control-chars.json.broken"
    cut = (corpus_dir / "oparl" / name).read_text(encoding="utf-8")[:300]  # the real file, cut short
    with pytest.raises(ParseError, match="invalid JSON"):
        oparl.parse(Page.from_bytes("https://ratsinfo.braunschweig.de/bi/oparl/1.0/papers.asp?id=1664", cut.encode()), "bs")


def test_quirk_tombstones_without_type_huertgenwald_page84(corpus_dir):
    raw = json.loads((corpus_dir / "oparl" / "huertgenwald-sternberg-oparl10-paper-list-page84-with-deleted.json").read_text())
    tombstones = [o for o in raw["data"] if o.get("deleted")]
    assert tombstones and all("type" not in o for o in tombstones)
    parsed = oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-paper-list-page84-with-deleted.json"), "hw")
    deleted = [i for i in parsed.items if i.deleted]
    assert sorted(i.systemId for i in deleted) == sorted(o["id"] for o in tombstones)
    assert all(isinstance(i, Paper) for i in deleted)
    first = by_id(deleted, f"{HW}/body/1/paper/3775")
    assert (first.name, first.reference) == (None, None)
    assert first.modified == dt.datetime(2021, 9, 2, 19, 10, 24, tzinfo=BERLIN)
    # Without list context the type comes from the URL.
    assert oparl.type_name({"id": f"{HW}/body/1/paper/3775", "deleted": True}, None) == "Paper"


def test_quirk_tombstone_with_type_and_empty_fields_karlsruhe(corpus_dir):
    (paper,) = oparl.parse(corpus_page(corpus_dir, "karlsruhe-somacos-sessionnet-oparl11-paper-54250-deleted-tombstone.json"), "ka").items
    assert isinstance(paper, Paper)
    assert paper.deleted is True
    # name/paperType/reference are "" in the tombstone: no value, so they never overwrite what was known.
    assert (paper.name, paper.paperType, paper.reference) == (None, None, None)


def test_quirk_object_where_an_array_belongs_bonn_meeting(corpus_dir):
    raw = json.loads((corpus_dir / "oparl" / "bonn-ccegov-allris-oparl11-meeting-664-auxfile-object.json").read_text())
    assert isinstance(raw["auxiliaryFile"], dict)
    parsed = oparl.parse(corpus_page(corpus_dir, "bonn-ccegov-allris-oparl11-meeting-664-auxfile-object.json"), "bonn")
    (aux,) = [f for f in of_type(parsed.items, File) if f.role == "auxiliaryFile"]
    assert aux.systemId == raw["auxiliaryFile"]["id"]
    assert (aux.position, aux.size, aux.fileName) == (1, 553767, "81.pdf")


def test_quirk_mime_type_pdf_and_empty_download_url_bonn_meeting(corpus_dir):
    parsed = oparl.parse(corpus_page(corpus_dir, "bonn-ccegov-allris-oparl11-meeting-664-auxfile-object.json"), "bonn")
    files = {f.role: f for f in of_type(parsed.items, File)}
    assert files["auxiliaryFile"].mimeType == "application/pdf"  # "pdf"
    assert files["invitation"].mimeType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"  # "docx"
    assert files["invitation"].downloadUrl is None  # ""
    assert files["invitation"].size is None  # 0: not measured


def test_quirk_agenda_item_order_not_zero_based(corpus_dir):
    bonn = oparl.parse(corpus_page(corpus_dir, "bonn-ccegov-allris-oparl11-meeting-664-auxfile-object.json"), "bonn")
    (item,) = of_type(bonn.items, AgendaItem)
    assert item.order == 0  # the server says 100001
    karlsruhe = of_type(oparl.parse(corpus_page(corpus_dir, "karlsruhe-somacos-sessionnet-oparl11-meeting-10051.json"), "ka").items, AgendaItem)
    assert [i.order for i in karlsruhe] == list(range(len(karlsruhe)))
    hw = of_type(oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-meeting-2524.json"), "hw").items, AgendaItem)
    assert [i.order for i in hw] == list(range(41))  # OParl 1.0 has no order at all


def test_quirk_na_placeholders_leipzig_system(corpus_dir):
    data = json.loads((corpus_dir / "oparl" / "leipzig-ccegov-allris-oparl10-system.json").read_text())
    assert data["name"] == "N/A" and data["website"] == "N/A"
    summary = oparl.system_summary(data)
    assert summary["name"] is None
    assert summary["website"] is None
    assert summary["family"] == "ccegov"
    assert oparl.clean_text("N/A") is None and oparl.clean_text("  ") is None and oparl.clean_text("Rat") == "Rat"


def test_quirk_ags_without_leading_zero_huertgenwald_body(corpus_dir):
    data = json.loads((corpus_dir / "oparl" / "huertgenwald-sternberg-oparl10-body-list.json").read_text())["data"][0]
    assert data["ags"] == "5358016"
    assert oparl.body_summary(data)["ags"] == "05358016"
    krefeld = json.loads((corpus_dir / "oparl" / "krefeld-sternberg-oparl10-body.json").read_text())
    assert krefeld["ags"] == "051140000"
    assert oparl.body_summary(krefeld)["ags"] == "05114000"  # read through the 12-digit RGS


def test_quirk_geojson_lat_lon_and_nbsp_postal_code_huertgenwald_body(corpus_dir):
    data = json.loads((corpus_dir / "oparl" / "huertgenwald-sternberg-oparl10-body-2019.json").read_text())
    assert data["location"]["geojson"]["geometry"]["coordinates"][0] > 50  # written [lat, lon]
    summary = oparl.body_summary(data)
    assert (round(summary["lon"], 4), round(summary["lat"], 4)) == (6.3958, 50.722)
    assert data["location"]["postalCode"] == "52393\u00a0"
    assert summary["postalCode"] == "52393"
    # Karlsruhe writes [lon, lat] (as strings): left as it is.
    paper = json.loads(next(l for l in _karlsruhe_papers(corpus_dir) if '"geojson"' in l))
    lon, lat = oparl.point_lon_lat(paper["location"][0]["geojson"])
    assert 8 < lon < 9 and 48 < lat < 50


def _karlsruhe_papers(corpus_dir):
    import gzip

    with gzip.open(corpus_dir / "oparl-karlsruhe" / "papers.jsonl.gz", "rt", encoding="utf-8") as fh:
        yield from fh


def test_quirk_dangling_organization_references_become_stub_rows_wuppertal(corpus_dir, tmp_path):
    # Wuppertal's meeting names organizations gr/230 and gr/231, which answer 404.
    parsed = oparl.parse(corpus_page(corpus_dir, "wuppertal-somacos-sessionnet-oparl10-meeting-19160.json"), "wuppertal")
    staging = StagingArea(tmp_path, "c1").create()
    staging.update_manifest(crawlId="c1", source="wuppertal", system="oparl", startedAt="2026-11-01T02:00:00+00:00")
    writer = JsonlWriter(staging.items_path)
    for item in parsed.items:
        writer.write(item.to_dict())
    writer.close()
    con = connect(tmp_path / "w.duckdb")
    load_crawl(staging, con)
    rows = con.execute('SELECT "systemId", "isStub", "deleted", "name" FROM organization ORDER BY 1').fetchall()
    assert rows == [
        ("http://oparl.wuppertal.de/oparl/bodies/0001/organizations/gr/230", True, False, None),
    ]
    meeting_org = con.execute('SELECT "organization" FROM meeting').fetchone()[0]
    assert meeting_org == rows[0][0]  # the meeting keeps its first (lead) organization


# ---------------------------------------------------------------- list walking


def test_list_page_follows_next_and_hands_on_its_context(corpus_dir):
    page = corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-paper-list-page1.json")
    context = {"list": "paper", "listUrl": f"{HW}/body/1/paper", "page": 1, "vendor": "sternberg"}
    parsed = oparl.parse(page, "hw", context)
    (link,) = [l for l in parsed.follow if l.kind == "list"]
    assert link.url == f"{HW}/body/1/paper?page=2"
    assert link.meta["page"] == 2 and link.meta["listUrl"] == f"{HW}/body/1/paper" and link.meta["vendor"] == "sternberg"
    assert link.meta["recent"] == [page.url]
    assert len(link.meta["prevIds"]) == 25
    assert parsed.fields_seen == {"name": True, "reference": True}


def test_last_page_ends_the_walk(corpus_dir):
    page = corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-paper-list-page85-last.json")
    assert [l for l in oparl.parse(page, "hw").follow if l.kind == "list"] == []
    data, _ = oparl.load_json(page.text)
    assert oparl.next_page(data, page.url, {}) == (None, None)


def test_walk_stops_safely_on_a_repeated_page(corpus_dir):
    page = corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-paper-list-page84-with-deleted.json")
    data, _ = oparl.load_json(page.text)
    # next pointing at the page itself
    looped = {**data, "links": {**data["links"], "next": data["links"]["self"]}}
    target, why = oparl.next_page(looped, page.url, {})
    assert target is None and "page itself" in why
    # next pointing back to a page walked before
    target, why = oparl.next_page(data, page.url, {"recent": [data["links"]["next"]]})
    assert target is None and "already walked" in why
    # a server that ignores the page parameter and serves the same objects again
    same = oparl.page_id_digests(data["data"])
    target, why = oparl.next_page(data, page.url, {"prevIds": same})
    assert target is None and "repeats" in why
    assert oparl.next_page(data, page.url, {"prevIds": same[:5]}) == (data["links"]["next"], None)


# ---------------------------------------------------------------- modified_since


def test_modified_since_has_no_microseconds_and_the_encoding_the_vendor_accepts():
    moment = dt.datetime(2026, 11, 22, 18, 12, 3, 456789, tzinfo=BERLIN)
    assert oparl.modified_since_value(moment) == "2026-11-22T16:12:03+00:00"
    assert oparl.with_modified_since(f"{HW}/body/1/paper", moment, "sternberg") == (
        f"{HW}/body/1/paper?modified_since=2026-11-22T16%3A12%3A03%2B00%3A00")
    assert oparl.with_modified_since(f"{KA}/papers", moment, "somacos") == f"{KA}/papers?modified_since=2026-11-22T16:12:03+00:00"
    assert oparl.with_modified_since("https://x/bi/oparl/1.0/papers.asp?body=1", moment, "ccegov").startswith(
        "https://x/bi/oparl/1.0/papers.asp?body=1&modified_since=2026-11-22T16%3A12%3A03")


def test_vendor_family_from_the_real_systems(corpus_dir):
    families = {
        name: oparl.system_summary(json.loads((corpus_dir / "oparl" / name).read_text()))["family"]
        for name in (
            "huertgenwald-sternberg-oparl10-system.json",
            "krefeld-sternberg-oparl10-system.json",
            "wuppertal-somacos-sessionnet-oparl10-system.json",
            "erkelenz-ccegov-allris-oparl10-system.json",
        )
    }
    assert list(families.values()) == ["sternberg", "sternberg", "somacos", "ccegov"]
    assert oparl.vendor_of(url=f"{KA}/papers") == "somacos"


def test_session_asks_for_changes_after_a_complete_walk_and_not_on_a_full_run():
    last = "2026-11-20T02:00:00+00:00"
    state = {"lists": {f"{KA}/papers": {"lastWalkStartedAt": last, "lastFullWalkStartedAt": last}}}
    started = dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.timezone.utc)
    link = Link(f"{KA}/papers", "list", {"list": "paper", "listUrl": f"{KA}/papers", "page": 1, "vendor": "somacos"})
    incremental = oparl.OParlSync(state=state, started_at=started).request_for(link)
    assert incremental.url == f"{KA}/papers?modified_since=2026-11-19T02:00:00+00:00"  # one day of overlap
    assert oparl.OParlSync(state=state, started_at=started, full=True).request_for(link).url == link.url
    assert oparl.OParlSync(state={}, started_at=started).request_for(link).url == link.url  # no state: full
    # A full walk is due again after full_after (default 8 days) even without a forced full run.
    late = started + dt.timedelta(days=9)
    assert oparl.OParlSync(state=state, started_at=late).request_for(link).url == link.url
    # Pages after the first keep the URL the server gave.
    later = Link(f"{KA}/papers?modified_since=x&page=2", "list", {**link.meta, "page": 2})
    assert oparl.OParlSync(state=state, started_at=started).request_for(later) == later


def test_session_reads_sternbergs_404_for_an_empty_filtered_list_as_an_empty_page():
    session = oparl.OParlSync()
    url = f"{HW}/body/1/paper?modified_since=2026-11-19T02%3A00%3A00%2B00%3A00"
    meta = {"list": "paper", "listUrl": f"{HW}/body/1/paper", "page": 1}
    body = b'{"error":"Die angeforderte Ressource wurde nicht gefunden.","code":802,"type":"SD.NET RIM Webservice"}'
    assert session.recover(url, 404, body, meta) is not None
    assert session.lists[f"{HW}/body/1/paper"]["complete"] is True
    assert session.recover(f"{HW}/body/1/paper", 404, body, meta) is None  # unfiltered: a real error
    assert session.recover(url, 404, b"<html>Not found</html>", meta) is None


def test_session_can_restrict_the_lists_a_crawl_follows(corpus_dir):
    session = oparl.OParlSync(lists=("paper", "meeting"))
    entry = session.request_for(oparl.start_urls("https://ris.example/oparl/system")[0])
    assert entry.meta["lists"] == ["paper", "meeting"]
    system = oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-system.json"), "hw", entry.meta)
    body_list = oparl.parse(corpus_page(corpus_dir, "huertgenwald-sternberg-oparl10-body-list.json"), "hw", system.follow[0].meta)
    assert [link.meta["list"] for link in body_list.follow] == ["paper", "meeting"]


# ---------------------------------------------------------------- generation


@pytest.mark.parametrize(
    "name, expected",
    [
        # A System names vendor, product and (SD.NET) its RIM version.
        ("huertgenwald-sternberg-oparl10-system.json", "OParl 1.0 (Sternberg SD.NET RIM 5.0.4)"),
        ("krefeld-sternberg-oparl10-system.json", "OParl 1.0 (Sternberg SD.NET RIM 4.8.1a)"),
        ("wuppertal-somacos-sessionnet-oparl10-system.json", "OParl 1.0 (Somacos SessionNet)"),
        ("leipzig-ccegov-allris-oparl10-system.json", "OParl 1.0 (CC e-gov ALLRIS)"),
        ("spec-example-oparl11-system.json", "OParl 1.1 (example-software.com)"),  # unknown vendor: its own product URL
        # Bodies, lists and objects: the product from the shape of their object URLs.
        ("krefeld-sternberg-oparl10-body.json", "OParl 1.0 (Sternberg SD.NET RIM)"),
        ("huertgenwald-sternberg-oparl10-paper-list-page1.json", "OParl 1.0 (Sternberg SD.NET RIM)"),
        ("karlsruhe-somacos-sessionnet-oparl11-paper-52444.json", "OParl 1.1 (Somacos SessionNet)"),
        ("karlsruhe-somacos-sessionnet-oparl11-organizations-array.json", "OParl 1.1 (Somacos SessionNet)"),
        ("braunschweig-ccegov-allris-oparl10-paper-1664-INVALID-control-chars.json.broken", "OParl 1.0 (CC e-gov ALLRIS)"),
        # Nothing names the product: the version alone, no guess.
        ("bonn-ccegov-allris-oparl11-body-broken-datetime.json", "OParl 1.1"),
    ],
)
def test_generation_names_version_and_product_from_the_page(corpus_dir, name, expected):
    from spiders.dialects import describe

    path = corpus_dir / "oparl" / name
    # A local file (as ``ratsinfo detect FILE`` reads it): only the content can tell.
    assert describe(Page.from_bytes(path.as_uri(), path.read_bytes()))["generation"] == expected


def test_generation_of_a_page_cut_short_still_names_the_version(corpus_dir):
    name = "braunschweig-ccegov-allris-oparl10-paper-1664-INVALID-control-chars.json.broken"
    cut = (corpus_dir / "oparl" / name).read_bytes()[:300]  # the real file, cut short: no JSON at all
    assert oparl.generation(Page.from_bytes("file:///cut.json", cut)) == "OParl 1.0"


def test_a_paper_treated_again_under_one_consultation_id_keeps_every_treatment_karlsruhe(corpus_dir):
    # Karlsruhe's paper 2016/0289 was treated by the Gemeinderat twice (deferred, then referred); the export
    # gives both treatments the consultation id 13321. Every embedded consultation of the export is its own.
    embedded, ids, example = 0, set(), None
    for line in _karlsruhe_papers(corpus_dir):
        data = json.loads(line)
        embedded += len(data.get("consultation") or [])
        parsed = oparl.parse(Page.from_bytes(data["id"], line.encode("utf-8"), "application/json"), "karlsruhe")
        consultations = of_type(parsed.items, Consultation)
        ids.update(c.systemId for c in consultations)
        if data["id"] == f"{KA}/papers/vo/34784":
            example = consultations
    assert (embedded, len(ids)) == (14827, 14827)  # was 14,706 ids: 121 treatments lost under another's id
    assert [(c.systemId, c.meeting, c.agendaItem, c.position) for c in example] == [
        (f"{KA}/consultations/13442", None, None, 1),
        (f"{KA}/consultations/13321", f"{KA}/meetings/4140", f"{KA}/agendaitems/38531", 2),
        (f"{KA}/consultations/13321#treatment=38838", f"{KA}/meetings/4142", f"{KA}/agendaitems/38838", 3),
    ]


def test_the_same_consultation_embedded_twice_keeps_its_id():
    paper = {"id": f"{KA}/papers/vo/1", "type": "https://schema.oparl.org/1.1/Paper", "consultation": [
        {"id": f"{KA}/consultations/1", "meeting": f"{KA}/meetings/1", "agendaItem": f"{KA}/agendaitems/1"},
        {"id": f"{KA}/consultations/1", "meeting": f"{KA}/meetings/1", "agendaItem": f"{KA}/agendaitems/1"},
        {"id": f"{KA}/consultations/1", "role": "Kenntnisnahme"},  # another treatment, named by nothing but its place
    ]}
    parsed = oparl.parse(Page.from_bytes(paper["id"], json.dumps(paper).encode(), "application/json"), "karlsruhe")
    assert [c.systemId for c in of_type(parsed.items, Consultation)] == [
        f"{KA}/consultations/1", f"{KA}/consultations/1", f"{KA}/consultations/1#treatment=3"]
