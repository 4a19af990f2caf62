"""A transformed chapter's blocks as alignment sees them: kind, length, footnote calls and the
file line each starts on."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ..model import Chapter, inside_note, is_note
from .align import Block

KINDS = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "p": "paragraph", "figure": "figure", "blockquote": "quotation", "ul": "list", "ol": "list", "dl": "list",
    "table": "table", "pre": "code", "aside": "callout", "hr": "rule",
}
# A paragraph the translator wrote about the text (译注：…, （译者按）…), not a translation of it.
TRANSLATORS_NOTE = re.compile(r"^\W{0,2}译(者)?(注|按)")


def chapter_blocks(chapter: Chapter) -> list[Block]:
    """The top-level blocks of `chapter`'s body, each with the line it is written on: found in
    the Markdown in order, each after the one before."""
    blocks, at, start = [], 0, 0
    for element in chapter.body:
        text = block_text(element)
        found = _written_at(chapter, element, text, start)
        if found is not None:  # else: at the line of the block before
            at, start = found, found + 1
        line = chapter.line_offset + chapter.markdown.count("\n", 0, at) + 1
        kind = block_kind(element)
        notes = sum(1 for span in element.iter("span") if is_note(span) and not inside_note(span))
        blocks.append(Block(kind, len(re.sub(r"\s", "", text)), line, notes,
                            kind == "paragraph" and TRANSLATORS_NOTE.match(text) is not None))
    return blocks


def block_kind(element: HtmlElement) -> str:
    if element.tag == "div" and element.find(".//table") is not None:
        return "table"
    return KINDS.get(element.tag, "paragraph")


def block_text(element: HtmlElement) -> str:
    """A block's own text: its notes, which are the foot's, left out."""
    pieces = [element.text or ""]
    for child in element:
        if not is_note(child):
            pieces.append(block_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _written_at(chapter: Chapter, element: HtmlElement, text: str, start: int) -> int | None:
    """Where the block is written in the Markdown, from `start` on: a figure by its picture's
    source, any other block by its text (a short one, 「集市」, as it is written)."""
    if element.tag == "figure":
        figure = next((f for f in chapter.figures if f.id == element.get("id")), None)
        needle = figure.original_src if figure else ""
    else:
        found = chapter.offset_of_printed(text, start)
        if found is not None:
            return found
        needle = text.strip()
    at = chapter.markdown.find(needle, start) if needle else -1
    return at if at >= 0 else None
