"""Whether a page is komuna/KIC, which answer it is, and which app version printed it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from spiders.dialects.base import Page

NAME = "kic"

_SHELL_TITLE = re.compile(r"<title>\s*Ratsinformationssystem\s*</title>", re.I)
_SHELL_ROOT = re.compile(r"<div\s+id=[\"']root[\"']\s*>\s*</div>", re.I)
_SHELL_ASSET = re.compile(r"src=[\"']/(\w+)/static/js/index-[\w-]+\.js[\"']")
_WEBCONFIG = re.compile(r"\"serviceUrl\"\s*:\s*\"https?://[^\"]+\"[^{}]*\"org_key\"\s*:", re.S)
_HOST = re.compile(r"(?:^|\.)(?:komuna\.net|kic-software\.de)$", re.I)


def detect(page: Page) -> str | None:
    """Return why the page is KIC: the app shell, the webconfig, the shape of a guest-interface answer, or the host."""
    head = page.text[:20000]
    asset = _SHELL_ASSET.search(head)
    if asset and _SHELL_TITLE.search(head) and _SHELL_ROOT.search(head):
        return f"KIC app shell (title Ratsinformationssystem, empty div#root, assets /{asset.group(1)}/static/js/index-…)"
    kind = page_kind(page)
    if kind == "webconfig":
        return "KIC webconfig.json (serviceUrl, org_key)"
    if kind in ("guestmeetings", "guestmeeting", "guestagendaitem"):
        return f"KIC guest interface answer ({kind})"
    host = urlsplit(page.url).hostname or ""
    if _HOST.search(host) and "guest" in urlsplit(page.url).path:
        return f"host {host} (KIC guest interface)"
    return None


def page_kind(page: Page) -> str | None:
    """Return ``shell``, ``webconfig``, ``guestmeetings``, ``guestmeeting`` or ``guestagendaitem``."""
    head = page.text[:20000]
    text = head.lstrip()
    path = urlsplit(page.url).path
    if text.startswith("{"):
        if _WEBCONFIG.search(head):
            return "webconfig"
        if "\"conorderitems\"" in page.text or "\"textsanddocsvisible\"" in head or "/guestagendaitems/" in path:
            return "guestagendaitem"
        if "\"parts\"" in page.text and "\"meetingdate\"" in head:
            return "guestmeeting"
        if re.match(r"\{\s*\"items\"\s*:", text) and ("\"meetingdate\"" in head or re.match(r"\{\s*\"items\"\s*:\s*\[\s*\]", text)):
            return "guestmeetings"
        return None
    if _SHELL_ASSET.search(head) and _SHELL_ROOT.search(head):
        return "shell"
    return None


def is_refused(page: Page) -> bool:
    """Return True for the interface's refusals ({"message": "Tenant unknown"} and the like)."""
    text = page.text.strip()
    return bool(re.match(r"\{\s*\"(message|error)\"\s*:", text)) and page_kind(page) is None


def generation(page: Page) -> str:
    asset = _SHELL_ASSET.search(page.text[:20000])
    return "KIC app" + (f" {asset.group(1)}" if asset else "") + (" guest interface" if page.text.lstrip().startswith("{") else "")
