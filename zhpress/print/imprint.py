"""The imprint record (版本记录) of the print copyright page: 开本, 印张, 字数, 版次, 印次,
书号, 定价, as GB/T 12450 has them, each left out when the book does not give it.

印张 is the page count over the sheet's division, and the page count is known only after
layout (and padding), while the copyright page comes first. A second layout would double
the build time, so the page is laid out with a placeholder as wide as any count, and the
figure is written into its text box before the PDF is drawn (as print/note_numbers.py
does for ①②).
"""

from __future__ import annotations

import math
from typing import Any

from ..model import Book
from ..proof import character_count
from .note_numbers import retext, walk
from .sizes import FORMATS

SHEETS_CLASS = "sheets"
SHEETS_PLACEHOLDER = "0000.000"  # wider than any count it stands for


def imprint(book: Book) -> dict[str, Any]:
    """What the print copyright page's imprint record prints, beyond book.yaml's own fields."""
    sheet = FORMATS.get(book.config.trim)
    labels = book.labels
    return {
        "format_size": f"{sheet[0]}　1/{sheet[1]}" if sheet else None,
        "sheets": SHEETS_PLACEHOLDER if sheet else None,
        "characters": labels.thousand_characters.format(count=math.ceil(character_count(book) / 1000)),
    }


def sheets(pages: int, division: int) -> str:
    """印张 as printed: 256 pages of 1/32 are 8, 28 are 0.875."""
    return f"{pages / division:.3f}".rstrip("0").rstrip(".")


def fill_in_sheets(document: Any, book: Book) -> None:
    """Write the laid-out `document`'s 印张 over the placeholder."""
    sheet = FORMATS.get(book.config.trim)
    if not sheet:
        return
    count = sheets(len(document.pages), sheet[1])
    for page in document.pages:
        for box in walk(page._page_box):
            if SHEETS_CLASS in ((box.element.get("class") or "").split() if box.element is not None else ()):
                for text_box in walk(box):
                    if SHEETS_PLACEHOLDER in (getattr(text_box, "text", "") or ""):
                        retext(text_box, lambda text: text.replace(SHEETS_PLACEHOLDER, count))
                return
