"""A large ALLRIS net classic site: Musterstadt of the demo with as many papers as asked.

The demo generator (``data/demo/generate.py``) renders the pages; this module
only scales its content: ``papers`` papers made from the demo's Musterstadt
papers (new VOLFDNR, reference and subject), each on the agenda of one of the
held meetings, so every paper is reached the way a crawl reaches real ones:
calendar si010_e -> meeting to010 -> paper vo020 and agenda item to020.
Nothing is committed: the pages are written into a folder the caller owns.
"""

from __future__ import annotations

import copy
import types
from pathlib import Path

from tests.sites import demo as demo_generator
from tests.sites.common import SiteContents, write_files


def scaled_content(papers: int) -> types.SimpleNamespace:
    """Return the demo content with Musterstadt alone and ``papers`` papers on its held meetings."""
    generator = demo_generator
    content = generator.load_content()
    muni = copy.deepcopy(next(m for m in content.MUNICIPALITIES if m["slug"] == "musterstadt"))
    committee_of = {key: committee for key, committee, *_ in muni["meetings"]}
    held = [key for key, _c, date, _s, end, agenda in muni["meetings"]
            if agenda == "published" and date < content.TODAY and end]
    templates = muni["papers"]
    scaled = []
    for i in range(papers):
        paper = copy.deepcopy(templates[i % len(templates)])
        meeting = held[i % len(held)]
        role, result, vote = "Entscheidung", "ungeändert beschlossen", "einstimmig"
        if paper["stations"] and paper["stations"][0][3]:
            role, result, vote = paper["stations"][0][1], paper["stations"][0][3], paper["stations"][0][4]
        paper.update(
            key=f"p{i:04d}", ref=f"VO/2026/{2000 + i:04d}",
            subject=f"{paper['subject'].splitlines()[0]} ({i + 1})",
            stations=[(committee_of[meeting], role, meeting, result, vote)],
            attachments=[], collection=False, addendum=None,
        )
        scaled.append(paper)
    muni["papers"] = scaled
    muni["nonPublic"] = []
    content.MUNICIPALITIES = [muni]
    return content


def build(root: Path, papers: int = 600, excerpt_every: int = 4) -> SiteContents:
    """Write the site under ``root`` and return what a complete crawl loads from it.

    Every ``excerpt_every``-th agenda item with a paper has its to020 excerpt page,
    the others link only to the paper (as items of some real installs do): fewer
    pages to parse, so a test can crawl 600 papers several times.
    """
    generator = demo_generator
    content = scaled_content(papers)
    raw = dict(content.MUNICIPALITIES[0], _calendarMonths=content.CALENDAR_MONTHS)
    muni = generator.build_municipality(raw, content)
    with_paper = [item for meeting in muni.meetings for item in meeting.items if item.paper is not None]
    for n, item in enumerate(with_paper):
        if n % excerpt_every:
            item.kind = "plain"
    files = {"robots.txt": generator.robots_txt([muni]), "index.html": generator.start_page([muni])}
    files.update(generator.AllrisSite(muni).render())
    write_files(root, files)
    expected = generator.expected_for(muni, content.CALENDAR_MONTHS)
    return SiteContents(
        root=root,
        base_path=muni.base_path,
        months=f"{content.CALENDAR_MONTHS[0]}..{content.CALENDAR_MONTHS[-1]}",
        counts={"paper": expected["counts"]["papers"], "meeting": expected["counts"]["meetings"],
                "agenda_item": expected["counts"]["agendaItems"],
                "consultation": expected["counts"]["consultations"]},
        downloads={},
        pages_by_kind={},
        notes={"expected": expected},
    )
