"""Which OParl version and which server product a page comes from (what ``ratsinfo detect`` prints).

The version is read from the schema URL of the page's type
(``https://schema.oparl.org/1.1/Paper``; a System's ``oparlVersion`` first).
The product is read from a System's ``vendor``/``product`` where the page is a
System, else from the shape of the object URLs, which each server family
builds its own way (``servers.vendor_of``). What a page does not show is left
out rather than guessed.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from spiders.dialects.base import ParseError
from spiders.dialects.oparl.lenient import as_url, clean_text, load_json
from spiders.dialects.oparl.lists import is_list_page, list_entries
from spiders.dialects.oparl.servers import vendor_of
from spiders.dialects.oparl.vocabulary import SCHEMA_TYPE, type_name

_PRODUCT_BY_FAMILY = {
    "sternberg": "Sternberg SD.NET RIM",
    "somacos": "Somacos SessionNet",
    "ccegov": "CC e-gov ALLRIS",
}
_VERSION = re.compile(r"/(\d+\.\d+)/?$")
_RUBIN_KEY = '"more-it-solutions:'


def generation_of(text: str, url: str) -> str:
    """Return the OParl version and server product of a page, e.g. 'OParl 1.1 (Somacos SessionNet)'."""
    try:
        data, _ = load_json(text)
    except ParseError:
        data = None  # a page cut short: the version may still be in its text
    first = _first_object(data)
    system = first if first is not None and type_name(first, None) == "System" else None
    version = _system_version(system) if system else None
    if version is None:
        m = SCHEMA_TYPE.search(text[:65536])
        version = m.group(1) if m else None
    object_url = as_url(first.get("id")) if first is not None else None
    product = _product(system, vendor_of(system, object_url or url))
    if product is None and _RUBIN_KEY in text[:65536]:
        product = "more! rubin"  # its vendor keys ("more-it-solutions:public_status_id") name it on every object
    label = f"OParl {version}" if version else "OParl"
    return f"{label} ({product})" if product else label


def _first_object(data: Any) -> dict | None:
    """Return the page's object, or the first object of a list page."""
    if is_list_page(data):
        return next((e for e in list_entries(data) if isinstance(e, dict)), None)
    return data if isinstance(data, dict) else None


def _system_version(system: dict) -> str | None:
    """Return the version a System names in ``oparlVersion`` (``https://schema.oparl.org/1.0/``)."""
    m = _VERSION.search(clean_text(system.get("oparlVersion")) or "")
    return m.group(1) if m else None


def _product(system: dict | None, family: str) -> str | None:
    """Return the server product: the family's, with SD.NET's RIM version; else the System's own words."""
    if family in _PRODUCT_BY_FAMILY:
        product = _PRODUCT_BY_FAMILY[family]
        rim_version = clean_text(system.get("STERNBERG:RIMVersion")) if system and family == "sternberg" else None
        return f"{product} {rim_version}" if rim_version else product
    if system is None:
        return None
    named = clean_text(system.get("product")) or clean_text(system.get("vendor"))
    if named and "://" in named:
        return urlsplit(named).hostname or named  # a product URL says little beyond its host
    return named


__all__ = ["generation_of"]
