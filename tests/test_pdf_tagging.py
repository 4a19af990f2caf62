"""Keeping pydyf's page references while tagging changes the time, never the bytes."""

from __future__ import annotations

from pathlib import Path

import pydyf
from pypdf import PdfReader
from weasyprint import HTML

from zhpress.print.extensions import applied, tagging

PAGES = "".join(
    f'<p id="p{n}" style="break-after: page">第{n}页，<em>强调</em>与<a href="#p{n}">链接</a>。</p>' for n in range(12)
)
HTML_DOC = f'<html lang="zh-Hans"><head><title>标记</title></head><body>{PAGES}</body></html>'


def test_tagged_pdf_is_byte_identical_with_kept_page_references(tmp_path: Path) -> None:
    document = HTML(string=HTML_DOC).render()
    plain, kept = tmp_path / "plain.pdf", tmp_path / "kept.pdf"
    document.write_pdf(plain, pdf_variant="pdf/ua-1")
    with applied(tagging.patches()):
        document.write_pdf(kept, pdf_variant="pdf/ua-1")
    assert "/StructTreeRoot" in PdfReader(kept).trailer["/Root"]
    assert plain.read_bytes() == kept.read_bytes()


def test_the_original_property_is_restored() -> None:
    original = pydyf.PDF.page_references
    with applied(tagging.patches()):
        assert pydyf.PDF.page_references is not original
    assert pydyf.PDF.page_references is original
