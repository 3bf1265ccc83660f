"""The answers of KIC's guest interface: configuration, meeting list, meeting, agenda item."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from urllib.parse import quote, urlencode, urljoin, urlsplit, urlunsplit


from schemas.items import AgendaItem, Consultation, File, Item, Meeting, Paper
from spiders.dialects.base import Link, Page, Parsed, ParseError, year_months
from spiders.dialects.html_text import paragraphs
from spiders.dialects.kic.detection import NAME, _SHELL_ASSET
from spiders.dialects.html import parse_html

# The role KIC appends to an item's title ("… (beschließend)"); the consultation keeps it.
_ROLE = re.compile(r"\s*\((beschließend|vorberatend|empfehlend|zur Kenntnis(?:nahme)?|Kenntnisnahme|anhörend|informativ)\)\s*$", re.I)
# votingkind -> result, the kinds whose wording Ratsmonitor's importer records.
VOTING_KINDS = {2: "mehrheitlich abgelehnt", 3: "einstimmig angenommen"}
DEFAULT_VERSION = "51b"
_APP_SEGMENTS = {"app", "index.html", "meeting.mvc"}


def portal_base(base_url: str) -> str:
    """Return the install's base: the host, and the install's own first path segment (``/ainring/``) if it has one."""
    parts = urlsplit(base_url)
    segments = [s.split(";")[0] for s in parts.path.split("/") if s]
    own = segments[0] if segments and segments[0].lower() not in _APP_SEGMENTS and "." not in segments[0] else ""
    return urlunsplit((parts.scheme, parts.netloc, f"/{own}/" if own else "/", "", ""))


def start_urls(base_url: str, months=(), first_page: Page | None = None) -> list[Link]:
    """Return the install's webconfig.json, with the month window and the app's identity for the requests after it."""
    window = sorted(year_months(list(months)))
    if not window:
        raise ValueError("KIC needs a month window (--months)")
    base = portal_base(base_url)
    version = DEFAULT_VERSION
    if first_page is not None:
        asset = _SHELL_ASSET.search(first_page.text[:20000])
        version = asset.group(1) if asset else version
    (y0, m0), (y1, m1) = window[0], window[-1]
    last_day = (dt.date(y1 + (m1 == 12), m1 % 12 + 1, 1) - dt.timedelta(days=1)).day
    host_path = urlsplit(base).netloc + urlsplit(base).path.rstrip("/")
    custom = urlsplit(base).path.strip("/")
    return [Link(urljoin(base, f"{version}/webconfig.json"), "webconfig",
                 meta={"window": [f"{y0}-{m0:02d}-01", f"{y1}-{m1:02d}-{last_day:02d}"], "uniqueId": host_path,
                       "customName": custom})]


def parse_webconfig(page: Page, source: str, window: list[str] | None = None, unique_id: str | None = None,
                    custom_name: str = "") -> Parsed:
    """Return the meeting list request of the window, with the app's headers, from the install's configuration."""
    try:
        config = json.loads(page.text)
    except ValueError as exc:
        raise ParseError(f"KIC webconfig is no JSON: {exc}") from exc
    api, key = config.get("serviceUrl"), config.get("org_key")
    if not api or not key or not str(api).startswith(("http://", "https://")):
        raise ParseError("KIC webconfig without serviceUrl or org_key")
    api = str(api).rstrip("/") + "/"
    if unique_id is None:
        parts = urlsplit(page.url)
        unique_id = parts.netloc + re.sub(r"/[^/]+/webconfig\.json$", "", parts.path)
    headers = {"x-orgkey": str(key), "x-uniqueid": unique_id, "x-customname": custom_name, "Accept": "application/json"}
    parsed = Parsed(hosts=[urlsplit(api).netloc])  # the interface may run on a host of its own (risapi1.komuna.net)
    if window:
        parsed.follow.append(Link(urljoin(api, "web/guestmeetings?" + urlencode({"from": window[0], "until": window[1]})),
                                  "guestmeetings", meta={"headers": headers}))
    return parsed


def _api_of(url: str) -> str:
    return url.split("web/guest", 1)[0]


def _load(page: Page) -> dict:
    try:
        data = json.loads(page.text)
    except ValueError as exc:
        raise ParseError(f"KIC answer is no JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ParseError("KIC answer is no object")
    return data


def parse_meetings(page: Page, source: str) -> Parsed:
    """Return a Meeting per list entry, and the detail of those with a public part that are not cancelled."""
    data = _load(page)
    entries = data.get("items")
    if not isinstance(entries, list):
        raise ParseError("KIC meeting list without items")
    api = _api_of(page.url)
    parsed = Parsed()
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("id") in (None, ""):
            continue
        meeting_id = str(entry.get("id"))
        state, visibility = _int(entry.get("state")), _int(entry.get("visibility"))
        parsed.items.append(Meeting(
            source=source, system=NAME, systemId=meeting_id, url=page.url, name=_text(entry.get("name")),
            organizationName=_text(entry.get("committeename")), dateRaw=_day(entry.get("meetingdate")),
            timeRaw=_times(entry.get("absolutestarttime"), entry.get("absoluteendtime")), room=_text(entry.get("loc_name")),
            cancelled=True if state == 3 else None,
        ))
        if state != 3 and visibility != 2:
            parsed.follow.append(Link(urljoin(api, f"web/guestmeetings/{quote(meeting_id)}"), "guestmeeting"))
    parsed.fields_seen = {"meetings": bool(entries)}
    return parsed


def parse_meeting(page: Page, source: str) -> Parsed:
    """Return the meeting, its agenda items (both parts; the non-public ones as such) and the public items' details."""
    data = _load(page)
    parts = data.get("parts")
    if not isinstance(parts, list):
        raise ParseError("KIC meeting without parts")
    meeting_id = str(data.get("id") or urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1])
    api = _api_of(page.url)
    street = _text(data.get("locationstreet"))
    place = " ".join(x for x in (_text(data.get("locationzip")), _text(data.get("locationcity"))) if x)
    items: list[Item] = [Meeting(
        source=source, system=NAME, systemId=meeting_id, url=page.url, name=_text(data.get("name")),
        organization=str(data["committeeid"]) if data.get("committeeid") is not None else None,
        organizationName=_text(data.get("committeename")), dateRaw=_day(data.get("meetingdate")),
        timeRaw=_times(data.get("absolutestarttime"), data.get("absoluteendtime")),
        room=_text(data.get("locationname")), locality=", ".join(x for x in (street, place) if x) or None,
        cancelled=True if _int(data.get("state")) == 3 else None,
    )]
    follow: list[Link] = []
    order = 0
    for part in parts:
        if not isinstance(part, dict):
            continue
        part_public = _false(part.get("protectedpart"))
        for entry in part.get("agendaitems") or []:
            if not isinstance(entry, dict) or not entry.get("id"):
                continue
            item_id = str(entry.get("id"))
            public = bool(part_public and _false(entry.get("restricted")))
            number = _text(entry.get("numbering"))
            items.append(AgendaItem(
                source=source, system=NAME, systemId=item_id, url=page.url, meeting=meeting_id, number=number,
                order=order, parent=_parent(items, number), name=_title(entry.get("name")), public=public,
            ))
            if public:
                follow.append(Link(urljoin(api, f"web/guestagendaitems/{quote(item_id)}"), "guestagendaitem"))
            order += 1
    parsed = Parsed(items=items, follow=follow)
    parsed.fields_seen = {"dateRaw": items[0].dateRaw is not None, "agenda": order > 0}
    return parsed


def parse_agendaitem(page: Page, source: str) -> Parsed:
    """Return the agenda item with its result and resolution, its paper's Beratungsfolge and the documents open to guests."""
    data = _load(page)
    item_id = str(data.get("id") or "")
    if not item_id:
        raise ParseError("KIC agenda item without id")
    if not _false(data.get("restricted")):
        raise ParseError(f"KIC agenda item not marked public: {item_id}")
    api = _api_of(page.url)
    conorders = [c for c in data.get("conorderitems") or [] if isinstance(c, dict)]
    paper_id = f"conorder-{data['conorderid']}" if conorders and data.get("conorderid") else None
    name = _title(data.get("name"))
    result, resolution = _votes(data.get("votings"))
    items: list[Item] = [AgendaItem(
        source=source, system=NAME, systemId=item_id, url=page.url,
        meeting=str(data["meetingid"]) if data.get("meetingid") is not None else None,
        number=_text(data.get("numbering")), name=name, public=True, paper=paper_id,
        resultRaw=result, resolutionText=resolution,
    )]
    if paper_id:
        items.append(Paper(source=source, system=NAME, systemId=paper_id, url=page.url, name=name,
                           sachverhalt=_textblock(data.get("textblocks"), ("sachverhalt", "begründung"))))
    for position, c in enumerate(conorders, start=1):
        items.append(Consultation(
            source=source, system=NAME, systemId=str(c.get("agendaitemid") or f"{paper_id}/{position}"), url=page.url,
            paper=paper_id, position=position, meeting=str(c["meetingid"]) if c.get("meetingid") is not None else None,
            agendaItem=_text(c.get("agendaitemid")),
            organization=str(c["committeeid"]) if c.get("committeeid") is not None else None,
            organizationName=_text(c.get("committeename")), role=_text(c.get("conordertypename")),
            dateRaw=_day(c.get("meetingdate")),
        ))
    # Documents are open to guests only where texts and documents are released and downloads allowed
    # (Waldkraiburg releases an item's title but not its documents: ``downloadallowed`` false).
    if data.get("textsanddocsvisible") is True and data.get("downloadallowed") is not False:
        docs = [d for d in data.get("documents") or [] if isinstance(d, dict) and d.get("id")
                and d.get("guestvisible") is not False and not d.get("isprotected")]
        for position, d in enumerate(docs, start=1):
            url = urljoin(api, f"web/guestagendaitems/documents/{quote(str(d['id']))}")
            ext = str(d.get("fileext") or "").lstrip(".").lower()
            doc_name = _text(d.get("name")) or "Dokument"
            main = paper_id is not None and position == 1
            items.append(File(
                source=source, system=NAME, systemId=str(d.get("id")), url=page.url,
                parentType="Paper" if paper_id else "AgendaItem", parent=paper_id or item_id,
                role="mainFile" if main else "auxiliaryFile", position=position, name=doc_name,
                fileName=f"{doc_name}.{ext}" if ext else doc_name,
                mimeType="application/pdf" if ext == "pdf" else None, accessUrl=url, downloadUrl=url,
            ))
    parsed = Parsed(items=items, follow=[Link(i.accessUrl, "file") for i in items if isinstance(i, File)])
    parsed.fields_seen = {"name": name is not None}
    return parsed


def _votes(votings) -> tuple[str | None, str | None]:
    """Return the result ("Ja: 12, Nein: 3" or the kind's wording) and the resolution text of an item's votings."""
    results, texts = [], []
    for v in votings or []:
        if not isinstance(v, dict):
            continue
        yes, no, none = v.get("resultyes"), v.get("resultno"), v.get("resultnone")
        kind = _int(v.get("votingkind"))
        if kind == 0 and (yes or no):
            results.append(", ".join(f"{label}: {n}" for label, n in (("Ja", yes), ("Nein", no), ("Enthaltung", none))
                                     if n is not None))
        elif kind in VOTING_KINDS:
            results.append(VOTING_KINDS[kind])
        text = _textblock(v.get("textblocks"), ("beschluss",))
        if text:
            texts.append(text)
    return ("; ".join(results) or None), ("\n".join(texts) or None)


def _textblock(blocks, captions: tuple[str, ...]) -> str | None:
    """Return the text of the first block whose caption names one of ``captions``; blocks hold base64-coded HTML."""
    for block in blocks or []:
        if not isinstance(block, dict) or not any(c in str(block.get("caption") or "").lower() for c in captions):
            continue
        raw = str(block.get("content") or "")
        try:
            html = base64.b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            continue
        return paragraphs(parse_html(html))
    return None


def _parent(items: list[Item], number: str | None) -> str | None:
    """Return the id of the item whose number heads this one's ("4" for "4.1")."""
    if not number or "." not in number.strip("."):
        return None
    head = number.strip(".").rsplit(".", 1)[0]
    for item in reversed(items):
        if isinstance(item, AgendaItem) and (item.number or "").strip(".") == head:
            return item.systemId
    return None


def _title(value) -> str | None:
    text = _text(value)
    return _ROLE.sub("", text) if text else None


def _text(value) -> str | None:
    return re.sub(r"\s+", " ", str(value)).strip() or None if value not in (None, "") else None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _false(value) -> bool:
    """Return True only for an explicit "not protected/restricted" flag (false, "false", "ö"): unknown values are closed."""
    return value is False or str(value).strip().lower() in ("false", "ö")


def _day(value) -> str | None:
    try:
        return dt.datetime.fromisoformat(str(value)).strftime("%d.%m.%Y") if value else None
    except ValueError:
        return None


def _times(start, end) -> str | None:
    def hhmm(value):
        text = str(value or "")
        return text[11:16] if len(text) >= 16 and text[11:16] != "00:00" else None
    a, b = hhmm(start), hhmm(end)
    return (f"{a} - {b} Uhr" if b else f"{a} Uhr") if a else None
