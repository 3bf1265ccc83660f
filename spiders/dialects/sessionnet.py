"""SessionNet (Somacos) 4.9–5.5, Layouts 4, 5 and 6, ``.asp`` and ``.php``.

One module for all layouts: the page programs (``si0040``, ``si0057``,
``to0040``, ``vo0050``, ``ag0050`` …) and the field classes (``siname``, ``vobetr``,
``tofnum``, ``smc_tophn`` …) are SessionNet's own and survive layout changes,
so the parsers key on those and branch only where the markup differs:

* Layout 6 (5.4–5.5): ``div.smc-table-cell.<field>`` pairs, agenda rows
  ``td.tofnum span.badge`` ("Ö 1"), documents ``div.smc-d-el``.
* Layout 5 (4.9, Schiffweiler): the same cell classes on ``td.smc-table-cell_r``.
* Layout 4 (5.3, Halle): table layout; agenda rows ``tr.smc_toph`` with
  ``td.smc_tophn`` / ``td.smc_topht``, result rows ``tr.smc_tophz`` ("Beschluss:",
  "Abstimmung:"), section rows ``tr.smcrowh``, documents ``table.smcdocbox``.
* Card layout (``si0056``, 5.5): one ``div.card`` per agenda item.

Identifiers: ``__kvonr`` (Paper: Vorlage, ``vo0050``), ``__kagnr`` (Paper: Antrag,
``ag0050``; Anträge are numbered apart from Vorlagen, so their Paper id is
"ag-<kagnr>"), ``__ksinr`` (Meeting), ``__ktonr`` (AgendaItem; also printed as
``tr#smc_contol_to_1_<ktonr>`` and ``to0058?smctonr=``), ``__kgrnr``
(Organization), ``__kpenr`` (Person), ``getfile?id=`` (File).
Where a page shows no id, one is derived from the parent and the printed
number or name (see the functions that build them).

The ``.asp`` and ``.php`` installs print the same markup; links are built
with the extension of the page they were found on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import parse_qs, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from schemas.items import AgendaItem, Consultation, File, Item, Meeting, Membership, Organization, Paper, Person
from spiders.dialects.html_text import one_line, paragraphs, text_lines
from spiders.dialects.base import Link, Page, Parsed, ParseError

NAME = "sessionnet"

_META_VERSION = re.compile(r"<meta\b[^>]*\bname=[\"']sessionnet[\"'][^>]*\bcontent=[\"']([^\"']+)[\"']", re.I)
_META_AUTHOR = re.compile(r"<meta\b[^>]*\bcontent=[\"']([^\"']*SessionNet Version [^\"']*)[\"']", re.I)
_PROGRAM_URL = re.compile(r"/([a-z]{2}\d{4}|info|error\d*|getfile)\.(asp|php)$", re.I)
_PAGE_CLASS = re.compile(r"\bsmc_page_([a-z]+\d*)_layout")
_MEETING_LINK = re.compile(r"\b(si0050|si0056|si0057|to0040)\.(?:asp|php)\?(?:[^\"'#]*&)?__ksinr=(\d+)")
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_DETAILS_TITLE = re.compile(r"^\s*Details anzeigen:\s*(.*?)\s+(\d{1,2}\.\d{1,2}\.\d{4})\s*$")
_HEADING_DATE = re.compile(r"^(.*?)\s+-?\s*(\d{1,2}\.\d{1,2}\.\d{4})(?:\s+-\s+(.+))?$")
_TOP_NUMBER = re.compile(r"^([ÖN])\s*(.*)$")
_PROGRAM_HREF = re.compile(r"(?:^|/)([a-z]{2}\d{4})\.(?:asp|php)\b", re.I)
_MIME = {"pdf": "application/pdf", "doc": "application/msword", "docx":
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xls": "application/vnd.ms-excel", "xlsx":
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "jpg": "image/jpeg", "png": "image/png", "zip": "application/zip"}


# --------------------------------------------------------------------------
# Detection


def detect(page: Page) -> str | None:
    """Return why the page is SessionNet, or None.

    The version meta tags are the evidence; a SessionNet program URL counts
    only together with SessionNet's page class, because content management
    systems echo any requested address (``…/si0040.asp``) in their own pages.
    """
    head = page.text[:20000]
    version = _META_VERSION.search(head)
    author = _META_AUTHOR.search(head)
    if version or author:
        parts = []
        if version:
            parts.append(f"meta sessionnet {version.group(1)!r}")
        if author:
            parts.append(f"{author.group(1).split(',')[-1].strip()!r}")
        return "; ".join(parts)
    path = urlsplit(page.url).path
    if _PROGRAM_URL.search(path) and _PAGE_CLASS.search(page.text):
        return f"URL shape {path} with SessionNet page class smc_page_…_layout"
    return None


def page_kind(page: Page) -> str | None:
    """Return the SessionNet program of the page (``vo0050``, ``si0057``, ``error`` …)."""
    m = _PAGE_CLASS.search(page.text)
    if m:
        kind = m.group(1)
        return "logon" if kind == "ylogon" else kind
    m = _PROGRAM_URL.search(urlsplit(page.url).path)
    if m:
        name = m.group(1).lower()
        return "error" if name.startswith("error") else name
    if "SessionNet Fehlermeldung" in page.text:
        return "error"
    return None


def is_refused(page: Page) -> bool:
    """Return True for SessionNet's error, login and access-denied answers.

    SessionNet answers ``si0057`` without the anonymous session cookie of the
    calendar with its error page (HTTP 200 or a redirect to ``error2.php``),
    titled "SessionNet Fehlermeldung"; members' pages answer with the login
    page (``smc-pagetype-logon``); some installs print "Keine Berechtigung".
    """
    text = page.text
    if re.search(r"/error\d*\.(asp|php)$", urlsplit(page.url).path, re.I):
        return True
    if re.search(r"\bsmc_page_error_|<title>[^<]*SessionNet Fehlermeldung", text, re.I):
        return True
    if re.search(r"smc-pagetype-logon|\bsmc_page_ylogon_", text):
        return True
    if re.match(r"\s*<\?(?!xml)", text):  # unprocessed program code instead of a page
        return True
    # A real content page may well contain the words (in a paper's text), so
    # the denial text counts only on pages that are no SessionNet content page.
    if re.search(r"\bsmc_page_[a-z]{2}\d{4}_layout", text):
        return False
    return bool(re.search(r"Keine Berechtigung|Sie haben keine Berechtigung", _visible_text(text)))


def _visible_text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", body)


# --------------------------------------------------------------------------
# Crawl entry


def start_urls(base_url: str, months: list[tuple[int, int]] | None = None, first_page: Page | None = None) -> list[Link]:
    """Return the month calendars (``si0040``) for each (year, month) and the committee list (``gr0040``).

    The program extension (``asp``/``php``) is taken from ``base_url`` when it
    names a program, else from ``first_page`` (the page the crawl fetched to
    detect the dialect: its URL after redirects, else its own links). With
    neither, ``asp`` is assumed, the older and more common variant.
    """
    folder, ext = _folder_and_extension(base_url)
    if ext is None and first_page is not None:
        ext = _extension_of(first_page)
        if urlsplit(first_page.url).netloc == urlsplit(base_url).netloc and _PROGRAM_URL.search(urlsplit(first_page.url).path):
            folder = first_page.url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
    ext = ext or "asp"
    links = [
        Link(
            url=f"{folder}si0040.{ext}?__cjahr={year}&__cmonat={month}&__canz=1&__cselect=0",
            kind="si0040",
            meta={"year": year, "month": month},
        )
        for year, month in _year_months(months or [])
    ]
    links.append(Link(url=f"{folder}gr0040.{ext}", kind="gr0040"))
    return links


def _folder_and_extension(url: str) -> tuple[str, str | None]:
    """Return the install folder URL (ending in '/') and the extension a program URL names."""
    path_url = url.split("?", 1)[0].split("#", 1)[0]
    m = re.search(r"/[^/]+\.(asp|php)$", path_url, re.I)
    if m:
        return path_url.rsplit("/", 1)[0] + "/", m.group(1).lower()
    return (path_url if path_url.endswith("/") else path_url + "/"), None


def _extension_of(page: Page) -> str | None:
    """Return the extension of a SessionNet page: from its URL, else the one its links use most."""
    m = re.search(r"\.(asp|php)$", urlsplit(page.url).path, re.I)
    if m:
        return m.group(1).lower()
    asp = len(re.findall(r"href=[\"'][a-z]{2}\d{4}\.asp", page.text))
    php = len(re.findall(r"href=[\"'][a-z]{2}\d{4}\.php", page.text))
    if asp or php:
        return "php" if php > asp else "asp"
    return None


def _year_months(months: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return (year, month) pairs; pairs given as (month, year) are turned round."""
    out = []
    for a, b in months:
        year, month = (a, b) if a > 12 else (b, a)
        if not 1 <= month <= 12:
            raise ValueError(f"not a (year, month) pair: {(a, b)!r}")
        out.append((year, month))
    return out


# --------------------------------------------------------------------------
# Parse dispatch


def parse(page: Page, source: str) -> Parsed:
    """Return the items and follow-up links of one SessionNet page."""
    if is_refused(page):
        raise ParseError(f"SessionNet refused the page (error or login page; session cookie missing?): {page.url}")
    kind = page_kind(page)
    ctx = _Context(page, source, BeautifulSoup(page.text, "lxml"))
    parser = _PARSERS.get(kind or "")
    if parser is None:
        raise ParseError(f"no SessionNet parser for page kind {kind!r}: {page.url}")
    return parser(ctx)


class _Context:
    """The page being parsed, with what every parser needs from it."""

    def __init__(self, page: Page, source: str, soup: BeautifulSoup) -> None:
        self.page = page
        self.source = source
        self.soup = soup
        self.folder = page.url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
        self.ext = _extension_of(page) or "asp"

    def program_url(self, program: str, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"{self.folder}{program}.{self.ext}" + (f"?{query}" if query else "")

    def common(self) -> dict:
        return {"source": self.source, "system": NAME, "url": self.page.url}

    def id_from_page(self, name: str) -> str | None:
        """Return an id parameter from the page URL, else from the page's own tab links."""
        value = _param(self.page.url, name)
        if value:
            return value
        for a in self.soup.select("#smcregister a[href]"):
            value = _param(a["href"], name)
            if value:
                return value
        return None


# --------------------------------------------------------------------------
# vo0050: paper


def _parse_vo0050(ctx: _Context) -> Parsed:
    kvonr = ctx.id_from_page("__kvonr")
    if not kvonr:
        raise ParseError(f"SessionNet vo0050 page without __kvonr: {ctx.page.url}")
    cells = _field_cells(ctx.soup)
    if not cells:
        raise ParseError(f"SessionNet vo0050 page without field cells (vobetr, voname …): {ctx.page.url}")
    paper = Paper(
        **ctx.common(),
        systemId=kvonr,
        reference=cells.get("voname"),
        name=cells.get("vobetr") or one_line(ctx.soup.select_one("h1.smc_h1")),
        paperType=_paper_type(cells.get("vovaname")),
        status=cells.get("vostatus") or cells.get("vostat"),
        dateRaw=cells.get("vodat") or cells.get("vovodat"),
        modified=_last_changed(ctx.soup),
    )
    # The inline Word texts (div.smcdocmsword) come without headings: which
    # block is Beschlussvorschlag or Begründung differs per install and is only
    # known from the document templates, so they are kept in order under
    # neutral labels rather than guessed into sachverhalt/begruendung.
    texts = [paragraphs(div) for div in ctx.soup.select("div.smcdocmsword")]
    texts = [t for t in texts if t]
    paper.otherText = {f"Text {i}": t for i, t in enumerate(texts, 1)} or None
    files = _documents(ctx.soup.select_one("#page-content") or ctx.soup, ctx, "Paper", kvonr, paper_roles=True)
    follow = [Link(url=ctx.program_url("vo0053", __kvonr=kvonr), kind="vo0053")] + _file_links(files)
    # Only what every paper page shows counts for the parse-rate watch:
    # inline texts and documents are up to the install and the paper.
    fields_seen = {
        "name": paper.name is not None,
        "reference": paper.reference is not None,
        "paperType": paper.paperType is not None,
    }
    return Parsed(items=[paper, *files], follow=_unique(follow), fields_seen=fields_seen)


def _paper_type(raw: str | None) -> str | None:
    """Return the paper type without a sort prefix.

    Some installs sort their types by a numeric prefix that is part of the
    name ("02_Unterrichtungsvorlage", Koblenz); the prefix is no part of the type.
    """
    if raw is None:
        return None
    return re.sub(r"^\d+_\s*", "", raw) or None


def _last_changed(soup: BeautifulSoup) -> dt.datetime | None:
    """Return the footer's "Letzte Änderung: dd.mm.yyyy hh:mm:ss" stamp."""
    footer = one_line(soup.select_one("#smcmenubottom"))
    m = re.search(r"Letzte Änderung:\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?", footer or "")
    if not m:
        return None
    d, mo, y, h, mi, s = m.groups()
    return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))


# --------------------------------------------------------------------------
# ag0050: Antrag (a motion; a Paper of its own number space)


def _parse_ag0050(ctx: _Context) -> Parsed:
    """Return the Antrag as a Paper ("ag-<kagnr>"), its documents, and its Beratungen tab to follow.

    Layout 6 prints the fields as ``div.smc-table-cell`` pairs like ``vo0050``;
    SessionNet 4 prints a label table ("Name:", "Datum:", "Betreff:", "Gremien:").
    Fields are read by their label first and by their cell class second (see
    ``_antrag_fields``). An Antrag page names no type unless it has an "Art"
    row, so the type is "Antrag" otherwise.
    """
    kagnr = ctx.id_from_page("__kagnr")
    if not kagnr:
        raise ParseError(f"SessionNet ag0050 page without __kagnr: {ctx.page.url}")
    fields = _antrag_fields(ctx.soup)
    if not fields:
        raise ParseError(f"SessionNet ag0050 page without fields (Name, Betreff / agname, agbetr …): {ctx.page.url}")
    paper_id = _antrag_id(kagnr)
    paper = Paper(
        **ctx.common(),
        systemId=paper_id,
        reference=fields.get("reference"),
        name=fields.get("name") or one_line(ctx.soup.select_one("h1.smc_h1")),
        paperType=_paper_type(fields.get("paperType")) or "Antrag",
        status=fields.get("status"),
        dateRaw=fields.get("dateRaw"),
        author=fields.get("author"),
        modified=_last_changed(ctx.soup),
    )
    # As on vo0050: Word texts without headings, kept in order under neutral labels.
    texts = [paragraphs(div) for div in ctx.soup.select("div.smcdocmsword")]
    texts = [t for t in texts if t]
    paper.otherText = {f"Text {i}": t for i, t in enumerate(texts, 1)} or None
    # Older layouts list the Beratungen on this page, with the meetings'
    # documents in their rows; those are no documents of the Antrag.
    scope = _copy_without(ctx.soup.select_one("#page-content") or ctx.soup.body or ctx.soup, _CONSULTATION_TABLES)
    files = _documents(scope, ctx, "Paper", paper_id, paper_roles=True)
    consultations = _inline_consultations(ctx, paper_id)
    follow = _consultations_tab_links(ctx, "ag0050") + _file_links(files)
    for consultation, entry in consultations:
        if consultation.meeting:
            follow.append(_meeting_link(ctx, consultation.meeting, entry))
    # Only what every Antrag page shows counts for the parse-rate watch; the
    # type is not among it, as it falls back to "Antrag".
    fields_seen = {"name": paper.name is not None, "reference": paper.reference is not None}
    items: list[Item] = [paper, *files, *(c for c, _ in consultations)]
    return Parsed(items=items, follow=_unique(follow), fields_seen=fields_seen)


def _antrag_id(kagnr: str) -> str:
    """Return the Paper id of an Antrag: "ag-<kagnr>", since ``__kagnr`` and ``__kvonr`` count separately."""
    return f"ag-{kagnr}"


def _antrag_fields(soup: BeautifulSoup) -> dict[str, str]:
    """Return the Antrag's fields by Paper field name (``reference``, ``name``, ``dateRaw`` …).

    Labels decide first ("Name", "Betreff", "Datum", "Art", "Antragsteller",
    "Status"), as printed in Layout 6 head cells (``.smc-cell-head``) and in
    the label cells of table layouts ("Name:"). The value cells' own classes
    (``agname``, ``agbetr``, ``agdat`` …, named like ``vo0050``'s ``voname``,
    ``vobetr``) fill what no label gave: installs rename labels, not classes.
    """
    scope = (soup.select_one("[id^=smc_page_ag0050_contenttable]") or soup.select_one("#smctablevorgang")
             or soup.select_one("#page-content") or soup)
    out: dict[str, str] = {}
    for label_cell in scope.select(".smc-cell-head, td, th, dt"):
        if label_cell.find(["td", "table"]) is not None or label_cell.select_one(".smc-table-cell") is not None:
            continue
        label = one_line(label_cell) or ""
        classes = label_cell.get("class", [])
        # A plain table cell is a label only when it reads like one ("Datum:"),
        # so that a value that happens to be a label word is not taken for one.
        if label_cell.name == "td" and not label.endswith(":") and not {"smctablehead", "smc-cell-head"} & set(classes):
            continue
        field = _antrag_field_of_label(label.rstrip(": ").strip())
        value_cell = label_cell.find_next_sibling(["td", "dd", "div"])
        if field and field not in out and value_cell is not None and one_line(value_cell):
            out[field] = one_line(value_cell) or ""
    cells = _field_cells(scope)
    for field, names in _ANTRAG_FIELD_CLASSES.items():
        if field not in out:
            value = _first_value(cells, *names)
            if value:
                out[field] = value
    return out


def _antrag_field_of_label(label: str) -> str | None:
    for field, pattern in _ANTRAG_LABELS:
        if pattern.fullmatch(label):
            return field
    return None


# Labels of an Antrag's fields: Layout 6 head cells and SessionNet 4 label cells
# (the old Köln and Halle scrapers read "Name:", "Art:", "Datum:", "Betreff:").
_ANTRAG_LABELS = [
    ("reference", re.compile(r"name|antrag|antrags?-?\s*(?:nr\.?|nummer)|nummer|nr\.?|drucksache(?:n-?\s*nr\.?)?", re.I)),
    ("name", re.compile(r"betreff|titel|bezeichnung", re.I)),
    ("paperType", re.compile(r"art|antrags?-?\s*art|typ", re.I)),
    ("dateRaw", re.compile(r"datum|antragsdatum|eingangsdatum|eingang|eingegangen(?: am)?|vom", re.I)),
    ("author", re.compile(r"antragsteller.*|einreicher.*|eingereicht von|verfasser.*|urheber.*", re.I)),
    ("status", re.compile(r"status", re.I)),
]

# Cell classes of Layout 6 (assumed after ``vo0050``'s; ``agvdat`` is the date
# class of the Antrag list ``ag0041``).
_ANTRAG_FIELD_CLASSES = {
    "reference": ("agname", "agnr"),
    "name": ("agbetr",),
    "paperType": ("agvaname", "agart", "agaaname"),
    "dateRaw": ("agdat", "agvdat", "agedat"),
    "author": ("agantr", "agantragsteller", "agverf", "agautor"),
    "status": ("agstatus", "agstat"),
}

# Tables of an older layout's page that list consultations ("Inhalt der Tabelle: Beratungen der Vorlage").
_CONSULTATION_TABLES = 'table[summary*="Beratung"]'


def _inline_consultations(ctx: _Context, paper_id: str) -> list[tuple[Consultation, Tag]]:
    """Return the consultations an older layout lists on the paper page itself, with their rows.

    Only tables that say in their summary that they hold Beratungen count; a
    row is a station when it shows a date.
    """
    rows = [tr for table in ctx.soup.select(_CONSULTATION_TABLES) for tr in table.select("tr")
            if tr.find("td") is not None and _DATE.search(one_line(tr) or "")]
    return [(_consultation_from_entry(ctx, tr, paper_id, position), tr) for position, tr in enumerate(rows, 1)]


def _consultations_tab_links(ctx: _Context, program: str) -> list[Link]:
    """Return the page's "Beratungen" tab as a Link of the kind its address names (``ag0053`` …).

    The address is the one the tab links: what program shows an Antrag's
    consultations is the install's choice, not ours to guess.
    """
    links = []
    for a in ctx.soup.select("#smcregister a[href]"):
        m = _PROGRAM_HREF.search(a["href"])
        label = f"{one_line(a) or ''} {a.get('title', '')}"
        if m and m.group(1).lower() != program and re.search(r"Beratung", label, re.I):
            links.append(Link(url=urljoin(ctx.page.url, a["href"].replace("&amp;", "&")), kind=m.group(1).lower()))
    return links


# --------------------------------------------------------------------------
# vo0053 / ag0053: Beratungen (the paper's consultations)


def _parse_vo0053(ctx: _Context) -> Parsed:
    """Return the consultations of a paper's or an Antrag's "Beratungen" tab.

    Each station is a ``div.card`` (Layout 6) or a table row (older layouts)
    holding a date, the meeting (``si0057/to0040?__ksinr=``, whose link title
    reads "Details anzeigen: <Gremium> <dd.mm.yyyy>"), possibly the agenda item
    (``to0050?__ktonr=``), the committee (``kp0040?__kgrnr=``) and the role or
    result text. Stations are numbered in page order (the position); the
    Consultation id is "<paper id>-<position>" ("ag-<kagnr>-<position>" for an Antrag).
    """
    paper_id = _paper_id_of_page(ctx)
    if not paper_id:
        raise ParseError(f"SessionNet {page_kind(ctx.page)} page without __kvonr or __kagnr: {ctx.page.url}")
    entries = _consultation_entries(ctx.soup)
    out: list[Item] = []
    follow: list[Link] = []
    for position, entry in enumerate(entries, 1):
        consultation = _consultation_from_entry(ctx, entry, paper_id, position)
        out.append(consultation)
        if consultation.meeting:
            follow.append(_meeting_link(ctx, consultation.meeting, entry))
        if consultation.agendaItem and entry.select_one('a[href*="to0050."]') is not None:
            follow.append(Link(url=ctx.program_url("to0050", __ktonr=consultation.agendaItem), kind="to0050"))
    # Documents shown with a station are the paper's (listed on vo0050, with
    # their roles) or the agenda item's (listed on the meeting page); they are
    # read there, not here, so each keeps one parent and one role.
    fields_seen = {} if _says_no_data(ctx.soup) else {"consultations": bool(entries)}
    return Parsed(items=out, follow=_unique(follow), fields_seen=fields_seen)


def _paper_id_of_page(ctx: _Context) -> str | None:
    """Return the Paper id a Beratungen page is about: "ag-<kagnr>" where its address names an Antrag, else the __kvonr."""
    kagnr = _param(ctx.page.url, "__kagnr")
    if kagnr:
        return _antrag_id(kagnr)
    kvonr = ctx.id_from_page("__kvonr")
    if kvonr:
        return kvonr
    kagnr = ctx.id_from_page("__kagnr")
    return _antrag_id(kagnr) if kagnr else None


def _consultation_entries(soup: BeautifulSoup) -> list[Tag]:
    """Return the page elements that each describe one consultation."""
    scope = soup.select_one("#page-content") or soup
    cards = [c for c in scope.select("div.card") if _DATE.search(_header_text(c) or "")]
    if cards:
        return cards
    rows = []
    for table in scope.select("table[id^=smc_page_vo0053_contenttable], table.smccontenttable"):
        rows += [tr for tr in table.select("tr") if tr.find("td") is not None and _DATE.search(one_line(tr) or "")]
    return rows


def _header_text(card: Tag) -> str | None:
    header = card.select_one(".card-header") or card.select_one("button")
    if header is None:
        return None
    header = _copy_without(header, ".smc-badges, .badge.smc-badge-count")
    return one_line(header)


def _consultation_from_entry(ctx: _Context, entry: Tag, paper_id: str, position: int) -> Consultation:
    """Return one consultation from its card or row.

    The fields come from the entry's own cells (``sidat``, ``grname``,
    ``bfrolle``, ``tobeschluss``) where it has them; otherwise from the meeting
    link's title and, for cards, the header line.
    """
    cells = _field_cells(entry)
    meeting_a = next((a for a in entry.select("a[href]") if _MEETING_LINK.search(a["href"])), None)
    ksinr = _MEETING_LINK.search(meeting_a["href"]).group(2) if meeting_a else None
    top_a = entry.select_one('a[href*="__ktonr="]')
    committee_a = entry.select_one('a[href*="__kgrnr="]')
    title_committee, title_date = _details_title(meeting_a)
    text = _header_text(entry) if entry.name == "div" else one_line(entry)
    header = _CARD_HEADER.match(text or "") if entry.name == "div" else None
    date_match = _DATE.search(text or "")
    role = _first_value(cells, "bfrolle", "bfrol", "bfost")
    result = _strip_label(_first_value(cells, "tobeschluss", "bfbeschluss", "beschluss"), "Beschluss")
    if header and role is None and result is None:
        # Without cells, the header's last part is the role the station was planned with.
        role = header.group("role")
    return Consultation(
        **ctx.common(),
        systemId=f"{paper_id}-{position}",
        paper=paper_id,
        position=position,
        meeting=ksinr,
        agendaItem=_param(top_a["href"], "__ktonr") if top_a else None,
        organization=_param(committee_a["href"], "__kgrnr") if committee_a else None,
        organizationName=(
            _first_value(cells, "grname", "sigrname")
            or (one_line(committee_a) if committee_a else None)
            or title_committee
            or (header.group("committee") if header else None)
        ),
        role=role,
        authoritative=(role == "Entscheidung") if role else None,
        dateRaw=cells.get("sidat") or title_date or (date_match.group(0) if date_match else None),
        resultRaw=result,
    )


def _first_value(cells: dict[str, str], *names: str) -> str | None:
    return next((cells[n] for n in names if cells.get(n)), None)


# A Layout 6 consultation card header: "10.06.2026 Sportausschuss TOP 8.1 öffentlich - Kenntnisnahme".
_CARD_HEADER = re.compile(
    r"^(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s+(?P<committee>.*?)"
    r"(?:\s+TOP\s+(?P<top>\S+))?(?:\s+(?:nicht\s*)?öffentlich)?(?:\s+-\s+(?P<role>.+))?$",
    re.I,
)


def _details_title(a: Tag | None) -> tuple[str | None, str | None]:
    """Return (committee, date) from a meeting link title "Details anzeigen: <Gremium> <dd.mm.yyyy>"."""
    if a is None:
        return None, None
    m = _DETAILS_TITLE.match(a.get("title", ""))
    return (m.group(1) or None, m.group(2)) if m else (None, None)


# --------------------------------------------------------------------------
# si0040: month calendar


def _parse_si0040(ctx: _Context) -> Parsed:
    """Return a Meeting per calendar entry and the agenda pages to follow.

    The calendar entry has the same id (``__ksinr``) as the meeting page, so
    the two merge. Its date comes from the link title "Details anzeigen:
    <Gremium> <dd.mm.yyyy>", else from the day cell and the month of the page.
    Meetings are followed on ``si0057`` (or ``to0040`` where the calendar links
    that); because ``si0057`` needs the calendar's session cookie and some
    installs refuse it anyway, the link carries ``to0040`` as ``meta["fallback"]``.
    """
    table = ctx.soup.select_one("table[id^=smc_page_si0040_contenttable]")
    if table is None:
        raise ParseError(f"SessionNet si0040 page without table#smc_page_si0040_contenttable1: {ctx.page.url}")
    year, month = _calendar_month(ctx)
    items: list[Item] = []
    follow: list[Link] = []
    seen: set[str] = set()
    day: int | None = None
    for tr in table.select("tr"):
        day_cell = tr.select_one("td.smc_fct_day")
        if day_cell is not None:
            m = re.match(r"\s*(\d{1,2})", one_line(day_cell) or "")
            if m:
                day = int(m.group(1))
        link = next((a for a in tr.select("a[href]") if _MEETING_LINK.search(a["href"])), None)
        ksinr = _MEETING_LINK.search(link["href"]).group(2) if link else _ics_key(tr)
        if ksinr is None or ksinr in seen:
            continue
        seen.add(ksinr)
        committee, date_raw = _details_title(link)
        if date_raw is None and day and month and year:
            date_raw = f"{day:02d}.{month:02d}.{year}"
        time_raw, room = _calendar_time_and_room(tr)
        meeting = Meeting(
            **ctx.common(),
            systemId=ksinr,
            name=one_line(link) if link else one_line(tr.select_one("td.silink .smc-el-h, td.silink h4, td.silink")),
            organizationName=committee,
            dateRaw=date_raw,
            timeRaw=time_raw,
            room=room,
        )
        items.append(meeting)
        docs_cell = tr.select_one("td.sidocs") or tr
        files = _documents(docs_cell, ctx, "Meeting", ksinr)
        items += files
        follow += _file_links(files) + _paper_links(ctx, tr)
        if link is not None:
            follow.append(_meeting_link(ctx, ksinr, tr))
    # A month without meetings is no failure; the table itself is checked above.
    return Parsed(items=items, follow=_unique(follow), fields_seen={"calendarTable": True})


def _calendar_month(ctx: _Context) -> tuple[int | None, int | None]:
    """Return the (year, month) a calendar page shows: from its URL, else from its heading."""
    year, month = _param(ctx.page.url, "__cjahr"), _param(ctx.page.url, "__cmonat")
    if year and month and year.isdigit() and month.isdigit():
        return int(year), int(month)
    heading = one_line(ctx.soup.select_one("h1")) or one_line(ctx.soup.title) or ""
    m = re.search(r"(\d{4})\s+(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)", heading)
    if m:
        return int(m.group(1)), _MONTHS.index(m.group(2)) + 1
    return None, None


_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]


def _ics_key(tr: Tag) -> str | None:
    """Return the meeting number of a calendar entry without agenda link, from its iCal export link."""
    a = tr.select_one('a[href*="yvcs."][href*="key="]')
    return _param(a["href"], "key") if a else None


def _calendar_time_and_room(tr: Tag) -> tuple[str | None, str | None]:
    """Return (time, room) of a calendar entry: the detail list (Layouts 5/6) or the time cell (Layout 4)."""
    time_cell = tr.select_one("td.smc_field_yytime")
    if time_cell is not None:
        return one_line(time_cell), None
    details = [one_line(li) for li in tr.select("ul.smc-detail-list > li")]
    details = [d for d in details if d]
    time_raw = details.pop(0) if details and _TIME.search(details[0]) else None
    return time_raw, (details[0] if details else None)


def _meeting_link(ctx: _Context, ksinr: str, scope: Tag) -> Link:
    """Return the agenda page of a meeting, preferring what the page links (si0057, si0056 or to0040)."""
    programs = {m.group(1) for a in scope.select("a[href]") for m in [_MEETING_LINK.search(a["href"])] if m}
    fallback = ctx.program_url("to0040", __ksinr=ksinr)
    if "si0057" in programs or not programs or programs == {"si0050"}:
        return Link(url=ctx.program_url("si0057", __ksinr=ksinr), kind="si0057", meta={"fallback": fallback})
    if "to0040" in programs:
        return Link(url=fallback, kind="to0040")
    return Link(url=ctx.program_url("si0056", __ksinr=ksinr), kind="si0056", meta={"fallback": fallback})


# --------------------------------------------------------------------------
# si0057 / si0056 / si0050 / to0040: meeting and agenda


def _parse_meeting(ctx: _Context) -> Parsed:
    ksinr = ctx.id_from_page("__ksinr")
    if not ksinr:
        raise ParseError(f"SessionNet meeting page without __ksinr: {ctx.page.url}")
    meeting = _meeting_header(ctx, ksinr)
    agenda_scope = _agenda_scope(ctx.soup)
    tops = _agenda_entries(ctx, ksinr, agenda_scope)
    header_scope = _without(ctx.soup.select_one("#page-content") or ctx.soup.body or ctx.soup, agenda_scope)
    files = _documents(header_scope, ctx, "Meeting", ksinr) if header_scope is not None else []
    items: list[Item] = [meeting, *files]
    follow = _file_links(files)
    for top, top_files, links in tops:
        items.append(top)
        items += top_files
        follow += links + _file_links(top_files)
    if not tops and agenda_scope is None and meeting.dateRaw is None:
        raise ParseError(f"SessionNet meeting page with neither header nor agenda: {ctx.page.url}")
    fields_seen = {
        "organizationName": meeting.organizationName is not None,
        "dateRaw": meeting.dateRaw is not None,
    }
    # A meeting whose agenda is not published yet says so; only other pages
    # are expected to show agenda items.
    if agenda_scope is not None or not _says_no_data(ctx.soup):
        fields_seen["agenda"] = bool(tops)
    return Parsed(items=_unique_items(items), follow=_unique(follow), fields_seen=fields_seen)


def _meeting_header(ctx: _Context, ksinr: str) -> Meeting:
    """Return the Meeting from the header fields, else from the heading "<Gremium> - dd.mm.yyyy - hh:mm Uhr"."""
    cells = _field_cells(ctx.soup)
    heading = one_line(ctx.soup.select_one("h1.smc_h1")) or re.sub(r"^SessionNet\s*\|\s*", "", one_line(ctx.soup.title) or "")
    h = _HEADING_DATE.match(heading or "")
    committee_a = ctx.soup.select_one('.sigrname a[href*="__kgrnr="]')
    place_label = (one_line(ctx.soup.select_one(".siort_title")) or "").lower()
    place = cells.get("siort")
    return Meeting(
        **ctx.common(),
        systemId=ksinr,
        name=cells.get("siname"),
        organization=_param(committee_a["href"], "__kgrnr") if committee_a else None,
        organizationName=cells.get("sigrname") or (h.group(1).strip() if h else None),
        dateRaw=cells.get("sidat") or (h.group(2) if h else None),
        timeRaw=cells.get("yytime") or (h.group(3) if h else None),
        room=None if place_label.startswith("ort") else place,
        locality=place if place_label.startswith("ort") else None,
    )


def _agenda_scope(soup: BeautifulSoup) -> Tag | None:
    """Return the element holding the agenda: the TOP table, or the card accordion of si0056."""
    for selector in ("table[id^=smc_page_si0057_contenttable]", "table[id^=smc_page_to0040_contenttable]",
                     "table[id^=smc_page_si0050_contenttable]", "table.smctablesitzung", "#smcaccordion"):
        found = soup.select_one(selector)
        if found is not None:
            return found
    return None


def _agenda_entries(ctx: _Context, ksinr: str, scope: Tag | None) -> list[tuple[AgendaItem, list[File], list[Link]]]:
    """Return each agenda item with its documents and links, in page order.

    Section rows ("Öffentlicher Teil:", "Nicht öffentlicher Teil: Beginn 18:17 Uhr")
    set whether the following items are public where the number carries no Ö/N.
    """
    if scope is None:
        return []
    out: list[tuple[AgendaItem, list[File], list[Link]]] = []
    public: bool | None = None
    rows = scope.select("div.card") if scope.name == "div" else scope.select("tr")
    for row in rows:
        section = _section_heading(row)
        if section is not None:
            public = _public_from_heading(section)
            continue
        if _is_result_row(row):
            if out:
                _apply_result_row(out[-1][0], row)
            continue
        number_raw = _top_number(row)
        name = _top_name(row)
        if number_raw is None and name is None:
            continue
        prefix, _ = _split_top_number(number_raw)
        order = len(out) + 1
        ktonr = _ktonr(row)
        paper_id, paper_a = _linked_paper(row)
        item = AgendaItem(
            **ctx.common(),
            systemId=ktonr or _derived_top_id(ksinr, number_raw, order),
            meeting=ksinr,
            number=number_raw,
            order=order - 1,  # OParl: 0-based position in the meeting
            name=name,
            public={"Ö": True, "N": False}.get(prefix or "", public),
            paper=paper_id,
            paperReference=one_line(paper_a) if paper_a else None,
        )
        _apply_inline_result(item, row)
        parent_type, parent = ("Paper", paper_id) if paper_id else ("AgendaItem", item.systemId)
        files = _documents(row, ctx, parent_type, parent, paper_roles=bool(paper_id))
        links = _paper_links(ctx, row)
        if ktonr and row.select_one('a[href*="to0050."]') is not None:
            links.append(Link(url=ctx.program_url("to0050", __ktonr=ktonr), kind="to0050"))
        out.append((item, files, links))
    return out


def _section_heading(row: Tag) -> str | None:
    """Return the text of a section row ("Öffentlicher Teil:"), or None for other rows."""
    if row.name == "tr":
        classes = row.get("class", [])
        if "smcrowh" in classes or row.select_one("td.totrenn") is not None:
            return one_line(row) or ""
        return None
    if row.select_one(".badge") is None and row.select_one(".card-header-title") is not None:
        return one_line(row.select_one(".card-header-title")) or ""
    return None


def _public_from_heading(text: str) -> bool | None:
    if re.search(r"nicht\s*-?\s*öffentlich|nichtöffentlich|vertraulich", text, re.I):
        return False
    if re.search(r"öffentlich", text, re.I):
        return True
    return None


def _top_number(row: Tag) -> str | None:
    """Return the printed agenda number ("Ö 1", "3.1"), without addendum notes ("Nachtrag: …")."""
    cell = row.select_one("td.tofnum, td.smc_tophn") or row.select_one(".card-header .badge:not(.smc-badge-count)")
    if cell is None:
        return None
    badge = cell.select_one("span.badge") or cell
    badge = _copy_without(badge, ".smcf_tondat, .smcf_tondat_star")
    return one_line(badge)


def _top_name(row: Tag) -> str | None:
    cell = row.select_one("td.tobetr, td.smc_topht") or row.select_one(".smc-card-text-title")
    if cell is None:
        return None
    title = cell.select_one(".smc-card-header-title-simple")
    if title is not None:
        return one_line(title)
    return one_line(_copy_without(cell, "p[class*=smc_field_smcdv0_], .smc-documents, table.smcdocbox"))


def _split_top_number(raw: str | None) -> tuple[str | None, str | None]:
    """Return (Ö/N prefix, number) of a printed agenda number; ``number`` itself stays as printed ("Ö 1")."""
    if not raw:
        return None, None
    m = _TOP_NUMBER.match(raw)
    if m:
        return m.group(1), m.group(2).strip() or None
    return None, raw


def _ktonr(row: Tag) -> str | None:
    """Return the agenda item's number: its to0050 link, the row id or the card's to0058 request."""
    a = row.select_one('a[href*="__ktonr="]')
    if a is not None:
        return _param(a["href"], "__ktonr")
    m = re.match(r"smc_contol_to_\d+_(\d+)$", row.get("id", ""))
    if m:
        return m.group(1)
    m = re.search(r"to0058\.(?:asp|php)\?smctonr=(\d+)", str(row.select_one("[onclick]") or ""))
    return m.group(1) if m else None


def _derived_top_id(ksinr: str, number_raw: str | None, order: int) -> str:
    """Return an id for an agenda item the page shows without one: meeting number and printed number.

    The printed number ("Ö 1", "N 1") is what the same item shows on every
    agenda page of the meeting (si0057 and to0040), unlike the position.
    """
    number = re.sub(r"\s+", "", number_raw or "")
    return f"{ksinr}-{number or f'pos{order}'}"


def _is_result_row(row: Tag) -> bool:
    return row.name == "tr" and "smc_tophz" in row.get("class", [])


def _apply_result_row(item: AgendaItem, row: Tag) -> None:
    """Take "Beschluss:" / "Abstimmung:" from a Layout 4 result row into the agenda item before it."""
    label_cell = row.select_one("td.smc_topr")
    if label_cell is None:
        return
    value_cell = label_cell.find_next_sibling("td")
    label, value = (one_line(label_cell) or "").rstrip(": ").lower(), one_line(value_cell)
    if label.startswith("beschluss") and item.resultRaw is None:
        item.resultRaw = value
    elif label.startswith("abstimmung") and item.voteRaw is None:
        item.voteRaw = value


def _apply_inline_result(item: AgendaItem, row: Tag) -> None:
    """Take the result paragraphs Layout 6 prints in the row (``p.smc_field_smcdv0_box2_beschluss`` …)."""
    for p in row.select("p[class*=smc_field_smcdv0_]"):
        classes = " ".join(p.get("class", []))
        value = one_line(p)
        if value is None:
            continue
        if "_beschluss" in classes and item.resultRaw is None:
            item.resultRaw = re.sub(r"^Beschluss:\s*", "", value) or None
        elif "_abstimmung" in classes and item.voteRaw is None:
            item.voteRaw = re.sub(r"^Abstimmung:\s*", "", value) or None


# --------------------------------------------------------------------------
# to0050: agenda item detail


def _parse_to0050(ctx: _Context) -> Parsed:
    """Return the agenda item of a TOP detail page: result, vote and resolution text."""
    ktonr = ctx.id_from_page("__ktonr")
    if not ktonr:
        raise ParseError(f"SessionNet to0050 page without __ktonr: {ctx.page.url}")
    cells = _field_cells(ctx.soup)
    meeting_a = next((a for a in ctx.soup.select("a[href]") if _MEETING_LINK.search(a["href"])), None)
    paper_id, paper_a = _linked_paper(ctx.soup)
    number_raw = cells.get("tofnum") or cells.get("tonr")
    prefix, _ = _split_top_number(number_raw)
    item = AgendaItem(
        **ctx.common(),
        systemId=ktonr,
        meeting=_MEETING_LINK.search(meeting_a["href"]).group(2) if meeting_a else None,
        number=number_raw,
        name=cells.get("tobetr") or one_line(ctx.soup.select_one("h1.smc_h1")),
        public={"Ö": True, "N": False}.get(prefix or ""),
        paper=paper_id,
        paperReference=one_line(paper_a) if paper_a else None,
        resultRaw=_strip_label(cells.get("tobeschluss") or cells.get("beschluss"), "Beschluss"),
        voteRaw=_strip_label(cells.get("toabstimmung") or cells.get("abstimmung"), "Abstimmung"),
    )
    _apply_inline_result(item, ctx.soup)
    for row in ctx.soup.select("tr.smc_tophz"):
        _apply_result_row(item, row)
    texts = [paragraphs(div) for div in ctx.soup.select("div.smcdocmsword")]
    item.resolutionText = "\n\n".join(t for t in texts if t) or None
    # As on the agenda page: documents of an item with a paper are the paper's.
    parent_type, parent = ("Paper", item.paper) if item.paper else ("AgendaItem", ktonr)
    scope = ctx.soup.select_one("#page-content") or ctx.soup
    files = _documents(scope, ctx, parent_type, parent, paper_roles=bool(item.paper))
    # Items of meetings still to come have no result and no text yet: those
    # fields count only where the page has a place for them.
    fields_seen = {"name": item.name is not None}
    if _has_result_field(ctx.soup):
        fields_seen["resultRaw"] = item.resultRaw is not None
    follow = _paper_links(ctx, ctx.soup) + _file_links(files)
    return Parsed(items=[item, *files], follow=_unique(follow), fields_seen=fields_seen)


def _has_result_field(soup: BeautifulSoup) -> bool:
    """Return whether a TOP page has a place for a result (label cell, result paragraph or result row)."""
    return soup.select_one(".tobeschluss_title, .tobeschluss, p[class*=_beschluss], tr.smc_tophz") is not None


def _says_no_data(soup: BeautifulSoup) -> bool:
    """Return whether the page states it has nothing to show yet ("noch keine Tagesordnung veröffentlicht")."""
    if soup.select_one(".smc-no-data") is not None:
        return True
    body = one_line(soup.select_one("#page-content") or soup.body) or ""
    return bool(re.search(r"keine (Tagesordnung|Tagesordnungspunkte|Daten|Beratungen)", body))


def _strip_label(value: str | None, label: str) -> str | None:
    if value is None:
        return None
    return re.sub(rf"^{label}:\s*", "", value) or None


# --------------------------------------------------------------------------
# gr0040: committees


def _parse_gr0040(ctx: _Context) -> Parsed:
    """Return an Organization per row of the committee list, its last meeting, and the member lists to follow.

    Committees and factions share the list; the page does not say which is
    which, so ``organizationType`` stays empty. A row without a member-list link
    ("Dringlichkeitssitzung") still names its number in the meetings link
    (``__ksigrnr``).
    """
    table = ctx.soup.select_one("table[id^=smc_page_gr0040_contenttable]")
    if table is None:
        raise ParseError(f"SessionNet gr0040 page without table#smc_page_gr0040_contenttable1: {ctx.page.url}")
    items: list[Item] = []
    follow: list[Link] = []
    for tr in table.select("tr"):
        cell = tr.select_one("td.grname")
        if cell is None:
            continue
        member_a = cell.select_one('a[href*="__kgrnr="]')
        grnr = _param(member_a["href"], "__kgrnr") if member_a else None
        if grnr is None:
            grnr = next((_param(a["href"], k) for a in tr.select("a[href]") for k in ("__ksigrnr", "__kgsgrnr", "__kgrnr")
                         if _param(a["href"], k)), None)
        if grnr is None:
            continue
        name = one_line(cell)
        items.append(Organization(**ctx.common(), systemId=grnr, name=name))
        if member_a is not None:
            follow.append(Link(url=ctx.program_url("kp0040", __kgrnr=grnr), kind="kp0040"))
        # The "last meeting" link is the one place that ties a meeting to its
        # committee's number (meeting pages name the committee only in words).
        for a in tr.select("td.silast a[href]"):
            m = _MEETING_LINK.search(a["href"])
            if m:
                _, title_date = _details_title(a)
                items.append(Meeting(**ctx.common(), systemId=m.group(2), organization=grnr, organizationName=name,
                                     dateRaw=title_date or one_line(a)))
    organizations = sum(isinstance(i, Organization) for i in items)
    return Parsed(items=_unique_items(items), follow=_unique(follow), fields_seen={"organizations": organizations > 0})


# --------------------------------------------------------------------------
# kp0040: committee members


def _parse_kp0040(ctx: _Context) -> Parsed:
    """Return the committee, its members (Persons) and their Memberships.

    Group header rows ("Vorsitz:", "Ausschussmitglieder mit Stimmrecht:",
    "… mit beratender Stimme:") give the voting right and, where they name a
    function rather than a kind of member, the role. Members without a person
    page (sachkundige Bürger) get the id "<kgrnr>-<name slug>". The second table
    ("Mitgliedschaft beendet") holds ended memberships with their dates.
    """
    grnr = ctx.id_from_page("__kgrnr")
    if not grnr:
        raise ParseError(f"SessionNet kp0040 page without __kgrnr: {ctx.page.url}")
    tables = ctx.soup.select("table[id^=smc_page_kp0040_contenttable]")
    if not tables:
        raise ParseError(f"SessionNet kp0040 page without table#smc_page_kp0040_contenttable1: {ctx.page.url}")
    items: list[Item] = [Organization(**ctx.common(), systemId=grnr, name=one_line(ctx.soup.select_one("h1.smc_h1")))]
    membership_ids: set[str] = set()
    for table in tables:
        header = ""
        for tr in table.select("tr"):
            head_cell = tr.select_one("td[class*=puname]")
            if head_cell is not None:
                header = one_line(head_cell) or ""
                continue
            name_cell = tr.select_one("td.pename")
            if name_cell is None:
                continue
            items += _member(ctx, grnr, tr, name_cell, header, membership_ids)
    persons = sum(isinstance(i, Person) for i in items)
    return Parsed(items=_unique_items(items), fields_seen={"members": persons > 0})


def _member(ctx: _Context, grnr: str, tr: Tag, name_cell: Tag, header: str, membership_ids: set[str]) -> list[Item]:
    name = one_line(name_cell)
    if not name:
        return []
    person_a = name_cell.select_one('a[href*="__kpenr="]')
    person_id = _param(person_a["href"], "__kpenr") if person_a else f"{grnr}-{_slug(name)}"
    amname = one_line(_first_cell(tr, "amname"))
    party = one_line(_first_cell(tr, "pepartei"))
    start, end = _date(one_line(_first_cell(tr, "mgadat"))), _date(one_line(_first_cell(tr, "mgedat")))
    membership_id = f"{grnr}-{person_id}" + (f"-{start.isoformat()}" if end else "")
    while membership_id in membership_ids:
        membership_id += "+"
    membership_ids.add(membership_id)
    person = Person(**ctx.common(), systemId=person_id, name=name)
    membership = Membership(
        **ctx.common(),
        systemId=membership_id,
        person=person_id,
        organization=grnr,
        role=_member_role(header, amname),
        votingRight=_voting_right(header, amname),
        startDate=start,
        endDate=end,
        onBehalfOfName=party,
    )
    return [person, membership]


def _first_cell(tr: Tag, cls: str) -> Tag | None:
    """Return the row's cell of this class, skipping the duplicate SessionNet prints for small screens."""
    for td in tr.select(f"td.{cls}"):
        if "smc-table-cell-block-991" not in td.get("class", []):
            return td
    return None


def _member_role(header: str, amname: str | None) -> str | None:
    """Return the member's role: the group header where it names a function ("Vorsitz"), else "Art der Mitarbeit"."""
    function = header.rstrip(":").strip()
    if function and not re.search(r"mitglied|stimm", function, re.I):
        return function
    return amname


def _voting_right(header: str, amname: str | None) -> bool | None:
    both = f"{header} {amname or ''}"
    if re.search(r"beratend", both, re.I):
        return False
    if re.search(r"mit Stimmr", both, re.I):
        return True
    return None


def _slug(name: str) -> str:
    """Return a lower-case ASCII slug of a name ("Frauke Däumer" → "frauke-daeumer")."""
    text = name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _date(raw: str | None) -> dt.date | None:
    m = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", raw or "")
    return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


_PARSERS = {
    "vo0050": _parse_vo0050,
    "vo0053": _parse_vo0053,
    "ag0050": _parse_ag0050,
    "ag0053": _parse_vo0053,
    "si0040": _parse_si0040,
    "si0057": _parse_meeting,
    "si0056": _parse_meeting,
    "si0050": _parse_meeting,
    "to0040": _parse_meeting,
    "to0050": _parse_to0050,
    "gr0040": _parse_gr0040,
    "kp0040": _parse_kp0040,
}


# --------------------------------------------------------------------------
# Documents


def _documents(scope: Tag, ctx: _Context, parent_type: str, parent: str, paper_roles: bool = False) -> list[File]:
    """Return the documents (``getfile?id=N``) linked in ``scope``, once each, in page order.

    Layout 6 prints each document twice (icon button and name link) inside a
    ``div.smc-d-el``, marks attachments with ``smc-d-ex`` and the document type
    in ``i.smc-doc-dakurz``; Layout 4 prints ``table.smcdocbox`` rows with the
    size in ``span.smcdosize``. For papers the first non-attachment is the main
    file; for meetings the name decides (Einladung/Tagesordnung/Bekanntmachung →
    invitation, Niederschrift/Protokoll → resultsProtocol).
    """
    found: dict[str, dict] = {}
    for a in scope.select('a[href*="getfile."]'):
        file_id = _param(a["href"], "id")
        if not file_id:
            continue
        entry = found.setdefault(file_id, {"names": [], "attachment": False, "mime": None})
        text = one_line(_copy_without(a, ".smcdosize, .sr-only"))
        if text:
            entry["names"].append(text)
        if a.get("title") and not a["title"].startswith("Dokument Download"):
            entry.setdefault("title", a["title"].strip())
        box = a.find_parent("div", class_="smc-d-el")
        if box is not None and "smc-d-ex" in box.get("class", []):
            entry["attachment"] = True
        m = re.search(r"Dateityp:\s*(\w+)", a.get("title", "")) or re.search(r"im/(\w+)\.gif", str(a.select_one("img") or ""))
        if m and m.group(1).lower() in _MIME:
            entry["mime"] = _MIME[m.group(1).lower()]
    out: list[File] = []
    main_taken = False
    for position, (file_id, entry) in enumerate(found.items(), 1):
        name = max(entry["names"], key=len) if entry["names"] else entry.get("title")
        attachment = entry["attachment"] or bool(name and re.match(r"Anlage\b", name))
        if paper_roles:
            role = "mainFile" if not attachment and not main_taken else "auxiliaryFile"
            main_taken = main_taken or role == "mainFile"
        else:
            role = _meeting_file_role(name) if parent_type == "Meeting" else "auxiliaryFile"
        url = ctx.program_url("getfile", id=file_id, type="do")
        out.append(
            File(
                **ctx.common(),
                systemId=file_id,
                parentType=parent_type,
                parent=parent,
                role=role,
                position=position,
                name=name,
                mimeType=entry["mime"],
                accessUrl=url,
                downloadUrl=url,
            )
        )
    return out


def _meeting_file_role(name: str | None) -> str:
    if name and re.search(r"einladung|tagesordnung|bekanntmachung", name, re.I):
        return "invitation"
    if name and re.search(r"wortprotokoll", name, re.I):
        return "verbatimProtocol"
    if name and re.search(r"niederschrift|protokoll", name, re.I):
        return "resultsProtocol"
    return "auxiliaryFile"


def _file_links(files: list[File]) -> list[Link]:
    return [
        Link(url=f.accessUrl, kind="file", meta={"file": f.systemId, "parentType": f.parentType, "parent": f.parent})
        for f in files
        if f.accessUrl
    ]


# --------------------------------------------------------------------------
# Links to papers: Vorlagen (vo0050?__kvonr=) and Anträge (ag0050?__kagnr=)

_VORLAGE_LINK = 'a[href*="vo0050."][href*="__kvonr="]'
_ANTRAG_LINK = 'a[href*="ag0050."][href*="__kagnr="]'


def _linked_paper(scope: Tag) -> tuple[str | None, Tag | None]:
    """Return (Paper id, link) of the paper an agenda row or TOP page links, else (None, None).

    A Vorlage comes before an Antrag: an item that names both is about the
    Vorlage (the administration's paper on the Antrag); the Antrag is still followed.
    """
    a = scope.select_one(_VORLAGE_LINK)
    if a is not None:
        return _param(a["href"], "__kvonr"), a
    a = scope.select_one(_ANTRAG_LINK)
    if a is not None:
        kagnr = _param(a["href"], "__kagnr")
        return (_antrag_id(kagnr) if kagnr else None), a
    return None, None


def _paper_links(ctx: _Context, scope: Tag) -> list[Link]:
    """Return a vo0050 or ag0050 Link for every Vorlage and Antrag linked in ``scope``, in page order."""
    links = []
    for a in scope.select(f"{_VORLAGE_LINK}, {_ANTRAG_LINK}"):
        kvonr, kagnr = _param(a["href"], "__kvonr"), _param(a["href"], "__kagnr")
        if "vo0050." in a["href"] and kvonr:
            links.append(Link(url=ctx.program_url("vo0050", __kvonr=kvonr), kind="vo0050"))
        elif kagnr:
            links.append(Link(url=ctx.program_url("ag0050", __kagnr=kagnr), kind="ag0050"))
    return _unique(links)


# --------------------------------------------------------------------------
# Small helpers


def _field_cells(soup: BeautifulSoup | Tag) -> dict[str, str]:
    """Return the header fields by SessionNet field name (``vobetr``, ``sidat`` …).

    Layouts 5/6 print value cells ``.smc-table-cell.<field>`` beside label
    cells ``.<field>_title``. Table layouts print ``td.smc_field_<field>`` or
    only a label cell ("Betreff:") before the value; those fill what the
    class-named cells leave open.
    """
    out: dict[str, str] = {}
    for cell in soup.select(".smc-table-cell, .smc-table-cell_r"):
        classes = cell.get("class", [])
        if "smc-cell-head" in classes:
            continue
        for cls in classes:
            if re.fullmatch(r"[a-z]{4,}", cls) and not cls.startswith("smc") and cls not in out:
                value = one_line(cell)
                if value is not None:
                    out[cls] = value
    for cell in soup.select("td[class*=smc_field_], div[class*=smc_field_]"):
        for cls in cell.get("class", []):
            m = re.fullmatch(r"smc_field_([a-z]{4,})", cls)
            if m and m.group(1) not in out and one_line(cell):
                out[m.group(1)] = one_line(cell) or ""
    for label_cell in soup.select("td, th, dt"):
        if label_cell.find(["td", "table"]) is not None:
            continue
        field = _LABELLED_FIELDS.get((one_line(label_cell) or "").rstrip(": ").lower())
        value_cell = label_cell.find_next_sibling(["td", "dd"])
        if field and field not in out and value_cell is not None and one_line(value_cell):
            out[field] = one_line(value_cell) or ""
    return out


# Labels of table layouts and the field each names.
_LABELLED_FIELDS = {
    "betreff": "vobetr", "vorlage": "voname", "vorlagen-nr.": "voname", "drucksache": "voname",
    "art": "vovaname", "vorlagenart": "vovaname", "vorlage-art": "vovaname", "aktenzeichen": "voakz",
    "sitzung": "siname", "gremium": "sigrname", "datum": "sidat", "zeit": "yytime", "raum": "siort",
}


def _copy_without(el: Tag, selector: str) -> Tag:
    """Return a copy of ``el`` without the descendants matching ``selector``."""
    copy = BeautifulSoup(str(el), "lxml")
    root = copy.find(el.name) or copy
    for found in root.select(selector):
        found.decompose()
    return root


def _without(scope: Tag | None, part: Tag | None) -> Tag | None:
    """Return a copy of ``scope`` without the element ``part`` (the agenda, to read the header alone)."""
    if scope is None:
        return None
    if part is None:
        return scope
    marker = "smc-ratsinfo-cut"
    part["data-cut"] = marker
    copy = BeautifulSoup(str(scope), "lxml")
    del part["data-cut"]
    for found in copy.select(f'[data-cut="{marker}"]'):
        found.decompose()
    return copy


def _param(url: str, name: str) -> str | None:
    """Return one query parameter of a URL (``&amp;`` tolerated)."""
    values = parse_qs(urlsplit(url.replace("&amp;", "&")).query).get(name)
    return values[0] if values else None


def _unique(links: list[Link]) -> list[Link]:
    seen: dict[tuple[str, str], Link] = {}
    for link in links:
        seen.setdefault((link.url, link.kind), link)
    return list(seen.values())


def _unique_items(items: list[Item]) -> list[Item]:
    """Return the items with each (type, systemId) once, the first kept."""
    seen: dict[tuple[str, str], Item] = {}
    for item in items:
        seen.setdefault((item.type, item.systemId), item)
    return list(seen.values())


def generation(page: Page) -> str:
    """Return the SessionNet version, layout and program extension the page shows, e.g. 'SessionNet 5.5.4 (Layout 6), .asp'."""
    head = page.text[:20000]
    parts = ["SessionNet"]
    author = _META_AUTHOR.search(head)
    code = _META_VERSION.search(head)
    version = layout = None
    if author:
        m = re.search(r"SessionNet Version (\d+(?:\.\d+)+).*?\(Layout (\d+)\)", author.group(1))
        if m:
            version, layout = m.group(1), m.group(2)
    if version is None and code:
        m = re.match(r"V:(\d{2})(\d{2})(\d{2})", code.group(1))
        if m:
            version = ".".join(str(int(x)) for x in m.groups())
    if version:
        parts.append(version)
    if layout:
        parts.append(f"(Layout {layout})")
    program = _PROGRAM_URL.search(urlsplit(page.url).path)
    ext = program.group(2).lower() if program else None
    if ext is None:
        asp, php = len(re.findall(r"\b[a-z]{2}\d{4}\.asp\b", page.text)), len(re.findall(r"\b[a-z]{2}\d{4}\.php\b", page.text))
        ext = "php" if php > asp else "asp" if asp else None
    return " ".join(parts) + (f", .{ext}" if ext else "")
