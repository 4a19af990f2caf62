"""A document id derived from the book, so that the same manuscript gives the same bytes.

PDF/X's XMP DocumentID is a random uuid4 in WeasyPrint 70 (`weasyprint.pdf.metadata`).
"""

from __future__ import annotations

import uuid

from weasyprint.pdf import metadata

from . import Patch


def patches(seed: str) -> list[Patch]:
    stable = uuid.uuid5(uuid.NAMESPACE_URL, seed)
    return [Patch(metadata, "uuid4", lambda: stable)]
