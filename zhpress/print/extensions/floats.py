"""Figures that float down past a paragraph, so that no page stops short for one.

WeasyPrint 70.0 keeps a figure (`break-inside: avoid`) whole: when it does not fit below the
text, it starts the next page and the page before stops short, often by a third. Book
typesetting lets such a figure float below the next paragraph, as LaTeX's floats do, so the
text fills the page and the figure heads the next one.

`remake_page` is wrapped, not changed: after WeasyPrint lays out a page, if the next page
would open with a figure of the chapter body while this page has room for the first lines of
the paragraph after it (its `orphans`), the figure and that paragraph trade places in the box
tree and the page is laid out again from the same starting state, WeasyPrint's own
(`page_maker`). Only a paragraph that ends within the first half of the next page is floated
past, so the figure lands on the page it would have opened, below at most that half (on the
smallest trims, a page later when the figure is taller than the other half); a figure floats
during the layout of one page only, never again further on. It
floats past paragraphs only: never past a heading, a table or any other block, never out of
its chapter, and never past a paragraph that links to it. Every move is recorded in
`Floats.moved`, and the print proof reads the text in the order the moves give: each caption
and credit once, where it landed, and the text around it in order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from weasyprint.layout import page as page_layout
from weasyprint.text.line_break import strut

from . import Patch

# The paragraphs a figure may float past: each costs one more layout of the page, and a
# page holds fewer lines than this.
MAX_PARAGRAPHS = 60
# The share of the next page the rest of a paragraph the figure floats past may take: the
# rest of that page is left for the figure (95 mm at most, print/sizes.py) and its caption.
NEXT_PAGE_SHARE = 1 / 2
# Where figures float: the chapter's body (not a quotation, a callout or a table cell).
FLOAT_CONTAINER_CLASS = "chapter-body"

Element = Any  # the element of WeasyPrint's parsed HTML


@dataclass
class Floats:
    """The figures moved while one document was laid out: (figure, the element it now follows),
    in the order the moves were made."""

    moved: list[tuple[Element, Element]] = field(default_factory=list)
    times: Counter = field(default_factory=Counter)  # how often each figure has moved
    page_of: dict[Element, int] = field(default_factory=dict)  # the page each floated on


def patches(floats: Floats) -> list[Patch]:
    original = page_layout.remake_page

    def remake_page(index: int, context: Any, root_box: Any, html: Any) -> tuple[Any, Any]:
        before = _Start.of(context)
        page, resume_at = original(index, context, root_box, html)
        while (move := _float_to_fill(page, resume_at, root_box, context, floats, index)) is not None:
            container, at = move
            children = container.children
            children[at], children[at + 1] = children[at + 1], children[at]
            figure = children[at + 1].element
            floats.moved.append((figure, children[at].element))
            floats.times[figure] += 1
            floats.page_of[figure] = index
            before.restore(context, index)
            page, resume_at = original(index, context, root_box, html)
        return page, resume_at

    return [Patch(page_layout, "remake_page", remake_page)]


@dataclass
class _Start:
    """What laying out a page changes in WeasyPrint's context and reads back when it lays the
    page out again: the notes waiting for a page, those carried over from the page before,
    boxes broken across pages, and the page's own records of anchors and running elements."""

    footnotes: list
    reported_footnotes: list
    broken_out_of_flow: dict

    @classmethod
    def of(cls, context: Any) -> _Start:
        return cls(list(context.footnotes), list(context.reported_footnotes), dict(context.broken_out_of_flow))

    def restore(self, context: Any, index: int) -> None:
        context.footnotes = list(self.footnotes)
        context.reported_footnotes = list(self.reported_footnotes)
        context.broken_out_of_flow = dict(self.broken_out_of_flow)
        remake_state = context.page_maker[index][-1]
        remake_state["anchors"] = []
        remake_state["content_lookups"] = []
        for pages in context.running_elements.values():
            pages.pop(index + 1, None)


def _float_to_fill(page: Any, resume_at: dict | None, root_box: Any, context: Any, floats: Floats,
                   index: int) -> tuple[Any, int] | None:
    """The container and index of a figure that opens the next page and may trade places
    with the paragraph after it, because this page has room for that paragraph's first lines
    and the paragraph ends early on the next page. A figure floats on one page only: the one
    before the page it would have opened."""
    start = _next_start(root_box, resume_at)
    if start is None:
        return None
    container, at = start
    if FLOAT_CONTAINER_CLASS not in (container.element.get("class") or "").split():
        return None
    children = container.children
    if at + 1 >= len(children) or children[at].element_tag != "figure":
        return None
    figure, paragraph = children[at], children[at + 1]
    if paragraph.element_tag != "p" or floats.times[figure.element] >= MAX_PARAGRAPHS:
        return None
    if floats.page_of.get(figure.element, index) != index:
        return None
    if _links_to(paragraph.element, figure.element.get("id")):
        return None
    fragment = _fragment(page, container)
    if fragment is None:
        return None
    last = fragment.children[-1]  # context.page_bottom: the text block's foot, above the page's notes
    room = context.page_bottom - (last.position_y + last.margin_height())
    line_height, _ = strut(paragraph.style)
    if room < paragraph.style["orphans"] * line_height:  # the lines a paragraph must start a page with
        return None
    # The paragraph must end early on the next page, or the figure would land further on. Its
    # length is overestimated (a full em a character, its notes' text counted in, a line more
    # for each forced break), never under.
    characters = len("".join(paragraph.element.itertext()))
    breaks = sum(1 for _ in paragraph.element.iter("br"))
    lines = ceil(characters * paragraph.style["font_size"] / fragment.width) + breaks
    return (container, at) if lines * line_height <= room + NEXT_PAGE_SHARE * page.height else None


def _next_start(root_box: Any, resume_at: dict | None) -> tuple[Any, int] | None:
    """The box whose child `resume_at` starts the next page with, and that child's index,
    when the page starts with a whole child (not the rest of one broken across pages, nor
    inside a table row, whose cells each resume where they broke)."""
    box, skip = root_box, resume_at
    while skip:
        if len(skip) != 1:
            return None
        ((index, skip),) = skip.items()
        if skip is None:
            return box, index
        if index >= len(box.children):
            return None
        box = box.children[index]
    return None


def _links_to(element: Element, figure_id: str | None) -> bool:
    return figure_id is not None and any(a.get("href") == f"#{figure_id}" for a in element.iter("a"))


def _fragment(page: Any, container: Any) -> Any | None:
    """The part of `container` laid out on `page`, if it holds any block."""
    stack = [page]
    while stack:
        box = stack.pop()
        if box.element is container.element and box.element_tag == container.element_tag and box.children:
            return box
        stack.extend(getattr(box, "children", ()))
    return None
