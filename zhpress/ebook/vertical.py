"""The vertical EPUB (直排): what it adds to the horizontal one's documents and stylesheet.

The writing mode itself is style (styles/epub-vertical.css, after epub.css): `vertical-rl`
on each document's root, where Apple Books and Kobo look for it, Latin words turned on their
side (`text-orientation: mixed`). What style cannot select is marked here: a short run of
digits (2024年12月8日's 12 and 8) set upright as one character (縱中橫, `text-combine-upright`).
The text itself is not changed: a reader still searches for 「12月」.
"""

from __future__ import annotations

import re

from lxml import html
from lxml.html import HtmlElement

from ..render import STYLES
from ..transforms.typography import AUTOSPACE_CLASS, block_segments, mark_runs, text_blocks

STYLESHEET = STYLES / "epub-vertical.css"
UPRIGHT_CLASS = "upright"
# One or two digits standing alone: not part of a longer number, a decimal, a time or a Latin word.
SHORT_DIGITS = re.compile(r"(?<![\w.,:/%+-])\d{1,2}(?![\w.,:/%+-])", re.ASCII)


def vertical_document(content: bytes) -> bytes:
    """An XHTML document (as the EPUB's templates render it) with its short digit runs marked upright."""
    document = html.document_fromstring(content, parser=html.HTMLParser(encoding="utf-8"))
    upright_digits(document.body)
    return html.tostring(document, encoding="utf-8")


def upright_digits(root: HtmlElement) -> None:
    """Each short digit run in `root`'s text blocks in a `span.upright`. The quarter em marked
    between Han and Latin (`span.autospace`) goes beside such a run: upright, it is set as one Han
    character is."""
    for block in text_blocks(root):
        segments = list(block_segments(block))
        text = "".join(getattr(el, attr) for el, attr in segments)
        runs = [(m.start(), m.end()) for m in SHORT_DIGITS.finditer(text)]
        if runs:
            mark_runs(segments, runs, UPRIGHT_CLASS)
    for span in list(root.iter("span")):
        if span.get("class") == AUTOSPACE_CLASS and _beside_upright(span):
            span.drop_tree()


def _beside_upright(space: HtmlElement) -> bool:
    """Whether an (empty) autospace span touches an upright run, with no text between them."""
    after, before = space.getnext(), space.getprevious()
    return bool((not space.tail and after is not None and after.get("class") == UPRIGHT_CLASS)
                or (before is not None and not before.tail and before.get("class") == UPRIGHT_CLASS))
