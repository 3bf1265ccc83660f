"""spiders.middlewares: the cookies middleware keeps Scrapy's behaviour without its public-suffix lookups."""

from __future__ import annotations

import pytest
import scrapy.downloadermiddlewares.cookies as scrapy_cookies
from scrapy import Request, Spider
from scrapy.http import HtmlResponse

from spiders.middlewares import HostCookiesMiddleware


def _answer(url: str, *set_cookie: bytes) -> tuple[Request, HtmlResponse]:
    request = Request(url)
    return request, HtmlResponse(url, headers={"Set-Cookie": list(set_cookie)}, body=b"<html></html>", request=request)


def test_a_host_only_cookie_is_sent_back_without_asking_the_public_suffix_list(monkeypatch):
    asked = []
    real = scrapy_cookies._is_public_domain
    monkeypatch.setattr(scrapy_cookies, "_is_public_domain", lambda domain: asked.append(domain) or real(domain))
    middleware, spider = HostCookiesMiddleware(), Spider("t")
    request, response = _answer("http://ratsinfo.example.de/si0040.php", b"PHPSESSID=abc; Path=/")
    middleware.process_response(request, response, spider)
    follow = Request("http://ratsinfo.example.de/si0057.php?__ksinr=1")
    middleware.process_request(follow, spider)
    assert follow.headers.get("Cookie") == b"PHPSESSID=abc"
    assert asked == []
    other = Request("http://other.example.de/")
    middleware.process_request(other, spider)
    assert other.headers.get("Cookie") is None


def test_cookies_for_other_domains_are_judged_as_scrapy_does(monkeypatch):
    asked = []
    real = scrapy_cookies._is_public_domain
    monkeypatch.setattr(scrapy_cookies, "_is_public_domain", lambda domain: asked.append(domain) or real(domain))
    middleware, spider = HostCookiesMiddleware(), Spider("t")
    request, response = _answer("http://ratsinfo.stadt.co.uk/", b"a=1; Domain=co.uk", b"b=2; Domain=stadt.co.uk")
    middleware.process_response(request, response, spider)
    follow = Request("http://www.stadt.co.uk/")
    middleware.process_request(follow, spider)
    assert follow.headers.get("Cookie") == b"b=2"  # the cookie for the public suffix co.uk is dropped
    assert sorted(asked) == ["co.uk", "stadt.co.uk"]


@pytest.mark.parametrize(("head", "content_type", "taken"), [
    ('<meta http-equiv="refresh" content="0; url=/bi/si010.asp">', "text/html", True),
    ('<meta http-equiv="refresh" content="0; url=/bi/si010.asp">', None, True),  # HTML by its body
    ('<noscript><meta http-equiv="refresh" content="0; url=/bi/nojs.asp"></noscript>', "text/html", False),
    ('<meta http-equiv="refresh" content="300; url=/bi/si010.asp">', "text/html", False),  # later than MAXDELAY
    ('<meta http-equiv="refresh" content="0; url=mailto:rat@example.de">', "text/html", False),
    ('<meta http-equiv="refresh" content="0; url=/bi/si010.asp">', "application/octet-stream", True),  # sniffed
    ('<meta http-equiv="refresh" content="0; url=/bi/si010.asp">', "text/plain", False),  # not HTML to Scrapy
    ("<title>Vorlage</title>", "text/html", False),
])
def test_a_reparse_tells_the_answers_the_crawl_took_for_a_meta_refresh(head, content_type, taken):
    """As Scrapy's MetaRefreshMiddleware decides in the crawl: such an answer went on as a redirect, never parsed."""
    from spiders.crawl import project_settings
    from spiders.middlewares import taken_for_meta_refresh

    body = f"<html><head>{head}</head><body><h1>Vorlage</h1></body></html>".encode()
    assert taken_for_meta_refresh("https://ris.example.de/bi/vo020.asp?VOLFDNR=1", body, content_type,
                                  project_settings()) is taken
