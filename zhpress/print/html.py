"""The print edition's HTML: one document holding the whole book, as WeasyPrint renders it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from lxml.html import HtmlElement

from ..cjk import CLOSING_MARKS, FULL_WIDTH_FORMS, HAN_RANGES, KANA, in_ranges
from ..editions import restyled
from ..model import Book, is_note
from ..render import STYLES, book_context, css_string, environment, html_fragment, with_pictures
from ..transforms.typography import AUTOSPACE_CLASS, DASH_BIND_CLASS
from .imprint import imprint
from .sizes import FIGURE_MAX_HEIGHT_MM, FOOT_MARGIN_MM, HEAD_MARGIN_MM, page_size

STYLESHEET = STYLES / "print.css"
WORD_JOINER = "\u2060"
# A quarter em (U+2005) held by word joiners, so that no line starts or ends with it.
HAN_LATIN_SPACE = WORD_JOINER + "\u2005" + WORD_JOINER
# Blocks whose last line must not hold a single character (段末孤字), and what does not count as
# one: closing marks, ellipses and dashes ride along with the character before; joiners, spaces.
PARAGRAPHS = ("p", "li")
TRAILING = CLOSING_MARKS + "…—" + WORD_JOINER + " \t\n"


def render_print_html(book: Book, html_path: Path) -> str:
    """HTML whose stylesheet and pictures are linked relative to `html_path`, so the file
    renders the same book when WeasyPrint is run on it directly."""
    here = html_path.parent
    sources = {f.id: _relative(Path(f.src), here) for f in book.figures if f.src}
    bodies = {c.id: html_fragment(bind_paragraph_ends(typography_as_text(with_pictures(c.body, sources))), xml=False)
              for c in book.chapters}
    css = STYLESHEET.read_text(encoding="utf-8")
    # Another edition's faces, or the bilingual edition's layout: the stylesheet goes inline.
    styled = restyled(css, book.edition) + bilingual_css(book)
    return environment().get_template("print.html.j2").render(
        **book_context(book),
        bodies=bodies,
        stylesheet=_relative(STYLESHEET, here) if styled == css else None,
        inline_stylesheet=styled,
        page_size=page_size(book.config),
        head_margin=f"{HEAD_MARGIN_MM}mm",
        foot_margin=f"{FOOT_MARGIN_MM}mm",
        figure_max_height=f"{FIGURE_MAX_HEIGHT_MM}mm",
        credit_page_content=_credit_page_content(book.labels.credit_page),
        imprint=imprint(book),
    )


def bilingual_css(book: Book) -> str:
    """The bilingual edition's rules and its layout's (book.yaml's `bilingual_layout`); none
    for an edition without originals."""
    if not book.edition.originals:
        return ""
    names = ("bilingual-print.css", f"bilingual-{book.config.bilingual_layout}.css")
    return "".join("\n" + (STYLES / name).read_text(encoding="utf-8") for name in names)


def _credit_page_content(label: str) -> str:
    """`，第{page}页` as CSS content: the words around the page number of a picture's link."""
    before, _, after = label.partition("{page}")
    return f"{css_string(before)} target-counter(attr(href url), page) {css_string(after)}"


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def typography_as_text(body: HtmlElement) -> HtmlElement:
    """Print sets the marked typography as characters, which Pango's line breaking obeys: the
    quarter em as U+2005 between word joiners, a dash bound to the character before it by a
    word joiner. (The PDF's text then reads 「2024 年」, as a typeset book's does.)"""
    for span in list(body.iter("span")):
        kind = span.get("class")
        if kind == AUTOSPACE_CLASS:
            span.text = HAN_LATIN_SPACE
        elif kind == DASH_BIND_CLASS:
            text = span.text or ""
            span.text = text[:1] + WORD_JOINER + text[1:]  # BOUND_DASH: one character, then dashes
        else:
            continue
        span.drop_tag()
    return body


def bind_paragraph_ends(body: HtmlElement) -> HtmlElement:
    """No paragraph ends on a line of one character (段末孤字, 「信。”」): a word joiner binds
    each paragraph's last two characters, so the line breaker carries one more down and the
    line above, one character shorter, is justified like any other. Print only: the EPUB's
    lines are the reading system's."""
    for block in body.iter(*PARAGRAPHS):
        if block.tag == "li" and block.find("p") is not None:
            continue  # its paragraphs are bound themselves
        for element, attribute in reversed(list(_text_slots(block))):
            text = getattr(element, attribute) or ""
            end = len(text.rstrip(TRAILING))
            if end == 0:
                continue
            bound = text[end - 2 : end - 1] in (WORD_JOINER, " ")  # already, or never breaks there
            if in_ranges(text[end - 1], HAN_RANGES, KANA, FULL_WIDTH_FORMS) and not bound:
                setattr(element, attribute, text[: end - 1] + WORD_JOINER + text[end - 1 :])
            break
    return body


def _text_slots(block: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """(element, "text" or "tail") of each run of `block`'s own text, in reading order; a note's
    text is the foot's, not the paragraph's, so only its tail is read."""
    yield block, "text"
    for child in block:
        if not is_note(child):
            yield from _text_slots(child)
        yield child, "tail"
