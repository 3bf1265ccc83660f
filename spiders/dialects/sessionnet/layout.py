"""Field values of SessionNet pages across Layouts 4–6: field cells, label cells, page furniture.

SessionNet names its fields the same in every layout (``vobetr``, ``sidat``,
``siname`` …); only where they sit differs. These helpers read them wherever
they sit, so the page parsers ask for fields by name.
"""

from __future__ import annotations

import datetime as dt
import re

from spiders.dialects.html import Element, classes, find, next_sibling, select, select_one
from spiders.dialects.html_text import one_line

DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")


def field_cells(soup: Element) -> dict[str, str]:
    """Return the header fields by SessionNet field name (``vobetr``, ``sidat`` …).

    Layouts 5/6 print value cells ``.smc-table-cell.<field>`` beside label
    cells ``.<field>_title``. Table layouts print ``td.smc_field_<field>`` or
    only a label cell ("Betreff:") before the value; those fill what the
    class-named cells leave open.
    """
    out: dict[str, str] = {}
    for cell in select(soup, ".smc-table-cell, .smc-table-cell_r"):
        cell_classes = classes(cell)
        if "smc-cell-head" in cell_classes:
            continue
        for cls in cell_classes:
            if re.fullmatch(r"[a-z]{4,}", cls) and not cls.startswith("smc") and cls not in out:
                value = one_line(cell)
                if value is not None:
                    out[cls] = value
    for cell in select(soup, "td[class*=smc_field_], div[class*=smc_field_]"):
        for cls in classes(cell):
            m = re.fullmatch(r"smc_field_([a-z]{4,})", cls)
            if m and m.group(1) not in out and one_line(cell):
                out[m.group(1)] = one_line(cell) or ""
    for label_cell in select(soup, "td, th, dt"):
        if find(label_cell, ["td", "table"]) is not None:
            continue
        field = _LABELLED_FIELDS.get((one_line(label_cell) or "").rstrip(": ").lower())
        value_cell = next_sibling(label_cell, ["td", "dd"])
        if field and field not in out and value_cell is not None and one_line(value_cell):
            out[field] = one_line(value_cell) or ""
    return out


# Labels of table layouts and the field each names.
_LABELLED_FIELDS = {
    "betreff": "vobetr", "vorlage": "voname", "vorlagen-nr.": "voname", "drucksache": "voname",
    "art": "vovaname", "vorlagenart": "vovaname", "vorlage-art": "vovaname", "aktenzeichen": "voakz", "az.": "voakz",
    "sitzung": "siname", "gremium": "sigrname", "datum": "sidat", "zeit": "yytime", "raum": "siort",
    "sitzungsdatum": "sidat", "uhrzeit": "yytime", "beginn": "yytime", "sitzungsraum": "siort", "ort": "siort",
}


def first_value(cells: dict[str, str], *names: str) -> str | None:
    """Return the value of the first of ``names`` the cells have, else None."""
    return next((cells[n] for n in names if cells.get(n)), None)


def strip_label(value: str | None, label: str) -> str | None:
    """Return the value without a leading "<label>:" the page printed inside the cell, or None when nothing is left."""
    if value is None:
        return None
    return re.sub(rf"^{label}:\s*", "", value) or None


def says_no_data(soup: Element) -> bool:
    """Return whether the page states it has nothing to show yet ("noch keine Tagesordnung veröffentlicht")."""
    if select_one(soup, ".smc-no-data") is not None:
        return True
    body = one_line(select_one(soup, "#page-content") or soup.body) or ""
    return bool(re.search(r"keine (Tagesordnung|Tagesordnungspunkte|Daten|Beratungen)", body))


def last_changed(soup: Element) -> dt.datetime | None:
    """Return the footer's "Letzte Änderung: dd.mm.yyyy hh:mm:ss" stamp."""
    footer = one_line(select_one(soup, "#smcmenubottom"))
    m = re.search(r"Letzte Änderung:\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?", footer or "")
    if not m:
        return None
    d, mo, y, h, mi, s = m.groups()
    return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
