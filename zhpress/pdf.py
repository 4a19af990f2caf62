"""The print edition: the book's HTML through WeasyPrint to PDF."""

from __future__ import annotations

import logging
from pathlib import Path

from .model import Book
from .outputs import atomic_output
from .print_html import render_print_html

log = logging.getLogger(__name__)

# Tagged PDF by default: screen readers and reflow on phones need the structure.
PDF_VARIANT = "pdf/ua-1"


def write_pdf(book: Book, path: Path) -> None:
    """Render the print HTML with WeasyPrint, as if from `path`'s folder."""
    from weasyprint import HTML

    from . import pdf_justify, pdf_notes

    pdf_justify.install()
    pdf_notes.install()
    html = render_print_html(book, path)
    document = HTML(string=html, base_url=str(path.parent.resolve()) + "/").render()
    if book.config.note_numbering == "page":
        pdf_notes.renumber_per_page(document)
    with atomic_output(path) as temporary:
        document.write_pdf(temporary, pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
    log.info("wrote %s (%d pages)", path, len(document.pages))


def write_html(book: Book, path: Path) -> None:
    with atomic_output(path) as temporary:
        temporary.write_text(render_print_html(book, path), encoding="utf-8")
    log.info("wrote %s", path)
