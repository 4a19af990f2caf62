"""Whole signatures: a printed book is folded from sheets of 4, 8, 16 or 32 pages, so its
page count must fill them. A shop left to do it adds blanks wherever it likes; we add them
at the end of the interior, blank through and through (no folio, no running head), after
the proof has run, so they hold no text to account for."""

from __future__ import annotations

from typing import Any

# Empty sections, each on its own page, sized as the book's pages: margin boxes stay empty
# because no rule of the book's stylesheet reaches this document.
BLANK_PAGES = ("<!DOCTYPE html><html><head><style>@page {{ size: {size}; }}"
               " section + section {{ break-before: page; }}</style></head><body>{sections}</body></html>")


def padding(pages: int, multiple: int) -> int:
    """How many blank pages bring `pages` to a multiple of `multiple`."""
    return -pages % multiple


def pad_to_signatures(document: Any, multiple: int, page_size: str, stylesheets: list[Any],
                      color_profiles: dict[str, Any]) -> int:
    """Append blank pages to the laid-out `document` (with the variant's `stylesheets`: bleed
    and marks) until its page count is a multiple of `multiple`; returns how many."""
    missing = padding(len(document.pages), multiple)
    if missing:
        from weasyprint import HTML

        html = BLANK_PAGES.format(size=page_size, sections="<section></section>" * missing)
        blanks = HTML(string=html).render(stylesheets=stylesheets, color_profiles=color_profiles)
        document.pages.extend(blanks.pages)
    return missing
