"""What the SD.NET RIM pages share: their opaque ``?__=`` tokens, the label/value table, the ``/sdnetrim/`` documents."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urljoin, urlsplit


from schemas.items import File, Item
from spiders.dialects.base import Link
from spiders.dialects.html_text import one_line, text_lines
from spiders.dialects.sdnet.detection import NAME
from spiders.dialects.html import Element, children, classes, find, select

# "Drucksache XI. 954 /XI. (exportiert: 01.10.2024) (83 KB)": the export date and size follow the title.
_EXPORT_NOTE = re.compile(r"\s*\((?:exportiert|aktualisiert):\s*([\d.]+)\)\s*(?:\(([\d.,]+\s*[KMG]?B)\))?\s*$")
_DATE = re.compile(r"\b(\d{1,2}\.\d{1,2}\.\d{4})\b")
_TIME = re.compile(r"\b(\d{1,2}[:.]\d{2})\s*(?:Uhr)?")

# The class of the icon span says what a document is (SD.NET prints one per link).
FILE_ROLES = (
    ("einladung", "invitation"),
    ("tagesordnung", "invitation"),
    ("niederschrift", "resultsProtocol"),
    ("wortprotokoll", "verbatimProtocol"),
    ("beschluss-attachment", "auxiliaryFile"),
    ("beschluss-link", "resolutionFile"),
    ("vorlage-attachment", "auxiliaryFile"),
    ("attachment-link", "auxiliaryFile"),
    ("vorlage-link", "mainFile"),
    ("gesamte-sitzungsunterlagen", "auxiliaryFile"),
)


def token(url: str | None) -> str | None:
    """Return the opaque ``__`` token of an SD.NET address (``/tops/?__=UGhV…``), which names the object for good."""
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get("__")
    return values[0] if values else None


def details(soup) -> list[tuple[str, Element]]:
    """Return the (label without colon, value cell) rows of the page's ``table.table-details``."""
    rows = []
    for table in select(soup, "table.table-details"):
        for tr in select(table, "tr"):
            th, td = find(tr, "th"), find(tr, "td")
            if th is None or td is None:
                continue
            label = (one_line(th) or "").rstrip(":").strip()
            if label:
                rows.append((label, td))
    return rows


def date_and_time(text: str | None) -> tuple[str | None, str | None]:
    """Return the day ("09.10.2024") and the time ("17:00") a text like "Mi, 09.10.2024 17:00 Uhr" holds."""
    if not text:
        return None, None
    day = _DATE.search(text)
    rest = text[day.end():] if day else text
    time = _TIME.search(rest)
    return (day.group(1) if day else None), (time.group(1).replace(".", ":") if time else None)


def place(td: Element | None) -> str | None:
    """Return an address printed over several lines as one line, parts joined by ", "."""
    if td is None:
        return None
    return clean_place(", ".join(text_lines(td)))


def clean_place(text: str | None) -> str | None:
    """Return a place as "<building>, <zip town>, <room>" without the parts the install left empty or repeated.

    SD.NET prints the three parts even when unknown: "in Klärung, , in Klärung" (VG Oberes Glantal).
    """
    if not text:
        return None
    parts: list[str] = []
    for part in re.split(r"\s*,\s*", text.strip()):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts) or None


def is_document(a: Element) -> bool:
    return "/sdnetrim/" in (a.get("href") or "")


def file_role(a: Element) -> str:
    names = " ".join(" ".join(classes(span)) for span in select(a, "span[class]"))
    for marker, role in FILE_ROLES:
        if marker in names:
            return role
    return "auxiliaryFile"


def file_item(a: Element, page_url: str, source: str, parent_type: str, parent: str, position: int,
              role: str | None = None) -> File:
    """Return the File of one ``/sdnetrim/<token>/<name>`` link; the token is its id."""
    url = urljoin(page_url, a.get("href"))
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    at = segments.index("sdnetrim") if "sdnetrim" in segments else -1
    file_id = segments[at + 1] if 0 <= at < len(segments) - 1 else path
    label = _visible_label(a)
    note = _EXPORT_NOTE.search(label or "")
    name = label[: note.start()].strip() if note and label else label
    file_name = unquote(segments[-1]) if segments else None
    return File(
        source=source,
        system=NAME,
        systemId=file_id,
        url=page_url,
        parentType=parent_type,
        parent=parent,
        role=role or file_role(a),
        position=position,
        name=name or file_name,
        fileName=file_name,
        mimeType=_mime(file_name),
        dateRaw=note.group(1) if note else None,
        accessUrl=url,
        downloadUrl=url,
    )


def _visible_label(a: Element) -> str | None:
    """Return the link's own text: the span beside the icon, else the title (ALLRIS-style "… im PDF-Format öffnen" cut)."""
    for span in children(a, "span"):
        if "fa-icon" in classes(span):
            continue
        text = one_line(span)
        if text:
            return text
    title = (a.get("title") or "").strip()
    return re.sub(r"\s+im PDF-Format (?:öffnen|herunterladen)$", "", title) or None


def _mime(file_name: str | None) -> str | None:
    if not file_name:
        return None
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}.get(ext)


def unique_items(items: list[Item]) -> list[Item]:
    """Return the items with each (type, systemId) once, the first kept."""
    seen: dict[tuple[str, str], Item] = {}
    for item in items:
        seen.setdefault((item.type, item.systemId), item)
    return list(seen.values())


def unique_links(links: list[Link]) -> list[Link]:
    """Return the links with each (url, kind) once, the first kept, in order."""
    seen: dict[tuple[str, str], Link] = {}
    for link in links:
        seen.setdefault((link.url, link.kind), link)
    return list(seen.values())
