"""Write "VG Steinbach", a small regisafe RIS-Portal (Liferay portlet RisSitzung), for crawl tests.

The answers follow the real portal (Kirchheimbolanden's calendar JSON in the
corpus, its meeting pages in Ratsblick's fixtures, see
``tests/spiders/pages/SOURCES.tsv``): the month calendar as a Liferay resource
``sitzungen?p_p_id=RisSitzung&p_p_lifecycle=2&…&_RisSitzung_resource=loadSessions&_RisSitzung_year=&_RisSitzung_month=``
(months from 0; a month's answer also lists the last days of the month before,
as the real one does), Mobiscroll events with ``sitzungId``, ``sessionLink``,
``start``, ``location``, ``label`` and the HTML snippet ``text``; meeting pages
``web/guest/sitzungen?sitzungId=N`` with ``div.rp-session-head h2``, one
``div.rp-top-list-wrapper`` per part ("Öffentlicher Teil", "Nichtöffentlicher
Teil"), ``li.rp-lis-item`` with ``data-top-number``/``data-sort``/``data-level``,
``#top_id_N``, and ``button.document-button[data-href]`` documents
(``…_RisSitzung_resource=singleDocument&_RisSitzung_schriftgutId=N``). The
portal lives at the host's root, as Kirchheimbolanden's does; links are absolute.

Usage: ``python -m tests.sites.build_regisafe OUT http://127.0.0.1:8765``.
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.sites.common import SiteContents, pdf_document, write_files

TOWN = "Verbandsgemeinde Steinbach"


@dataclass
class Doc:
    docid: int
    kind: str  # data-type: Sitzungsvorlage, Beschluss, Sitzungsbekanntmachung, Unterlagen
    title: str  # the hidden doc-title
    badge: str


@dataclass
class Top:
    top_id: int
    number: str
    title: str
    level: int = 1
    docs: list[Doc] = field(default_factory=list)


@dataclass
class Sitzung:
    sid: int
    committee: str
    short: str
    start: str  # "2026-09-29T19:30"
    location: str
    public: list[Top]
    non_public: list[Top] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)

    @property
    def day(self) -> str:
        y, m, d = self.start[:10].split("-")
        return f"{d}.{m}.{y}"


def council() -> list[Sitzung]:
    sv1 = Doc(3100001, "Sitzungsvorlage", "Sitzungsvorlage (2026/0101)", "SV")
    sv2 = Doc(3100002, "Sitzungsvorlage", "Sitzungsvorlage (2026/0102)", "SV")
    sv1b = Doc(3100011, "Sitzungsvorlage", "Sitzungsvorlage (2026/0101)", "SV")
    b1 = Doc(3100003, "Beschluss", "Beschluss (2026/0101)", "B")
    u2 = Doc(3100004, "Unterlagen", "Lageplan Dorfplatz", "U")
    return [
        Sitzung(230001, "Gemeinderat Steinbach", "01-GR", "2026-09-29T19:30", "Rathaus Steinbach, Hauptstraße 1, 67999 Steinbach",
                public=[Top(1950001, "1.", "Einwohnerfragestunde"),
                        Top(1950002, "2.", "Bebauungsplan \u201eAm Dorfplatz\u201c, Aufstellungsbeschluss", docs=[sv1, b1]),
                        Top(1950003, "3.", "Umgestaltung des Dorfplatzes", docs=[sv2, u2]),
                        Top(1950004, "3.1", "Vergabe der Planungsleistungen", level=2)],
                non_public=[Top(1950009, "4.", "Grundst\u00fccksangelegenheiten")],
                docs=[Doc(3100000, "Sitzungsbekanntmachung", "Sitzungsbekanntmachung", "E")]),
        Sitzung(230002, "Bauausschuss Steinbach", "01-BA", "2026-10-06T18:00", "Rathaus Steinbach, Hauptstraße 1, 67999 Steinbach",
                public=[Top(1950101, "1.", "Bebauungsplan \u201eAm Dorfplatz\u201c, Vorberatung", docs=[sv1b])]),
        Sitzung(230003, "Gemeinderat Felsheim", "02-GR", "2026-10-20T19:00", "Gemeindehaus Felsheim", public=[]),
    ]


def event(s: Sitzung, origin: str) -> dict:
    link = f"{origin}/web/guest/sitzungen?sitzungId={s.sid}"
    text = (f"<a href='{link}' class='mbsc-event-list-item-link'><span class='calendar-border-left mbsc-hide-in-eventlist'></span>"
            f"<div class='rp-gremium-badge mbsc-hide-in-calendar'>{s.committee}</div><div class='time'><span class='start-time'>"
            f"{s.start[11:]}</span><span class='end-time mbsc-hide-in-calendar'>--:--</span></div>"
            f"<div class='rp-gremium-badge mbsc-hide-in-eventlist'>{s.short}</div><div class='mbsc-content-wrapper'><strong>"
            f"Sitzung {s.committee} am {s.day}</strong><div class='md-event-loc mbsc-txt-muted'>{s.location}</div></div></a>")
    return {"allDay": False, "sitzungId": s.sid, "color": "#660000", "sessionLink": link, "start": s.start,
            "location": s.location, "label": f"{s.short} {s.day}", "text": text}


def _doc_url(origin: str, sid: int, docid: int) -> str:
    return (f"{origin}/sitzungen?p_p_id=RisSitzung&amp;p_p_lifecycle=2&amp;p_p_state=normal&amp;p_p_mode=view&amp;"
            f"p_p_cacheability=cacheLevelPage&amp;_RisSitzung_sitzungId={sid}&amp;_RisSitzung_resource=singleDocument&amp;"
            f"_RisSitzung_schriftgutId={docid}")


def _doc_button(origin: str, sid: int, d: Doc) -> str:
    return (f'<li><button class="document-button" data-href="{_doc_url(origin, sid, d.docid)}" data-docid="{d.docid}" '
            f'data-type="{d.kind}" data-favorite="false" data-annotation=""><span class="d-none doc-title">{html.escape(d.title)}</span>'
            f'<span class="artid-badge">{d.badge}</span><span>{d.kind} (PDF)</span>'
            f'<span class="fas fa-cloud-download-alt" aria-hidden="true"></span></button></li>')


def _top(origin: str, s: Sitzung, t: Top, sort: int) -> str:
    docs = ""
    if t.docs:
        docs = (f'<div class="badgeWrapper"><ul class="top-badge-list"><li class="top-badge-list-item">'
                f'<button class="toplist-button toggle-sidebar" data-top-id="{t.top_id}" data-top-title="{html.escape(t.title)}" '
                f'data-top-nbr="{t.number}" data-related-clone="rel_documents_{t.top_id}"><span class="text">Dokumente</span></button>'
                f'<div class="hidden-document-container" id="rel_documents_{t.top_id}"><ul class="top-document-list">'
                + "".join(_doc_button(origin, s.sid, d) for d in t.docs) + "</ul></div></li></ul></div>")
    return (f'<li class="rp-lis-item" data-top-number="{t.number}" data-sort="{sort}" data-level="{t.level}">\n'
            f'<div class="rp-session-detail-anchor" id="top_id_{t.top_id}"></div><div class="top-item"><div class="top-item-content">'
            f'<p><span>{t.number}</span><span>{html.escape(t.title)}</span></p>{docs}</div>'
            f'<div class="top-item-link"><a href="{origin}/sitzungen?p_p_id=RisSitzung&amp;p_p_lifecycle=0&amp;'
            f'_RisSitzung_mvcRenderCommandName=%2Ftop-detail&amp;_RisSitzung_sitzungId={s.sid}&amp;_RisSitzung_topId={t.top_id}" '
            f'class="rp-btn-secondary"><span class="sr-only">Detailseite öffnen</span></a></div></div></li>')


def meeting_page(s: Sitzung, origin: str) -> str:
    parts = []
    sort = 0
    for header, tops in (("Öffentlicher Teil", s.public), ("Nichtöffentlicher Teil", s.non_public)):
        if not tops:
            continue
        rows = []
        for t in tops:
            sort += 2
            rows.append(_top(origin, s, t, sort))
        parts.append(f'<div class="rp-top-list-wrapper"><h3 class="h4 accordion-list-header">{header}</h3><ul>\n'
                     + "\n".join(rows) + "\n</ul></div>")
    meeting_docs = "".join(_doc_button(origin, s.sid, d) for d in s.docs)
    return f"""<!DOCTYPE html>
<html class="ltr guest-site public-page site" dir="ltr" lang="de-DE"><head><title>Sitzung {s.committee} am {s.day}</title>
<link rel="stylesheet" href="{origin}/o/obis-theme/css/default.css?browserId=other&amp;themeId=obistheme_WAR_obistheme" />
<link href="/o/ris-sitzung/css-custom/detail.css?t=1789986386393" rel="stylesheet"/></head>
<body class="guest-site signed-out public-page site"><section id="content" class="rp-content" role="main">
<div class="portlet-boundary portlet-boundary_RisSitzung_ portlet-static" id="p_p_id_RisSitzung_"><section class="portlet" id="portlet_RisSitzung">
<div class="rp-session-details"><div class="rp-session-head"><div class="session-head-title"><h2 class="h1">Sitzung {s.committee} am {s.day}</h2>
<p class="subtitle"></p></div></div>
<div class="rp-session-data-wrapper"><div class="rp-session-data"><div class="rp-top-list">
{''.join(parts)}
</div></div>
<div class="rp-meta-data"><ul class="session-document-list">{meeting_docs}</ul></div>
</div></div></section></div></section></body></html>
"""


def build(root: Path, origin: str) -> SiteContents:
    """Write the Steinbach portal under ``root`` for ``origin``; return what a complete crawl loads."""
    sitzungen = council()
    files: dict[str, bytes | str] = {"index.html": "<html><head><link href=\"/o/obis-theme/css/main.css\"></head>"
                                     "<body><div id=\"p_p_id_RisSitzung_\"></div></body></html>"}
    for year, month in ((2026, 9), (2026, 10)):
        # A month view also shows the last days of the month before.
        shown = [event(s, origin) for s in sitzungen if s.start[:7] == f"{year}-{month:02d}"
                 or (s.start[:7] == f"{year}-{month - 1:02d}" and int(s.start[8:10]) >= 28)]
        files[f"sitzungen/_RisSitzung_month={month - 1}&_RisSitzung_resource=loadSessions&_RisSitzung_year={year}.json"] = \
            json.dumps(shown, ensure_ascii=False)
    docs = {}
    for s in sitzungen:
        files[f"web/guest/sitzungen/sitzungId={s.sid}.html"] = meeting_page(s, origin)
        for d in s.docs + [d for t in s.public for d in t.docs]:
            docs[d.docid] = d
    for d in docs.values():
        files[f"sitzungen/_RisSitzung_resource=singleDocument&_RisSitzung_schriftgutId={d.docid}.pdf"] = pdf_document(
            [("h1", TOWN), ("b", d.title), ("p", d.kind)], title=d.title)
    size = write_files(root, files)
    tops = [t for s in sitzungen for t in s.public + s.non_public]
    papers = {d.title for d in docs.values() if d.kind == "Sitzungsvorlage"}
    return SiteContents(
        root=root, base_path="/", months="2026-09..2026-10",
        counts={"meeting": len(sitzungen), "agenda_item": len(tops), "paper": len(papers),
                "consultation": sum(1 for t in tops if any(d.kind == "Sitzungsvorlage" for d in t.docs)), "file": len(docs)},
        downloads={str(d.docid): d.title for d in docs.values() if d.kind == "Sitzungsvorlage"},
        pages_by_kind={"calendar": 2, "sitzung": len(sitzungen)},
        notes={"bytes": size},
    )


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "steinbach-site")
    print(build(out, sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8765").counts)
