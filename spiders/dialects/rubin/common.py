"""What the more! rubin answers share: their fields as printed, and documents."""

from __future__ import annotations

import datetime as dt
import re

from schemas.items import File
from spiders.dialects.rubin.detection import NAME

# documentType.alias -> File role ("sib": Bekanntmachung, "vl": Vorlage, "nis"/"np": Niederschrift).
DOCUMENT_ROLES = {"sib": "invitation", "einl": "invitation", "to": "invitation", "vl": "mainFile",
                  "nis": "resultsProtocol", "np": "resultsProtocol", "prot": "resultsProtocol", "wp": "verbatimProtocol"}
MIME = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def one_line(text: str | None) -> str | None:
    """Return a text with its line breaks (CRLF in rubin's titles) as single spaces, or None when empty."""
    if not text:
        return None
    return re.sub(r"\s+", " ", str(text)).strip() or None


def german_date(iso: str | None) -> str | None:
    """Return "2026-09-21" (or "2026-09-21 13:36:16") as "21.09.2026"."""
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(str(iso)[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return None


def time_span(begin: str | None, end: str | None) -> str | None:
    """Return "18:30 Uhr" or "18:30 - 20:15 Uhr"; rubin writes "00:00:00" for a time not set."""
    def hhmm(value):
        return str(value)[:5] if value and str(value)[:5] not in ("00:00", "") else None
    start, stop = hhmm(begin), hhmm(end)
    if not start:
        return None
    return f"{start} - {stop} Uhr" if stop else f"{start} Uhr"


def document(doc: dict, page_url: str, source: str, parent_type: str, parent: str, position: int,
             role: str | None = None) -> File | None:
    """Return the File of one document object (``documentUrl``, ``documentName``, ``documentType``), or None without an address."""
    url = doc.get("documentUrl")
    if not url:
        return None
    kind = doc.get("documentType") or {}
    ext = (doc.get("documentExtension") or "").lower()
    name = one_line(doc.get("documentName"))
    file_name = name if name and ext and name.lower().endswith("." + ext) else (f"{name}.{ext}" if name and ext else name)
    return File(
        source=source,
        system=NAME,
        systemId=str(doc.get("compositeId") or f"{doc.get('relationId')}|{kind.get('id')}"),
        url=page_url,
        parentType=parent_type,
        parent=parent,
        role=role or DOCUMENT_ROLES.get(str(kind.get("alias") or "").lower(), "auxiliaryFile"),
        position=position,
        name=name or one_line(kind.get("name")),
        fileName=file_name,
        mimeType=MIME.get(ext),
        dateRaw=german_date(doc.get("documentDate")),
        size=doc.get("documentSize") if isinstance(doc.get("documentSize"), int) else None,
        accessUrl=url,
        downloadUrl=url,
    )
