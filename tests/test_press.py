"""What a printer and the stores ask for (issue 14), read back from the files: whole
signatures, a press PDF in black ink, the cover with its spine, the copyright page, dist/."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from conftest import build_book, copy_book, offline

from zhpress.print.signatures import padding

MULTIPLE = 8


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The tiny book with 8-page signatures, built once as reading and press PDF."""
    work = tmp_path_factory.mktemp("press")
    manuscript = copy_book("tiny", work / "m")
    with (manuscript / "book.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write(f"pages_multiple: {MULTIPLE}\n")
    with offline():
        result = build_book(manuscript, work / "out", ("pdf", "press"))
    return {"pdf": result.paths[0], "press": result.paths[1], "manuscript": manuscript}


@pytest.mark.parametrize(("pages", "multiple", "blanks"), [(25, 4, 3), (28, 4, 0), (15, 8, 1), (33, 32, 31)])
def test_padding_fills_the_last_signature(pages: int, multiple: int, blanks: int) -> None:
    assert padding(pages, multiple) == blanks


@pytest.mark.parametrize("kind", ["pdf", "press"])
def test_page_count_fills_signatures_and_padding_is_blank(tiny: dict[str, Path], kind: str) -> None:
    with pdfplumber.open(tiny[kind]) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    assert len(texts) % MULTIPLE == 0
    last_text = max(i for i, t in enumerate(texts) if t.strip())
    blanks = texts[last_text + 1:]
    assert blanks, "the tiny book needs padding for this test to mean something"
    assert len(texts) - len(blanks) > len(texts) - MULTIPLE  # padding only fills the last signature
    assert all(not t.strip() for t in blanks)  # no folio, no running head
