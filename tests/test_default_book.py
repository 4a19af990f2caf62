"""The default book (manuscript/, the seed clipping) built once, offline, to all three outputs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import (
    ALLOWED_FONT,
    EPUB_TYPE,
    HAN,
    ITALIC_FLAG,
    ROOT,
    BuildResult,
    Epub,
    build_book,
    copy_book,
    font_descriptor,
    html_text,
    offline,
    pdf_fonts,
    pdf_text,
    squash,
    text_of,
    xpath,
)
from pypdf import PdfReader

from zhpress.check.gate import epubcheck

SOURCE_URL = "https://www.theatlantic.com/international/2026/02/assad-syria-regime-overthrow/685883/"

# The seed's seven links as a reader must be able to type them: tracking and text fragments gone.
CLEANED_LINKS = [
    "https://obamawhitehouse.archives.gov/the-press-office/2012/01/24/remarks-President-state-union-address",
    "https://www.youtube.com/watch?v=D7mH2F1N38I",
    "https://www.cnn.com/2025/10/28/politics/al-hassan-austin-tice-update",
    "https://apnews.com/article/syria-economy-assad-currency-subsidies-war-gasoline-0b512d309bef5c0e5a4ae6ffc287bd5a",
    "https://www.pbs.org/newshour/show/how-the-assad-regime-made-billions-producing-and-exporting-party-drugs",
    "https://youtu.be/J4AAOzkeiYE",
    "https://mofa.gov.qa/en/latest-articles/statements/joint-statement-by-foreign-ministers-of-arab-countries-"
    "and-the-astana-process-on-the-situation-in-syria",
]
TRACKING_LEFTOVERS = ["si=o_iZhsZwJ_Ec6E13", ":~:text", "Joint%20Statement"]

CREDITS_AND_CAPTIONS = [
    ("Emin Özmen / Magnum Photos", "2024年12月，叙利亚人在大马士革庆祝阿萨德政权倒台。"),
    ("UAE Presidential Court Handout / Andalou / Getty",
     "2023年3月19日，阿萨德在阿布扎比会见阿联酋总统穆罕默德·本·扎耶德·阿勒纳哈扬。"),
    ("Louai Beshara / AFP / Getty",
     "叙利亚总统哈菲兹·阿萨德和妻子安尼萨，以及他们的孩子——马赫尔、巴沙尔、巴塞勒、马吉德和布什拉——"
     "这张照片据信拍摄于1993年前后。"),
    ("Bakr Alkasem / AFP / Getty", "政权倒台后，一名反对派战士在哈马市政大楼外朝展示阿萨德照片的横幅射击。"),
    ("Raghed Waked / Middle East Images / AFP / Getty", "2024年12月，一名战士在杜马展示藏在变压器内的卡普塔贡药丸。"),
    ("Omar Haj Kadour / AFP / Getty", "阿萨德出逃后，大马士革前总统府部分区域遭到洗劫和焚烧。"),
]

# Sentences from the beginning, middle and end of the chapter, with the seed's ASCII quotes
# ("宪法职责") as Chinese quotation marks.
CHAPTER_SAMPLES = [
    "有的独裁者战死沙场，有的被私刑处死、吊起来供受害者唾弃，有的则寿终正寝。",
    "宣称阿萨德仍在总统府履行“宪法职责”。",
    "到头来，阿萨德那些心灰意冷的支持者也许是对的。",
    "“你真的要扔下我们？”他说。",
    "他转身走入黑夜。俄罗斯人在等着。",
]


@dataclass
class DefaultBook:
    folder: Path
    build: BuildResult
    second_epub: Path
    pdf: Path
    epub: Path
    html: Path
    text: str


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> DefaultBook:
    root = tmp_path_factory.mktemp("default")
    folder = copy_book("manuscript", root / "manuscript")
    with offline():
        result = build_book(folder, root / "output", ("pdf", "epub", "html"))
        again = build_book(folder, root / "again", ("epub",))
    pdf = result.path(".pdf")
    return DefaultBook(folder, result, again.path(".epub"), pdf, result.path(".epub"), result.path(".html"),
                       pdf_text(pdf))


@pytest.fixture(scope="module")
def epub(book: DefaultBook) -> Epub:
    return Epub(book.epub)


@pytest.fixture(scope="module")
def chapter_file(book: DefaultBook) -> Path:
    (path,) = (book.folder / "chapters").glob("*.md")
    return path


def image_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, URL) of every picture in a chapter file."""
    return [
        (number, line[line.index("](") + 2 : line.rindex(")")])
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.startswith("![")
    ]


# --------------------------------------------------------------------------- the build


def test_outputs_are_named_after_the_slug(book: DefaultBook) -> None:
    assert {p.name for p in book.build.paths} == {
        "fall-of-the-house-of-assad.pdf", "fall-of-the-house-of-assad.epub", "fall-of-the-house-of-assad.html",
    }
    assert not list(book.pdf.parent.glob("*.part"))


def test_only_warnings_are_the_six_unfetched_pictures(book: DefaultBook, chapter_file: Path) -> None:
    expected = image_lines(chapter_file)
    assert len(expected) == 6
    warnings = book.build.warnings
    assert len(warnings) == len(expected), warnings
    for message, (line, url) in zip(warnings, expected, strict=True):
        assert message.startswith(f"{chapter_file}:{line}: warning: image not fetched ("), message
        assert message.endswith(f", printing a placeholder: {url}"), message


# --------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("sample", CHAPTER_SAMPLES)
def test_pdf_holds_the_chapter_text(book: DefaultBook, sample: str) -> None:
    assert squash(sample) in squash(book.text)


@pytest.mark.parametrize("url", CLEANED_LINKS)
def test_pdf_holds_every_cleaned_link_url(book: DefaultBook, url: str) -> None:
    assert squash(url) in squash(book.text)


def test_pdf_has_no_tracking_left(book: DefaultBook) -> None:
    for leftover in TRACKING_LEFTOVERS:
        assert leftover not in squash(book.text)


@pytest.mark.parametrize(("credit", "caption"), CREDITS_AND_CAPTIONS)
def test_pdf_holds_every_credit_and_caption(book: DefaultBook, credit: str, caption: str) -> None:
    text = squash(book.text)
    assert squash(credit) in text
    assert squash(caption) in text


def test_pdf_placeholders_name_the_unfetched_pictures(book: DefaultBook, chapter_file: Path) -> None:
    for _, url in image_lines(chapter_file):
        assert squash(url) in squash(book.text)


@pytest.mark.parametrize(
    "metadata",
    ["阿萨德家族的覆灭", "The Fall of the House of Assad", SOURCE_URL, "2026年2月8日", "Robert F. Worth"],
)
def test_pdf_prints_the_source_metadata(book: DefaultBook, metadata: str) -> None:
    assert squash(metadata) in squash(book.text)


def test_pdf_fonts_are_simplified_chinese_faces_only(book: DefaultBook) -> None:
    fonts = pdf_fonts(book.pdf)
    assert fonts
    assert [name for name in fonts if not ALLOWED_FONT.match(name)] == []
    assert not [n for n in fonts if re.search(r"JP|KR|TC|HK|Italic|Oblique", n)]


def test_pdf_has_no_synthesized_italic(book: DefaultBook) -> None:
    """The seed's *一切都是因为巴沙尔* is emphasis: a Kai face, never a slanted Song."""
    for name, font in pdf_fonts(book.pdf).items():
        descriptor = font_descriptor(font)
        assert descriptor is not None, name
        assert not int(descriptor["/Flags"]) & ITALIC_FLAG, name
    assert "AR-PL-UKai-CN" in pdf_fonts(book.pdf)


def test_pdf_fonts_are_all_embedded(book: DefaultBook) -> None:
    for name, font in pdf_fonts(book.pdf).items():
        assert font.get("/Subtype") != "/Type3", name
        descriptor = font_descriptor(font)
        assert descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_pdf_language_and_metadata(book: DefaultBook) -> None:
    reader = PdfReader(book.pdf)
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    assert reader.metadata["/Title"] == "阿萨德家族的覆灭"
    assert reader.metadata["/Author"] == "Robert F. Worth"


# --------------------------------------------------------------------------- EPUB


def test_epubcheck_reports_nothing(book: DefaultBook) -> None:
    assert [str(m) for m in epubcheck(book.epub)] == []


def test_opf_metadata(epub: Epub) -> None:
    assert epub.dc("language") == ["zh-Hans"]
    assert epub.dc("title")[0] == "阿萨德家族的覆灭"  # the main title first; the original may follow
    assert epub.dc("source") == [SOURCE_URL]
    assert epub.creators() == [("Robert F. Worth", "aut")]


def test_identifier_is_a_uuid_stable_across_builds(book: DefaultBook, epub: Epub) -> None:
    (identifier,) = epub.dc("identifier")
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", identifier)
    assert Epub(book.second_epub).dc("identifier") == [identifier]


def test_every_noteref_reaches_a_footnote_that_links_back(epub: Epub) -> None:
    refs = 0
    for href, doc in epub.documents().items():
        ids = {el.get("id"): el for el in doc.iter() if el.get("id")}
        for ref in xpath(doc, "//h:a[contains(concat(' ', @epub:type, ' '), ' noteref ')]"):
            refs += 1
            target = ref.get("href")
            assert target.startswith("#"), (href, target)
            aside = ids.get(target[1:])
            assert aside is not None, (href, target)
            assert aside.tag.endswith("}aside") and aside.get(EPUB_TYPE) == "footnote"
            back = [a.get("href") for a in aside.iter("{*}a") if a.get("href") == f"#{ref.get('id')}"]
            assert back, f"note {target} in {href} does not link back to {ref.get('id')}"
    assert refs == len(CLEANED_LINKS)


def test_epub_notes_carry_the_cleaned_urls_in_reading_order(epub: Epub) -> None:
    asides = [text_of(a) for doc in epub.documents().values() for a in doc.iter("{*}aside")]
    assert len(asides) == len(CLEANED_LINKS)
    for text, url in zip(asides, CLEANED_LINKS, strict=True):
        assert url in text


def test_epub_links_stay_live_with_cleaned_urls(epub: Epub) -> None:
    hrefs = {a.get("href") for doc in epub.documents().values() for a in doc.iter("{*}a")}
    assert set(CLEANED_LINKS) <= hrefs
    assert not [h for h in hrefs if h and any(t in h for t in ("si=", ":~:", "utm_"))]


def test_epub_figures_carry_caption_and_credit(epub: Epub) -> None:
    figures = [f for doc in epub.documents().values() for f in doc.iter("{*}figure")]
    found = []
    for figure in figures:
        caption = figure.find("{*}figcaption")
        spans = {s.get("class"): squash(text_of(s)) for s in caption.iter("{*}span")}
        found.append((spans.get("credit"), spans.get("caption")))
    assert found == [(squash(credit), squash(caption)) for credit, caption in CREDITS_AND_CAPTIONS]


def test_nav_page_list_only_lists_page_breaks(epub: Epub) -> None:
    """EbookLib would list every element with an epub:type and an id (noterefs as pages '1'…)."""
    nav_item = next(i for i in epub.manifest.values() if "nav" in (i.get("properties") or "").split())
    nav = epub.xhtml(nav_item.get("href"))
    documents = epub.documents()
    for page_list in (n for n in nav.iter("{*}nav") if n.get(EPUB_TYPE) == "page-list"):
        for link in page_list.iter("{*}a"):
            doc_href, _, fragment = link.get("href").partition("#")
            target = next(el for el in documents[doc_href].iter() if el.get("id") == fragment)
            assert "pagebreak" in (target.get(EPUB_TYPE) or "").split(), link.get("href")


def test_epub_text_is_the_translators_as_written(epub: Epub) -> None:
    """The quarter em between Han and Latin is style in the EPUB, not characters: a reader who
    searches for 2024年 finds it, and copying brings no invisible character along."""
    chapter = epub.xhtml("ch01.xhtml")
    text = "".join(chapter.itertext())
    assert "2024年12月7日" in text
    assert "\u2005" not in text and "\u2060" not in text
    spaces = xpath(chapter, "//h:span[@class='autospace']")
    assert len(spaces) > 20 and all(not s.text for s in spaces)
    assert ".autospace { margin-left: 0.25em; }" in epub.files[epub.href("styles/book.css")].decode()


def test_epub_text_is_chinese_tagged(epub: Epub) -> None:
    for href, doc in epub.documents().items():
        assert doc.get("lang") == "zh-Hans", href
        assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans", href


# --------------------------------------------------------------------------- print HTML


def test_print_html_links_the_print_stylesheet_by_a_relative_path(book: DefaultBook) -> None:
    html = book.html.read_text(encoding="utf-8")
    (href,) = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert not href.startswith(("/", "file:", "http"))
    assert (book.html.parent / unquote(href)).resolve() == (ROOT / "styles" / "print.css").resolve()


def test_print_html_is_the_books_text_in_chinese(book: DefaultBook) -> None:
    html = book.html.read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in html
    for sample in CHAPTER_SAMPLES:
        assert squash(sample) in html_text(html)
    assert HAN.search(html)
