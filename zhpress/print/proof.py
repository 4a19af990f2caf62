"""The print edition's proof: run on every build after layout and before the PDF is written.

The text of the laid-out pages, every text box of the page boxes, body and notes in reading
order, must be the text of the print HTML, character for character, and every note must be
on the page of its call. Left out are what layout adds by design: the margin boxes (running
heads, folios) and generated content (note calls and markers, contents leaders and page
numbers, labels). Any character lost, repeated or out of order stops the build, naming the
chapter file, its line and the page; the previous PDF stays as it was.

Notes are their own streams: a note's text is set at the foot of its call's page, not where
the HTML has it. So is each original beside its translation (the bilingual edition): set in
columns, a pair split across pages prints both sides' first parts before both sides' rest.
Everything else is one stream, the body, in document order, except that a figure the layout
floated past a paragraph (`extensions.floats`) is expected after it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure import boxes

from ..errors import BookError
from ..model import NOTE_CLASS, ORIGINAL_CLASS, Book, Chapter
from ..proof import ProofError, differences, finding, snippet, squash

BODY = "body"  # the stream of everything that is not in a note
FOLIO_MARGINS = ("@bottom-left", "@bottom-center", "@bottom-right")
# How far (pt) a text box may reach past the text block's edge: rounding, never a character.
EDGE_TOLERANCE = 0.5

Element = Any  # xml.etree.ElementTree.Element, as WeasyPrint parses the HTML
Stream = Any  # BODY, or the element of a note


@dataclass
class _Source:
    """The print HTML's text, piece by piece: an element's own text and its children's tails."""

    pieces: dict[Stream, list[tuple[Element, str]]] = field(default_factory=lambda: defaultdict(list))
    stream_of: dict[Element, Stream] = field(default_factory=dict)
    chapter_of: dict[Element, Chapter | None] = field(default_factory=dict)
    parent_of: dict[Element, Element] = field(default_factory=dict)
    order: list[Element] = field(default_factory=list)


@dataclass
class _Pages:
    """The laid-out text, text box by text box, with the page each is on."""

    pieces: dict[Stream, list[tuple[Element, str, int]]] = field(default_factory=lambda: defaultdict(list))
    call_page: dict[Element, int] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    past_edge: list[tuple[Element, str, int]] = field(default_factory=list)


def prove_print(document: Any, root: Element, book: Book,
                floated: Sequence[tuple[Element, Element]] = ()) -> None:
    """Raise ProofError unless the laid-out `document` holds exactly the text of `root`
    (the HTML it was laid out from), each note on the page of its call; `floated` names the
    figures the layout moved, each with the element it now follows."""
    source = _source_text(root, book)
    for figure, after in floated:
        _float(source.pieces[BODY], figure, after)
    pages = _page_text(document, source.stream_of)
    _refuse_unprintable_notes(source, pages, book)
    findings = []
    for stream in dict.fromkeys([*source.pieces, *pages.pieces]):
        expected = squash("".join(text for _, text in source.pieces.get(stream, ())))
        actual = squash("".join(text for _, text, _ in pages.pieces.get(stream, ())))
        if expected != actual:
            findings += _stream_findings(stream, source, pages, book) or [_order_finding(stream, source, pages, book)]
    findings += _note_page_findings(source, pages, book)
    findings += [
        _located(source.chapter_of.get(element), squash(text),
                 f"text runs past the edge of the page in print ({pages.labels[page]}): {snippet(squash(text))}", book)
        for element, text, page in pages.past_edge
    ]
    if findings:
        raise ProofError(findings)


def _refuse_unprintable_notes(source: _Source, pages: _Pages, book: Book) -> None:
    """A note taller than the note area of a page: WeasyPrint sets a note whole or not at all,
    and carries one that fits on no page from page to page until the book ends, so not a
    character of it is printed. That is the manuscript's to fix (shorten the note or split
    it in two), so it is a manuscript error at the note's line, not a proof finding."""
    for stream, pieces in source.pieces.items():
        text = squash("".join(text for _, text in pieces))
        if stream is BODY or NOTE_CLASS not in (stream.get("class") or "").split() or not text \
                or stream in pages.pieces:
            continue
        chapter = source.chapter_of.get(stream)
        message = (f"note too long to print: its {len(text):,} characters do not fit in the notes at the foot "
                   f"of one page, and a note is never split; shorten it or make it two notes: {snippet(text)}")
        if chapter is None:
            raise BookError(book.config.path, message)
        raise BookError(chapter.path, message, chapter.line_of_printed(text))


def _source_text(root: Element, book: Book) -> _Source:
    """Walk the HTML's body in document order, without recursion (a manuscript may nest deep)."""
    chapters = {c.id: c for c in book.chapters}
    source = _Source()
    body = root.find("body")
    source.stream_of[body], source.chapter_of[body] = BODY, None
    parent_of = source.parent_of
    stack: list[tuple[Element, bool]] = [(body, False)]
    while stack:
        element, done = stack.pop()
        if done:
            if element.tail and element is not body:
                owner = parent_of[element]
                source.pieces[source.stream_of[owner]].append((owner, element.tail))
            continue
        if isinstance(element.tag, str) and element.text:
            source.pieces[source.stream_of[element]].append((element, element.text))
        source.order.append(element)
        stack.append((element, True))
        for child in reversed(element):
            parent_of[child] = element
            classes = (child.get("class") or "").split()
            own_stream = NOTE_CLASS in classes or ORIGINAL_CLASS in classes
            source.stream_of[child] = child if own_stream else source.stream_of[element]
            chapter = chapters.get(child.get("id")) if "chapter" in classes else None
            source.chapter_of[child] = chapter or source.chapter_of[element]
            stack.append((child, False))
    return source


def _float(body: list[tuple[Element, str]], figure: Element, after: Element) -> None:
    """Move the figure's text, caption and credit, to just after the text of `after`."""
    inside, following = set(figure.iter()), set(after.iter())
    moving = [piece for piece in body if piece[0] in inside]
    staying = [piece for piece in body if piece[0] not in inside]
    at = max((i + 1 for i, (element, _) in enumerate(staying) if element in following), default=None)
    if moving and at is not None:
        body[:] = [*staying[:at], *moving, *staying[at:]]


def _page_text(document: Any, stream_of: dict[Element, Stream]) -> _Pages:
    """Every text box of every page in reading order, margin boxes and generated content aside,
    and a table's header and footer rows once: they repeat on each page the table runs onto."""
    pages = _Pages()
    repeating: set[Element] = set()
    for index, page in enumerate(document.pages):
        printed_here: set[Element] = set()
        folio = ""
        left = page._page_box.content_box_x() - EDGE_TOLERANCE
        right = left + page._page_box.width + 2 * EDGE_TOLERANCE
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            tag = box.element_tag or ""
            if isinstance(box, boxes.MarginBox):
                if box.at_keyword in FOLIO_MARGINS:
                    folio += "".join(text for text in _texts(box))
                continue
            if "::" in tag:  # generated: ::before, ::after, ::marker, note calls and markers
                if tag.endswith("::footnote-call"):
                    pages.call_page.setdefault(box.element, index)
                continue
            if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
                if box.element in repeating:
                    continue
                printed_here.add(box.element)
            if isinstance(box, boxes.TextBox):
                pages.pieces[stream_of.get(box.element, BODY)].append((box.element, box.text, index))
                if box.position_x < left or box.position_x + box.width > right:
                    pages.past_edge.append((box.element, box.text, index))
            elif isinstance(box, boxes.ParentBox):
                stack.extend(reversed(box.children))
        repeating |= printed_here
        folio = squash(folio)
        pages.labels.append(f"page {folio}" if folio.isdigit() else f"PDF page {index + 1}")
    return pages


def _texts(box: Any) -> Iterator[str]:
    stack = [box]
    while stack:
        current = stack.pop()
        if isinstance(current, boxes.TextBox):
            yield current.text
        elif isinstance(current, boxes.ParentBox):
            stack.extend(reversed(current.children))


def _stream_findings(stream: Stream, source: _Source, pages: _Pages, book: Book) -> list[str]:
    """Element by element, the text lost, repeated, added or changed in this stream."""
    expected: dict[Element, str] = defaultdict(str)
    for element, text in source.pieces.get(stream, ()):
        expected[element] += squash(text)
    printed: dict[Element, list[tuple[str, int]]] = defaultdict(list)
    for element, text, page in pages.pieces.get(stream, ()):
        printed[element].append((squash(text), page))
    findings = []
    last_page = _note_page(stream, source, pages) if stream is not BODY else 0
    known = set(source.order)
    elements = [e for e in source.order if e in expected or e in printed] + [e for e in printed if e not in known]
    for element in elements:
        pieces = printed.get(element, [])
        actual = "".join(text for text, _ in pieces)
        for difference in differences(expected.get(element, ""), actual):
            page = _page_at(pieces, difference.actual_at, last_page)
            where = f"in print ({pages.labels[page]})"
            chapter = source.chapter_of.get(element)
            findings.append(_located(chapter, difference.expected or difference.actual or expected[element],
                                     difference.describe(where), book))
        if pieces:
            last_page = pieces[-1][1]
    return findings


def _note_page(note: Element, source: _Source, pages: _Pages) -> int:
    """The page of a note's call; when the call is lost too, the page its paragraph is on."""
    if note in pages.call_page:
        return pages.call_page[note]
    holder = source.parent_of.get(note)
    return next((page for element, _, page in pages.pieces.get(BODY, ()) if element is holder), 0)


def _order_finding(stream: Stream, source: _Source, pages: _Pages, book: Book) -> str:
    """Every element holds its own text, yet the stream differs: the first text out of place."""
    expected = [(element, squash(text)) for element, text in source.pieces.get(stream, ())]
    actual = squash("".join(text for _, text, _ in pages.pieces.get(stream, ())))
    at = 0
    for element, text in expected:
        if actual[at : at + len(text)] != text:
            page = _page_at([(squash(t), p) for _, t, p in pages.pieces[stream]], at, 0)
            message = f"text out of order in print ({pages.labels[page]}): {snippet(text)}"
            return _located(source.chapter_of.get(element), text, message, book)
        at += len(text)
    return finding(book.config.path, None, f"text out of order in print: {snippet(actual[at:])}")


def _note_page_findings(source: _Source, pages: _Pages, book: Book) -> list[str]:
    """A note set on another page than its call misleads the reader."""
    findings = []
    for stream, pieces in pages.pieces.items():
        if stream is BODY:
            continue
        note_pages = sorted({page for _, _, page in pieces})
        call = pages.call_page.get(stream)
        if call is not None and note_pages != [call]:
            text = squash("".join(text for _, text, _ in pieces))
            printed = ", ".join(pages.labels[p] for p in note_pages)
            message = f"note printed on {printed}, not on the page of its call ({pages.labels[call]}): {snippet(text)}"
            findings.append(_located(source.chapter_of.get(stream), text, message, book))
    return findings


def _page_at(pieces: list[tuple[str, int]], index: int, default: int) -> int:
    """The page of the printed piece holding character `index` (the last page past the end)."""
    at = 0
    for text, page in pieces:
        at += len(text)
        if index < at:
            return page
    return pieces[-1][1] if pieces else default


def _located(chapter: Chapter | None, text: str, message: str, book: Book) -> str:
    if chapter is None:
        return finding(book.config.path, None, message)
    return finding(*chapter.where_printed(text), message)
