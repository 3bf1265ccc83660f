"""Tests for pipelines.crawl.documents: text extraction with limits and status."""

from __future__ import annotations

import time

import pytest

from pipelines.crawl import documents
from pipelines.crawl.documents import extract_text, looks_like_html_error, sniff_kind


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def build_pdf(pages: list[list[str]] | None = None, *, image_pages: int = 0) -> bytes:
    """Return a small valid PDF: text pages in Helvetica/WinAnsi, then image-only pages."""
    pages = pages or []
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the page tree's number is known
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    kids: list[int] = []
    for lines in pages:
        ops = [b"BT /F1 11 Tf 14 TL 56 780 Td"]
        for line in lines:
            ops.append(b"(" + _escape(line) + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (tree, font, content)
            )
        )
    for _ in range(image_pages):
        stream = b"q 400 0 0 600 100 100 cm /Im1 Do Q"
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (tree, image, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


SIGNED_PAGE = [
    "Beschlussvorschlag: Der Rat beschliesst die Sanierung der Grundschule.",
    "Die Kosten betragen 120.000 Euro und werden im Haushalt 2024 bereitgestellt.",
    "gez. Dr. Jürgen Weiß",
    "Bürgermeister",
]


def test_pdf_text_is_extracted_page_by_page():
    result = extract_text(build_pdf([SIGNED_PAGE, ["Anlage 1: Lageplan der Grundschule am Markt"]]))
    assert result.status == "ok"
    assert result.pages == 2
    assert "gez. Dr. Jürgen Weiß" in result.text
    assert "Bürgermeister" in result.text
    assert result.text.index("Sanierung") < result.text.index("Lageplan")


def test_pdf_is_sniffed_from_bytes_not_name():
    data = build_pdf([SIGNED_PAGE])
    result = extract_text(data, file_name="vorlage.docx", mime_type="application/octet-stream")
    assert result.status == "ok"
    assert "Grundschule" in result.text


def test_image_only_pdf_has_no_text_layer():
    result = extract_text(build_pdf(image_pages=2), file_name="scan.pdf")
    assert result.status == "no_text_layer"
    assert result.pages == 2
    assert result.text == ""
    assert "2 pages" in (result.detail or "")


def test_pdf_pages_beyond_limit_are_not_read():
    data = build_pdf([[f"Seite {n}: Bericht über die Haushaltslage der Stadt"] for n in range(1, 6)])
    result = extract_text(data, max_pages=2)
    assert result.status == "ok"
    assert result.pages == 5
    assert "Seite 2" in result.text
    assert "Seite 3" not in result.text
    assert "first 2 of 5" in (result.detail or "")


def test_too_large_is_refused_before_parsing():
    result = extract_text(build_pdf([SIGNED_PAGE]), max_bytes=100)
    assert result.status == "too_large"
    assert result.text == ""


def test_slow_pdf_times_out(monkeypatch):
    def slow_reader(data, *, max_pages, cancel, deadline):
        time.sleep(2)
        return documents.DocumentText("late", "ok")

    monkeypatch.setattr(documents, "_read_pdf_pages", slow_reader)
    started = time.monotonic()
    result = extract_text(build_pdf([SIGNED_PAGE]), timeout_s=0.2)
    assert result.status == "timeout"
    assert time.monotonic() - started < 1.5


def test_page_loop_stops_at_deadline():
    data = build_pdf([SIGNED_PAGE, SIGNED_PAGE])
    cancel = documents.threading.Event()
    result = documents._read_pdf_pages(data, max_pages=10, cancel=cancel, deadline=time.monotonic() - 1)
    assert result.status == "timeout"
    assert "after 0 of 2" in (result.detail or "")


def test_damaged_pdf_is_an_error_not_a_crash():
    result = extract_text(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF")
    assert result.status in {"error", "no_text_layer"}
    assert result.text == ""


def test_html_gives_visible_text_only():
    html = (
        "<html><head><title>Vorlage</title><style>p{color:red}</style></head><body>"
        "<script>var x = 'geheim';</script><h1>Vorlage 2024/017</h1><p>Sachverhalt: Neubau der Kita.</p>"
        "<p>gez. Anna Schmidt<br>Amtsleiterin</p></body></html>"
    ).encode("utf-8")
    result = extract_text(html, file_name="vo.pdf")
    assert result.status == "ok"
    assert "Sachverhalt: Neubau der Kita." in result.text
    assert "geheim" not in result.text
    assert "color" not in result.text
    assert "gez. Anna Schmidt\nAmtsleiterin" in result.text


def test_plain_text_is_decoded_utf8_or_cp1252():
    assert extract_text("Straße über Öl\r\n".encode("utf-8")).text == "Straße über Öl\n"
    assert extract_text("Straße über Öl".encode("cp1252"), mime_type="text/plain").text == "Straße über Öl"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04rest-of-zip", "zip container (docx/xlsx/odt …)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
        (bytes(range(256)) * 4, "binary data"),
    ],
)
def test_other_formats_are_unsupported(data, kind):
    result = extract_text(data)
    assert result.status == "unsupported"
    assert result.detail == kind


def test_empty_download_is_an_error():
    assert extract_text(b"  \n").status == "error"


def test_sniff_kind_finds_pdf_header_after_junk():
    assert sniff_kind(b"\r\n\r\n%PDF-1.7\n...") == "pdf"
    assert sniff_kind(b"<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert sniff_kind(b"Nur Text, kein Markup.") == "text"


def test_html_error_pages_are_recognised():
    not_found = b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
    session = (
        "<!DOCTYPE html><html><body><p>Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.</p>"
        "</body></html>"
    ).encode()
    assert looks_like_html_error(not_found)
    assert looks_like_html_error(session)


def test_real_documents_are_not_html_errors():
    document = (
        "<html><head><title>Vorlage 2024/017 Neubau Kita</title></head><body>"
        + "<p>Sachverhalt: Die Verwaltung schlägt den Neubau vor.</p>" * 200
        + "<p>Fehler in der Vorlage vom Mai wurden korrigiert.</p></body></html>"
    ).encode()
    assert not looks_like_html_error(document)
    assert not looks_like_html_error(build_pdf([SIGNED_PAGE]))
    assert not looks_like_html_error("Fehler 404 als Klartext".encode())


# -- a download judged before its text is read: document_from_download ---------------------------

LOGIN_FORM = (
    "<!DOCTYPE html><html><head><title>Bürgerinformationssystem</title></head><body>"
    "<form action='/bi/anmelden.asp' method='post'><input name='user'><input type='password' name='pw'>"
    "<input type='submit' value='OK'></form></body></html>"
).encode()


def test_a_login_form_where_a_pdf_belongs_is_a_login_page():
    result = documents.document_from_download(LOGIN_FORM, file_name="Vorlage.pdf", content_type="application/pdf")
    assert result.status == "login_page"
    assert result.text == ""


def test_a_login_wall_without_a_form_is_recognised_by_its_words():
    page = "<html><body><p>Bitte melden Sie sich an, um dieses Dokument zu sehen.</p></body></html>".encode()
    assert documents.looks_like_login_page(page)
    assert documents.document_from_download(page).status == "login_page"
    denied = b"<html><body><h2>Zugriff verweigert</h2></body></html>"
    assert documents.document_from_download(denied).status in ("login_page", "html_error_page")


def test_any_html_page_where_a_pdf_was_promised_is_not_the_document():
    page = b"<html><head><title>Ratsinfo</title></head><body><p>Willkommen im Ratsinfo.</p></body></html>"
    assert documents.document_from_download(page, mime_type="application/pdf").status == "html_error_page"
    assert documents.document_from_download(page, url="http://x/do027.asp/Vorlage.pdf").status == "html_error_page"
    # the header alone also makes the promise, and HTML bytes break it
    assert documents.document_from_download(page, content_type="application/pdf").status == "html_error_page"


def test_an_html_document_with_a_login_box_in_its_frame_is_still_a_document():
    body = "<p>Sachverhalt: Die Verwaltung schlägt den Neubau der Kita am Markt vor.</p>" * 120
    page = (
        "<html><head><title>Vorlage 2024/017</title></head><body>"
        "<form action='/login'><input type='password' name='pw'></form>" + body + "</body></html>"
    ).encode()
    result = documents.document_from_download(page, file_name="Vorlage.htm", mime_type="text/html")
    assert result.status == "ok"
    assert "Neubau der Kita" in result.text


def test_a_pdf_is_judged_by_its_bytes_not_its_content_type():
    result = documents.document_from_download(build_pdf([SIGNED_PAGE]), content_type="text/html")
    assert result.status == "ok"
    assert "gez. Dr. Jürgen Weiß" in result.text


def test_a_pdf_cut_short_is_truncated():
    pdf = build_pdf([SIGNED_PAGE])
    assert not documents.pdf_looks_truncated(pdf)
    result = documents.document_from_download(pdf[: len(pdf) // 2])
    assert result.status == "truncated"
    assert result.text == ""


def test_oversized_downloads_are_not_parsed():
    assert documents.document_from_download(build_pdf([SIGNED_PAGE]), max_bytes=100).status == "too_large"
