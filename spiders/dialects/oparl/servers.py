"""What the crawl keeps of a System and a Body, and which server family answers.

A ``Body`` is no item: its name and AGS go to the crawl manifest and from
there into the warehouse's ``source`` table (``pipelines.warehouse.sync_state``). The
server family (``sternberg``, ``somacos``, ``ccegov``, ``generic``) decides
vendor workarounds such as the encoding of ``modified_since``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from spiders.dialects.oparl.lenient import as_url, clean_text, iso_or_none, normalise_ags, parse_datetime, point_lon_lat
from spiders.dialects.oparl.vocabulary import MANDATORY_LISTS, OPTIONAL_LISTS


def vendor_of(system: dict | None = None, url: str | None = None) -> str:
    """Return the server family (``sternberg``, ``somacos``, ``ccegov``, ``generic``).

    Read from the System's vendor/product/contact, else from the URL shape:
    SD.NET serves ``…/webservice/oparl/v1.x/``, SessionNet ``…/oparl/bodies/0001``,
    ALLRIS classic ``….asp``.
    """
    if system:
        text = " ".join(str(system.get(k) or "") for k in ("vendor", "product", "contactName")).lower()
        if "sternberg" in text or "sitzungsdienst.net" in text:
            return "sternberg"
        if "somacos" in text:
            return "somacos"
        if "cc-egov" in text:
            return "ccegov"
    if url:
        path = urlsplit(url).path.lower()
        if "/webservice/oparl/" in path:
            return "sternberg"
        if re.search(r"/oparl/bodies(/\d{4})?(/|$)", path) and not urlsplit(url).query:
            return "somacos"
        if path.endswith(".asp"):
            return "ccegov"
    return "generic"


def system_summary(system: dict) -> dict[str, Any]:
    """Return what the crawl keeps of a System: id, version, name, vendor (placeholders dropped)."""
    return {
        "id": as_url(system.get("id")),
        "oparlVersion": clean_text(system.get("oparlVersion")),
        "name": clean_text(system.get("name")),
        "website": as_url(system.get("website")),
        "vendor": clean_text(system.get("vendor")),
        "product": clean_text(system.get("product")),
        "family": vendor_of(system, as_url(system.get("id"))),
    }


def body_summary(body: dict) -> dict[str, Any]:
    """Return what the crawl keeps of a Body: id, names, AGS (8 digits), place and dates."""
    location = body.get("location") if isinstance(body.get("location"), dict) else {}
    point = point_lon_lat(location.get("geojson"))
    return {
        "id": as_url(body.get("id")),
        "name": clean_text(body.get("name")),
        "shortName": clean_text(body.get("shortName")),
        "ags": normalise_ags(body.get("ags"), body.get("rgs")),
        "agsRaw": clean_text(body.get("ags")),
        "rgs": clean_text(body.get("rgs")),
        "website": as_url(body.get("website")),
        "postalCode": clean_text(location.get("postalCode")),
        "locality": clean_text(location.get("locality")),
        "streetAddress": clean_text(location.get("streetAddress")),
        "lon": point[0] if point else None,
        "lat": point[1] if point else None,
        "created": iso_or_none(parse_datetime(body.get("created"))),
        "modified": iso_or_none(parse_datetime(body.get("modified"))),
        "lists": {name: url for name in (*MANDATORY_LISTS, *OPTIONAL_LISTS) if (url := as_url(body.get(name)))},
    }


__all__ = ["body_summary", "system_summary", "vendor_of"]
