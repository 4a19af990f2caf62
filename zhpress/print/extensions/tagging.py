"""Tagged PDF at book scale.

WeasyPrint 70's structure tree (`pdf/tags.py`, `_build_box_tree`) asks pydyf's
`PDF.page_references` once per box, and pydyf 0.13 builds that tuple of every page anew at
each call: the tagging of a 1,900-page book grows with boxes × pages (measured: 8.6 s more
than an untagged write at 566 pages). While our PDF is written, the tuple is kept until a
page is added. The bytes written are the same.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pydyf

PYDYF_VERSION = "0.13.0"


def _cached_page_references(self: Any) -> tuple[bytes, ...]:
    kids = self.pages["Kids"]
    cached = self.__dict__.get("_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self.__dict__["_page_references"] = cached
    return cached[1]


@contextlib.contextmanager
def page_references_kept() -> Iterator[None]:
    if pydyf.__version__ != PYDYF_VERSION:
        raise RuntimeError(f"zhpress.pdf_tagging is written for pydyf {PYDYF_VERSION}, not {pydyf.__version__}")
    original = pydyf.PDF.page_references
    pydyf.PDF.page_references = property(_cached_page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original
