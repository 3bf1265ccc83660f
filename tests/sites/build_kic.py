"""Write "Markt Kicheim", a small komuna/KIC install (app shell ``/kicheim/``, guest interface ``/kicapi/``), for crawl tests.

The answers follow the real interface (Ratsmonitor's fixtures of Ainring on
ris.komuna.net, Aschaffenburg and Amt Eidertal, see ``tests/spiders/pages/SOURCES.tsv``):
the app shell (``<title>Ratsinformationssystem</title>``, empty ``div#root``,
``/51b/static/js/index-….js``), ``51b/webconfig.json`` with ``serviceUrl`` and
``org_key``, ``web/guestmeetings?from=&until=`` (``items`` with ``state`` and
``visibility``), ``web/guestmeetings/<id>`` (``parts`` with ``protectedpart``,
``agendaitems`` with ``numbering``, ``globalid``, ``restricted``), and
``web/guestagendaitems/<meeting>-<item>`` (``conorderitems``, ``votings`` with
base64 text blocks, ``documents`` with ``guestvisible``). The interface answers
only requests that carry the app's ``x-orgkey`` header (others get the
interface's error object), as the real one does for an unknown tenant.

Usage: ``python -m tests.sites.build_kic OUT http://127.0.0.1:8765``.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

from tests.sites.common import SiteContents, pdf_document, write_files

BASE_PATH = "/kicheim/"
ORG_KEY = "7D12C300D8A945DA92DC76B57BDC2F87"
TOWN = "Markt Kicheim"


def _b64(html: str) -> str:
    return base64.b64encode(html.encode("utf-8")).decode("ascii")


def council():
    meetings = [
        {"id": 500100, "name": "Sitzung des Marktgemeinderates", "clientname": TOWN, "committeename": "Marktgemeinderat",
         "meetingdate": "2026-09-22T00:00:00", "absolutestarttime": "1900-01-01T18:00:00", "absoluteendtime": "1900-01-01T19:42:00",
         "state": 1, "visibility": 3, "loc_name": "Rathaus, großer Sitzungssaal"},
        {"id": 500101, "name": "Sitzung des Bauausschusses", "clientname": TOWN, "committeename": "Bauausschuss",
         "meetingdate": "2026-09-15T00:00:00", "absolutestarttime": "1900-01-01T17:00:00", "absoluteendtime": "1900-01-01T00:00:00",
         "state": 1, "visibility": 3, "loc_name": "Rathaus, kleiner Sitzungssaal"},
        {"id": 500102, "name": "Sitzung des Werkausschusses", "clientname": TOWN, "committeename": "Werkausschuss",
         "meetingdate": "2026-10-06T00:00:00", "absolutestarttime": "1900-01-01T00:00:00", "absoluteendtime": "1900-01-01T00:00:00",
         "state": 1, "visibility": 2, "loc_name": "Rathaus"},  # non-public part only: listed, not asked
        {"id": 500103, "name": "Sitzung des Kulturausschusses", "clientname": TOWN, "committeename": "Kulturausschuss",
         "meetingdate": "2026-10-13T00:00:00", "absolutestarttime": "1900-01-01T18:00:00", "absoluteendtime": "1900-01-01T00:00:00",
         "state": 3, "visibility": 1, "loc_name": "Rathaus"},  # cancelled
    ]
    def detail(m, parts):
        return {**{k: m[k] for k in ("id", "name", "meetingdate", "state", "committeename", "clientname")},
                "committeeid": 48000 + m["id"] % 100, "locationname": m["loc_name"], "locationstreet": "Marktplatz 1",
                "locationzip": "83999", "locationcity": "Kicheim", "absolutestarttime": m["absolutestarttime"],
                "absoluteendtime": m["absoluteendtime"], "publicpart": True, "nonepublicpart": len(parts) > 1,
                "parts": parts, "documents": []}
    def top(mid, iid, numbering, name, globalid="", restricted=False, docs=0):
        return {"id": f"{mid}-{iid}", "numbering": numbering, "name": name, "restricted": restricted,
                "documentcount": docs, "downloadallowed": docs > 0, "globalid": globalid}
    rat_public = [top(500100, 1, "1", "Genehmigung der Tagesordnung (beschließend)", "126/2026"),
                  top(500100, 2, "2", "Bebauungsplan \"Am Anger\", Satzungsbeschluss (beschließend)", "127/2026", docs=2),
                  top(500100, 3, "3", "Bauanträge (beschließend)"),
                  top(500100, 4, "3.1", "Neubau eines Einfamilienhauses, Fl.Nr. 17/3 (beschließend)", "128/2026", docs=1)]
    rat_closed = [top(500100, 9, "4", "Grundstücksangelegenheit (beschließend)", "129/2026", restricted=True)]
    bau_public = [top(500101, 1, "1", "Bebauungsplan \"Am Anger\", Vorberatung (vorberatend)", "127/2026")]
    details = {500100: detail(meetings[0], [{"protectedpart": False, "agendaitems": rat_public},
                                            {"protectedpart": True, "agendaitems": rat_closed}]),
               500101: detail(meetings[1], [{"protectedpart": False, "agendaitems": bau_public}])}
    def item(t, meeting, conorders=(), docs=(), votings=(), conorderid=None):
        return {"textsanddocsvisible": True, "id": t["id"], "name": t["name"], "meetingid": meeting["id"],
                "committeeid": 48000 + meeting["id"] % 100, "committeename": meeting["committeename"], "numbering": t["numbering"],
                "conordertype": "Beschließend", "restricted": False, "conorderid": conorderid,
                "meetingdate": meeting["meetingdate"], "globalid": t["globalid"], "downloadallowed": bool(docs),
                "textblocks": [{"caption": "Sachverhalt", "content": _b64(f"<p>Sachverhalt zu {t['name']}</p>")}],
                "documents": list(docs), "conorderitems": list(conorders), "votings": list(votings)}
    def conorder(t, meeting, kind):
        return {"agendaitemid": t["id"], "meetingid": meeting["id"], "meetingname": meeting["name"],
                "committeeid": 48000 + meeting["id"] % 100, "committeename": meeting["committeename"],
                "meetingdate": meeting["meetingdate"], "numbering": t["numbering"], "restricted": "ö", "conordertypename": kind}
    anger = [conorder(bau_public[0], meetings[1], "Vorberatend"), conorder(rat_public[1], meetings[0], "Beschließend")]
    docs_anger = [{"id": f"{rat_public[1]['id']}-7001", "name": "Satzungsentwurf Am Anger", "fileext": ".pdf", "guestvisible": True},
                  {"id": f"{rat_public[1]['id']}-7002", "name": "Planzeichnung Am Anger", "fileext": ".pdf", "guestvisible": True},
                  {"id": f"{rat_public[1]['id']}-7003", "name": "Stellungnahme (intern)", "fileext": ".pdf", "guestvisible": False}]
    docs_efh = [{"id": f"{rat_public[3]['id']}-7101", "name": "Bauantrag Fl.Nr. 17-3", "fileext": ".pdf", "guestvisible": True}]
    items = {
        rat_public[0]["id"]: item(rat_public[0], meetings[0], votings=[{"votingkind": 3, "textblocks": []}]),
        rat_public[1]["id"]: item(rat_public[1], meetings[0], anger, docs_anger, conorderid=900127, votings=[
            {"votingkind": 0, "resultyes": 14, "resultno": 3, "resultnone": None,
             "textblocks": [{"caption": ".Beschluss:", "content": _b64("<p>Der Marktgemeinderat beschließt den Bebauungsplan als Satzung.</p>")}]}]),
        rat_public[2]["id"]: item(rat_public[2], meetings[0]),
        rat_public[3]["id"]: item(rat_public[3], meetings[0], [conorder(rat_public[3], meetings[0], "Beschließend")], docs_efh,
                                  conorderid=900128,
                                  votings=[{"votingkind": 2, "textblocks": []}]),
        bau_public[0]["id"]: item(bau_public[0], meetings[1], anger, docs_anger, conorderid=900127),
    }
    return meetings, details, items


def build(root: Path, origin: str) -> SiteContents:
    """Write the Kicheim app and its guest interface under ``root`` for ``origin``; return what a complete crawl loads."""
    meetings, details, items = council()
    base = BASE_PATH.strip("/") + "/"
    files: dict[str, bytes | str] = {
        base + "index.html": ("<!doctype html>\n<html lang=\"de\">\n  <head>\n    <meta charset=\"UTF-8\" />\n"
                              "    <title>Ratsinformationssystem</title>\n"
                              "    <script type=\"module\" crossorigin src=\"/51b/static/js/index-aY7dBVB6.js\"></script>\n"
                              "  </head>\n  <body>\n    <div id=\"root\"></div>\n  </body>\n</html>\n"),
        base + "51b/webconfig.json": json.dumps({"serviceUrl": origin + "/kicapi/", "org_key": ORG_KEY, "hash_router": False}),
    }
    api = "kicapi/web/"
    # The interface answers only with the app's header; the error object otherwise (demo_site rule 4: header folders).
    keyed = f"@x-orgkey={ORG_KEY}/"
    files[api + "guestmeetings/index.json"] = json.dumps({"message": "Tenant unknown"})
    files[api + "guestmeetings/" + keyed + "from=2026-09-01&until=2026-10-31.json"] = json.dumps({"items": meetings})
    refusal = json.dumps({"message": "Tenant unknown"})
    for mid, data in details.items():
        files[f"{api}guestmeetings/{mid}/index.json"] = refusal
        files[f"{api}guestmeetings/{mid}/{keyed}index.json"] = json.dumps(data, ensure_ascii=False)
    docs = {}
    for iid, data in items.items():
        files[f"{api}guestagendaitems/{iid}/index.json"] = refusal
        files[f"{api}guestagendaitems/{iid}/{keyed}index.json"] = json.dumps(data, ensure_ascii=False)
        for d in data["documents"]:
            if d["guestvisible"]:
                docs[d["id"]] = d["name"]
    for doc_id, name in docs.items():
        files[f"{api}guestagendaitems/documents/{doc_id}/index.json"] = refusal
        files[f"{api}guestagendaitems/documents/{doc_id}/{keyed}index.pdf"] = pdf_document([("h1", TOWN), ("b", name), ("p", f"Anlage zur Sitzung des Marktgemeinderates: {name}.")], title=name)
    size = write_files(root, files)
    all_items = [t for d in details.values() for p in d["parts"] for t in p["agendaitems"]]
    papers = {i["conorderid"] for i in items.values() if i["conorderitems"]}
    consultations = {c["agendaitemid"] for i in items.values() for c in i["conorderitems"]}
    return SiteContents(
        root=root, base_path=BASE_PATH, months="2026-09..2026-10",
        counts={"meeting": len(meetings), "agenda_item": len(all_items), "paper": len(papers),
                "consultation": len(consultations), "file": len(docs)},
        downloads={f"{items[t]['id']}-7001" if t.endswith("-2") else f"{items[t]['id']}-7101": name
                   for t, name in (("500100-2", "Satzungsentwurf Am Anger"), ("500100-4", "Bauantrag Fl.Nr. 17-3"))},
        pages_by_kind={"webconfig": 1, "guestmeetings": 1, "guestmeeting": len(details), "guestagendaitem": len(items)},
        notes={"bytes": size, "org_key": ORG_KEY},
    )


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "kicheim-site")
    print(build(out, sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8765").counts)
