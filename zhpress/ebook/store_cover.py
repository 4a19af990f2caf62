"""The cover image stores ask for beside the EPUB: a JPEG of 1600×2560 pixels (Kindle's
1:1.6), in sRGB, under Kobo's 5 MB. The book's own cover is cropped to that shape around
its centre; a book without one gets the drawn cover."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from ..errors import BookError
from ..files import atomic_output
from ..model import Book
from .cover import COVER_SIZE, CoverFontError, CoverText, draw_cover

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
QUALITIES = (92, 85, 75, 60)  # tried in turn until the file is small enough


def write_store_cover(book: Book, path: Path) -> None:
    data = _jpeg(_cover_picture(book))
    with atomic_output(path) as temporary:
        temporary.write_bytes(data)
    log.info("wrote %s", path)


def _cover_picture(book: Book) -> Image.Image:
    """The cover in sRGB at 1600×2560."""
    if book.cover is None:
        config = book.config
        text = CoverText.of(book)
        try:
            return draw_cover(text, COVER_SIZE)
        except CoverFontError as exc:
            raise BookError(config.path, f"cannot draw a cover: {exc}") from None
    with Image.open(book.cover) as image:
        embedded = image.info.get("icc_profile")
        picture = image.convert("RGB")
    if embedded:  # a wide-gamut or CMYK-converted picture: shown as sRGB, as stores do
        own = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
        picture = ImageCms.profileToProfile(picture, own, ImageCms.createProfile("sRGB"), outputMode="RGB")
    return ImageOps.fit(picture, COVER_SIZE, Image.Resampling.LANCZOS)


def _jpeg(picture: Image.Image) -> bytes:
    """JPEG bytes tagged sRGB, at the best quality under MAX_BYTES."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for quality in QUALITIES:
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality, optimize=True, icc_profile=srgb)
        if out.tell() < MAX_BYTES:
            break
    return out.getvalue()
