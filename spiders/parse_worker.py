"""Read fetched pages in a worker process, beside the process that runs the crawl.

A crawl's process does what every Scrapy spider does (download, schedule, run
the middlewares) plus the frontier, the raw store and the staging; reading a
page (``read_page``: decode, the checks for answers that are not the page
asked for, the dialect's parse, the page kind, its items normalised and
written out as the lines they add to items.jsonl) is pure and goes to a
``ParseWorker``, so both run at the same time. What has side effects stays in
the crawl's process (``spiders.ris``): the requests built from the links (URL
policy, the session's ``request_for``), failure records, the frontier, counts
and the manifest.

Only a session whose ``parses_alone`` is true is read in the worker (each task
carries a copy of it); the others (OParl: list walks, KIC: the app's headers)
are read in the crawl's process, as are all pages when
``RATSINFO_PARSE_WORKERS`` is 0. One worker is enough: it reads a page in less
time than the crawl's process spends on it.

The worker is forked before Scrapy starts: a fork shares the imported parsers
for free, and forking a process that already runs threads is unsafe (such a
process gets no worker). The worker ignores Ctrl-C (the crawl shuts down
gracefully and still needs it) and ends at the end of its task pipe: when the
crawl closes it, or when the crawl's process is gone (``kill -9``). A worker
that dies loses nothing: ``read`` raises ``WorkerGone`` for every page waiting
for it, and the spider reads those, and every later one, itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import multiprocessing
import os
import pickle
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from pipelines.normalise.items import normalised_lines
from schemas.staging import StagedLines
from spiders.dialects import by_name
from spiders.dialects.base import CrawlSession, Dialect, Note, Page, Parsed, error_page_reason, login_form, truncation

logger = logging.getLogger(__name__)


# Why an answer is not read as the page, written the same way by the crawl and by a re-parse.
TRUNCATED = "truncated: the body is shorter than its Content-Length"
UNDECODABLE = "the body cannot be decoded"
ACCESS_DENIED = "access denied: the server answered with an access/error page"


@dataclass
class PageReading:
    """What reading one fetched page gave: plain data, sent back from a worker as it is."""

    # Why the page cannot be used (recorded as failed; its body stays in the raw store), or None.
    failure: str | None = None
    # The failure is a parse error (the spider logs it as a warning).
    parse_error: bool = False
    # The dialect's access-denied page: the spider tries the link's fallback URL, if it has one.
    refused: bool = False
    # What the page holds: its links, hosts and fields seen (``parsed.items`` is empty) ...
    parsed: Parsed | None = None
    # ... and its items, normalised and written out as the lines they add to items.jsonl (None: no items).
    staged: StagedLines | None = None
    page_kind: str | None = None
    notes: list[Note] = field(default_factory=list)


def read_page(dialect: Dialect, session: CrawlSession, source: str, url: str, body: bytes,
              content_type: str | None, status: int, dataloss: bool, link_kind: str | None,
              link_meta: dict | None, fetched_at: dt.datetime) -> PageReading:
    """Return what a fetched page holds, or why it cannot be used (pure: no network, no files).

    Its items are stamped with ``fetched_at`` (``crawledAt``), normalised and
    written out as lines: the crawl's process only appends them to items.jsonl.
    """
    page = Page.from_bytes(url, body, content_type)
    unusable = unusable_reason(page, status, dataloss)
    if unusable is not None:
        return PageReading(failure=unusable)
    if dialect.is_refused(page):
        return PageReading(refused=True)
    try:
        parsed = session.parse(page, source, link_meta)
    except Exception as exc:  # a broken page must not end the crawl
        stand_in = error_page_reason(page)
        return PageReading(failure=f"{type(exc).__name__}: {exc}" + (f" ({stand_in})" if stand_in else ""),
                           parse_error=True)
    if parsed.fields_seen and sum(map(bool, parsed.fields_seen.values())) * 2 < len(parsed.fields_seen):
        # Most of what the page type holds is missing: an error or maintenance page in the page's place?
        stand_in = error_page_reason(page)
        if stand_in is not None:
            return PageReading(failure=f"not a content page: {stand_in}")
    try:
        staged = normalised_lines(parsed.items, fetched_at)
    except Exception as exc:  # a value no normaliser expected: recorded with the page like a parse error
        return PageReading(failure=f"normalising its items: {type(exc).__name__}: {exc}", parse_error=True)
    parsed.items = []  # handed on as lines
    return PageReading(parsed=parsed, staged=staged, page_kind=dialect.page_kind(page) or link_kind or "unknown",
                       notes=session.drain_notes())


def undecodable(reason: str) -> PageReading:
    """Return what an answer whose Content-Encoding did not decode gives: a failure (its body is kept as it came)."""
    return PageReading(failure=f"{UNDECODABLE}: {reason}")


def unusable_reason(page: Page, status: int, dataloss: bool) -> str | None:
    """Return why a fetched answer cannot be the page asked for (cut short, empty, login form), or None."""
    if dataloss:
        return TRUNCATED
    if not page.body.strip():
        return f"empty body (HTTP {status})"
    return truncation(page) or login_form(page)


class WorkerFailed(RuntimeError):
    """The worker did not read the page (``read_page`` raised there): the crawl's process reads it instead."""


class WorkerGone(WorkerFailed):
    """The worker process is gone (killed, out of memory): it reads no more pages in this crawl."""


class ParseWorker:
    """A worker process that reads pages (``read_page``) for one crawl, over two pipes.

    Tasks and readings are pickled, each sent as an 8-byte length and the
    pickle. The worker answers in the order it was asked, so the crawl keeps
    one queue of waiting futures. Both ends are asyncio pipe transports on the
    crawl's event loop (Scrapy's asyncio reactor): no threads, so the reactor's
    thread never waits for another one to hand back the interpreter lock.
    """

    def __init__(self) -> None:
        tasks_read, self._tasks_fd = os.pipe()
        self._results_fd, results_write = os.pipe()
        context = multiprocessing.get_context("fork")
        self.process = context.Process(target=_serve, args=(tasks_read, results_write, (self._tasks_fd, self._results_fd)),
                                       name="ratsinfo-parse-worker", daemon=True)
        self.process.start()
        os.close(tasks_read)
        os.close(results_write)  # the worker holds the only write end: its death is an end of file here
        self._pipes = (open(self._tasks_fd, "wb", buffering=0), open(self._results_fd, "rb", buffering=0))
        self.waiting: deque[asyncio.Future] = deque()
        self.broken: str | None = None
        self._writer: asyncio.WriteTransport | None = None
        self._connected: asyncio.Future | None = None

    async def read(self, dialect: Dialect, session: CrawlSession, *args: Any) -> PageReading:
        """Return ``read_page(dialect, session, *args)`` computed in the worker; raise WorkerGone when it is not."""
        if self._connected is None:
            self._connected = asyncio.ensure_future(self._connect())
        await self._connected
        if self.broken is not None:
            raise WorkerGone(self.broken)
        try:
            data = pickle.dumps((dialect.NAME, session, args), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # e.g. a link's meta that does not pickle
            raise WorkerFailed(f"the page cannot be sent to the parse worker: {type(exc).__name__}: {exc}") from exc
        future = asyncio.get_running_loop().create_future()
        self.waiting.append(future)
        assert self._writer is not None
        self._writer.write(len(data).to_bytes(8, "little") + data)
        return await future

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        self._writer, _ = await loop.connect_write_pipe(lambda: _TaskPipe(self), self._pipes[0])
        await loop.connect_read_pipe(lambda: _ResultPipe(self), self._pipes[1])

    def _answered(self, payload: bytes) -> None:
        future = self.waiting.popleft()
        try:
            status, value = pickle.loads(payload)
        except Exception as exc:
            status, value = "error", f"its answer cannot be read: {type(exc).__name__}: {exc}"
        if future.done():
            return
        if status == "ok":
            future.set_result(value)
        else:  # read_page itself raised in the worker (or its reading would not pickle)
            future.set_exception(WorkerFailed(f"the parse worker failed on the page: {value}"))

    def _lost(self, reason: str) -> None:
        """The worker is gone: every page still waiting for it is read in the crawl's process instead."""
        if self.broken is None:
            self.broken = reason
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_exception(WorkerGone(reason))

    def close(self) -> None:
        """Stop the worker and wait for it (so its processor time is counted among the crawl's children)."""
        # Closed here, not through the transports: the crawl's event loop has stopped by now.
        for pipe in self._pipes:
            pipe.close()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class _TaskPipe(asyncio.Protocol):
    def __init__(self, worker: ParseWorker) -> None:
        self.worker = worker

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None:  # a broken pipe: the worker is gone
            self.worker._lost(f"the parse worker is gone ({exc})")


class _ResultPipe(asyncio.Protocol):
    def __init__(self, worker: ParseWorker) -> None:
        self.worker = worker
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= 8:
            size = int.from_bytes(self.buffer[:8], "little")
            if len(self.buffer) < 8 + size:
                break
            payload = bytes(self.buffer[8:8 + size])
            del self.buffer[:8 + size]
            self.worker._answered(payload)

    def connection_lost(self, exc: Exception | None) -> None:
        code = self.worker.process.exitcode if not self.worker.process.is_alive() else None
        self.worker._lost(f"the parse worker is gone (exit code {code})" if code is not None else "the parse worker is gone")


def start_worker(setting: str | int | None) -> ParseWorker | None:
    """Return a started worker, or None (pages read in the crawl's process).

    ``setting`` is ``RATSINFO_PARSE_WORKERS``: 0 or 1 (one worker keeps up
    with a crawl: its own process, not the parsing, is then what limits it);
    empty means 1 on a machine with more than one core for this process.
    A process that already runs threads does not fork (unsafe): its pages
    are read in it.
    """
    workers = default_workers() if setting in (None, "") else int(setting)
    if workers not in (0, 1):
        raise ValueError(f"RATSINFO_PARSE_WORKERS is 0 or 1, not {setting!r}")
    if workers == 0:
        return None
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        logger.info("not starting a parse worker (this process runs threads or cannot fork): pages are read here")
        return None
    return ParseWorker()


def default_workers() -> int:
    """Return the default of ``RATSINFO_PARSE_WORKERS``: 1 on a machine with more than one core for this process, else 0."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return 1 if cores > 1 else 0


# -- in the worker ---------------------------------------------------------

def _serve(tasks_fd: int, results_fd: int, parent_fds: tuple[int, ...]) -> None:
    """Read pages until the task pipe ends (the crawl closed it, or the crawl's process is gone)."""
    for fd in parent_fds:
        os.close(fd)  # the parent's ends: else the worker would never see its own end of file
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the crawl's process, which still needs its worker
    with open(tasks_fd, "rb") as tasks, open(results_fd, "wb") as results:
        while True:
            header = tasks.read(8)
            if len(header) < 8:
                return
            name, session, args = pickle.loads(tasks.read(int.from_bytes(header, "little")))
            try:
                data = pickle.dumps(("ok", read_page(by_name(name), session, *args)), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # the crawl's process reads this page itself, and meets the same error there
                data = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"[:500]))
            try:
                results.write(len(data).to_bytes(8, "little") + data)
                results.flush()
            except BrokenPipeError:
                return
