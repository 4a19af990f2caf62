"""The print edition: the book's HTML through WeasyPrint to PDF, in three variants."""

from __future__ import annotations

import contextlib
import gc
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import atomic_output, build_time
from ..model import Book
from .extensions.tagging import page_references_kept
from .html import render_print_html
from .proof import prove_print
from .resources import ResourceGate

log = logging.getLogger(__name__)
progress = logging.getLogger("zhpress.progress")


@dataclass(frozen=True)
class PdfVariant:
    """A PDF made for one purpose: reading, a print shop, an archive."""

    pdf_variant: str
    extra_css: str = ""


# Print shops and print-on-demand services ask for PDF/X-4 with 3 mm bleed and crop marks.
# PDF/X needs an output intent: a CMYK profile, Ghostscript's default (Debian's libgs-common)
# unless the printer supplies theirs.
DEFAULT_CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
PRESS_CSS = (
    "@page { bleed: 3mm; marks: crop cross; }"
    f' @color-profile device-cmyk {{ src: url("{DEFAULT_CMYK_PROFILE.as_uri()}"); components: c, m, y, k; }}'
)
# Collections while WeasyPrint renders: every 50,000 allocations, not 700 (see _fewer_collections).
RENDER_GC_THRESHOLDS = (50_000, 20, 20)
VARIANTS = {
    "pdf": PdfVariant("pdf/ua-1"),  # tagged: screen readers and reflow on phones need the structure
    "press": PdfVariant("pdf/x-4", PRESS_CSS),
    "archive": PdfVariant("pdf/a-3b"),
}


def write_pdf(book: Book, path: Path, variant: str = "pdf") -> None:
    """Render the print HTML with WeasyPrint, as if from `path`'s folder."""
    from weasyprint import CSS, HTML

    from .extensions import justify, notes, page_styles

    justify.install()
    notes.install()
    page_styles.install()
    spec = VARIANTS[variant]
    html = render_print_html(book, path)
    profiles: dict[str, Any] = {}  # filled by @color-profile rules, read by render()
    gate = ResourceGate.for_book(book, [DEFAULT_CMYK_PROFILE] if spec.extra_css else [])
    stylesheets = [CSS(string=spec.extra_css, color_profiles=profiles, url_fetcher=gate)] if spec.extra_css else []
    progress.info("laying out %s…", path.name)
    with _fewer_collections():
        source = HTML(string=html, base_url=str(path.parent.resolve()) + "/", url_fetcher=gate)
        document = source.render(stylesheets=stylesheets, color_profiles=profiles)
        gate.raise_refused(book, source.base_url)
        prove_print(document, source.etree_element, book)
        if book.config.note_numbering == "page":
            notes.renumber_per_page(document)
        _date_document(document)
        progress.info("drawing %d pages…", len(document.pages))
        with (
            atomic_output(path) as temporary,
            _stable_document_id(book.identifier + variant),
            page_references_kept(),
        ):
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


def _date_document(document: Any) -> None:
    """PDF/X requires dates; WeasyPrint stamps the current time unless the document has them."""
    stamp = build_time().strftime("%Y-%m-%dT%H:%M:%SZ")
    document.metadata.created = document.metadata.created or stamp
    document.metadata.modified = document.metadata.modified or stamp


@contextlib.contextmanager
def _stable_document_id(seed: str) -> Iterator[None]:
    """PDF/X's XMP DocumentID is a random uuid4 in WeasyPrint 70: derive it from the book
    instead, so the same manuscript gives the same bytes."""
    from weasyprint.pdf import metadata

    original = metadata.uuid4
    metadata.uuid4 = lambda: uuid.uuid5(uuid.NAMESPACE_URL, seed)
    try:
        yield
    finally:
        metadata.uuid4 = original
