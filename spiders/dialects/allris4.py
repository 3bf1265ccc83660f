"""ALLRIS net 4.x (``/public/``, Apache Wicket): papers, meetings, agendas, calendar.

Pages and what they give:

* ``vo020?VOLFDNR=``  Paper + its Beratungsfolge (Consultations) + stable documents.
* ``to010?SILFDNR=``  Meeting + AgendaItems (``table#toTreeTable``) + documents.
* ``to020?TOLFDNR=``  AgendaItem detail (result, resolution text); no page of this
  kind is in the corpus, so that parser reads labels and section titles only.
* ``si010?MM=&YY=``   the month calendar. The page itself is a shell: Wicket loads
  the table by an Ajax request (``si010?0-1.0-&MM=&YY=``) that needs the session
  cookie of the shell page. The shell names that request; we follow it as kind
  ``si010_ajax`` with the Wicket headers in ``Link.meta["headers"]``.

Everything is keyed by element ids (``#vobetreff``, ``#vofamt``, ``#sidatum`` …)
and classes (``table.bfTable``, ``td.tonr``), which ALLRIS keeps across installs,
while labels (``Federführend:`` / ``Federführung:``) and columns vary.

Identifiers: VOLFDNR (Paper), SILFDNR (Meeting), TOLFDNR (AgendaItem), GRLFDNR as
``gr-<n>`` (Organization), ``doc<NNN>`` (File). Only documents under
``wicket/resource/org.apache.wicket.Application/docNNN.<ext>`` are recorded:
Wicket listener links (``vo020?0--attachments-…-link``) belong to one page
instance and expire with it, so they are neither identifiers nor URLs to store.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from schemas.items import AgendaItem, Consultation, File, Item, Meeting, Paper
from spiders.dialects.html import Element, children, classes, find, find_all, next_sibling, parse_html, select, select_one
from spiders.dialects.html_text import one_line, paragraphs, text_lines
from spiders.dialects.base import Link, Page, Parsed, ParseError, year_months

NAME = "allris4"

_VERSION_META = re.compile(r"<meta\b[^>]*\bcontent=\"(ALLRIS net Version 4[^\"]*)\"[^>]*>", re.I)
_PUBLIC_PAGE = re.compile(r"/public/(vo020|to010|to020|si010|gr020|gr010|kp020|si018|vo040)(?:[?#]|$)")
_STABLE_DOC = re.compile(r"wicket/resource/org\.apache\.wicket\.Application/(doc(\d+)\.(\w+))")
_AJAX_CALENDAR = re.compile(r"\"u\":\"\./(si010\?[0-9.-]+-&[^\"]*)\"")
_CDATA_COMPONENT = re.compile(r"<component\b[^>]*><!\[CDATA\[(.*?)\]\]></component>", re.S)
_REFUSED = re.compile(
    r"Zugriff verweigert|Keine Berechtigung|nicht berechtigt|Access Denied|Seite ist abgelaufen|Page Expired",
    re.I,
)
_MIME = {"pdf": "application/pdf", "doc": "application/msword", "docx":
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xls": "application/vnd.ms-excel", "jpg": "image/jpeg", "png": "image/png"}

# Section titles of vo020 text blocks and the Paper field each fills.
_TEXT_FIELDS = (
    (re.compile(r"beschlussvorschlag|beschlussempfehlung|empfehlung", re.I), "beschlussvorschlag"),
    (re.compile(r"sachverhalt|sachdarstellung", re.I), "sachverhalt"),
    (re.compile(r"begründung", re.I), "begruendung"),
    (re.compile(r"^beschluss", re.I), "beschluss"),
)
_NOT_TEXT_SECTIONS = re.compile(r"^(beratungsfolge|anlagen|tagesordnung)$", re.I)


# --------------------------------------------------------------------------
# Detection


def detect(page: Page) -> str | None:
    """Return why the page is ALLRIS net 4.x, or None."""
    m = _VERSION_META.search(page.text)
    if m:
        return f"meta description {m.group(1)!r}"
    if _is_ajax_response(page) and "calenderView" in page.text:
        return "Wicket Ajax response with an ALLRIS calendar (table.calenderView)"
    path = urlsplit(page.url).path
    if _PUBLIC_PAGE.search(path + "?") and ('id="allris"' in page.text or "wicket" in page.text):
        return f"URL shape {path} with the Wicket page frame div#allris"
    return None


def page_kind(page: Page) -> str | None:
    """Return the ALLRIS program of the page (``vo020``, ``to010``, ``si010_ajax`` …)."""
    if _is_ajax_response(page):
        return "si010_ajax" if "calenderView" in page.text else "ajax"
    program = urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1]
    if re.fullmatch(r"[a-z]{2}\d{3}", program):
        return program
    # Pages saved or redirected without their program name: recognise by ids.
    for marker, kind in (('id="vobetreff"', "vo020"), ('id="toTreeTable"', "to010"), ("calenderView", "si010")):
        if marker in page.text:
            return kind
    return None


def is_refused(page: Page) -> bool:
    """Return True for ALLRIS' access-denied and expired-page answers."""
    if _is_ajax_response(page):
        return False
    return _refused(page, parse_html(page.text))


# The text a reader sees in the body (not scripts, styles or comments).
_BODY_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style)]")


def _refused(page: Page, soup: Element) -> bool:
    # A page with its object heading is a real page, whatever its text says.
    if select_one(soup, "h1.title") is not None:
        return False
    path = urlsplit(page.url).path.lower()
    if re.search(r"accessdenied|pageexpired|/login", path):
        return True
    body = " ".join(_BODY_TEXT(soup)) if find(soup, "body") is not None else page.text
    return bool(_REFUSED.search(body))


# --------------------------------------------------------------------------
# Crawl entry


def start_urls(base_url: str, months: list[tuple[int, int]] | None = None) -> list[Link]:
    """Return the month calendars ``si010?MM=&YY=`` for each (year, month).

    The calendar page is the entry because ALLRIS 4 has no list that reaches
    every meeting otherwise; its table arrives by a Wicket Ajax request the
    calendar page names (followed as ``si010_ajax``).
    """
    base = _public_base(base_url)
    links = []
    for year, month in year_months(months or []):
        links.append(Link(url=f"{base}si010?MM={month}&YY={year}", kind="si010", meta={"year": year, "month": month}))
    return links


def _public_base(base_url: str) -> str:
    """Return the install's ``…/public/`` folder URL from any URL inside it."""
    parts = urlsplit(base_url)
    path = parts.path
    if "/public/" in path or path.endswith("/public"):
        path = path[: path.index("/public")] + "/public/"
    elif not path.endswith("/"):
        path = path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


# --------------------------------------------------------------------------
# Parse dispatch


def parse(page: Page, source: str) -> Parsed:
    """Return the items and follow-up links of one ALLRIS 4 page."""
    kind = page_kind(page)
    if kind in ("si010_ajax", "si010"):
        return _parse_calendar(page, source)
    soup = parse_html(page.text)
    if _refused(page, soup):
        raise ParseError(f"ALLRIS 4 refused the page (access denied or expired): {page.url}")
    if kind == "vo020":
        return _parse_vo020(page, source, soup)
    if kind == "to010":
        return _parse_to010(page, source, soup)
    if kind == "to020":
        return _parse_to020(page, source, soup)
    raise ParseError(f"no ALLRIS 4 parser for page kind {kind!r}: {page.url}")


# --------------------------------------------------------------------------
# vo020: paper


def _parse_vo020(page: Page, source: str, soup: Element) -> Parsed:
    volfdnr = _param(page.url, "VOLFDNR") or _first_id_in_page(page.text, "VOLFDNR")
    if not volfdnr:
        raise ParseError(f"ALLRIS 4 vo020 page without VOLFDNR: {page.url}")
    title = one_line(select_one(soup, "h1.title"))
    if title is None and find(soup, id="vobetreff") is None:
        raise ParseError(f"ALLRIS 4 vo020 page without h1.title and #vobetreff: {page.url}")
    paper_type_from_title, reference = _split_title(title)
    paper = Paper(
        source=source,
        system=NAME,
        systemId=volfdnr,
        url=page.url,
        reference=reference,
        name=_field(soup, "vobetreff"),
        paperType=_field(soup, "voart") or paper_type_from_title,
        status=_joined_status(soup, "vostatus", "vostat"),
        dateRaw=_field(soup, "vodatum") or _field(soup, "vodat"),
        author=_authors(soup),
        clerk=_field(soup, "vobearbeiter"),
        leadOfficeRaw=_field(soup, "vofamt"),
        participatingOffices=_offices_list(_field(soup, "vobamt")),
    )
    _fill_texts(paper, soup)
    consultations, follow = _consultations(soup, page, source, volfdnr)
    files = _files(select_one(soup, "main") or soup, page, source, "Paper", volfdnr, paper_roles=True)
    follow += _file_links(files)
    # What every paper page shows; texts, Beratungsfolge and documents depend on
    # the paper, so their absence is no sign of a broken parser.
    fields_seen = {
        "reference": paper.reference is not None,
        "name": paper.name is not None,
        "paperType": paper.paperType is not None,
        "status": paper.status is not None,
        "leadOfficeRaw": paper.leadOfficeRaw is not None,
    }
    return Parsed(items=[paper, *consultations, *files], follow=_unique(follow), fields_seen=fields_seen)


def _split_title(title: str | None) -> tuple[str | None, str | None]:
    """Return (paper type, reference) from an h1 like ``Antrag - 2026/245``."""
    if not title:
        return None, None
    if " - " not in title:
        return None, title
    kind, reference = title.rsplit(" - ", 1)
    return kind.strip() or None, reference.strip() or None


def _authors(soup: Element) -> str | None:
    """Return the Berichterstattung entries (``#voverfasser1``, ``#voverfasser2`` …) joined by '; '."""
    names = [one_line(el) for el in find_all(soup, id=re.compile(r"^voverfasser\d*$"))]
    names = [n for n in names if n]
    return "; ".join(names) or None


def _fill_texts(paper: Paper, soup: Element) -> None:
    """Fill the text fields from the ``div.compFull`` sections that hold a ``div.docPart``."""
    other: dict[str, str] = {}
    for block in select(soup, "div.compFull"):
        part = select_one(block, "div.docPart")
        if part is None:
            continue
        label = _section_title(block)
        if label and _NOT_TEXT_SECTIONS.match(label):
            continue
        text = paragraphs(part)
        if not text:
            continue
        target = next((f for rx, f in _TEXT_FIELDS if label and rx.search(label)), None)
        if target and getattr(paper, target) is None:
            setattr(paper, target, text)
        else:
            other[label or f"Text {len(other) + 1}"] = text
    paper.otherText = other or None


def _section_title(block: Element) -> str | None:
    """Return a section's title: its h2, or (when the h2 is empty) the show/hide link's tooltip."""
    title = one_line(select_one(block, "h2.expandedTitle"))
    if title:
        return title
    toggle = select_one(block, "a[id^=showHideLink][data-simpletooltip-text]")
    if toggle is not None:
        tip = re.sub(r"\s+(ausblenden|einblenden|anzeigen)\s*$", "", toggle.get("data-simpletooltip-text").strip())
        return tip or None
    return None


def _consultations(soup: Element, page: Page, source: str, volfdnr: str) -> tuple[list[Consultation], list[Link]]:
    """Return the Beratungsfolge of ``table.bfTable`` and the meeting and excerpt pages it links.

    A station row (with ``span.wfcolorDesc``) names status, committee and role;
    the rows after it (``td.date``) are the meetings it was put on. A station
    can have none (not yet scheduled) or several (postponed, ``vertagt``), so
    every meeting row is one Consultation, and a station without one is one too.
    """
    table = select_one(soup, "table.bfTable")
    if table is None:
        return [], []
    base = _public_base(page.url)
    columns = _column_labels(table)
    out: list[Consultation] = []
    follow: list[Link] = []
    station: dict | None = None
    station_used = True

    def add(station: dict | None, row: dict | None) -> None:
        position = len(out) + 1
        role = station.get("role") if station else None
        out.append(
            Consultation(
                source=source,
                system=NAME,
                systemId=f"{volfdnr}-{position}",
                url=page.url,
                paper=volfdnr,
                position=position,
                meeting=row.get("meeting") if row else None,
                agendaItem=row.get("agendaItem") if row else None,
                organizationName=station.get("committee") if station else None,
                role=role,
                authoritative=(role == "Entscheidung") if role else None,
                state=station.get("state") if station else None,
                dateRaw=row.get("date") if row else None,
                resultRaw=row.get("result") if row else None,
            )
        )

    for tr in select(table, "tbody > tr"):
        cells = _cells_by_label(tr, columns)
        if select_one(tr, "span.wfcolorDesc") is not None:
            if station is not None and not station_used:
                add(station, None)
            station = {
                "state": one_line(select_one(tr, "span.wfcolorDesc")),
                "committee": one_line(_cell_under(cells, "gremium")),
                "role": one_line(_cell_under(cells, "beschluss", "ergebnis", "rolle", "zuständig")),
            }
            station_used = False
            continue
        meeting_link = select_one(tr, 'a[href*="to010?"]')
        date_cell = select_one(tr, "td.date") or _cell_under(cells, "datum")
        if meeting_link is None and one_line(date_cell) is None:
            continue
        excerpt_links = select(tr, 'a[href*="to020?"]')
        result_link = next((a for a in excerpt_links if "objAnchor" not in classes(a)), None)
        tolfdnr = _param(meeting_link.get("href"), "TOLFDNR") if meeting_link else None
        if tolfdnr is None and excerpt_links:
            tolfdnr = _param(excerpt_links[0]["href"], "TOLFDNR")
        if meeting_link is not None and _param(meeting_link.get("href"), "SILFDNR"):
            follow.append(Link(url=f"{base}to010?SILFDNR={_param(meeting_link.get('href'), 'SILFDNR')}", kind="to010"))
        if excerpt_links and tolfdnr:
            follow.append(Link(url=f"{base}to020?TOLFDNR={tolfdnr}", kind="to020"))
        add(
            station,
            {
                "date": one_line(date_cell),
                "meeting": _param(meeting_link.get("href"), "SILFDNR") if meeting_link else None,
                "agendaItem": tolfdnr,
                # The result is the excerpt link's text; some installs print it without a link.
                "result": one_line(result_link) or one_line(_cell_under(cells, "beschluss", "ergebnis")),
            },
        )
        station_used = True
    if station is not None and not station_used:
        add(station, None)
    return out, follow


def _column_labels(table: Element) -> list[str]:
    """Return the table's header labels in lower case ('' where a header has no text)."""
    return [(one_line(th) or "").lower() for th in select(table, "thead th")]


def _cells_by_label(tr: Element, labels: list[str]) -> dict[str, Element]:
    """Return a row's cells keyed by their column's header label."""
    cells = children(tr, "td")
    return {label: cell for label, cell in zip(labels, cells) if label}


def _cell_under(cells: dict[str, Element], *words: str) -> Element | None:
    """Return the cell whose column label contains one of the words (labels vary: "Beschluss", "Ergebnis" …)."""
    for word in words:
        for label, cell in cells.items():
            if word in label:
                return cell
    return None


# --------------------------------------------------------------------------
# to010: meeting and agenda


def _parse_to010(page: Page, source: str, soup: Element) -> Parsed:
    silfdnr = _param(page.url, "SILFDNR") or _first_id_in_page(page.text, "SILFDNR")
    if not silfdnr:
        raise ParseError(f"ALLRIS 4 to010 page without SILFDNR: {page.url}")
    if find(soup, id="sibetreff") is None and select_one(soup, "table#toTreeTable") is None:
        raise ParseError(f"ALLRIS 4 to010 page without #sibetreff and table#toTreeTable: {page.url}")
    gremium = select_one(soup, '#sigremium a[href*="GRLFDNR="]')
    state = _joined_status(soup, "sistatus", "sistat")
    meeting = Meeting(
        source=source,
        system=NAME,
        systemId=silfdnr,
        url=page.url,
        name=_field(soup, "sibetreff"),
        organization=f"gr-{_param(gremium.get('href'), 'GRLFDNR')}" if gremium else None,
        organizationName=_field(soup, "sigremium"),
        dateRaw=_field(soup, "sidatum"),
        timeRaw=_field(soup, "sizeit"),
        room=_field(soup, "siraum"),
        locality=_field(soup, "siort"),
        meetingState=state,
        cancelled=True if state and re.search(r"abgesagt|entfällt|entfallen|ausgefallen", state, re.I) else None,
    )
    items: list[Item] = [meeting]
    head = select_one(soup, "#dokumenteHeaderPanel")
    files = _files(head, page, source, "Meeting", silfdnr) if head else []
    agenda, agenda_files, follow = _agenda(soup, page, source, silfdnr)
    items += files + agenda + agenda_files
    follow += _file_links(files + agenda_files)
    fields_seen = {
        "name": meeting.name is not None,
        "organization": meeting.organization is not None,
        "dateRaw": meeting.dateRaw is not None,
        "agenda": bool(agenda),
    }
    return Parsed(items=items, follow=_unique(follow), fields_seen=fields_seen)


def _agenda(soup: Element, page: Page, source: str, silfdnr: str) -> tuple[list[AgendaItem], list[File], list[Link]]:
    """Return the AgendaItems of ``table#toTreeTable``, their documents and the links to follow.

    Section rows (``tr.beratung``: "Öffentlicher Teil") say whether items are
    public where the number lacks its Ö/N prefix. Sub-items (``data-tt-parent-id``)
    are ordinary rows; their number ("Ö 2.1") carries the nesting.
    """
    table = select_one(soup, "table#toTreeTable")
    items: list[AgendaItem] = []
    files: list[File] = []
    follow: list[Link] = []
    if table is None:
        return items, files, follow
    base = _public_base(page.url)
    section_public: bool | None = None
    by_tree_id: dict[str, str] = {}  # data-tt-id -> systemId, to resolve data-tt-parent-id
    for tr in select(table, "tbody > tr"):
        if "beratung" in classes(tr) and not (tr.get("data-tt-id") is not None):
            section_public = _public_from_heading(one_line(tr))
            continue
        if not (tr.get("data-tt-id") is not None):
            continue
        number_cell = select_one(tr, "td.tonr")
        number_raw = one_line(number_cell)
        prefix, number = _split_top_number(number_raw)
        betreff = select_one(tr, "td.tobetreff")
        to020 = select_one(betreff, 'a[href*="TOLFDNR="]') if betreff else None
        anchor = select_one(number_cell, "a[id^=link_]") if number_cell else None
        tolfdnr = (
            (anchor.get("id").removeprefix("link_") if anchor and anchor.get("id").removeprefix("link_").isdigit() else None)
            or (_param(to020.get("href"), "TOLFDNR") if to020 else None)
            or next((_param(a.get("href"), "TOLFDNR") for a in select(tr, 'a[href*="TOLFDNR="]')), None)
        )
        order = len(items) + 1
        paper_link = select_one(tr, 'td.tovonr a[href*="VOLFDNR="]')
        volfdnr = _param(paper_link.get("href"), "VOLFDNR") if paper_link else None
        item = AgendaItem(
            source=source,
            system=NAME,
            systemId=tolfdnr or f"{silfdnr}-{prefix or ''}{number or order}",
            url=page.url,
            meeting=silfdnr,
            number=number_raw,
            order=order - 1,  # OParl: 0-based position in the meeting
            parent=by_tree_id.get(tr.get("data-tt-parent-id", "")),
            name=one_line(betreff),
            public={"Ö": True, "N": False}.get(prefix or "", section_public),
            paper=volfdnr,
            paperReference=one_line(paper_link) if paper_link else None,
        )
        items.append(item)
        by_tree_id[tr.get("data-tt-id")] = item.systemId
        doc_cell = select_one(tr, "td.toDoc")
        if doc_cell is not None:
            parent_type, parent = ("Paper", volfdnr) if volfdnr else ("AgendaItem", item.systemId)
            files += _files(doc_cell, page, source, parent_type, parent, paper_roles=bool(volfdnr))
        if volfdnr:
            follow.append(Link(url=f"{base}vo020?VOLFDNR={volfdnr}", kind="vo020"))
        if to020 is not None and tolfdnr:
            follow.append(Link(url=f"{base}to020?TOLFDNR={tolfdnr}", kind="to020"))
    return items, _unique_files(files), follow


def _offices_list(raw: str | None) -> list[str] | None:
    """Return the participating offices (``#vobamt``, ``;``-separated) as a list, or None."""
    offices = [part.strip() for part in (raw or "").split(";") if part.strip()]
    return offices or None


def _split_top_number(raw: str | None) -> tuple[str | None, str | None]:
    """Return (Ö/N prefix, number) from an agenda number like ``Ö 2.1``.

    ``AgendaItem.number`` keeps the number as printed ("Ö 2.1", as the other
    dialects do); the prefix only decides ``public``.
    """
    if not raw:
        return None, None
    m = re.match(r"^([ÖN])\s*(.*)$", raw)
    if m:
        return m.group(1), m.group(2).strip() or None
    return None, raw


def _public_from_heading(text: str | None) -> bool | None:
    """Return whether a section heading opens the public (True) or non-public (False) part."""
    if not text:
        return None
    if re.search(r"nicht\s*-?\s*öffentlich|nichtöffentlich|vertraulich", text, re.I):
        return False
    if re.search(r"öffentlich", text, re.I):
        return True
    return None


# --------------------------------------------------------------------------
# to020: agenda item detail (no page in the corpus: read by labels and titles)


def _parse_to020(page: Page, source: str, soup: Element) -> Parsed:
    tolfdnr = _param(page.url, "TOLFDNR") or _first_id_in_page(page.text, "TOLFDNR")
    if not tolfdnr:
        raise ParseError(f"ALLRIS 4 to020 page without TOLFDNR: {page.url}")
    labels = _labelled_values(soup)
    texts = {(_section_title(b) or "").lower(): paragraphs(select_one(b, "div.docPart")) for b in select(soup, "div.compFull")
             if select_one(b, "div.docPart") is not None}
    meeting_link = select_one(soup, 'a[href*="to010?"][href*="SILFDNR="]')
    paper_link = select_one(soup, 'a[href*="vo020?"][href*="VOLFDNR="]')
    number_raw = labels.get("top")
    prefix, _ = _split_top_number(number_raw)
    item = AgendaItem(
        source=source,
        system=NAME,
        systemId=tolfdnr,
        url=page.url,
        meeting=_param(meeting_link.get("href"), "SILFDNR") if meeting_link else None,
        number=number_raw,
        name=labels.get("betreff"),
        public={"Ö": True, "N": False}.get(prefix or ""),
        paper=_param(paper_link.get("href"), "VOLFDNR") if paper_link else None,
        paperReference=one_line(paper_link) if paper_link else None,
        resultRaw=labels.get("beschlussart") or labels.get("beschluss") or labels.get("ergebnis"),
        voteRaw=next((t for k, t in texts.items() if "abstimmung" in k), None) or labels.get("abstimmung"),
        resolutionText=next((t for k, t in texts.items() if k.startswith("beschluss")), None),
        protocolText=next((t for k, t in texts.items() if "protokoll" in k or k.startswith("beratung")), None),
    )
    files = _files(select_one(soup, "main") or soup, page, source, "AgendaItem", tolfdnr)
    # A result is only expected where the page has a label for it.
    fields_seen = {"name": item.name is not None}
    if any(k in labels for k in ("beschlussart", "beschluss", "ergebnis")):
        fields_seen["resultRaw"] = item.resultRaw is not None
    return Parsed(items=[item, *files], follow=_file_links(files), fields_seen=fields_seen)


def _labelled_values(soup: Element) -> dict[str, str]:
    """Return the Grunddaten ``dt`` label → ``dd`` text pairs, labels lower-cased without colon."""
    out: dict[str, str] = {}
    for dt in select(soup, "#headLeft dt"):
        dd = next_sibling(dt, "dd")
        label = (one_line(dt) or "").rstrip(":").strip().lower()
        value = one_line(dd)
        if label and value and label not in out:
            out[label] = value
    return out


# --------------------------------------------------------------------------
# si010: calendar


def _parse_calendar(page: Page, source: str) -> Parsed:
    """Return a Meeting per calendar row and the agenda pages to follow.

    Rows of meetings whose agenda is not published carry ``a#si_N`` without
    href; they still become Meetings (date, time, room), as the calendar is the
    only place that lists them. The date is the tooltip's ("Mi., 21.10.2026")
    where there is one; otherwise it is composed from the day cell and the
    month asked for (``MM``/``YY`` of the request), as "dd.mm.yyyy".
    """
    html = _calendar_html(page)
    soup = parse_html(html)
    table = select_one(soup, "table.calenderView")
    if table is None:
        if _is_ajax_response(page):
            raise ParseError(f"ALLRIS 4 calendar Ajax answer without table.calenderView: {page.url}")
        # The shell is the calendar's normal first answer, not a page without its table: the
        # table is counted on the Ajax answer; the shell is expected to name that call.
        names_call = _AJAX_CALENDAR.search(page.text) is not None
        return Parsed(follow=_calendar_ajax_links(page), fields_seen={"calendarAjaxCall": names_call})
    year, month = _calendar_month(page.url, table)
    base = _public_base(page.url)
    items: list[Item] = []
    follow: list[Link] = []
    day: int | None = None
    for tr in select(table, "tbody > tr"):
        dom = select_one(tr, "span.dom")
        if dom is not None and (one_line(dom) or "").isdigit():
            day = int(one_line(dom) or 0)
        anchor = select_one(tr, "td.textCol a[id^=si_]")
        if anchor is None:
            continue
        silfdnr = anchor.get("id").removeprefix("si_")
        if not silfdnr.isdigit():
            continue
        tooltip = anchor.get("data-simpletooltip-text", "")
        m = re.search(r"am\s+(.*?\d{1,2}\.\d{1,2}\.\d{4})", tooltip)
        if m:
            date_raw: str | None = m.group(1).strip()
        elif day and month and year:
            date_raw = f"{day:02d}.{month:02d}.{year}"
        else:
            date_raw = None
        items.append(
            Meeting(
                source=source,
                system=NAME,
                systemId=silfdnr,
                url=page.url,
                name=one_line(anchor),
                dateRaw=date_raw,
                timeRaw=one_line(select_one(tr, "td.time")),
                room=one_line(select_one(tr, "td.raum")),
            )
        )
        if anchor.get("href"):
            follow.append(Link(url=f"{base}to010?SILFDNR={silfdnr}", kind="to010"))
    # A month without meetings is no failure; the table itself is what is expected.
    return Parsed(items=items, follow=_unique(follow), fields_seen={"calendarTable": True})


def _calendar_html(page: Page) -> str:
    """Return the calendar markup: the CDATA components of a Wicket Ajax answer, or the page."""
    if _is_ajax_response(page):
        return "\n".join(_CDATA_COMPONENT.findall(page.text))
    return page.text


def _calendar_month(url: str, table: Element) -> tuple[int | None, int | None]:
    """Return the (year, month) shown: from the request's MM/YY, else from a tooltip date."""
    month, year = _param(url, "MM"), _param(url, "YY")
    if month and year and month.isdigit() and year.isdigit():
        return int(year), int(month)
    for a in select(table, "a[data-simpletooltip-text]"):
        m = re.search(r"\d{1,2}\.(\d{1,2})\.(\d{4})", a.get("data-simpletooltip-text"))
        if m:
            return int(m.group(2)), int(m.group(1))
    return None, None


def _calendar_ajax_links(page: Page) -> list[Link]:
    """Return the Ajax request that loads the calendar table of a shell page ``si010?MM=&YY=``."""
    m = _AJAX_CALENDAR.search(page.text)
    base = _public_base(page.url)
    if m:
        path = m.group(1).replace("&amp;", "&")
    else:
        month, year = _param(page.url, "MM"), _param(page.url, "YY")
        if not (month and year):
            return []
        path = f"si010?0-1.0-&MM={month}&YY={year}"
    shell = page.url.rsplit("/", 1)[-1]
    headers = {"Wicket-Ajax": "true", "Wicket-Ajax-BaseURL": shell, "X-Requested-With": "XMLHttpRequest"}
    return [Link(url=f"{base}{path}", kind="si010_ajax", meta={"headers": headers, "cookies_from": page.url})]


def _is_ajax_response(page: Page) -> bool:
    return "<ajax-response>" in page.text[:500]


# --------------------------------------------------------------------------
# Documents


def _files(scope: Element, page: Page, source: str, parent_type: str, parent: str, paper_roles: bool = False) -> list[File]:
    """Return the stable documents (``…/docNNN.pdf``) linked in ``scope``.

    For papers the document called "Vorlage" is the main file; for meetings the
    name decides (Einladung/Bekanntmachung → invitation, Niederschrift/Protokoll
    → resultsProtocol); everything else is an auxiliary file.
    """
    out: list[File] = []
    seen: set[str] = set()
    for a in select(scope, "a[href]"):
        m = _STABLE_DOC.search(a.get("href"))
        if not m or f"doc{m.group(2)}" in seen:
            continue
        system_id = f"doc{m.group(2)}"
        seen.add(system_id)
        name = _document_name(a)
        url = urljoin(page.url, a.get("href"))
        out.append(
            File(
                source=source,
                system=NAME,
                systemId=system_id,
                url=page.url,
                parentType=parent_type,
                parent=parent,
                role=_file_role(name, one_line(a), paper_roles, parent_type),
                position=len(out) + 1,
                name=name,
                fileName=m.group(1),
                mimeType=_MIME.get(m.group(3).lower()),
                accessUrl=url,
                downloadUrl=url,
            )
        )
    return out


def _document_name(a: Element) -> str | None:
    """Return a document's name: the quoted name in its tooltip, else the link text."""
    tip = a.get("data-simpletooltip-text", "")
    m = re.search(r"['‘’\"](.+)['‘’\"]", tip)
    return (m.group(1).strip() if m else None) or one_line(a)


def _file_role(name: str | None, label: str | None, paper_roles: bool, parent_type: str) -> str:
    names = " ".join(x for x in (name, label) if x)
    if paper_roles:
        return "mainFile" if re.fullmatch(r"\s*Vorlage\s*", label or name or "") else "auxiliaryFile"
    if parent_type == "Meeting":
        if re.search(r"einladung|bekanntmachung|tagesordnung", names, re.I):
            return "invitation"
        if re.search(r"wortprotokoll", names, re.I):
            return "verbatimProtocol"
        if re.search(r"niederschrift|protokoll", names, re.I):
            return "resultsProtocol"
    return "auxiliaryFile"


def _unique_files(files: list[File]) -> list[File]:
    seen: dict[str, File] = {}
    for f in files:
        seen.setdefault(f.systemId, f)
    return list(seen.values())


def _file_links(files: list[File]) -> list[Link]:
    return [
        Link(url=f.accessUrl, kind="file", meta={"file": f.systemId, "parentType": f.parentType, "parent": f.parent})
        for f in files
        if f.accessUrl
    ]


# --------------------------------------------------------------------------
# Small helpers


def _field(soup: Element, element_id: str) -> str | None:
    """Return the text of the element with this id, whitespace folded to single spaces."""
    return one_line(find(soup, id=element_id))


def _joined_status(soup: Element, main_id: str, detail_id: str) -> str | None:
    """Return status and its workflow note as printed side by side ("öffentlich (Vorlage freigegeben)")."""
    parts = [p for p in (_field(soup, main_id), _field(soup, detail_id)) if p]
    return " ".join(parts) or None


def _param(url: str, name: str) -> str | None:
    """Return one query parameter of a URL (``&amp;`` tolerated)."""
    query = urlsplit(url.replace("&amp;", "&")).query
    values = parse_qs(query).get(name)
    return values[0] if values else None


def _first_id_in_page(text: str, name: str) -> str | None:
    m = re.search(rf"\b{name}=(\d+)", text)
    return m.group(1) if m else None


def _unique(links: list[Link]) -> list[Link]:
    seen: dict[tuple[str, str], Link] = {}
    for link in links:
        seen.setdefault((link.url, link.kind), link)
    return list(seen.values())


def generation(page: Page) -> str:
    """Return the ALLRIS 4 version the page names, e.g. 'ALLRIS net 4.1.7 (4170041)'."""
    m = re.search(r"ALLRIS net Version (4[\d.]*(?: \(\d+\))?)", page.text)
    return f"ALLRIS net {m.group(1)}" if m else "ALLRIS net 4"
