"""Figures float so that no page stops short for one (issue 15), measured on books whose
figures fall at every height of the page, at every trim: no short page is caused by a figure,
every caption is printed once, on the page the figure would have opened, and the text around
each figure stays in order."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import build_book, make_png
from pdf_layout import short_pages

from zhpress.config import TRIM_SIZES
from zhpress.proof import ProofError

SENTENCE = "渡轮每天清晨六点离开码头，船上多是赶早市的菜农和去对岸上学的孩子。"
# Text before each chapter's figure, in sentences: the figures land at many heights of the page.
LEADS = (3, 7, 11, 15, 19, 23)
AFTER = 4  # paragraphs after each figure


def floats_book(root: Path, trim: str) -> Path:
    """Six chapters, each a lead of numbered paragraphs, a tall figure, then more of them."""
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(f"title: 图片的位置\ntrim: {trim}\n", encoding="utf-8")
    for c, lead in enumerate(LEADS, start=1):
        paragraphs = [f"第{c}章前{n}段。" + SENTENCE * (1 + (lead + n) % 4) for n in range(1, lead // 3 + 2)]
        after = [f"第{c}章后{n}段。" + SENTENCE * (2 + n % 3) for n in range(1, AFTER + 1)]
        make_png(root / "chapters" / "images" / f"{c}.png", 300, 240, "steelblue")
        figure = f"![{c}.png](images/{c}.png)\n\nAnn Lee / AP 第{c}章的图片说明。"
        text = "\n\n".join([f"# 第{c}章", *paragraphs, figure, *after])
        (root / "chapters" / f"{c:02}.md").write_text(text + "\n", encoding="utf-8")
    return root


def page_texts(pdf_path: Path) -> list[str]:
    """Each page's text, spaces left out, up to the picture credits (which cite each caption again)."""
    with pdfplumber.open(pdf_path) as pdf:
        pages = [re.sub(r"\s", "", page.extract_text() or "") for page in pdf.pages]
    return pages[: next(i for i, text in enumerate(pages) if text.startswith("图片版权"))]


def page_of(pages: list[str], text: str) -> int:
    (page,) = [number for number, page in enumerate(pages) if text in page]
    return page


@pytest.fixture(scope="module", params=sorted(TRIM_SIZES))
def floats_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"floats-{request.param}")
    return build_book(floats_book(root / "m", request.param), root / "out", ("pdf",)).path(".pdf")


def test_no_page_stops_short_for_a_figure(floats_pdf: Path) -> None:
    assert [page for page in short_pages(floats_pdf) if page.cause == "figure"] == []


def test_each_figure_lands_once_in_its_chapter_on_the_page_it_would_have_opened(floats_pdf: Path) -> None:
    pages = page_texts(floats_pdf)
    text = "".join(pages)
    moved = 0
    for c, lead in enumerate(LEADS, start=1):
        caption = f"第{c}章的图片说明"
        assert text.count(caption) == 1
        before = [text.index(f"第{c}章前{n}段") for n in range(1, lead // 3 + 2)]
        after = [text.index(f"第{c}章后{n}段") for n in range(1, AFTER + 1)]
        assert before == sorted(before) and after == sorted(after) and before[-1] < after[0]
        assert before[-1] < text.index(caption) < (text.index(f"第{c + 1}章前1段") if c < len(LEADS) else len(text))
        # Where the manuscript puts it the figure would open the page after the last lead paragraph's.
        assert page_of(pages, caption) - page_of(pages, f"第{c}章前{lead // 3 + 1}段") <= 1
        moved += text.index(caption) > after[0]
    assert moved >= 1  # the book reaches the case: some figure did not fit where it was


def test_the_proof_knows_a_floated_figure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proof that expected figures where the manuscript put them would stop this build."""
    from zhpress.print import proof

    monkeypatch.setattr(proof, "_float", lambda body, figure, after: None)
    with pytest.raises(ProofError, match=re.escape("text out of order in print")):
        build_book(floats_book(tmp_path / "m", "32k-large"), tmp_path / "out", ("pdf",))
