"""When an OParl list walk counts as complete (``spiders.dialects.oparl.walks``), page by page, without a server.

The pages are built the way the servers in the corpus page their lists
(pagination and links as Hürtgenwald's SD.NET and Karlsruhe's SessionNet
send them); the end-to-end cases are in ``tests/faults/test_oparl.py``.
"""

from __future__ import annotations

from spiders.dialects.oparl.lists import next_page, page_of_url
from spiders.dialects.oparl.objects import ObjectItems
from spiders.dialects.oparl.walks import count_page, finish, new_walk, unfinished

LIST = "https://rim.example.de/oparl/body/1/paper"


def page(n: int, ids: list[int], *, total: int | None, pages: int | None = None, per: int = 3,
         current: bool = True, deleted: tuple[int, ...] = ()) -> tuple[dict, str]:
    url = f"{LIST}?page={n}"
    pagination = {"elementsPerPage": per}
    if total is not None:
        pagination["totalElements"] = total
    if pages is not None:
        pagination["totalPages"] = pages
    if current:
        pagination["currentPage"] = n
    data = [{"id": f"{LIST}/{i}", "name": f"Paper {i}", **({"deleted": True} if i in deleted else {})} for i in ids]
    return {"data": data, "pagination": pagination, "links": {"self": url}}, url


def walk_pages(*pages: tuple[dict, str]) -> tuple[dict, list[str]]:
    """Count the pages into one walk and finish it at the last; return the walk and its notes."""
    walk, seen, notes = new_walk("paper", None, "2026-01-01T00:00:00+00:00"), {}, []
    for data, url in pages:
        notes += count_page(walk, seen, data, url)
    notes += finish(walk, None, pages[-1][1], "2026-01-01T00:10:00+00:00")
    return walk, notes


def test_a_walk_whose_count_agrees_is_complete():
    walk, notes = walk_pages(page(1, [1, 2, 3], total=7, pages=3), page(2, [4, 5, 6], total=7, pages=3),
                             page(3, [7], total=7, pages=3))
    assert walk["complete"] and notes == []


def test_skipped_page_by_current_page_and_by_url():
    walk, notes = walk_pages(page(1, [1, 2, 3], total=None), page(3, [7], total=None))
    assert not walk["complete"] and "jump from 1 to 3 (pagination.currentPage" in notes[0]
    walk, notes = walk_pages(page(1, [1, 2, 3], total=None, current=False), page(4, [9], total=None, current=False))
    assert not walk["complete"] and "jump from 1 to 4 (the page URLs" in notes[0] and "pages 2–3 skipped" in notes[0]


def test_tombstones_counted_or_not_by_the_total():
    # SD.NET counts its stubs in totalElements; a server that leaves them out of the total is read as well.
    with_stubs, _ = walk_pages(page(1, [1, 2, 3], total=4, deleted=(2,)), page(2, [4], total=4))
    without, _ = walk_pages(page(1, [1, 2, 3], total=3, deleted=(2,)), page(2, [4], total=3))
    wrong, notes = walk_pages(page(1, [1, 2, 3], total=2, deleted=(2,)), page(2, [4], total=2))
    assert with_stubs["complete"] and without["complete"] and not wrong["complete"]
    assert "walked 4 objects (1 of them deleted), the server announced 2" in notes[0]


def test_total_rounded_to_whole_pages_only_with_full_pages():
    rounded, _ = walk_pages(page(1, [1, 2, 3], total=6, pages=2), page(2, [4], total=6, pages=2))
    short, _ = walk_pages(page(1, [1, 2], total=6, pages=2), page(2, [4, 5], total=6, pages=2))
    assert rounded["complete"] and not short["complete"]


def test_total_that_grows_is_met_by_the_final_total_and_one_that_shrinks_is_not():
    grew, _ = walk_pages(page(1, [1, 2, 3], total=5), page(2, [4, 5, 6], total=6))
    shrank, notes = walk_pages(page(1, [1, 2, 3], total=6), page(2, [5, 6], total=5))
    assert grew["complete"] and not shrank["complete"] and "shrank while it was walked" in notes[0]


def test_object_on_two_pages_is_counted_once_and_a_change_recorded():
    same, notes = walk_pages(page(1, [1, 2, 3], total=4), page(2, [3, 4], total=4))
    assert same["complete"] and same["duplicates"] == 1 and notes == []
    first, url = page(2, [3, 4], total=4)
    first["data"][0]["name"] = "changed"
    changed, notes = walk_pages(page(1, [1, 2, 3], total=4), (first, url))
    assert changed["complete"] and changed["conflicts"] == 1 and "with different values" in notes[0]


def test_list_ending_before_the_announced_last_page():
    walk, notes = walk_pages(page(1, [1, 2, 3], total=None, pages=3), page(2, [4, 5, 6], total=None, pages=3))
    assert not walk["complete"] and "ended at page 2 of the 3" in notes[0]


def test_walk_that_never_reached_its_end():
    walk = new_walk("paper", None, "")
    count_page(walk, {}, *page(1, [1, 2, 3], total=9))
    note = unfinished(walk, LIST)
    assert note is not None and note.url == LIST and "without reaching the list's last page" in note
    assert not walk["complete"] and unfinished(walk_pages(page(1, [1], total=1))[0], LIST) is None


def test_next_to_another_host_stops_the_walk_as_a_refusal():
    data, url = page(1, [1, 2, 3], total=6)
    data["links"]["next"] = "https://elsewhere.example.com/oparl/body/1/paper?page=2"
    target, stopped = next_page(data, url, {})
    assert target is None and "leads to another host" in stopped
    walk = new_walk("paper", None, "")
    count_page(walk, {}, data, url)
    (note,) = finish(walk, stopped, url, "")
    assert note.outcome == "refused" and not walk["complete"]


def test_page_of_url_compares_only_lists_that_differ_in_the_page():
    assert page_of_url(f"{LIST}?page=7&modified_since=x") == (page_of_url(f"{LIST}?modified_since=x&page=2")[0], 7)
    assert page_of_url(f"{LIST}?offset=100") is None


def test_object_without_id_keeps_its_embedded_objects():
    out = ObjectItems("x")
    paper = {
        "type": "https://schema.oparl.org/1.1/Paper", "name": "no id",
        "auxiliaryFile": [{"id": f"{LIST}/f1", "type": "https://schema.oparl.org/1.1/File", "accessUrl": f"{LIST}/f1.pdf"}],
        "consultation": [{"id": f"{LIST}/c1", "type": "https://schema.oparl.org/1.1/Consultation", "paper": f"{LIST}/9"},
                         {"type": "https://schema.oparl.org/1.1/Consultation"}],
    }
    out.where = "entry 2 of the list page P"
    out.add(paper, "Paper")
    assert [(i.type, i.systemId) for i in out.items] == [("File", f"{LIST}/f1"), ("Consultation", f"{LIST}/c1")]
    assert out.items[0].parentType == "Paper" and out.items[0].parent is None and out.items[0].role == "auxiliaryFile"
    assert out.items[1].paper == f"{LIST}/9"  # the back-reference the object names itself
    assert out.problems == [
        "consultation 2 of the Paper (itself without id): a Consultation without id was not stored",
        "entry 2 of the list page P: a Paper without id was not stored; the 2 objects embedded in it that have ids were kept",
    ]


def test_embedded_object_without_id_marks_its_parent_partial():
    out = ObjectItems("x")
    out.add({"id": f"{LIST}/1", "type": "https://schema.oparl.org/1.1/Paper",
             "consultation": [{"type": "https://schema.oparl.org/1.1/Consultation"}]}, "Paper")
    assert out.partial_parents == {f"{LIST}/1"} and len(out.problems) == 1
