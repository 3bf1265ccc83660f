"""Text of HTML elements as a reader sees it: one line per block, spaces folded.

Shared by the HTML dialects. Inline markup never splits a word (``Inte<span>gration</span>``
stays one word); block elements and ``<br>`` start new lines; scripts, styles,
comments and elements marked ``hidden`` (Wicket placeholders) are not text.
"""

from __future__ import annotations

import re

from spiders.dialects.html import Element

BLOCK_TAGS = frozenset(
    {"p", "div", "li", "tr", "table", "ul", "ol", "dd", "dt", "dl", "h1", "h2", "h3", "h4", "h5", "h6",
     "section", "article", "aside", "header", "footer", "blockquote", "pre"}
)
_SPACES = re.compile(r"\s+")


def text_lines(el: Element) -> list[str]:
    """Return the element's text as lines: one per block element or ``<br>``, spaces folded."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        if node.text:
            parts.append(_SPACES.sub(" ", node.text))
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                pass  # comments and processing instructions are no text
            elif tag == "br":
                parts.append("\n")
            elif tag in ("script", "style") or child.get("hidden") is not None:
                pass
            else:
                block = tag in BLOCK_TAGS
                if block:
                    parts.append("\n")
                walk(child)
                if block:
                    parts.append("\n")
            if child.tail:
                parts.append(_SPACES.sub(" ", child.tail))

    walk(el)
    lines = (re.sub(r"[\s\u200b]+", " ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def one_line(el: Element | None) -> str | None:
    """Return an element's text on one line (line breaks become spaces), or None when empty."""
    if el is None:
        return None
    return " ".join(text_lines(el)) or None


def paragraphs(el: Element | None) -> str | None:
    """Return an element's text with one paragraph per line, or None when empty."""
    if el is None:
        return None
    return "\n".join(text_lines(el)) or None
