"""Chinese typography done on the text itself, once, for both books."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement
from lxml.html.builder import E

from ..manuscript import HAN
from ..model import Chapter, is_note

# Elements whose text is a sequence of its own: quotes never pair across them.
TEXT_BLOCKS = {
    "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "caption", "blockquote",
}
# Text left as written: code, URLs, English credits.
VERBATIM = {"code", "pre", "kbd"}
APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z])")
# Full-width marks whose glyph sits in the left half (closing, pause, stop) or right half (opening).
CLOSING_MARKS = "，。、；：！？）》」』】〕〉”’"
OPENING_MARKS = "（《「『【〔〈“‘"
# The mark whose blank half goes: a closing mark before any mark, an opening mark after one.
HALF_SET_MARK = re.compile(
    f"[{re.escape(CLOSING_MARKS)}](?=[{re.escape(CLOSING_MARKS + OPENING_MARKS)}])"
    f"|(?<=[{re.escape(OPENING_MARKS)}])[{re.escape(OPENING_MARKS)}]"
)
DASH = "—"
WORD_JOINER = "\u2060"
# A quarter em (U+2005) between Han and Latin letters or digits, held by word joiners so a
# line never starts or ends with it.
HAN_LATIN_SPACE = WORD_JOINER + "\u2005" + WORD_JOINER
HAN_LATIN_BOUNDARY = re.compile(f"(?<={HAN.pattern})(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?={HAN.pattern})")

Segment = tuple[HtmlElement, str]  # an element and "text" or "tail"


def chinese_quotes(chapter: Chapter) -> Chapter:
    """ASCII double quotes become “ ”, paired within each paragraph (pandoc's pairing
    mistakes a quote after a Han character for a closing one)."""
    for block in _blocks(chapter.body):
        state = [False]
        for el, attr in _segments(block):
            setattr(el, attr, _pair_quotes(getattr(el, attr), state))
    return chapter


def compress_punctuation(chapter: Chapter) -> Chapter:
    """标点挤压: where two full-width marks meet, the blank half of one is removed (the
    `halt` OpenType feature on `span.halt`), so no pair shows a full em of empty space."""
    for block in _blocks(chapter.body):
        segments = list(_segments(block))
        text = "".join(getattr(el, attr) for el, attr in segments)
        halves = {m.start() for m in HALF_SET_MARK.finditer(text)}
        if halves:
            _wrap_characters(segments, halves, "halt")
    return chapter


def space_han_latin(chapter: Chapter) -> Chapter:
    """A quarter em between Han characters and Latin letters or digits (a book.yaml setting)."""
    for block in _blocks(chapter.body):
        segments = list(_segments(block))
        text = "".join(getattr(el, attr) for el, attr in segments)
        positions = [m.start() for m in HAN_LATIN_BOUNDARY.finditer(text)]
        offset = 0
        for el, attr in segments:
            own = getattr(el, attr)
            # A boundary between segments goes at the start of the later one: after a note's call.
            cuts = [p - offset for p in positions if offset <= p < offset + len(own)]
            if cuts:
                pieces = [own[a:b] for a, b in zip([0, *cuts], [*cuts, len(own)], strict=True)]
                setattr(el, attr, HAN_LATIN_SPACE.join(pieces))
            offset += len(own)
    return chapter


def bind_dashes(chapter: Chapter) -> Chapter:
    """A —— may not start a line (禁则); line breakers allow it, a word joiner forbids it."""
    for block in _blocks(chapter.body):
        for el, attr in _segments(block):
            text = getattr(el, attr)
            if DASH in text:
                setattr(el, attr, re.sub(f"(?<=[^\\s{DASH}{WORD_JOINER}])(?={DASH})", WORD_JOINER, text))
    return chapter


def _wrap_characters(segments: list[Segment], positions: set[int], css_class: str) -> None:
    """Put each character at `positions` (offsets into the segments' joined text) in a span."""
    offset = 0
    for el, attr in segments:
        text = getattr(el, attr)
        inside = sorted(p - offset for p in positions if offset <= p < offset + len(text))
        offset += len(text)
        if not inside:
            continue
        pieces = []
        start = 0
        for p in inside:
            pieces.append((text[start:p], text[p]))
            start = p + 1
        setattr(el, attr, pieces[0][0])
        parent, index = (el, 0) if attr == "text" else (el.getparent(), el.getparent().index(el) + 1)
        for n, (_, char) in enumerate(pieces):
            span = E.span(char, {"class": css_class})
            span.tail = pieces[n + 1][0] if n + 1 < len(pieces) else text[start:]
            parent.insert(index + n, span)


def _pair_quotes(text: str, is_open: list[bool]) -> str:
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
            out.append("”" if is_open[0] else "“")
            is_open[0] = not is_open[0]
        else:
            out.append(ch)
    return "".join(out)


def _blocks(root: HtmlElement) -> Iterator[HtmlElement]:
    """Every text block, and every note, since a note is read apart from its paragraph."""
    for el in root.iter():
        if el.tag in TEXT_BLOCKS or is_note(el):
            yield el


def _segments(block: HtmlElement) -> Iterator[Segment]:
    """The block's own text in reading order, not entering nested blocks, notes or code."""
    if block.text:
        yield block, "text"
    for child in block:
        if not isinstance(child.tag, str):
            continue
        own = child.tag in TEXT_BLOCKS or is_note(child) or child.tag in VERBATIM or child.get("lang") == "en"
        if not own:
            yield from _segments(child)
        if child.tail:
            yield child, "tail"
