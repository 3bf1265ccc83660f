"""The crawl-wide side of an OParl crawl: incremental requests, list bookkeeping, progress.

Incremental runs ask each list only for the objects changed since the last
complete walk (``modified_since``) in the encoding the vendor accepts. The
record of every list walk goes to the crawl manifest (``oparl`` in
crawl.json); the load turns it into ``oparl_list_state`` rows
(``pipelines.warehouse.sync_state``), which the next crawl reads back as its state.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from schemas.env import TRUE_WORDS
from spiders.dialects.base import Link, Page, Parsed
from spiders.dialects.oparl.documents import parse_decoded
from spiders.dialects.oparl.lenient import as_bool, as_int, as_url, load_json, parse_datetime
from spiders.dialects.oparl.lists import is_list_page, list_entries, list_name, next_page
from spiders.dialects.oparl.objects import ObjectItems
from spiders.dialects.oparl.servers import body_summary, system_summary
from spiders.dialects.oparl.vocabulary import type_name
from spiders.dialects.oparl.walks import Note, count_page, finish, new_walk, unfinished

logger = logging.getLogger(__name__)


def modified_since_value(moment: dt.datetime) -> str:
    """Return a ``modified_since`` value: UTC, seconds precision (Wuppertal rejects microseconds)."""
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def with_modified_since(url: str, moment: dt.datetime, vendor: str) -> str:
    """Return a list URL asking only for objects changed since ``moment``.

    The spec wants the value percent-encoded; SOMACOS SessionNet answers 404
    to ``%3A``/``%2B`` and needs the literal ``:`` and ``+``.
    """
    value = modified_since_value(moment)
    encoded = value if vendor == "somacos" else quote(value, safe="")
    base, _, fragment = url.partition("#")
    separator = "&" if urlsplit(base).query else ("" if base.endswith("?") else "?")
    return f"{base}{separator}modified_since={encoded}" + (f"#{fragment}" if fragment else "")


class OParlSync:
    """Incremental requests, per-list bookkeeping and progress of one OParl crawl.

    * ``request_for`` adds ``modified_since`` (last complete walk's start minus
      the overlap, default one day) to the first page of every list that has
      state, unless the crawl is a full one (``RATSINFO_OPARL_FULL``, no state
      for the list, or no full walk for ``RATSINFO_OPARL_FULL_AFTER_DAYS``).
    * ``parse`` parses a page, counts pages and objects per list, logs one
      progress line per list page and notices a server that ignores the filter
      (it returns objects older than ``modified_since``).
    * ``recover`` turns Sternberg's 404 "code 802" answer to a filtered list
      that matches nothing into an empty page.
    * ``drain_notes`` / ``close_notes`` hand the spider the failures to record
      (``walks.Note``): repaired JSON, objects without id, list walks that are
      incomplete (``walks``), a System without Body list, an empty Body list.
    * ``manifest`` is what the crawl records (``oparl`` in crawl.json; and
      ``incomplete``, the reasons the crawl did not get everything, which
      keep it from ending "finished"); the load turns it into
      ``oparl_list_state`` rows (``pipelines.warehouse.sync_state``), where only
      complete walks move the sync point or delete anything.
    """

    parses_alone = False  # parse counts every list walk's pages: the crawl's process reads OParl pages itself

    def __init__(
        self,
        *,
        state: dict | None = None,
        full: bool = False,
        started_at: dt.datetime | None = None,
        overlap: dt.timedelta = dt.timedelta(days=1),
        full_after: dt.timedelta | None = dt.timedelta(days=8),
        lists: tuple[str, ...] | None = None,
        resumed: dict | None = None,
        staging: Any = None,
    ):
        self.state = (state or {}).get("lists") or {}
        self.full = full
        self.started_at = started_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self.overlap = overlap
        self.full_after = full_after
        self.lists_wanted = lists
        self.staging = staging
        self.notes: list[Note] = []
        resumed = resumed or {}
        self.lists: dict[str, dict[str, Any]] = resumed.get("lists") or {}
        self.bodies: dict[str, dict[str, Any]] = {b["id"]: b for b in resumed.get("bodies") or [] if b.get("id")}
        self.system: dict[str, Any] | None = resumed.get("system")
        # What makes the crawl as a whole incomplete (no Body …), and the objects
        # whose embedded lists were not seen in full (an embedded object without id).
        self.problems: list[str] = list(resumed.get("problems") or [])
        self.partial_parents: set[str] = set(resumed.get("partialParents") or [])
        self._body_list_seen = bool(resumed.get("bodyListSeen"))
        self._seen: dict[str, dict[str, tuple[int, str]]] = {}  # list URL → ids met by its walk
        self._pages_since_flush = 0

    @classmethod
    def from_settings(cls, settings: Any, staging: Any = None) -> "OParlSync":
        state_path = settings.get("RATSINFO_SYNC_STATE")
        state = json.loads(Path(state_path).read_text()) if state_path and Path(state_path).exists() else {}
        manifest = staging.read_manifest() if staging is not None else {}
        started = parse_datetime(manifest.get("startedAt"))
        lists = tuple(x.strip() for x in str(settings.get("RATSINFO_OPARL_LISTS") or "").split(",") if x.strip()) or None
        full_after_days = float(settings.get("RATSINFO_OPARL_FULL_AFTER_DAYS") or 8)
        return cls(
            state=state,
            full=str(settings.get("RATSINFO_OPARL_FULL") or "").strip().lower() in TRUE_WORDS,
            started_at=started,
            overlap=dt.timedelta(hours=float(settings.get("RATSINFO_OPARL_OVERLAP_HOURS") or 24)),
            full_after=dt.timedelta(days=full_after_days) if full_after_days > 0 else None,
            lists=lists,
            resumed=manifest.get("oparl") if manifest.get("resumedAt") else None,
            staging=staging,
        )

    # -- requests ----------------------------------------------------------
    def request_for(self, link: Link) -> Link:
        """Return the link to request: list first pages get ``modified_since`` when a later run can use it."""
        if link.kind == "entry" and self.lists_wanted:
            return Link(link.url, link.kind, meta={**link.meta, "lists": list(self.lists_wanted)})
        if link.kind != "list" or link.meta.get("list") in (None, "body") or int(link.meta.get("page") or 1) != 1:
            return link
        list_url = link.meta.get("listUrl") or link.url
        since = self._modified_since(list_url)
        self.lists[list_url] = new_walk(link.meta.get("list"), link.meta.get("body"), self.started_at.isoformat(),
                                        modified_since=modified_since_value(since) if since else None)
        self._seen.pop(list_url, None)
        if since is None:
            return link
        vendor = link.meta.get("vendor") or "generic"
        return Link(with_modified_since(link.url, since, vendor), link.kind, meta=dict(link.meta))

    def _modified_since(self, list_url: str) -> dt.datetime | None:
        entry = self.state.get(list_url) or {}
        last = parse_datetime(entry.get("lastWalkStartedAt"))
        if self.full or last is None:
            return None
        last_full = parse_datetime(entry.get("lastFullWalkStartedAt"))
        if self.full_after is not None and (last_full is None or self.started_at - last_full > self.full_after):
            return None
        return last - self.overlap

    # -- pages -------------------------------------------------------------
    def parse(self, page: Page, source: str, meta: dict | None) -> Parsed:
        """Return the page's items and links, keeping the crawl's books on the way."""
        meta = meta or {}
        data, note = load_json(page.text)
        if note:
            self.notes.append(Note.of(f"repaired: {note}"))
        out = ObjectItems(source)
        parsed = parse_decoded(page, data, source, meta, out)
        self.notes.extend(Note.of(problem) for problem in out.problems)
        self.partial_parents |= out.partial_parents
        self._remember_system_and_bodies(data, page.url, meta)
        if is_list_page(data) and meta.get("list") not in (None, "body"):
            self._count_list_page(data, page.url, meta)
        return parsed

    def drain_notes(self) -> list[Note]:
        """Return (and forget) the failures to record about pages parsed since the last call.

        A note is its reason (a ``str``) with an ``outcome`` (``failed`` or
        ``refused``) and, where it is about another URL than the page's, a ``url``.
        """
        notes, self.notes = self.notes, []
        return notes

    def close_notes(self, reason: str = "finished") -> list[Note]:
        """Return the failures that show only when the crawl ends: walks that never reached their end, no Body.

        Called once when the spider closes. After an interrupted crawl
        (``reason`` other than ``finished``) the walks may go on when it is
        resumed, so nothing is concluded then.
        """
        if reason != "finished":
            return []
        notes = [n for url, walk in self.lists.items() if (n := unfinished(walk, url)) is not None]
        if (self.system is not None or self._body_list_seen) and not self.bodies and not self.problems:
            notes.append(self._crawl_problem("no Body was read, so no list was walked", self.system and self.system.get("id")))
        return notes

    def incomplete(self) -> list[str]:
        """Return why the crawl did not get everything it meant to (empty when it did)."""
        walks = [f"{w.get('list')} list {url}: {p}" for url, w in self.lists.items() for p in w.get("problems") or []]
        return [*self.problems, *walks]

    def _crawl_problem(self, reason: str, url: str | None) -> Note:
        self.problems.append(reason)
        return Note.of(f"OParl crawl incomplete: {reason}", url=url)

    def recover(self, url: str, status: int | None, body: bytes, meta: dict | None) -> Parsed | None:
        """Return an empty page for Sternberg's 404 (error code 802) to a filtered list; else None."""
        meta = meta or {}
        if not isinstance(status, int) or not isinstance(body, (bytes, bytearray)):
            return None  # not an HTTP answer (a connection lost after the headers …)
        if status != 404 or "modified_since=" not in url or meta.get("list") in (None, "body"):
            return None
        try:
            answer = json.loads(bytes(body).decode("utf-8", "replace"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        if not isinstance(answer, dict) or str(answer.get("code")) != "802":
            return None
        self._count_list_page([], url, meta)
        return Parsed()

    def _remember_system_and_bodies(self, data: Any, url: str, meta: dict) -> None:
        if isinstance(data, dict) and type_name(data, None) == "System":
            self.system = system_summary(data)
            if not as_url(data.get("body")):
                self.notes.append(self._crawl_problem(f"the System {self.system['id'] or url} names no Body list", url))
            return
        entries = list_entries(data) if is_list_page(data) else [data]
        if is_list_page(data) and list_name(entries, url, meta) == "body":
            self._body_list_seen = True
            if not entries and not (isinstance(data, dict) and (data.get("links") or {}).get("next")):
                self.notes.append(self._crawl_problem(f"the Body list {url} is empty", url))
        for entry in entries:
            if isinstance(entry, dict) and type_name(entry, None) == "Body" and not as_bool(entry.get("deleted")):
                summary = body_summary(entry)
                if summary["id"]:
                    self.bodies[summary["id"]] = summary

    def _count_list_page(self, data: Any, url: str, meta: dict) -> None:
        list_url = meta.get("listUrl") or url
        walk = self.lists.get(list_url)
        if walk is None:
            walk = self.lists[list_url] = new_walk(meta.get("list"), meta.get("body"), self.started_at.isoformat())
        for key, value in new_walk(None, None, "").items():
            walk.setdefault(key, value)  # a walk resumed from an older manifest
        entries = list_entries(data)
        self.notes.extend(count_page(walk, self._seen.setdefault(list_url, {}), data, url))
        pagination = data.get("pagination") if isinstance(data, dict) and isinstance(data.get("pagination"), dict) else {}
        since = parse_datetime(walk.get("modifiedSince"))
        if since is not None and not walk["filterIgnored"]:
            # Objects changed before modified_since: the server ignored the filter
            # and sent the whole list (Karlsruhe's organizations do).
            for entry in entries:
                modified = parse_datetime(entry.get("modified")) if isinstance(entry, dict) else None
                if modified is not None and modified < since:
                    walk["filterIgnored"] = True
                    break
        next_url, stopped = next_page(data, url, meta)
        if next_url is None:
            finished_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
            self.notes.extend(finish(walk, stopped, url, finished_at))
            self._seen.pop(list_url, None)
            if not walk["complete"]:
                logger.warning("incomplete walk of the %s list %s: %s", walk["list"], list_url, "; ".join(walk["problems"]))
        # One line per list page, for a person watching a crawl that takes hours.
        number = as_int(pagination.get("currentPage")) or walk["pages"]
        of = f" of {walk['totalPages']}" if walk["totalPages"] else ""
        logger.info(
            "oparl %s list: page %d%s (%d fetched), %d objects on it, %d so far%s%s",
            walk["list"], number, of, walk["pages"], len(entries), walk["objects"],
            f", changed since {walk['modifiedSince']}" if walk.get("modifiedSince") else "",
            ", done" if next_url is None else "",
        )
        self._pages_since_flush += 1
        if self.staging is not None and self._pages_since_flush >= 25:
            self._pages_since_flush = 0
            self.staging.update_manifest(**self.manifest())

    # -- the record ----------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """Return the crawl's OParl record for crawl.json: system, bodies, list walks."""
        return {
            "oparl": {
                "startedAt": self.started_at.isoformat(),
                "full": self.full,
                "system": self.system,
                "bodies": list(self.bodies.values()),
                "bodyListSeen": self._body_list_seen,
                "lists": self.lists,
                "problems": self.problems,
                "partialParents": sorted(self.partial_parents),
            },
            # Read by spiders.crawl: a crawl with reasons here did not finish.
            "incomplete": self.incomplete(),
        }


__all__ = ["OParlSync", "modified_since_value", "with_modified_since"]
