"""The fast paths of the parsers agree with the libraries they stand in for, on real pages.

``spiders.dialects.html``: the tree-walking selector finds what cssselect's XPath
translation finds; ``spiders.dialects.base``: ``query_value`` reads what
``urllib.parse`` reads and ``join_url`` joins as ``urljoin`` does; ALLRIS 4's
ids read once are what ``find`` finds.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from lxml import etree

from spiders.dialects.allris4.fields import by_id_below
from spiders.dialects.base import Page, join_url, query_value
from spiders.dialects.html import _compiled, by_id, find, parse_html, select, select_one, xpath_select
from tests.conftest import PROJECT_ROOT

# Every form the dialects use: tags, classes, ids, attribute operators, :not(),
# descendant and child combinators, groups (also of different tags).
SELECTORS = [
    "td.kb1", "td.text4", "a[href]", "tr", "td, th, dt", "#page-content", "#risname h1, #risname_raw h1, h1.title",
    ".smc-table-cell, .smc-table-cell_r", "table[id^=smc_page_si0057_contenttable]", 'a[href*="getfile."]',
    'a[href*="vo0050."][href*="__kvonr="], a[href*="ag0050."][href*="__kagnr="]', "input[type=hidden]",
    ".card-header .badge:not(.smc-badge-count)", "tbody > tr", "table.tl1 tr, table.toTable tr", "ul.smc-detail-list > li",
    "td[class*=smc_field_], div[class*=smc_field_]", "[aria-describedby]", "span[class]", "td.tovonr a[href*=\"VOLFDNR=\"]",
    "div p > span", "* > a", "tr td a", "[class~=text1]", "[lang|=de]", 'a[href$=".pdf"]', "a:not([href])", "body div",
    "td.text1, td.text2, td.text3", "span.badge, div.card, .smc-no-data, td.kb1",
]
# Forms the matcher leaves to XPath.
XPATH_ONLY = ["tr:first-child", "td:nth-child(2)", "a + a", "p ~ p", "[class~='']", "a[href^='']"]


def _trees(corpus_dir):
    files = sorted(p for p in corpus_dir.rglob("*") if p.suffix in (".html", ".xml"))
    assert files, f"no HTML pages under {corpus_dir}"
    for path in files:
        yield path.name, parse_html(Page.from_bytes("https://example.org/", path.read_bytes()).text)


def test_select_finds_what_the_xpath_translation_finds_on_every_corpus_page(corpus_dir) -> None:
    compared = 0
    for name, root in _trees(corpus_dir):
        scopes = [root, *list(root.iter("table", "tr", "div", "a"))[:15]]
        for css in SELECTORS + XPATH_ONLY:
            for scope in scopes:
                expected = xpath_select(scope, css)
                assert select(scope, css) == expected, (name, css, scope)
                assert select_one(scope, css) is (expected[0] if expected else None), (name, css, scope)
                compared += 1
    assert compared > 10_000


def test_selectors_the_matcher_does_not_know_go_to_xpath() -> None:
    for css in XPATH_ONLY:
        assert isinstance(_compiled(css)[0], etree.XPath), css
    for css in SELECTORS:
        assert not isinstance(_compiled(css)[0], etree.XPath), css


@pytest.mark.parametrize(
    "css, expected",
    [
        (".a", ["1", "3"]),  # class tokens split on tab and newline too, not on a no-break space
        ("[class~=b]", ["1"]),
        ("div > p", ["4"]),
        ("div p", ["4", "5"]),
        ("section p", []),  # the ancestor must lie below the element searched from
        ("p:not(.a)", ["2", "4", "5", "6"]),
    ],
)
def test_select_on_a_small_tree(css: str, expected: list[str]) -> None:
    root = parse_html(
        '<html><body><section id="s"><p class="x\ta\nb" id="1"></p><p class="a\u00a0c" id="2"></p>'
        '<p class=" a " id="3"></p><div><p id="4"></p><span><p id="5"></p></span></div><p id="6"></p></section></body></html>'
    )
    section = by_id(root, "s")
    found = [el.get("id") for el in select(section, css)]
    assert found == expected
    assert found == [el.get("id") for el in xpath_select(section, css)]


def test_by_id_returns_the_first_element_of_the_whole_document() -> None:
    root = parse_html('<html><body><div id="a">1</div><p><span id="a">2</span><b id="c">3</b></p></body></html>')
    assert by_id(root, "a").text == "1"
    assert by_id(select_one(root, "p"), "a").text == "1"
    assert by_id(root, "c").tag == "b"
    assert by_id(root, "missing") is None


def _urllib_value(url: str, name: str, ignore_case: bool) -> str | None:
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if value and (key.lower() == name.lower() if ignore_case else key == name):
            return value
    return None


TRICKY_URLS = [
    "vo020.asp?VOLFDNR=12&options=4", "vo020.asp?volfdnr=12", "x.asp?VOLFDNR=&VOLFDNR=7", "x.asp?VOLFDNR", "x.asp?a=1#VOLFDNR=3",
    "x.asp?VOLFDNR=1%32", "x.asp?VOL%46DNR=5", "x.asp?VOLFDNR=a+b", "x.asp?VOLFDNR=1\t2", "https://[::1]/x?VOLFDNR=4",
    "https://h/x?VOLFDNR=4?5", "x?__kvonr=1&amp;__kvonr=2", "https://hóst/x?VOLFDNR=6", "?VOLFDNR=8", "javascript:show('VOLFDNR=9')",
    "", "&&VOLFDNR=1==2", " x.asp?VOLFDNR=3 ",
]


def test_query_value_reads_what_urllib_reads(corpus_dir) -> None:
    """``query_value`` splits plain URLs itself: same answer as ``parse_qsl(urlsplit(url).query)`` on every corpus link."""
    urls = list(TRICKY_URLS)
    for _, root in _trees(corpus_dir):
        urls += [a.get("href") for a in root.iter("a") if a.get("href") is not None]
    assert len(urls) > 1000
    for url in urls:
        for name in ("VOLFDNR", "TOLFDNR", "SILFDNR", "KPLFDNR", "__kvonr", "__ksinr", "id", "x"):
            for ignore_case in (False, True):
                assert query_value(url, name, ignore_case) == _urllib_value(url, name, ignore_case), (url, name, ignore_case)


TRICKY_BASES = [
    "https://h.de/bi/to010.asp?SILFDNR=1", "http://h.de/bi/", "https://h.de", "https://h.de?x=1", "https://h.de/a//b/c.asp",
    "https://h.de/a/./b/c.asp", "https://h.de/a/../b/c.asp", "https://h.de/a;p/b.asp", "https://h.de/a/b.asp;jsessionid=1",
    "HTTPS://h.de/bi/x.asp", "ftp://h.de/bi/x", "https://[::1]/bi/x.asp", "https://u@h.de/bi/x.asp", "https://h.de/bi/x.asp#f/g",
    "https://h.de/bi/x.asp?a=/b/c", "https://hä.de/bi/x.asp", "https://h.de/b\ti/x.asp", "https://h.de/bi/..",
]
TRICKY_HREFS = [
    "to020.asp?TOLFDNR=1", "to020.asp", "to020.asp?", ".", "..", ".?x=1", "..?x=1", "...", "a.b-c_d", "x?a=b:c", "x?a#f",
    "x?ä=1", "x? y", "/abs.asp", "//other/x", "https://other/x", "mailto:a@b", "x.asp?a=1?b=2", "",
]


def test_join_url_joins_as_urljoin_does(corpus_dir) -> None:
    """``join_url`` joins plain links itself: same answer as ``urljoin`` for every corpus link on its page's URL."""
    pairs = [(base, href) for base in TRICKY_BASES for href in TRICKY_HREFS]
    for golden in sorted((PROJECT_ROOT / "tests" / "spiders" / "golden").glob("*/*.json")):
        case = json.loads(golden.read_text())
        path = corpus_dir / case.get("page", "")
        if path.is_file():
            root = parse_html(Page.from_bytes(case["url"], path.read_bytes()).text)
            pairs += [(case["url"], a.get("href")) for a in root.iter("a") if a.get("href") is not None]
    assert len(pairs) > 1000
    for base, href in pairs:
        assert join_url(base, href) == urljoin(base, href), (base, href)


def test_allris4_ids_below_are_what_find_finds(corpus_dir) -> None:
    """``allris4.fields.by_id_below`` reads the ids once: the same element as ``find(soup, id=...)``, for every id of a page."""
    checked = 0
    for name, root in _trees(corpus_dir / "allris4"):
        for element_id in {el.get("id") for el in root.iter() if el.get("id") is not None} | {"missing", None}:
            assert by_id_below(root, element_id) is find(root, id=element_id), (name, element_id)
            checked += 1
    assert checked > 100
