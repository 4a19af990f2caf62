"""The print cover: back, spine and front on one sheet with 3 mm bleed, as print-on-demand
services and print shops ask for it.

The spine's width is the interior's page count times the paper's thickness, so the cover is
made after the print PDF and reads its page count from it (`outputs.py`: the cover needs
the PDF). It follows the press PDF's colour rules: PDF/X-4, text in solid black ink, other
colours and the pictures through the same CMYK profile.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from ..config import PAPER_THICKNESS_MM, TRIM_SIZES, BookConfig, millimetres
from ..ebook.cover import PAPER, CoverFontError, CoverText, draw_cover
from ..errors import BookError
from ..files import atomic_output
from ..model import Book
from ..read.images import print_pixels
from ..render import book_context, environment
from .inks import PRESS_PICTURES_DIR, cmyk_picture, output_intent_css, press_profile

log = logging.getLogger(__name__)

BLEED_MM = 3
SAFE_MM = 6.35  # IngramSpark wants the art at least 0.25 in inside the trim
BARCODE_BOX_MM = (50.8, 30.5)  # about 2 × 1.2 in, as KDP reserves it
# EAN-13 at its nominal size (0.33 mm bars, 100 %), digits beneath: python-barcode's units are mm.
BARCODE_OPTIONS = {"module_width": 0.33, "module_height": 18.0, "font_size": 9, "text_distance": 4.0,
                   "quiet_zone": 3.6}


@dataclass(frozen=True)
class CoverGeometry:
    """The sheet in millimetres: two panels of the trim, the spine between them, the bleed around."""

    trim_width: float
    trim_height: float
    spine: float

    @property
    def sheet_width(self) -> float:
        return 2 * self.trim_width + self.spine + 2 * BLEED_MM

    @property
    def sheet_height(self) -> float:
        return self.trim_height + 2 * BLEED_MM


def paper_thickness(config: BookConfig) -> float:
    """Millimetres per page: book.yaml's `paper_thickness_mm`, else its `paper`'s."""
    return config.paper_thickness_mm or PAPER_THICKNESS_MM[config.paper]


def cover_geometry(config: BookConfig, pages: int) -> CoverGeometry:
    width, height = TRIM_SIZES[config.trim]
    return CoverGeometry(millimetres(width), millimetres(height), pages * paper_thickness(config))


def write_cover(book: Book, path: Path, guides: bool = False) -> None:
    """The cover for the print PDF beside `path` (its page count sets the spine); with
    `guides`, the proof copy showing the safe areas, the folds and the barcode's box."""
    from .. import outputs
    from ..pipeline import targets

    interior = targets(book.config, path.parent, (outputs.by_name("pdf"),), book.edition)[0].path
    if not interior.exists():
        raise BookError(interior, "the cover needs the print PDF's page count: build it first ('make pdf')")
    from pypdf import PdfReader

    pages = len(PdfReader(interior).pages)
    draw_cover_pdf(book, path, pages, guides)


def draw_cover_pdf(book: Book, path: Path, pages: int, guides: bool = False) -> CoverGeometry:
    """The cover of a `pages`-page interior, written to `path`."""
    from .extensions import patched
    from .pdf import date_document

    config = book.config
    geometry = cover_geometry(config, pages)
    profile = press_profile(config)
    html = environment().get_template("cover.html.j2").render(
        **book_context(book), g=geometry, bleed=BLEED_MM, safe=SAFE_MM, barcode_box=BARCODE_BOX_MM,
        paper=f"rgb{PAPER}", front=_front_picture(book, geometry, profile).resolve().as_uri(),
        barcode=_barcode_uri(config.isbn) if config.isbn else None,
        spine_text=pages >= config.spine_text_min_pages, guides=guides,
    )
    with patched(book.identifier + "cover", profile):
        from weasyprint import CSS, HTML

        profiles: dict = {}
        stylesheet = CSS(string=output_intent_css(profile), color_profiles=profiles)
        document = HTML(string=html).render(stylesheets=[stylesheet], color_profiles=profiles)
        date_document(document)
        with atomic_output(path) as temporary:
            document.write_pdf(temporary, pdf_variant="pdf/x-4")
    log.info("wrote %s (%d pages, spine %.2f mm, %s × %s mm)", path, pages, geometry.spine,
             _mm(geometry.sheet_width), _mm(geometry.sheet_height))
    return geometry


def _mm(value: float) -> str:
    return f"{value:.1f}"


def _front_picture(book: Book, geometry: CoverGeometry, profile: Path) -> Path:
    """The front in CMYK: book.yaml's cover, or the drawn one at 300 dpi over the front panel
    and its bleed."""
    cache = book.config.folder / PRESS_PICTURES_DIR
    cache.mkdir(parents=True, exist_ok=True)
    if book.cover:
        return cmyk_picture(book.cover, profile, cache)
    config = book.config
    text = CoverText.of(book)
    size = print_pixels(geometry.trim_width + BLEED_MM, geometry.sheet_height)
    try:
        picture = draw_cover(text, size)
    except CoverFontError as exc:
        raise BookError(config.path, f"cannot draw a cover: {exc}") from None
    png = io.BytesIO()
    picture.save(png, "PNG")
    drawn = cache / f"front-{hashlib.sha256(png.getvalue()).hexdigest()[:24]}.png"
    if not drawn.exists():
        with atomic_output(drawn) as partial:
            partial.write_bytes(png.getvalue())
    return cmyk_picture(drawn, profile, cache)


def _barcode_uri(isbn: str) -> str:
    """The ISBN's EAN-13 bars and digits as an SVG data URI (python-barcode)."""
    from barcode import ISBN13
    from barcode.writer import SVGWriter

    svg = io.BytesIO()
    ISBN13(isbn, writer=SVGWriter()).write(svg, BARCODE_OPTIONS)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode("ascii")
