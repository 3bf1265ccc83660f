"""Text of HTML elements as a reader sees it: one line per block, spaces folded.

Shared by the HTML dialects. Inline markup never splits a word (``Inte<span>gration</span>``
stays one word); block elements and ``<br>`` start new lines; scripts, styles,
comments and elements marked ``hidden`` (Wicket placeholders) are not text.
"""

from __future__ import annotations

import re

from spiders.dialects.html import Element, select

BLOCK_TAGS = frozenset(
    {"p", "div", "li", "tr", "table", "ul", "ol", "dd", "dt", "dl", "h1", "h2", "h3", "h4", "h5", "h6",
     "section", "article", "aside", "header", "footer", "blockquote", "pre"}
)
# Ends a line in the collected text. Never part of a text node: libxml2 keeps
# text as NUL-terminated strings.
_LINE_END = "\x00"


def text_lines(el: Element, without: str | None = None) -> list[str]:
    """Return the element's text as lines: one per block element or ``<br>``, spaces folded.

    ``without`` is a selector: the descendants it matches are left out with
    their text, as if removed from the tree (the text after them stays).
    """
    if not without and not len(el):  # an element without children: its own text only
        line = " ".join((el.text or "").replace("\u200b", " ").split())
        return [line] if line else []
    parts: list[str] = []
    _collect(el, parts, frozenset(select(el, without)) if without else frozenset())
    # White space (a line break in the markup is a space) and zero-width spaces fold into one space.
    lines = (" ".join(line.replace("\u200b", " ").split()) for line in "".join(parts).split(_LINE_END))
    return [line for line in lines if line]


def _collect(node: Element, parts: list[str], left_out: frozenset) -> None:
    if node.text:
        parts.append(node.text)
    for child in node:
        tag = child.tag
        if not isinstance(tag, str):
            pass  # comments and processing instructions are no text
        elif tag == "br":
            parts.append(_LINE_END)
        elif tag in ("script", "style") or child.get("hidden") is not None or child in left_out:
            pass
        elif tag in BLOCK_TAGS:
            parts.append(_LINE_END)
            _collect(child, parts, left_out)
            parts.append(_LINE_END)
        else:
            _collect(child, parts, left_out)
        if child.tail:
            parts.append(child.tail)


def one_line(el: Element | None, without: str | None = None) -> str | None:
    """Return an element's text on one line (line breaks become spaces), or None when empty; ``without`` as for ``text_lines``."""
    if el is None:
        return None
    return " ".join(text_lines(el, without)) or None


def paragraphs(el: Element | None) -> str | None:
    """Return an element's text with one paragraph per line, or None when empty."""
    if el is None:
        return None
    return "\n".join(text_lines(el)) or None


# Cell labels of a vote count table (Word tables in minutes: "Ja | Nein | Enthaltung").
_VOTE_LABEL = re.compile(r"^(ja|nein|enthalt|stimmenthalt|dafür|dagegen|zustimm|ablehn|befangen|gegenstimm|für\b|gegen\b)", re.I)
_COUNT = re.compile(r"^\d{1,3}$")


def vote_table_text(el: Element | None) -> str | None:
    """Return the first vote count table inside ``el`` as text: one line per row, cells joined by " | ", or None.

    Minutes written in Word put the counts in a table (``MsoNormalTable``)
    inside the Beschluss or Protokoll text: a cell labelled Ja/Nein/Enthaltung
    and a cell with a bare number make a vote table, whatever the layout.
    """
    if el is None:
        return None
    for table in el.iterdescendants("table"):
        if any(True for _ in table.iterdescendants("table")):
            continue  # a layout frame: its inner tables are read on their own
        rows = []
        for tr in table.iterdescendants("tr"):
            cells = [one_line(td) or "" for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
            if any(cells):
                rows.append([c for c in cells])
        flat = [c for row in rows for c in row]
        if any(_VOTE_LABEL.match(c) for c in flat) and any(_COUNT.match(c) for c in flat):
            return "\n".join(" | ".join(c for c in row if c) for row in rows)
    return None
