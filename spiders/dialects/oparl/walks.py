"""Whether a walk of an OParl list saw the whole list: the evidence a deletion needs.

A complete walk of a list without filter is the only evidence that an object
missing from it is gone (servers without tombstones), and a complete filtered
walk is what moves the sync point of the next incremental run. So a walk is
complete only when nothing speaks against it. It is incomplete, and says why
(``walk["problems"]``), when

* it stopped early (``next`` loops, repeats a page, leads to another host …,
  see ``lists.next_page``);
* the page numbers jump (``pagination.currentPage``, else the page number in
  the URLs): pages were skipped;
* it ended before the last page the server announced (``totalPages``);
* the objects it counted disagree with ``pagination.totalElements``;
* a list entry had no ``id`` (that object cannot be told from a deleted one);
* a page failed or could not be read, so the walk never reached its end.

``totalElements`` is optional and "may change while you page" (OParl
``2-05``), so the count is checked with the allowances the spec and real
servers justify: the distinct objects seen must equal the announced total
either with or without the tombstones on the pages (SD.NET counts stubs that
1.1 servers leave out); a total that is ``totalPages × elementsPerPage``
(a server that rounds to whole pages) holds when every page but the last was
full; a total that grew during the walk is met by the final total (new
objects cannot push an object past a walk, OParl's stable sort keeps the
others in place); a total that shrank during the walk makes the walk
incomplete (an object removed from a page already walked moves another one
past the walk unseen). An object on two pages is counted once; if its
own values differ between the pages (``_fingerprint``), that is recorded
(the later page's values are staged, and the record says so).

Each event becomes a ``Note``, a failure the spider records in
failures.jsonl (``outcome`` ``failed``, or ``refused`` for a ``next`` that was
not followed because it leads to another host).
"""

from __future__ import annotations

from typing import Any

from spiders.dialects.base import Note
from spiders.dialects.oparl.lenient import as_bool, as_int, as_url
from spiders.dialects.oparl.lists import list_entries, page_of_url


def new_walk(name: str | None, body: str | None, started_at: str, *, modified_since: str | None = None) -> dict[str, Any]:
    """Return the record of a list walk before its first page (kept in the crawl manifest)."""
    return {
        "list": name, "body": body, "startedAt": started_at, "modifiedSince": modified_since,
        "full": modified_since is None, "pages": 0, "objects": 0, "deleted": 0, "duplicates": 0,
        "conflicts": 0, "withoutId": 0, "totalPages": None, "totalElements": None, "totalElementsFirst": None,
        "totalElementsMin": None, "elementsPerPage": None, "shortPage": False, "lastPage": None, "lastUrl": None,
        "lastSize": None, "complete": False, "stopped": None, "problems": [], "filterIgnored": False,
    }


def count_page(walk: dict[str, Any], seen: dict[str, tuple[int, str]], data: Any, url: str) -> list[Note]:
    """Count one list page into its walk and check it against the page before; return what to record.

    ``seen`` maps the ids this walk met to (fingerprint of the object, page URL).
    """
    notes: list[Note] = []
    entries = list_entries(data)
    pagination = data.get("pagination") if isinstance(data, dict) and isinstance(data.get("pagination"), dict) else {}
    current = as_int(pagination.get("currentPage"))
    jump = _page_jump(walk, current, url)
    if jump:
        notes.append(add_problem(walk, jump, url=url))
    if walk["pages"] and walk["elementsPerPage"] and walk["lastSize"] is not None and walk["lastSize"] < walk["elementsPerPage"]:
        walk["shortPage"] = True  # a page before this one was not full
    walk["pages"] += 1
    walk["lastPage"], walk["lastUrl"], walk["lastSize"] = current, url, len(entries)
    walk["totalPages"] = as_int(pagination.get("totalPages")) or walk["totalPages"]
    walk["elementsPerPage"] = as_int(pagination.get("elementsPerPage")) or walk["elementsPerPage"]
    total = as_int(pagination.get("totalElements"))
    if total is not None:
        if walk["totalElementsFirst"] is None:
            walk["totalElementsFirst"] = total
        walk["totalElementsMin"] = total if walk["totalElementsMin"] is None else min(walk["totalElementsMin"], total)
        walk["totalElements"] = total
    for entry in entries:
        walk["objects"] += 1
        if isinstance(entry, dict):
            object_id = as_url(entry.get("id"))
            walk["deleted"] += 1 if as_bool(entry.get("deleted")) else 0
            fingerprint = _fingerprint(entry) if object_id else 0
        else:
            object_id, fingerprint = as_url(entry), 0
        if not object_id:
            walk["withoutId"] += 1
            continue
        before = seen.get(object_id)
        seen[object_id] = (fingerprint, url)
        if before is None:
            continue
        walk["duplicates"] += 1
        if before[0] != fingerprint:
            walk["conflicts"] += 1
            notes.append(Note.of(
                f"{walk['list']} list: {object_id} is on page {before[1]} and on page {url} with different values; "
                "the values of the later page are staged", url=url))
    return notes


def finish(walk: dict[str, Any], stopped: str | None, url: str, finished_at: str) -> list[Note]:
    """Close a walk at its last page (``stopped``: why it ended early); return what to record."""
    notes: list[Note] = []
    walk["stopped"] = stopped
    walk["finishedAt"] = finished_at
    if stopped:
        notes.append(add_problem(walk, stopped, url=url, refused="another host" in stopped))
    else:
        if walk["totalPages"] and walk["lastPage"] and walk["lastPage"] < walk["totalPages"]:
            notes.append(add_problem(walk, f"the list ended at page {walk['lastPage']} of the {walk['totalPages']} "
                                           "the server announced", url=url))
        count = count_problem(walk)
        if count:
            notes.append(add_problem(walk, count, url=url))
    if walk["withoutId"]:
        notes.append(add_problem(walk, f"{walk['withoutId']} of its objects have no id", url=url))
    walk["complete"] = not walk["problems"]
    return notes


def unfinished(walk: dict[str, Any], list_url: str) -> Note | None:
    """Return the note for a walk that never reached its last page (a page failed or was unreadable), else None."""
    if walk.get("finishedAt"):
        return None
    if walk["pages"]:
        reason = (f"the walk ended after page {walk['lastPage'] or walk['pages']} ({walk['lastUrl']}) without "
                  "reaching the list's last page: the next page failed or could not be read")
    else:
        reason = "the list's first page failed or could not be read"
    return add_problem(walk, reason, url=list_url)


def add_problem(walk: dict[str, Any], reason: str, *, url: str | None = None, refused: bool = False) -> Note:
    """Mark a walk incomplete for ``reason``; return the note recording it."""
    walk.setdefault("problems", []).append(reason)
    walk["complete"] = False
    return Note.of(f"{walk.get('list')} list walk incomplete, nothing deleted on its evidence: {reason}",
                   url=url, refused=refused)


def count_problem(walk: dict[str, Any]) -> str | None:
    """Return why the objects a finished walk counted disagree with ``totalElements``, or None."""
    last, first, low = walk["totalElements"], walk["totalElementsFirst"], walk["totalElementsMin"]
    if last is None:
        return None  # the server gives no total
    seen = walk["objects"] - walk["duplicates"]
    live = seen - walk["deleted"]
    if low is not None and first is not None and low < first:
        return (f"the list shrank while it was walked (totalElements {first}, then {low}): "
                "an object may have moved past the walk unseen")
    if last in (seen, live):
        return None
    per, pages = walk["elementsPerPage"], walk["totalPages"]
    if (per and pages and last == per * pages and walk["pages"] == pages and not walk["shortPage"]
            and (pages - 1) * per < seen <= last):
        return None  # a total rounded to whole pages, and every page but the last was full
    return f"walked {seen} objects ({walk['deleted']} of them deleted), the server announced {last} (totalElements)"


_SCALARS = (str, int, float, bool)


def _fingerprint(entry: dict) -> int:
    """Return a digest of an object's own values: its scalar fields and the length of its lists.

    Cheap enough for every object of a walk (a JSON encoding of each would cost
    a quarter of the parse). A change only inside an embedded object that
    leaves the parent's ``modified`` and list lengths alone is not seen.
    """
    return hash(tuple(
        (key, value) if isinstance(value, _SCALARS) else (key, len(value) if isinstance(value, (list, dict)) else None)
        for key, value in entry.items()
    ))


def _page_jump(walk: dict[str, Any], current: int | None, url: str) -> str | None:
    """Return how the page numbers jump from the walk's last page to this one, or None."""
    if not walk["pages"]:
        if current is not None and current > 1:
            return f"the walk began at page {current} ({url}): pages 1–{current - 1} were not walked"
        return None
    previous = walk["lastPage"]
    if current is None or previous is None:
        before, now = page_of_url(walk["lastUrl"] or ""), page_of_url(url)
        if before is None or now is None or before[0] != now[0]:
            return None  # no page numbers to compare
        previous, current = before[1], now[1]
        source = "the page URLs"
    else:
        source = "pagination.currentPage"
    if current == previous + 1:
        return None
    if current > previous + 1:
        skipped = f"page {previous + 1}" if current == previous + 2 else f"pages {previous + 1}–{current - 1}"
        return f"the page numbers jump from {previous} to {current} ({source}, {url}): {skipped} skipped"
    return f"the page numbers go from {previous} back to {current} ({source}, {url})"


__all__ = ["Note", "add_problem", "count_page", "count_problem", "finish", "new_walk", "unfinished"]
