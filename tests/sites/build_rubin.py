"""Write "VG Nordhang", a small more! rubin install (``/nordhang/``), for crawl tests.

The answers follow the real interface (the calendar of VG Nordpfälzer Land in
the corpus, the meeting answer of its Verbandsgemeinderat in Ratsblick's
fixtures, see ``tests/spiders/pages/SOURCES.tsv``): the calendar
``api.php?json=true&id=calendar&action=get&from=…&to=…&view=list`` with
``first_day``/``last_day``/``meetings``/``holidays``/``room_events``, a
non-public twin "ni_<nummer>", times "00:00:00" for "not set"; each meeting's
answer ``api.php?json=true&id=meetings&action=get&meeting_id=<nummer>`` with
``documents``, ``committees`` and ``agenda_items`` (``submission`` with its
``consultations``), non-ASCII written as ``\\u`` escapes; the meeting page
``meeting?id=<nummer>`` holding the same JSON in a script, which one meeting's
interface answer lacks (404), so the crawl falls back to the page. Documents are
``api.php?document_type_id=…&document_relation_id=…&id=69&json=1&platform=ris&system=ris``.
Links are absolute, so the site is written for the address it is served at.

Usage: ``python -m tests.sites.build_rubin OUT http://127.0.0.1:8765``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.sites.common import SiteContents, pdf_document, write_files

BASE_PATH = "/nordhang/"
TOWN = "Verbandsgemeinde Nordhang"


def _doc(origin, type_id, type_name, alias, relation, name, relation_type="App\\Meeting"):
    return {"id": f"{relation}-{type_id}", "documentUrl": f"{origin}{BASE_PATH}api.php?document_type_id={type_id}&document_relation_id={relation}&id=69&json=1&platform=ris&system=ris",
            "documentType": {"id": type_id, "name": type_name, "alias": alias, "relation_type": relation_type},
            "documentSize": 52000, "documentDate": "2026-09-10 09:54:45", "documentName": name, "relationId": relation,
            "relationType": relation_type, "documentPublicStatusId": 1, "documentExtension": "pdf",
            "compositeId": f"{relation}|{type_id}"}


def council(origin: str):
    """Return (calendar entries, meeting answers by nummer, documents by (type, relation) -> (title, text))."""
    root = origin + BASE_PATH
    room = {"Kuerzel": "RS", "Bezeichnung": "Ratssaal Nordhang", "Strasse": "Marktplatz 1", "PLZ": "67800", "Ort": "Nordhang",
            "id": "RS", "name": "Ratssaal Nordhang", "address": {"street": "Marktplatz 1", "zip_code": "67800", "location": "Nordhang", "district": ""}}
    def entry(nummer, datum, titel, gremium, beginn="19:00:00", ende="00:00:00", **extra):
        return {"id": abs(hash(nummer)) % 10000, "nummer": nummer, "nummer_si": None, "event_type_id": 1, "fraktionssitzung": "0",
                "datum": datum, "titel": titel, "status": 4, "niederschrift_status": False, "gremium_1": gremium, "gremium_2": "",
                "gremium_3": "", "gremium_4": "", "gremium_5": "", "raum": "RS", "beginn": beginn, "beginn_oef": "00:00:00",
                "beginn_noef": "00:00:00", "ende": ende, "updated_at": "2026-09-18 13:55:30", "is_draft": False,
                "closed_at": None, "full_url": f"{root}meeting?id={nummer}", "room": room, **extra}
    vgrat = {"Kuerzel": "VGRAT", "id": "VGRAT", "name": "Verbandsgemeinderat Nordhang", "kurzanzeige": "VGRAT", "risUrl": f"{root}committee?id=VGRAT"}
    bau = {"Kuerzel": "BAU", "id": "BAU", "name": "Bauausschuss Nordhang", "kurzanzeige": "BAU", "risUrl": f"{root}committee?id=BAU"}
    m1 = entry("2026-VGRAT-12", "2026-09-21", "Sitzung des Verbandsgemeinderates Nordhang", "VGRAT", "18:30:00", "20:15:00")
    m2 = entry("2026-BAU-7", "2026-09-08", "Sitzung des Bauausschusses Nordhang", "BAU")
    twin = entry("ni_2026-BAU-8", "2026-10-06", "Sitzung des Bauausschusses Nordhang", "BAU", nummer_si="2026-BAU-8")
    cancelled_free = entry("2026-GR04-3", "2026-10-13", "Sitzung des Gemeinderates der Ortsgemeinde Felsbach", "GR04")
    sub1 = {"id": "202620109100436", "erstellungsdatum": "2026-09-01 00:00:00", "alias": "420/2026",
            "name": "Erg\u00e4nzungswahlen zu den Aussch\u00fcssen;\r\na) Bauausschuss", "type": {"kuerzel": "BV", "bezeichnung": "Beschlussvorlage"}}
    sub2 = {"id": "202622608100426", "erstellungsdatum": "2026-08-26 00:00:00", "alias": "410/2026",
            "name": "Kita Gl\u00fcckskinder: Transport des Waldkitawagens", "type": {"kuerzel": "BV", "bezeichnung": "Beschlussvorlage"}}
    vl1 = _doc(origin, 4, "Vorlage", "vl", sub1["id"], "Beschlussvorlage 420/2026 (Erg\u00e4nzungswahlen zu den Aussch\u00fcssen).pdf", "App\\Submission")
    vl2 = _doc(origin, 4, "Vorlage", "vl", sub2["id"], "Beschlussvorlage 410/2026 (Kita Gl\u00fcckskinder).pdf", "App\\Submission")
    anl2 = _doc(origin, 5, "Anlage", "anl", sub2["id"] + "-1", "Lageplan Waldkita.pdf", "App\\Submission")
    def consult(cid, sub, meeting, item_id, gremium, committee, folge, status_lang):
        return {"agenda_item_id": item_id, "id": cid, "vorlagennummer": sub["id"], "folge": folge, "gremium": gremium,
                "topstatus": 1, "topstatus_lang": "\u00f6ffentlich", "sitzungsdatum": meeting["datum"], "beratungsstatus_lang": status_lang,
                "sitzungsnummer": meeting["nummer"], "status": "zugeordnet", "committee": committee}
    i1 = f"{m1['nummer']}|EWF|1"; i2 = f"{m1['nummer']}|{sub1['id']}|1"; i3 = f"{m1['nummer']}|{sub2['id']}|1"; i3a = f"{m1['nummer']}|MITT|1"
    i4 = f"{m1['nummer']}|GRUND|1"; b1 = f"{m2['nummer']}|{sub2['id']}|1"
    sub1_full = {**sub1, **vl1, "id": sub1["id"], "name": sub1["name"], "alias": sub1["alias"],
                 "consultations": [consult(7955, sub1, m1, i2, "VGRAT", vgrat, 1, "beschlie\u00dfend")]}
    sub2_full = {**sub2, **vl2, "id": sub2["id"], "name": sub2["name"], "alias": sub2["alias"],
                 "consultations": [consult(7956, sub2, m2, b1, "BAU", bau, 1, "vorberatend"),
                                   consult(7957, sub2, m1, i3, "VGRAT", vgrat, 2, "beschlie\u00dfend")]}
    def item(ai, item_id, folge, nummer, title, status=1, parent=None, submission=None, documents=(), vote=""):
        out = {"ai_id": ai, "parent_id": parent, "folge": folge, "topnummer": nummer, "status": status, "abstimmungstext": vote,
               "id": item_id, "documents": list(documents), "votings": [], "title": title, "number": nummer}
        if submission:
            out["submission"] = submission
        return out
    d1 = {**m1, "documents": [_doc(origin, 1, "Bekanntmachung", "sib", m1["nummer"], "Bekanntmachung der Sitzung des Verbandsgemeinderates Nordhang")],
          "committees": [vgrat],
          "agenda_items": [item(1, i1, 1, "1", "Einwohnerfragestunde"),
                           item(2, i2, 2, "2", sub1["name"], submission=sub1_full, documents=[vl1]),
                           item(3, i3, 3, "3", sub2["name"], submission=sub2_full, documents=[vl2, anl2]),
                           item(4, i3a, 4, "3.1", "Mitteilungen zur Waldkita", parent=3),
                           item(5, i4, 5, "4", "Grundst\u00fccksangelegenheiten", status=2)]}
    d2 = {**m2, "documents": [_doc(origin, 1, "Bekanntmachung", "sib", m2["nummer"], "Bekanntmachung der Sitzung des Bauausschusses Nordhang"),
                              _doc(origin, 9, "Niederschrift", "nis", m2["nummer"], "Niederschrift der Sitzung des Bauausschusses Nordhang")],
          "committees": [bau],
          "agenda_items": [item(11, b1, 1, "1", sub2["name"], submission=sub2_full, documents=[vl2, anl2], vote="einstimmig empfohlen")]}
    d3 = {**cancelled_free, "documents": [], "committees": [], "agenda_items": []}
    calendar = {"first_day": "2026-09-01", "last_day": "2026-10-31", "meetings": [m2, m1, twin, cancelled_free],
                "holidays": [{"date": "2026-10-03", "name": "Tag der Deutschen Einheit"}], "room_events": []}
    docs = {}
    for d in (vl1, vl2, anl2, *d1["documents"], *d2["documents"]):
        docs[(d["documentType"]["id"], d["relationId"])] = (d["documentName"], "Vorlage" if d["documentType"]["alias"] == "vl" else d["documentType"]["name"])
    return calendar, {m1["nummer"]: d1, m2["nummer"]: d2, cancelled_free["nummer"]: d3}, docs


def build(root: Path, origin: str) -> SiteContents:
    """Write the Nordhang site under ``root`` for ``origin``; return what a complete crawl loads."""
    calendar, meetings, docs = council(origin)
    base = BASE_PATH.strip("/") + "/"
    files: dict[str, bytes | str] = {base + "api.php/id=calendar.json": json.dumps(calendar)}
    page_only = "2026-BAU-7"  # its interface answer is missing: the crawl falls back to the meeting page
    for nummer, data in meetings.items():
        if nummer != page_only:
            files[f"{base}api.php/id=meetings&meeting_id={nummer}.json"] = json.dumps(data)
        files[f"{base}meeting/id={nummer}.html"] = (
            "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Sitzung - more! rubin</title></head>"
            f"<body><div id=\"app\"></div><script>window.__MEETING__ = {json.dumps(data)};</script></body></html>")
    for (type_id, relation), (name, kind) in docs.items():
        files[f"{base}api.php/document_type_id={type_id}&document_relation_id={relation}.pdf"] = pdf_document(
            [("h1", TOWN), ("b", name), ("p", kind)], title=name)
    size = write_files(root, files)
    papers = {s["submission"]["id"] for d in meetings.values() for s in d["agenda_items"] if "submission" in s}
    consultations = {c["id"] for d in meetings.values() for s in d["agenda_items"] if "submission" in s
                     for c in s["submission"]["consultations"]}
    return SiteContents(
        root=root, base_path=BASE_PATH, months="2026-09..2026-10",
        counts={"meeting": 4, "agenda_item": sum(len(d["agenda_items"]) for d in meetings.values()), "paper": len(papers),
                "consultation": len(consultations), "file": len(docs), "organization": 2},
        downloads={f"{rel}|4": name for (t, rel), (name, kind) in docs.items() if t == 4},
        pages_by_kind={"calendar": 1, "meeting": len(meetings)},
        notes={"bytes": size, "page_only": page_only},
    )


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "nordhang-site")
    print(build(out, sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8765").counts)
