"""Write "Stadt Sternhagen", a small Sternberg SD.NET RIM 4 install (``/rim4711/``), for crawl tests.

The pages follow the real SD.NET markup (ratsinfo-mcp's Teststadt pages and
Ratsmonitor's Wesel pages, see ``tests/spiders/pages/SOURCES.tsv``): the
generator meta tag, ``div#rimcontent > div#div-content.tops|vorgang``,
``table.table-details`` label rows, agenda rows ``tr.top-oeff-data`` /
``tr.top-noeff-data`` with ``td.column-topnrtext|bezeichnung|nummer|dokumente``
and ``data-vorgang-id``/``data-ivs-id``, the Beratungsfolge
``table.table-vorgang``, documents ``/sdnetrim/<token>/<name>.pdf`` and the
calendar export ``termine/ics/SD.NET_RIM.ics``. Like the real pages, links are
absolute, so the site is written for the address it is served at
(``build(root, origin)``, after the server has started). The content is fictional.

Files (URL -> file as ``flows/demo_site.py`` maps them)::

    /rim4711/                          rim4711/index.html (start page)
    termine/ics/SD.NET_RIM.ics         rim4711/termine/ics/SD.NET_RIM.ics
    tops/?__=T / vorgang/?__=T         rim4711/tops/__=T.html, rim4711/vorgang/__=T.html
    sdnetrim/T/<name>.pdf              rim4711/sdnetrim/T/<name>.pdf

Usage: ``python -m tests.sites.build_sdnet OUT http://127.0.0.1:8765`` writes the site to OUT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.sites.common import SiteContents, pdf_document, write_files

BASE_PATH = "/rim4711/"
TOWN = "Stadt Sternhagen"
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
WEEKDAYS_LONG = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def tok(name: str) -> str:
    """Return a token in SD.NET's shape (a fixed install prefix and a per-object part) for an object name."""
    return "UGhVM0hpd2NXNFdFcExjZ" + hashlib.sha256(name.encode()).hexdigest()[:22]


@dataclass
class Doc:
    name: str  # as the link prints it
    file_name: str
    icon: str  # the icon class: vorlage-link, vorlage-attachment-link, beschluss-link, einladung-link …
    exported: str = "18.09.2026"
    token: str = ""

    def __post_init__(self):
        self.token = self.token or tok("doc:" + self.file_name)

    def path(self) -> str:
        return f"sdnetrim/{self.token}/{self.file_name}"


@dataclass
class Paper:
    key: str
    kind: str  # "Beschlussvorlage"
    reference: str
    subject: list[str]
    office: str
    docs: list[Doc]
    stations: list = field(default_factory=list)  # (meeting key, item id, resolution text, vote, Doc | None)

    @property
    def token(self) -> str:
        return tok("vorgang:" + self.key)


@dataclass
class Item:
    ivs: int
    number: str
    title: list[str]
    public: bool = True
    level: int = 1
    paper: Paper | None = None
    docs: list[Doc] = field(default_factory=list)  # documents of the item itself (Beschlusstext)


@dataclass
class Meeting:
    key: str
    committee: str
    session: str  # "8. Sitzung"
    start: dt.datetime
    end: dt.datetime
    place: list[str]
    items: list[Item] | None = None  # None: no agenda published
    docs: list[tuple[str, Doc]] = field(default_factory=list)  # (row label, document)
    remark: str = ""
    heading: str = "Tagesordnung"

    @property
    def token(self) -> str:
        return tok("tops:" + self.key)


def council() -> tuple[list[Meeting], list[Paper]]:
    """Return the meetings and papers of Sternhagen: the facts every page is written from."""
    rathaus = ["Rathaus Sternhagen", "Markt 1", "54321 Sternhagen", "Ratssaal"]
    p1 = Paper("bv101", "Beschlussvorlage", "BV/2026/101", ["Bebauungsplan Nr. 47 „Am Mühlbach“", "Aufstellungsbeschluss"],
               "Fachbereich 6 - Planen und Bauen",
               [Doc("Beschlussvorlage BV/2026/101", "Beschlussvorlage_BV-2026-101.pdf", "vorlage-link"),
                Doc("Anlage 1 Geltungsbereich", "Anlage_1_Geltungsbereich.pdf", "vorlage-attachment-link")])
    p2 = Paper("mv55", "Mitteilungsvorlage", "MV/2026/055", ["Bericht zur Integration geflüchteter Menschen 2026"],
               "Fachbereich 5 - Soziales und Integration",
               [Doc("Mitteilungsvorlage MV/2026/055", "Mitteilungsvorlage_MV-2026-055.pdf", "vorlage-link")])
    p3 = Paper("an7", "Antrag", "AN/2026/007", ["Antrag der Fraktion Bürger für Sternhagen: Tempo 30 in der Schulstraße"],
               "Fachbereich 3 - Ordnung und Verkehr",
               [Doc("Antrag AN/2026/007", "Antrag_AN-2026-007.pdf", "vorlage-link")])
    b1 = Doc("Beschlusstext BV/2026/101 (öffentlich) Bauausschuss 10.09.2026",
             "Beschlusstext_BV-2026-101_-oeffentlich-_Bauausschuss_10.09.2026.pdf", "beschluss-link", "14.09.2026")
    b3 = Doc("Beschlusstext AN/2026/007 (öffentlich) Bauausschuss 10.09.2026",
             "Beschlusstext_AN-2026-007_-oeffentlich-_Bauausschuss_10.09.2026.pdf", "beschluss-link", "14.09.2026")
    bau = Meeting("bau-0910", "Bauausschuss", "5. Sitzung", dt.datetime(2026, 9, 10, 17, 0), dt.datetime(2026, 9, 10, 18, 45),
                  rathaus[:3] + ["Sitzungssaal"], heading="Sitzungsverlauf",
                  items=[Item(16801, "1.", p1.subject, paper=p1, docs=[b1]),
                         Item(16802, "2.", p3.subject, paper=p3, docs=[b3])],
                  docs=[("Einladung", Doc("Bekanntmachung Bauausschuss 10.09.2026", "Bekanntmachung_Bauausschuss_10.09.2026.pdf", "einladung-link", "01.09.2026")),
                        ("Niederschriften", Doc("Öffentliche Niederschrift Bauausschuss 10.09.2026", "Oeffentliche_Niederschrift_Bauausschuss_10.09.2026.pdf", "niederschrift-link", "24.09.2026"))])
    rat = Meeting("rat-0929", "Rat", "8. Sitzung", dt.datetime(2026, 9, 29, 16, 30), dt.datetime(2026, 9, 29, 20, 0), rathaus,
                  items=[Item(16903, "1.", ["Fragestunde für Einwohnerinnen und Einwohner"]),
                         Item(16904, "2.", p1.subject, paper=p1),
                         Item(16905, "3.", p2.subject, paper=p2),
                         Item(16906, "3.1", ["Nachfragen der Fraktionen"], level=2),
                         Item(16910, "4.", ["Grundstücksangelegenheit Gewerbegebiet Nord"], public=False)],
                  docs=[("Einladung", Doc("Bekanntmachung Rat 29.09.2026", "Bekanntmachung_Rat_29.09.2026.pdf", "einladung-link")),
                        ("Sitzungspaket", Doc("Gesamtes Sitzungspaket", "Gesamtes_Sitzungspaket.pdf", "gesamte-sitzungsunterlagen-link", ""))])
    sozial = Meeting("soz-1015", "Sozialausschuss", "4. Sitzung", dt.datetime(2026, 10, 15, 17, 0), dt.datetime(2026, 10, 15, 19, 0),
                     rathaus[:3] + ["Sitzungssaal"])
    bau_aug = Meeting("bau-0820", "Bauausschuss", "4. Sitzung", dt.datetime(2026, 8, 20, 17, 0), dt.datetime(2026, 8, 20, 18, 0),
                      rathaus[:3] + ["Sitzungssaal"],
                      remark="Die Sitzung findet aufgrund fehlender Beratungsgegenstände nicht statt.")
    # An archived meeting: the export lists the whole calendar, the crawl of the window must not read it.
    archive = Meeting("rat-2025-03", "Rat", "2. Sitzung", dt.datetime(2025, 3, 11, 16, 30), dt.datetime(2025, 3, 11, 18, 0), rathaus,
                      items=[Item(12001, "1.", ["Haushaltssatzung 2025"])])
    p1.stations = [(bau, 16801, "Der Bauausschuss empfiehlt dem Rat, den Aufstellungsbeschluss zu fassen.", "einstimmig", b1),
                   (rat, 16904, "", "", None)]
    p2.stations = [(rat, 16905, "", "", None)]
    p3.stations = [(bau, 16802, "", "abgelehnt", b3)]
    return [archive, bau_aug, bau, rat, sozial], [p1, p2, p3]


# --------------------------------------------------------------------------
# Pages


def _head(title: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="de" dir="ltr" class="no-js">
<head>
	<meta charset="utf-8" />
	<meta name="generator" content="SD.NET RIM - Ratsinfomanagement" />
	<meta name="description" content="Ratsinformationssystem, SD.NET RIM, {TOWN}">
	<title>{title} - SD.NET RIM 4 | {TOWN}</title>
	<link rel="stylesheet" href="{{origin}}{BASE_PATH}library/media/css/tables.css?26.2.1" type="text/css" />
</head>
<body class="cid01">
<nav><ul class="sdnetrim-menu-ul sdnetrim-menu-ul-level0">
<li class="sdnetrim-menu-li termine"><a class="a-level-0" href="{{origin}}{BASE_PATH}termine">Sitzungen</a></li>
<li class="sdnetrim-menu-li vorlagen"><a class="a-level-0" href="{{origin}}{BASE_PATH}vorlagen">Drucksachen und Anträge</a></li>
</ul></nav>
<main id="inhalt"><div id="rimcontent">
"""


_FOOT = "\n</div></main>\n</body>\n</html>\n"


def _doc_link(d: Doc, url: str) -> str:
    label = f"{d.name} (exportiert: {d.exported}) (85 KB)" if d.exported else d.name
    return (f'<a role="button" class="link-element" href="{url}" target="_blank" '
            f'title="{html.escape(d.name)} im PDF-Format öffnen"><span aria-hidden="true" '
            f'class="document-link fa-sst-file {d.icon} fa-icon"><i class="fa-top"></i></span>'
            f'<span aria-hidden="true" class="hide-text">{html.escape(label)}</span></a>')


def _when(start: dt.datetime) -> str:
    return f"{WEEKDAYS[start.weekday()]}, {start:%d.%m.%Y %H:%M} Uhr"


def start_page(origin: str) -> str:
    return (_head("Startseite").replace("{origin}", origin)
            + '<div id="div-content" class="startseite"><h1 class="heading">Ratsportal</h1></div>' + _FOOT)


def meeting_page(m: Meeting, origin: str) -> str:
    base = origin + BASE_PATH
    docs = "".join(
        f'<tr><th scope="row">{label}:</th><td class="document-icon-margin">{_doc_link(d, base + d.path())}</td></tr>'
        for label, d in m.docs)
    rows = []
    sections = [(True, "I.", "Öffentliche Sitzung"), (False, "II.", "Nichtöffentliche Sitzung")]
    for public, roman, title in sections:
        part = [i for i in (m.items or []) if i.public == public]
        if not part:
            continue
        marker = "oeff" if public else "noeff"
        rows.append(f'<tr class="row-1 original ebene1-0 top-{marker}-head" data-vorgang-id="200_{part[0].ivs - 1}">'
                    f'<td class="column-topnrtext">{roman}</td><td class="column-bezeichnung">{title}</td>'
                    f'<td class="column-nummer">&nbsp;</td><td class="column-dokumente"></td></tr>')
        for n, i in enumerate(part, start=1):
            vid = f"505_{i.ivs + 4000}" if i.paper else f"200_{i.ivs}"
            cells = []
            if public and i.paper:
                cells += [_doc_link(d, base + d.path()) for d in i.paper.docs]
            if public:
                cells += [_doc_link(d, base + d.path()) for d in i.docs]
                process = i.paper.token if i.paper else tok(f"vorgang-top:{i.ivs}")
                cells.append(f'<a role="button" class="link-element" href="{base}vorgang/?__={process}" '
                             f'title="Vorgang öffnen"><span aria-hidden="true" class="vorgang-link fa-sst-folder-open fa-icon"></span>'
                             f'<span class="hide-text">Vorgang</span></a>')
            rows.append(
                f'<tr class="row-{n % 2} original ebene{i.level}-{n} top-{marker}-data" data-vorgang-id="{vid}" data-ivs-id="{i.ivs}">\n'
                f'<td class="column-topnrtext">{i.number}</td>\n'
                f'<td class="column-bezeichnung">{"<br />".join(html.escape(t) for t in i.title)}</td>\n'
                f'<td class="column-nummer">{i.paper.reference if i.paper else "&nbsp;"}</td>\n'
                f'<td class="column-dokumente">{"".join(cells)}</td>\n</tr>')
    body = f"""<div id="div-content" class="tops">
<h1 class="heading">{m.heading}</h1>
<div id="papers-add" class="sst-table-container papers-hidden"><table class="table-details">
<tr><th scope="row">Sitzung:</th><td><a href="{base}gremien/?__={tok('gremium:' + m.committee)}">{m.committee}</a>, {m.session}</td></tr>
<tr><th scope="row">Termin:</th><td><a href="{base}tops/?__={m.token}" title="Zur Sitzung">{_when(m.start)}</a></td></tr>
<tr><th scope="row">Ort:</th><td>{"<br />".join(m.place)}</td></tr>
{docs}
</table></div>
<div class="sst-table-container papers-hidden"><table id="table0" class="table-data table-top table-cols-4"><caption class="caption">Tagesordnungspunkte</caption><tbody>
{chr(10).join(rows)}
</tbody></table></div>
</div>"""
    return _head("Sitzungstermin").replace("{origin}", origin) + body + _FOOT


def paper_page(p: Paper, origin: str) -> str:
    base = origin + BASE_PATH
    rows = []
    for n, (m, ivs, resolution, vote, doc) in enumerate(p.stations, start=1):
        decision = (html.escape(resolution) + (_doc_link(doc, base + doc.path()) if doc else ""))
        rows.append(
            f'<tr class="row-{n % 2}" data-vorgang-id="200_{ivs}">\n'
            f'<td class="column-beginn"><a href="{base}tops/?__={m.token}" title="Zur Sitzung">{_when(m.start)}</a></td>\n'
            f'<td class="column-gremium"><a href="{base}gremien/?__={tok("gremium:" + m.committee)}"><span>{m.committee}</span></a></td>\n'
            f'<td class="column-beschluss">{decision}</td>\n<td class="column-ergebnis">{vote}</td>\n</tr>')
    body = f"""<div id="div-content" class="vorgang">
<h1 class="heading">Vorgang {p.reference}</h1>
<p class="description">Diese Ansicht enthält Informationen zum Vorgang: {p.kind} {p.reference}</p>
<div class="sst-table-container"><table class="table-details">
<tr><th scope="row">{p.kind}:</th><td>{p.reference}</td></tr>
<tr><th scope="row">Betreff:</th><td>{"<br />".join(html.escape(t) for t in p.subject)}</td></tr>
<tr><th scope="row">Federführung:</th><td>{p.office}</td></tr>
<tr><th scope="row">Dokument:</th><td class="document-icon-margin">{"".join(_doc_link(d, base + d.path()) for d in p.docs)}</td></tr>
</table></div>
<div class="sst-table-container papers-hidden"><table id="table0" class="table-data table-vorgang table-cols-4"><caption class="caption">Beratungsfolge</caption>
<thead><tr><th class="column-beginn-header">Termin</th><th class="column-gremium-header">Gremium</th><th class="column-beschluss-header">Beschluss</th><th class="column-ergebnis-header">Abstimmung</th></tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></div>
</div>"""
    return _head("Vorgang").replace("{origin}", origin) + body + _FOOT


def calendar_export(meetings: list[Meeting], origin: str) -> str:
    """Return the iCalendar export as SD.NET writes it (CRLF, a long DESCRIPTION folded at 75 octets)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "METHOD:PUBLISH", "PRODID:-//SD.NET RIM v1.0//DE", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:SD.NET RIM", "X-WR-TIMEZONE:Europe/Berlin"]
    for n, m in enumerate(meetings):
        description = f"Link zur Tagesordnung: {origin}{BASE_PATH}tops/?__={m.token}" if m.items is not None else ""
        if m.remark:
            description += ("\\n\\n" if description else "") + "Bemerkung:\\n" + m.remark
        event = ["BEGIN:VEVENT", "DTSTAMP:20261009T201404Z", f"DTSTART;TZID=Europe/Berlin:{m.start:%Y%m%dT%H%M%S}",
                 f"DTEND;TZID=Europe/Berlin:{m.end:%Y%m%dT%H%M%S}", f"SUMMARY:{m.committee}"]
        if description:
            event.append(f"DESCRIPTION:{description}")
        event += [f"UID:{2026090000 + n}", f"LOCATION:{', '.join(m.place)}, ", "END:VEVENT"]
        lines += event
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def build(root: Path, origin: str) -> SiteContents:
    """Write the Sternhagen site under ``root`` for ``origin`` ("http://127.0.0.1:PORT"); return what a complete crawl loads."""
    everything, papers = council()
    base = BASE_PATH.strip("/") + "/"
    files: dict[str, bytes | str] = {
        base + "index.html": start_page(origin),
        base + "termine/ics/SD.NET_RIM.ics": calendar_export(everything, origin),
    }
    for m in everything:
        if m.items is not None:
            files[f"{base}tops/__={m.token}.html"] = meeting_page(m, origin)
    meetings = [m for m in everything if m.start.year == 2026]  # the crawl's window, 2026-08..2026-10
    published = [m for m in meetings if m.items is not None]
    for p in papers:
        files[f"{base}vorgang/__={p.token}.html"] = paper_page(p, origin)
    docs: dict[str, tuple[Doc, list[tuple[str, str]]]] = {}
    for m in published:
        for _, d in m.docs:
            docs[d.token] = (d, [("h1", TOWN), ("b", d.name), ("p", f"{m.committee} am {m.start:%d.%m.%Y}")])
        for i in m.items or []:
            for d in i.docs:
                docs[d.token] = (d, [("h1", TOWN), ("b", d.name), ("p", " ".join(i.title))])
    for p in papers:
        for d in p.docs:
            docs[d.token] = (d, [("h1", TOWN), ("b", f"{p.kind} {p.reference}"), ("p", " ".join(p.subject))])
    for d, lines in docs.values():
        files[base + d.path()] = pdf_document(lines, title=d.name)
    size = write_files(root, files)
    all_items = [i for m in published for i in m.items or []]
    return SiteContents(
        root=root,
        base_path=BASE_PATH,
        months="2026-08..2026-10",
        counts={
            "meeting": len(meetings),
            "agenda_item": len(all_items),
            "paper": len(papers),
            "consultation": sum(len(p.stations) for p in papers),
            "file": len(docs),
        },
        # The paper's own document is its main file, the one document a crawl downloads.
        downloads={p.docs[0].token: p.reference for p in papers},
        pages_by_kind={"termine_ics": 1, "tops": len(published), "vorgang": len(papers)},
        notes={"bytes": size, "non_public_items": sum(not i.public for i in all_items),
               "archived_token": everything[0].token,
               "meetings_without_agenda": len(meetings) - len(published)},
    )


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "sternhagen-site")
    contents = build(out, sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8765")
    print(f"wrote {contents.notes['bytes']} bytes to {out}: {contents.counts}")
