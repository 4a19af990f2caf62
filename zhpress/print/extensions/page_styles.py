"""Page styles in time that grows with the pages, not with their square.

WeasyPrint 70.0 keeps the declarations of every page laid out so far in one dictionary,
under (page type, margin box) keys, about twenty per page; to find the margin boxes of
each new page it walks the whole dictionary. On a 100-chapter anthology (1,900 pages) the
walk cost 24 s of a 127 s render and made the build grow faster than the book. The margin
boxes a page can have are named by the @page rules' own pseudo-elements (`@top-left`, …),
so `install()` looks those up directly. The styles computed are the same; only the search
differs. Pinned to WeasyPrint 70.0 (`extensions.REQUIRED_VERSIONS`).
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import page as page_layout

from . import Patch


def patches() -> list[Patch]:
    return [Patch(page_layout, "set_page_type_computed_styles", set_page_type_computed_styles)]


def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
    """Compute the style of `page_type` and of each of its margin boxes the rules style."""
    style_for.add_page_declarations(page_type)
    document = {"root": html.etree_element, "base_url": html.base_url}
    # @page inherits from the root element, a margin box from its page.
    style_for.set_computed_styles(page_type, parent=html.etree_element, **document)
    cascaded = style_for.get_cascaded_styles()
    for pseudo_type in page_pseudo_types(style_for):
        if (page_type, pseudo_type) in cascaded:
            style_for.set_computed_styles(page_type, pseudo_type=pseudo_type, parent=page_type, **document)


def page_pseudo_types(style_for: Any) -> list[str]:
    """The margin boxes (`@top-left`, `@footnote`, …) named by any @page rule, in rule order."""
    names: dict[str, None] = {}
    for sheet, _origin, _specificity in style_for._sheets:
        for _rule, selectors, _declarations in sheet.page_rules:
            for _specificity, pseudo_type, _page_selector in selectors:
                if pseudo_type:
                    names[pseudo_type] = None
    return list(names)
