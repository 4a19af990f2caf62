"""The EPUB edition as a store and a reader see it: package metadata, cover, nav and landmarks,
accessibility metadata, embedded font subsets, size; EPUBCheck and DAISY Ace on the built files.

Three EPUB-only builds, once for the module: the multi-chapter test book and the default book
with fonts embedded (under SOURCE_DATE_EPOCH), and the multi book with `embed_fonts: false` and
a cover of its own.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EPUB_TYPE, NS, Epub, build_book, copy_book, offline
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from zhpress.check.ace import ACE, ace_findings, chromium
from zhpress.check.gate import epubcheck
from zhpress.config import default_identifier
from zhpress.ebook.cover import COVER_SIZE
from zhpress.ebook.fonts import KAI, SONG, find_font

EPOCH = "1770508800"  # 2026-02-08T00:00:00Z
MODIFIED = "2026-02-08T00:00:00Z"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML = NS["xhtml"]
MAX_EPUB_BYTES = 3 * 1024 * 1024
# Glyphs a subset may hold beyond one per character: .notdef and a few from `ccmp`.
GLYPH_MARGIN = 8
A11Y = {
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityHazard", "none"),
    ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"),
}


@dataclass
class Built:
    name: str
    folder: Path
    path: Path
    warnings: list[str]

    @property
    def epub(self) -> Epub:
        return Epub(self.path)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    root = tmp_path_factory.mktemp("epub-edition")
    books = {}
    with pytest.MonkeyPatch.context() as mp, offline():
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name, case in (("multi", "multi"), ("default", "manuscript")):
            folder = copy_book(case, root / name)
            result = build_book(folder, root / f"{name}-out", ("epub",))
            books[name] = Built(name, folder, result.path(".epub"), result.warnings)
        # The same book again: the same bytes.
        again = build_book(books["multi"].folder, root / "multi-again", ("epub",))
        books["again"] = Built("again", books["multi"].folder, again.path(".epub"), again.warnings)
        folder = copy_book("multi", root / "plain")
        Image.new("RGB", (2000, 3200), "teal").save(folder / "cover.jpg", "JPEG")
        with (folder / "book.yaml").open("a", encoding="utf-8") as f:
            f.write("embed_fonts: false\ncover: cover.jpg\n")
        result = build_book(folder, root / "plain-out", ("epub",))
        books["plain"] = Built("plain", folder, result.path(".epub"), result.warnings)
    return books


@pytest.fixture(scope="module")
def multi(builds: dict[str, Built]) -> Epub:
    return builds["multi"].epub


@pytest.fixture(scope="module", params=["multi", "default"])
def each(request: pytest.FixtureRequest, builds: dict[str, Built]) -> Epub:
    return builds[request.param].epub


# --------------------------------------------------------------------------- helpers


def metadata(epub: Epub) -> etree._Element:
    return epub.opf.find("opf:metadata", NS)


def meta_pairs(epub: Epub) -> set[tuple[str, str]]:
    return {(m.get("property"), m.text or "") for m in metadata(epub).iterfind("opf:meta", NS) if m.get("property")}


def refines(epub: Epub, element_id: str, prop: str) -> list[str]:
    return [m.text or "" for m in metadata(epub).iterfind("opf:meta", NS)
            if m.get("refines") == f"#{element_id}" and m.get("property") == prop]


def nav_document(epub: Epub) -> tuple[str, etree._Element]:
    item = next(i for i in epub.manifest.values() if "nav" in (i.get("properties") or "").split())
    return item.get("href"), epub.xhtml(item.get("href"))


def navs(epub: Epub) -> dict[str, etree._Element]:
    return {n.get(EPUB_TYPE): n for n in nav_document(epub)[1].iter(f"{{{XHTML}}}nav")}


def resolves(epub: Epub, href: str) -> bool:
    """A document href (with an optional fragment) names a file in the zip and an id in it."""
    name, _, fragment = href.partition("#")
    if epub.href(name) not in epub.files:
        return False
    return not fragment or bool(epub.xhtml(name).xpath(f"//*[@id='{fragment}']"))


def body_text(epub: Epub) -> set[str]:
    chars: set[str] = set()
    for doc in epub.documents().values():
        chars.update(c for c in "".join(doc.find(f"{{{XHTML}}}body").itertext()) if c >= " ")
    return chars


def font_items(epub: Epub) -> dict[str, etree._Element]:
    return {i.get("href"): i for i in epub.manifest.values() if i.get("media-type", "").startswith("font/")}


def stylesheet(epub: Epub) -> str:
    item = next(i for i in epub.manifest.values() if i.get("media-type") == "text/css")
    return epub.files[epub.href(item.get("href"))].decode()


# --------------------------------------------------------------------------- the checkers


def test_builds_without_warnings(builds: dict[str, Built]) -> None:
    assert builds["multi"].warnings == []
    assert builds["plain"].warnings == []
    # The default book's pictures are on the web: offline, each becomes a placeholder.
    assert all("not fetched" in w for w in builds["default"].warnings)


def test_epubcheck_reports_nothing(builds: dict[str, Built]) -> None:
    """Not one message, warnings and infos included, on all three books."""
    for name in ("multi", "default", "plain"):
        assert [str(m) for m in epubcheck(builds[name].path)] == [], name


@pytest.mark.skipif(not ACE.exists() or chromium() is None,
                    reason="DAISY Ace is not installed (sh tools/ace-setup.sh) or no chromium")
def test_daisy_ace_passes(builds: dict[str, Built]) -> None:
    for name in ("multi", "default"):
        assert ace_findings(builds[name].path) == [], name


def test_zip_container(each: Epub) -> None:
    with zipfile.ZipFile(each.path) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and not first.extra
        assert archive.read("mimetype") == b"application/epub+zip"
        # Every entry dated from SOURCE_DATE_EPOCH.
        assert {info.date_time for info in archive.infolist()} == {(2026, 2, 8, 0, 0, 0)}


def test_reproducible_under_source_date_epoch(builds: dict[str, Built]) -> None:
    assert builds["multi"].path.read_bytes() == builds["again"].path.read_bytes()


def test_default_book_size(builds: dict[str, Built]) -> None:
    epub = builds["default"].epub
    assert font_items(epub), "the default book embeds its fonts"
    assert builds["default"].path.stat().st_size < MAX_EPUB_BYTES


# --------------------------------------------------------------------------- package metadata


def test_language_on_package_and_every_document(each: Epub) -> None:
    assert each.opf.get(XML_LANG) == "zh-Hans"
    assert each.dc("language") == ["zh-Hans"]
    for href, doc in each.documents().items():
        assert doc.get("lang") == "zh-Hans" and doc.get(XML_LANG) == "zh-Hans", href


def test_titles_main_subtitle_and_original(multi: Epub) -> None:
    titles = list(metadata(multi).iterfind("dc:title", NS))
    assert [(t.text, t.get(XML_LANG)) for t in titles] == [
        ("小镇三记", None), ("河流、集市与港口", None), ("Three Sketches of a Small Town", "en"),
    ]
    kinds = [refines(multi, t.get("id"), "title-type") for t in titles]
    assert kinds == [["main"], ["subtitle"], ["original"]]


def test_default_book_titles(builds: dict[str, Built]) -> None:
    epub = builds["default"].epub
    titles = {t.text: refines(epub, t.get("id"), "title-type") for t in metadata(epub).iterfind("dc:title", NS)}
    assert titles == {"阿萨德家族的覆灭": ["main"], "The Fall of the House of Assad": ["original"]}


def test_creators_with_roles(builds: dict[str, Built]) -> None:
    assert builds["multi"].epub.creators() == [("Jane Doe", "aut"), ("John Roe", "aut"), ("李四", "trl"),
                                               ("王五", "trl")]
    assert builds["default"].epub.creators() == [("Robert F. Worth", "aut")]
    langs = {c.text: c.get(XML_LANG) for c in metadata(builds["multi"].epub).iterfind("dc:creator", NS)}
    assert langs == {"Jane Doe": "en", "John Roe": "en", "李四": None, "王五": None}


def test_identifier_is_stable(each: Epub) -> None:
    unique = each.opf.get("unique-identifier")
    identifier = metadata(each).find(f"dc:identifier[@id='{unique}']", NS)
    title = metadata(each).find("dc:title", NS).text
    assert identifier is not None and identifier.text == default_identifier(title)


def test_sources_dates_and_rights(builds: dict[str, Built]) -> None:
    multi = builds["multi"].epub
    assert multi.dc("source") == ["https://www.example.com/2024/01/the-river-remembers/",
                                  "https://www.example.com/harbour-at-dusk"]
    assert multi.dc("date") == ["2025-03-01"]
    assert multi.dc("publisher") == ["示例出版社"]
    assert multi.dc("rights") == ["本书仅供测试使用。"]
    default = builds["default"].epub
    assert default.dc("source") == ["https://www.theatlantic.com/international/2026/02/assad-syria-regime-overthrow/685883/"]
    assert default.dc("date") == ["2026-02-08"]  # no date in book.yaml: the build's
    assert default.dc("description")[0].startswith("叙利亚独裁者巴沙尔·阿萨德")
    assert default.dc("rights") == ["版权所有，侵权必究。"]
    for epub in (multi, default):
        modified = [m.text for m in metadata(epub).iterfind("opf:meta", NS) if m.get("property") == "dcterms:modified"]
        assert modified == [MODIFIED]


def test_accessibility_metadata(each: Epub) -> None:
    pairs = meta_pairs(each)
    assert pairs >= A11Y
    summary = [v for p, v in pairs if p == "schema:accessibilitySummary"]
    assert len(summary) == 1 and len(summary[0]) > 40


# --------------------------------------------------------------------------- cover, nav, landmarks


def test_generated_cover(each: Epub) -> None:
    covers = [i for i in each.manifest.values() if "cover-image" in (i.get("properties") or "").split()]
    assert len(covers) == 1
    cover = covers[0]
    assert cover.get("media-type") == "image/png"
    assert [m.get("content") for m in metadata(each).iterfind("opf:meta", NS) if m.get("name") == "cover"] == [
        cover.get("id")]
    with Image.open(io.BytesIO(each.files[each.href(cover.get("href"))])) as image:
        assert image.size == COVER_SIZE
    # The first page of the spine shows it, described in words.
    first = each.spine_hrefs[0]
    images = each.xhtml(first).findall(f".//{{{XHTML}}}img")
    assert [img.get("src") for img in images] == [cover.get("href")]
    title = metadata(each).find("dc:title", NS).text
    assert title in images[0].get("alt")


def test_cover_from_book_yaml(builds: dict[str, Built]) -> None:
    epub = builds["plain"].epub
    cover = next(i for i in epub.manifest.values() if "cover-image" in (i.get("properties") or "").split())
    assert cover.get("media-type") == "image/jpeg"
    with Image.open(io.BytesIO(epub.files[epub.href(cover.get("href"))])) as image:
        assert image.size == (1600, 2560)  # 2000×3200 resampled to the store's size
    img = epub.xhtml(epub.spine_hrefs[0]).find(f".//{{{XHTML}}}img")
    assert img.get("src") == cover.get("href") and img.get("alt") == "《小镇三记》封面"


def test_landmarks(each: Epub) -> None:
    nav_href, _ = nav_document(each)
    landmarks = navs(each)["landmarks"]
    assert landmarks.get("hidden") is not None
    entries = [(a.get(EPUB_TYPE), a.get("href")) for a in landmarks.iter(f"{{{XHTML}}}a")]
    assert entries == [("cover", "cover.xhtml"), ("titlepage", "titlepage.xhtml"), ("toc", f"{nav_href}#toc"),
                       ("bodymatter", "ch01.xhtml")]
    assert all(resolves(each, href) for _, href in entries)
    guide = [(r.get("type"), r.get("href")) for r in each.opf.iterfind("opf:guide/opf:reference", NS)]
    assert guide == [("cover", "cover.xhtml"), ("title-page", "titlepage.xhtml"), ("toc", f"{nav_href}#toc"),
                     ("text", "ch01.xhtml")]


def test_toc_and_ncx(multi: Epub) -> None:
    assert multi.nav_toc() == [("河流的记忆", "ch01.xhtml"), ("集市", "ch02.xhtml"), ("港口的黄昏", "ch03.xhtml"),
                               ("图片版权", "credits.xhtml")]
    assert set(navs(multi)) == {"toc", "landmarks"}  # no page-list pointing at notes
    assert multi.spine_hrefs == ["cover.xhtml", "titlepage.xhtml", "copyright.xhtml", "nav.xhtml", "ch01.xhtml",
                                 "ch02.xhtml", "ch03.xhtml", "credits.xhtml"]
    ncx_id = multi.opf.find("opf:spine", NS).get("toc")
    ncx = etree.fromstring(multi.files[multi.href(multi.manifest[ncx_id].get("href"))])
    labels = [t.text for t in ncx.iterfind(".//{http://www.daisy.org/z3986/2005/ncx/}navLabel/"
                                           "{http://www.daisy.org/z3986/2005/ncx/}text")]
    assert labels == ["河流的记忆", "集市", "港口的黄昏", "图片版权"]


def test_every_image_has_alt_text(each: Epub) -> None:
    for href, doc in each.documents().items():
        for img in doc.iter(f"{{{XHTML}}}img"):
            assert (img.get("alt") or "").strip(), f"{href}: {img.get('src')}"
            assert each.href(img.get("src")) in each.files


def test_noterefs_resolve_and_link_back(multi: Epub) -> None:
    count = 0
    for href, doc in multi.documents().items():
        for ref in doc.iter(f"{{{XHTML}}}a"):
            if ref.get(EPUB_TYPE) != "noteref":
                continue
            count += 1
            note = doc.xpath(f"//*[@id='{ref.get('href').lstrip('#')}']")[0]
            assert note.tag == f"{{{XHTML}}}aside" and note.get(EPUB_TYPE) == "footnote", href
            backs = [a.get("href") for a in note.iter(f"{{{XHTML}}}a") if a.get("role") == "doc-backlink"]
            assert backs == [f"#{ref.get('id')}"], href
    assert count >= 4


# --------------------------------------------------------------------------- fonts


@pytest.fixture(scope="module")
def source_cmaps() -> dict[str, set[str]]:
    """The characters the installed Song and Kai faces have."""
    cmaps = {}
    for face in (SONG, KAI):
        font = find_font(face)
        assert font is not None, face.family
        with TTFont(font.path, fontNumber=font.index, lazy=True) as ttf:
            cmaps[face.key] = {chr(c) for c in ttf.getBestCmap()}
    return cmaps


def test_embedded_subsets_cover_the_text_and_little_else(each: Epub, source_cmaps: dict[str, set[str]]) -> None:
    items = font_items(each)
    assert sorted((href, i.get("media-type")) for href, i in items.items()) == [
        ("fonts/kai.ttf", "font/ttf"), ("fonts/song.otf", "font/otf")]
    text = body_text(each)
    for href in items:
        with TTFont(io.BytesIO(each.files[each.href(href)])) as ttf:
            cmap = {chr(c) for c in ttf.getBestCmap()}
            glyphs = len(ttf.getGlyphOrder())
        source = source_cmaps[Path(href).stem]
        assert cmap == text & source, href  # every character the face has, and nothing more
        assert glyphs <= len(text) + GLYPH_MARGIN, href
        assert text - cmap <= {"\u2005", "\u2060"}, href  # the quarter-em space and word joiner
    css = stylesheet(each)
    faces = re.findall(r'@font-face \{ font-family: "([^"]+)";[^}]*url\("\.\./(fonts/[^"]+)"\)', css)
    assert sorted(faces) == [("AR PL UKai CN", "fonts/kai.ttf"), ("Noto Serif CJK SC", "fonts/song.otf")]
    assert "META-INF/com.apple.ibooks.display-options.xml" in each.files


def test_embed_fonts_false(builds: dict[str, Built]) -> None:
    epub = builds["plain"].epub
    assert font_items(epub) == {}
    assert not any(name.startswith("EPUB/fonts/") for name in epub.files)
    assert re.search(r"@font-face\s*\{", stylesheet(epub)) is None
    assert "META-INF/com.apple.ibooks.display-options.xml" not in epub.files
    assert builds["plain"].path.stat().st_size < builds["multi"].path.stat().st_size / 2

