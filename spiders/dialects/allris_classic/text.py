"""Text of ALLRIS classic pages: the page cut into shell and text sections, and element text as written.

Text sections (``<a name="allrisSV">`` + an embedded Aspose ``<html>``
document each) are cut out of the raw page text *before* HTML parsing, since
an HTML parser merges the nested ``<html>`` trees. Element text keeps words
whole across inline tags and numbers ``<ol>`` items the way a browser does,
since the texts refer to those numbers.
"""

from __future__ import annotations

import re

from spiders.dialects.html import Element, parse_html

ANCHOR = re.compile(r"<a\s+name\s*=\s*[\"']?allris(\w+)[\"']?[^>]*>(?:\s*</a>)?", re.I)
_SUBDOC_END = re.compile(r"</html\s*>", re.I)
_PLAIN_SECTION_END = re.compile(r"</td>|<table\b|<div\s+id=[\"']risfoot", re.I)

_BLOCK_TAGS = frozenset(
    "p div br tr li ul ol table thead tbody tfoot caption h1 h2 h3 h4 h5 h6 hr td th "
    "dd dt dl blockquote pre section article header footer form center address aside".split()
)
_SKIP_TAGS = frozenset(("script", "style", "noscript", "head", "title"))


# Word's symbol fonts: Aspose writes their glyphs as private-use characters (U+F020-U+F0FF) in a
# span styled "font-family:Wingdings" or "Symbol"; the character stands for the font's glyph.
_PRIVATE_USE = re.compile("[\uf020-\uf0ff]")
_SYMBOL_FONT = re.compile(r"font-family\s*:\s*['\"]?(symbol|wingdings)\b(?!\s*[23])", re.I)
_GREEK = dict(zip(range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ")) | dict(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ"))
_GLYPHS = {
    "symbol": {**{c: chr(c) for c in range(0x20, 0x40) if c not in (0x22, 0x24, 0x27)}, **_GREEK,
               0x2A: "*", 0x2D: "-", 0xA3: "≤", 0xA5: "∞", 0xAE: "→", 0xB0: "°", 0xB1: "±", 0xB3: "≥",
               0xB4: "×", 0xB7: "•", 0xB9: "≠", 0xBB: "≈", 0xDE: "⇒"},
    # Wingdings as list bullets and marks; any other glyph of the font is shown as a bullet.
    "wingdings": {0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x76: "❖", 0x9F: "•", 0xA7: "▪", 0xD8: "➢",
                  0xE8: "➔", 0xFB: "✗", 0xFC: "✓"},
}


def symbol_font_text(el: Element, text: str) -> str:
    """Return ``text`` (an element's own text) with Symbol/Wingdings private-use characters as the glyphs they show."""
    if not _PRIVATE_USE.search(text):
        return text
    font = next((m.group(1).lower() for a in (el, *el.iterancestors()) if (m := _SYMBOL_FONT.search(a.get("style") or ""))), None)
    if font is None:
        return text
    glyphs = _GLYPHS[font]
    fallback = "•" if font == "wingdings" else None
    return _PRIVATE_USE.sub(lambda m: glyphs.get(ord(m.group()) - 0xF000, fallback or m.group()), text)


# The same characters in raw HTML: as characters or as numeric references (&#xF0A7; / &#61607;).
_PRIVATE_USE_RAW = re.compile("[\uf020-\uf0ff]|&#(?:x[fF]0[2-9a-fA-F][0-9a-fA-F]|6[01]\\d{3});")


def has_private_use(raw: str) -> bool:
    """Return True when raw HTML may hold Symbol/Wingdings private-use characters (cheap pre-check)."""
    return _PRIVATE_USE_RAW.search(raw) is not None


def resolve_symbol_fonts(root: Element) -> None:
    """Replace, in place, the private-use characters of Symbol/Wingdings spans below ``root`` by their glyphs."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.text and _PRIVATE_USE.search(el.text):
            el.text = symbol_font_text(el, el.text)


def split_sections(raw: str) -> tuple[str, list[tuple[str, str]]]:
    """Return the page without its ``allris…`` text sections, and the sections (code, HTML).

    Each section runs from its anchor to the end of its embedded ``<html>``
    document; a section without one (an empty ``allrisBS``) ends at the next
    anchor or at the cell that holds the sections.
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    anchors = list(ANCHOR.finditer(raw))
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


def node_text(node: Element | None, keep_newlines: bool = False) -> str:
    """Return the text of an element as written: inline tags join, blocks break lines.

    Inline markup inside a word (``Mobilitä</span><span>tsausschuss``) adds
    nothing; block elements and ``<br>`` end a line; whitespace collapses
    within a line; empty lines are dropped. With ``keep_newlines`` a raw line
    break in the source also ends a line (ALLRIS writes multi-line Betreff
    fields with plain newlines in agenda and list cells).
    """
    if node is None:
        return ""
    if not keep_newlines and not len(node):  # an element without children: its own text on one line
        text = " ".join((node.text or "").split())
        return " ".join(symbol_font_text(node, text).split()) if _PRIVATE_USE.search(text) else text
    parts: list[str] = []
    _collect_text(node, parts)
    text = "".join(parts)
    if _PRIVATE_USE.search(text):  # rare: Word's symbol fonts; resolved in the tree, then read again
        resolve_symbol_fonts(node)
        parts = []
        _collect_text(node, parts)
        text = "".join(parts)
    # Blocks end lines; with keep_newlines the source's own line breaks do too, else they are spaces.
    lines = (" ".join(line.split()) for line in (text.replace(_LINE_END, "\n") if keep_newlines else text).split(
        "\n" if keep_newlines else _LINE_END))
    return "\n".join(line for line in lines if line)


# Ends a line in the collected text; never part of a text node (libxml2 keeps text NUL-terminated).
_LINE_END = "\x00"


def _collect_text(node: Element, parts: list[str]) -> None:
    if node.text:
        parts.append(node.text)
    for child in node:
        tag = child.tag
        if isinstance(tag, str) and tag not in _SKIP_TAGS:  # comments and processing instructions are no text
            block = tag in _BLOCK_TAGS
            if block:
                parts.append(_LINE_END)
            if tag == "li":
                parts.append(_list_marker(child))
            _collect_text(child, parts)
            if block:
                parts.append(_LINE_END)
        if child.tail:
            parts.append(child.tail)


def _list_marker(item: Element) -> str:
    """Return the number a browser prints before an ``<ol>`` item ("10. "); texts refer to them."""
    parent = item.getparent()
    if parent is None or parent.tag != "ol":
        return ""
    start = parent.get("start", "1")
    number = (int(start) if str(start).isdigit() else 1) + sum(1 for _ in item.itersiblings("li", preceding=True))
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


def line_text(node: Element | None) -> str | None:
    """Return an element's text on one line (lines joined by a space), or None when empty."""
    text = node_text(node).replace("\n", " ")
    return text or None


# What Word documents put where a section has no content: "---", "-", "–".
_PLACEHOLDER = re.compile(r"[-–—_.\s]*")


def section_content(text: str | None) -> str | None:
    """Return a text section's text, or None when it holds only its label and a placeholder.

    "Sachverhalt:" alone, "Petitum/Beschluss:" over "---" and "Anlage/n: -"
    say the section is empty; a reader would not count them as text.
    """
    if not text:
        return None
    lines = text.split("\n")
    label, colon, rest = lines[0].partition(":")
    body = [rest, *lines[1:]] if colon and len(label) <= 60 else lines
    return text if any(not _PLACEHOLDER.fullmatch(line) for line in body) else None


def html_text(html: str) -> str | None:
    """Return the text of an HTML fragment (an embedded Aspose document), or None when empty."""
    text = node_text(parse_html(html))
    return text or None

