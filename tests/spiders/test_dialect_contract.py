"""Every registered dialect meets the typed contract (spiders.dialects.base.Dialect) the spider calls directly."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from spiders.dialects import DIALECT_MODULES, by_name, dialects
from spiders.dialects.base import CrawlSession, Dialect, Link, Page, PageSession, Parsed, SessionDefaults
from schemas.staging import StagingArea

NAMES = [name.rsplit(".", 1)[1] for name in DIALECT_MODULES]
MEMBERS = [name for name in dir(Dialect) if not name.startswith("_")] + ["NAME", "FIRST_PAGE"]
SESSION_METHODS = [name for name in dir(CrawlSession) if not name.startswith("_")]


def test_the_registry_holds_every_dialect_package():
    assert sorted(NAMES) == ["allris4", "allris_classic", "kic", "oparl", "regisafe", "rubin", "sdnet", "sessionnet"]
    assert [d.NAME for d in dialects()] == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_the_dialect_has_every_member_of_the_contract_with_its_signature(name):
    dialect = by_name(name)
    assert isinstance(dialect, Dialect)
    assert isinstance(dialect.NAME, str) and isinstance(dialect.FIRST_PAGE, bool)
    for member in MEMBERS:
        if member in ("NAME", "FIRST_PAGE"):
            continue
        expected = [p for p in inspect.signature(getattr(Dialect, member)).parameters if p != "self"]
        got = inspect.signature(getattr(dialect, member)).parameters
        # Every parameter of the contract is accepted, in its place (more, optional ones are fine).
        assert list(got)[:len(expected)] == expected or set(expected) <= set(got), (member, list(got))
        extra = [p for p in list(got)[len(expected):] if got[p].default is inspect.Parameter.empty]
        assert not extra, (member, extra)


@pytest.mark.parametrize("name", NAMES)
def test_start_urls_takes_the_first_page_and_returns_links(name):
    dialect = by_name(name)
    links = dialect.start_urls("https://ris.example.test/bi/", [(2026, 9), (2026, 10)], first_page=None)
    assert links and all(isinstance(link, Link) for link in links)


@pytest.mark.parametrize("name", NAMES)
def test_the_crawl_session_has_every_method_and_the_defaults_answer_plainly(name, tmp_path: Path):
    from scrapy.settings import Settings

    session = by_name(name).crawl_session(Settings(), StagingArea(tmp_path, "c1").create())
    for method in SESSION_METHODS:
        assert callable(getattr(session, method)), method
    link = Link("https://ris.example.test/bi/x", "calendar")
    assert isinstance(session.request_for(link), Link)
    assert isinstance(session.drain_notes(), list) and isinstance(session.close_notes("finished"), list)
    assert isinstance(session.manifest(), dict)
    # Whether a copy of the session may read pages in the parse worker: said by every session, not probed.
    assert isinstance(session.parses_alone, bool)


def test_the_defaults_are_plain():
    page = Page("https://ris.example.test/bi/", "<html></html>")
    seen = []
    session = PageSession(lambda p, s: seen.append((p, s)) or Parsed())
    assert isinstance(session, SessionDefaults)
    assert session.parse(page, "src", {"ignored": 1}) == Parsed() and seen == [(page, "src")]
    assert session.recover("u", 404, b"", None) is None and session.close_notes("finished") == []
    for name in ("allris_classic", "allris4", "rubin", "regisafe", "kic"):
        assert by_name(name).oparl_system_url(page) is None


@pytest.mark.parametrize("href, expected", [
    ("/bi/oparl/1.0/system.asp", "https://ris.example.test/bi/oparl/1.0/system.asp"),
    ("oparl/v1.1/system", "https://ris.example.test/bi/oparl/v1.1/system"),
    ("https://ris.example.test/webservice/oparl/", "https://ris.example.test/webservice/oparl/"),
])
def test_sessionnet_names_the_oparl_server_its_page_links(href, expected):
    page = Page("https://ris.example.test/bi/info.asp", f'<html><a href="{href}">OParl</a></html>')
    assert by_name("sessionnet").oparl_system_url(page) == expected
    assert by_name("sessionnet").oparl_system_url(Page(page.url, '<a href="/bi/oparl-info.asp">x</a>')) is None
