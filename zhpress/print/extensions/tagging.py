"""Tagged PDF at book scale.

WeasyPrint 70's structure tree (`pdf/tags.py`, `_build_box_tree`) asks pydyf's
`PDF.page_references` once per box, and pydyf 0.13 builds that tuple of every page anew at
each call: the tagging of a 1,900-page book grows with boxes × pages (measured: 8.6 s more
than an untagged write at 566 pages). While our PDF is written, the tuple is kept until a
page is added. The bytes written are the same.
"""

from __future__ import annotations

from typing import Any

import pydyf

from . import Patch


def patches() -> list[Patch]:
    return [Patch(pydyf.PDF, "page_references", property(_cached_page_references))]


def _cached_page_references(self: Any) -> tuple[bytes, ...]:
    kids = self.pages["Kids"]
    cached = self.__dict__.get("_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self.__dict__["_page_references"] = cached
    return cached[1]
