"""ALLRIS net classic (3.x, ``/bi/*.asp``): detection, page kinds, parsers, crawl start.

One module for every classic variant: the framed 3.9.x pages (``div#allriscontainer``,
``table.risdeco``), pages embedded in a city CMS without the frame
(``div.allriscontent``, ``#risname_raw``) and the responsive ``*_r.asp``
programs (``div#allris``, label links ``a[aria-describedby]``, ``table.bfTable``).
Everything is keyed by what the system writes into the page, never by
position: label text (``td.kb1`` "Federführend:"), cell classes (``td.text4``
= TOP number), element ids (``#vobetreff``) and the ``…LFDNR`` ids in links
and hidden form fields (primer §3.1, §3.5).

Page kinds and what ``parse`` makes of them:

* ``vo020``   one Paper, its Consultations (Beratungsfolge, two rows per
  station, row B missing while unscheduled) and Files (``do027`` documents,
  Anlagen); follows its files.
* ``to010``   one Meeting and its AgendaItems (+ Files of the meeting and of
  single TOPs); follows ``to020`` and ``vo020`` and the files.
* ``to020``   one AgendaItem with result, Beschluss, Wortprotokoll and
  Abstimmungsergebnis.
* ``au020`` / ``fr020``  the committee / faction, its Persons and Memberships.
* ``calendar`` (``si010``, ``si010_e``, ``si010_j``, ``si010_r``)  follows the
  meetings whose agenda is published; a meeting the calendar lists without an
  agenda link (not yet published, cancelled "ENTFÄLLT!", faction-internal)
  becomes a Meeting item from the calendar row, since no other page shows it.
* ``fr010`` / ``au010`` / ``vo040``  listings: follow ``fr020`` / ``au020`` /
  ``vo020`` (the link meta carries what the listing says about the target).

Text sections (``<a name="allrisSV">`` + an embedded Aspose ``<html>``
document each) are cut out of the raw page text *before* HTML parsing, since
an HTML parser merges the nested ``<html>`` trees.
"""

from __future__ import annotations

import mimetypes
import re
import warnings
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

from schemas.items import AgendaItem, Consultation, File, Item, Meeting, Membership, Organization, Paper, Person
from spiders.dialects.base import Link, Page, Parsed, ParseError

NAME = "allris_classic"

# Month-calendar programs, in the order a crawl tries them: installs refuse
# some of them ("Zugriff verweigert (Programm si010_r.asp)"), and which one
# answers differs per install (primer §2.2). The spider moves on to the next
# URL in the calendar Link's ``meta["fallbacks"]`` on a refusal or a 404.
CALENDAR_PROGRAMS: tuple[str, ...] = ("si010_e.asp", "si010_j.asp", "si010.asp", "si010_r.asp")

# Listing programs a crawl starts from besides the calendar.
LISTING_PROGRAMS: tuple[tuple[str, str], ...] = (("au010.asp", "au010"), ("fr010.asp", "fr010"))

# ALLRIS program names: two letters, three digits, an optional variant letter.
_PROGRAM = re.compile(r"/([a-z]{2}\d{3})(?:_([a-z]))?\.asp\b", re.I)
_PROGRAM_LINK = re.compile(r"\b[a-z]{2}\d{3}(?:_[a-z])?\.asp\?[A-Z]{2}LFDNR=\d+")
_VERSION = re.compile(r"ALLRIS\s*(?:&reg;|®)?\s*net\s+Version\s+(\d+(?:\.\d+)*)", re.I)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
# Markup only ALLRIS classic writes; one of them plus a program URL is enough.
_MARKERS: tuple[str, ...] = (
    'id="allriscontainer"',
    'class="allriscontent"',
    'id="risname',
    "ALLRIS.ico",
    "allrisnet.js",
    "allris.net.asp",
    'class="kb1"',
    "il1_to",
)
_FRAME_MARKERS: tuple[str, ...] = ('id="allriscontainer"', 'class="allriscontent"', 'id="risname')
_CELL_MARKERS: tuple[str, ...] = ('class="kb1"', 'class="il1_to"', '<a name="allris')
_REFUSED = re.compile(r"Zugriff\s+verweigert|Keine\s+Information\s+verf(?:ü|&uuml;|ue)gbar", re.I)
_ANCHOR = re.compile(r"<a\s+name\s*=\s*[\"']?allris(\w+)[\"']?[^>]*>(?:\s*</a>)?", re.I)
_SUBDOC_END = re.compile(r"</html\s*>", re.I)
_PLAIN_SECTION_END = re.compile(r"</td>|<table\b|<div\s+id=[\"']risfoot", re.I)
_GERMAN_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("januar", "februar", "märz", "april", "mai", "juni", "juli",
         "august", "september", "oktober", "november", "dezember")
    )
}
_BLOCK_TAGS = frozenset(
    "p div br tr li ul ol table thead tbody tfoot caption h1 h2 h3 h4 h5 h6 hr td th "
    "dd dt dl blockquote pre section article header footer form center address aside".split()
)
_SKIP_TAGS = frozenset(("script", "style", "noscript", "head", "title"))
_NON_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction, CData)
# Button titles that name the button, not a result ("Auszug" in Hildesheim's Beratungsfolge).
_GENERIC_BUTTON_TITLES = frozenset(
    ("", "auszug", "beschluss", "beschlüsse", "protokoll", "niederschrift", "tagesordnung", "drucksache", "vorlage")
)
_CANCELLED = re.compile(r"\b(entf[äa]llt|abgesagt|ausgefallen)\b", re.I)
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?")


# ---------------------------------------------------------------- detection


def detect(page: Page) -> str | None:
    """Return why the page is ALLRIS classic (meta version, or program URL + markup), or None."""
    head = page.text[:10000]
    version = _allris_version(head)
    if version:
        # ALLRIS 4 names itself the same way; it belongs to the allris4 dialect.
        return f"meta description 'ALLRIS net Version {version}'" if int(version.split(".")[0]) < 4 else None
    if _looks_like_allris4(page):
        return None
    program = _PROGRAM.search(urlsplit(page.url).path)
    if not program:
        # Embedded in a city CMS under the CMS's own URL: the frame and the
        # label cells together are still unmistakable.
        frame = next((m for m in _FRAME_MARKERS if m in page.text), None)
        cells = next((m for m in _CELL_MARKERS if m in page.text), None)
        if frame and cells:
            return f"ALLRIS classic markup {frame!r} and {cells!r}"
        # A saved page without meta tags (responsive excerpts): links to the
        # classic .asp programs with their LFDNR ids, plus an ALLRIS marker.
        link = _PROGRAM_LINK.search(page.text)
        marker = next((m for m in (*_MARKERS, 'id="allris"') if m in page.text), None)
        return f"links to ALLRIS classic program {link.group(0)!r} and {marker!r}" if link and marker else None
    for marker in _MARKERS:
        if marker in page.text:
            return f"URL program {program.group(0).lstrip('/')} and {marker!r} in the page"
    if "Zugriff verweigert (Programm" in page.text:
        return f"URL program {program.group(0).lstrip('/')} answered with the ALLRIS refusal text"
    return None


def page_kind(page: Page) -> str | None:
    """Return the page kind (``vo020``, ``to010``, ``calendar`` …) from container class, URL or headline."""
    container = _container_program(page.text[:20000])
    if container:
        return _kind_of_program(container)
    program = _PROGRAM.search(urlsplit(page.url).path)
    if program:
        return _kind_of_program(program.group(1))
    if _ANCHOR.search(page.text) and re.search(r">\s*Betreff:\s*<", page.text):
        return "vo020"
    headline = re.search(r"<h1[^>]*>\s*(Tagesordnung|Auszug)\b", page.text)
    if headline:
        return "to010" if headline.group(1) == "Tagesordnung" else "to020"
    return None


def is_refused(page: Page) -> bool:
    """Return True for ALLRIS' refusal pages: noauth.asp, "Zugriff verweigert", "Keine Information verfügbar"."""
    if re.search(r"/noauth\.asp", urlsplit(page.url).path, re.I):
        return True
    shell, _ = _split_sections(page.text)
    # Only the page shell counts: a paper's own text may quote these words.
    return bool(_REFUSED.search(re.sub(r"<[^>]+>", " ", shell)))


def _allris_version(head: str) -> str | None:
    for tag in _META_TAG.findall(head):
        if re.search(r"\bname\s*=\s*[\"']?description", tag, re.I):
            found = _VERSION.search(tag)
            if found:
                return found.group(1)
    return None


def _looks_like_allris4(page: Page) -> bool:
    path = urlsplit(page.url).path
    if "/public/" in path and not path.lower().endswith(".asp"):
        return True
    return "wicket" in page.text[:20000].lower()


def _container_program(text: str) -> str | None:
    for tag in re.findall(r"<div\b[^>]*\bid\s*=\s*[\"']allris(?:container)?[\"'][^>]*>", text, re.I):
        classes = re.search(r"\bclass\s*=\s*[\"']([^\"']*)", tag, re.I)
        for token in (classes.group(1).split() if classes else []):
            if re.fullmatch(r"[a-z]{2}\d{3}(?:_[a-z])?", token, re.I):
                return token
    return None


def _kind_of_program(program: str) -> str:
    base = program.lower()[:5]
    return "calendar" if base == "si010" else base


# ---------------------------------------------------------------- crawl start


def start_urls(base_url: str, months: Iterable[tuple[int, int]] = ()) -> list[Link]:
    """Return the Links a crawl of an install starts from: month calendars, then au010 and fr010.

    ``months`` are ``(year, month)`` pairs. Each calendar Link asks for the
    first program of ``CALENDAR_PROGRAMS`` (``si010_e.asp?MM=<m>&YY=<y>``);
    its ``meta["fallbacks"]`` lists the same month in the other programs, to
    try in order when the install refuses one (``is_refused``) or answers 404.
    ``base_url`` may name any page of the install; the members' area ``/ri/``
    is mapped to the public ``/bi/``.
    """
    base = public_base(base_url)
    links = []
    for year, month in months:
        urls = [calendar_url(base, program, year, month) for program in CALENDAR_PROGRAMS]
        links.append(Link(urls[0], "calendar", {"year": year, "month": month, "fallbacks": urls[1:]}))
    links.extend(Link(urljoin(base, program), kind) for program, kind in LISTING_PROGRAMS)
    return links


def public_base(base_url: str) -> str:
    """Return the folder of an install's public programs (``…/bi/``) for any URL inside it."""
    parts = urlsplit(base_url)
    path = parts.path or "/"
    if not path.endswith("/"):
        last = path.rsplit("/", 1)[-1]
        path = path.rsplit("/", 1)[0] + "/" if "." in last else path + "/"
    path = re.sub(r"/ri/$", "/bi/", path)
    return f"{parts.scheme}://{parts.netloc}{path}"


def calendar_url(base: str, program: str, year: int, month: int) -> str:
    """Return the URL of one month in one calendar program."""
    return urljoin(base, f"{program}?MM={month}&YY={year}")


# ---------------------------------------------------------------- parse entry


@dataclass
class _Doc:
    """A page split into its shell (parsed) and its embedded text sections."""

    page: Page
    source: str
    soup: BeautifulSoup
    sections: list[tuple[str, str]]  # (anchor code, raw HTML) in page order

    def base(self, system_id: str, **fields) -> dict:
        """Return the fields every item of this page shares, for ``system_id``."""
        return {"source": self.source, "system": NAME, "systemId": system_id, "url": self.page.url, **fields}


def parse(page: Page, source: str) -> Parsed:
    """Return the items and links of an ALLRIS classic page; raise ParseError if it has none."""
    kind = page_kind(page)
    if kind is None:
        raise ParseError(f"{page.url}: not a page of ALLRIS classic (no container class, program URL or headline)")
    parser = _PARSERS.get(kind)
    if parser is None:
        return Parsed()  # a known program this dialect does not read (kp020, si018 …)
    shell, sections = _split_sections(page.text)
    soup = _soup(shell)
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    return parser(_Doc(page, source, soup, sections))


def _split_sections(raw: str) -> tuple[str, list[tuple[str, str]]]:
    """Return the page without its ``allris…`` text sections, and the sections (code, HTML).

    Each section runs from its anchor to the end of its embedded ``<html>``
    document; a section without one (an empty ``allrisBS``) ends at the next
    anchor or at the cell that holds the sections.
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    anchors = list(_ANCHOR.finditer(raw))
    sections: list[tuple[str, str]] = []
    shell_parts: list[str] = []
    cursor = 0
    for i, anchor in enumerate(anchors):
        limit = anchors[i + 1].start() if i + 1 < len(anchors) else len(raw)
        chunk = raw[anchor.end():limit]
        opening = re.search(r"<html\b", chunk, re.I)
        if opening:
            closing = _SUBDOC_END.search(chunk, opening.end())
            end = anchor.end() + (closing.end() if closing else len(chunk))
        else:
            stop = _PLAIN_SECTION_END.search(chunk)
            end = anchor.end() + (stop.start() if stop else len(chunk))
        shell_parts.append(raw[cursor:anchor.start()])
        sections.append((anchor.group(1), raw[anchor.end():end]))
        cursor = end
    shell_parts.append(raw[cursor:])
    return "".join(shell_parts), sections


# ---------------------------------------------------------------- text helpers


def node_text(node: Tag | None, keep_newlines: bool = False) -> str:
    """Return the text of an element as written: inline tags join, blocks break lines.

    Inline markup inside a word (``Mobilitä</span><span>tsausschuss``) adds
    nothing; block elements and ``<br>`` end a line; whitespace collapses
    within a line; empty lines are dropped. With ``keep_newlines`` a raw line
    break in the source also ends a line (ALLRIS writes multi-line Betreff
    fields with plain newlines in agenda and list cells).
    """
    if node is None:
        return ""
    parts: list[str] = []
    _collect_text(node, parts, keep_newlines)
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect_text(node: Tag, parts: list[str], keep_newlines: bool) -> None:
    for child in node.children:
        if isinstance(child, Tag):
            if child.name in _SKIP_TAGS:
                continue
            block = child.name in _BLOCK_TAGS
            if block:
                parts.append("\n")
            if child.name == "li":
                parts.append(_list_marker(child))
            _collect_text(child, parts, keep_newlines)
            if block:
                parts.append("\n")
        elif isinstance(child, NavigableString) and not isinstance(child, _NON_TEXT):
            text = str(child)
            parts.append(text if keep_newlines else text.replace("\n", " "))


def _list_marker(item: Tag) -> str:
    """Return the number a browser prints before an ``<ol>`` item ("10. "); texts refer to them."""
    parent = item.parent
    if not isinstance(parent, Tag) or parent.name != "ol":
        return ""
    start = parent.get("start", "1")
    number = (int(start) if str(start).isdigit() else 1) + len(item.find_previous_siblings("li"))
    kind = parent.get("type", "1")
    if kind in ("a", "A") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return f"{letter.upper() if kind == 'A' else letter}. "
    if kind in ("i", "I") and 1 <= number < 40:
        roman = _roman(number)
        return f"{roman if kind == 'I' else roman.lower()}. "
    return f"{number}. "


def _roman(number: int) -> str:
    digits = []
    for value, symbol in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        digits.append(symbol * count)
    return "".join(digits)


def line_text(node: Tag | None) -> str | None:
    """Return an element's text on one line (lines joined by a space), or None when empty."""
    text = node_text(node).replace("\n", " ")
    return text or None


def html_text(html: str) -> str | None:
    """Return the text of an HTML fragment (an embedded Aspose document), or None when empty."""
    text = node_text(_soup(html))
    return text or None


def _soup(html: str) -> BeautifulSoup:
    """Return the parsed HTML; ALLRIS pages open with an XML declaration, which is no reason to warn."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(html, "lxml")


def _param(url: str | None, name: str) -> str | None:
    """Return a query parameter of a URL, matched case-insensitively."""
    if not url:
        return None
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key.lower() == name.lower() and value:
            return value
    return None


def _id_in(node: Tag, name: str, program: str | None = None) -> str | None:
    """Return an ``…LFDNR`` id from a link or a hidden form field inside ``node``."""
    for a in node.find_all("a", href=True):
        if program and program not in a["href"].lower():
            continue
        value = _param(a["href"], name)
        if value:
            return value
    for form in node.find_all("form"):
        if program and program not in (form.get("action") or "").lower():
            continue
        field = form.find("input", attrs={"name": re.compile(f"^{name}$", re.I)})
        if field is not None and field.get("value"):
            return field["value"]
    return None


def _meta_object_id(doc: _Doc) -> str | None:
    tag = doc.soup.find("meta", attrs={"name": "objectID"})
    return tag.get("content") if tag and tag.get("content") else None


def _headline(doc: _Doc) -> str | None:
    h1 = doc.soup.select_one("#risname h1, #risname_raw h1, h1.title") or doc.soup.find("h1")
    text = node_text(h1, keep_newlines=True)
    return text or None


def _label_values(soup: BeautifulSoup) -> list[tuple[str, Tag | None]]:
    """Return (label, value element) pairs: ``td.kb1`` + next cell, ``a[aria-describedby]`` + target."""
    pairs: list[tuple[str, Tag | None]] = []
    for cell in soup.select("td.kb1"):
        label = _label(cell)
        if label:
            pairs.append((label, cell.find_next_sibling("td")))
    for link in soup.select("[aria-describedby]"):
        label = _label(link)
        target = soup.find(id=link["aria-describedby"])
        if label and target is not None:
            pairs.append((label, target))
    return pairs


def _label(node: Tag) -> str:
    return node_text(node).replace("\n", " ").strip().rstrip(":").strip().lower()


def _first_value(pairs: list[tuple[str, Tag | None]], test: Callable[[str], bool]) -> Tag | None:
    for label, value in pairs:
        if value is not None and test(label):
            return value
    return None


def _absolute(doc: _Doc, href: str) -> str:
    return urljoin(doc.page.url, href)


# ---------------------------------------------------------------- files


def _document_label(title: str) -> str:
    return re.sub(r"\s*\(Öffnet [^)]*\)\s*$", "", title.strip()).strip()


def _paper_document_role(name: str | None) -> str:
    """Return a paper document's role: the Vorlage is the main file; the collected
    document ("Sammeldokument", "Vorlage mit Anlagen") repeats it with the Anlagen."""
    name = (name or "").lower()
    return "auxiliaryFile" if "sammel" in name or "mit anlagen" in name else "mainFile"


def _do027_documents(doc: _Doc, scope: Tag) -> list[dict]:
    """Return the ``do027`` documents (forms and links) in ``scope``: DOLFDNR, name, URL, PDF flag."""
    found: dict[str, dict] = {}
    for form in scope.select('form[action*="do027"]'):
        fields = [(i["name"], i.get("value", "")) for i in form.select("input[type=hidden]") if i.get("name")]
        dolfdnr = dict(fields).get("DOLFDNR")
        if not dolfdnr or dolfdnr in found:
            continue
        button = form.select_one("input[type=submit]")
        title = (button.get("title") or "") if button else ""
        action = form.get("action") or "do027.asp"
        found[dolfdnr] = {
            "id": dolfdnr,
            "name": _document_label(title) or ((button.get("value") or None) if button else None),
            "url": _absolute(doc, action + ("&" if "?" in action else "?") + urlencode(fields)),
            "pdf": "PDF" in title,
        }
    for link in scope.select('a[href*="do027"]'):
        dolfdnr = _param(link["href"], "DOLFDNR")
        if not dolfdnr or dolfdnr in found:
            continue
        hint = " ".join([link.get("data-simpletooltip-text", ""), " ".join(link.get("class", []))])
        found[dolfdnr] = {
            "id": dolfdnr,
            "name": line_text(link),
            "url": _absolute(doc, link["href"]),
            "pdf": "pdf" in hint.lower(),
        }
    return list(found.values())


def _anlagen(doc: _Doc, scope: Tag) -> list[dict]:
    """Return the Anlagen (``___tmp/…/NN-Anlagen/MM/file``) in ``scope``, one per Anlage number."""
    found: dict[int, dict] = {}
    for link in scope.find_all("a", href=True):
        href = link["href"]
        path_number = re.search(r"-Anlagen/(\d+)/", href)
        if "___tmp/" not in href and not path_number:
            continue
        title = link.get("title") or ""
        title_number = re.search(r"Anlage\s+(\d+)", title)
        if path_number:
            number = int(path_number.group(1))
        elif title_number:
            number = int(title_number.group(1))
        else:
            number = len(found) + 1
        stamp = _DATE.search(title)
        entry = found.get(number)
        if entry is None:
            file_name = unquote(urlsplit(href).path.rsplit("/", 1)[-1]) or None
            name = line_text(link)
            # The second Anlagen table repeats the name with its size: "… (460 KB)".
            if name:
                name = re.sub(r"\s*\(\d+(?:[.,]\d+)?\s*[KMG]B\)$", "", name)
            found[number] = entry = {
                "number": number,
                "name": name,
                "fileName": file_name,
                "url": _absolute(doc, href),
                "dateRaw": None,
            }
        if entry["dateRaw"] is None and stamp:
            entry["dateRaw"] = stamp.group(0)
    return [found[n] for n in sorted(found)]


def _file_items(
    doc: _Doc,
    parent_type: str,
    parent: str,
    documents: list[dict],
    anlagen: list[dict],
    role_of: Callable[[str | None], str],
) -> tuple[list[File], list[Link]]:
    """Return File items and their download Links for a parent's documents and Anlagen."""
    items: list[File] = []
    for position, entry in enumerate(documents, start=1):
        items.append(
            File(
                **doc.base(entry["id"]),
                parentType=parent_type,
                parent=parent,
                role=role_of(entry["name"]),
                position=position,
                name=entry["name"],
                mimeType="application/pdf" if entry["pdf"] else None,
                accessUrl=entry["url"],
            )
        )
    for entry in anlagen:
        # ___tmp URLs are session-scoped: the id comes from parent and Anlage number.
        items.append(
            File(
                **doc.base(f"{parent}-anlage-{entry['number']}"),
                parentType=parent_type,
                parent=parent,
                role="auxiliaryFile",
                position=entry["number"],
                name=entry["name"],
                fileName=entry["fileName"],
                mimeType=mimetypes.guess_type(entry["fileName"] or "")[0],
                dateRaw=entry["dateRaw"],
                accessUrl=entry["url"],
            )
        )
    links = [
        Link(f.accessUrl, "file", {"parent": parent, "parentType": parent_type, "fileSystemId": f.systemId})
        for f in items
        if f.accessUrl
    ]
    return items, links


def _meeting_file_role(name: str | None) -> str:
    lowered = (name or "").lower()
    if "einladung" in lowered:
        return "invitation"
    if "wortprotokoll" in lowered:
        return "verbatimProtocol"
    if "niederschrift" in lowered or "protokoll" in lowered:
        return "resultsProtocol"
    return "auxiliaryFile"


# ---------------------------------------------------------------- vo020: paper


# Section names for pages that do not list their sections as links (Hildesheim in its CMS).
_SECTION_NAMES = {
    "SV": "Sachverhalt",
    "BV": "Beschlussvorschlag",
    "BG": "Begründung",
    "BS": "Beschluss",
    "AN": "Anlagen",
    "WP": "Protokoll",
    "AE": "Abstimmungsergebnis",
}
_PAPER_SECTION_FIELDS = {"SV": "sachverhalt", "BV": "beschlussvorschlag", "BG": "begruendung", "BS": "beschluss"}


def _paper_field(label: str) -> str | None:
    if label == "betreff":
        return "name"
    if label == "status":
        return "status"
    if label.endswith("-art") or label in ("art", "vorlagenart", "vorlageart"):
        return "paperType"
    if label.startswith(("verfasser", "berichterstatt", "vorstand", "antragsteller", "einreicher")):
        return "author"
    if label.startswith("federführ"):
        return "leadOfficeRaw"
    if label.startswith(("bearbeiter", "sachbearbeiter")):
        return "clerk"
    return None


def _parse_paper(doc: _Doc) -> Parsed:
    values: dict[str, str | None] = {}
    for label, cell in _label_values(doc.soup):
        field = _paper_field(label)
        if field is None or cell is None or field in values:
            continue
        if field == "name":
            values[field] = node_text(cell, keep_newlines=True) or None
        elif field == "author":
            values[field] = "; ".join(node_text(cell, keep_newlines=True).split("\n")) or None
        else:
            values[field] = line_text(cell)
    headline = _headline(doc)
    if not values.get("name") and not (headline and values):
        raise ParseError(f"{doc.page.url}: vo020 page without Betreff and without headline plus label cells")
    volfdnr = _meta_object_id(doc) or _param(doc.page.url, "VOLFDNR") or _id_in(doc.soup, "VOLFDNR", "vo021")
    if not volfdnr:
        raise ParseError(f"{doc.page.url}: vo020 page without VOLFDNR (meta objectID, URL or Beschlüsse form)")
    reference = _reference_from_headline(headline, values.get("paperType"), responsive=bool(doc.soup.select_one("h1.title")))

    texts, other = _paper_texts(doc)
    paper = Paper(
        **doc.base(volfdnr),
        reference=reference,
        otherText=other or None,
        **values,
        **texts,
    )
    consultations = _consultations(doc, volfdnr)
    files, file_links = _file_items(
        doc, "Paper", volfdnr, _do027_documents(doc, doc.soup), _anlagen(doc, doc.soup), _paper_document_role
    )
    fields_seen = {
        "reference": bool(reference),
        "name": bool(paper.name),
        "paperType": bool(paper.paperType),
        "status": bool(paper.status),
        "author": bool(paper.author),
        "leadOfficeRaw": bool(paper.leadOfficeRaw),
        "consultations": bool(consultations),
        "mainFile": any(f.role == "mainFile" for f in files),
        "text": bool(texts or other),
    }
    return Parsed(items=[paper, *consultations, *files], follow=file_links, fields_seen=fields_seen)


def _reference_from_headline(headline: str | None, paper_type: str | None, responsive: bool) -> str | None:
    """Return the paper number from "Drucksache - 22-2362" (classic) or "VO/2026/181 - Art" (responsive)."""
    if not headline:
        return None
    first_line = headline.split("\n")[0]
    if " - " not in first_line:
        return first_line.strip() or None
    left, right = (part.strip() for part in first_line.split(" - ", 1))
    if paper_type and right.lower() == paper_type.lower():
        return left
    if paper_type and left.lower() == paper_type.lower():
        return right
    # Paper numbers carry digits, the type words in front of or behind them do not.
    left_digit, right_digit = any(c.isdigit() for c in left), any(c.isdigit() for c in right)
    if left_digit != right_digit:
        return left if left_digit else right
    return left if responsive else right


def _section_labels(doc: _Doc) -> dict[str, str]:
    labels = {}
    for link in doc.soup.select('a[href^="#allris"]'):
        text = line_text(link)
        if text:
            labels.setdefault(link["href"][len("#allris"):], text)
    return labels


def _paper_texts(doc: _Doc) -> tuple[dict[str, str], dict[str, str]]:
    """Return the text sections with a Paper column, and the others as {label: text}."""
    labels = _section_labels(doc)
    texts: dict[str, str] = {}
    other: dict[str, str] = {}
    for code, html in doc.sections:
        text = html_text(html)
        if not text:
            continue
        label = labels.get(code) or _SECTION_NAMES.get(code.upper()) or f"allris{code}"
        field = _PAPER_SECTION_FIELDS.get(code.upper())
        if field is None and label.lower().startswith("begründung"):
            field = "begruendung"
        if field and field not in texts:
            texts[field] = text
        else:
            other[label] = text
    return texts, other


def _consultations(doc: _Doc, volfdnr: str) -> list[Consultation]:
    stations = _classic_stations(doc.soup)
    if stations is None:
        stations = _responsive_stations(doc.soup)
    items = []
    for position, station in enumerate(stations, start=1):
        role = station.get("role")
        items.append(
            Consultation(
                **doc.base(f"{volfdnr}-{position}"),
                paper=volfdnr,
                position=position,
                meeting=station.get("meeting"),
                agendaItem=station.get("agendaItem"),
                organizationName=station.get("organizationName"),
                role=role,
                authoritative=(role == "Entscheidung") if role else None,
                state=station.get("state"),
                dateRaw=station.get("dateRaw"),
                resultRaw=station.get("resultRaw"),
            )
        )
    return items


def _classic_stations(soup: BeautifulSoup) -> list[dict] | None:
    """Return the Beratungsfolge stations of a classic page (None when it has no such label)."""
    label = next((cell for cell in soup.select("td.kb1") if _label(cell) == "beratungsfolge"), None)
    if label is None:
        return None
    row = label.find_parent("tr")
    holder = row.find_next_sibling("tr") if row else None
    table = holder.find("table") if holder else None
    if table is None:
        return []
    stations: list[dict] = []
    for tr in table.find_all("tr"):
        if tr.select_one("td.text2"):  # row B: date, meeting, result
            if not stations or "dateRaw" in stations[-1]:
                stations.append({})
            station = stations[-1]
            station["dateRaw"] = line_text(tr.select_one("td.text2"))
            station["meeting"] = _id_in(tr, "SILFDNR")
            station["agendaItem"] = _id_in(tr, "TOLFDNR", "to020") or _param(
                next((f.get("action") for f in tr.find_all("form") if "topselected" in (f.get("action") or "").lower()), None),
                "topSelected",
            )
            station["resultRaw"] = line_text(tr.select_one("td.text3"))
            station.setdefault("state", _state_of(tr))
        elif tr.select_one("td.text1"):  # row A: committee and role
            names = tr.select("td.text1")
            stations.append(
                {
                    "organizationName": line_text(names[0]),
                    "role": line_text(names[1]) if len(names) > 1 else None,
                    "state": _state_of(tr),
                }
            )
    return stations


def _state_of(tr: Tag) -> str | None:
    cell = tr.find("td", attrs={"title": True})
    return (cell.get("title") or "").strip() or None if cell else None


def _responsive_stations(soup: BeautifulSoup) -> list[dict]:
    """Return the stations of a responsive ``table.bfTable`` (two rows per station)."""
    table = soup.select_one("table.bfTable")
    if table is None:
        return []
    headers = [_label(th) for th in table.select("thead th")]
    column = {name: i for i, name in enumerate(headers)}
    stations: list[dict] = []
    for tr in table.select("tbody tr"):
        cells = tr.find_all("td", recursive=False)

        def cell(name: str) -> Tag | None:
            index = column.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        if tr.select_one("td.date"):
            if not stations or "dateRaw" in stations[-1]:
                stations.append({})
            station = stations[-1]
            station["dateRaw"] = line_text(tr.select_one("td.date"))
            station["meeting"] = _id_in(tr, "SILFDNR")
            station["agendaItem"] = _id_in(tr, "TOLFDNR")
            station["resultRaw"] = line_text(cell("beschluss"))
        else:
            status = tr.select_one("[aria-label]")
            stations.append(
                {
                    "organizationName": line_text(cell("gremium")),
                    "role": line_text(cell("beschluss")),
                    "state": (status.get("aria-label") or "").strip() or None if status else None,
                }
            )
    return stations


# ---------------------------------------------------------------- to010: meeting + agenda


def _organization_id(cell: Tag | None) -> str | None:
    """Return "au-<AULFDNR>" / "gr-<GRLFDNR>" / "pa-<PALFDNR>" from the committee link in a cell."""
    if cell is None:
        return None
    for link in cell.find_all("a", href=True):
        for param, prefix in (("AULFDNR", "au"), ("GRLFDNR", "gr"), ("PALFDNR", "pa")):
            value = _param(link["href"], param)
            if value:
                return f"{prefix}-{value}"
    return None


def _meeting_values(pairs: list[tuple[str, Tag | None]]) -> dict:
    def value(*labels: str) -> Tag | None:
        return _first_value(pairs, lambda label: label in labels)

    committee = value("gremium")
    return {
        "name": line_text(value("bezeichnung", "betreff")),
        "organization": _organization_id(committee),
        "organizationName": line_text(committee),
        "dateRaw": line_text(value("datum")),
        "timeRaw": line_text(value("zeit", "uhrzeit")),
        "room": line_text(value("raum")),
        "locality": line_text(value("ort")),
    }


def _parse_meeting(doc: _Doc) -> Parsed:
    silfdnr = _meta_object_id(doc) or _param(doc.page.url, "SILFDNR") or _id_in(doc.soup, "SILFDNR")
    if not silfdnr:
        raise ParseError(f"{doc.page.url}: to010 page without SILFDNR")
    values = _meeting_values(_label_values(doc.soup))
    if not values["name"]:
        headline = (_headline(doc) or "").replace("\n", " ")
        headline = re.sub(r"^Tagesordnung\s+-\s+", "", headline)
        values["name"] = headline or None
    cancelled = True if _CANCELLED.search(values["name"] or "") else None
    meeting = Meeting(**doc.base(silfdnr), cancelled=cancelled, **values)

    agenda, row_files, follow = _agenda(doc, silfdnr)
    if not (values["name"] or values["dateRaw"] or agenda):
        raise ParseError(f"{doc.page.url}: to010 page without Bezeichnung, Datum and agenda")
    row_file_ids = {f.systemId for f in row_files}
    documents = [d for d in _do027_documents(doc, doc.soup) if d["id"] not in row_file_ids]
    files, file_links = _file_items(doc, "Meeting", silfdnr, documents, [], _meeting_file_role)
    fields_seen = {
        "name": bool(meeting.name),
        "organizationName": bool(meeting.organizationName),
        "dateRaw": bool(meeting.dateRaw),
        "timeRaw": bool(meeting.timeRaw),
        "room": bool(meeting.room),
        "agendaItems": bool(agenda),
    }
    items: list[Item] = [meeting, *agenda, *files, *row_files]
    links = follow + file_links + [
        Link(f.accessUrl, "file", {"parent": f.parent, "parentType": f.parentType, "fileSystemId": f.systemId})
        for f in row_files
        if f.accessUrl
    ]
    return Parsed(items=items, follow=_unique_links(links), fields_seen=fields_seen)


_SECTION_HEADING = re.compile(r"^(nicht\s*-?\s*öffentliche?r?|öffentliche?r?)\s+(teil|sitzung)", re.I)


def _agenda_rows(soup: BeautifulSoup) -> list[Tag]:
    rows: list[Tag] = []
    seen: set[int] = set()
    for table in soup.select("table.tl1, table.toTable"):
        for tr in table.find_all("tr"):
            if id(tr) not in seen:
                seen.add(id(tr))
                rows.append(tr)
    # An install with another table class: any row outside the header column will do,
    # since agenda rows are recognised by their number cell anyway.
    return rows or [tr for tr in soup.find_all("tr") if tr.find_parent("td", class_="ko1") is None]


def _agenda(doc: _Doc, silfdnr: str) -> tuple[list[AgendaItem], list[File], list[Link]]:
    """Return the agenda items, the files hung on single items, and the to020/vo020 links."""
    items: list[AgendaItem] = []
    row_files: list[File] = []
    follow: list[Link] = []
    section_public: bool | None = None
    for tr in _agenda_rows(doc.soup):
        cells = tr.find_all("td", recursive=False)
        if not cells:
            continue
        first = cells[0]
        classes = set(first.get("class", []))
        number = line_text(first) if classes & {"text4", "tonr"} else None
        if not number:
            heading = line_text(tr) or ""
            if _SECTION_HEADING.match(heading):
                section_public = not heading.lower().startswith("nicht")
                continue
            if classes & {"text4", "tonr"}:
                # A row without number holds a document of the item above (the
                # Niederschrift whose approval that item is).
                parent_type, parent = ("AgendaItem", items[-1].systemId) if items else ("Meeting", silfdnr)
                files, _ = _file_items(doc, parent_type, parent, _do027_documents(doc, tr), [], lambda _: "auxiliaryFile")
                row_files.extend(files)
            continue
        item, links = _agenda_item_from_row(doc, tr, cells, number, silfdnr, len(items), section_public)
        items.append(item)
        follow.extend(links)
    return items, row_files, follow


def _agenda_item_from_row(
    doc: _Doc, tr: Tag, cells: list[Tag], number: str, silfdnr: str, order: int, section_public: bool | None
) -> tuple[AgendaItem, list[Link]]:
    tolfdnr = _id_in(tr, "TOLFDNR")
    to020_link = tr.find("a", href=re.compile(r"to020", re.I))
    title_cell = tr.select_one("td.tobetreff")
    if to020_link is not None:
        name = node_text(to020_link, keep_newlines=True)
    elif title_cell is not None:
        name = node_text(title_cell, keep_newlines=True)
    else:
        name = next(
            (text for c in cells[1:] if not c.find("a", href=re.compile(r"vo020", re.I)) and (text := node_text(c, keep_newlines=True))),
            "",
        )
    paper_link = tr.find("a", href=re.compile(r"vo020", re.I))
    volfdnr = _id_in(tr, "VOLFDNR", "vo020")
    result_button = next(
        (i for f in tr.find_all("form") if "to020" in (f.get("action") or "").lower() for i in f.find_all("input") if i.get("type") == "submit"),
        None,
    )
    result = (result_button.get("title") or "").strip() if result_button is not None else ""
    prefix = re.match(r"^(Ö|N)\b", number)
    public = (prefix.group(1) == "Ö") if prefix else section_public
    item = AgendaItem(
        **doc.base(tolfdnr or f"{silfdnr}-{number}"),
        meeting=silfdnr,
        number=number,
        order=order,
        name=name or None,
        public=public,
        paper=volfdnr,
        paperReference=line_text(paper_link) if paper_link is not None else None,
        resultRaw=result if result.lower() not in _GENERIC_BUTTON_TITLES else None,
    )
    links = []
    has_to020_form = any("to020" in (f.get("action") or "").lower() for f in tr.find_all("form"))
    if to020_link is not None:
        links.append(Link(_absolute(doc, to020_link["href"]), "to020"))
    elif tolfdnr and has_to020_form:
        links.append(Link(_absolute(doc, f"to020.asp?TOLFDNR={tolfdnr}"), "to020"))
    if paper_link is not None:
        links.append(Link(_absolute(doc, paper_link["href"]), "vo020"))
    elif volfdnr:
        links.append(Link(_absolute(doc, f"vo020.asp?VOLFDNR={volfdnr}"), "vo020"))
    return item, links


def _unique_links(links: list[Link]) -> list[Link]:
    seen: set[str] = set()
    unique = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    return unique


# ---------------------------------------------------------------- to020: agenda item excerpt


_AGENDA_SECTION_FIELDS = {"WP": "protocolText", "BS": "resolutionText", "AE": "voteRaw"}


def _parse_agenda_item(doc: _Doc) -> Parsed:
    tolfdnr = (
        _meta_object_id(doc)
        or _param(doc.page.url, "TOLFDNR")
        or _param(next((f.get("action") for f in doc.soup.select('form[action*="topSelected"]')), None), "topSelected")
    )
    if not tolfdnr:
        raise ParseError(f"{doc.page.url}: to020 page without TOLFDNR")
    pairs = _label_values(doc.soup)
    number = line_text(_first_value(pairs, lambda label: label == "top"))
    result = line_text(_first_value(pairs, lambda label: label == "beschlussart"))
    headline = _headline(doc) or ""
    name = re.sub(r"^Auszug\s+-\s+", "", headline) or None
    if not (number or result or name):
        raise ParseError(f"{doc.page.url}: to020 page without TOP, Beschlussart and headline")
    meeting = _id_in(doc.soup, "SILFDNR", "to010")
    paper_link = doc.soup.find("a", href=re.compile(r"vo020", re.I))
    volfdnr = _id_in(doc.soup, "VOLFDNR", "vo020")
    texts: dict[str, str] = {}
    for code, html in doc.sections:
        field = _AGENDA_SECTION_FIELDS.get(code.upper())
        text = html_text(html)
        if field and text and field not in texts:
            texts[field] = text
    prefix = re.match(r"^(Ö|N)\b", number or "")
    item = AgendaItem(
        **doc.base(tolfdnr),
        meeting=meeting,
        number=number,
        name=name,
        public=(prefix.group(1) == "Ö") if prefix else None,
        paper=volfdnr,
        paperReference=_reference_in_link(paper_link, name),
        resultRaw=result,
        **texts,
    )
    files, file_links = _file_items(
        doc, "AgendaItem", tolfdnr, _do027_documents(doc, doc.soup), _anlagen(doc, doc.soup), lambda _: "auxiliaryFile"
    )
    follow = list(file_links)
    if paper_link is not None:
        follow.append(Link(_absolute(doc, paper_link["href"]), "vo020"))
    fields_seen = {
        "number": bool(number),
        "name": bool(name),
        "meeting": bool(meeting),
        "resultRaw": bool(result),
    }
    if not _undecided(result):
        # An undecided item ("(offen)") has no Beschluss yet: not a parse miss.
        fields_seen["text"] = bool(texts)
    return Parsed(items=[item, *files], follow=follow, fields_seen=fields_seen)


def _undecided(result: str | None) -> bool:
    return (result or "").strip().strip("()").strip().lower() in {"offen", ""}


def _reference_in_link(link: Tag | None, name: str | None) -> str | None:
    """Return the paper number from a "<Nummer> <Betreff>" link (to020, vo040)."""
    if link is None:
        return None
    text = node_text(link, keep_newlines=True)
    first_line = text.split("\n")[0]
    title = (name or "").split("\n")[0]
    if title and title in first_line and first_line.index(title) > 0:
        return first_line[: first_line.index(title)].strip() or None
    return re.split(r"[\s\u00a0]+", first_line, maxsplit=1)[0] or None


# ---------------------------------------------------------------- au020 / fr020: rosters


_NAME_TITLES = re.compile(r"^((?:Prof\.|Dr\.(?:\s?[a-z]+\.)*|Dipl\.-[\wäöü]+\.?)\s+)+")
_NAME_PARTICLES = frozenset(("von", "van", "de", "der", "den", "zu", "vom", "zur", "ten", "ter", "di", "da", "del"))


def split_person_name(name: str | None) -> tuple[str | None, str | None, list[str] | None]:
    """Return (familyName, givenName, titles) of "Nachname, Vorname" or "Vorname Nachname"."""
    if not name:
        return None, None, None
    titles: list[str] = []
    rest = name.strip()
    if "," in rest:
        family, given = (part.strip() for part in rest.split(",", 1))
        leading = _NAME_TITLES.match(given)
        if leading:
            titles = leading.group(0).split()
            given = given[leading.end():].strip()
        return family or None, given or None, titles or None
    leading = _NAME_TITLES.match(rest)
    if leading:
        titles = leading.group(0).split()
        rest = rest[leading.end():].strip()
    tokens = rest.split()
    if not tokens:
        return None, None, titles or None
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in _NAME_PARTICLES:
        start -= 1
    family = " ".join(tokens[start:])
    given = " ".join(tokens[:start]) or None
    return family, given, titles or None


def _parse_roster(doc: _Doc, prefix: str, id_param: str, organization_type: str) -> Parsed:
    number = _meta_object_id(doc) or _param(doc.page.url, id_param) or _id_in(doc.soup, id_param)
    if not number:
        raise ParseError(f"{doc.page.url}: roster page without {id_param}")
    org_id = f"{prefix}-{number}"
    name = line_text(doc.soup.select_one("#risname h1, #risname_raw h1, h1.title") or doc.soup.find("h1"))
    organization = Organization(**doc.base(org_id), name=name, organizationType=organization_type)
    persons: dict[str, Person] = {}
    memberships: list[Membership] = []
    seen_ids: dict[str, int] = {}
    for link in doc.soup.find_all("a", href=re.compile(r"kp020", re.I)):
        kplfdnr = _param(link["href"], "KPLFDNR")
        row = link.find_parent("tr")
        if not kplfdnr or row is None:
            continue
        person_name = line_text(link)
        family, given, titles = split_person_name(person_name)
        persons.setdefault(
            kplfdnr,
            Person(**doc.base(kplfdnr), name=person_name, familyName=family, givenName=given, title=titles),
        )
        membership_id = f"{org_id}-{kplfdnr}"
        seen_ids[membership_id] = seen_ids.get(membership_id, 0) + 1
        if seen_ids[membership_id] > 1:  # the same person in a second role
            membership_id = f"{membership_id}-{seen_ids[membership_id]}"
        memberships.append(
            Membership(
                **doc.base(membership_id),
                person=kplfdnr,
                organization=org_id,
                role=line_text(row.select_one("td.text1")),
                onBehalfOfName=line_text(row.select_one("td.text4")),
            )
        )
    if not (name or memberships):
        raise ParseError(f"{doc.page.url}: roster page without name and members")
    fields_seen = {"name": bool(name), "members": bool(memberships)}
    return Parsed(items=[organization, *persons.values(), *memberships], fields_seen=fields_seen)


# ---------------------------------------------------------------- calendar


def _calendar_month(doc: _Doc) -> tuple[int, int] | None:
    """Return the (year, month) a calendar page shows: its heading, else its URL, else its nav links."""
    for h2 in doc.soup.find_all("h2"):
        found = re.match(r"(\w+)\s+(\d{4})$", line_text(h2) or "")
        if found and found.group(1).lower() in _GERMAN_MONTHS:
            return int(found.group(2)), _GERMAN_MONTHS[found.group(1).lower()]
    month, year = _param(doc.page.url, "MM"), _param(doc.page.url, "YY")
    if month and year and month.isdigit() and year.isdigit():
        return int(year), int(month)
    for link in doc.soup.find_all("a", href=True):
        title = (link.get("title") or "").lower()
        month, year = _param(link["href"], "MM"), _param(link["href"], "YY")
        if month and year and month.isdigit() and year.isdigit() and title in ("vorheriger monat", "nächster monat"):
            index = int(year) * 12 + int(month) - 1 + (1 if title.startswith("vorheriger") else -1)
            return index // 12, index % 12 + 1
    return None


def _parse_calendar(doc: _Doc) -> Parsed:
    month = _calendar_month(doc)
    items: list[Item] = []
    follow: list[Link] = []
    day: int | None = None
    for tr in doc.soup.select("table.tl1 tr, table.calenderView tr"):
        cells = tr.find_all("td", recursive=False)
        if not cells:
            continue
        day = _row_day(tr, cells) or day
        silfdnr = _id_in(tr, "SILFDNR")
        if not silfdnr:
            continue  # holidays, empty days
        time_cell = tr.select_one("td.time") or (cells[2] if len(cells) > 2 and "text2" in cells[2].get("class", []) else None)
        room_cell = tr.select_one("td.raum, td.text4")
        link = tr.find("a", href=re.compile(r"to010", re.I))
        if link is not None:
            name = node_text(link, keep_newlines=True)
        else:
            name = next(
                (
                    text
                    for c in cells[3:]
                    if c is not room_cell and not c.find("form") and (text := node_text(c, keep_newlines=True))
                ),
                "",
            )
        date_raw = f"{day:02d}.{month[1]:02d}.{month[0]}" if day and month else None
        context = {"name": name or None, "dateRaw": date_raw, "timeRaw": line_text(time_cell), "room": line_text(room_cell)}
        if link is not None:
            follow.append(Link(_absolute(doc, link["href"]), "to010", context))
        else:
            # Listed without agenda link: this row is all the install shows of the meeting.
            items.append(
                Meeting(
                    **doc.base(silfdnr),
                    cancelled=True if _CANCELLED.search(name or "") else None,
                    **context,
                )
            )
    follow = _unique_links(follow)
    return Parsed(items=items, follow=follow, fields_seen={"month": month is not None, "meetings": bool(follow or items)})


def _row_day(tr: Tag, cells: list[Tag]) -> int | None:
    marked = tr.select_one("span.dom")
    if marked is not None:
        text = line_text(marked) or ""
        return int(text) if text.isdigit() else None
    if len(cells) > 1 and "text2" in cells[1].get("class", []):
        text = line_text(cells[1]) or ""
        return int(text) if text.isdigit() else None
    return None


# ---------------------------------------------------------------- listings


def _listing(target_kind: str, program: str, id_param: str, meta_of: Callable[[Tag, Tag | None], dict]) -> Callable[[_Doc], Parsed]:
    """Return a parser for a listing page that follows links to ``program`` pages."""

    def parse_listing(doc: _Doc) -> Parsed:
        links: list[Link] = []
        seen: set[str] = set()
        for link in doc.soup.find_all("a", href=re.compile(program, re.I)):
            number = _param(link["href"], id_param)
            if not number or number in seen:
                continue
            seen.add(number)
            links.append(Link(_absolute(doc, link["href"]), target_kind, meta_of(link, link.find_parent("tr"))))
        for form in doc.soup.select(f'form[action*="{program}"]'):
            field = form.find("input", attrs={"name": id_param})
            number = field.get("value") if field is not None else None
            if number and number not in seen:
                seen.add(number)
                links.append(Link(_absolute(doc, f"{program}.asp?{id_param}={number}"), target_kind, {}))
        return Parsed(follow=links, fields_seen={"links": bool(links)})

    return parse_listing


def _paper_list_meta(link: Tag, row: Tag | None) -> dict:
    text = node_text(link, keep_newlines=True)
    reference, _, name = text.replace("\u00a0", " ", 1).partition(" ")
    cells = row.select("td.text2") if row is not None else []
    return {
        "reference": reference or None,
        "name": name.strip() or None,
        "dateRaw": line_text(cells[0]) if cells else None,
        "paperType": line_text(cells[1]) if len(cells) > 1 else None,
    }


def _organization_list_meta(link: Tag, row: Tag | None) -> dict:
    note = line_text(row.select_one("td.text5")) if row is not None else None
    return {"name": line_text(link), "note": note}


_PARSERS: dict[str, Callable[[_Doc], Parsed]] = {
    "vo020": _parse_paper,
    "to010": _parse_meeting,
    "to020": _parse_agenda_item,
    "au020": lambda doc: _parse_roster(doc, "au", "AULFDNR", "Gremium"),
    "fr020": lambda doc: _parse_roster(doc, "fr", "FRLFDNR", "Fraktion"),
    "calendar": _parse_calendar,
    "fr010": _listing("fr020", "fr020", "FRLFDNR", _organization_list_meta),
    "au010": _listing("au020", "au020", "AULFDNR", _organization_list_meta),
    "vo040": _listing("vo020", "vo020", "VOLFDNR", _paper_list_meta),
}


__all__ = [
    "NAME",
    "CALENDAR_PROGRAMS",
    "detect",
    "page_kind",
    "parse",
    "is_refused",
    "start_urls",
    "public_base",
    "calendar_url",
    "node_text",
    "split_person_name",
]


def generation(page: Page) -> str:
    """Return the ALLRIS classic version and variant, e.g. 'ALLRIS net 3.9.5 classic' or '… responsive (_r)'."""
    version = _allris_version(page.text[:10000])
    name = f"ALLRIS net {version}" if version else "ALLRIS net 3.x"
    path = urlsplit(page.url).path
    responsive = bool(re.search(r"_r\.asp$", path)) or bool(re.search(r"\b[a-z]{2}\d{3}_r\.asp\?", page.text))
    if responsive:
        return f"{name} responsive (_r)"
    if not any(m in page.text for m in _FRAME_MARKERS) and not _PROGRAM.search(path):
        return f"{name} classic, embedded in a CMS page"
    return f"{name} classic"
