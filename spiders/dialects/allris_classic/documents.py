"""File items and their download Links: the ``do027`` documents and Anlagen of papers, meetings, agenda items.

Documents come as ``do027`` forms (classic) or links (responsive); Anlagen as
``___tmp/…/NN-Anlagen/MM/file`` links, whose URLs are session-scoped, so an
Anlage's id is made of its parent and its number.
"""

from __future__ import annotations

import mimetypes
import re
from typing import Callable
from urllib.parse import unquote, urlencode, urlsplit

from schemas.items import File
from spiders.dialects.allris_classic.doc import Doc, absolute_url, url_param
from spiders.dialects.allris_classic.text import line_text
from spiders.dialects.base import Link
from spiders.dialects.html import Element, classes, find_all, select, select_one

_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?")


def _document_label(title: str) -> str:
    return re.sub(r"\s*\(Öffnet [^)]*\)\s*$", "", title.strip()).strip()


def paper_document_role(name: str | None) -> str:
    """Return a paper document's role: the Vorlage is the main file; the collected
    document ("Sammeldokument", "Vorlage mit Anlagen") repeats it with the Anlagen."""
    name = (name or "").lower()
    return "auxiliaryFile" if "sammel" in name or "mit anlagen" in name else "mainFile"


def do027_documents_in(doc: Doc, scope: Element) -> list[dict]:
    """Return the ``do027`` documents (forms and links) in ``scope``: DOLFDNR, name, URL, PDF flag."""
    found: dict[str, dict] = {}
    for form in select(scope, 'form[action*="do027"]'):
        fields = [(i.get("name"), i.get("value", "")) for i in select(form, "input[type=hidden]") if i.get("name")]
        dolfdnr = dict(fields).get("DOLFDNR")
        if not dolfdnr or dolfdnr in found:
            continue
        button = select_one(form, "input[type=submit]")
        title = (button.get("title") or "") if button is not None else ""
        action = form.get("action") or "do027.asp"
        found[dolfdnr] = {
            "id": dolfdnr,
            "name": _document_label(title) or ((button.get("value") or None) if button is not None else None),
            "url": absolute_url(doc, action + ("&" if "?" in action else "?") + urlencode(fields)),
            "pdf": "PDF" in title,
        }
    for link in select(scope, 'a[href*="do027"]'):
        dolfdnr = url_param(link.get("href"), "DOLFDNR")
        if not dolfdnr or dolfdnr in found:
            continue
        hint = " ".join([link.get("data-simpletooltip-text", ""), " ".join(classes(link))])
        found[dolfdnr] = {
            "id": dolfdnr,
            "name": line_text(link),
            "url": absolute_url(doc, link.get("href")),
            "pdf": "pdf" in hint.lower(),
        }
    return list(found.values())


def anlagen_in(doc: Doc, scope: Element) -> list[dict]:
    """Return the Anlagen (``___tmp/…/NN-Anlagen/MM/file``) in ``scope``, one per Anlage number."""
    found: dict[int, dict] = {}
    for link in find_all(scope, "a", href=True):
        href = link.get("href")
        path_number = re.search(r"-Anlagen/(\d+)/", href)
        if "___tmp/" not in href and not path_number:
            continue
        title = link.get("title") or ""
        title_number = re.search(r"Anlage\s+(\d+)", title)
        if path_number:
            number = int(path_number.group(1))
        elif title_number:
            number = int(title_number.group(1))
        else:
            number = len(found) + 1
        stamp = _DATE.search(title)
        entry = found.get(number)
        if entry is None:
            file_name = unquote(urlsplit(href).path.rsplit("/", 1)[-1]) or None
            name = line_text(link)
            # The second Anlagen table repeats the name with its size: "… (460 KB)".
            if name:
                name = re.sub(r"\s*\(\d+(?:[.,]\d+)?\s*[KMG]B\)$", "", name)
            found[number] = entry = {
                "number": number,
                "name": name,
                "fileName": file_name,
                "url": absolute_url(doc, href),
                "dateRaw": None,
            }
        if entry["dateRaw"] is None and stamp:
            entry["dateRaw"] = stamp.group(0)
    return [found[n] for n in sorted(found)]


def file_items(
    doc: Doc,
    parent_type: str,
    parent: str,
    documents: list[dict],
    anlagen: list[dict],
    role_of: Callable[[str | None], str],
) -> tuple[list[File], list[Link]]:
    """Return File items and their download Links for a parent's documents and Anlagen."""
    items: list[File] = []
    for position, entry in enumerate(documents, start=1):
        items.append(
            File(
                **doc.base(entry["id"]),
                parentType=parent_type,
                parent=parent,
                role=role_of(entry["name"]),
                position=position,
                name=entry["name"],
                mimeType="application/pdf" if entry["pdf"] else None,
                accessUrl=entry["url"],
            )
        )
    for entry in anlagen:
        # ___tmp URLs are session-scoped: the id comes from parent and Anlage number.
        items.append(
            File(
                **doc.base(f"{parent}-anlage-{entry['number']}"),
                parentType=parent_type,
                parent=parent,
                role="auxiliaryFile",
                position=entry["number"],
                name=entry["name"],
                fileName=entry["fileName"],
                mimeType=mimetypes.guess_type(entry["fileName"] or "")[0],
                dateRaw=entry["dateRaw"],
                accessUrl=entry["url"],
            )
        )
    links = [
        Link(f.accessUrl, "file", {"parent": parent, "parentType": parent_type, "fileSystemId": f.systemId})
        for f in items
        if f.accessUrl
    ]
    return items, links


def meeting_file_role(name: str | None) -> str:
    """Return a meeting document's role from its name: invitation, protocols, else auxiliaryFile."""
    lowered = (name or "").lower()
    if "einladung" in lowered:
        return "invitation"
    if "wortprotokoll" in lowered:
        return "verbatimProtocol"
    if "niederschrift" in lowered or "protokoll" in lowered:
        return "resultsProtocol"
    return "auxiliaryFile"
