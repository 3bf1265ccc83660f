"""A more! rubin meeting: the interface's JSON answer, or the meeting page whose script holds it.

The answer holds the meeting's fields (as in the calendar), its ``documents``
(Bekanntmachung …), its ``committees`` and its ``agenda_items``: each with
``id`` ("<meeting>|<Vorlagennummer or short code>|1", the id here), ``topnummer``,
``folge`` (order), ``title``, ``status`` (1 public, 2 non-public, as the
consultations' ``topstatus``/``topstatus_lang`` say), ``parent_id`` (the
``ai_id`` of the enclosing item), ``abstimmungstext``, ``documents`` and, for
an item with a paper, ``submission``: the paper (``id``, ``alias`` = its number
"420/2026", ``type.bezeichnung``, ``erstellungsdatum``) with its
``consultations`` (Beratungsfolge: ``sitzungsnummer``, ``gremium``,
``agenda_item_id``, ``beratungsstatus_lang``, ``committee``).

The meeting page embeds the same object in a ``<script>``: the first JSON
object there that has ``agenda_items`` is the meeting, however the script
assigns it.
"""

from __future__ import annotations

import json
import re

from schemas.items import AgendaItem, Consultation, File, Item, Organization, Paper
from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.rubin.calendars import meeting_from
from spiders.dialects.rubin.common import TYPE_ALIASES, about_paper, document, document_query, german_date, one_line
from spiders.dialects.rubin.detection import NAME

PUBLIC_STATUS = {1: True, 2: False}
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)


def meeting_json(page: Page) -> dict:
    """Return the meeting object of an interface answer or of the meeting page's script."""
    text = page.text.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ParseError(f"more! rubin meeting is no JSON: {exc}") from exc
        if isinstance(data, dict) and isinstance(data.get("meeting"), dict):
            data = data["meeting"]
        if isinstance(data, dict) and "agenda_items" in data:
            return data
        raise ParseError("more! rubin answer without agenda_items")
    decoder = json.JSONDecoder()
    for script in _SCRIPT.findall(page.text):
        for m in re.finditer(r"\{", script):
            if '"agenda_items"' not in script[m.start():]:
                break
            try:
                data, _ = decoder.raw_decode(script, m.start())
            except ValueError:
                continue
            if isinstance(data, dict) and "agenda_items" in data:
                return data
    raise ParseError(f"no meeting JSON in the page's scripts: {page.url}")


def parse_meeting(page: Page, source: str) -> Parsed:
    """Return the meeting, its committees, agenda items, papers, consultations and documents."""
    data = meeting_json(page)
    committees = [c for c in data.get("committees") or [] if isinstance(c, dict)]
    committee_name = one_line(committees[0].get("name") or committees[0].get("Bezeichnung")) if committees else None
    meeting = meeting_from(data, page.url, source, committee_name)
    if meeting is None:
        raise ParseError("more! rubin meeting without its number (nummer)")
    items: list[Item] = [meeting]
    for c in committees:
        items.append(Organization(source=source, system=NAME, systemId=str(c.get("id") or c.get("Kuerzel")), url=page.url,
                                  web=c.get("risUrl"), name=one_line(c.get("name") or c.get("Bezeichnung")),
                                  shortName=c.get("kurzanzeige") or c.get("Kuerzel"), organizationType="Gremium"))
    for n, doc in enumerate(data.get("documents") or [], start=1):
        f = document(doc, page.url, source, "Meeting", meeting.systemId, n)
        if f:
            items.append(f)
    agenda = [a for a in data.get("agenda_items") or [] if isinstance(a, dict)]
    by_ai = {a.get("ai_id"): str(a.get("id")) for a in agenda if a.get("ai_id") is not None}
    for order, entry in enumerate(sorted(agenda, key=lambda a: (a.get("folge") is None, a.get("folge") or 0))):
        items += _agenda_item(entry, order, by_ai, meeting.systemId, page.url, source)
    items = _unique(items)
    parsed = Parsed(items=items, follow=[Link(i.accessUrl, "file") for i in items if isinstance(i, File) and i.accessUrl])
    parsed.fields_seen = {"dateRaw": meeting.dateRaw is not None, "agenda": bool(agenda),
                          "organizationName": meeting.organizationName is not None}
    return parsed


def _agenda_item(entry: dict, order: int, by_ai: dict, meeting_id: str, url: str, source: str) -> list[Item]:
    item_id = str(entry.get("id") or f"{meeting_id}|{entry.get('topnummer')}")
    submission = entry.get("submission") if isinstance(entry.get("submission"), dict) else None
    # The paper's id is the item's Vorlagennummer (the submission's id, also in its documents' addresses);
    # some answers (KISA's) send the submission with its number ``alias`` only.
    paper_id = str(submission.get("id") or entry.get("vorlagennummer") or "") or None if submission else None
    documents = [d for d in entry.get("documents") or [] if isinstance(d, dict)]
    out: list[Item] = [AgendaItem(
        source=source, system=NAME, systemId=item_id, url=url, meeting=meeting_id,
        number=str(entry.get("topnummer") or entry.get("number") or "") or None, order=order,
        parent=by_ai.get(entry.get("parent_id")), name=one_line(entry.get("title")),
        public=PUBLIC_STATUS.get(_int(entry.get("status"))), paper=paper_id,
        paperReference=one_line(submission.get("alias")) if submission else None,
        resultRaw=one_line(entry.get("abstimmungstext")),
    )]
    if submission:
        kind = submission.get("type") if isinstance(submission.get("type"), dict) else {}
        printed_type, printed_name = _named_in_document(documents, submission.get("alias"))
        out.append(Paper(source=source, system=NAME, systemId=paper_id, url=url,
                         reference=one_line(submission.get("alias")), name=one_line(submission.get("name")) or printed_name,
                         paperType=one_line(kind.get("bezeichnung") or kind.get("name")) or printed_type,
                         dateRaw=german_date(submission.get("erstellungsdatum"))))
        for c in submission.get("consultations") or []:
            committee = c.get("committee") if isinstance(c.get("committee"), dict) else {}
            out.append(Consultation(
                source=source, system=NAME, systemId=str(c.get("id")), url=url, paper=paper_id,
                position=c.get("folge"), meeting=c.get("sitzungsnummer"), agendaItem=c.get("agenda_item_id"),
                organization=c.get("gremium"), organizationName=one_line(committee.get("name")),
                role=one_line(c.get("beratungsstatus_lang")), state=one_line(c.get("status")),
                dateRaw=german_date(c.get("sitzungsdatum")),
            ))
    position = {"Paper": 0, "AgendaItem": 0}
    for doc in documents:
        parent_type, parent = ("Paper", paper_id) if paper_id and about_paper(doc) else ("AgendaItem", item_id)
        position[parent_type] += 1
        f = document(doc, url, source, parent_type, parent, position[parent_type])
        if f:
            out.append(f)
    return out


def _int(value) -> int | None:
    """Return a number the answer may send as a string ("1" in the older installs' pages)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _named_in_document(documents: list[dict], alias: str | None) -> tuple[str | None, str | None]:
    """Return the paper type and subject as the paper's own document names them.

    rubin names a paper's document "<type> <number> (<subject>).pdf" ("Beschlussvorlage 2026/101 (…).pdf");
    an answer whose submission carries only its number still has that document (type 4, Vorlage).
    """
    if not alias:
        return None, None
    for doc in documents:
        kind = doc.get("documentType") if isinstance(doc.get("documentType"), dict) else {}
        type_id = str(kind.get("id") or document_query(doc).get("document_type_id") or "")
        if str(kind.get("alias") or TYPE_ALIASES.get(type_id, "")).lower() != "vl":
            continue
        name = one_line(doc.get("documentName")) or ""
        m = re.match(rf"(.+?)\s+{re.escape(str(alias))}\s*\((.*)\)(?:\.\w{{2,4}})?$", name, re.S)
        if m:
            return one_line(m.group(1)), one_line(m.group(2))
    return None, None


def _unique(items: list[Item]) -> list[Item]:
    seen: dict[tuple[str, str], Item] = {}
    for item in items:
        seen.setdefault((item.type, item.systemId), item)
    return list(seen.values())
