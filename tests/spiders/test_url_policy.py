"""The URL policy: which URLs a crawl of one source may fetch, and why the others are refused."""

from __future__ import annotations

import pytest

from spiders.url_policy import RefusedRequest, UrlPolicy, is_internal_address, parse_hosts

PUBLIC = UrlPolicy("https://ratsinfo.example.de/bi/", ("dokumente.example.de", "files.example.de:8443"),
                   resolve=lambda host: {"dokumente.example.de": ["93.184.216.34"],
                                         "files.example.de": ["10.1.2.3"]}.get(host, []))
LOCAL = UrlPolicy("http://127.0.0.1:8765/musterstadt/bi/", ("localhost:9000",))

ALLOWED = [
    (PUBLIC, "https://ratsinfo.example.de/bi/vo020.asp?VOLFDNR=1"),
    (PUBLIC, "http://ratsinfo.example.de/bi/vo020.asp?VOLFDNR=1"),  # http -> https upgrades and back
    (PUBLIC, "https://RATSINFO.EXAMPLE.DE:443/bi/"),
    (PUBLIC, "https://dokumente.example.de/getfile.asp?id=1"),
    (LOCAL, "http://127.0.0.1:8765/robots.txt"),
    (LOCAL, "http://localhost:9000/docs/1.pdf"),
]

REFUSED = [
    (PUBLIC, "file:///etc/passwd", r"scheme file://"),
    (PUBLIC, "ftp://ratsinfo.example.de/x", r"scheme ftp://"),
    (PUBLIC, "javascript:alert(1)", r"scheme javascript://"),
    (PUBLIC, "data:text/html,hi", r"scheme data://"),
    (PUBLIC, "//ratsinfo.example.de/x", r"scheme \(none\)"),
    (PUBLIC, "https://evil.example/bi/", r"host evil\.example is not the source's"),
    (PUBLIC, "https://example.de/bi/", r"host example\.de is not the source's"),  # no parent domains
    (PUBLIC, "https://sub.ratsinfo.example.de/bi/", r"not the source's"),  # nor subdomains
    (PUBLIC, "https://ratsinfo.example.de@evil.example/", r"host evil\.example"),
    (PUBLIC, "https://user:pw@ratsinfo.example.de/bi/", r"credentials"),
    (PUBLIC, "https://ratsinfo.example.de:8080/bi/", r"port 8080 of ratsinfo\.example\.de"),
    (PUBLIC, "http://127.0.0.1/", r"host 127\.0\.0\.1 is not the source's"),
    (PUBLIC, "http://169.254.169.254/latest/meta-data/", r"not the source's"),
    (PUBLIC, "http://[::1]/", r"not the source's"),
    (PUBLIC, "https://dokumente.example.de:8443/x", r"port 8443 of extra host"),
    (PUBLIC, "https://files.example.de/x", r"port 443 of extra host files\.example\.de"),
    (PUBLIC, "https://files.example.de:8443/x", r"resolves to internal address 10\.1\.2\.3"),
    (PUBLIC, "http://ratsinfo.example.de:99999/", r"malformed URL"),
    (LOCAL, "http://127.0.0.1:8766/musterstadt/bi/", r"port 8766 of 127\.0\.0\.1"),
    (LOCAL, "http://localhost:8765/musterstadt/bi/", r"port 8765 of extra host localhost"),
    (UrlPolicy("http://127.0.0.1:8765/"), "http://localhost:8765/", r"host localhost is not the source's"),
    (LOCAL, "http://localhost:9001/", r"port 9001 of extra host localhost"),
]


@pytest.mark.parametrize(("policy", "url"), ALLOWED)
def test_the_sources_own_hosts_are_allowed(policy, url):
    assert policy.refusal(url) is None
    policy.check(url)


@pytest.mark.parametrize(("policy", "url", "reason"), REFUSED)
def test_everything_else_is_refused_with_its_reason(policy, url, reason):
    with pytest.raises(RefusedRequest, match=reason) as refused:
        policy.check(url)
    assert refused.value.url == url


def test_an_extra_host_on_an_internal_address_is_refused_for_a_public_source():
    policy = UrlPolicy("https://ratsinfo.example.de/bi/", ("192.168.1.20", "intranet.local"),
                       resolve=lambda host: ["192.168.1.21"])
    assert "internal address" in policy.refusal("http://192.168.1.20/doc.pdf")
    assert "resolves to internal address 192.168.1.21" in policy.refusal("http://intranet.local/doc.pdf")


def test_internal_addresses():
    assert all(map(is_internal_address, ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254",
                                         "::1", "fe80::1", "fc00::1", "0.0.0.0", "100.64.0.1", "::ffff:127.0.0.1"]))
    assert not any(map(is_internal_address, ["93.184.216.34", "2606:2800:220:1::", "example.de"]))


def test_a_base_url_must_be_http():
    with pytest.raises(ValueError, match="http"):
        UrlPolicy("file:///srv/ris/")


def test_hosts_come_from_a_setting_string_or_a_list():
    assert parse_hosts("a.example, b.example:8080 c.example") == ["a.example", "b.example:8080", "c.example"]
    assert parse_hosts(["a.example", " "]) == ["a.example"]
    assert parse_hosts(None) == []


def test_international_host_names_match_in_either_form():
    policy = UrlPolicy("https://ratsinfo.würselen.de/bi/", ("dokumente.köln.de",))
    assert policy.refusal("https://ratsinfo.xn--wrselen-n2a.de/bi/vo020.asp") is None  # as Scrapy sends it
    assert policy.refusal("https://RATSINFO.WÜRSELEN.DE/bi/") is None
    assert policy.refusal("https://dokumente.xn--kln-sna.de/1.pdf") is None
    assert "not the source's" in policy.refusal("https://ratsinfo.wurselen.de/bi/")
