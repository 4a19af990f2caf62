"""The WeasyPrint version our layout extensions (pdf_justify, pdf_notes, pdf_page_styles) are written against."""

from __future__ import annotations

import weasyprint

WEASYPRINT_VERSION = "70.0"


def require_version() -> None:
    """The extensions reach into WeasyPrint's layout internals: refuse any other version."""
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise RuntimeError(
            f"zhpress's WeasyPrint extensions are written for WeasyPrint {WEASYPRINT_VERSION}, "
            f"not {weasyprint.__version__}: pin it in requirements.txt"
        )
