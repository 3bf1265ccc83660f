"""Documents (``getfile?id=``) as File items with their roles, and the inline Word texts of a page."""

from __future__ import annotations

import re

from schemas.items import File
from spiders.dialects.base import Link
from spiders.dialects.html import Element, ancestor, classes, outer_html, select, select_one
from spiders.dialects.html_text import one_line, paragraphs
from spiders.dialects.sessionnet.context import PageContext, param

_MIME = {"pdf": "application/pdf", "doc": "application/msword", "docx":
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xls": "application/vnd.ms-excel", "xlsx":
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "jpg": "image/jpeg", "png": "image/png", "zip": "application/zip"}


_DOCUMENT_LINK = 'a[href*="getfile."]'


def documents(
    scope: Element, ctx: PageContext, parent_type: str, parent: str, paper_roles: bool = False, leave_out: Element | None = None
) -> list[File]:
    """Return the documents (``getfile?id=N``) linked in ``scope``, once each, in page order.

    Layout 6 prints each document twice (icon button and name link) inside a
    ``div.smc-d-el``, marks attachments with ``smc-d-ex`` and the document type
    in ``i.smc-doc-dakurz``; Layout 4 prints ``table.smcdocbox`` rows with the
    size in ``span.smcdosize``. For papers the first non-attachment is the main
    file; for meetings the name decides (Einladung/Tagesordnung/Bekanntmachung →
    invitation, Niederschrift/Protokoll → resultsProtocol).

    ``leave_out`` is a part of ``scope`` whose documents are not read (the
    agenda, when reading a meeting's own documents); the scope is then read as
    a part cut out of the page, so a document's box is looked for within it.
    """
    found: dict[str, dict] = {}
    left_out = frozenset(select(leave_out, _DOCUMENT_LINK)) if leave_out is not None else frozenset()
    for a in select(scope, _DOCUMENT_LINK):
        if a in left_out:
            continue
        file_id = param(a.get("href"), "id")
        if not file_id:
            continue
        entry = found.setdefault(file_id, {"names": [], "attachment": False, "mime": None})
        text = one_line(a, without=".smcdosize, .sr-only")
        if text:
            entry["names"].append(text)
        if a.get("title") and not a.get("title").startswith("Dokument Download"):
            entry.setdefault("title", a.get("title").strip())
        box = ancestor(a, "div", class_="smc-d-el", up_to=scope if leave_out is not None else None)
        if box is not None and "smc-d-ex" in classes(box):
            entry["attachment"] = True
        m = re.search(r"Dateityp:\s*(\w+)", a.get("title", "")) or re.search(r"im/(\w+)\.gif", outer_html(img) if (img := select_one(a, "img")) is not None else "")
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
    """Return the role of a meeting document from its name (invitation, resultsProtocol …)."""
    if name and re.search(r"einladung|tagesordnung|bekanntmachung", name, re.I):
        return "invitation"
    if name and re.search(r"wortprotokoll", name, re.I):
        return "verbatimProtocol"
    if name and re.search(r"niederschrift|protokoll", name, re.I):
        return "resultsProtocol"
    return "auxiliaryFile"


def file_links(files: list[File]) -> list[Link]:
    """Return a "file" Link per document, carrying its id and parent for the download step."""
    return [
        Link(url=f.accessUrl, kind="file", meta={"file": f.systemId, "parentType": f.parentType, "parent": f.parent})
        for f in files
        if f.accessUrl
    ]


def word_texts(scope: Element) -> list[str]:
    """Return the texts of the inline Word documents (``div.smcdocmsword``) in page order, empty ones left out."""
    texts = [paragraphs(div) for div in select(scope, "div.smcdocmsword")]
    return [t for t in texts if t]
