"""tests/books/multi: three chapters, local pictures, links, footnotes, a table, a list; both books."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import (
    ALLOWED_FONT,
    BOOK_IMAGES,
    EPUB_TYPE,
    HAN,
    ITALIC_FLAG,
    NS,
    ROOT,
    BuildResult,
    Epub,
    build_book,
    copy_book,
    font_descriptor,
    make_png,
    pdf_fonts,
    pdf_text,
    squash,
    text_of,
    xpath,
)
from PIL import Image
from pypdf import PdfReader

from zhpress.check.gate import epubcheck

CHAPTER_TITLES = ["河流的记忆", "集市", "港口的黄昏"]
# One sentence of each chapter's body, in reading order, ASCII quotes already made Chinese.
CHAPTER_SAMPLES = [
    "渡口的老船工说，“河水记得每一个过河的人”。他在这里摆渡了四十年。",
    "卖菜的王阿姨说，她的摊位“已经传了三代”。",
    "灯塔的光照亮了最后一条归来的船。",
]
LONG_PARAGRAPH_END = "讨价还价的声音此起彼伏，一直要热闹到中午才慢慢散去。"
# Links in the body: each gets a note of its own.
URL_NOTES = [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://news.example.org/local/ferry-story.html",
    "https://photos.example.net/market?id=42",
    "https://youtu.be/aBcDeFgHiJk?t=42",
]
# The link inside a footnote: its URL goes in brackets in the note's text.
CLEANED_LINKS = [*URL_NOTES, "https://port.example.gov/annual-report-2023.pdf"]
SOURCE_URLS = ["https://www.example.com/2024/01/the-river-remembers/", "https://www.example.com/harbour-at-dusk"]
TRACKING = ["utm_", "fbclid", "gclid", "si=", ":~:", "Xy12AbCdEfGh34_z", "ShareTracking123"]
FOOTNOTES = ["渡口建于一九八二年，当时只有一条木船。",
             "数据见港务局年报（https://port.example.gov/annual-report-2023.pdf）第十二页。"]
TABLE_AND_LIST = [
    "年份", "乘客人数", "2022", "一万二千人", "2023", "九千五百人",  # the table
    "新桥通车", "年轻人外出打工", "票价上涨", "蔬菜", "干货", "小吃",  # the lists
]
# Every figure: picture file, alt text, caption, credit (None: no credit given).
FIGURES = [
    ("chapters/images/river.png", "2024年1月，老船工在渡口等待第一班乘客。", "2024年1月，老船工在渡口等待第一班乘客。",
     "Jane Doe / Reuters"),
    ("chapters/images/市场.png", "市场一角", "清晨的集市，摊主们正在摆货。", "Li Si / Xinhua"),
    ("chapters/images/harbour.png", "黄昏时分港口里的渔船", "黄昏时分港口里的渔船", None),
    ("chapters/images/dawn.png", "Fishing boats leaving the harbour at dawn", "2023年11月，清晨出港的渔船。",
     "John Roe / The Harbour Times"),
]
METADATA = [
    "小镇三记", "河流、集市与港口", "Three Sketches of a Small Town", "Jane Doe", "John Roe", "李四", "王五",
    "示例出版社", "2025年3月1日", "本书仅供测试使用。",
    # chapter sources: original titles, publication and clip dates
    "The River Remembers", "2024年1月15日", "2025年2月10日", "Dusk at the Harbour", "2023年11月5日", "2025年2月11日",
]


@dataclass
class MultiBook:
    folder: Path
    build: BuildResult
    pdf: Path
    epub: Path
    html: Path
    text: str


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> MultiBook:
    root = tmp_path_factory.mktemp("multi")
    folder = copy_book("multi", root / "multi")
    result = build_book(folder, root / "output", ("pdf", "epub", "html"))
    pdf = result.path(".pdf")
    return MultiBook(folder, result, pdf, result.path(".epub"), result.path(".html"), pdf_text(pdf))


@pytest.fixture(scope="module")
def epub(book: MultiBook) -> Epub:
    return Epub(book.epub)


def test_builds_without_warnings(book: MultiBook) -> None:
    assert book.build.warnings == []
    slug = "three-sketches-of-a-small-town"  # from original_title
    assert sorted(p.name for p in book.build.paths) == [f"{slug}.epub", f"{slug}.html", f"{slug}.pdf"]


# --------------------------------------------------------------------------- PDF


def test_pdf_chapters_in_listed_order(book: MultiBook) -> None:
    text = squash(book.text)
    positions = [text.find(squash(s)) for s in CHAPTER_SAMPLES]
    assert -1 not in positions
    assert positions == sorted(positions)


@pytest.mark.parametrize("sample", [*CHAPTER_TITLES, LONG_PARAGRAPH_END, *TABLE_AND_LIST, *FOOTNOTES])
def test_pdf_holds_text_table_list_and_footnotes(book: MultiBook, sample: str) -> None:
    assert squash(sample) in squash(book.text)


@pytest.mark.parametrize("url", [*CLEANED_LINKS, *SOURCE_URLS])
def test_pdf_holds_every_cleaned_url(book: MultiBook, url: str) -> None:
    assert squash(url) in squash(book.text)


def test_pdf_has_no_tracking_left(book: MultiBook) -> None:
    assert [t for t in TRACKING if t in book.text] == []


@pytest.mark.parametrize(("_", "alt", "caption", "credit"), FIGURES)
def test_pdf_holds_every_caption_and_credit(
    book: MultiBook, _: str, alt: str, caption: str, credit: str | None
) -> None:
    assert squash(caption) in squash(book.text)
    if credit:
        assert squash(credit) in squash(book.text)


@pytest.mark.parametrize("metadata", METADATA)
def test_pdf_prints_book_and_source_metadata(book: MultiBook, metadata: str) -> None:
    assert squash(metadata) in squash(book.text)


def test_pdf_embeds_every_picture(book: MultiBook) -> None:
    sizes = []
    for page in PdfReader(book.pdf).pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                sizes.append((int(obj["/Width"]), int(obj["/Height"])))
    expected = [BOOK_IMAGES["multi"][path][:2] for path, *_ in FIGURES]
    assert sorted(set(sizes)) == sorted(expected)


def test_pdf_fonts_language_and_metadata(book: MultiBook) -> None:
    fonts = pdf_fonts(book.pdf)
    assert [n for n in fonts if not ALLOWED_FONT.match(n)] == []
    for name, font in fonts.items():
        descriptor = font_descriptor(font)
        assert descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
        assert not int(descriptor["/Flags"]) & ITALIC_FLAG, name
    reader = PdfReader(book.pdf)
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    assert reader.metadata["/Title"] == "小镇三记"
    assert "Jane Doe" in reader.metadata["/Author"] and "John Roe" in reader.metadata["/Author"]


# --------------------------------------------------------------------------- EPUB


def test_epubcheck_reports_nothing(book: MultiBook) -> None:
    assert [str(m) for m in epubcheck(book.epub)] == []


def chapter_hrefs(epub: Epub) -> list[str]:
    """Spine documents that hold a chapter, in spine order."""
    hrefs = []
    for href in epub.spine_hrefs:
        doc = epub.xhtml(href)
        if xpath(doc, "//h:section[contains(concat(' ', @epub:type, ' '), ' chapter ')]"):
            hrefs.append(href)
    return hrefs


def test_spine_holds_the_chapters_in_listed_order(epub: Epub) -> None:
    titles = [text_of(xpath(epub.xhtml(h), "//h:h1")[0]).strip() for h in chapter_hrefs(epub)]
    assert titles == CHAPTER_TITLES


def test_nav_lists_the_chapters_in_order_then_the_credits(epub: Epub) -> None:
    toc = epub.nav_toc()
    assert [text for text, _ in toc] == [*CHAPTER_TITLES, "图片版权"]
    assert [href.partition("#")[0] for _, href in toc[:3]] == chapter_hrefs(epub)
    assert all(href.partition("#")[0] in epub.spine_hrefs for _, href in toc)


def test_opf_metadata(epub: Epub) -> None:
    assert epub.dc("title")[0] == "小镇三记"  # the main title first; subtitles may follow
    assert epub.dc("language") == ["zh-Hans"]
    assert epub.dc("publisher") == ["示例出版社"]
    assert epub.dc("date") == ["2025-03-01"]
    assert epub.dc("rights") == ["本书仅供测试使用。"]
    assert epub.dc("source") == SOURCE_URLS
    (identifier,) = epub.dc("identifier")
    assert identifier.startswith("urn:uuid:")


def test_authors_and_translators_are_creators_with_their_roles(epub: Epub) -> None:
    assert epub.creators() == [("Jane Doe", "aut"), ("John Roe", "aut"), ("李四", "trl"), ("王五", "trl")]


def test_every_picture_is_in_the_manifest_with_its_alt_text(book: MultiBook, epub: Epub) -> None:
    manifest = {item.get("href"): item for item in epub.manifest.values()}
    images = [img for href in chapter_hrefs(epub) for img in epub.xhtml(href).iter("{*}img")]
    assert [img.get("alt") for img in images] == [alt for _, alt, _, _ in FIGURES]
    for img, (path, *_) in zip(images, FIGURES, strict=True):
        item = manifest[img.get("src")]
        assert item.get("media-type") == "image/png"
        width, height, color = BOOK_IMAGES["multi"][path]
        with Image.open(io.BytesIO(epub.files[epub.href(img.get("src"))])) as picture:
            assert picture.size == (width, height)
            assert picture.convert("RGB").getpixel((0, 0)) == Image.new("RGB", (1, 1), color).getpixel((0, 0))


def test_epub_figures_carry_caption_and_credit(epub: Epub) -> None:
    found = []
    for href in chapter_hrefs(epub):
        for figure in epub.xhtml(href).iter("{*}figure"):
            spans = {s.get("class"): squash(text_of(s)) for s in figure.iter("{*}span")}
            found.append((spans.get("caption"), spans.get("credit")))
    assert found == [(squash(caption), credit and squash(credit)) for _, _, caption, credit in FIGURES]


def test_picture_credits_page_lists_every_credit(epub: Epub) -> None:
    credits_href = dict(epub.nav_toc())["图片版权"].partition("#")[0]
    assert credits_href in epub.spine_hrefs
    text = squash(text_of(epub.xhtml(credits_href)))
    for _, _, caption, credit in FIGURES:
        assert squash(caption).rstrip("。") in text  # cited in brackets, without its final stop
        if credit:
            assert squash(credit) in text


def test_notes_link_both_ways_and_carry_urls_and_footnotes(epub: Epub) -> None:
    notes = []
    for href in chapter_hrefs(epub):
        doc = epub.xhtml(href)
        ids = {el.get("id"): el for el in doc.iter() if el.get("id")}
        for ref in xpath(doc, "//h:a[contains(concat(' ', @epub:type, ' '), ' noteref ')]"):
            aside = ids[ref.get("href").lstrip("#")]
            assert aside.tag == f"{{{NS['xhtml']}}}aside" and aside.get(EPUB_TYPE) == "footnote"
            assert any(a.get("href") == f"#{ref.get('id')}" for a in aside.iter("{*}a"))
            notes.append(squash(text_of(aside)))
    assert len(notes) == len(URL_NOTES) + len(FOOTNOTES)
    everything = "".join(notes)
    for expected in [*CLEANED_LINKS, *FOOTNOTES]:
        assert squash(expected) in everything
    assert [t for t in TRACKING if t in everything] == []


def test_epub_holds_the_table(epub: Epub) -> None:
    (first,) = chapter_hrefs(epub)[:1]
    cells = [squash(text_of(c)) for c in epub.xhtml(first).iter("{*}td", "{*}th")]
    assert cells == ["年份", "乘客人数", "2022", "一万二千人", "2023", "九千五百人"]


def test_no_chinese_text_is_tagged_english(epub: Epub) -> None:
    tagged = [
        (href, text_of(el))
        for href, doc in epub.documents().items()
        for el in doc.iter()
        if el.get("lang") == "en" and HAN.search(text_of(el))
    ]
    assert tagged == []


def test_cover_from_book_yaml_is_the_epub_cover_image(tiny_book: Path, tmp_path: Path) -> None:
    folder = tiny_book
    cover = make_png(folder / "cover.png", 60, 90, "darkgreen")
    (folder / "book.yaml").write_text("title: 灯下小记\ncover: cover.png\n", encoding="utf-8")
    result = build_book(folder, tmp_path / "out", ("epub",))
    epub = Epub(result.path(".epub"))
    covers = [i for i in epub.manifest.values() if "cover-image" in (i.get("properties") or "").split()]
    assert [epub.files[epub.href(i.get("href"))] for i in covers] == [cover.read_bytes()]


# --------------------------------------------------------------------------- print HTML


def test_print_html_resolves_its_stylesheet_and_pictures(book: MultiBook) -> None:
    html = book.html.read_text(encoding="utf-8")
    (href,) = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert (book.html.parent / unquote(href)).resolve() == (ROOT / "styles" / "print.css").resolve()
    sources = re.findall(r'<img [^>]*src="([^"]+)"', html)
    assert len(sources) == len(FIGURES)
    for src, (path, *_) in zip(sources, FIGURES, strict=True):
        assert not src.startswith(("/", "file:"))
        assert (book.html.parent / unquote(src)).resolve() == (book.folder / path).resolve()
