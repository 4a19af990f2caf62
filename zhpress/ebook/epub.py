"""The e-book edition: one XHTML document per chapter, packaged by EbookLib.

Around the chapters: a cover (the book's own, or one drawn for it), title page, copyright page,
contents with landmarks, picture credits; EPUB Accessibility 1.1 metadata; subsets of the Song
and Kai faces. EbookLib writes the package; `_Writer` adds what it cannot: `xml:lang` on the
package, EPUB 3 landmark names, fixed ZIP timestamps.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import mimetypes
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub
from lxml import etree
from lxml.html import HtmlElement
from lxml.html.builder import E

from ..cjk import HAN
from ..editions import restyled
from ..errors import BookError
from ..files import atomic_output, build_time
from ..model import Book, inside_note, is_note
from ..proof import ProofError
from ..read.images import downsample
from ..render import STYLES, book_context, environment, html_fragment, with_pictures
from .cover import COVER_SIZE, CoverFontError, CoverText, render_cover
from .fonts import (
    LAYOUT_FEATURES,
    VERTICAL_FEATURES,
    Face,
    book_faces,
    document_characters,
    embedded_fonts,
    font_face_css,
)
from .proof import epub_findings
from .vertical import STYLESHEET as VERTICAL_STYLESHEET
from .vertical import vertical_document

log = logging.getLogger(__name__)

STYLESHEET = STYLES / "epub.css"
STYLE_NAME = "styles/book.css"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML = "http://www.w3.org/1999/xhtml"
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"
# Apple Books uses a book's own fonts only when asked to in this file.
APPLE_OPTIONS = (
    "META-INF/com.apple.ibooks.display-options.xml",
    b'<?xml version="1.0" encoding="UTF-8"?>\n<display_options><platform name="*">'
    b'<option name="specified-fonts">true</option></platform></display_options>\n',
)
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass(frozen=True)
class EpubNote:
    """A note as the EPUB shows it: a pop-up `aside` reached from a numbered reference."""

    id: str
    ref_id: str
    number: int
    html: str
    language: str | None = None  # an original's note in the bilingual edition: en


@dataclass(frozen=True)
class Landmark:
    """An entry of the nav's landmarks: EPUB 3 type, EPUB 2 guide type, target and label."""

    type: str
    guide_type: str
    href: str
    title: str


def write_epub(book: Book, path: Path, vertical: bool = False) -> None:
    """Package the book as EPUB 3: cover, front matter, chapters, credits, nav with landmarks, NCX.
    `vertical`: set top to bottom, right to left (直排), pages turning to the left."""
    config = book.config
    ebook = epub.EpubBook()
    if vertical:
        ebook.set_direction("rtl")  # the spine's page-progression-direction
    image_names = _add_images(ebook, book)
    cover_src, cover_alt = _add_cover(ebook, book)
    _metadata(ebook, book)
    style = epub.EpubItem(uid="style", file_name=STYLE_NAME, media_type="text/css")
    ebook.add_item(style)
    context = book_context(book)
    env = environment()

    def page(uid: str, name: str, title: str, template: str, **extra: object) -> epub.EpubHtml:
        item = epub.EpubHtml(uid=uid, file_name=name, title=title, lang=book.language)
        content = env.get_template(template).render(**context, **extra).encode()
        item.content = vertical_document(content) if vertical else content
        item.add_item(style)
        ebook.add_item(item)
        return item

    labels = book.labels
    cover = page("cover", "cover.xhtml", labels.cover, "epub-cover.xhtml.j2", cover_src=cover_src, cover_alt=cover_alt)
    front_pages = (("title", "titlepage.xhtml", labels.title_page),
                   ("copyright", "copyright.xhtml", labels.copyright_page))
    front = [page(key, name, title, "epub-front.xhtml.j2", page=key) for key, name, title in front_pages]
    chapters = []
    for chapter in book.chapters:
        body, notes = _notes_as_asides(with_pictures(chapter.body, image_names), chapter.id)
        chapters.append(
            page(chapter.id, f"{chapter.id}.xhtml", chapter.display_title, "epub-chapter.xhtml.j2",
                 chapter=chapter, body=html_fragment(body, xml=True), notes=notes)
        )
    back = []
    if book.figures:
        hrefs = {f.id: f"{f.chapter_id}.xhtml#{f.id}" for f in book.figures}
        titles = {c.id: c.display_title for c in book.chapters}
        back.append(page("credits", "credits.xhtml", labels.picture_credits, "epub-front.xhtml.j2",
                         page="credits", figure_hrefs=hrefs, chapter_titles=titles))
    findings = epub_findings(book, {c.id: item.get_content() for c, item in zip(book.chapters, chapters, strict=True)})
    if findings:
        raise ProofError(findings)
    ebook.toc = [*chapters, *back]
    ebook.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title=labels.contents)
    nav.add_item(style)
    ebook.add_item(nav)
    ebook.spine = [cover, *front, nav, *chapters, *back]
    landmarks = [
        Landmark("cover", "cover", cover.file_name, cover.title),
        Landmark("titlepage", "title-page", front[0].file_name, front[0].title),
        Landmark("toc", "toc", f"{nav.file_name}#toc", labels.contents),
        *([Landmark("bodymatter", "text", chapters[0].file_name, labels.body_matter)] if chapters else []),
    ]
    ebook.guide = [{"type": m.guide_type, "href": m.href, "title": m.title} for m in landmarks]

    with atomic_output(path) as temporary:
        originals = {item.file_name: c.source.original_title for c, item in zip(book.chapters, chapters, strict=True)
                     if book.edition.originals and c.title and c.source.original_title}
        writer = _Writer(str(temporary), ebook, book.language, labels.landmarks, landmarks, originals)
        font_css = ""
        if config.embed_fonts:
            documents = [i.get_content() for i in ebook.get_items() if isinstance(i, epub.EpubHtml) and i is not nav]
            features = (*LAYOUT_FEATURES, *VERTICAL_FEATURES) if vertical else LAYOUT_FEATURES
            font_css = _add_fonts(ebook, [*documents, writer.nav_document(nav)], book_faces(book.edition).embedded,
                                  features)
        sheets = (STYLESHEET, VERTICAL_STYLESHEET) if vertical else (STYLESHEET,)
        stylesheet = restyled("".join(s.read_text(encoding="utf-8") for s in sheets), book.edition)
        if book.edition.originals:
            stylesheet += (STYLES / "bilingual-epub.css").read_text(encoding="utf-8")
        stylesheet += _autospace_css(config.han_latin_space)
        style.content = (font_css + stylesheet).encode()
        writer.process()
        writer.write()
    log.info("wrote %s", path)


def _autospace_css(enabled: bool) -> str:
    """Where a reading system sets the quarter em between Han and Latin itself
    (`text-autospace`), the marked places need no margin of their own."""
    if not enabled:
        return ""
    return "@supports (text-autospace: normal) { :root { text-autospace: normal; } .autospace { margin-left: 0; } }\n"


def _add_fonts(ebook: epub.EpubBook, documents: list[bytes], faces: tuple[Face, ...],
               features: tuple[str, ...]) -> str:
    """Subsets of the Song and Kai faces holding every character these documents show, with
    the OpenType `features` the stylesheet needs; returns the @font-face rules that bind the
    stylesheet's family names to them."""
    fonts = embedded_fonts(document_characters(documents), faces, features)
    for font in fonts:
        ebook.add_item(epub.EpubItem(uid=f"font-{font.face.key}", file_name=font.file_name,
                                     media_type=font.media_type, content=font.content))
    if fonts:
        ebook.add_item(epub.EpubItem(file_name=APPLE_OPTIONS[0], content=APPLE_OPTIONS[1], manifest=False))
    return font_face_css(fonts, STYLE_NAME.rpartition("/")[0])


class _Writer(epub.EpubWriter):
    """EbookLib's writer with what an EPUB 3 store wants and EbookLib does not write."""

    def __init__(self, name: str, book: epub.EpubBook, language: str, landmarks_title: str,
                 landmarks: list[Landmark], original_titles: dict[str, str] | None = None) -> None:
        super().__init__(name, book, {
            "mtime": build_time(), "raise_exceptions": True, "compresslevel": 9,
            # Landmarks are written below with EPUB 3 names; a page-list needs the print pages.
            "epub3_landmark": False, "epub3_pages": False,
        })
        self.language = language
        self.landmarks_title = landmarks_title
        self.landmarks = landmarks
        self.original_titles = original_titles or {}  # by file name: a chapter's English title

    def _write_opf_file(self, root: etree._Element) -> None:
        root.set(XML_LANG, self.language)  # Ace's epub-lang: the package's own language
        super()._write_opf_file(root)

    def nav_document(self, item: epub.EpubNav) -> bytes:
        return self._get_nav(item)

    def _get_nav(self, item: epub.EpubNav) -> bytes:
        """The toc as EbookLib makes it, headed h1; then the landmarks, hidden from the page."""
        root = etree.fromstring(super()._get_nav(item))
        body = root.find(f"{{{XHTML}}}body")
        toc = next(n for n in body.iter(f"{{{XHTML}}}nav") if n.get(OPS_TYPE) == "toc")
        toc.set("id", "toc")
        heading = toc.find(f"{{{XHTML}}}h2")
        if heading is not None:
            heading.tag = f"{{{XHTML}}}h1"
        for link in toc.iter(f"{{{XHTML}}}a"):
            original = self.original_titles.get(link.get("href", ""))
            if original:  # the bilingual edition's contents: the English title beside the Chinese
                link.text = (link.text or "") + " "
                etree.SubElement(link, f"{{{XHTML}}}span", {"class": "toc-original", "lang": "en"}).text = original
        nav = etree.SubElement(body, f"{{{XHTML}}}nav", {OPS_TYPE: "landmarks", "id": "landmarks",
                                                          "hidden": "hidden"})
        etree.SubElement(nav, f"{{{XHTML}}}h2").text = self.landmarks_title
        ol = etree.SubElement(nav, f"{{{XHTML}}}ol")
        for mark in self.landmarks:
            li = etree.SubElement(ol, f"{{{XHTML}}}li")
            etree.SubElement(li, f"{{{XHTML}}}a", {OPS_TYPE: mark.type, "href": mark.href}).text = mark.title
        return etree.tostring(root.getroottree(), pretty_print=True, encoding="utf-8", xml_declaration=True,
                              doctype="<!DOCTYPE html>")

    def write(self) -> None:
        """As EbookLib writes, but every entry dated from the build time (SOURCE_DATE_EPOCH):
        the same book gives the same bytes. `mimetype` first and stored, as OCF requires."""
        self.out = _DatedZip(self.file_name, "w", zipfile.ZIP_DEFLATED, compresslevel=self.options["compresslevel"])
        self.out.date_time = _zip_time(self.options["mtime"])
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


class _DatedZip(zipfile.ZipFile):
    date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(
        self, name: str | zipfile.ZipInfo, data: str | bytes, compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, self.date_time)
            name.compress_type = compress_type if compress_type is not None else self.compression
            name.external_attr = 0o644 << 16
        super().writestr(name, data, compress_type=compress_type, compresslevel=compresslevel)


def _zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    moment = max(moment, dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _latin(name: str) -> bool:
    return HAN.search(name) is None


def _metadata(ebook: epub.EpubBook, book: Book) -> None:
    config = book.config
    ebook.set_identifier(book.identifier)
    ebook.title = config.title  # EbookLib's NCX takes its docTitle from here
    # Ids of their own: the title page's item is "title".
    # EPUB's title-type values have none for a translation's original title: "original" says it
    # (reading systems show the first, main title; the English one is tagged xml:lang="en").
    titles = [("main-title", "main", config.title, {}), ("subtitle", "subtitle", config.subtitle, {}),
              ("original-title", "original", config.original_title, {XML_LANG: "en"})]
    for uid, kind, text, extra in titles:
        if text:
            ebook.add_metadata("DC", "title", text, {"id": uid, **extra})
            ebook.add_metadata(None, "meta", kind, {"refines": f"#{uid}", "property": "title-type"})
    ebook.set_language(book.language)
    if book.edition.originals:  # the bilingual edition's second language
        ebook.add_metadata("DC", "language", "en")
    people = [("aut", "author", n) for n in book.authors] + [("trl", "translator", n) for n in config.translators]
    counts: dict[str, int] = {}
    for role, prefix, name in people:
        counts[prefix] = counts.get(prefix, 0) + 1
        uid = f"{prefix}{counts[prefix]}"
        ebook.add_metadata("DC", "creator", name, {"id": uid, **({XML_LANG: "en"} if _latin(name) else {})})
        ebook.add_metadata(None, "meta", role, {"refines": f"#{uid}", "property": "role", "scheme": "marc:relators"})
    optional = {"publisher": config.publisher, "rights": config.rights, "description": config.description}
    ebook.add_metadata("DC", "date", config.date or build_time().date().isoformat())
    for name, value in optional.items():
        if value:
            ebook.add_metadata("DC", name, value)
    for chapter in book.chapters:
        if chapter.source.url:
            ebook.add_metadata("DC", "source", chapter.source.url)
    for prop, value in _accessibility(book.labels.accessibility_summary):
        ebook.add_metadata(None, "meta", value, {"property": prop})


def _accessibility(summary: str) -> list[tuple[str, str]]:
    """EPUB Accessibility 1.1 discovery metadata (schema.org terms) and the conformance claim.
    Every book has pictures (at least its cover), each with alt text: visual content, with text
    sufficient on its own."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability",
                "alternativeText"]
    metadata = [("schema:accessMode", "textual"), ("schema:accessMode", "visual")]
    metadata += [("schema:accessModeSufficient", "textual"), ("schema:accessModeSufficient", "textual,visual")]
    metadata += [("schema:accessibilityFeature", f) for f in features]
    metadata += [
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary),
        ("dcterms:conformsTo", CONFORMANCE),
    ]
    return metadata


def _add_cover(ebook: epub.EpubBook, book: Book) -> tuple[str, str]:
    """The cover image, marked cover-image in the manifest (and with EPUB 2's `meta name=cover`
    for older readers); returns its src and alt text for the cover page."""
    config = book.config
    title = config.title
    source = _cover_file(book)
    if source is not None:
        name = f"images/cover{source.suffix.lower()}"
        content = source.read_bytes()
        alt = book.labels.cover_alt.format(title=title)
    else:
        text = CoverText.of(book)
        try:
            content = render_cover(text)
        except CoverFontError as exc:
            raise BookError(config.path, f"cannot draw a cover: {exc}") from None
        name = "images/cover.png"
        alt = _cover_alt(text)
    item = epub.EpubCover(uid="cover-img", file_name=name)
    item.content = content
    item.media_type = mimetypes.guess_type(name)[0] or "image/jpeg"
    ebook.add_item(item)
    ebook.add_metadata(None, "meta", "", {"name": "cover", "content": item.id})
    return name, alt


def _cover_alt(text: CoverText) -> str:
    """What the drawn cover shows, in words."""
    labels = text.edition.labels
    parts = [labels.drawn_cover_alt.format(title=text.title)]
    if text.subtitle:
        parts.append(text.subtitle)
    if text.original_title:
        parts.append(text.original_title)
    if text.authors:
        parts.append(labels.name_separator.join(text.authors) + labels.written_by)
    if text.translators:
        parts.append(labels.name_separator.join(text.translators) + labels.translated_by)
    if text.publisher:
        parts.append(text.publisher)
    return "，".join(parts)


def _cover_file(book: Book) -> Path | None:
    """The book's cover picture no larger than a store wants, or None when there is none
    (or it is remote and was not fetched: load_book has warned about that already)."""
    if book.cover is None:
        if book.config.cover:
            log.info("%s: the cover was not fetched; drawing one", book.config.path)
        return None
    return downsample(book.cover, COVER_SIZE, book.config.folder)


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


def _notes_as_asides(body: HtmlElement, chapter_id: str) -> tuple[HtmlElement, list[EpubNote]]:
    """Replace each inline note with a numbered reference; the notes go to the chapter's end."""
    notes = []
    for span in list(body.iter("span")):
        if not is_note(span) or inside_note(span):
            continue
        number = len(notes) + 1
        note_id, ref_id = f"{chapter_id}-note{number}", f"{chapter_id}-ref{number}"
        content = copy.deepcopy(span)
        content.tail = None
        # An original's note (the bilingual edition) keeps its language at the chapter's end.
        language = next((a.get("lang") for a in span.iterancestors() if a.get("lang")), None)
        notes.append(EpubNote(note_id, ref_id, number, html_fragment(content, xml=True), language))
        ref = E.a(str(number), {"href": f"#{note_id}", "id": ref_id, "class": "noteref",
                                "epub:type": "noteref", "role": "doc-noteref"})
        ref.tail = span.tail
        span.getparent().replace(span, ref)
    return body, notes


