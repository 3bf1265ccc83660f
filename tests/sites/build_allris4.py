"""Write "Gemeinde Probstedt", a small ALLRIS net 4.1.7 install (``/probstedt/public/``), for crawl tests.

The pages follow the real ALLRIS 4 markup (Laatzen 4.1.5, Trier 4.1.7 in the
corpus): UTF-8, the ``ALLRIS net Version`` meta description, ``div#allris``,
``h1.title``, Grunddaten ids (``#vobetreff``, ``#vofamt``, ``#sidatum`` …),
``table.bfTable``, ``table#toTreeTable`` with ``data-tt-id``/``data-tt-parent-id``
and stable documents under ``wicket/resource/org.apache.wicket.Application/docNNN.pdf``.
The content is fictional.

As on the real install, the month calendar ``si010?MM=&YY=`` is a page shell
whose table a lazy-load Wicket Ajax call (``si010?0-1.0-&MM=&YY=``) fetches; the
server answers that call with the ``<ajax-response>`` (like Trier's) only when
the request carries ``Wicket-Ajax: true``, and with the shell otherwise
(``si010/@Wicket-Ajax=true/…xml``, see ``flows/demo_site.py`` rule 4).

Files (URL -> file as ``flows/demo_site.py`` maps them)::

    /probstedt/public/                    public/index.html (start page)
    si010?MM=10&YY=2026                   public/si010/MM=10&YY=2026.html
    si010?0-1.0-&MM=10&YY=2026 (Ajax)     public/si010/@Wicket-Ajax=true/MM=10&YY=2026.xml
    to010?SILFDNR=N / to020?TOLFDNR=N / vo020?VOLFDNR=N
    wicket/resource/org.apache.wicket.Application/docN.pdf

Usage: ``python -m tests.sites.build_allris4 OUT`` writes the site to OUT.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.sites.common import SiteContents, pdf_document, write_files

SLUG = "probstedt"
BASE_PATH = f"/{SLUG}/public/"
TOWN = "Gemeinde Probstedt"
VERSION = "ALLRIS net Version 4.1.7 (4170041) - 08.07.2026"
MONTHS = ((2026, 9), (2026, 10), (2026, 11))  # September has no meeting: an empty month is no failure
DOC_PATH = "wicket/resource/org.apache.wicket.Application/"
INDICATOR = "./wicket/resource/org.apache.wicket.ajax.AbstractDefaultAjaxBehavior/indicator-ver-03CE3DCC84AF110E9DA8699A841E5200.gif"
WEEKDAYS_DE = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")


# --------------------------------------------------------------------------
# The council matter


@dataclass(frozen=True)
class Doc:
    id: int  # docNNN
    name: str  # as the tooltip quotes it ('Vorlage', 'Sammeldokument öffentlich')
    label: str  # link text

    @property
    def href(self) -> str:
        return f"./{DOC_PATH}doc{self.id}.pdf"


@dataclass(frozen=True)
class Committee:
    grlfdnr: int
    name: str
    genitive: str  # "Sitzung des <genitive>"


@dataclass
class Meeting:
    silfdnr: int
    committee: Committee
    date: dt.date
    time: str
    room: str
    published: bool = True  # False: the calendar shows it without a link to its agenda
    status: str = "öffentlich"
    stat: str = "(Sitzung eingeladen)"
    docs: list[Doc] = field(default_factory=list)
    tops: list["Top"] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Sitzung des {self.committee.genitive}"


@dataclass
class Top:
    tolfdnr: int
    number: str  # "Ö 5.1"
    subject: str
    paper: "Paper | None" = None
    role: str | None = None  # Zuständigkeit column
    result: str | None = None  # Beschlussart on the excerpt
    resolution: str | None = None
    docs: list[Doc] = field(default_factory=list)  # documents of an item without paper
    children: list["Top"] = field(default_factory=list)

    @property
    def public(self) -> bool:
        return self.number.startswith("Ö")


@dataclass
class Session:
    """A paper on a meeting's agenda: one row of a Beratungsfolge station."""

    meeting: Meeting
    top: Top
    result: str | None = None


@dataclass
class Station:
    state: str  # Erledigt, Geplant
    committee: Committee
    role: str  # Vorberatung, Entscheidung, Kenntnisnahme
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Paper:
    volfdnr: int
    reference: str
    kind: str
    subject: str
    office: str
    office_label: str  # the label varies between installs; the id #vofamt does not
    texts: list[tuple[str, list[str]]]
    docs: list[Doc]
    attachments: list[str] = field(default_factory=list)  # Wicket listener links only: not stable, not recorded
    author: str | None = None
    stations: list[Station] = field(default_factory=list)

    @property
    def main_doc(self) -> Doc:
        return next(d for d in self.docs if d.label == "Vorlage")

    @property
    def agenda_doc(self) -> Doc:
        """The document the agenda row links: the collected document where there is one."""
        return next((d for d in self.docs if d.name.startswith("Sammeldokument")), self.main_doc)


def council() -> tuple[list[Meeting], list[Paper]]:
    """Return the meetings (calendar order) and papers of Probstedt."""
    bpua = Committee(31, "Bau-, Planungs- und Umweltausschuss", "Bau-, Planungs- und Umweltausschusses")
    fa = Committee(32, "Finanzausschuss", "Finanzausschusses")
    rat = Committee(1, "Gemeinderat", "Gemeinderates")
    ortsrat = Committee(41, "Ortsrat Probstedt-Nord", "Ortsrates Probstedt-Nord")

    m1 = Meeting(1000201, bpua, dt.date(2026, 10, 6), "18:00", "Rathaus Probstedt, Sitzungssaal", status="gemischt",
                 stat="(Niederschrift freigegeben)",
                 docs=[Doc(1000410, "Einladung", "Einladung"), Doc(1000413, "Niederschrift öffentlich", "Niederschrift")])
    m4 = Meeting(1000204, ortsrat, dt.date(2026, 10, 6), "19:30", "Dorfgemeinschaftshaus Nordfeld", published=False)
    m2 = Meeting(1000202, fa, dt.date(2026, 10, 8), "18:30", "Rathaus Probstedt, Raum 104",
                 docs=[Doc(1000411, "Bekanntmachung", "Bekanntmachung")])
    m3 = Meeting(1000203, rat, dt.date(2026, 11, 5), "19:00", "Bürgerhaus Probstedt, Großer Saal", status="gemischt",
                 docs=[Doc(1000412, "Einladung", "Einladung")])

    p1 = Paper(1000301, "2026/041", "Beschlussvorlage",
               "Bebauungsplan Nr. 27 „Am Mühlenbach“ – Aufstellungsbeschluss", "61 Bauamt", "Federführend:",
               texts=[("Beschlussvorschlag", ["Der Gemeinderat beschließt die Aufstellung des Bebauungsplans Nr. 27 "
                                              "„Am Mühlenbach“ nach § 2 Abs. 1 BauGB."]),
                      ("Sachverhalt", ["Für das Gebiet zwischen Mühlenweg und Bachstraße besteht kein Bebauungsplan.",
                                       "Die Fläche soll für Wohnen und eine Kindertagesstätte entwickelt werden."])],
               docs=[Doc(1000401, "Vorlage", "Vorlage"), Doc(1000402, "Sammeldokument öffentlich", "Sammeldokument")],
               attachments=["Lageplan Mühlenbach.pdf"])
    p2 = Paper(1000302, "2026/042", "Beschlussvorlage",
               "Sanierung der Grundschule Probstedt – Vergabe der Planungsleistungen",
               "40 Schulen, Kultur und Sport", "Federführung:",
               texts=[("Beschlussempfehlung", ["Der Gemeinderat vergibt die Planungsleistungen an das wirtschaftlichste "
                                               "Angebot."]),
                      ("Begründung", ["Das Schulgebäude von 1962 muss energetisch saniert werden."])],
               docs=[Doc(1000403, "Vorlage", "Vorlage")])
    p3 = Paper(1000303, "2026/043", "Antrag", "Antrag der Fraktion Bürger für Probstedt: Tempo 30 vor der Kita "
               "Lindenweg", "32 Ordnungsamt", "Federführend:",
               texts=[("", ["Die Verwaltung wird gebeten, vor der Kita Lindenweg Tempo 30 anzuordnen."])],
               docs=[Doc(1000404, "Vorlage", "Vorlage")], author="Fraktion Bürger für Probstedt")
    p4 = Paper(1000304, "2026/044", "Antrag", "Antrag der Fraktion Grüne Liste: Einführung eines Bürgerhaushalts",
               "20 Finanzen", "Federführend:",
               texts=[("Sachverhalt", ["Ab 2028 sollen Einwohnerinnen und Einwohner Vorschläge einbringen können."])],
               docs=[Doc(1000405, "Vorlage", "Vorlage")], author="Fraktion Grüne Liste")
    p5 = Paper(1000305, "2026/045", "Mitteilungsvorlage", "Haushaltsvollzug 2026 – Bericht zum 30.09.2026",
               "20 Finanzen", "Federführung:",
               texts=[("Sachverhalt", ["Die Erträge liegen 2,1 % über dem Plan, die Aufwendungen im Plan."])],
               docs=[Doc(1000406, "Vorlage", "Vorlage")])

    opening = "Eröffnung, Feststellung der ordnungsgemäßen Ladung und der Beschlussfähigkeit"
    m1.tops = [
        Top(1000501, "Ö 1", opening),
        Top(1000502, "Ö 2", "Mitteilungen der Verwaltung", docs=[Doc(1000407, "Präsentation Bauvorhaben 2026",
                                                                        "Präsentation")]),
        Top(1000503, "Ö 3", p1.subject, p1, "Vorberatung", "empfohlen",
            "Der Ausschuss empfiehlt dem Gemeinderat die Aufstellung des Bebauungsplans."),
        Top(1000504, "N 4", "Grundstücksangelegenheiten"),
    ]
    m2.tops = [
        Top(1000511, "Ö 1", opening),
        Top(1000512, "Ö 2", p2.subject, p2, "Vorberatung", "empfohlen",
            "Der Finanzausschuss empfiehlt die Vergabe."),
        Top(1000513, "Ö 3", p5.subject, p5, "Kenntnisnahme", "zur Kenntnis genommen"),
    ]
    m3.tops = [
        Top(1000521, "Ö 1", opening),
        Top(1000522, "Ö 2", "Einwohnerfragestunde"),
        Top(1000523, "Ö 3", p2.subject, p2, "Entscheidung"),
        Top(1000524, "Ö 4", p1.subject, p1, "Entscheidung"),
        Top(1000525, "Ö 5", "Anträge der Fraktionen", children=[
            Top(1000526, "Ö 5.1", p3.subject, p3, "Entscheidung"),
            Top(1000527, "Ö 5.2", p4.subject, p4, "Entscheidung"),
        ]),
        Top(1000528, "N 6", "Personalangelegenheiten"),
    ]

    def on(meeting: Meeting, paper: Paper) -> Session:
        top = next(t for t in all_tops(meeting) if t.paper is paper)
        return Session(meeting, top, top.result)

    p1.stations = [Station("Erledigt", bpua, "Vorberatung", [on(m1, p1)]),
                   Station("Geplant", rat, "Entscheidung", [on(m3, p1)])]
    p2.stations = [Station("Erledigt", fa, "Vorberatung", [on(m2, p2)]),
                   Station("Geplant", rat, "Entscheidung", [on(m3, p2)])]
    # Not yet scheduled in the committee: a station without a meeting row.
    p3.stations = [Station("Geplant", bpua, "Vorberatung"), Station("Geplant", rat, "Entscheidung", [on(m3, p3)])]
    p4.stations = [Station("Geplant", rat, "Entscheidung", [on(m3, p4)])]
    p5.stations = [Station("Erledigt", fa, "Kenntnisnahme", [on(m2, p5)])]
    return [m1, m4, m2, m3], [p1, p2, p3, p4, p5]


def all_tops(meeting: Meeting) -> list[Top]:
    """Return a meeting's agenda items in page order, sub-items after their parent."""
    return [t for top in meeting.tops for t in (top, *top.children)]


# --------------------------------------------------------------------------
# Page frame


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def frame(page_url: str, title: str, h1: str, content: str, head_script: str = "") -> str:
    """Return a whole ALLRIS 4 page: Wicket head, menu bar, ``main`` with the heading and content."""
    program = page_url.split("?", 1)[0]
    query = page_url.split("?", 1)[1] if "?" in page_url else ""
    search_action = f"./{program}?0-1.-head-searchform" + (f"&amp;{esc(query)}" if query else "")
    return f"""
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="de">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1" />
<script type="text/javascript" src="./wicket/resource/org.apache.wicket.resource.JQueryResourceReference/jquery/jquery-3.7.1-ver-962A4A135B116C30221466C5E4F0E7A1.js"></script>
<script type="text/javascript" src="./wicket/resource/org.apache.wicket.ajax.AbstractDefaultAjaxBehavior/res/js/wicket-ajax-jquery-ver-C887AA843619090BF01E0673D9DBA2B9.js"></script>
<meta name="description" content="{VERSION}" /><link rel="stylesheet" type="text/css" href="./wicket/resource/de.allris.net.page.BasePage/css/theme-ver-5D1C2FDCE4D04FBFD711B1DD86E43067.css" />
<script type="text/javascript" id="wicket-ajax-base-url">
/*<![CDATA[*/
Wicket.Ajax.baseUrl="{esc(page_url.lstrip('./'))}";
/*]]>*/
</script>
{head_script}<title>ALLRIS - {esc(title)}</title>
</head>
<body>
<div id="allris">
<ul id="skipLinks"></ul>
<div>
<div id="top">
<span id="logo" title="ALLRIS 4 - {TOWN}"></span>
<div id="search">
<form action="{search_action}" aria-label="Suchen" id="searchform" method="post"><input name="sectoken" type="hidden" value="entfernt"/>
<input aria-labelledby="submitSearchButton" class="searchtext searchfield" id="searchfield" name="searchfield" placeholder="Suchen" type="search" value=""/>
<input class="searchsubmit" id="submitSearchButton" name="p::submit" type="submit" value="Suchen"/>
</form>
</div>
</div>
</div>
<div>
<div id="navigation">
<nav aria-label="Menüleiste" class="menubar" data-jumplink="Zum Menü" id="navMenu" tabindex="-1">
<ul class="nav-menu" role="menubar">
<li class="nav-item" role="none">
<a class="parent" href="#" role="menuitem">Organisation</a>
<div class="sub-nav">
<ul class="sub-nav-group" role="menu">
<li role="none"><a href="./gr010?menu=Rat" role="menuitem">Rat</a></li><li role="none"><a href="./gr010?menu=Aussch%C3%BCsse" role="menuitem">Ausschüsse</a></li>
</ul>
</div>
</li><li class="nav-item" role="none">
<a class="parent" href="#" role="menuitem">Sitzungen</a>
<div class="sub-nav">
<ul class="sub-nav-group" role="menu">
<li role="none"><a href="./si010" role="menuitem">Kalender</a></li><li role="none"><a href="./si018" role="menuitem">Übersicht</a></li>
</ul>
</div>
</li><li class="nav-item" role="none">
<a class="parent" href="#" role="menuitem">Vorlagen</a>
<div class="sub-nav">
<ul class="sub-nav-group" role="menu">
<li role="none"><a href="./vo040" role="menuitem">Übersicht</a></li>
</ul>
</div>
</li>
</ul>
</nav>
</div>
</div>
<main id="pageContent" tabindex="-1" aria-label="Seiteninhalt" data-jumplink="Zum Inhalt">
<div id="readOut">
<div id="idd">
<div class="header">
<h1 class="title">{esc(h1)}</h1>
</div>
</div>
{content}
</div>
</main>
<div>
<div id="footer">
<span><a target="_blank" title="zum Impressum" class="js-simple-tooltip" href="https://www.probstedt.example/impressum/">Impressum</a></span>
</div>
</div>
<span class="simpletooltip_container nachoben">
<button type="button" id="backToTop" class="js-simple-tooltip" title="nach oben"></button>
</span>
</div>
</body>
</html>
"""


def grunddaten_row(label: str, value_html: str, entry: str = "colEntry3") -> str:
    return f"""<div class="row">
<dl>
<dt class="colTitle">
<span class="label">{label}</span>
</dt>
<dd class="{entry}">
{value_html}
</dd>
</dl>
</div>
"""


def head(rows: str, documents: list[Doc], attachments_html: str = "") -> str:
    """Return ``div#head``: Grunddaten on the left, the documents panel on the right."""
    items = "</li><li>\n".join(
        f'<a class="js-simple-tooltip doclink pdf" data-simpletooltip-text="Öffnet PDF-Datei \'{esc(d.name)}\' in neuem '
        f'Fenster" href="{d.href}" target="_blank">{esc(d.label)}</a>' for d in documents)
    docs = f"""<aside class="documents" data-jumplink="Zu Dokumente" id="dokumenteHeaderPanel" tabindex="-1">
<div class="frameHeader">
<span>Dokumente</span>
</div>
<ul class="headRightInner roundedBorder">
<li>
{items}
</li>
</ul>
</aside>
""" if documents else '<aside data-wicket-placeholder="" hidden="" id="dokumenteHeaderPanel"></aside>\n'
    return f"""<div id="head">
<span aria-atomic="true" aria-relevant="additions removals" id="ide" role="alert">
</span>
<div id="headLeft">
<div class="frameHeader">
<h2>Grunddaten</h2>
</div>
<div class="headLeftInner roundedBorder">
{rows}<div data-wicket-placeholder="" hidden="" id="idf"></div>
</div>
</div>
<div id="headRight">
{docs}{attachments_html}</div>
</div>
<div class="clear"></div>
"""


def section(n: int, title: str, inner: str) -> str:
    """Return a collapsible ``div.compFull`` section (Beratungsfolge, Sachverhalt, Tagesordnung …)."""
    tooltip = f"{title or 'Text'} ausblenden"
    return f"""<div id="id{n}">
<div class="compFull roundedBorder">
<div class="expcol rs_skip rs_preserve">
<a class="js-simple-tooltip" data-simpletooltip-text="{esc(tooltip)}" href="#" id="showHideLink_id{n}"><img alt="Reduzieren" src="./wicket/resource/org.apache.wicket.Application/images/collapse-ver-C41D4AFF790B892FD71DE1FBA71538E6.svg"/></a><span class="wicket-ajax-indicator" hidden="" id="showHideLink_id{n}--ajax-indicator"><img alt="" src="{INDICATOR}"/></span>
</div>
<div data-wicket-placeholder="" hidden="" id="id{n}0"></div>
<div id="id{n}1">
<h2 class="expandedTitle">{esc(title)}</h2>
{inner}</div>
</div>
</div>
"""


def doc_part(n: int, paragraphs: list[str]) -> str:
    ps = "\n".join(f'<p style="margin-top:0pt; margin-bottom:8pt">\n<span>{esc(p)}</span>\n</p>' for p in paragraphs)
    return (f'<div class="docPart" id="htm{n}" style="font-family:Carlito; font-size:11pt;">\n<div>\n{ps}\n</div>\n'
            f'</div>\n')


def german_date(d: dt.date) -> str:
    return f"{WEEKDAYS_DE[d.weekday()]}, {d:%d.%m.%Y}"


# --------------------------------------------------------------------------
# Pages


def start_page() -> str:
    content = """<div id="mainContent">
<div class="compFull roundedBorder">
<p>Willkommen im Ratsinformationssystem der Gemeinde Probstedt. Sitzungen finden Sie im <a href="./si010">Kalender</a>,
Vorlagen in der <a href="./vo040">Vorlagenübersicht</a>.</p>
</div>
</div>
"""
    return frame("start", "Startseite", f"Ratsinformationssystem {TOWN}", content)


def calendar_shell(year: int, month: int) -> str:
    """Return the calendar page as the browser first gets it: the table is a lazy-load panel."""
    url = f"si010?MM={month}&YY={year}"
    script = f"""<script type="text/javascript">
/*<![CDATA[*/
Wicket.Event.add(window, "domready", function(event) {{ 
Wicket.Timer.set('id2a', function(){{Wicket.Ajax.ajax({{"u":"./si010?0-1.0-&MM={month}&YY={year}","c":"id2a"}});}}, 100);;
;}});
/*]]>*/
</script>
"""
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    content = f"""<div id="mainContent">
<div class="calendarNavigation">
<a href="./si010?MM={prev_m}&amp;YY={prev_y}" class="js-simple-tooltip" data-simpletooltip-text="Vorheriger Monat">&lt;</a>
<span class="calendarMonth">{calendar_month_name(month)} {year}</span>
<a href="./si010?MM={next_m}&amp;YY={next_y}" class="js-simple-tooltip" data-simpletooltip-text="Nächster Monat">&gt;</a>
</div>
<div id="id2a"><div><img alt="Loading..." src="{INDICATOR}"/></div></div>
</div>
"""
    return frame(url, "Sitzungskalender", "Sitzungskalender", content, script)


def calendar_month_name(month: int) -> str:
    return ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
            "November", "Dezember")[month - 1]


def calendar_ajax(year: int, month: int, meetings: list[Meeting]) -> str:
    """Return the Wicket Ajax answer that carries the month's ``table.calenderView`` (as Trier's)."""
    rows = []
    for day in range(1, calendar.monthrange(year, month)[1] + 1):
        d = dt.date(year, month, day)
        dow = d.strftime("%a")  # Trier prints English weekday abbreviations in a German calendar
        parity = "odd" if d.isocalendar()[1] % 2 else "even"
        cls = f"{dow.lower()} {parity}"
        day_cell = f'<td class="nowrapContent"><span class="dow">{dow}</span><span class="dom">{day:02d}</span></td>'
        todays = [m for m in meetings if m.date == d]
        if not todays:
            rows.append(f'<tr class="{cls} emptyRow">\n{day_cell}\n<td colspan="3">\n<div> </div>\n</td>\n</tr>')
            continue
        for i, m in enumerate(todays):
            if m.published:
                anchor = (f'<a href="./to010?SILFDNR={m.silfdnr}&amp;refresh=false" id="si_{m.silfdnr}" '
                          f'data-simpletooltip-text=" am {german_date(m.date)} um {m.time} Uhr." '
                          f'class="js-simple-tooltip tooltipProvider">{esc(m.title)}</a>')
            else:
                anchor = f'<a id="si_{m.silfdnr}">{esc(m.title)}</a>'
            first_cell = day_cell if i == 0 else '<td class="nowrapContent"></td>'  # further meetings that day
            rows.append(f'<tr class="{"sameday " if i else ""}{cls}">\n{first_cell}\n'
                        f'<td class="time">\n<div>{m.time}</div>\n</td><td class="textCol" '
                        f'data-bordercolor="transparent">\n<div>\n{anchor}\n</div>\n</td><td class="raum">\n'
                        f'<div>{esc(m.room)}</div>\n</td>\n</tr>')
    table = ('<div id="id2a"><div id="id2c">\n<table id="id2d" class="calenderView hoverRow stickyHeader">\n'
             '<caption>Kalender</caption>\n<thead>\n\n<tr class="headers">\n\n'
             '<th class="dateCol" scope="col"><span>Datum</span></th>\n\n'
             '<th class="time" scope="col"><span>Uhrzeit</span></th>\n\n'
             '<th class="textCol" scope="col"><span>Sitzung</span></th>\n\n'
             '<th class="raum" scope="col"><span>Raum</span></th>\n\n</tr>\n\n</thead>\n<tbody>\n'
             + "".join(rows) + "\n</tbody>\n</table>\n</div></div>")
    focus = "".join(f"(function(){{$('#si_{m.silfdnr}').on('click', function(){{ \n"
                    f"sessionStorage.setItem('customfocused', 'si_{m.silfdnr}')}}); \n}})();" for m in meetings)
    return ('<?xml version="1.0" encoding="UTF-8"?><ajax-response><component id="id2a" ><![CDATA['
            + table + ']]></component><header-contribution><![CDATA[<head xmlns:wicket="http://wicket.apache.org">'
            f'<meta name="description" content="{VERSION}" /><script type="text/javascript" '
            'src="./wicket/resource/org.apache.wicket.resource.JQueryResourceReference/jquery/jquery-3.7.1-ver-'
            '962A4A135B116C30221466C5E4F0E7A1.js"></script>\n</head>]]></header-contribution><evaluate><![CDATA['
            '<head xmlns:wicket="http://wicket.apache.org"><script type="text/javascript">\n/*<![CDATA[*/\n'
            + focus + "(function(){$('.js-simple-tooltip').each(function() { $.fn.accessibleSimpleTooltipAria.apply(this); "
            "}); $.fn.ajaxFuncs();})();\n/*]]]]><![CDATA[>*/\n</script>\n</head>]]></evaluate></ajax-response>")


def meeting_page(m: Meeting) -> str:
    rows = grunddaten_row("Betreff:", f'<span class="text1" id="sibetreff">\n<a><p>{esc(m.title)}</p></a>\n</span>')
    rows += grunddaten_row("Gremium:", f'<span class="text1" id="sigremium">\n<a href="./gr020?GRLFDNR='
                                       f'{m.committee.grlfdnr}">{esc(m.committee.name)}</a>\n</span>', "colEntry")
    rows += f"""<div class="row">
<dl>
<dt class="colTitle">
<span class="label">Datum:</span>
</dt>
<dd class="colEntry">
<span class="text4" id="sidatum">
<a href="./si010?DD={m.date.day}&amp;MM={m.date.month}&amp;YY={m.date.year}">{german_date(m.date)}</a>
</span>
</dd>
</dl>
<dl>
<dt class="colTitle">
<span class="label">Status:</span>
</dt>
<dd class="colEntry">
<span class="text4" id="sistatus">{esc(m.status)}</span>
<span class="text4" id="sistat">
<a> {esc(m.stat)}</a>
</span>
</dd>
</dl>
</div>
<div class="row">
<dl>
<dt class="colTitle">
<span class="label">Uhrzeit:</span>
</dt>
<dd class="colEntry">
<span class="text4" id="sizeit">{m.time}</span>
</dd>
</dl>
<dl>
<dt class="colTitle">
<span class="label">Anlass:</span>
</dt>
<dd class="colEntry">
<span class="text4" id="sianlass">Sitzung</span>
</dd>
</dl>
</div>
<div class="row">
<dl>
<dt class="colTitle">
<span class="label">Raum:</span>
</dt>
<dd class="colEntry">
<span class="text4" id="siraum">{esc(m.room)}</span>
</dd>
<dt class="colTitle">
<span class="label">Ort:</span>
</dt>
<dd class="colEntry">
<span class="text4" id="siort">Marktplatz 1, 24999 Probstedt</span>
</dd>
</dl>
</div>
"""
    table = agenda_table(m)
    content = head(rows, m.docs) + f'<div id="mainContent">\n<div class="toCollapsible" id="id7">\n' \
        + section(7, "Tagesordnung", table).split('\n', 1)[1] + "</div>\n"
    url = f"to010?SILFDNR={m.silfdnr}&refresh=false"
    return frame(url, "Sitzung", f"{m.committee.name} - {m.date:%d.%m.%Y}", content)


def agenda_table(m: Meeting) -> str:
    """Return ``table#toTreeTable``: section rows, TOP rows, sub-items with ``data-tt-parent-id``."""
    rows: list[str] = []
    row_no = 0

    def cells(first: str, tonr: str, betreff: str, vonr: str, doc: str, zunr: str, attach: str = "") -> str:
        return (f'<td class="expandCloseCol">\n{first}\n</td><td class="tonr">\n{tonr}\n</td><td class="tobetreff">\n'
                f'{betreff}\n</td><td class="attach">\n{attach}\n</td><td class="tobahint">\n\n</td><td class="tovonr">\n'
                f'{vonr}\n</td><td class="toDoc">\n{doc}\n</td><td class="tozunr">\n{zunr}\n</td>')

    def top_row(top: Top, parent_tt: str | None, tt: str) -> str:
        nonlocal row_no
        row_no += 1
        parity = "odd" if row_no % 2 else "even"
        tonr = (f'<div>\n<a href="#" id="link_{top.tolfdnr}">{esc(top.number)}</a><span hidden="" '
                f'class="wicket-ajax-indicator" id="link_{top.tolfdnr}--ajax-indicator"><img src="{INDICATOR}" '
                f'alt=""/></span>\n</div>')
        if top.public:
            title = (f'<a href="./to020?TOLFDNR={top.tolfdnr}&amp;SILFDNR={m.silfdnr}" id="betreff_{top.tolfdnr}">'
                     f'{esc(top.subject)}<span class="zusatzinfo"></span> </a>')
        else:  # non-public items have no excerpt link
            title = f'<a id="betreff_{top.tolfdnr}">{esc(top.subject)}<span class="zusatzinfo"></span> </a>'
        betreff = f'<div>\n{title}\n<div hidden="" data-wicket-placeholder="" id="idb{top.tolfdnr}"></div>\n</div>'
        vonr = doc = zunr = attach = ""
        if top.paper is not None:
            vonr = (f'<div>\n<a href="./vo020?VOLFDNR={top.paper.volfdnr}&amp;refresh=false&amp;TOLFDNR='
                    f'{top.tolfdnr}" id="vo_{top.tolfdnr}">{esc(top.paper.reference)}</a>\n</div>')
            docs = [top.paper.agenda_doc]
        else:
            docs = top.docs
        if docs:
            doc = "<div>\n" + "\n".join(
                f'<a href="{d.href}" target="_blank" class="pdfOhneLabel js-simple-tooltip doclink pdf" '
                f'data-simpletooltip-text="Öffnet PDF-Datei &#039;{esc(d.name)}&#039; in neuem Fenster"></a>'
                for d in docs) + "\n</div>"
            attach = (f'<div>\n<img src="images/attach.svg" alt="Anlagen vorhanden" class="icon noTooltip '
                      f'js-simple-tooltip" role="presentation"/>\n</div>')
        if top.role:
            zunr = f"<div>{esc(top.role)}</div>"
        nested = f' data-tt-parent-id="{parent_tt}"' if parent_tt else ""
        return (f'<tr id="idr{top.tolfdnr}" class="{parity} num{parity}" data-tt-id="{tt}"{nested}>\n'
                + cells("", tonr, betreff, vonr, doc, zunr, attach) + "\n</tr>")

    public_done = nonpublic_done = False
    for i, top in enumerate(m.tops, 1):
        if top.public and not public_done:
            public_done = True
            rows.append('<tr class="even beratung" id="idpub">\n'
                        + cells("", "", "<div><p>Öffentlicher Teil</p></div>", "", "", "") + "\n</tr>")
        if not top.public and not nonpublic_done:
            nonpublic_done = True
            rows.append('<tr class="odd beratung" id="idnpub">\n'
                        + cells("", "", "<div><p>Nichtöffentlicher Teil</p></div>", "", "", "") + "\n</tr>")
        tt = f"{m.silfdnr % 100000}{i}"
        rows.append(top_row(top, None, tt))
        for k, child in enumerate(top.children, 1):
            rows.append(top_row(child, tt, f"{tt}{k}0"))
    return f"""<span class="checks">
<span>
<input id="id14" name="tagesordnung:expandedPanel:alleTops" type="checkbox"/>
<label aria-label="Alle Tagesordnungspunkte aufklappen" class="optional-field" for="id14" id="id22">Alle Tagesordnungspunkte aufklappen</label>
</span>
</span>
<div class="tree-theme-human" id="toTable">
<table class="dataTable captionVisible stickyHeader toTable" id="toTreeTable">
<caption class="rs_skip">Tagesordnung</caption>
<thead>
<tr class="headers">
<th class="expandCloseCol" scope="col"><span aria-label="Aufklappen/Zuklappen">+/-</span></th>
<th class="tonr" scope="col"><span>TOP</span></th>
<th class="tobetreff" scope="col"><span>Betreff</span></th>
<th class="attach" scope="col"><span aria-label="Anlagen zu" class="anlagenImg" role="img"></span></th>
<th class="tobahint" scope="col"><span aria-label="geänderter Beschluss" class="baimportant" role="img"></span></th>
<th class="tovonr" scope="col"><span>Vorlage</span></th>
<th class="toDoc" scope="col"><span aria-label="Dokument" class="pdfImg" role="img"></span></th>
<th class="tozunr" scope="col"><span>Zuständigkeit</span></th>
</tr>
</thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
</div>
"""


def paper_page(p: Paper) -> str:
    rows = f"""<div class="row">
<dl>
<dt class="colTitle">
<span class="label">
<a aria-describedby="vobetreff">Betreff:</a>
</span>
</dt>
<dd class="colEntry3">
<span class="text1" id="vobetreff"><p>{esc(p.subject)}</p></span>
</dd>
</dl>
</div>
<div data-wicket-placeholder="" hidden="" id="id10"></div>
<div class="row" id="id11">
<dl>
<dt class="colTitle">
<span class="label">
<a aria-describedby="vostatus">Status:</a>
</span>
</dt>
<dd class="colEntry3">
<span class="text4" id="vostatus">öffentlich</span> <span class="text4" id="vostat">
<a> (Vorlage freigegeben)</a>
</span>
</dd>
</dl>
</div>
<div class="row" id="id13">
<dl>
<dt class="colTitle">
<span class="label">
<a aria-describedby="voart">Vorlageart:</a>
</span>
</dt>
<dd class="colEntry3">
<span class="text4" id="voart">{esc(p.kind)}</span>
</dd>
</dl>
</div>
<div class="row" id="id16">
<dl>
<dt class="colTitle">
<span class="label">
<a aria-describedby="vofamt">{esc(p.office_label)}</a>
</span>
</dt>
<dd class="colEntry3">
<span class="text4" id="vofamt">{esc(p.office)}</span>
</dd>
</dl>
</div>
"""
    if p.author:
        rows += grunddaten_row('<a aria-describedby="voverfasser1">1. Berichterstattung:</a>',
                               f'<span class="text4" id="voverfasser1">{esc(p.author)}</span>')
    else:
        rows += '<div data-wicket-placeholder="" hidden="" id="id17"></div>\n'
    attachments = ""
    if p.attachments:
        links = "".join(
            f'<li><div>\n<a class="js-simple-tooltip attlink pdf" data-simpletooltip-text="Öffnen der PDF zu {esc(a)} in '
            f'neuen Fenster" href="./vo020?0--anlagenHeaderPanel-attachmentsList-{i}-attachment-link&amp;VOLFDNR='
            f'{p.volfdnr}&amp;refresh=false" target="_blank">{esc(a)}</a>\n</div></li>\n'
            for i, a in enumerate(p.attachments))
        attachments = (f'<aside class="attachments" data-jumplink="Zu Anlagen" id="anlagenHeaderPanel" tabindex="-1">\n'
                       f'<div class="frameHeader">\n<span>Anlagen</span>\n</div>\n<ul class="headRightInner '
                       f'roundedBorder">\n{links}</ul>\n</aside>\n')
    sections = [section(1, "Beratungsfolge", beratungsfolge(p))]
    for n, (title, paragraphs) in enumerate(p.texts, start=3):
        sections.append(section(n, title, doc_part(p.volfdnr * 10 + n, paragraphs)))
    content = head(rows, p.docs, attachments) + '<div id="mainContent">\n' + "".join(sections) + "</div>\n"
    return frame(f"vo020?VOLFDNR={p.volfdnr}&refresh=false", "Vorlage", f"{p.kind} - {p.reference}", content)


def beratungsfolge(p: Paper) -> str:
    """Return ``table.bfTable``: a station row (state, committee, role), then a row per meeting it was on."""
    rows = []
    parity = iter(("even", "odd") * 20)

    for station in p.stations:
        rows.append(f"""<tr class="{next(parity)}">
<td class="colorCol">
<div>
<span class="wfcolorDescIcon" data-iconcolor="#73D216">●</span>
<span class="wfcolorDesc">{esc(station.state)}</span>
</div>
</td><td>
<div> </div>
</td><td>
<div>{esc(station.committee.name)}</div>
</td><td>
<div>{esc(station.role)}</div>
</td><td class="toLink">
<div> </div>
</td>
</tr>""")
        for s in station.sessions:
            if s.result:
                result = f'<a href="./to020?TOLFDNR={s.top.tolfdnr}">{esc(s.result)}</a>'
                na = f'<div>\n<a class="objAnchor" href="./to020?TOLFDNR={s.top.tolfdnr}">NA</a>\n</div>'
            else:
                result, na = "<a></a>", ""
            rows.append(f"""<tr class="{next(parity)}">
<td class="colorCol">
<div> </div>
</td><td class="date">
<div>{s.meeting.date:%d.%m.%Y}</div>
</td><td>
<div>
<a href="./to010?SILFDNR={s.meeting.silfdnr}&amp;TOLFDNR={s.top.tolfdnr}">{esc(s.meeting.title)}</a>
</div>
</td><td>
<div>
{result}
</div>
</td><td class="toLink">
{na}
</td>
</tr>""")
    return f"""<div class="tree-theme-human" id="bfTable">
<table class="dataTable captionVisible stickyHeader bfTable nonStickyHeader" id="id22">
<caption class="rs_skip">Beratungsfolge</caption>
<thead>
<tr class="headers">
<th class="colorCol" scope="col"><span>Status</span></th>
<th scope="col"><span>Datum</span></th>
<th scope="col"><span>Gremium</span></th>
<th scope="col"><span>Beschluss</span></th>
<th class="toLink" scope="col"><span>NA</span></th>
</tr>
</thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
</div>
"""


def excerpt_page(m: Meeting, top: Top) -> str:
    """Return ``to020``, the excerpt of one public agenda item: Grunddaten, result and resolution text."""
    rows = grunddaten_row("Sitzung:", f'<span class="text1"><a href="./to010?SILFDNR={m.silfdnr}">'
                                      f'{esc(m.title)} - {m.date:%d.%m.%Y}</a></span>')
    rows += grunddaten_row("TOP:", f'<span class="text4">{esc(top.number)}</span>')
    rows += grunddaten_row("Betreff:", f'<span class="text1"><p>{esc(top.subject)}</p></span>')
    if top.paper is not None:
        rows += grunddaten_row("Vorlage:", f'<span class="text4"><a href="./vo020?VOLFDNR={top.paper.volfdnr}&amp;'
                                           f'refresh=false">{esc(top.paper.reference)}</a></span>')
    if top.result:
        rows += grunddaten_row("Beschlussart:", f'<span class="text4">{esc(top.result)}</span>')
    sections = ""
    if top.resolution:
        sections = section(3, "Beschluss", doc_part(top.tolfdnr, [top.resolution]))
    content = head(rows, []) + '<div id="mainContent">\n' + sections + "</div>\n"
    return frame(f"to020?TOLFDNR={top.tolfdnr}", "Auszug", f"Auszug - {top.number} {top.subject}", content)


# --------------------------------------------------------------------------
# The site


def build(root: Path) -> SiteContents:
    """Write the Probstedt site under ``root`` and return what a complete crawl of it loads."""
    meetings, papers = council()
    base = BASE_PATH.strip("/") + "/"
    files: dict[str, bytes | str] = {base + "index.html": start_page()}
    for year, month in MONTHS:
        in_month = [m for m in meetings if (m.date.year, m.date.month) == (year, month)]
        name = f"MM={month}&YY={year}"
        files[f"{base}si010/{name}.html"] = calendar_shell(year, month)
        files[f"{base}si010/@Wicket-Ajax=true/{name}.xml"] = calendar_ajax(year, month, in_month)
    published = [m for m in meetings if m.published]
    excerpts = 0
    for m in published:
        files[f"{base}to010/SILFDNR={m.silfdnr}.html"] = meeting_page(m)
        for top in all_tops(m):
            if top.public:
                files[f"{base}to020/TOLFDNR={top.tolfdnr}.html"] = excerpt_page(m, top)
                excerpts += 1
    for p in papers:
        files[f"{base}vo020/VOLFDNR={p.volfdnr}.html"] = paper_page(p)
    # Every document prints what it belongs to, so a downloaded one can be told by its text.
    docs: dict[int, list[tuple[str, str]]] = {}
    for m in published:
        about = [("p", f"{m.title} am {m.date:%d.%m.%Y} um {m.time} Uhr, {m.room}.")]
        docs |= {d.id: [("h1", TOWN), ("b", d.name), *about] for d in m.docs}
        docs |= {d.id: [("h1", TOWN), ("b", d.name), ("p", t.subject), *about] for t in all_tops(m) for d in t.docs}
    for p in papers:
        body = [("p", text) for _, paragraphs in p.texts for text in paragraphs]
        docs |= {d.id: [("h1", TOWN), ("b", f"{p.kind} {p.reference}"), ("p", p.subject), *body] for d in p.docs}
    for doc_id, lines in docs.items():
        files[f"{base}{DOC_PATH}doc{doc_id}.pdf"] = pdf_document(lines, title=lines[1][1])
    size = write_files(root, files)
    consultations = sum(max(1, len(s.sessions)) for p in papers for s in p.stations)
    return SiteContents(
        root=root,
        base_path=BASE_PATH,
        months=f"{MONTHS[0][0]}-{MONTHS[0][1]:02d}..{MONTHS[-1][0]}-{MONTHS[-1][1]:02d}",
        counts={
            "meeting": len(meetings),
            "agenda_item": sum(len(all_tops(m)) for m in published),
            "paper": len(papers),
            "consultation": consultations,
            "file": len(docs),
        },
        # Each paper's "Vorlage" is its main file, the one document a crawl downloads.
        downloads={f"doc{p.main_doc.id}": p.reference for p in papers},
        pages_by_kind={"si010": len(MONTHS), "si010_ajax": len(MONTHS), "to010": len(published),
                       "to020": excerpts, "vo020": len(papers)},
        notes={"bytes": size, "attachments_listener_only": sum(len(p.attachments) for p in papers)},
    )


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "probstedt-site")
    contents = build(out)
    print(f"wrote {contents.notes['bytes']} bytes to {out}: {contents.counts}")
