"""Text of downloaded council documents (PDF, HTML, plain text), within limits.

A paper's main document is usually a PDF; some systems serve HTML or plain
text instead, and some downloads are HTML error pages with a ``.pdf`` name.
The kind is therefore sniffed from the bytes (``%PDF``, ``<html``), not taken
from the file name or the server's MIME type, which are only tie-breakers.

Every call returns a :class:`DocumentText` whose ``status`` says what happened,
so the warehouse can tell "this scan has no text layer" from "extraction
failed" from "the file was too big to try":

``ok``             text extracted (``detail`` notes truncation, if any)
``no_text_layer``  a PDF whose pages give (almost) no text: a scan without OCR
``too_large``      more than ``max_bytes`` bytes; not parsed at all
``timeout``        extraction took longer than ``timeout_s``; text so far kept
``unsupported``    not PDF, HTML or text (Word, images, archives …)
``error``          the parser failed (damaged or encrypted PDF …)

``document_from_download`` judges a download before extracting anything, and
adds the statuses of bytes that are not the document at all:

``login_page``       an HTML login form (password field, "Anmeldung" …) where a document belongs
``html_error_page``  an HTML error page (404 text, "Zugriff verweigert" …), or any HTML
                     page where a PDF was expected (even when the server says 200 and
                     ``application/pdf``)
``truncated``        a PDF cut short: no ``%%EOF`` near its end
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Callable, Literal

from bs4 import BeautifulSoup

Status = Literal[
    "ok", "no_text_layer", "too_large", "timeout", "unsupported", "error", "login_page", "html_error_page", "truncated"
]

# Below this many letters/digits per page on average a PDF counts as a scan:
# page numbers and a stamped header give a few dozen, a page of text thousands.
MIN_CHARS_PER_PAGE = 30

# Formats recognised only to name them in ``detail``.
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip container (docx/xlsx/odt …)"),
    (b"\xd0\xcf\x11\xe0", "OLE2 document (doc/xls/ppt)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"{\\rtf", "RTF document"),
)

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_ANYWHERE = re.compile(rb"<(?:html|body|head)\b[^>]*>", re.I)

_ERROR_MARKERS = re.compile(
    r"\b(?:40[0-9]|50[0-9])\b|not\s+found|nicht\s+gefunden|nicht\s+vorhanden|fehler|error|"
    r"exception|zugriff\s+verweigert|keine\s+berechtigung|access\s+denied|forbidden|"
    r"unauthori[sz]ed|anmeldung\s+erforderlich|bitte\s+melden\s+sie\s+sich|login|"
    r"sitzung\s+(?:ist\s+)?abgelaufen|session\s+expired|wartungsarbeiten|service\s+unavailable",
    re.I,
)

# A login form asks for a password; the words are what German RIS installs print on theirs.
_PASSWORD_FIELD = re.compile(rb"<input\b[^>]*\btype\s*=\s*[\"']?password", re.I)
_LOGIN_MARKERS = re.compile(
    r"\banmeldung\b|\banmelden\b|\beinloggen\b|\blogin\b|\blog\s+in\b|\bsign\s+in\b|benutzername|"
    r"kennwort|passwort|zugriff\s+verweigert|anmeldung\s+erforderlich|bitte\s+melden\s+sie\s+sich|"
    r"keine\s+berechtigung|nicht\s+berechtigt|sitzung\s+(?:ist\s+)?abgelaufen",
    re.I,
)
_LOGIN_FORM_ACTION = re.compile(rb"<form\b[^>]*\baction\s*=\s*[\"']?[^\"'>]*(?:login|logon|anmeld|signin|auth)", re.I)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentText:
    """The text of one document and how its extraction went."""

    text: str
    status: Status
    pages: int | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def extract_text(
    data: bytes,
    *,
    file_name: str | None = None,
    mime_type: str | None = None,
    max_bytes: int = 20_000_000,
    max_pages: int = 200,
    timeout_s: float = 30,
) -> DocumentText:
    """Return the text of a downloaded document with a status saying how it went."""
    if len(data) > max_bytes:
        return DocumentText("", "too_large", detail=f"{len(data)} bytes > limit {max_bytes}")
    if not data.strip():
        return DocumentText("", "error", detail="empty file")
    kind = sniff_kind(data, file_name=file_name, mime_type=mime_type)
    if kind == "pdf":
        return _pdf_text(data, max_pages=max_pages, timeout_s=timeout_s)
    if kind == "html":
        return _timed(lambda: DocumentText(html_visible_text(data), "ok"), timeout_s)
    if kind == "text":
        return DocumentText(_normalise_newlines(decode_text(data)), "ok")
    return DocumentText("", "unsupported", detail=kind)


def sniff_kind(data: bytes, *, file_name: str | None = None, mime_type: str | None = None) -> str:
    """Return ``pdf``, ``html``, ``text`` or a description of an unsupported format."""
    head = data[:2048]
    # The PDF spec lets the header sit anywhere in the first 1024 bytes.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    body = head.lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(body) or _HTML_ANYWHERE.search(head):
        return "html"
    for magic, name in _OTHER_MAGIC:
        if head.startswith(magic):
            return name
    if _looks_textual(data[:8192]):
        hint = f"{(mime_type or '').lower()} {(file_name or '').lower()}"
        if "html" in hint or hint.rstrip().endswith((".htm", ".html")):
            return "html"
        return "text"
    return "binary data" + (f" ({mime_type})" if mime_type else "")


def looks_like_html_error(data: bytes) -> bool:
    """Return True when downloaded bytes are an HTML error or login page, not a document."""
    if sniff_kind(data) != "html":
        return False
    soup = BeautifulSoup(data, "lxml")
    heading = " ".join(
        tag.get_text(" ", strip=True) for tag in soup.find_all(["title", "h1", "h2"])[:4]
    )
    if _ERROR_MARKERS.search(heading):
        return True
    visible = html_visible_text(data)
    # A short page that talks about errors is an error page; a long one may be
    # a real HTML document that merely mentions an "Error" somewhere.
    return len(visible) < 3000 and bool(_ERROR_MARKERS.search(visible[:2000]))


def looks_like_login_page(data: bytes) -> bool:
    """Return True when downloaded bytes are an HTML login (or access-denied) page."""
    if sniff_kind(data) != "html":
        return False
    visible = html_visible_text(data)
    # A login wall is short; a long HTML document may carry a login box in its frame or
    # mention an "Anmeldung" in its text.
    if len(visible) >= 5000:
        return False
    if _PASSWORD_FIELD.search(data) or _LOGIN_FORM_ACTION.search(data):
        return True
    return len(visible) < 3000 and bool(_LOGIN_MARKERS.search(visible[:2000]))


def pdf_looks_truncated(data: bytes) -> bool:
    """Return True when a PDF lacks the ``%%EOF`` marker near its end (the download or file was cut short)."""
    return b"%%EOF" not in data[-2048:]


def expects_pdf(*, file_name: str | None = None, mime_type: str | None = None, url: str | None = None) -> bool:
    """Return True when the metadata of a document (name, MIME type, URL) says it is a PDF."""
    hints = [(file_name or "").lower(), (url or "").lower().split("?")[0]]
    return "pdf" in (mime_type or "").lower() or any(h.endswith(".pdf") for h in hints)


def document_from_download(
    data: bytes,
    *,
    file_name: str | None = None,
    mime_type: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
    max_bytes: int = 20_000_000,
    max_pages: int = 200,
    timeout_s: float = 30,
) -> DocumentText:
    """Return the text of a downloaded document, or a status saying why the bytes are not the document.

    The bytes decide: a server that answers a PDF link with its login page
    often says ``200`` and even ``application/pdf``. ``mime_type`` and
    ``file_name`` are what the metadata promised; ``content_type`` is the
    response header; both only tell whether a PDF was expected.
    """
    if len(data) > max_bytes:
        return DocumentText("", "too_large", detail=f"{len(data)} bytes > limit {max_bytes}")
    kind = sniff_kind(data, file_name=file_name, mime_type=mime_type)
    if kind == "html":
        if looks_like_login_page(data):
            return DocumentText("", "login_page", detail="an HTML login page, not the document")
        if looks_like_html_error(data):
            return DocumentText("", "html_error_page", detail="an HTML error page, not the document")
        promised = expects_pdf(file_name=file_name, mime_type=mime_type, url=url) or expects_pdf(mime_type=content_type)
        if promised:
            return DocumentText("", "html_error_page", detail="an HTML page where a PDF was expected")
    if kind == "pdf" and pdf_looks_truncated(data):
        return DocumentText("", "truncated", detail=f"PDF of {len(data)} bytes without %%EOF at its end")
    return extract_text(
        data, file_name=file_name, mime_type=mime_type or content_type, max_bytes=max_bytes,
        max_pages=max_pages, timeout_s=timeout_s,
    )


def html_visible_text(data: bytes | str) -> str:
    """Return the text a browser would show for an HTML page, one block per line."""
    soup = BeautifulSoup(data, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "head", "svg", "iframe"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def decode_text(data: bytes) -> str:
    """Return bytes decoded as UTF-8 (with or without BOM), falling back to Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older German systems write cp1252; it decodes any byte, so it is last.
        return data.decode("cp1252", errors="replace")


def _pdf_text(data: bytes, *, max_pages: int, timeout_s: float) -> DocumentText:
    """Return the text of a PDF, page by page, stopping at the page and time limits."""
    deadline = time.monotonic() + timeout_s
    cancel = threading.Event()
    return _timed(
        lambda: _read_pdf_pages(data, max_pages=max_pages, cancel=cancel, deadline=deadline),
        timeout_s,
        cancel=cancel,
    )


def _read_pdf_pages(
    data: bytes, *, max_pages: int, cancel: threading.Event, deadline: float
) -> DocumentText:
    from pypdf import PdfReader  # imported here: only PDF work pays for it

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Many council PDFs are "encrypted" with an empty user password only
        # to forbid editing; those open with "".
        try:
            if not reader.decrypt(""):
                return DocumentText("", "error", detail="encrypted PDF (password needed)")
        except Exception as exc:
            return DocumentText("", "error", detail=f"encrypted PDF: {exc}"[:300])
    total = len(reader.pages)
    wanted = min(total, max_pages)
    texts: list[str] = []
    for index in range(wanted):
        if cancel.is_set() or time.monotonic() > deadline:
            return DocumentText(
                _join_pages(texts), "timeout", pages=total, detail=f"stopped after {index} of {total} pages"
            )
        try:
            texts.append(reader.pages[index].extract_text() or "")
        except Exception as exc:  # one broken page must not lose the others
            log.debug("page %s of PDF not readable: %s", index + 1, exc)
            texts.append("")
    text = _join_pages(texts)
    alnum = sum(ch.isalnum() for ch in text)
    if wanted == 0 or alnum < MIN_CHARS_PER_PAGE * max(wanted, 1):
        return DocumentText(
            text.strip(), "no_text_layer", pages=total, detail=f"{alnum} letters/digits on {wanted} pages"
        )
    detail = f"truncated to the first {wanted} of {total} pages" if wanted < total else None
    return DocumentText(text, "ok", pages=total, detail=detail)


def _join_pages(texts: list[str]) -> str:
    # A form feed keeps page boundaries visible to later parsers.
    return _normalise_newlines("\n\f".join(t.rstrip() for t in texts))


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _timed(
    fn: Callable[[], DocumentText], timeout_s: float, *, cancel: threading.Event | None = None
) -> DocumentText:
    """Return fn() run in a worker thread, or a timeout status when it is not done in time."""
    result: dict[str, object] = {}

    def work() -> None:
        try:
            result["value"] = fn()
        except Exception as exc:  # parsers raise many types on damaged files
            result["error"] = exc

    # pypdf and lxml cannot be interrupted from outside; a daemon worker lets
    # the caller move on at the deadline, and the cancel flag stops a PDF
    # worker at its next page.
    worker = threading.Thread(target=work, name="document-text", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        if cancel is not None:
            cancel.set()
        return DocumentText("", "timeout", detail=f"no result within {timeout_s:g} s")
    if "error" in result:
        exc = result["error"]
        return DocumentText("", "error", detail=f"{type(exc).__name__}: {exc}"[:300])
    value = result["value"]
    assert isinstance(value, DocumentText)
    return value


def _looks_textual(sample: bytes) -> bool:
    """Return True when a byte sample reads as text (no NULs, few control characters)."""
    if not sample:
        return False
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    text = decode_text(sample)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    replaced = text.count("\ufffd")
    return (controls + replaced) / max(len(text), 1) < 0.02


__all__ = [
    "DocumentText",
    "MIN_CHARS_PER_PAGE",
    "decode_text",
    "document_from_download",
    "expects_pdf",
    "extract_text",
    "html_visible_text",
    "looks_like_html_error",
    "looks_like_login_page",
    "pdf_looks_truncated",
    "sniff_kind",
]
