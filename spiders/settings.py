"""Scrapy settings: polite by default.

Council servers are small municipal installs; a crawl must never be noticed
as load. robots.txt is obeyed, one request at a time per host with
AutoThrottle on top, errors back off, and the user agent says who we are
and how to reach the operator (override with RATSINFO_USER_AGENT).
"""

import os

BOT_NAME = "ratsinfo"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = os.environ.get(
    "RATSINFO_USER_AGENT",
    "ratsinfo/0.1 (+https://github.com/ratsinfo/ratsinfo; council-data research crawler; contact: set RATSINFO_USER_AGENT)",
)
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# A page's outputs one after the other: its items go through plain-function pipelines in
# PageItemsMiddleware, its requests to the frontier, neither waits. Scrapy's default (100)
# starts 100 twisted cooperators for every page (tests/benchmarks/bench_crawl.py, 600-paper
# site: 3.25 CPU-s of the crawl's process, 4.30 in the run before). The documents spider,
# whose pipeline awaits text extraction in threads, keeps the default.
CONCURRENT_ITEMS = 1
DOWNLOAD_DELAY = 1.0
RANDOMIZE_DOWNLOAD_DELAY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
REDIRECT_MAX_TIMES = 10  # a redirect loop ends here, recorded as failed

RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

COOKIES_ENABLED = True  # SessionNet answers some pages only with its anonymous session cookie
REDIRECT_ENABLED = True
HTTPERROR_ALLOW_ALL = False

DOWNLOADER_MIDDLEWARES = {
    # Only http(s) to the source's own host(s): checked before anything (robots.txt included) is fetched.
    "spiders.middlewares.UrlPolicyMiddleware": 50,
    # Redirects: refused when they leave the source, never swallowed by the duplicate filter.
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "spiders.middlewares.PolicyMetaRefreshMiddleware": 580,
    "spiders.middlewares.PolicyRedirectMiddleware": 600,
    # An unreachable source stops after RATSINFO_MAX_CONSECUTIVE_FAILURES connection failures in a row.
    "spiders.middlewares.ReachabilityMiddleware": 560,
    # Honour Retry-After and back off exponentially instead of Scrapy's immediate retry.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.politeness.BackoffRetryMiddleware": 550,
    # Keep every fetched page, compressed and content-addressed ...
    "spiders.raw_archive.RawArchiveMiddleware": 950,
    # ... as the page itself: a gzip-encoded answer is decoded before the archive (a higher number
    # runs first on a response); one that does not decode is kept as it came and recorded as failed.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "spiders.middlewares.ContentDecodingMiddleware": 960,
    # Scrapy's cookie handling without its public-suffix lookup for host-only cookies (same outcome;
    # the lookup builds tldextract's suffix table, ~40 ms of every crawl).
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "spiders.middlewares.HostCookiesMiddleware": 700,
    # Nothing to do for us (no allowed_domains): UrlPolicyMiddleware keeps the crawl on the source's hosts.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
}
# A page's items go through the item pipelines as its callback yields them (see
# pipelines.crawl.stage_items.PageItemsMiddleware), not through Scrapy's per-item machinery.
SPIDER_MIDDLEWARES = {
    "pipelines.crawl.stage_items.PageItemsMiddleware": 950,
}
# A page's items arrive normalised and written out as lines (spiders.parse_worker.read_page).
ITEM_PIPELINES = {
    "pipelines.crawl.stage_items.StagingPipeline": 900,
}

# Every planned request is written to the crawl's frontier (staging/<id>/frontier.sqlite)
# before it is queued, so a crawl killed at any moment resumes where it was (no JOBDIR).
SCHEDULER = "spiders.frontier.FrontierScheduler"
# Frontier writes are committed in groups: this long after the first write of a group, or once
# this many requests have ended in it. A kill -9 loses at most the open group, i.e. those pages
# are fetched again on resume (never a planned request lost; see spiders.frontier).
RATSINFO_FRONTIER_COMMIT_SECONDS = 0.1
RATSINFO_FRONTIER_COMMIT_ROWS = 10

# Scrapy re-reads a generator callback's source (inspect + ast, 2-3 ms for RisSpider.parse_page)
# to warn about ``return value`` in it whenever its cache entry, weakly keyed by the bound method
# of a request, has lapsed: 14 times in a 78-page demo crawl. tests/spiders/test_frontier.py
# makes the same check once per callback of the spiders instead.
WARN_ON_GENERATOR_RETURN_VALUE = False

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("RATSINFO_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False

# ratsinfo's own settings
RATSINFO_DATA_DIR = os.environ.get("RATSINFO_DATA_DIR", "data")
RATSINFO_DOWNLOAD_FILES = "main"  # main documents of papers (signatures, topic text); "all", "none"
RATSINFO_MAX_FILE_BYTES = 20_000_000
RATSINFO_RETRY_BACKOFF_BASE = 2.0  # seconds; doubled on each retry, capped below
RATSINFO_RETRY_BACKOFF_MAX = 300.0
RATSINFO_EXTRA_HOSTS: list[str] = []  # hosts besides the base URL's a crawl may fetch (a document server)
RATSINFO_MAX_CONSECUTIVE_FAILURES = 5  # connection failures in a row (distinct URLs) that close the crawl; 0: never
# A worker process that parses the pages beside the crawl's own process (spiders.parse_worker):
# 1; 0: parsed in the crawl's process. Empty: 1 when the crawl may use more than one core, else 0.
RATSINFO_PARSE_WORKERS = os.environ.get("RATSINFO_PARSE_WORKERS", "")
