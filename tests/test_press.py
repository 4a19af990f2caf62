"""What a printer and the stores ask for (issue 14), read back from the files: whole
signatures, a press PDF in black ink, the cover with its spine, the copyright page, dist/."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from conftest import build_book, copy_book, offline, run_cli
from pypdf import PdfReader

from zhpress.model import Book
from zhpress.print.cover import draw_cover_pdf
from zhpress.print.signatures import padding

MULTIPLE = 8
DEFAULT_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
BLACK_INK = ((0.0, 0.0, 0.0, 1.0), (0.0,), 0.0, 0)  # CMYK solid black or DeviceGray 0
ISBN = "9787521712346"
MM = 72 / 25.4
TRIM = (140, 203)  # 大32开, the default trim
ORIGINAL_COPYRIGHT = "© 2024 Ann Smith. All rights reserved."
CIP_LINES = ["图书在版编目（CIP）数据", "灯下小记 / 测试译. -- 北京：灯下出版社，2026.2"]
IMPRINT = f"""price: 38.00元
edition: {{number: 1, date: 2026-02}}
printing: {{number: 2, date: 2026-05-10}}
contract_registration: 图字：01-2026-0123
cip: |
  {CIP_LINES[0]}

  {CIP_LINES[1]}
"""


def printers_profile() -> bytes:
    """A printer's own CMYK profile: the default one with another creation date in its header."""
    profile = bytearray(DEFAULT_PROFILE.read_bytes())
    profile[24:36] = (2026).to_bytes(2, "big") + bytes([0, 2, 0, 8, 0, 12, 0, 0, 0, 0])
    return bytes(profile)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The tiny book with 8-page signatures, built once as reading and press PDF."""
    work = tmp_path_factory.mktemp("press")
    manuscript = copy_book("tiny", work / "m")
    (manuscript / "printer.icc").write_bytes(printers_profile())
    with (manuscript / "book.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write(f"pages_multiple: {MULTIPLE}\npress_profile: printer.icc\nisbn: 978-7-5217-1234-6\n"
                   "description: 两篇关于灯与夜的小文。\npublisher: 灯下出版社\n" + IMPRINT)
    chapter = manuscript / "chapters" / "01-lamp.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("author: Ann Smith\n", f"author: Ann Smith\n"
                       f'copyright: "{ORIGINAL_COPYRIGHT}"\n', 1), encoding="utf-8")
    with offline():
        result = build_book(manuscript, work / "out", ("pdf", "press", "cover"))
    return {"pdf": result.paths[0], "press": result.paths[1], "cover": result.paths[2], "manuscript": manuscript}


@pytest.fixture(scope="module")
def tiny_book(tiny: dict[str, Path]) -> Book:
    from zhpress.pipeline import load_book
    from zhpress.read.manuscript import open_manuscript

    return load_book(open_manuscript(tiny["manuscript"]), offline=True)


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


def _black_only(colour: object) -> bool:
    """A colour in black ink alone: a CMYK tint with no cyan, magenta or yellow, or a grey."""
    if isinstance(colour, (int, float)) or colour is None:
        return True
    return len(colour) == 1 or (len(colour) == 4 and colour[:3] == (0, 0, 0))


def test_press_text_is_solid_black_ink_and_everything_drawn_is_black_ink(tiny: dict[str, Path]) -> None:
    with pdfplumber.open(tiny["press"]) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
        drawn = [o for page in pdf.pages for o in page.lines + page.rects + page.curves]
    assert len(chars) > 300
    assert {c["non_stroking_color"] for c in chars} <= set(BLACK_INK)
    assert drawn
    assert all(_black_only(o["stroking_color"]) and _black_only(o["non_stroking_color"]) for o in drawn)


def test_press_pictures_are_cmyk(tiny: dict[str, Path]) -> None:
    with pdfplumber.open(tiny["press"]) as pdf:
        images = [i for page in pdf.pages for i in page.images]
    assert images  # the tiny book's lamp
    assert all(str(i["colorspace"]) == "[/'DeviceCMYK']" for i in images)


def test_press_output_intent_is_the_printers_profile(tiny: dict[str, Path]) -> None:
    root = PdfReader(tiny["press"]).trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/DestOutputProfile"].get_object().get_data() == printers_profile()


def test_crop_marks_lie_outside_the_bleed_box(tiny: dict[str, Path]) -> None:
    page = PdfReader(tiny["press"]).pages[0]
    media, trim, bleed = ([float(v) for v in box] for box in (page.mediabox, page.trimbox, page.bleedbox))
    with pdfplumber.open(tiny["press"]) as pdf:
        shapes = pdf.pages[0].lines + pdf.pages[0].curves
    # pdfplumber's y runs from the media box's bottom edge; PDF's from the origin.
    boxes = [(o["x0"], o["y0"] + media[1], o["x1"], o["y1"] + media[1]) for o in shapes]

    def overlaps(shape: tuple[float, ...], box: list[float]) -> bool:
        return shape[0] < box[2] and shape[2] > box[0] and shape[1] < box[3] and shape[3] > box[1]

    marks = [b for b in boxes if not overlaps(b, trim)]
    assert len(marks) >= 8  # four corners, two strokes each, and the crosses
    assert not any(overlaps(mark, bleed) for mark in marks)
    assert bleed[0] < trim[0] and bleed[2] > trim[2]


def test_a_press_profile_that_is_not_cmyk_is_an_error(tmp_path: Path) -> None:
    manuscript = copy_book("tiny", tmp_path / "tiny")
    shutil.copyfile(DEFAULT_PROFILE.with_name("srgb.icc"), manuscript / "screen.icc")
    (manuscript / "book.yaml").write_text("title: 灯下小记\npress_profile: screen.icc\n", encoding="utf-8")
    code, _, err = run_cli("pdf-press", "--manuscript", "tiny", "--output", "out", cwd=tmp_path)
    assert (code, err.strip().splitlines()[-1]) == (
        2, "tiny/book.yaml:2: error: press_profile: screen.icc is a RGB profile; the press needs a CMYK ICC profile")


def _spine_chars(pdf_path: Path, spine_left_mm: float, spine_mm: float) -> str:
    """The characters printed on the spine (x measured from the sheet's left edge, bleed included)."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        left = page.bbox[0]
        return "".join(c["text"] for c in page.chars
                       if spine_left_mm * MM <= c["x0"] - left and c["x1"] - left <= (spine_left_mm + spine_mm) * MM)


@pytest.mark.parametrize("paper", ["white", "cream"])
@pytest.mark.parametrize("pages", [48, 78, 79, 400])
def test_cover_sheet_is_two_panels_the_spine_and_bleed(tiny_book: Book, tmp_path: Path, pages: int,
                                                       paper: str) -> None:
    book = replace(tiny_book, config=replace(tiny_book.config, values={**tiny_book.config.values, "paper": paper}))
    path = tmp_path / "cover.pdf"
    draw_cover_pdf(book, path, pages)
    spine = pages * {"white": 0.0572, "cream": 0.0635}[paper]
    box = PdfReader(path).pages[0].mediabox
    assert float(box.width) / MM == pytest.approx(2 * TRIM[0] + spine + 6, abs=0.1)
    assert float(box.height) / MM == pytest.approx(TRIM[1] + 6, abs=0.1)
    spine_text = _spine_chars(path, 3 + TRIM[0], spine)
    if pages >= 79:  # spine_text_min_pages' default
        assert "灯下小记" in spine_text and "灯下出版社" in spine_text
    else:
        assert spine_text == ""


def test_paper_thickness_overrides_paper(tiny_book: Book, tmp_path: Path) -> None:
    values = {**tiny_book.config.values, "paper": "cream", "paper_thickness_mm": 0.1}
    geometry = draw_cover_pdf(replace(tiny_book, config=replace(tiny_book.config, values=values)),
                              tmp_path / "c.pdf", 200)
    assert geometry.spine == pytest.approx(20)


def test_cover_barcode_decodes_to_the_isbn(tiny: dict[str, Path]) -> None:
    import pypdfium2
    import zxingcpp

    page = pypdfium2.PdfDocument(tiny["cover"])[0]
    image = page.render(scale=300 / 72).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert [(b.format, b.text) for b in found] == [(zxingcpp.BarcodeFormat.EAN13, ISBN)]


def test_cover_is_pdfx_in_black_ink_with_a_cmyk_front(tiny: dict[str, Path]) -> None:
    reader = PdfReader(tiny["cover"])
    assert b"PDF/X-4" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    with pdfplumber.open(tiny["cover"]) as pdf:
        page = pdf.pages[0]
        assert {c["non_stroking_color"] for c in page.chars} <= set(BLACK_INK)
        assert page.images and all(str(i["colorspace"]) == "[/'DeviceCMYK']" for i in page.images)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("isbn", "978-7-5217-1234-5",
     "isbn: ISBN 978-7-5217-1234-5 has check digit 5, but its first twelve digits give 6"),
    ("identifier", "urn:isbn:9787521712340",
     "identifier: ISBN urn:isbn:9787521712340 has check digit 0, but its first twelve digits give 6"),
])
def test_a_bad_isbn_check_digit_is_an_error(tmp_path: Path, key: str, value: str, message: str) -> None:
    manuscript = copy_book("tiny", tmp_path / "tiny")
    (manuscript / "book.yaml").write_text(f"title: 灯下小记\n{key}: {value}\n", encoding="utf-8")
    code, _, err = run_cli("cover", "--manuscript", "tiny", "--output", "out", cwd=tmp_path)
    assert (code, err.strip()) == (2, f"tiny/book.yaml:2: error: {message}")


def test_copyright_page_prints_the_imprint_record(tiny: dict[str, Path]) -> None:
    with pdfplumber.open(tiny["pdf"]) as pdf:
        pages = len(pdf.pages)
        text = next(t for p in pdf.pages if "版权页" in (t := p.extract_text() or "") or "书名" in t)
    lines = text.splitlines()
    assert f"{ORIGINAL_COPYRIGHT} 中文翻译版权经授权" in lines
    assert lines.index(CIP_LINES[0]) + 1 == lines.index(CIP_LINES[1])  # line for line, blank lines aside
    assert "著作权合同登记号：图字：01-2026-0123" in lines
    assert "开本 850mm×1168mm 1/32" in lines
    assert f"印张 {pages / 32:g}" in lines  # the padded count: 印张 = pages ÷ 32
    assert "字数 1千字" in lines  # the tiny book has a few hundred characters
    assert "版次 2026年2月第1版" in lines
    assert "印次 2026年5月10日第2次印刷" in lines
    assert f"书号 ISBN {ISBN}" in lines
    assert "定价 38.00元" in lines
    assert lines.index(CIP_LINES[0]) < lines.index("开本 850mm×1168mm 1/32") < lines.index("定价 38.00元")


def test_copyright_page_leaves_out_what_is_not_given(tiny_book: Book, tmp_path: Path) -> None:
    from zhpress.print.html import render_print_html

    given = ("isbn", "price", "edition", "printing", "cip", "contract_registration")
    values = {**tiny_book.config.values, **dict.fromkeys(given), "trim": "6x9in"}
    html = render_print_html(replace(tiny_book, config=replace(tiny_book.config, values=values)), tmp_path / "b.html")
    for label in ("开本", "印张", "版次", "印次", "书号", "定价", "著作权合同登记号", "CIP"):
        assert label not in html
    assert "字数" in html
