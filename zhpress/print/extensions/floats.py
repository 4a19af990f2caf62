"""Figures that float down past a paragraph, so that no page stops short for one.

WeasyPrint 70.0 keeps a figure (`break-inside: avoid`) whole: when it does not fit below the
text, it starts the next page and the page before stops short, often by a third. Book
typesetting lets such a figure float below the next paragraph, as LaTeX's floats do, so the
text fills the page and the figure heads the next one.

`remake_page` is wrapped, not changed: after WeasyPrint lays out a page, if the next page
would open with a figure of the chapter body while this page has room for at least two
lines of the paragraph after it, the figure and that paragraph trade places in the box tree
and the page is laid out again from the same starting state, WeasyPrint's own
(`page_maker`). The figure still opens the next page, or follows the rest of a paragraph
there: it lands on the page it would have started, while the text fills the page before. It
floats past paragraphs only: never past a heading, a table or any other block, never out of
its chapter, and never past a paragraph that links to it. Every move is recorded in `Floats.moved`, and the print proof
reads the text in the order the moves give: each caption and credit once, where it landed,
and the text around it in order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from weasyprint.layout import page as page_layout
from weasyprint.text.line_break import strut

from . import Patch

# The paragraphs a figure may float past: each costs one more layout of the page, and a
# page holds fewer lines than this.
MAX_PARAGRAPHS = 60
# Where figures float: the chapter's body (not a quotation, a callout or a table cell).
FLOAT_CONTAINER_CLASS = "chapter-body"

Element = Any  # the element of WeasyPrint's parsed HTML


@dataclass
class Floats:
    """The figures moved while one document was laid out: (figure, the element it now follows),
    in the order the moves were made."""

    moved: list[tuple[Element, Element]] = field(default_factory=list)
    times: Counter = field(default_factory=Counter)  # how often each figure has moved


def patches(floats: Floats) -> list[Patch]:
    original = page_layout.remake_page

    def remake_page(index: int, context: Any, root_box: Any, html: Any) -> tuple[Any, Any]:
        before = _Start.of(context, index)
        page, resume_at = original(index, context, root_box, html)
        while (move := _float_to_fill(page, resume_at, root_box, context, floats)) is not None:
            container, at = move
            children = container.children
            children[at], children[at + 1] = children[at + 1], children[at]
            floats.moved.append((children[at + 1].element, children[at].element))
            floats.times[children[at + 1].element] += 1
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
    def of(cls, context: Any, index: int) -> _Start:
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


def _float_to_fill(page: Any, resume_at: dict | None, root_box: Any, context: Any,
                   floats: Floats) -> tuple[Any, int] | None:
    """The container and index of a figure that opens the next page and may trade places
    with the paragraph after it, because this page has room for that paragraph's first lines."""
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
    if _links_to(paragraph.element, figure.element.get("id")):
        return None
    line_height, _ = strut(paragraph.style)
    needed = paragraph.style["orphans"] * line_height  # the lines a paragraph must start a page with
    return (container, at) if _room_left(page, container, context) >= needed else None


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


def _room_left(page: Any, container: Any, context: Any) -> float:
    """The height left on the laid-out `page` below the container's last block, above the
    notes: `context.page_bottom` is the text block's foot less the page's note area."""
    stack = [page]
    while stack:
        box = stack.pop()
        if box.element is container.element and box.element_tag == container.element_tag and box.children:
            last = box.children[-1]
            return context.page_bottom - (last.position_y + last.margin_height())
        stack.extend(getattr(box, "children", ()))
    return 0.0
