"""SessionNet pages outside the corpus, second round: page types the corpus lacks.

The real pages come from public scraper projects without a licence
(``tests/spiders/pages/SOURCES.tsv``): restored by
``python -m tests.spiders.pages.restore``, never committed, skipped while
missing.
"""

from __future__ import annotations



from schemas.items import AgendaItem, Meeting
from spiders.dialects import Page, detect, describe
from spiders.dialects import sessionnet
from tests.spiders.pages.restore import restored_path


def _restored(name: str, url: str) -> Page:
    path = restored_path("sessionnet/" + name)
    page = Page.from_bytes(url, path.read_bytes())
    assert detect(page)[0].NAME == "sessionnet"
    return page


def test_restored_sessionnet4_layout5_to0040_agenda() -> None:
    """SessionNet 4.9.6 Layout 5 to0040 (Schiffweiler): rows smc_tophn/smc_topht, the meeting named only in the title."""
    page = _restored("schiffweiler_to0040-1192.php.html", "https://biswl.rznk.de/to0040.php?__ksinr=1192")
    assert describe(page)["generation"] == "SessionNet 4.9.6 (Layout 5), .php"
    items = sessionnet.parse(page, "schiffweiler").items
    (meeting,) = [i for i in items if isinstance(i, Meeting)]
    assert (meeting.systemId, meeting.organizationName, meeting.dateRaw, meeting.timeRaw) == ("1192", "Hauptausschuss", "28.09.2026", "17:00 Uhr")
    agenda = [(a.systemId, a.number, a.order, a.public, a.paper, a.paperReference) for a in items if isinstance(a, AgendaItem)]
    assert agenda == [
        ("23399", "1", 0, True, None, None),
        ("23424", "2", 1, True, "3194", "BV/473/2026"),
        ("23400", "4", 2, True, None, None),
    ]
