"""The documents stage's crawl: download the documents a work list names, politely.

The metadata crawl (``spiders.ris``) only stages File items; the documents
stage (``pipelines.warehouse.document_stage``) picks the files still pending from the
warehouse, writes them to ``documents.jsonl`` in a new staging folder and
runs this spider on it. The spider fetches each distinct URL once, with the
project's settings (robots.txt, one request at a time per host, backoff, the
raw store), and yields one File update per file: where the bytes are
(``sha256`` in the raw store), how big, under which URL. What the bytes are
— the text, a login page, a scan without text layer — is decided by the
crawl-time step ``pipelines.crawl.document_text.DocumentTextPipeline`` from the raw
store, not here.

Every URL of the work list ends as a File update with a status: fetched (the
pipeline judges it), ``fetch_failed`` (HTTP error, timeout, connection
failure), ``too_large`` (the download passed ``RATSINFO_MAX_FILE_BYTES``) or
``refused`` (robots.txt, a host or scheme the source may not fetch); each
failure and refusal is also a record in ``failures.jsonl`` with its
``outcome``.

Run in its own process (Twisted's reactor does not restart):
``python -m spiders.documents --source S --base-url U --data-dir D --crawl-id C``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import scrapy

from schemas.items import File
from spiders.middlewares import policy_of
from spiders.url_policy import parse_hosts
from schemas.staging import JsonlWriter, StagingArea, read_jsonl, utcnow

logger = logging.getLogger(__name__)

WORKLIST = "documents.jsonl"
STAGE = "documents"


def allowed_url(spider, url: str) -> str | None:
    """Return why the spider's source may not fetch ``url`` (the crawl's URL policy), or None when it may."""
    refusal = policy_of(spider).refusal(url)
    return f"refused: {refusal}" if refusal else None


class DocumentsSpider(scrapy.Spider):
    """Downloads the documents of a work list: ``scrapy crawl documents -a source=… -a base_url=…``."""

    name = "documents"
    # Text extraction and page sniffing run as an item pipeline, reading the raw store.
    custom_settings = {
        "ITEM_PIPELINES": {
            "pipelines.crawl.document_text.DocumentTextPipeline": 200,
            "pipelines.crawl.stage_items.StagingPipeline": 900,
        },
        "CONCURRENT_ITEMS": 100,  # Scrapy's default: the text pipeline waits for threads (spiders/settings.py)
    }

    def __init__(self, source: str, base_url: str, extra_hosts: str | list[str] | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.source = source
        self.base_url = base_url  # contract with the URL policy middleware: the source's base URL
        if isinstance(extra_hosts, str):
            extra_hosts = [h.strip() for h in extra_hosts.split(",")]
        self.extra_hosts: list[str] = [h for h in (extra_hosts or []) if h]

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.staging = StagingArea(Path(settings["RATSINFO_DATA_DIR"]), settings["RATSINFO_CRAWL_ID"]).create()
        spider.failure_log = JsonlWriter(spider.staging.failures_path)
        spider.max_bytes = settings.getint("RATSINFO_MAX_FILE_BYTES", 20_000_000)
        # The setting adds hosts as for the page crawl (spiders.ris): `--set RATSINFO_EXTRA_HOSTS=…` of an ad-hoc source.
        for host in parse_hosts(settings.getlist("RATSINFO_EXTRA_HOSTS")):
            if host not in spider.extra_hosts:
                spider.extra_hosts.append(host)
        crawler.signals.connect(spider._closed, signal=scrapy.signals.spider_closed)
        return spider

    async def start(self):
        # First the base URL, as a visitor would: some installs hand out documents only within the
        # session cookie their pages set (SessionNet's PHPSESSID), which the metadata crawl had.
        yield scrapy.Request(self.base_url, callback=self.start_downloads, errback=self.start_downloads,
                             dont_filter=True, meta={"link_kind": "session"})

    def start_downloads(self, _response_or_failure=None):
        """Yield a request per work-list URL, and the refusals of URLs the source may not fetch."""
        for entry in read_jsonl(self.staging.path / WORKLIST):
            url, files = entry["url"], entry["files"]
            refusal = allowed_url(self, url)
            if refusal:
                for item in self._updates(files, textStatus="refused"):
                    yield item
                self.record_failure(url, refusal, outcome="refused")
                continue
            yield scrapy.Request(
                url,
                headers=entry.get("headers"),  # what the source's interface asks of every request (KIC's app keys)
                callback=self.parse_document,
                errback=self.on_error,
                dont_filter=True,  # two work-list entries never share a URL; a re-run must fetch again
                meta={"link_kind": "document", "files": files, "download_maxsize": self.max_bytes},
            )

    def parse_document(self, response):
        """Yield the File updates of a downloaded document (its text is read by the pipeline)."""
        files = response.meta["files"]
        refusal = allowed_url(self, response.url)
        if refusal:  # redirected off-site: the bytes are not the source's document
            first = (response.meta.get("redirect_urls") or [response.url])[0]
            yield from self._updates(files, textStatus="refused")
            self.record_failure(first, f"{refusal} (redirected to {response.url})", status=response.status,
                                outcome="refused")
            return
        content_type = response.headers.get("Content-Type")
        header_type = content_type.decode("latin-1").split(";")[0].strip() if content_type else None
        yield from self._updates(
            files,
            sha256=response.meta.get("raw_sha256"),
            size=len(response.body),
            crawledAt=response.meta.get("fetched_at") or utcnow(),
            header_type=header_type or None,
        )

    def on_error(self, failure):
        from twisted.internet.defer import CancelledError

        request = failure.request
        files = request.meta.get("files") or []
        response = getattr(failure.value, "response", None)
        status = getattr(response, "status", None) if response is not None else None
        if failure.check(scrapy.exceptions.IgnoreRequest) and response is None:
            # robots.txt, or the URL policy, decided not to make the request
            reason = str(failure.value) or "robots.txt or the URL policy"
            self.record_failure(request.url, f"refused: {reason}", outcome="refused")
            yield from self._updates(files, textStatus="refused")
            return
        if failure.check(CancelledError) and request.meta.get("download_maxsize"):
            # Scrapy cancels a download whose Content-Length, or whose bytes so far, pass download_maxsize.
            self.record_failure(request.url, f"too large: more than {self.max_bytes} bytes", outcome="failed")
            yield from self._updates(files, textStatus="too_large")
            return
        self.record_failure(request.url, f"fetch failed: {failure.value!r}"[:500], status=status, outcome="failed")
        yield from self._updates(files, textStatus="fetch_failed")

    def _updates(self, files: list[dict[str, Any]], *, header_type: str | None = None, crawledAt=None, **fields: Any):
        """Yield one File update per work-list file: its key, the URL and attempt it is for, and ``fields``."""
        crawled_at = crawledAt or utcnow()
        for f in files:
            yield File(
                source=f["source"], system=f["system"], systemId=f["systemId"], crawledAt=crawled_at,
                fileName=f.get("fileName"), mimeType=f.get("mimeType") or header_type,
                accessUrl=f["accessUrl"], textUrl=f["accessUrl"], textAttempts=f["textAttempts"], **fields,
            )

    def record_failure(self, url: str, error: str, *, status: int | None = None, sha256: str | None = None,
                       outcome: str = "failed") -> None:
        """Append a failure record (``outcome`` failed or refused) to the stage's failures.jsonl."""
        self.failure_log.write(
            {"url": url, "kind": "document", "status": status, "error": error[:2000], "sha256": sha256,
             "outcome": outcome, "at": utcnow().isoformat()}
        )

    def _closed(self, spider, reason):
        if spider is not self:
            return
        self.failure_log.close()
        self.staging.update_manifest(failures=sum(1 for _ in self.staging.read_failures()))


def run_documents(*, source: str, base_url: str, data_dir: Path, crawl_id: str, extra_hosts: list[str] | None = None,
                  settings: dict[str, str] | None = None) -> StagingArea:
    """Download the work list staged under ``crawl_id`` (blocks until done) and return its staging folder."""
    from scrapy.crawler import CrawlerProcess

    from spiders.crawl import project_settings

    staging = StagingArea(data_dir, crawl_id).create()
    staging.update_manifest(status="running", resumedAt=None)
    project = project_settings()
    project.set("RATSINFO_DATA_DIR", str(data_dir))
    project.set("RATSINFO_CRAWL_ID", crawl_id)
    for key, value in (settings or {}).items():
        project.set(key, value)
    process = CrawlerProcess(project, install_root_handler=True)
    crawler = process.create_crawler(DocumentsSpider)
    process.crawl(crawler, source=source, base_url=base_url, extra_hosts=extra_hosts or [])
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = stats.get("finish_reason", "unknown")
    counts: dict[str, int] = {}
    for item in staging.read_items():
        counts[item["type"]] = counts.get(item["type"], 0) + 1
    staging.update_manifest(
        finishedAt=utcnow().isoformat(),
        status="finished" if reason == "finished" else f"stopped: {reason}",
        itemCounts=counts,
        requests=stats.get("downloader/request_count", 0),
        responses=stats.get("downloader/response_count", 0),
        retries=stats.get("retry/count", 0),
        robotsForbidden=stats.get("robotstxt/forbidden", 0),
    )
    return staging


def documents_command(*, source: str, base_url: str, data_dir: Path | str, crawl_id: str,
                      extra_hosts: list[str] | None = None, settings: dict[str, str] | None = None) -> list[str]:
    """Return the command line that runs the documents crawl of a staged work list in a child process.

    The data folder is given as an absolute path: the child may run in another working directory.
    It is told this process's folder too (``--workdir``), so a relative path in a setting
    (``LOG_FILE=documents.log``) means what it meant to the caller.
    """
    command = [sys.executable, "-m", "spiders.documents", "--source", source, "--base-url", base_url,
               "--data-dir", str(Path(data_dir).absolute()), "--crawl-id", crawl_id, "--workdir", os.getcwd()]
    for host in extra_hosts or []:
        command += ["--extra-host", host]
    for key, value in (settings or {}).items():
        command += ["--set", f"{key}={value}"]
    return command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spiders.documents", description=__doc__)
    parser.add_argument("--source", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--crawl-id", required=True, help="staging folder holding documents.jsonl")
    parser.add_argument("--extra-host", action="append", default=[], help="another host the source's documents are on")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    parser.add_argument("--workdir", type=Path, help="folder relative paths are read against (default: the current one)")
    args = parser.parse_args(argv)
    if args.workdir:  # started in the project's folder (to import it), working in the caller's
        os.chdir(args.workdir)
    staging = run_documents(
        source=args.source, base_url=args.base_url, data_dir=args.data_dir, crawl_id=args.crawl_id,
        extra_hosts=args.extra_host, settings=dict(s.split("=", 1) for s in args.set),
    )
    manifest = staging.read_manifest()
    print(json.dumps(manifest, ensure_ascii=False, default=str))
    return 0 if manifest.get("status") == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
