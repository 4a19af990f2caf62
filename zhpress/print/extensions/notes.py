"""Footnote numbers ①②③ restarting on every page: the mainland convention for print.

Which page a note lands on is known only after layout, and a second layout would double
the build time. The book is laid out once with a cyclic circled counter, so every call and
marker already holds one circled digit, all of one advance width; this module then
rewrites the digits page by page before the PDF is drawn. Drawing re-shapes each text
box from its Pango layout's text, so that text is what changes (and `box.text`, which
drawing uses to skip blank boxes).

WeasyPrint 70.0 also moves notes already placed on a page to the next one to make room
for a paragraph's first lines (orphans), leaving their reference marks behind; `install()`
stops that. Both reach into WeasyPrint's internals, pinned by `weasy.require_version`.

How it stops it matters. An earlier version set `orphans` to 0 while lines were laid out,
so that WeasyPrint never needed the room. WeasyPrint's `_break_line` assumes orphans of
at least 1: when `widows` then pushed every line of a two-line paragraph to the next page,
it resumed after the lines it had pushed, and the paragraph's first line was never printed
(the default book lost one that way). `orphans` and `widows` now stay as the stylesheet
sets them; only WeasyPrint's decision to move the page's notes is taken out. A paragraph
whose first lines would need that room moves to the next page whole, as orphans asks.
"""

from __future__ import annotations

import ast
import copy
import inspect
import logging
import re
import textwrap
import types
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import block

from . import require_version

log = logging.getLogger(__name__)

SYMBOLS = tuple(chr(c) for c in range(0x2460, 0x2474))  # ① to ⑳: the layout's cyclic set
CIRCLED = re.compile("[\u2460-\u2473]")


_original_linebox_layout = block._linebox_layout
# The one statement of `_linebox_layout` our version changes: whether to move the page's
# notes to the next page so that the overflowing line fits (`report = not in_column and …`).
NOTE_REPORT_DECISION = "report"


def install() -> None:
    """Keep every note on the page of its reference mark; idempotent.

    `_linebox_layout` reports the page's earlier notes to the next page when a line that
    overflows cannot be left behind because of `orphans`. Our version never does: the line
    (with its paragraph's earlier lines, as orphans asks) goes to the next page instead.
    With `footnote-policy: line` (print.css), a line whose own note does not fit moves to
    the next page with its note.
    """
    require_version()
    block._linebox_layout = _linebox_layout_keeping_notes()


@lru_cache(maxsize=1)
def _linebox_layout_keeping_notes() -> Callable[..., Any]:
    """WeasyPrint's own `_linebox_layout`, compiled from its installed source with the note
    report decision set to False: every other statement is WeasyPrint's, at its own line
    numbers, so tracebacks and profiles still point into WeasyPrint's file."""
    source = inspect.getsource(_original_linebox_layout)
    tree = ast.parse(textwrap.dedent(source))
    ast.increment_lineno(tree, _original_linebox_layout.__code__.co_firstlineno - 1)
    decisions = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == [NOTE_REPORT_DECISION]
    ]
    if len(decisions) != 1:
        raise RuntimeError(f"WeasyPrint's _linebox_layout has {len(decisions)} '{NOTE_REPORT_DECISION} =' "
                           "statements, not one: zhpress.pdf_notes no longer fits this WeasyPrint")
    decisions[0].value = ast.copy_location(ast.Constant(False), decisions[0].value)
    module = compile(tree, inspect.getsourcefile(_original_linebox_layout) or "<weasyprint>", "exec")
    code = next(c for c in module.co_consts if isinstance(c, types.CodeType) and c.co_name == "_linebox_layout")
    return types.FunctionType(code, vars(block), code.co_name, _original_linebox_layout.__defaults__)


def _walk(box: Any) -> Iterator[Any]:
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _walk(child)


def _set_symbol(box: Any, symbol: str) -> None:
    for text_box in _walk(box):
        if isinstance(text_box, boxes.TextBox) and CIRCLED.search(text_box.text):
            text_box.text = CIRCLED.sub(symbol, text_box.text, count=1)
            layout = copy.copy(text_box.pango_layout)  # layouts may be shared between boxes
            layout.text = CIRCLED.sub(symbol, layout.text, count=1)
            text_box.pango_layout = layout


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
        for box in _walk(page._page_box):
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
