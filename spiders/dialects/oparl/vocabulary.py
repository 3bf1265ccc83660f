"""The OParl object types and Body lists this dialect knows, and the type of an object.

An object names its type in ``type`` (``https://schema.oparl.org/1.1/Paper``);
tombstones (``deleted: true``) often leave it out, and are then typed from the
list they stand in or from the words of their URL.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from spiders.dialects.oparl.lenient import as_url

NAME = "oparl"

# The schema URL of a type as it stands in the page text (slashes may be escaped):
# group 1 the OParl version, group 2 the type.
SCHEMA_TYPE = re.compile(r'"type"\s*:\s*"https?:\\?/\\?/schema\.oparl\.org\\?/(1\.[01])\\?/(\w+)"')

# The Body's external lists this crawl understands, and the type of their objects.
MANDATORY_LISTS = ("organization", "person", "meeting", "paper")
OPTIONAL_LISTS = ("membership", "agendaItem", "consultation", "file")  # new in 1.1
LIST_TYPES = {
    "organization": "Organization",
    "person": "Person",
    "meeting": "Meeting",
    "paper": "Paper",
    "membership": "Membership",
    "agendaItem": "AgendaItem",
    "consultation": "Consultation",
    "file": "File",
    "body": "Body",
}
_TYPES = (
    "System", "Body", "LegislativeTerm", "Organization", "Person", "Membership", "Meeting",
    "AgendaItem", "Paper", "Consultation", "File", "Location", "Error",
)
_TYPE_BY_LOWER = {t.lower(): t for t in _TYPES}
# URL path words that name a type (Sternberg /paper/1, SessionNet /papers/vo/1,
# ALLRIS papers.asp?id=1, ALLRIS 4 /oparl/papers?id=1): used for tombstones without type.
_TYPE_BY_PATH_WORD = {
    **{t.lower(): t for t in _TYPES},
    **{t.lower() + "s": t for t in _TYPES},
    "people": "Person",
    "bodies": "Body",
    "agendaitems": "AgendaItem",
    "legislativeterms": "LegislativeTerm",
}


def type_name(obj: dict, expected: str | None, url: str | None = None) -> str | None:
    """Return an object's type (``Paper`` …): its ``type``, else the list's, else its URL's."""
    declared = obj.get("type")
    if isinstance(declared, str) and declared.strip():
        short = declared.rstrip("/").rsplit("/", 1)[-1]
        found = _TYPE_BY_LOWER.get(short.lower())
        if found:
            return found
    if expected:
        return expected
    for candidate in (as_url(obj.get("id")), url):
        if candidate:
            found = type_from_url(candidate)
            if found:
                return found
    return None


def type_from_url(url: str) -> str | None:
    """Return the type a URL's path names (``…/paper/3775``, ``…/papers/vo/1``, ``papers.asp``)."""
    words = re.split(r"[/.?&=]+", urlsplit(url).path.lower())
    for word in reversed(words):
        if word in _TYPE_BY_PATH_WORD:
            return _TYPE_BY_PATH_WORD[word]
    return None


def list_of_type(kind: str | None) -> str | None:
    """Return the name of the Body list that holds objects of a type (``Paper`` → ``paper``), or None."""
    return next((name for name, t in LIST_TYPES.items() if t == kind), None)


__all__ = ["LIST_TYPES", "MANDATORY_LISTS", "NAME", "OPTIONAL_LISTS", "SCHEMA_TYPE", "list_of_type", "type_from_url", "type_name"]
