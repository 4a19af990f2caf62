"""Chinese typography done on the text itself, once, for both books."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from ..model import Chapter

# Elements whose text is a sequence of its own: quotes never pair across them.
TEXT_BLOCKS = {
    "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "caption", "blockquote",
}
# Text left as written: code, URLs, English credits.
VERBATIM = {"code", "pre", "kbd"}
APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z])")

Segment = tuple[HtmlElement, str]  # an element and "text" or "tail"


def chinese_quotes(chapter: Chapter) -> Chapter:
    """ASCII double quotes become “ ”, paired within each paragraph (pandoc's pairing
    mistakes a quote after a Han character for a closing one)."""
    for block in _blocks(chapter.body):
        state = [False]
        for el, attr in _segments(block):
            setattr(el, attr, _pair_quotes(getattr(el, attr), state))
    return chapter


def _pair_quotes(text: str, is_open: list[bool]) -> str:
    """Alternate opening and closing double quotes; `is_open` carries across a block's segments.

    Single quotes are left alone but for apostrophes (don't): an English possessive
    (students') cannot be told from a closing quote.
    """
    out = []
    for ch in APOSTROPHE.sub("’", text):
        if ch == '"':
            out.append("”" if is_open[0] else "“")
            is_open[0] = not is_open[0]
        else:
            out.append(ch)
    return "".join(out)


def _blocks(root: HtmlElement) -> Iterator[HtmlElement]:
    """Every text block, and every note, since a note is read apart from its paragraph."""
    for el in root.iter():
        if el.tag in TEXT_BLOCKS or _is_note(el):
            yield el


def _is_note(el: HtmlElement) -> bool:
    return el.tag == "span" and "note" in (el.get("class") or "").split()


def _segments(block: HtmlElement) -> Iterator[Segment]:
    """The block's own text in reading order, not entering nested blocks, notes or code."""
    if block.text:
        yield block, "text"
    for child in block:
        if not isinstance(child.tag, str):
            continue
        own = child.tag in TEXT_BLOCKS or _is_note(child) or child.tag in VERBATIM or child.get("lang") == "en"
        if not own:
            yield from _segments(child)
        if child.tail:
            yield child, "tail"
