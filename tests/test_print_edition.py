"""The print edition read back from the PDF: book structure, running heads, notes, the text's setting."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import build_book, copy_book, offline, squash
from pdf_layout import (
    BODY_SIZE,
    CIRCLED,
    MM,
    bad_line_ends,
    bad_line_starts,
    body_lines,
    punctuation_pairs,
    ragged_lines,
)
from pypdf import PdfReader

CHAPTER_TITLE_SIZE = 18  # print.css .chapter-title
RUNNING_HEAD_SIZE = 8
NOTE_SIZE = 7.5  # notes and their markers
CALL_SIZE = 7  # footnote calls in the text (print.css)

# Chapter titles as the test books give them (front matter or `# ` heading; English when no Chinese).
BOOKS = {
    "manuscript": {"title": "阿萨德家族的覆灭", "chapters": ["阿萨德家族的覆灭"], "credits": 6},
    "multi": {"title": "小镇三记", "chapters": ["河流的记忆", "集市", "港口的黄昏"], "credits": 4},
}


@pytest.fixture(scope="module", params=list(BOOKS))
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    case = request.param
    work = tmp_path_factory.mktemp(case)
    with offline():
        result = build_book(copy_book(case, work / "m"), work / "out", ("pdf",))
    return case, result.path(".pdf")


def page_words(pdf: pdfplumber.PDF, size: float) -> list[list[dict]]:
    """Per page, the characters set at `size`."""
    return [[c for c in page.chars if abs(c["size"] - size) < 0.2] for page in pdf.pages]


def chapter_start_pages(pdf: pdfplumber.PDF) -> list[int]:
    """0-based indexes of the pages after the contents carrying a chapter title."""
    toc = next(i for i, p in enumerate(pdf.pages) if "目录" in (p.extract_text() or ""))
    return [i for i, chars in enumerate(page_words(pdf, CHAPTER_TITLE_SIZE)) if chars and i > toc]


def test_bookmarks_for_front_matter_chapters_and_back(book: tuple[str, Path]) -> None:
    case, pdf = book
    titles = [item.title for item in PdfReader(pdf).outline]
    expected = ["书名页", "版权页", "目录", *BOOKS[case]["chapters"], "图片版权"]
    assert titles == expected


def test_metadata_language_and_tagging(book: tuple[str, Path]) -> None:
    case, pdf = book
    reader = PdfReader(pdf)
    assert reader.metadata["/Title"] == BOOKS[case]["title"]
    assert reader.metadata["/Author"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-Hans"
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root


def test_contents_page_numbers_are_the_chapter_start_pages(book: tuple[str, Path]) -> None:
    case, pdf_path = book
    with pdfplumber.open(pdf_path) as pdf:
        starts = chapter_start_pages(pdf)
        toc_page = next(p for p in pdf.pages if "目录" in (p.extract_text() or ""))
        entries = re.findall(r"^(.+?)·+\s*(\d+)$", toc_page.extract_text(), re.MULTILINE)
    folios = {squash(title): int(number) for title, number in entries}
    first_body = starts[0]
    assert folios[squash(BOOKS[case]["chapters"][0])] == 1
    for title, start in zip(BOOKS[case]["chapters"], starts, strict=True):
        assert folios[squash(title)] == start - first_body + 1
    assert start % 2 == 0  # 0-based even index: a right-hand page


def test_running_heads_and_folios(book: tuple[str, Path]) -> None:
    case, pdf_path = book
    with pdfplumber.open(pdf_path) as pdf:
        starts = chapter_start_pages(pdf)
        heads = page_words(pdf, RUNNING_HEAD_SIZE)
        for index in range(starts[0], len(pdf.pages)):
            page = pdf.pages[index]
            top = "".join(c["text"] for c in heads[index] if c["top"] < 20 * MM)
            foot = "".join(c["text"] for c in heads[index] if c["top"] > page.height - 20 * MM)
            body_chars = [c for c in page.chars if abs(c["size"] - BODY_SIZE) < 0.2]
            if not body_chars and not page.chars:
                assert not top and not foot  # blank page: nothing at all
                continue
            assert foot == str(index - starts[0] + 1)
            if index in starts or (page.extract_text() or "").startswith("图片版权"):
                assert top == ""
            elif index % 2:  # left-hand page
                assert top == BOOKS[case]["title"]
            else:
                assert top in BOOKS[case]["chapters"] or top == "图片版权"


def test_every_note_is_on_the_page_of_its_call_in_the_lower_part(book: tuple[str, Path]) -> None:
    _, pdf_path = book
    notes_seen = 0
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            calls = [c["text"] for c in page.chars if c["text"] in CIRCLED and abs(c["size"] - CALL_SIZE) < 0.05]
            markers = [c for c in page.chars if c["text"] in CIRCLED and abs(c["size"] - NOTE_SIZE) < 0.05]
            assert [m["text"] for m in markers] == calls
            assert calls == list(CIRCLED[: len(calls)])  # ①②③ restarting on each page
            assert all(m["top"] > page.height / 2 for m in markers)
            notes_seen += len(markers)
    assert notes_seen > 0


def test_cleaned_urls_are_printed_in_the_notes(book: tuple[str, Path]) -> None:
    case, pdf_path = book
    with pdfplumber.open(pdf_path) as pdf:
        notes = squash("".join(c["text"] for p in pdf.pages for c in p.chars if abs(c["size"] - NOTE_SIZE) < 0.2))
    assert "utm_" not in notes and "fbclid" not in notes and "si=" not in notes and ":~:" not in notes
    if case == "manuscript":
        assert "https://www.youtube.com/watch?v=D7mH2F1N38I" in notes
        assert "https://youtu.be/J4AAOzkeiYE" in notes


def test_body_is_flush_and_keeps_the_line_breaking_rules(book: tuple[str, Path]) -> None:
    _, pdf_path = book
    lines = body_lines(pdf_path)
    full = [ln for ln in lines if not ln.last_of_paragraph]
    assert len(full) >= 4
    assert [(ln.page, ln.text, round(ln.right_edge - ln.x1, 2)) for ln in ragged_lines(lines)] == []
    assert [(ln.page, ln.text) for ln in bad_line_starts(lines)] == []
    assert [(ln.page, ln.text) for ln in bad_line_ends(lines)] == []


def test_adjacent_punctuation_is_compressed(book: tuple[str, Path]) -> None:
    _, pdf_path = book
    pairs = punctuation_pairs(body_lines(pdf_path))
    assert pairs  # both books have “…”，and ）。 pairs
    assert [p for p in pairs if p[1] > 0.75] == []


def test_fonts_are_simplified_chinese_faces_embedded_never_slanted(book: tuple[str, Path]) -> None:
    from zhpress.check.gate import unembedded_fonts

    _, pdf_path = book
    reader = PdfReader(pdf_path)
    names = {str(f.get_object().get("/BaseFont")) for p in reader.pages
             for f in ((p.get("/Resources") or {}).get("/Font") or {}).values()}
    assert any(re.search(r"Noto-?Serif-?CJK-?SC", n, re.IGNORECASE) for n in names), names
    assert not [n for n in names if re.search(r"CJK-?(JP|KR|TC|HK)", n, re.IGNORECASE)]
    assert not [n for n in names if re.search(r"Oblique|Italic", n)]
    assert unembedded_fonts(reader) == set()


def test_picture_credits_page_lists_every_credit(book: tuple[str, Path]) -> None:
    case, pdf_path = book
    with pdfplumber.open(pdf_path) as pdf:
        credits_page = [t for p in pdf.pages if (t := p.extract_text())][-1]  # blank padding follows
    assert credits_page.startswith("图片版权")
    assert len(re.findall(r"第\d+页", credits_page)) == BOOKS[case]["credits"]


def multi_pdf_with(tmp_path: Path, settings: str) -> Path:
    """The multi book's PDF with `settings` added to its book.yaml."""
    manuscript = copy_book("multi", tmp_path / "m")
    config = manuscript / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + settings, encoding="utf-8")
    with offline():
        return build_book(manuscript, tmp_path / "out", ("pdf",)).path(".pdf")


def test_trim_size_and_per_chapter_numbering(tmp_path: Path) -> None:
    pdf_path = multi_pdf_with(tmp_path, "trim: a5\nnote_numbering: chapter\n")
    reader = PdfReader(pdf_path)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / MM), round(height / MM)) == (148, 210)
    with pdfplumber.open(pdf_path) as pdf:
        markers = [c["text"] for p in pdf.pages for c in p.chars
                   if c["text"] in CIRCLED and abs(c["size"] - NOTE_SIZE) < 0.2]
    # river.md has three notes, harbour.md three: each chapter counts from ①.
    assert markers[:3] == ["①", "②", "③"]
    assert markers.count("①") == 3  # market.md has one note


def test_press_variant_has_bleed_marks_and_pdfx(tmp_path: Path) -> None:
    manuscript = copy_book("tiny", tmp_path / "m")
    with offline():
        result = build_book(manuscript, tmp_path / "out", ("press",))
    reader = PdfReader(result.paths[0])
    page = reader.pages[0]
    # A sheet 12 mm larger than the trim on every side, the bleed (WeasyPrint: 10 pt) inside it.
    assert float(page.trimbox.left) - float(page.mediabox.left) == pytest.approx(12 * MM, abs=0.01)
    assert float(page.trimbox.left) - float(page.bleedbox.left) == pytest.approx(10, abs=0.01)
    assert b"GTS_PDFXVersion" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_margins_from_book_yaml_mirror_on_left_and_right_pages(tmp_path: Path) -> None:
    pdf_path = multi_pdf_with(tmp_path, "inner_margin: 25mm\nouter_margin: 12mm\n")
    # The left edge of the page area: body text on right-hand pages (first lines aside), and
    # the running head and folio, which start at the margin, on left-hand pages.
    flush_left = {"right": 0, "left": 0}
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            side = "right" if index % 2 == 0 else "left"  # right-hand pages bind on the left
            size = BODY_SIZE if side == "right" else RUNNING_HEAD_SIZE
            chars = [c for c in page.chars if abs(c["size"] - size) < 0.2]
            if not chars or index < 4:  # front matter is set apart
                continue
            expected = 25 * MM if side == "right" else 12 * MM
            left = min(c["x0"] for c in chars)
            assert left >= expected - 0.5
            flush_left[side] += abs(left - expected) < 0.5
    assert flush_left["right"] and flush_left["left"]


def test_a_margin_that_is_not_a_length_is_an_error(tmp_path: Path) -> None:
    from conftest import run_cli

    manuscript = copy_book("tiny", tmp_path / "tiny")
    (manuscript / "book.yaml").write_text("title: 灯下小记\ninner_margin: 2 inches\n", encoding="utf-8")
    code, _, err = run_cli("pdf", "--manuscript", "tiny", "--output", "out", cwd=tmp_path)
    assert (code, err.strip()) == (
        2, "tiny/book.yaml:2: error: inner_margin: expected a length such as 18mm, got '2 inches'"
    )
