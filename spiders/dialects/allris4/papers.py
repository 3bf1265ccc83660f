"""``vo020``: the Paper, its text sections and its Beratungsfolge (Consultations)."""

from __future__ import annotations

import re

from schemas.items import Consultation, Paper
from spiders.dialects.allris4.calendars import public_base
from spiders.dialects.allris4.documents import document_files, file_links
from spiders.dialects.allris4.fields import NAME, by_id_below, field_text, first_id_in_page, joined_status, section_title, unique_links, url_param
from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.html import Element, children, classes, find_all, select, select_one
from spiders.dialects.html_text import one_line, paragraphs


# Section titles of vo020 text blocks and the Paper field each fills.
_TEXT_FIELDS = (
    (re.compile(r"beschlussvorschlag|beschlussempfehlung|empfehlung", re.I), "beschlussvorschlag"),
    (re.compile(r"sachverhalt|sachdarstellung", re.I), "sachverhalt"),
    (re.compile(r"begründung", re.I), "begruendung"),
    (re.compile(r"^beschluss", re.I), "beschluss"),
)


_BUTTON_TEXTS = frozenset(("na", "pa", "auszug", "beschluss", "niederschrift"))
_NOT_TEXT_SECTIONS = re.compile(r"^(beratungsfolge|anlagen|tagesordnung)$", re.I)


def parse_vo020(page: Page, source: str, soup: Element) -> Parsed:
    volfdnr = url_param(page.url, "VOLFDNR") or first_id_in_page(page.text, "VOLFDNR")
    if not volfdnr:
        raise ParseError(f"ALLRIS 4 vo020 page without VOLFDNR: {page.url}")
    title = one_line(select_one(soup, "h1.title"))
    if title is None and by_id_below(soup, "vobetreff") is None:
        raise ParseError(f"ALLRIS 4 vo020 page without h1.title and #vobetreff: {page.url}")
    paper_type_from_title, reference = _split_title(title)
    paper = Paper(
        source=source,
        system=NAME,
        systemId=volfdnr,
        url=page.url,
        reference=reference,
        name=field_text(soup, "vobetreff"),
        paperType=field_text(soup, "voart") or paper_type_from_title,
        status=joined_status(soup, "vostatus", "vostat"),
        dateRaw=field_text(soup, "vodatum") or field_text(soup, "vodat"),
        author=_authors(soup),
        clerk=field_text(soup, "vobearbeiter"),
        leadOfficeRaw=field_text(soup, "vofamt"),
        participatingOffices=offices_list(field_text(soup, "vobamt")),
    )
    _fill_texts(paper, soup)
    consultations, follow = _consultations(soup, page, source, volfdnr)
    files = document_files(select_one(soup, "main") or soup, page, source, "Paper", volfdnr, paper_roles=True)
    follow += file_links(files)
    # What every paper page shows; texts, Beratungsfolge and documents depend on
    # the paper, so their absence is no sign of a broken parser.
    fields_seen = {
        "reference": paper.reference is not None,
        "name": paper.name is not None,
        "paperType": paper.paperType is not None,
        "status": paper.status is not None,
        "leadOfficeRaw": paper.leadOfficeRaw is not None,
    }
    return Parsed(items=[paper, *consultations, *files], follow=unique_links(follow), fields_seen=fields_seen)


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
        label = section_title(block)
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
    base = public_base(page.url)
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
        # The excerpt button ("NA"/"PA", ``a.objAnchor`` on most installs) is no result wording.
        result_link = next(
            (a for a in excerpt_links if "objAnchor" not in classes(a) and (one_line(a) or "").lower() not in _BUTTON_TEXTS),
            None,
        )
        tolfdnr = url_param(meeting_link.get("href"), "TOLFDNR") if meeting_link else None
        if tolfdnr is None and excerpt_links:
            tolfdnr = url_param(excerpt_links[0]["href"], "TOLFDNR")
        if meeting_link is not None and url_param(meeting_link.get("href"), "SILFDNR"):
            follow.append(Link(url=f"{base}to010?SILFDNR={url_param(meeting_link.get('href'), 'SILFDNR')}", kind="to010"))
        if excerpt_links and tolfdnr:
            follow.append(Link(url=f"{base}to020?TOLFDNR={tolfdnr}", kind="to020"))
        add(
            station,
            {
                "date": one_line(date_cell),
                "meeting": url_param(meeting_link.get("href"), "SILFDNR") if meeting_link else None,
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


def offices_list(raw: str | None) -> list[str] | None:
    """Return the participating offices (``#vobamt``, ``;``-separated) as a list, or None."""
    offices = [part.strip() for part in (raw or "").split(";") if part.strip()]
    return offices or None
