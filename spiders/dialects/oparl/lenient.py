"""Lenient readers of OParl JSON and its values: what real servers send, read as the spec means it.

Real servers bend the standard (see the pitfall catalogue of the OParl
primer). Everything here returns a clean value or None and never raises on
bad data, except ``load_json`` on a page that even repair cannot read:

* invalid JSON with raw control characters is repaired and the repair reported;
* ``""``, ``"N/A"``, ``"-"`` and whitespace are no value; NBSPs become spaces;
* an object where an array belongs is a one-element array;
* broken date-times (``+01::00``, ``""``, a date-time where a date belongs)
  are read leniently;
* ``mimeType: "pdf"`` becomes ``application/pdf``;
* an AGS that lost its leading zero is padded;
* GeoJSON points written ``[lat, lon]`` are turned round.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import re
from typing import Any

from pipelines.normalise.dates import BERLIN, parse_datetime_lenient
from spiders.dialects.base import ParseError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES_NBSP = re.compile(r"[\u00a0\u2007\u202f]")
_PLACEHOLDERS = {"", "n/a", "n.a.", "-"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LONGEST_PLACEHOLDER = max(map(len, _PLACEHOLDERS))
_NEEDS_REPAIR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00a0\u2007\u202f]")
_MIME_BY_EXTENSION = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
    "rtf": "application/rtf",
    "htm": "text/html",
    "html": "text/html",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "zip": "application/zip",
    "msg": "application/vnd.ms-outlook",
    "eml": "message/rfc822",
}


def load_json(text: str) -> tuple[Any, str | None]:
    """Return the decoded JSON of a page and a note when it had to be repaired.

    CC e-gov servers have sent strings with raw control characters
    (Braunschweig, U+0001–U+0006), which strict JSON forbids: those strings are
    read as they are (``strict=False``), and control characters between tokens
    are dropped. Raises ParseError when even that does not give JSON.
    """
    try:
        return json.loads(text), None
    except json.JSONDecodeError as first:
        error = first
    found = ", ".join(sorted({f"U+{ord(c):04X}" for c in text if ord(c) < 0x20 and c not in "\t\n\r"}))
    try:
        data = json.loads(text, strict=False)
        return data, f"unescaped control characters in strings ({found or 'line breaks or tabs'}), first at line {error.lineno}"
    except json.JSONDecodeError:
        pass
    try:
        data = json.loads(_CONTROL.sub("", text), strict=False)
        return data, f"control characters between tokens removed ({found}), first at line {error.lineno}"
    except json.JSONDecodeError as last:
        raise ParseError(f"invalid JSON: {last.msg} at line {last.lineno} column {last.colno}") from last


def clean_text(value: Any) -> str | None:
    """Return a string value without control characters, NBSP and placeholders, or None.

    ``""``, ``"N/A"`` and whitespace-only strings mean no value; line breaks
    inside a value are kept.
    """
    if type(value) is str:
        text = value
    elif value is None or isinstance(value, (dict, list, bool)):
        return None
    else:
        text = str(value)
    # Most values need no repair: printable ASCII has nothing to repair, the rest is searched once.
    if not (text.isascii() and text.isprintable()) and _NEEDS_REPAIR.search(text) is not None:
        text = _SPACES_NBSP.sub(" ", _CONTROL.sub("", text))
    text = text.strip()
    if len(text) <= _LONGEST_PLACEHOLDER and text.lower() in _PLACEHOLDERS:
        return None
    return text


def as_url(value: Any) -> str | None:
    """Return a reference as a URL: a string, or an embedded object's ``id``; None when it is no URL."""
    if isinstance(value, dict):
        value = value.get("id")
    if type(value) is str and value.isascii() and value.isprintable():
        value = value.strip()  # what clean_text leaves of printable ASCII (a URL is no placeholder)
        return value if "://" in value else None
    text = clean_text(value)
    return text if text and "://" in text else None


def as_list(value: Any) -> list:
    """Return a list value as a list: an object where an array belongs is a one-element array."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [v for v in value if v is not None and v != ""]
    return [value]


def as_urls(value: Any) -> list[str]:
    """Return the URLs of a reference list (URLs or embedded objects), dropping what is no URL."""
    return [u for u in (as_url(v) for v in as_list(value)) if u]


def first_url(value: Any) -> str | None:
    """Return the first URL of a reference or reference list (OParl lists the lead object first)."""
    refs = as_urls(value)
    return refs[0] if refs else None


def as_bool(value: Any) -> bool | None:
    """Return a boolean, also from ``"true"``/``"1"`` strings; None when it is none."""
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if text is None:
        return None
    return {"true": True, "false": False, "1": True, "0": False}.get(text.lower())


def as_int(value: Any) -> int | None:
    """Return an integer, also from a string of digits; None for booleans and anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = clean_text(value)
    return int(text) if text and re.fullmatch(r"-?\d+", text) else None


def parse_datetime(value: Any) -> dt.datetime | None:
    """Return an OParl date-time (tz-aware), repairing ``+01::00``; ``""`` and garbage give None."""
    text = clean_text(value)
    if not text:
        return None
    if "::" not in text and _ISO_DATE.match(text):
        # The common case, read directly: what parse_datetime_lenient does first for such values.
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return parse_datetime_lenient(text)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=BERLIN)
    return parse_datetime_lenient(text)


_EPOCH_DAY = "1970-01-01"
# Midnights that servers write for "no date" on every object: the Unix epoch (Sternberg's
# Hürtgenwald, more! rubin) and 2000-01-01 (ALLRIS 4 at Osnabrück and Langenhagen).
_PLACEHOLDER_DAYS = (dt.date(1970, 1, 1), dt.date(2000, 1, 1))


def parse_stamp(value: Any) -> dt.datetime | None:
    """Return an object's ``created``/``modified``; a placeholder midnight (1970-01-01, 2000-01-01) gives None.

    A date the server does not have must not pass for one: as ``modified`` it
    would stand for the object's last change in the warehouse and never move.
    """
    moment = parse_datetime(value)
    if moment is not None and moment.time() == dt.time(0) and moment.date() in _PLACEHOLDER_DAYS:
        return None
    return moment


def parse_day(value: Any) -> dt.date | None:
    """Return an OParl date; a date-time where a date belongs gives its day at its own offset.

    1970-01-01 is no date: it is the zero of Unix time that a server writes
    for a date it does not have (more! rubin's attachment files, Castrop-Rauxel).
    """
    text = clean_text(value)
    if not text or text.startswith(_EPOCH_DAY):
        return None
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    moment = parse_datetime_lenient(text)
    return moment.date() if moment else None


def iso_or_none(value: dt.datetime | None) -> str | None:
    """Return a date-time as ISO 8601 text, or None."""
    return value.isoformat() if value else None


def mime_type(value: Any, file_name: str | None = None) -> str | None:
    """Return a MIME type; a bare extension (``"pdf"``, ``"docx"``) becomes its MIME type."""
    text = clean_text(value)
    if text and "/" in text:
        return text.lower().split(";")[0].strip()
    extension = (text or "").lower().lstrip(".")
    if not extension and file_name and "." in file_name:
        extension = file_name.rsplit(".", 1)[1].lower()
    if not extension:
        return None
    return _MIME_BY_EXTENSION.get(extension) or mimetypes.types_map.get("." + extension)


def normalise_ags(ags: Any, rgs: Any = None) -> str | None:
    """Return the 8-digit Amtlicher Gemeindeschlüssel of a Body.

    Sternberg servers print it as a number and lose the leading zero
    (``5358016`` → ``05358016``). A 12-digit Regionalschlüssel holds the AGS as
    its first five and last three digits; a 9-digit value (Krefeld ``051140000``)
    is read through the RGS when there is one. Kreise have only 5 digits
    (OParl/spec#401): those are kept as they are.
    """
    digits = re.sub(r"\D", "", str(ags)) if ags is not None else ""
    rgs_digits = re.sub(r"\D", "", str(rgs)) if rgs is not None else ""
    if len(rgs_digits) == 11:
        rgs_digits = "0" + rgs_digits
    if len(digits) == 7:
        return "0" + digits
    if len(digits) in (5, 8):
        return digits
    if len(digits) == 4:
        return "0" + digits
    if len(rgs_digits) == 12:
        return rgs_digits[:5] + rgs_digits[9:]
    if len(digits) == 12:
        return digits[:5] + digits[9:]
    return digits or None


def point_lon_lat(geojson: Any) -> tuple[float, float] | None:
    """Return a GeoJSON point as (lon, lat), turning round points written [lat, lon].

    GeoJSON wants [lon, lat]; SD.NET writes [lat, lon]. In Germany longitude
    is 5–16 and latitude 47–56, so a first value in 47–56 with a second in
    5–16 can only be [lat, lon]. Coordinates given as strings are read too.
    """
    if not isinstance(geojson, dict):
        return None
    geometry = geojson.get("geometry") if geojson.get("type") == "Feature" else geojson
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None
    try:
        first, second = float(coordinates[0]), float(coordinates[1])
    except (TypeError, ValueError):
        return None
    if 47.0 <= first <= 56.0 and 5.0 <= second <= 16.0:
        return second, first
    return first, second


__all__ = [
    "as_bool",
    "as_int",
    "as_list",
    "as_url",
    "as_urls",
    "clean_text",
    "first_url",
    "iso_or_none",
    "load_json",
    "mime_type",
    "normalise_ags",
    "parse_datetime",
    "parse_day",
    "point_lon_lat",
]
