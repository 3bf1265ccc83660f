"""What the more! rubin answers share: their fields as printed, and documents."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

from schemas.items import File
from spiders.dialects.rubin.detection import NAME

# documentType.alias -> File role ("sib": Bekanntmachung, "vl": Vorlage, "nis"/"np": Niederschrift).
DOCUMENT_ROLES = {"sib": "invitation", "einl": "invitation", "to": "invitation", "vl": "mainFile",
                  "nis": "resultsProtocol", "np": "resultsProtocol", "prot": "resultsProtocol", "wp": "verbatimProtocol",
                  "beschluss": "resolutionFile"}
# documentType.id -> alias, for answers whose documents name no documentType (KISA's installs, zv-kisa.de, and
# the older ``documents.php`` addresses): the address still carries ``document_type_id`` (1 Bekanntmachung,
# 4 Vorlage, 5 the item's Beschluss, "Beschluss von TOP …").
TYPE_ALIASES = {"1": "sib", "4": "vl", "5": "beschluss"}
# The parameters of a document address that name what the document belongs to, most specific first.
RELATION_PARAMETERS = ("document_relation_id", "submission_attachment_id", "agenda_item_attachment_id", "submission_id",
                       "agenda_item_id", "meeting_id")
# Query parameters of a document address that say it belongs to the paper (Vorlage and its attachments).
PAPER_PARAMETERS = ("submission_id", "submission_attachment_id")
MIME = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def one_line(text: str | None) -> str | None:
    """Return a text with its line breaks (CRLF in rubin's titles) as single spaces, or None when empty."""
    if not text:
        return None
    return re.sub(r"\s+", " ", str(text)).strip() or None


def web_url(url: str | None) -> str | None:
    """Return a page address as rubin prints it, with an empty authority repaired.

    KISA's installs print ``full_url`` as ``http:///ris-zwenkau.zv-kisa.de/meeting?id=…`` (three slashes);
    the host is the first path segment.
    """
    if not url:
        return None
    return re.sub(r"^(https?:)/{3,}", r"\1//", str(url).strip())


def document_query(doc: dict) -> dict[str, str]:
    """Return the query parameters of a document's address (``document_type_id``, ``document_relation_id`` …)."""
    query = parse_qs(urlsplit(str(doc.get("documentUrl") or "")).query)
    return {key: values[0] for key, values in query.items() if values}


def about_paper(doc: dict) -> bool:
    """Return True for a document of the paper: relation type Submission, or an address naming the submission."""
    kind = doc.get("documentType") if isinstance(doc.get("documentType"), dict) else {}
    if "Submission" in str(doc.get("relationType") or "") or "Submission" in str(kind.get("relation_type") or ""):
        return True
    query = document_query(doc)
    return any(key in query for key in PAPER_PARAMETERS)


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
    kind = doc.get("documentType") if isinstance(doc.get("documentType"), dict) else {}
    query = document_query(doc)
    type_id = str(kind.get("id") or query.get("document_type_id") or "")
    relation = doc.get("relationId") or next((query[p] for p in RELATION_PARAMETERS if query.get(p)), None)
    alias = str(kind.get("alias") or TYPE_ALIASES.get(type_id, "")).lower()
    # rubin's own id is "<relation>|<type>" (compositeId); an answer without it has both in the address.
    system_id = doc.get("compositeId") or (f"{relation}|{type_id}" if relation and type_id else url)
    ext = (doc.get("documentExtension") or "").lower()
    name = one_line(doc.get("documentName"))
    file_name = name if name and ext and name.lower().endswith("." + ext) else (f"{name}.{ext}" if name and ext else name)
    return File(
        source=source,
        system=NAME,
        systemId=str(system_id),
        url=page_url,
        parentType=parent_type,
        parent=parent,
        role=role or DOCUMENT_ROLES.get(alias, "auxiliaryFile"),
        position=position,
        name=name or one_line(kind.get("name")),
        fileName=file_name,
        mimeType=MIME.get(ext),
        dateRaw=german_date(doc.get("documentDate")),
        size=doc.get("documentSize") if isinstance(doc.get("documentSize"), int) else None,
        accessUrl=url,
        downloadUrl=url,
    )
