"""The crawl's frontier: every request it meant to make, on disk, with how it ended.

Scrapy's JOBDIR writes its request queue only on a clean shutdown; after a
``kill -9`` a resumed crawl found the seen-set but no queue, made no requests
and called itself finished. The frontier is a SQLite file in the crawl's
staging folder (``frontier.sqlite``, WAL) that holds one row per planned
request, written the moment the request is scheduled::

    pending  ->  done | failed | refused

A row becomes final only after its callback or errback has run to the end:
its items have passed the pipelines (``items.jsonl`` is flushed per line)
and the requests it yielded have their own rows. A kill between the two
fetches that page once more; the loader merges the repeated items by key.
On resume every pending row is queued again, with its callback, errback and
meta, and everything already final is skipped.

Writes are grouped: the rows written while the reactor works through its
callbacks go into one transaction, committed ``RATSINFO_FRONTIER_COMMIT_SECONDS``
later (or once ``RATSINFO_FRONTIER_COMMIT_ROWS`` requests have ended in it),
and when the crawl closes. A kill loses at most the open transaction, and
loses it whole: a page's "done" is written after the rows of the requests it
yielded, so no commit can hold the one without the other. What a kill loses
is therefore only some pages fetched again (still pending on disk), never a
planned request. The states are also kept in memory (one dict lookup per
scheduled request instead of a query).

``FrontierScheduler`` (the ``SCHEDULER`` setting) is Scrapy's scheduler with
the frontier as its duplicate filter and its durable queue.

* A request is identified by its fingerprint and its callback: the base URL
  fetched to detect the system is not the same work as that page parsed.
* Retries and redirects carry the row's key in ``meta["frontier_key"]``; they
  continue that row instead of planning a new one (so the duplicate filter
  can no longer swallow a redirect: a loop ends at ``REDIRECT_MAX_TIMES`` as
  a recorded failure).
* ``dont_filter`` requests (the detection request) are fetched again on resume
  (Scrapy's meaning of ``dont_filter``); everything they lead to is deduplicated.
* How a row ends is read from what the crawl recorded: a failure record in
  ``failures.jsonl`` for the request's URL makes it ``failed`` or ``refused``
  (by the record's ``outcome``); a download error without a record is recorded
  here; robots.txt denials are refusals with the reason ``robots.txt``.
  Refusals recorded for URLs that never became requests (an off-host link)
  get a row of their own, so they are counted as planned and refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from scrapy import Request, signals
from scrapy.core.scheduler import Scheduler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.request import request_from_dict
from twisted.python.failure import Failure

from schemas.staging import StagingArea, utcnow

logger = logging.getLogger(__name__)

FINAL_STATES = ("done", "failed", "refused")
T = TypeVar("T")
KEY = "frontier_key"

SCHEMA = """
CREATE TABLE IF NOT EXISTS request (
    key TEXT PRIMARY KEY,          -- fingerprint|callback
    seq INTEGER NOT NULL,          -- order in which the crawl planned it
    url TEXT NOT NULL,
    method TEXT NOT NULL,
    callback TEXT,
    kind TEXT,                     -- the link kind (calendar, vo020, file …)
    meta TEXT,                     -- the link's meta as JSON, for people reading the file
    request BLOB,                  -- the request as Request.to_dict(), pickled: what a resume queues again
    priority INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    reason TEXT,                   -- why it failed or was refused
    attempts INTEGER NOT NULL DEFAULT 0,  -- how many times a response or error reached its callback
    page_kind TEXT,                -- what the parsed page was, and the fields found on it (parse rates)
    fields TEXT,
    planned_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX IF NOT EXISTS request_state ON request(state);
"""


def frontier_path(staging: StagingArea) -> Path:
    return staging.path / "frontier.sqlite"


def request_key(fingerprint: bytes, callback: Any) -> str:
    """Return the frontier key of a request: its fingerprint and the name of its callback."""
    name = getattr(callback, "__name__", None) or (callback if isinstance(callback, str) else "parse")
    return f"{fingerprint.hex()}|{name}"


def request_record(request: Request, spider: Any) -> dict[str, Any]:
    """Return ``request.to_dict(spider=spider)``, naming spider-method callbacks without a search.

    Scrapy finds a callback's name by listing every method of the spider
    (``inspect.getmembers``) for each request; a bound method of the spider
    names itself. Anything else goes to Scrapy (which refuses what it cannot store).
    """
    names = {}
    for attr in ("callback", "errback"):
        func = getattr(request, attr)
        if not callable(func):
            names[attr] = func
            continue
        name = getattr(func, "__name__", None)
        own = getattr(spider, name, None) if isinstance(name, str) else None
        if getattr(func, "__self__", None) is not spider or getattr(own, "__func__", None) is not getattr(
                func, "__func__", None):
            return request.to_dict(spider=spider)
        names[attr] = name
    record = {"url": request.url, **names, "headers": dict(request.headers)}
    for attr in request.attributes:
        record.setdefault(attr, getattr(request, attr))
    if type(request) is not Request:
        record["_class"] = request.__module__ + "." + request.__class__.__name__
    return record


def _meta_json(meta: dict[str, Any]) -> str:
    shown = {k: v for k, v in meta.items() if k in ("link_kind", "link_meta", "file_item")}
    return json.dumps(shown, ensure_ascii=False, default=str, sort_keys=True)


class Frontier:
    """The SQLite file of one crawl's planned requests and their states.

    Writes open a transaction that ``commit`` ends (the scheduler commits on a
    timer, see the module docstring); reads see the open transaction too.
    """

    def __init__(self, path: Path, commit_rows: int = 0):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Transactions are begun and committed here (isolation_level=None: no implicit ones).
        # WAL with synchronous=NORMAL: a commit is durable once it returns as far as a killed
        # process goes (no fsync per commit; SQLite syncs at checkpoints).
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._seq = self.db.execute("SELECT coalesce(max(seq), 0) FROM request").fetchone()[0]
        self._states: dict[str, str] | None = None  # key -> state, read on first use
        self.commit_rows = commit_rows  # commit once this many requests ended in the open transaction (0: never here)
        self._ended = 0
        self.commits = 0

    def close(self) -> None:
        self.commit()
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    def commit(self) -> None:
        """End the open transaction: everything written so far survives a killed process."""
        if self.db.in_transaction:
            self.db.execute("COMMIT")
            self.commits += 1
        self._ended = 0

    def _write(self, sql: str, params: tuple) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        self.db.execute(sql, params)

    # -- reading -------------------------------------------------------------
    def state(self, key: str) -> str | None:
        if self._states is None:
            self._states = dict(self.db.execute("SELECT key, state FROM request").fetchall())
        return self._states.get(key)

    def pending(self) -> Iterator[tuple[str, bytes]]:
        """Yield (key, pickled request dict) of every pending row, in planning order."""
        yield from self.db.execute(
            "SELECT key, request FROM request WHERE state = 'pending' AND request IS NOT NULL ORDER BY seq"
        ).fetchall()

    def counts(self) -> dict[str, int]:
        """Return planned, loaded, failed, refused and pending: planned is the sum of the other four."""
        by_state = dict(self.db.execute("SELECT state, count(*) FROM request GROUP BY state").fetchall())
        counts = {
            "loaded": by_state.get("done", 0),
            "failed": by_state.get("failed", 0),
            "refused": by_state.get("refused", 0),
            "pending": by_state.get("pending", 0),
        }
        return {"planned": sum(counts.values()), **counts}

    def refusal_reasons(self) -> dict[str, int]:
        return dict(self.db.execute(
            "SELECT coalesce(reason, ''), count(*) FROM request WHERE state = 'refused' GROUP BY 1 ORDER BY 1"
        ).fetchall())

    def parse_counts(self) -> tuple[dict[str, int], dict[str, dict[str, list[int]]]]:
        """Return pages per page kind and [found, total] per kind and field, over the loaded pages."""
        rows = self.db.execute(
            "SELECT page_kind, fields FROM request WHERE state = 'done' AND page_kind IS NOT NULL ORDER BY seq")
        return tally_parses((kind, json.loads(seen or "{}")) for kind, seen in rows)

    # -- writing -------------------------------------------------------------
    def _set_state(self, key: str, state: str) -> None:
        if self._states is not None:
            self._states[key] = state

    def plan(self, key: str, request: Request, record: bytes | None) -> None:
        self._seq += 1
        self._write(
            "INSERT INTO request (key, seq, url, method, callback, kind, meta, request, priority, planned_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, self._seq, request.url, request.method, key.split("|", 1)[1], request.meta.get("link_kind"),
             _meta_json(request.meta), record, request.priority, utcnow().isoformat()),
        )
        self._set_state(key, "pending")

    def reopen(self, key: str) -> None:
        self._write("UPDATE request SET state = 'pending', finished_at = NULL WHERE key = ?", (key,))
        self._set_state(key, "pending")

    def finish(self, key: str, state: str, reason: str | None = None, page_kind: str | None = None,
               fields: dict[str, Any] | None = None) -> None:
        assert state in FINAL_STATES, state
        self._write(
            "UPDATE request SET state = ?, reason = ?, attempts = attempts + 1, page_kind = ?, fields = ?,"
            " finished_at = ? WHERE key = ?",
            (state, reason, page_kind, json.dumps(fields) if fields is not None else None,
             utcnow().isoformat(), key),
        )
        self._set_state(key, state)
        self._ended += 1
        if self.commit_rows and self._ended >= self.commit_rows:
            self.commit()

    def record_unplanned(self, url: str, state: str, reason: str | None, kind: str | None) -> None:
        """Add a final row for a URL the crawl decided not to request (refused before it became a request)."""
        key = "unplanned:" + hashlib.sha1(url.encode("utf-8", "replace")).hexdigest()
        self._seq += 1
        self._write(
            "INSERT OR IGNORE INTO request (key, seq, url, method, kind, state, reason, planned_at, finished_at)"
            " VALUES (?, ?, ?, 'GET', ?, ?, ?, ?, ?)",
            (key, self._seq, url, kind, state, reason, utcnow().isoformat(), utcnow().isoformat()),
        )


def _read_frontier(staging: StagingArea, read: Callable[[Frontier], T]) -> T | None:
    """Return ``read`` of a staged crawl's frontier (opened for it, closed after), or None when it has none."""
    path = frontier_path(staging)
    if not path.exists():
        return None
    frontier = Frontier(path)
    try:
        return read(frontier)
    finally:
        frontier.db.close()


def read_counts(staging: StagingArea) -> dict[str, Any] | None:
    """Return the frontier's counts of a staged crawl, or None when it has no frontier."""
    return _read_frontier(staging, lambda frontier: {**frontier.counts(), "refusedBy": frontier.refusal_reasons()})


def tally_parses(pages_read: Iterable[tuple[str, dict[str, Any]]]) -> tuple[dict[str, int], dict[str, dict[str, list[int]]]]:
    """Return pages per page kind and [found, total] per kind and field, from each page's (kind, fields seen)."""
    pages: dict[str, int] = {}
    fields: dict[str, dict[str, list[int]]] = {}
    for kind, seen in pages_read:
        pages[kind] = pages.get(kind, 0) + 1
        for field, found in seen.items():
            counts = fields.setdefault(kind, {}).setdefault(field, [0, 0])
            counts[0] += int(bool(found))
            counts[1] += 1
    return pages, fields


def link_metas(staging: StagingArea) -> dict[str, dict[str, Any]]:
    """Return the meta each URL's link carried (``link_meta``), by URL, from a staged crawl's frontier; {} without one.

    A URL planned more than once keeps the first meta that says something.
    """
    rows = _read_frontier(staging, lambda frontier: frontier.db.execute(
        "SELECT url, meta FROM request WHERE meta IS NOT NULL ORDER BY seq").fetchall()) or []
    metas: dict[str, dict[str, Any]] = {}
    for url, meta in rows:
        link_meta = json.loads(meta).get("link_meta")
        if link_meta and url not in metas:
            metas[url] = link_meta
    return metas


def parse_counts(staging: StagingArea) -> tuple[dict[str, int], dict[str, dict[str, list[int]]]]:
    """Return the pages per kind and field counts of a staged crawl's loaded pages (see ``Frontier``); none without a frontier."""
    return _read_frontier(staging, Frontier.parse_counts) or ({}, {})


def outcome_of(record: dict[str, Any]) -> str | None:
    """Return "failed", "refused" or None (a note on a page that was still loaded) for a failure record."""
    outcome = record.get("outcome")
    if outcome in ("failed", "refused"):
        return outcome
    if outcome:
        return None
    error = str(record.get("error") or "")
    if error.startswith("repaired"):
        return None
    if error.startswith("refused") or "robots.txt" in error:
        return "refused"
    return "failed"


def is_robots_denial(failure: Failure) -> bool:
    return bool(failure.check(IgnoreRequest)) and "robots.txt" in str(failure.value)


class FrontierScheduler(Scheduler):
    """Scrapy's scheduler, planning every request in the durable frontier first.

    The in-memory priority queue still orders the requests; the frontier is
    what survives the process. JOBDIR is not needed (and not used).
    """

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        scheduler.staging = StagingArea(Path(settings["RATSINFO_DATA_DIR"]), settings["RATSINFO_CRAWL_ID"]).create()
        scheduler.frontier = Frontier(frontier_path(scheduler.staging),
                                      commit_rows=settings.getint("RATSINFO_FRONTIER_COMMIT_ROWS", 10))
        scheduler.commit_seconds = settings.getfloat("RATSINFO_FRONTIER_COMMIT_SECONDS", 0.1)
        scheduler._commit_call = None
        scheduler.fingerprinter = crawler.request_fingerprinter
        # url -> keys of the requests handed to the engine for it (several after redirects to one page)
        scheduler.in_flight: dict[str, set[str]] = {}
        # url -> (outcome, reason) of failure records written for it, taken by the requests as they end
        scheduler.recorded: dict[str, list[tuple[str, str]]] = {}
        scheduler.errors: dict[str, str] = {}  # key -> the exception its callback or errback raised
        scheduler.duplicates = 0
        scheduler.requeued = 0
        crawler.signals.connect(scheduler._spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(scheduler._spider_error, signal=signals.spider_error)
        return scheduler

    # -- Scrapy's scheduler interface ------------------------------------------
    def open(self, spider):
        result = super().open(spider)
        for key, blob in self.frontier.pending():
            request = request_from_dict(pickle.loads(blob), spider=spider)
            request.meta[KEY] = key
            self._mqpush(request)
            self.requeued += 1
        if self.requeued:
            logger.info("resuming: %d planned requests still pending in %s", self.requeued, self.frontier.path)
        return result

    def close(self, reason):
        self.stats.set_value("frontier/requeued", self.requeued, spider=self.spider)
        self.stats.set_value("frontier/duplicates", self.duplicates, spider=self.spider)
        if self._commit_call is not None and self._commit_call.active():
            self._commit_call.cancel()
        self.frontier.close()
        self.stats.set_value("frontier/commits", self.frontier.commits, spider=self.spider)
        return super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        key = request.meta.get(KEY)
        if key is not None and self.frontier.state(key) == "pending":
            # A retry or a redirect of a planned request: it continues that request's row.
            self._mqpush(request)
            self.stats.inc_value("scheduler/enqueued/memory", spider=self.spider)
            self.stats.inc_value("scheduler/enqueued", spider=self.spider)
            return True
        key = request_key(self.fingerprinter.fingerprint(request), request.callback)
        state = self.frontier.state(key)
        if state is not None:
            if not request.dont_filter or state == "pending":
                self.duplicates += 1
                self.df.log(request, self.spider)
                return False
            self.frontier.reopen(key)  # dont_filter: fetched again, as Scrapy would
            self._commit_soon()
        else:
            try:
                record = pickle.dumps(request_record(request, self.spider))
            except Exception as exc:  # a callback that is not a spider method, an unpicklable meta value
                logger.warning("%s cannot be stored for a resume (%s); it is planned without it", request.url, exc)
                record = None
            self.frontier.plan(key, request, record)
            self._commit_soon()
        request.meta[KEY] = key
        self._mqpush(request)
        self.stats.inc_value("scheduler/enqueued/memory", spider=self.spider)
        self.stats.inc_value("scheduler/enqueued", spider=self.spider)
        return True

    def _commit_soon(self) -> None:
        """Commit the frontier's open transaction ``commit_seconds`` from now (once per batch)."""
        if self._commit_call is None or not self._commit_call.active():
            # Imported here: importing the reactor at module level would install the default one.
            from twisted.internet import reactor

            self._commit_call = reactor.callLater(self.commit_seconds, self.frontier.commit)

    def next_request(self):
        request = super().next_request()
        if request is not None and KEY in request.meta:
            self.in_flight.setdefault(request.url, set()).add(request.meta[KEY])
        return request

    # -- how a request ends ----------------------------------------------------
    # Scrapy sends no signal when a callback's output has been dealt with (item_scraped
    # comes per item, and an errback's output bypasses the spider middlewares). The one
    # place that knows is the scraper's slot: ``finish_response`` runs after the callback
    # or errback, every item it yielded through the pipelines and every request it
    # yielded through the scheduler. The frontier wraps it; a Scrapy without it fails
    # at start, not silently.
    def _spider_opened(self, spider):
        engine = self.crawler.engine
        slot = getattr(engine.scraper, "slot", None)
        if slot is None or not hasattr(slot, "finish_response"):
            raise RuntimeError("this Scrapy version has no Scraper slot.finish_response: FrontierScheduler needs one")
        original = slot.finish_response

        def finish_response(result, request):
            # Called once the callback or errback has run to its end: its items went through
            # the pipelines and the requests it yielded are planned.
            try:
                self._finished(result, request)
            finally:
                original(result, request)

        slot.finish_response = finish_response
        failure_log = getattr(spider, "failure_log", None)
        if failure_log is not None and hasattr(failure_log, "listeners"):
            failure_log.listeners.append(self._failure_recorded)

    def _spider_error(self, failure, response, spider):
        request = getattr(response, "request", None)  # a Failure handed to an errback carries it too
        key = request.meta.get(KEY) if request is not None else None
        if key is not None:
            self.errors.setdefault(key, f"{type(failure.value).__name__}: {failure.value}"[:500])

    def _failure_recorded(self, record: dict[str, Any]) -> None:
        """Note a failure record: it decides how its request ends, or is a refusal of its own."""
        outcome = outcome_of(record)
        if "outcome" not in record and outcome is not None:
            record["outcome"] = outcome  # the contract of failures.jsonl: every record says which
        if outcome is None:
            return
        url = str(record.get("url") or "")
        if outcome == "refused" and not record.get("reason") and "robots.txt" in str(record.get("error")):
            record["reason"] = "robots.txt"
        reason = str(record.get("reason") or record.get("error") or "")[:500]
        if url in self.in_flight:
            self.recorded.setdefault(url, []).append((outcome, reason))
        elif outcome == "refused":
            self.frontier.record_unplanned(url, "refused", reason, record.get("kind"))
            self._commit_soon()

    def _finished(self, result: Response | Failure, request: Request) -> None:
        key = request.meta.get(KEY)
        if key is None:
            return
        # A callback writes its page's record before it ends, so a record for one of the
        # request's URLs is there when the request ends. Requests ending on one URL (pages
        # redirected to one login page) take its records one each.
        recorded = None
        for url in (request.url, *request.meta.get("redirect_urls", ())):
            if recorded is None and self.recorded.get(url):
                recorded = self.recorded[url].pop(0)
            keys = self.in_flight.get(url)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self.in_flight[url]
                    self.recorded.pop(url, None)  # notes beyond one per request
        error = self.errors.pop(key, None)
        self._commit_soon()
        if recorded is not None:
            self.frontier.finish(key, recorded[0], recorded[1])
        elif error is not None:
            # The callback or errback raised: whatever it had not yet yielded is lost, so say so.
            self._write_failure_record(request, "failed", f"callback error: {error}")
            self.frontier.finish(key, "failed", f"callback error: {error}")
        elif isinstance(result, Failure) and request.errback is not None:
            # The errback ran to its end without recording a failure: it went on another way
            # (a fallback URL has its own row; a list answered 404 was read as empty).
            self.frontier.finish(key, "done", f"handled by its errback: {result.value!r}"[:500])
        elif isinstance(result, Failure):
            refused = is_robots_denial(result)
            state, reason = ("refused", "robots.txt") if refused else ("failed", f"{result.value!r}"[:500])
            self._write_failure_record(request, state, reason)
            self.frontier.finish(key, state, reason)
        else:
            page = request.meta.get("page_fields") or (None, None)
            self.frontier.finish(key, "done", None, page_kind=page[0], fields=page[1])

    def _write_failure_record(self, request: Request, outcome: str, reason: str) -> None:
        """Record a request that ended in an error nobody recorded (no errback, or it stayed silent)."""
        failure_log = getattr(self.spider, "failure_log", None)
        if failure_log is None:
            return
        record = {"url": request.url, "kind": request.meta.get("link_kind"), "status": None,
                  "error": reason, "outcome": outcome, "reason": reason, "sha256": None,
                  "at": utcnow().isoformat()}
        listeners, failure_log.listeners = failure_log.listeners, []
        try:
            failure_log.write(record)
        finally:
            failure_log.listeners = listeners
        if hasattr(self.spider, "failures"):
            self.spider.failures += 1
