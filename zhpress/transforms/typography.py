"""Chinese typography done once, for both books, without adding a character to the text.

What typography adds is markup: `span.halt` around a mark set half width, an empty
`span.autospace` where a quarter em goes between Han and Latin, `span.dash-bind` around a
dash and the character before it. Each output sets these its own way (print as characters,
the EPUB as style), so the text a reader searches and copies is the text the translator wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement
from lxml.html.builder import E

from ..cjk import CLOSING_MARKS, HAN, OPENING_MARKS
from ..model import Chapter, is_note
from .setting import Setting

# Elements whose text is a sequence of its own: quotes never pair across them.
TEXT_BLOCKS = {
    "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "caption", "blockquote",
}
# Text left as written: code, URLs, English credits.
VERBATIM = {"code", "pre", "kbd"}
APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z])")
# Full-width marks whose glyph sits in the left half (closing, pause, stop) or right half (opening).
# The mark whose blank half goes: a closing mark before any mark, an opening mark after one.
HALF_SET_MARK = re.compile(
    f"[{re.escape(CLOSING_MARKS)}](?=[{re.escape(CLOSING_MARKS + OPENING_MARKS)}])"
    f"|(?<=[{re.escape(OPENING_MARKS)}])[{re.escape(OPENING_MARKS)}]"
)
DASH = "—"
# Where a quarter em goes: between a Han character and a Latin letter or digit, either way round.
HAN_LATIN_BOUNDARY = re.compile(f"(?<={HAN.pattern})(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?={HAN.pattern})")
# A run of dashes with the character before it, which no line break may separate (禁则).
BOUND_DASH = re.compile(f"[^\\s{DASH}]{DASH}+")
AUTOSPACE_CLASS = "autospace"
DASH_BIND_CLASS = "dash-bind"
HALT_CLASS = "halt"

Segment = tuple[HtmlElement, str]  # an element and "text" or "tail"


def chinese_quotes(chapter: Chapter, setting: Setting) -> Chapter:
    """ASCII double quotes become the edition's pair (“ ” in the main edition), paired within
    each paragraph (pandoc's pairing mistakes a quote after a Han character for a closing one)."""
    for block in text_blocks(chapter.body):
        state = [False]
        for el, attr in block_segments(block):
            setattr(el, attr, _pair_quotes(getattr(el, attr), state, setting.edition.quotes))
    return chapter


def compress_punctuation(chapter: Chapter, setting: Setting) -> Chapter:
    """标点挤压: where two full-width marks meet, the blank half of one is removed (the
    `halt` OpenType feature on `span.halt`), so no pair shows a full em of empty space.
    A mark the edition's faces centre in the em box (Taiwan's ，。) has no blank half: it
    keeps its full width."""
    centred = setting.edition.centred_marks
    for block in text_blocks(chapter.body):
        segments = list(block_segments(block))
        text = "".join(getattr(el, attr) for el, attr in segments)
        halves = [(m.start(), m.end()) for m in HALF_SET_MARK.finditer(text) if m.group() not in centred]
        if halves:
            mark_runs(segments, halves, HALT_CLASS)
    return chapter


def space_han_latin(chapter: Chapter) -> Chapter:
    """A quarter em between Han characters and Latin letters or digits (a book.yaml setting),
    marked by an empty span; a boundary between segments goes at the start of the later one:
    after a note's call."""
    for block in text_blocks(chapter.body):
        segments = list(block_segments(block))
        text = "".join(getattr(el, attr) for el, attr in segments)
        places = [(m.start(), m.start()) for m in HAN_LATIN_BOUNDARY.finditer(text)]
        if places:
            mark_runs(segments, places, AUTOSPACE_CLASS)
    return chapter


def bind_dashes(chapter: Chapter) -> Chapter:
    """A —— may not start a line (禁则), and line breakers allow it: the dashes and the
    character before them are marked as one unbreakable run."""
    for block in text_blocks(chapter.body):
        for segment in list(block_segments(block)):
            el, attr = segment
            runs = [(m.start(), m.end()) for m in BOUND_DASH.finditer(getattr(el, attr))]
            if runs:
                mark_runs([segment], runs, DASH_BIND_CLASS)
    return chapter


def mark_runs(segments: list[Segment], runs: list[tuple[int, int]], css_class: str) -> None:
    """Put each run of characters (start and end offsets into the segments' joined text,
    within one segment) in a span of `css_class`; an empty run leaves an empty span there."""
    offset = 0
    for el, attr in segments:
        text = getattr(el, attr)
        inside = sorted((a - offset, b - offset) for a, b in runs if offset <= a < offset + len(text))
        offset += len(text)
        if not inside:
            continue
        setattr(el, attr, text[: inside[0][0]])
        parent, index = (el, 0) if attr == "text" else (el.getparent(), el.getparent().index(el) + 1)
        for n, (start, end) in enumerate(inside):
            span = E.span({"class": css_class})
            span.text = text[start:end] or None
            span.tail = text[end : inside[n + 1][0] if n + 1 < len(inside) else len(text)]
            parent.insert(index + n, span)


def _pair_quotes(text: str, is_open: list[bool], quotes: tuple[str, str]) -> str:
    """Alternate opening and closing double quotes; `is_open` carries across a block's segments.

    Single quotes are left alone but for apostrophes (don't): an English possessive
    (students') cannot be told from a closing quote.
    """
    text = APOSTROPHE.sub("’", text)
    if '"' not in text:
        return text
    out = []
    for ch in text:
        if ch == '"':
            out.append(quotes[1] if is_open[0] else quotes[0])
            is_open[0] = not is_open[0]
        else:
            out.append(ch)
    return "".join(out)


def text_blocks(root: HtmlElement) -> Iterator[HtmlElement]:
    """Every text block, and every note, since a note is read apart from its paragraph."""
    for el in root.iter():
        if el.tag in TEXT_BLOCKS or is_note(el):
            yield el


def block_segments(block: HtmlElement) -> Iterator[Segment]:
    """The block's own text in reading order, not entering nested blocks, notes or code."""
    if block.text:
        yield block, "text"
    for child in block:
        if not isinstance(child.tag, str):
            continue
        own = child.tag in TEXT_BLOCKS or is_note(child) or child.tag in VERBATIM or child.get("lang") == "en"
        if not own:
            yield from block_segments(child)
        if child.tail:
            yield child, "tail"
