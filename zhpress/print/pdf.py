"""The print edition: the book's HTML through WeasyPrint to PDF, in three variants."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import atomic_output, build_time
from ..model import Book
from .extensions import patched
from .html import render_print_html
from .imprint import fill_in_sheets
from .inks import in_press_inks, output_intent_css, press_profile
from .resources import ResourceGate
from .signatures import pad_to_signatures
from .sizes import page_size

log = logging.getLogger(__name__)
progress = logging.getLogger("zhpress.progress")


@dataclass(frozen=True)
class PdfVariant:
    """A PDF made for one purpose: reading, a print shop, an archive."""

    pdf_variant: str
    extra_css: str = ""
    press: bool = False  # drawn in the printer's inks (print/inks.py), its profile the output intent


# Print shops and print-on-demand services ask for PDF/X-4 with bleed and crop marks outside
# it. WeasyPrint draws the marks over the outer half of the CSS bleed and declares a PDF
# BleedBox of at most 10 pt (3.5 mm) past the trim: a 12 mm CSS bleed gives a 3.5 mm bleed
# and marks from 6 to 12 mm out. Text is solid black ink (the hidden heading stays unseen).
PRESS_SHEET_MARGIN_MM = 12
PRESS_CSS = (
    f"@page {{ bleed: {PRESS_SHEET_MARGIN_MM}mm; marks: crop cross; }}"
    " :root, :root *:not(.hidden-heading) { color: device-cmyk(0 0 0 1) !important; }"
)
# Collections while WeasyPrint renders: every 50,000 allocations, not 700 (see _fewer_collections).
RENDER_GC_THRESHOLDS = (50_000, 20, 20)
VARIANTS = {
    "pdf": PdfVariant("pdf/ua-1"),  # tagged: screen readers and reflow on phones need the structure
    "press": PdfVariant("pdf/x-4", PRESS_CSS, press=True),
    "archive": PdfVariant("pdf/a-3b"),
}


def write_pdf(book: Book, path: Path, variant: str = "pdf") -> None:
    """Render the print HTML with WeasyPrint and our extensions, as if from `path`'s folder."""
    spec = VARIANTS[variant]
    profile = press_profile(book.config) if spec.press else None
    css = spec.extra_css
    if profile:
        book = in_press_inks(book, profile)
        css += " " + output_intent_css(profile)
    html = render_print_html(book, path)
    progress.info("laying out %s…", path.name)
    with patched(book.identifier + variant, profile, bilingual=book.edition.originals) as floats, \
            _fewer_collections():
        from weasyprint import CSS, HTML

        from .note_numbers import renumber_per_page
        from .proof import prove_print

        profiles: dict[str, Any] = {}  # filled by @color-profile rules, read by render()
        gate = ResourceGate.for_book(book, [profile] if profile else [])
        stylesheets = [CSS(string=css, color_profiles=profiles, url_fetcher=gate)] if css else []
        source = HTML(string=html, base_url=str(path.parent.resolve()) + "/", url_fetcher=gate)
        document = source.render(stylesheets=stylesheets, color_profiles=profiles)
        gate.raise_refused(book, source.base_url)
        prove_print(document, source.etree_element, book, floats.moved)
        if book.config.note_numbering == "page":
            renumber_per_page(document)
        pad_to_signatures(document, book.config.pages_multiple, page_size(book.config), stylesheets, profiles)
        fill_in_sheets(document, book)
        date_document(document)
        progress.info("drawing %d pages…", len(document.pages))
        with atomic_output(path) as temporary:
            document.write_pdf(temporary, pdf_variant=spec.pdf_variant)
    log.info("wrote %s (%d pages)", path, len(document.pages))


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """WeasyPrint makes boxes for every line, text run and page and keeps nearly all of them
    to the end; at Python's default threshold (a collection every 700 allocations) the
    cyclic collector walks them over and over: 5.5 s of the 45 s a 30-chapter book took,
    0.8 s with these thresholds, and the same peak memory."""
    previous = gc.get_threshold()
    gc.set_threshold(*RENDER_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def write_html(book: Book, path: Path) -> None:
    with atomic_output(path) as temporary:
        temporary.write_text(render_print_html(book, path), encoding="utf-8")
    log.info("wrote %s", path)


def date_document(document: Any) -> None:
    """PDF/X requires dates; WeasyPrint stamps the current time unless the document has them."""
    stamp = build_time().strftime("%Y-%m-%dT%H:%M:%SZ")
    document.metadata.created = document.metadata.created or stamp
    document.metadata.modified = document.metadata.modified or stamp
