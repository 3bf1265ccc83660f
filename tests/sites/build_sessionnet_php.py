"""Write "Stadt Kranichfelde", a small SessionNet 5.5.5 ``.php`` install (Layout 6), for crawl tests.

The pages follow the real Layout 6 markup (Eschweiler 5.5.5 ``.php``, Lüdenscheid
and Kaiserslautern ``.asp`` in the corpus): UTF-8 with numeric entities in link
titles, ``smc_page_<program>_layout``, field cells ``div.smc-table-cell.<field>``,
agenda rows ``td.tofnum span.badge``, document boxes ``div.smc-d-el`` linking
``getfile.php?id=N&type=do``. The content is fictional.

The base URL ``/kranichfelde/bi/`` names no program: it redirects to
``info.php``, the start page. ``si0057.php`` answers only within the anonymous
session (``PHPSESSID``) that the calendar ``si0040.php`` opens (the demo server's
session rule); ``to0040.php`` shows the same agenda without a session.

Usage: ``python -m tests.sites.build_sessionnet_php OUT`` writes the site to OUT.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.sites.common import SiteContents, pdf_document, write_files

SLUG = "kranichfelde"
BASE_PATH = f"/{SLUG}/bi/"
TOWN = "Stadt Kranichfelde"
AUTHOR = "Somacos GmbH & Co. KG,https://www.somacos.de, SessionNet Version 5.5.5  V7 bi (Layout 6)"
MONTHS = ((2026, 10), (2026, 11))
TODAY = dt.date(2026, 10, 20)  # the day the site shows its state of: the committee list's last and next meetings
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTH_NAMES = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
               "November", "Dezember")
DESCRIPTIONS = {
    "info": "Diese Seite ist die Startseite des Bürgerinformationssystems.",
    "si0040": "Diese Seite enthält eine kalendarische Übersicht der Sitzungstermine für einen Monat.",
    "si0057": "Diese Seite zeigt die Tagesordnung einer Sitzung an.",
    "to0040": "Diese Seite zeigt die Tagesordnung einer Sitzung an.",
    "to0050": "Diese Seite zeigt die Details eines Tagesordnungspunktes an.",
    "vo0050": "Diese Seite zeigt die Detailinformationen zu einer Vorlage an. Neben allgemeinen Informationen und "
              "Dokumenten wird die Beratungsfolge der Vorlage dargestellt.",
    "vo0053": "Diese Seite zeigt die Beratungen einer Vorlage an.",
    "gr0040": "Diese Seite zeigt eine Liste der Gremien, für die im Sitzungsdienst Informationen verwaltet werden.",
    "kp0040": "Diese Seite zeigt die Mitglieder eines Gremiums an.",
}


# --------------------------------------------------------------------------
# The council matter


@dataclass(frozen=True)
class Doc:
    id: int
    name: str
    dakurz: str | None  # the type letters in the icon ("VO", "E"); None for an attachment
    attachment: bool = False

    @property
    def href(self) -> str:
        return f"getfile.php?id={self.id}&type=do"


@dataclass(frozen=True)
class Member:
    name: str
    party: str
    role: str  # Art der Mitarbeit
    kpenr: int | None  # None: no person page (sachkundige Bürger)


@dataclass
class Committee:
    kgrnr: int
    name: str
    members: list[tuple[str, list[Member]]]  # (group heading, members)


@dataclass
class Meeting:
    ksinr: int
    committee: Committee
    siname: str
    date: dt.date
    time: str
    room: str
    docs: list[Doc]
    tops: list["Top"] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.committee.name} {self.date:%d.%m.%Y}"


@dataclass
class Top:
    number: str  # "Ö 3"
    subject: str
    paper: "Paper | None" = None
    ktonr: int | None = None  # only items with a detail page (to0050) show their number
    result: str | None = None
    vote: str | None = None
    resolution: str | None = None

    @property
    def public(self) -> bool:
        return self.number.startswith("Ö")


@dataclass
class Paper:
    kvonr: int
    reference: str
    kind: str
    subject: str
    docs: list[Doc]
    texts: list[str]
    changed: str  # "Letzte Änderung" stamp
    consultations: list[tuple[Meeting, Top, str]] = field(default_factory=list)  # meeting, item, role


def council() -> tuple[list[Committee], list[Meeting], list[Paper]]:
    """Return the committees, meetings (date order) and papers of Kranichfelde."""
    rat = Committee(10, "Rat der Stadt Kranichfelde", [
        ("Vorsitz:", [Member("Henrike Vollmer", "parteilos", "Bürgermeisterin", 501)]),
        ("Ratsmitglieder:", [Member("Jörg Albers", "CDU", "Ratsmitglied", 502),
                             Member("Aylin Brückner", "SPD", "Ratsmitglied", 503),
                             Member("Tomasz Wiśniewski", "Grüne", "Ratsmitglied", 504)]),
    ])
    ha = Committee(11, "Hauptausschuss", [
        ("Vorsitz:", [Member("Henrike Vollmer", "parteilos", "Bürgermeisterin", 501)]),
        ("Ausschussmitglieder mit Stimmrecht:", [Member("Jörg Albers", "CDU", "Ratsmitglied", 502)]),
        ("Ausschussmitglieder mit beratender Stimme:", [Member("Käthe Lindqvist", "SPD",
                                                               "Sachk. Bürgerin (beratend)", None)]),
    ])
    m1 = Meeting(4101, ha, "HA/012/2026", dt.date(2026, 10, 14), "18:00", "Rathaus, Sitzungssaal (Raum 201)",
                 [Doc(61001, "Einladung", "E")])
    m2 = Meeting(4102, rat, "Rat/009/2026", dt.date(2026, 11, 12), "18:30", "Stadthalle Kranichfelde, Kleiner Saal",
                 [Doc(61002, "Einladung", "E")])
    p1 = Paper(2201, "VO/2026/118", "Beschlussvorlage", "Neubau des Feuerwehrgerätehauses Nord",
               [Doc(62001, "Vorlage", "VO"), Doc(62002, "Anlage 1 Raumprogramm", None, attachment=True)],
               ["Der Rat beschließt den Neubau des Feuerwehrgerätehauses Nord am Standort Heideweg.",
                "Die Kosten von 4,2 Mio. € sind im Haushalt 2027 veranschlagt."], "02.10.2026 09:14:52")
    p2 = Paper(2202, "VO/2026/121", "Beschlussvorlage", "Haushaltssatzung 2027 mit Haushaltsplan",
               [Doc(62003, "Vorlage", "VO")],
               ["Der Rat beschließt die Haushaltssatzung 2027 in der vorgelegten Fassung."], "20.10.2026 11:02:07")
    p3 = Paper(2203, "MV/2026/031", "Mitteilungsvorlage", "Sachstand Breitbandausbau in den Ortsteilen",
               [Doc(62004, "Vorlage", "VO")],
               ["87 % der Haushalte sind an das Glasfasernetz angeschlossen."], "05.10.2026 15:40:00")
    opening = "Eröffnung der Sitzung und Feststellung der Beschlussfähigkeit"
    m1.tops = [
        Top("Ö 1", opening),
        Top("Ö 2", "Mitteilungen der Bürgermeisterin"),
        Top("Ö 3", p1.subject, p1, ktonr=9103, result="empfohlen", vote="einstimmig",
            resolution="Der Hauptausschuss empfiehlt dem Rat, den Neubau zu beschließen."),
        Top("Ö 4", p3.subject, p3),
        Top("N 5", "Grundstücksangelegenheiten"),
    ]
    m2.tops = [
        Top("Ö 1", "Einwohnerfragestunde"),
        Top("Ö 2", p1.subject, p1),
        Top("Ö 3", p2.subject, p2),
        Top("N 4", "Personalangelegenheiten"),
    ]
    p1.consultations = [(m1, m1.tops[2], "Vorberatung"), (m2, m2.tops[1], "Entscheidung")]
    p2.consultations = [(m2, m2.tops[2], "Entscheidung")]
    p3.consultations = [(m1, m1.tops[3], "Kenntnisnahme")]
    return [rat, ha], [m1, m2], [p1, p2, p3]


# --------------------------------------------------------------------------
# Page frame


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def ent(text: str) -> str:
    """Return escaped text with non-ASCII letters as numeric entities, as SessionNet prints names."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in esc(text))


def page(kind: str, title: str, h1: str, body: str, tabs: str = "", changed: str | None = None) -> str:
    """Return a whole Layout 6 page of program ``kind``."""
    nav = "".join(
        f'<li class="nav-item smc-nav-online"><a  href="{href}" title="{esc(DESCRIPTIONS.get(k, label))}" '
        f'aria-label="{esc(DESCRIPTIONS.get(k, label))}" class="smce-a-u nav-link smcmenu1 smc-ct1" ><i class="smc {icon}" '
        f'aria-hidden="true"></i>{label}</a></li> '
        for href, k, icon, label in (("info.php", "info", "smc-home", "Startseite"),
                                     ("si0040.php", "si0040", "smc-calendar", "Kalender"),
                                     ("gr0040.php", "gr0040", "smc-network-connection", "Gremien"),
                                     ("vo0040.php", "vo0040", "smc-magnifier", "Recherche")))
    stamp = (f'<li><i class="fa fa-clock-o" aria-hidden="true"></i>&nbsp;Letzte &Auml;nderung:&nbsp;{changed}</li>'
             if changed else "")
    return f"""<!DOCTYPE html><html lang="de"  x-ms-format-detection="none"><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="description" content="{esc(DESCRIPTIONS[kind])}"><meta name="author" content="{AUTHOR}"><meta name="sessionnet" content="V:050505"/><link rel="shortcut icon" href="im/browser.ico" type="image/x-icon"/><link rel="start" href="info.php" title="Startseite" /><title>SessionNet | {ent(title)}</title>
<script type="text/javascript">var smcGLOBAL_FUNCTION_STATUS_LOGON = 1;var smcStatus_Logon = false;</script>
<script type="text/javascript" src="kwjavascript.js"></script><script type="text/javascript" src="yjavascript.js"></script><link href="css/styles6.css" rel="stylesheet"><link href="config/layout/kranichfelde/config.css" rel="stylesheet"></head><body id="smc_body" class="smc-body">
<!-- #wrapper --><div id="wrapper" class="smclayout smc_page_{kind}_layout"><div id="sidebar-wrapper" role="navigation" aria-label="Hauptmenü" class="smc-nav-config smc-pr-n"><div class="logo smc-config-logo"><a  href="info.php" title="Hier gelangen Sie zur Startseite dieser Webanwendung." class="smce-a-u" ><img src="config/layout/kranichfelde/logo.png" class="img-responsive smc-img-logo" alt="Logo" /></a></div><ul id="sidebar-nav" class="nav nav-pills nav-stacked">{nav}
</ul><!-- /Sidebar ende smcnav mandatos --></div>
<div id="page-content-wrapper">
<nav id="top-bar" class="navbar navbar-inverse" aria-label="Auswahlmenü"><div id="menu-toggle" class="collapsed" title="Navigation ein- bzw. ausblenden"><span class="sr-only">Toggle navigation</span></div></nav>

<div class="page-title" role="navigation" aria-label="Seitentitel und Oberes Menü"><h1 class="smc_h1">{ent(h1).replace(" Uhr", "&nbsp;Uhr")}</h1></div>

<div id="page-content" role="main" aria-label="Informationen">
{tabs}<!--SMCINFO:PHP.V:7003033-->
{body}
</div><!-- /page-content-1 -->
</div><!-- /page-content-wrapper -->
<footer aria-label="Fusszeile mit Seiteninformationen"><div class="d-flex justify-content-between"><div id="smcmenubottom" title="Diese Men&uuml;leiste enth&auml;lt Funktionen f&uuml;r die Steuerung der aktuellen Seite."><ul class="list-inline">{stamp}</ul></div><div id="smcsomacosinfo" class="text-right"><span lang="en">Software: </span><a href="https://somacos.de/loesungen/sitzungsmanagement/session/" class="smc-link-normal" target="_blank">Sitzungsdienst <span lang="en">Session</span></a></div></div></footer>
</div><!-- /wrapper -->
</body></html>
"""


def tabs(items: list[tuple[str, str, bool]]) -> str:
    lis = []
    for href, label, active in items:
        cls = 'nav-item active smc-ct1" aria-selected="true' if active else "nav-item"
        lis.append(f'<li class="{cls}"><a  href="{href}" title="{label}" aria-label="{label}" '
                   f'class="smce-a-u nav-link" >{label}</a></li>')
    return f'<ul class="nav nav-tabs smcnoprint" id="smcregister" aria-label="Tab Navigation">\n{"".join(lis)}\n</ul>'


def row(name: str, label: str, value_html: str) -> str:
    return (f'<div class="smc-table-row"><div class="smc-table-cell smc-cell-head {name}_title">{label}</div>'
            f'<div class="smc-table-cell {name}">{value_html}</div>\n</div>\n')


def panel(n: int, heading: str, inner: str, extra_class: str = "") -> str:
    return (f'<div class="col-sm-12">\n\n<div id="smcpanel{n}" class="card card-light{extra_class}"><div class="card-header" '
            f'data-toggle="collapse" href="#smcacchead{n}" aria-expanded="true" aria-controls="smcacchead{n}" ><h2 '
            f'class="mb-0 card-header-title" id="smc-hn-{n}"><button class="btn btn-link btn-block text-left" '
            f'type="button" data-toggle="collapse" data-target="#smcacchead{n}" aria-expanded="true" '
            f'aria-controls="smcacchead{n}">{heading}</button></h2></div><div id="smcacchead{n}" class="collapse show" '
            f'aria-labelledby="smcacchead{n}" data-parent="#smcpanel{n}" ><div class="card-body">\n{inner}</div></div>'
            f'</div>\n</div>\n')


def doc_box(doc: Doc, layout: str = "col-lg-6") -> str:
    ident = f"{doc.id:014d}"
    ex = " smc-d-ex" if doc.attachment else ""
    icon = (f'<i class="smc smc-doc-dakurz smc-doc-dakurz-1 smc-doc-symbol  smc_field_danr_2" aria-hidden="true">'
            f'{doc.dakurz}</i>') if doc.dakurz else '<i class="smc smc-document" aria-hidden="true"></i>'
    title = "Dokument Download Dateityp: pdf"
    return (f'<div id="smcy{ident}" class="smc-dg-ds-1 {layout} smc-d-el{ex}"><div id="smcb{ident}" class="smc-xxdat '
            f'smc-default default smc-box-type-1 smc-dg-b1"><div class="smc smc-doc-icon">{icon}</div><div '
            f'class="smc-doc-content smcc-s1-n smce-m-1"><div id="smcg{ident}"  class="smc-action-group '
            f'smc-action-group-lg ml-auto" role="group"><a  href="{esc(doc.href)}" title="{title}" aria-label="{title}" '
            f'role="button" class="btn btn-blue" id="smcs{ident}" ><i role="button" class="smc smc-download" '
            f'aria-hidden="true"></i></a></div><div class="smc-el-h smc-link-normal smc_datatype_do smc-t-r991"><a  '
            f'href="{esc(doc.href)}" title="{title}" aria-label="{title}" class="smce-a-u smc-link-normal '
            f'smc_datatype_do smc-t-r991" >{ent(doc.name)}</a></div></div></div>\n</div>\n')


def docs_block(docs: list[Doc], column: bool = False) -> str:
    if column:  # inside a table cell
        return ('<div class="smc-dg-c-3-12 smc-documents smce-do-1 smc-pr-nsmc-doc-dakurz-box smc-doc-size-1 '
                'flex-column">\n' + "".join(doc_box(d, "col-lg-12") for d in docs) + "<!--SMCPHDOCFCT--></div>")
    return ('<div class="smc-dg-c-1-10 smc-documents smc-pr-n row">\n' + "".join(doc_box(d) for d in docs)
            + "<!--SMCPHDOCFCT--></div>\n")


def msword(ident: int, paragraphs: list[str]) -> str:
    ps = "\n".join(f"<p class=MsoNormal style='text-align:justify'>{esc(p)}</p>" for p in paragraphs)
    return (f'<!--smcdocmsword--><div class="smcdocmsword" id="smcdocid{ident:08d}">\n<div class=WordSection1>\n{ps}\n'
            f'<p class=MsoNormal></p>\n</div>\n</div>\n')


def data_row(inner: str) -> str:
    return ('<!-- data-row --><div class="row">\n\n<div class="col-md-12">\n\n<div class="card card-light smcbox"><div '
            'class="panel-body"><div class="smcboxcontent card-body">' + inner
            + '\n</div></div></div>\n</div>\n</div><!-- /data-row -->\n')


# --------------------------------------------------------------------------
# Pages


def info_page() -> str:
    body = ('<div class="row">\n\n' + panel(1, "Willkommen", f"<p>Willkommen im B&uuml;rgerinformationssystem der "
            f'{ent(TOWN)}. Die Sitzungstermine finden Sie im <a  href="si0040.php" class="smce-a-u" >Kalender</a>, '
            f'die Gremien unter <a  href="gr0040.php" class="smce-a-u" >Gremien</a>.</p>\n') + "</div>\n")
    return page("info", "Startseite", "Startseite", body)


def calendar_page(year: int, month: int, meetings: list[Meeting]) -> str:
    q = "si0040.php?__cjahr={y}&amp;__cmonat={m}&amp;__canz=1&amp;__cselect=0"
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    filt = (f'<div id="smcfiltermenu" class="smcnoprint smc-filter-bar"><ul class="nav nav-pills">\n'
            f'<li class="nav-item"><a  href="{q.format(y=prev_y, m=prev_m)}" title="Jahr: {prev_y} Monat: {prev_m}" '
            f'class="smce-a-u nav-link smcfiltermenuprev" ><i class="fa fa-chevron-circle-left smcfontawesome"></i></a></li>'
            f'<li class="nav-item"><a  href="{q.format(y=next_y, m=next_m)}" title="Jahr: {next_y} Monat: {next_m}" '
            f'class="smce-a-u nav-link smcfiltermenunext" ><i class="fa fa-chevron-circle-right smcfontawesome"></i></a>'
            f'</li>\n</ul>\n</div>\n<br />\n')
    rows = []
    for day in range(1, calendar.monthrange(year, month)[1] + 1):
        d = dt.date(year, month, day)
        wd = WEEKDAYS[d.weekday()]
        cls = "holiday smc-status-holiday" if d.weekday() >= 5 else "weekday"
        lead = (f'<td data-label="&nbsp;" class="smc-table-cell-block-991 smc-table-cell-heading smc_fct_day_991"><span '
                f'class="weekday">{day}</span> <a title="{wd}" class="{cls}">{wd[:2]}</a></td><td data-label="&nbsp;" '
                f'class="smc-t-cn991 smc-table-cell-small smc_fct_day"><span class="weekday">{day}</span></td><td '
                f'data-label="&nbsp;" class="smc-t-cn991 smc-table-cell-small smc_fct_daytext"><a title="{wd}" '
                f'class="{cls}">{wd[:2]}</a></td>')
        todays = [m for m in meetings if m.date == d]
        if not todays:
            rows.append(f'<tr>{lead}<td data-label="Sitzung" class="smc-t-cn991 silink"></td><td data-label="Termin" '
                        f'class="smc-t-cn991 sitermin"></td><td data-label="Dokumente" class="smc-t-cn991 sidocs"></td>'
                        f'\n\n</tr>')
        for m in todays:
            rows.append(f'<tr>{lead}<td data-label="Sitzung" class="smc-t-cl991 silink"><div class="smc-el-h "><a  '
                        f'href="si0057.php?__ksinr={m.ksinr}" title="Details anzeigen: {ent(m.label)}" aria-label="Details '
                        f'anzeigen: {ent(m.label)}" class="smce-a-u smc-link-normal smc_doc smc_datatype_si" >'
                        f'{ent(f"öffentliche/nicht öffentliche Sitzung: {m.committee.name}")}</a></div><ul class="list-inline smc-detail-list"><li '
                        f'class="list-inline-item">{m.time}&nbsp;Uhr</li><li class="list-inline-item">{ent(m.room)}</li>'
                        f'</ul></td><td data-label="Termin" class="smc-t-cl991 sitermin"></td><td data-label="Dokumente" '
                        f'class="smc-t-cl991 sidocs">{docs_block(m.docs, column=True)}</td>\n\n</tr>')
    table = ('<!-- table-responsive --><table id="smc_page_si0040_contenttable1" class="table table-striped smc-table '
             'smc-table-striped smc-table-responsive smctablesitzungen">\n<tbody>\n\n' + "\n".join(rows)
             + "\n</tbody>\n</table><!-- /table-responsive -->\n")
    title = f"Kalender {year} {MONTH_NAMES[month - 1]}"
    return page("si0040", title, title, filt + table, tabs([("si0040.php", "Kalender", True)]))


def meeting_info(m: Meeting) -> str:
    return (row("siname", "Sitzung", esc(m.siname)) + row("sigrname", "Gremium", ent(m.committee.name))
            + row("siort", "Raum", ent(m.room)) + row("sidat", "Datum", f"{m.date:%d.%m.%Y}")
            + row("yytime", "Zeit", f"{m.time}&nbsp;Uhr"))


def agenda_page(m: Meeting, program: str) -> str:
    """Return the agenda of a meeting as ``si0057`` (in the session) or ``to0040`` prints it."""
    body = '<div class="row">\n\n' + panel(1, "Informationen", meeting_info(m))
    body += panel(2, f"{len(m.docs)} Dokument{'e' if len(m.docs) > 1 else ''}", docs_block(m.docs), " smc-pr-n")
    body += "</div><!-- /meta-row -->\n"
    rows = []
    public_started = nonpublic_started = False
    for top in m.tops:
        if top.public and not public_started:
            public_started = True
            rows.append('<tr class="smc-t-r-l"><td colspan="4" class="totrenn"><h2 class="smc_h2">&Ouml;ffentlicher Teil:'
                        '</h2></td>\n</tr>')
        if not top.public and not nonpublic_started:
            nonpublic_started = True
            rows.append('<tr class="smc-t-r-l"><td colspan="4" class="totrenn"><h2 class="smc_h2">Nicht &ouml;ffentlicher '
                        'Teil:</h2></td>\n</tr>')
        title = ent(top.subject)
        if top.ktonr is not None:
            title = (f'<a  href="to0050.php?__ktonr={top.ktonr}" title="Details anzeigen: {title}" aria-label="Details '
                     f'anzeigen: {title}" class="smce-a-u smc-link-normal smc_doc smc_datatype_to" >{title}</a>')
        if top.paper is not None:
            p = top.paper
            vo = (f'<td data-label="Vorlage" class="smc-t-cl991 tovo"> <a  href="vo0050.php?__kvonr={p.kvonr}" '
                  f'title="Vorlage anzeigen: {ent(p.subject)}" aria-label="Vorlage anzeigen: {ent(p.subject)}" '
                  f'class="smce-a-u smc-link-procedure smc_doc smc_field_voname smcnowrap smc_datatype_vo" >'
                  f'{esc(p.reference)}</a></td>')
            docs = f'<td class="smc-t-cl991 sidocs">{docs_block(p.docs, column=True)}</td>'
        else:
            vo, docs = '<td class="toxx">&nbsp;</td>', '<td class="smc-t-cl991 sidocs"></td>'
        rows.append(f'<tr class="smc-t-r-l"><td class="tofnum"><span class="badge">{ent(top.number)}</span></td><td '
                    f'class="tobetr"><div class="margin-bottom smc-card-header-title-simple">{title}</div></td>{vo}'
                    f'{docs}\n</tr>')
    table = (f'<!-- table-responsive --><table id="smc_page_{program}_contenttable1" class="table table-striped smc-table '
             f'smc-table-striped smc-table-responsive smctablesitzung">\n<tbody>\n' + "\n".join(rows)
             + "\n</tbody>\n</table><!-- /table-responsive -->\n")
    own_tabs = tabs([(f"si0050.php?__ksinr={m.ksinr}", "Informationen", False),
                     (f"si0057.php?__ksinr={m.ksinr}", "Tagesordnung", program == "si0057")])
    title = f"{m.committee.name} - {m.date:%d.%m.%Y} - {m.time} Uhr"
    return page(program, title, title, body + table, own_tabs)


def top_page(m: Meeting, top: Top) -> str:
    """Return ``to0050``, the detail of one agenda item: result, vote, resolution text and the paper's documents."""
    assert top.ktonr is not None
    info = (row("tofnum", "TOP", ent(top.number)) + row("tobetr", "Betreff", esc(top.subject))
            + row("siname", "Sitzung", f'<a  href="si0057.php?__ksinr={m.ksinr}" title="Details anzeigen: '
                                       f'{ent(m.label)}" class="smce-a-u smc-link-normal smc_doc smc_datatype_si" >'
                                       f'{esc(m.siname)}</a>')
            + row("sigrname", "Gremium", ent(m.committee.name)) + row("sidat", "Datum", f"{m.date:%d.%m.%Y}"))
    if top.paper is not None:
        info += row("voname", "Vorlage", f'<a  href="vo0050.php?__kvonr={top.paper.kvonr}" class="smce-a-u '
                                         f'smc-link-procedure smc_doc smc_datatype_vo" >{esc(top.paper.reference)}</a>')
    body = '<div class="row">\n\n' + panel(1, "Informationen", info)
    if top.result:
        result = row("tobeschluss", "Beschluss", ent(top.result))
        if top.vote:
            result += row("toabstimmung", "Abstimmung", ent(top.vote))
        body += panel(2, "Beschluss", result)
    if top.paper is not None:
        body += panel(3, "Dokumente", docs_block(top.paper.docs), " smc-pr-n")
    body += "</div><!-- /meta-row -->\n"
    if top.resolution:
        body += data_row(msword(top.ktonr * 10, [top.resolution]))
    return page("to0050", top.subject, top.subject, body)


def paper_page(p: Paper) -> str:
    cells = (row("vobetr", "Betreff", esc(p.subject)) + row("voname", "Vorlage", esc(p.reference))
             + row("vovaname", "Art", esc(p.kind)))
    table = (f'<div id="smc_page_vo0050_contenttable1" class="smc-table smc-table-striped smccontenttable '
             f'smc_page_vo0050_contenttable">\n{cells}</div>\n')
    body = '<div class="row">\n\n<div class="col-md-12">\n\n<div class="card card-light smcbox"><div class="panel-body">' \
           f'<div class="smcboxcontent card-body">\n{table}</div></div></div>\n</div>\n'
    body += ('<div class="col-md-12">\n\n<div class="card card-light smc-pr-n smcbox"><div class="panel-body"><div '
             f'class="smcboxcontent card-body">{docs_block(p.docs)}</div></div></div>\n</div>\n</div><!-- /meta-row -->\n')
    body += data_row("<hr />".join(msword(p.kvonr * 10 + i, [t]) for i, t in enumerate(p.texts)))
    own_tabs = tabs([(f"vo0050.php?__kvonr={p.kvonr}", "Informationen", True),
                     (f"vo0053.php?__kvonr={p.kvonr}", "Beratungen", False)])
    return page("vo0050", p.subject, p.subject, body, own_tabs, p.changed)


def consultations_page(p: Paper) -> str:
    """Return ``vo0053``, the paper's consultations: one card per meeting it is on."""
    cards = []
    for n, (m, top, role) in enumerate(p.consultations, start=1):
        result = top.result
        head = f"{m.date:%d.%m.%Y} {ent(m.committee.name)} TOP {top.number.split(' ')[1]} &#246;ffentlich"
        head += f" - {ent(result or role)}"
        head += f' <span class="smc-badges"><span class="badge">{len(m.docs)} Dok.</span></span>'
        number = ent(top.number)
        if top.ktonr is not None:  # only items with a detail page link it
            number = (f'<a  href="to0050.php?__ktonr={top.ktonr}" class="smce-a-u smc-link-normal smc_doc '
                      f'smc_datatype_to" >{number}</a>')
        inner = (row("sidat", "Datum", f"{m.date:%d.%m.%Y}")
                 + row("siname", "Sitzung", f'<a  href="si0057.php?__ksinr={m.ksinr}" title="Details anzeigen: '
                                            f'{ent(m.label)}" aria-label="Details anzeigen: {ent(m.label)}" '
                                            f'class="smce-a-u smc-link-normal smc_doc smc_datatype_si" >Zur Sitzung '
                                            f'{esc(m.siname)}</a>')
                 + row("grname", "Gremium", ent(m.committee.name)) + row("bfrolle", "Rolle", esc(role))
                 + row("tofnum", "TOP", number))
        if result:
            inner += row("tobeschluss", "Ergebnis", ent(result))
        cards.append(panel(n, head, inner))
    body = '<div class="row">\n\n' + "".join(cards) + "</div><!-- /meta-row -->\n"
    own_tabs = tabs([(f"vo0050.php?__kvonr={p.kvonr}", "Informationen", False),
                     (f"vo0053.php?__kvonr={p.kvonr}", "Beratungen", True)])
    return page("vo0053", p.subject, p.subject, body, own_tabs)


def committees_page(committees: list[Committee], meetings: list[Meeting]) -> str:
    rows = []
    for c in committees:
        # "Letzte Sitzung" links the committee's last meeting; "Nächste Sitzung" prints the date only.
        held = [m for m in meetings if m.committee is c and m.date < TODAY]
        coming = [m for m in meetings if m.committee is c and m.date >= TODAY]
        last = (f'<a  href="si0057.php?__ksinr={held[-1].ksinr}" title="Details anzeigen: {ent(held[-1].label)}" '
                f'aria-label="Details anzeigen: {ent(held[-1].label)}" class="smce-a-u smc-link-normal smc_doc '
                f'smc_datatype_si" >{held[-1].date:%d.%m.%Y}</a>') if held else ""
        nxt = f"{coming[0].date:%d.%m.%Y}" if coming else ""
        rows.append(f'<tr class="smc-t-r-l"><td data-label="" class="smc-t-cl991 grname"><a  href="kp0040.php?__kgrnr='
                    f'{c.kgrnr}&" title="Details anzeigen: {ent(c.name)}" aria-label="Details anzeigen: {ent(c.name)}" '
                    f'class="smce-a-u smc-link-normal" >{ent(c.name)}</a></td><td data-label="" class="smc-t-cn991 '
                    f'silast">{last}</td><td data-label="" class="smc-t-cn991 sinext">{nxt}</td><td class="smc-t-cl991 '
                    f'smc-link-si2"><a  href="si0046.php?smccont=85&__cselect=65536&__cfid=65536&__canz=12&__cmonat=1'
                    f'&__osidat=d&__ksigrnr={c.kgrnr}" title="Sitzungsliste anzeigen" class="smce-a-u '
                    f'smc-config-color-a" ><i class="smc smc-calendar" aria-hidden="true"></i></a></td>\n</tr>')
    table = ('<!-- table-responsive --><table id="smc_page_gr0040_contenttable1" class="table table-striped smc-table '
             'smc-table-striped smc-table-responsive smctablegremien">\n<thead class="smc-t-r-l"><tr><th class="grname">'
             'Name</th><th class="silast">Letzte Sitzung</th><th class="sinext">Nächste Sitzung</th><th class="si2">'
             'Sitzungen</th>\n</tr><!-- /tr-responsive --></thead>\n<tbody>\n' + "\n".join(rows)
             + "\n</tbody>\n</table><!-- /table-responsive -->\n")
    return page("gr0040", "Gremien", "Gremien", table)


def members_page(c: Committee) -> str:
    rows = []
    for heading, members in c.members:
        rows.append(f'<tr class="smc-t-r-l"><td data-label="Personenüberschrift" class="smc-t-cl991 smc-table-cell-th-991 '
                    f'smc-table-cell-th-z smcfield_puname" colspan="3">{ent(heading)}</td>\n</tr>')
        for member in members:
            name = ent(member.name)
            if member.kpenr is not None:
                name = (f'<a  href="pe0051.php?__kpenr={member.kpenr}" title="Details anzeigen: {name}" '
                        f'aria-label="Details anzeigen: {name}" class="smce-a-u smc-link-normal" >{name}</a>')
            rows.append(f'<tr class="smc-t-r-l"><td data-label="Name" class="pename">{name}</td><td '
                        f'data-label="Mitgliedschaft" class="smc-t-cn991 pepartei">{ent(member.party)}</td><td '
                        f'data-label="Mitgliedschaft" class="smc-table-cell-block-991 pepartei">{ent(member.party)} '
                        f'{ent(member.role)}</td><td data-label="Mitarbeit" class="smc-t-cn991 amname">{ent(member.role)}'
                        f'</td>\n</tr>')
    table = ('<!-- table-responsive --><table id="smc_page_kp0040_contenttable1" class="table table-striped smc-table '
             'smc-table-striped smc-table-responsive xxx">\n<thead class="smc-t-r-l"><tr><th class="pename">Name</th>'
             '<th class="pepartei">Mitgliedschaft</th><th class="amname">Art der Mitarbeit</th>\n</tr><!-- '
             '/tr-responsive --></thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table><!-- /table-responsive -->\n")
    own_tabs = tabs([(f"gr0054.php?__kgrnr={c.kgrnr}", "Informationen", False),
                     (f"kp0040.php?__kgrnr={c.kgrnr}", "Mitglieder", True)])
    return page("kp0040", c.name, c.name, table, own_tabs)


# --------------------------------------------------------------------------
# The site


def build(root: Path) -> SiteContents:
    """Write the Kranichfelde site under ``root`` and return what a complete crawl of it loads."""
    committees, meetings, papers = council()
    base = BASE_PATH.strip("/") + "/"
    first_year, first_month = MONTHS[0]
    files: dict[str, bytes | str] = {
        base + "index.redirect": "info.php\n",  # the base URL names no program
        base + "info.php/index.html": info_page(),
        base + "si0040.php/index.redirect": f"si0040.php?__cjahr={first_year}&__cmonat={first_month}\n",
        base + "gr0040.php/index.html": committees_page(committees, meetings),
    }
    for year, month in MONTHS:
        in_month = [m for m in meetings if (m.date.year, m.date.month) == (year, month)]
        files[f"{base}si0040.php/__cjahr={year}&__cmonat={month}.html"] = calendar_page(year, month, in_month)
    details = 0
    for m in meetings:
        files[f"{base}si0057.php/__ksinr={m.ksinr}.html"] = agenda_page(m, "si0057")
        files[f"{base}to0040.php/__ksinr={m.ksinr}.html"] = agenda_page(m, "to0040")
        for top in m.tops:
            if top.ktonr is not None:
                files[f"{base}to0050.php/__ktonr={top.ktonr}.html"] = top_page(m, top)
                details += 1
    for p in papers:
        files[f"{base}vo0050.php/__kvonr={p.kvonr}.html"] = paper_page(p)
        files[f"{base}vo0053.php/__kvonr={p.kvonr}.html"] = consultations_page(p)
    for c in committees:
        files[f"{base}kp0040.php/__kgrnr={c.kgrnr}.html"] = members_page(c)
    # Every document prints what it belongs to, so a downloaded one can be told by its text.
    docs: dict[int, list[tuple[str, str]]] = {}
    for m in meetings:
        docs |= {d.id: [("h1", TOWN), ("b", f"{d.name}: {m.committee.name}"),
                        ("p", f"Sitzung am {m.date:%d.%m.%Y} um {m.time} Uhr, {m.room}."),
                        *[("p", f"{t.number} {t.subject}") for t in m.tops if t.public]] for d in m.docs}
    for p in papers:
        docs |= {d.id: [("h1", TOWN), ("b", f"{d.name} {p.reference}"), ("p", p.subject),
                        *[("p", t) for t in p.texts]] for d in p.docs}
    for doc_id, lines in docs.items():
        files[f"{base}getfile.php/id={doc_id}&type=do.pdf"] = pdf_document(lines, title=lines[1][1])
    size = write_files(root, files)
    members = [(c.kgrnr, m) for c in committees for _, group in c.members for m in group]
    persons = {m.kpenr if m.kpenr is not None else f"{kgrnr}-{m.name}" for kgrnr, m in members}
    return SiteContents(
        root=root,
        base_path=BASE_PATH,
        months=f"{MONTHS[0][0]}-{MONTHS[0][1]:02d}..{MONTHS[-1][0]}-{MONTHS[-1][1]:02d}",
        counts={
            "meeting": len(meetings),
            "agenda_item": sum(len(m.tops) for m in meetings),
            "paper": len(papers),
            "consultation": sum(len(p.consultations) for p in papers),
            "file": len(docs),
            "organization": len(committees),
            "person": len(persons),
            "membership": len(members),
        },
        # The first non-attachment document of a paper is its main file, the one a crawl downloads.
        downloads={str(next(d for d in p.docs if not d.attachment).id): p.reference for p in papers},
        pages_by_kind={"si0040": len(MONTHS), "si0057": len(meetings), "vo0050": len(papers),
                       "vo0053": len(papers), "to0050": details, "gr0040": 1, "kp0040": len(committees)},
        notes={"bytes": size},
    )


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "kranichfelde-site")
    contents = build(out)
    print(f"wrote {contents.notes['bytes']} bytes to {out}: {contents.counts}")
