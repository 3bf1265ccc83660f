"""Decoding and the checks that tell a real page from a cut, login or error page (spiders.dialects.base)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.dialects.base import Page, decode_page, error_page_reason, login_form, truncation
from tests.conftest import PROJECT_ROOT

DEMO = PROJECT_ROOT / "data" / "demo" / "site"
LATIN1_PAPER = DEMO / "musterstadt" / "bi" / "vo020.asp" / "VOLFDNR=5006.html"


def test_latin1_bytes_sent_as_utf8_decode_without_replacement_characters():
    body = LATIN1_PAPER.read_bytes()
    text = decode_page(body, "text/html; charset=utf-8")
    assert "\ufffd" not in text
    assert "Änderung der Zuständigkeitsordnung" in text


def test_utf8_bytes_sent_as_latin1_decode_as_utf8():
    body = LATIN1_PAPER.read_bytes().decode("cp1252").encode("utf-8")
    assert "Zuständigkeitsordnung" in decode_page(body, "text/html; charset=iso-8859-1")


@pytest.mark.parametrize("content_type", [None, "text/html", "text/html; charset=utf-8", "text/html; charset=bogus"])
def test_single_byte_text_is_never_decoded_with_replacement_characters(content_type):
    body = "Übersicht – Gebühr 5 € für Müller".encode("cp1252") + bytes([0x81, 0x8D])  # cp1252 holes
    text = decode_page(body, content_type)
    assert "\ufffd" not in text and text == "Übersicht – Gebühr 5 € für Müller\x81\x8d"


def test_a_declared_single_byte_charset_other_than_latin1_is_used():
    body = "Straße €".encode("iso-8859-15")
    assert decode_page(body, "text/html; charset=iso-8859-15") == "Straße €"


def _pages(root: Path):
    for path in sorted(root.rglob("*.htm*")):
        yield path, Page.from_bytes(f"http://x/{path.name}", path.read_bytes())


def test_no_real_page_counts_as_cut_or_as_a_login_page(corpus_dir):
    for root in (corpus_dir, DEMO):
        for path, page in _pages(root):
            if "logon" in str(path):
                continue  # the demo's own login page is one
            assert truncation(page) is None, path
            assert login_form(page) is None, path


def test_a_page_cut_short_is_recognised_even_when_it_embeds_a_closed_html_document():
    body = (DEMO / "musterstadt" / "bi" / "to020.asp" / "TOLFDNR=7055.html").read_bytes()
    assert b"</body></html><!--" in body  # an embedded Word document's own end, mid-page
    assert truncation(Page.from_bytes("x", body)) is None
    cut = Page.from_bytes("x", body[: int(len(body) * 0.97)])
    assert "truncated HTML page" in truncation(cut)


def test_stand_in_pages_are_named():
    login = Page("x", '<html><head><title>Portal</title></head><body><input type="password" name="p"></body></html>')
    maintenance = Page("x", "<html><head><title>Wartungsarbeiten</title></head><body><p>Bald.</p></body></html>")
    denied = Page("x", "<html><head><title>ALLRIS</title></head><body><h1>Zugriff verweigert</h1></body></html>")
    paper = Page("x", "<html><head><title>Vorlage - VO/1</title></head><body><h1>Neubau</h1></body></html>")
    assert "login form" in error_page_reason(login)
    assert "Wartungsarbeiten" in error_page_reason(maintenance)
    assert "Zugriff verweigert" in error_page_reason(denied)
    assert error_page_reason(paper) is None
    assert truncation(Page("x", '{"json": true}')) is None  # only HTML documents are checked
