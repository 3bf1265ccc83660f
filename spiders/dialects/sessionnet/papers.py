"""Papers: Vorlagen (``vo0050``) and Anträge (``ag0050``, a Paper of their own number space "ag-<kagnr>")."""

from __future__ import annotations

import re

from schemas.items import Item, Paper
from spiders.dialects.base import Link, Parsed, ParseError
from spiders.dialects.html import Element, classes, copy_without, find, next_sibling, select, select_one
from spiders.dialects.html_text import one_line
from spiders.dialects.sessionnet.consultations import CONSULTATION_TABLES, inline_consultations
from spiders.dialects.sessionnet.context import PageContext, unique_links
from spiders.dialects.sessionnet.documents import documents, file_links, word_texts
from spiders.dialects.sessionnet.layout import field_cells, first_value, last_changed
from spiders.dialects.sessionnet.links import antrag_id, consultations_tab_links, meeting_link


def parse_vo0050(ctx: PageContext) -> Parsed:
    """Return the Vorlage as a Paper (id ``__kvonr``), its documents, and its Beratungen tab (``vo0053``) to follow."""
    kvonr = ctx.id_from_page("__kvonr")
    if not kvonr:
        raise ParseError(f"SessionNet vo0050 page without __kvonr: {ctx.page.url}")
    cells = field_cells(ctx.soup)
    if not cells:
        raise ParseError(f"SessionNet vo0050 page without field cells (vobetr, voname …): {ctx.page.url}")
    paper = Paper(
        **ctx.common(),
        systemId=kvonr,
        reference=cells.get("voname"),
        name=cells.get("vobetr") or one_line(select_one(ctx.soup, "h1.smc_h1")),
        paperType=_paper_type(cells.get("vovaname")),
        status=cells.get("vostatus") or cells.get("vostat"),
        dateRaw=cells.get("vodat") or cells.get("vovodat"),
        fileNumber=cells.get("voakz"),
        modified=last_changed(ctx.soup),
    )
    # The inline Word texts (div.smcdocmsword) come without headings: which
    # block is Beschlussvorschlag or Begründung differs per install and is only
    # known from the document templates, so they are kept in order under
    # neutral labels rather than guessed into sachverhalt/begruendung.
    paper.otherText = _numbered_texts(word_texts(ctx.soup))
    files = documents(select_one(ctx.soup, "#page-content") or ctx.soup, ctx, "Paper", kvonr, paper_roles=True)
    follow = [Link(url=ctx.program_url("vo0053", __kvonr=kvonr), kind="vo0053")] + file_links(files)
    # Only what every paper page shows counts for the parse-rate watch:
    # inline texts and documents are up to the install and the paper.
    fields_seen = {
        "name": paper.name is not None,
        "reference": paper.reference is not None,
        "paperType": paper.paperType is not None,
    }
    return Parsed(items=[paper, *files], follow=unique_links(follow), fields_seen=fields_seen)


def _numbered_texts(texts: list[str]) -> dict[str, str] | None:
    """Return the texts under neutral labels "Text 1", "Text 2" … in page order, or None when there are none."""
    return {f"Text {i}": t for i, t in enumerate(texts, 1)} or None


def _paper_type(raw: str | None) -> str | None:
    """Return the paper type without a sort prefix.

    Some installs sort their types by a numeric prefix that is part of the
    name ("02_Unterrichtungsvorlage", Koblenz); the prefix is no part of the type.
    """
    if raw is None:
        return None
    return re.sub(r"^\d+_\s*", "", raw) or None


def parse_ag0050(ctx: PageContext) -> Parsed:
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
    paper_id = antrag_id(kagnr)
    paper = Paper(
        **ctx.common(),
        systemId=paper_id,
        reference=fields.get("reference"),
        name=fields.get("name") or one_line(select_one(ctx.soup, "h1.smc_h1")),
        paperType=_paper_type(fields.get("paperType")) or "Antrag",
        status=fields.get("status"),
        dateRaw=fields.get("dateRaw"),
        author=fields.get("author"),
        fileNumber=fields.get("fileNumber"),
        modified=last_changed(ctx.soup),
    )
    # As on vo0050: Word texts without headings, kept in order under neutral labels.
    paper.otherText = _numbered_texts(word_texts(ctx.soup))
    # Older layouts list the Beratungen on this page, with the meetings'
    # documents in their rows; those are no documents of the Antrag.
    scope = copy_without(select_one(ctx.soup, "#page-content") or find(ctx.soup, "body") or ctx.soup, CONSULTATION_TABLES)
    files = documents(scope, ctx, "Paper", paper_id, paper_roles=True)
    consultations = inline_consultations(ctx, paper_id)
    follow = consultations_tab_links(ctx, "ag0050") + file_links(files)
    for consultation, entry in consultations:
        if consultation.meeting:
            follow.append(meeting_link(ctx, consultation.meeting, entry))
    # Only what every Antrag page shows counts for the parse-rate watch; the
    # type is not among it, as it falls back to "Antrag".
    fields_seen = {"name": paper.name is not None, "reference": paper.reference is not None}
    items: list[Item] = [paper, *files, *(c for c, _ in consultations)]
    return Parsed(items=items, follow=unique_links(follow), fields_seen=fields_seen)


def _antrag_fields(soup: Element) -> dict[str, str]:
    """Return the Antrag's fields by Paper field name (``reference``, ``name``, ``dateRaw`` …).

    Labels decide first ("Name", "Betreff", "Datum", "Art", "Antragsteller",
    "Status", "Aktenzeichen"), as printed in Layout 6 head cells (``.smc-cell-head``) and in
    the label cells of table layouts ("Name:"). The value cells' own classes
    (``agname``, ``agbetr``, ``agdat`` …, named like ``vo0050``'s ``voname``,
    ``vobetr``) fill what no label gave: installs rename labels, not classes.
    """
    scope = (select_one(soup, "[id^=smc_page_ag0050_contenttable]") or select_one(soup, "#smctablevorgang")
             or select_one(soup, "#page-content") or soup)
    out: dict[str, str] = {}
    for label_cell in select(scope, ".smc-cell-head, td, th, dt"):
        if find(label_cell, ["td", "table"]) is not None or select_one(label_cell, ".smc-table-cell") is not None:
            continue
        label = one_line(label_cell) or ""
        # A plain table cell is a label only when it reads like one ("Datum:"),
        # so that a value that happens to be a label word is not taken for one.
        if label_cell.tag == "td" and not label.endswith(":") and not {"smctablehead", "smc-cell-head"} & set(classes(label_cell)):
            continue
        field = _antrag_field_of_label(label.rstrip(": ").strip())
        value_cell = next_sibling(label_cell, ["td", "dd", "div"])
        if field and field not in out and value_cell is not None and one_line(value_cell):
            out[field] = one_line(value_cell) or ""
    cells = field_cells(scope)
    for field, names in _ANTRAG_FIELD_CLASSES.items():
        if field not in out:
            value = first_value(cells, *names)
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
    ("fileNumber", re.compile(r"aktenzeichen|az\.?", re.I)),
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
    "fileNumber": ("agakz",),
}
