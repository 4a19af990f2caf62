"""The built PDF read back against the manuscript: `check`'s proof, from the file alone.

The build proves its layout before writing (print_proof.py); this reads a PDF already on
disk, one an older version built or a hand edited, and finds every block of the book's
body matter (chapters, picture credits) and every note in the text extracted from it.

Each page's characters are read in the order they were drawn: the body, then the notes
under it, then the running head and folio, which sit in the head and foot margins and are
left out. The notes a page ends with are matched against the book's notes, in order, and
taken off; what remains, page after page, is the body text, where each block's text must
be found, in order. Text the layout adds (note calls, page references, a table's header
row repeated at the top of the pages it runs on to) may stand between blocks, never inside
one; more than a little of it between two blocks is text the manuscript does not have.
A figure may float below the paragraphs after it (print/extensions/floats.py): its blocks are
looked for within a page or two of their place, and taken out of the text where found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html

from ..model import NOTE_CLASS, Book
from ..print.html import render_print_html
from ..print.sizes import FOOT_MARGIN_MM, HEAD_MARGIN_MM
from ..proof import finding, snippet, squash, text_pieces

MM = 72 / 25.4
# Characters the PDF's text layer gives back other than the book holds them, left out on both
# sides: note numbers ①–㊿ (the layout's, per page); quotation marks (CSS sets them around
# <q>, and the book's text has none there); right-to-left letters and bidi controls (the text
# layer holds them in visual order, the book in logical order).
NOTE_NUMBERS = "\u2460-\u2473\u3251-\u325f\u32b1-\u32bf"
QUOTES = "\"'“”‘’„‚«»‹›「」『』"
RIGHT_TO_LEFT = ("\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
                 "\u200e\u200f\u202a-\u202e\u2066-\u2069")
NOT_COMPARED = re.compile(f"[{NOTE_NUMBERS}{QUOTES}{RIGHT_TO_LEFT}]")
# Elements whose text stands apart from what surrounds it: each is a block of its own.
BLOCKS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption", "caption",
    "blockquote", "div", "section", "header", "figure", "pre", "ol", "ul", "dl", "table", "tr",
    "thead", "tbody", "tfoot", "main", "nav", "hr",
}
# Labels the templates print (原题, 作者 …): floated beside their values, so drawn out of order.
GENERATED = {"dt"}
# Between two blocks the layout may add a little text of its own; a block found further on
# than this is taken for a lost one that happens to recur later.
MAX_GAP = 1500
# How far past its place a floated figure's caption may be found: more than the text of the
# largest page, since a figure lands at most on the page after the one it would have opened.
FLOAT_REACH = 4000
# Text between two blocks found one after the other that is longer than this is not the
# layout's (a note call, a page reference) but text the manuscript does not have.
MAX_UNMATCHED = 40
MAX_NOTES_PER_PAGE = 40
# Numbered by chapter, notes past the 50 symbols of print.css's `circled` counter style
# (①–㊿) fall back to decimal numbers, at the call and before the note.
CIRCLED_NOTE_NUMBERS = 50
MAX_LOST_IN_A_ROW = 3


@dataclass(frozen=True)
class Block:
    """A block's own text as printed, and where it was written."""

    text: str
    path: Path
    line: int | None
    floats: bool = False  # part of a figure, which the layout may move below the next paragraphs


@dataclass
class PrintedText:
    """What `check` reads off a built PDF."""

    pages: int = 0
    body: str = ""  # the body matter's text, notes taken out
    front: str = ""  # the front matter's text
    findings: list[str] = field(default_factory=list)


def pdf_text_findings(book: Book, pdf: Path) -> PrintedText:
    """Every block and note of the book's body matter that the PDF at `pdf` lacks."""
    blocks, notes, headers = _expected(book, pdf)
    printed = PrintedText()
    pages = _pages(pdf)
    printed.pages = len(pages)
    body_pages = [(label, text) for label, text in pages if label]  # folios: the body matter
    printed.front = "".join(text for label, text in pages if not label)
    parts = []
    cursor = 0
    printed_headers: set[str] = set()
    for label, text in body_pages:
        text, found, lost = _without_notes(text, notes, cursor)
        printed.findings += [_lost(notes[i], "note", label) for i in lost]
        cursor = found
        text = _without_repeated_header(text, printed_headers)
        printed_headers |= {h for h in headers if h in text}
        parts.append((label, text))
    printed.findings += [_lost(note, "note", body_pages[-1][0] if body_pages else "") for note in notes[cursor:]]
    printed.body = "".join(text for _, text in parts)
    printed.findings += _missing_blocks(blocks, parts)
    return printed


def _expected(book: Book, pdf: Path) -> tuple[list[Block], list[Block], set[str]]:
    """The body matter's blocks and notes, and its tables' header rows, from the print HTML
    the book renders to."""
    root = lxml.html.document_fromstring(render_print_html(book, pdf))
    if book.config.note_numbering == "chapter":
        _write_decimal_labels(root)
    chapters = {c.id: c for c in book.chapters}
    blocks: list[Block] = []
    notes: list[Block] = []
    for main in root.iter("main"):
        for element in main.iter():
            if not isinstance(element.tag, str):
                continue
            section = next((a for a in element.iterancestors("section") if a.get("id") in chapters), None)
            chapter = chapters.get(section.get("id")) if section is not None else None
            if _is_outer_note(element):
                _add(notes, comparable("".join(element.itertext())), chapter, book)
            elif element.tag in BLOCKS - GENERATED and not any(_is_note(a) for a in element.iterancestors()):
                own = "".join(text_pieces(element, lambda el, top=element: el is not top and _stands_apart(el)))
                in_figure = element.tag == "figure" or any(a.tag == "figure" for a in element.iterancestors())
                _add(blocks, comparable(own), chapter, book, floats=in_figure)
    headers = {comparable("".join(head.itertext())) for head in root.iter("thead")} - {""}
    return blocks, notes, headers


def _write_decimal_labels(root: Any) -> None:
    """Write into `root` the decimal numbers the layout prints for notes past ㊿ (each
    chapter counts its own), at each such note's call and before its text: unlike circled
    numbers, digits cannot be left out of the comparison, since the book's text has them."""
    for chapter in root.find_class("chapter"):
        notes = [n for n in chapter.iter() if _is_outer_note(n)]
        for number, note in enumerate(notes[CIRCLED_NOTE_NUMBERS:], start=CIRCLED_NOTE_NUMBERS + 1):
            before = note.getprevious()
            if before is None:
                note.getparent().text = (note.getparent().text or "") + str(number)
            else:
                before.tail = (before.tail or "") + str(number)
            note.text = str(number) + (note.text or "")


def _stands_apart(el: Any) -> bool:
    return el.tag in BLOCKS or _is_note(el)


def _is_note(el: Any) -> bool:
    return NOTE_CLASS in (el.get("class") or "").split()


def _is_outer_note(el: Any) -> bool:
    """A note the layout numbers: not one inside another's text."""
    return _is_note(el) and not any(_is_note(a) for a in el.iterancestors())


def comparable(text: str) -> str:
    """`text` as compared with the PDF's: squashed, without the characters NOT_COMPARED."""
    return NOT_COMPARED.sub("", squash(text))


def _add(blocks: list[Block], text: str, chapter: Any, book: Book, floats: bool = False) -> None:
    if not text:
        return
    if chapter is None:
        blocks.append(Block(text, book.config.path, None, floats))
    else:
        blocks.append(Block(text, *chapter.where_printed(text), floats))


def _pages(pdf: Path) -> list[tuple[str, str]]:
    """Each page's folio (empty on front matter and blank pages) and its text, margins aside."""
    import pdfplumber

    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            head, foot = HEAD_MARGIN_MM * MM, page.height - FOOT_MARGIN_MM * MM
            inside = "".join(c["text"] for c in page.chars if _margin(c, head, foot) is None)
            folio = squash("".join(c["text"] for c in page.chars if _margin(c, head, foot) == "foot"))
            pages.append((f"page {folio}" if folio.isdigit() else "", comparable(inside)))
    return pages


def _margin(char: dict, head: float, foot: float) -> str | None:
    """The margin a character is printed in ("head", "foot"), or None for the text block.

    Only a character wholly in a margin is the margin's: a subscript on the page's last line
    (a note's, often) dips below the foot line, a superscript on its first line rises above
    the head line, and both are the text's.
    """
    if char["bottom"] <= head:
        return "head"
    if char["top"] >= foot:
        return "foot"
    return None


def _without_notes(text: str, notes: list[Block], cursor: int) -> tuple[str, int, list[int]]:
    """The page's text without the notes it ends with, the index of the next note, and the
    notes found lost on the way.

    The page's last note is one of the next notes the text ends with. Notes of the same text
    (「同上。」) make several such candidates, and only the right one accounts for every note
    back to `cursor`: the furthest that does is taken. When none does, notes were lost, and
    the furthest candidate names them.
    """
    window = range(min(cursor + MAX_NOTES_PER_PAGE, len(notes)) - 1, cursor - 1, -1)
    peels = [_peel(text, notes, cursor, last) for last in window if text.endswith(notes[last].text)]
    if not peels:
        return text, cursor, []
    end, last, lost = next((peel for peel in peels if not peel[2]), peels[0])
    return text[:end], last + 1, lost


def _peel(text: str, notes: list[Block], cursor: int, last: int) -> tuple[int, int, list[int]]:
    """Where the body ends if note `last` ends the page, `last`, and the notes from `cursor`
    on not found: notes keep their order, so each is taken off the end in turn, back to
    `cursor`, and one not found there is on no page. Several in a row not found mean the text
    left is the body's."""
    end, found, misses = len(text), set(), 0
    for i in range(last, cursor - 1, -1):
        if text.endswith(notes[i].text, 0, end):
            end, misses = end - len(notes[i].text), 0
            found.add(i)
        elif (misses := misses + 1) > MAX_LOST_IN_A_ROW:
            break
    return end, last, [i for i in range(cursor, last + 1) if i not in found]


def _without_repeated_header(text: str, printed_headers: set[str]) -> str:
    """The page's text without the header row it starts with when that row was printed on an
    earlier page: a table split across pages repeats its header, which the manuscript has once."""
    header = next((h for h in printed_headers if text.startswith(h)), "")
    return text[len(header):]


def _missing_blocks(blocks: list[Block], parts: list[tuple[str, str]]) -> list[str]:
    """Blocks not found in order in the body text, and long runs of text between two blocks
    found one after the other, which the manuscript does not have; each names its file, line
    and page."""
    body = "".join(text for _, text in parts)
    starts = []
    at = 0
    for label, text in parts:
        starts.append((at, label))
        at += len(text)
    findings = []
    cursor = 0
    anchored = False
    previous: int | None = None  # where the block before ends, if it was found
    for block in blocks:
        if block.floats:  # found where it landed, then taken out, so that the text closes up
            found = body.find(block.text, cursor, cursor + len(block.text) + FLOAT_REACH)
            if found < 0:
                findings.append(_lost(block, "text", _label_at(starts, cursor)))
            else:
                body = body[:found] + body[found + len(block.text):]
                starts = [(start - len(block.text) if start > found else start, label) for start, label in starts]
            continue
        end = cursor + len(block.text) + MAX_GAP if anchored else len(body)
        found = body.find(block.text, cursor, end)
        if found < 0:
            findings.append(_lost(block, "text", _label_at(starts, cursor)))
            previous = None  # the text between is the lost block's, reported
            continue
        if previous is not None and found - previous > MAX_UNMATCHED:
            findings.append(finding(block.path, block.line, "[P002] text in the PDF that the manuscript does not "
                                    f"have ({_label_at(starts, previous)}): {snippet(body[previous:found])}"))
        cursor = previous = found + len(block.text)
        anchored = True
    return findings


def _label_at(starts: list[tuple[int, str]], offset: int) -> str:
    """The folio of the page the body text's `offset` is on."""
    return next((label for start, label in reversed(starts) if start <= offset), "")


def _lost(block: Block, what: str, label: str) -> str:
    where = f" ({label})" if label else ""
    return finding(block.path, block.line, f"[P001] {what} missing from the PDF{where}: {snippet(block.text)}")
