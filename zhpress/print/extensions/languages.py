"""Tagged PDF in two languages (the bilingual edition).

WeasyPrint 70 writes the document's language in the catalog only (`pdf/tags.py`): a block of
the English original would read as Chinese to a screen reader. While a bilingual PDF is
written, each structure element made for an HTML element that carries `lang` gets it as
/Lang, which its descendants inherit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf
from weasyprint.pdf import tags

from . import Patch

_BUILD_BOX_TREE = tags._build_box_tree  # WeasyPrint's own, which ours wraps
UNTAGGED = ("html", "body")  # boxes WeasyPrint makes no structure element for


def patches() -> list[Patch]:
    return [Patch(tags, "_build_box_tree", _with_languages)]


def _with_languages(box: Any, parent: Any, *rest: Any) -> Iterator[Any]:
    """WeasyPrint's structure elements for `box`, with /Lang from its element's `lang`. The
    recursion goes through the module's name, so every box in the tree passes here."""
    element = getattr(box, "element", None)
    language = None
    if element is not None and getattr(box, "element_tag", None) not in UNTAGGED:
        language = element.get("lang")
    for structure in _BUILD_BOX_TREE(box, parent, *rest):
        if language and "Lang" not in structure:
            structure["Lang"] = pydyf.String(language)
        yield structure
