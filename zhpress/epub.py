"""The e-book edition: one XHTML document per chapter, packaged by EbookLib."""

from __future__ import annotations

import copy
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub
from lxml.html import HtmlElement
from lxml.html.builder import E

from .model import Book
from .outputs import atomic_output, build_time
from .render import STYLES, book_context, environment, html_fragment

log = logging.getLogger(__name__)

STYLESHEET = STYLES / "epub.css"
FRONT_PAGES = (("title", "titlepage.xhtml", "书名页"), ("copyright", "copyright.xhtml", "版权页"))


@dataclass(frozen=True)
class EpubNote:
    """A note as the EPUB shows it: a pop-up `aside` reached from a numbered reference."""

    id: str
    ref_id: str
    number: int
    html: str


def write_epub(book: Book, path: Path) -> None:
    """Package the book as EPUB 3 with nav, NCX and a stylesheet every document links."""
    ebook = epub.EpubBook()
    _metadata(ebook, book)
    style = epub.EpubItem(
        uid="style", file_name="styles/book.css", media_type="text/css", content=STYLESHEET.read_bytes()
    )
    ebook.add_item(style)
    image_names = _add_images(ebook, book)
    context = book_context(book)
    env = environment()

    def page(uid: str, name: str, title: str, template: str, **extra: object) -> epub.EpubHtml:
        item = epub.EpubHtml(uid=uid, file_name=name, title=title, lang=book.config.language)
        item.content = env.get_template(template).render(**context, **extra).encode()
        item.add_item(style)
        ebook.add_item(item)
        return item

    front = [page(key, name, title, "epub-front.xhtml.j2", page=key) for key, name, title in FRONT_PAGES]
    chapters = []
    for chapter in book.chapters:
        body, notes = _notes_as_asides(_with_pictures(chapter.body, image_names), chapter.id)
        chapters.append(
            page(chapter.id, f"{chapter.id}.xhtml", chapter.display_title, "epub-chapter.xhtml.j2",
                 chapter=chapter, body=html_fragment(body, xml=True), notes=notes)
        )
    back = []
    if book.figures:
        hrefs = {f.id: f"{f.chapter_id}.xhtml#{f.id}" for f in book.figures}
        titles = {c.id: c.display_title for c in book.chapters}
        back.append(page("credits", "credits.xhtml", "图片版权", "epub-front.xhtml.j2",
                         page="credits", figure_hrefs=hrefs, chapter_titles=titles))
    ebook.toc = [*chapters, *back]
    ebook.add_item(epub.EpubNcx())
    ebook.add_item(epub.EpubNav(title="目录"))
    ebook.spine = [*front, "nav", *chapters, *back]
    with atomic_output(path) as temporary:
        epub.write_epub(str(temporary), ebook, {"mtime": build_time(), "raise_exceptions": True})
    log.info("wrote %s", path)


def _metadata(ebook: epub.EpubBook, book: Book) -> None:
    config = book.config
    context = book_context(book)
    ebook.set_identifier(context["identifier"])
    ebook.set_title(config.title)
    ebook.set_language(config.language)
    for number, name in enumerate(book.authors, start=1):
        ebook.add_author(name, role="aut", uid=f"author{number}")
    for number, name in enumerate(config.translators, start=1):
        ebook.add_author(name, role="trl", uid=f"translator{number}")
    optional = {"publisher": config.publisher, "date": config.date, "rights": config.rights,
                "description": config.description}
    for name, value in optional.items():
        if value:
            ebook.add_metadata("DC", name, value)
    for chapter in book.chapters:
        if chapter.source.url:
            ebook.add_metadata("DC", "source", chapter.source.url)


def _add_images(ebook: epub.EpubBook, book: Book) -> dict[str, str]:
    """Every fetched or local picture, once, under images/; returns figure id → file name."""
    names = {}
    for figure in book.figures:
        if figure.src is None:
            continue
        source = Path(figure.src)
        name = f"images/{figure.id}{source.suffix.lower()}"
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        ebook.add_item(epub.EpubImage(uid=figure.id + "-img", file_name=name, media_type=media_type,
                                      content=source.read_bytes()))
        names[figure.id] = name
    return names


def _with_pictures(body: HtmlElement, names: dict[str, str]) -> HtmlElement:
    body = copy.deepcopy(body)
    for img in body.iter("img"):
        fid = img.attrib.pop("data-figure", None)
        if fid in names:
            img.set("src", names[fid])
    return body


def _notes_as_asides(body: HtmlElement, chapter_id: str) -> tuple[HtmlElement, list[EpubNote]]:
    """Replace each inline note with a numbered reference; the notes go to the chapter's end."""
    notes = []
    for span in list(body.iter("span")):
        if "note" not in (span.get("class") or "").split() or _has_note_ancestor(span):
            continue
        number = len(notes) + 1
        note_id, ref_id = f"{chapter_id}-note{number}", f"{chapter_id}-ref{number}"
        content = copy.deepcopy(span)
        content.tail = None
        notes.append(EpubNote(note_id, ref_id, number, html_fragment(content, xml=True)))
        ref = E.a(str(number), {"href": f"#{note_id}", "id": ref_id, "class": "noteref",
                                "epub:type": "noteref", "role": "doc-noteref"})
        ref.tail = span.tail
        span.getparent().replace(span, ref)
    return body, notes


def _has_note_ancestor(el: HtmlElement) -> bool:
    return any("note" in (a.get("class") or "").split() for a in el.iterancestors("span"))


