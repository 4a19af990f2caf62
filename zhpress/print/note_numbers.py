"""Footnote numbers ①②③ restarting on every page: the mainland convention for print.

Which page a note lands on is known only after layout, and a second layout would double
the build time. The book is laid out once with a cyclic circled counter, so every call and
marker already holds one circled digit, all of one advance width; this module then
rewrites the digits page by page before the PDF is drawn. Drawing re-shapes each text
box from its Pango layout's text, so that text is what changes (and `box.text`, which
drawing uses to skip blank boxes).
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from weasyprint.formatting_structure import boxes

log = logging.getLogger(__name__)

SYMBOLS = tuple(chr(c) for c in range(0x2460, 0x2474))  # ① to ⑳: the layout's cyclic set
CIRCLED = re.compile("[\u2460-\u2473]")


def walk(box: Any) -> Iterator[Any]:
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from walk(child)


def _set_symbol(box: Any, symbol: str) -> None:
    for text_box in walk(box):
        if isinstance(text_box, boxes.TextBox) and CIRCLED.search(text_box.text):
            retext(text_box, lambda text: CIRCLED.sub(symbol, text, count=1))


def retext(text_box: Any, change: Callable[[str], str]) -> None:
    """Change a laid-out text box's text (to text of about the same width): drawing shapes
    the box again from its Pango layout's text, and skips boxes whose `text` is blank."""
    layout = copy.copy(text_box.pango_layout)  # layouts may be shared between boxes
    layout.text = change(layout.text)
    text_box.text, text_box.pango_layout = change(text_box.text), layout


def renumber_per_page(document: Any) -> list[list[str]]:
    """Number each page's calls and notes from ①; returns the symbols used, page by page.

    A note WeasyPrint carried to the page after its call keeps its call's number, and a
    page with more than twenty notes is reported: both would mislead a reader.
    """
    used: list[list[str]] = []
    symbol_of: dict[Any, str] = {}
    for page_number, page in enumerate(document.pages, start=1):
        order: dict[Any, int] = {}
        markers: dict[Any, Any] = {}
        for box in walk(page._page_box):
            tag = box.element_tag or ""
            if tag.endswith("::footnote-call"):
                index = order.setdefault(box.element, len(order))
                symbol_of[box.element] = SYMBOLS[index % len(SYMBOLS)]
                _set_symbol(box, symbol_of[box.element])
            elif tag.endswith("::footnote-marker"):
                markers.setdefault(box.element, box)
        for marker in markers.values():
            if marker.element not in order:
                log.warning("page %d: a note was carried over from the page of its reference mark", page_number)
            if marker.element in symbol_of:
                _set_symbol(marker, symbol_of[marker.element])
        if len(order) > len(SYMBOLS):
            log.warning("page %d has %d notes; circled numbers stop at ⑳", page_number, len(order))
        used.append([symbol_of[e] for e in order])
    return used
