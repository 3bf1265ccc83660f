"""Stable documents (``docNNN.<ext>`` Wicket resources) as File items with their roles."""

from __future__ import annotations

import re

from schemas.items import File
from spiders.dialects.allris4.fields import NAME
from spiders.dialects.base import Link, Page, join_url
from spiders.dialects.html import Element, select
from spiders.dialects.html_text import one_line


_STABLE_DOC = re.compile(r"wicket/resource/org\.apache\.wicket\.Application/(doc(\d+)\.(\w+))")


_MIME = {"pdf": "application/pdf", "doc": "application/msword", "docx":
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xls": "application/vnd.ms-excel", "jpg": "image/jpeg", "png": "image/png"}


def document_files(scope: Element, page: Page, source: str, parent_type: str, parent: str, paper_roles: bool = False) -> list[File]:
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
        url = join_url(page.url, a.get("href"))
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


def unique_files(files: list[File]) -> list[File]:
    seen: dict[str, File] = {}
    for f in files:
        seen.setdefault(f.systemId, f)
    return list(seen.values())


def file_links(files: list[File]) -> list[Link]:
    return [
        Link(url=f.accessUrl, kind="file", meta={"file": f.systemId, "parentType": f.parentType, "parent": f.parent})
        for f in files
        if f.accessUrl
    ]
