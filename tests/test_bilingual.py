"""The bilingual edition (中英对照) of tests/books/bilingual, whose pairings are known: chapter 1
has a split, a translator's note paragraph, a figure and a footnote on each side and an
untranslated paragraph; chapter 2 pairs one to one; chapter 3 has no original."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pdfplumber
import pytest
from conftest import (
    ALLOWED_FONT,
    Epub,
    LogGuard,
    collect_warnings,
    copy_book,
    pdf_fonts,
    run_cli,
    squash,
    text_of,
    xpath,
)
from pypdf import PdfReader

from zhpress.bilingual.report import write_report as write_alignment_report
from zhpress.check.ace import ACE, ace_findings, chromium
from zhpress.check.gate import check_outputs, epubcheck
from zhpress.editions.bilingual import BILINGUAL
from zhpress.errors import BookError, display_path
from zhpress.pipeline import build, load_book
from zhpress.read.manuscript import open_manuscript

# Chapter 1's pairs, each as the first words of the original's blocks and of the translation's.
SALT_PAIRS = [
    (["Every spring"], ["每年春天"]),
    (["The road climbed"], ["道路在干燥"]),
    (["The market"], ["集市"]),
    (["At the top"], ["山口顶上", "他们收盐"]),  # the translator split it
    (["The traders kept"], ["商人们用"]),  # right after the split: no shift
    ([], ["译注："]),  # the translator's note
    (None, ["黎明时分"]),  # the figure: once, both captions
    (["By the end"], ["到了世纪末"]),
    (["Some of those"], []),  # left untranslated
    (["Today the market"], ["如今，集市"]),
]
TIDE_PAIRS = [(["The harbour"], ["港务长"]), (["He checked"], ["他把每个"]), (["Fishermen pinned"], ["渔民把"])]


@dataclass
class Bilingual:
    folder: Path
    pdf: Path
    epub: Path
    html: Path
    warnings: list[str]


def _build(tmp: Path, layout: str | None) -> Bilingual:
    folder = copy_book("bilingual", tmp / "m")
    if layout:
        config = folder / "book.yaml"
        config.write_text(config.read_text(encoding="utf-8") + f"bilingual_layout: {layout}\n", encoding="utf-8")
    with collect_warnings() as records:
        paths = build(folder, tmp / "out", ("pdf", "epub", "html"), force=True, edition=BILINGUAL)
    pdf, epub, html = (next(p for p in paths if p.suffix == s) for s in (".pdf", ".epub", ".html"))
    return Bilingual(folder, pdf, epub, html, [r.getMessage() for r in records])


@pytest.fixture(scope="module")
def interleaved(tmp_path_factory: pytest.TempPathFactory) -> Bilingual:
    return _build(tmp_path_factory.mktemp("interleaved"), None)


@pytest.fixture(scope="module")
def columns(tmp_path_factory: pytest.TempPathFactory) -> Bilingual:
    return _build(tmp_path_factory.mktemp("columns"), "columns")


def test_the_files_are_named_for_the_edition(interleaved: Bilingual) -> None:
    assert [p.name for p in (interleaved.pdf, interleaved.epub)] == [
        "salt-and-tides-bilingual.pdf", "salt-and-tides-bilingual.epub"]


def test_an_original_is_never_a_chapter(interleaved: Bilingual) -> None:
    texts = open_manuscript(interleaved.folder).texts
    assert [t.path.name for t in texts] == ["01-salt.md", "02-tide.md", "03-coda.md"]


def test_each_warning_names_both_files_and_lines(interleaved: Bilingual) -> None:
    salt, coda = (display_path(interleaved.folder / "chapters" / n) for n in ("01-salt", "03-coda"))
    assert [w for w in interleaved.warnings if "[B0" in w] == [
        f"{coda}.md:1: warning: [B001] no original ({coda}.en.md); the chapter appears in the translation only",
        f"{salt}.md:13: warning: [B002] 2 paragraphs here pair with 1 in the original ({salt}.en.md:15)",
        f"{salt}.md:19: warning: [B003] 1 paragraph here has no original (after {salt}.en.md:17)",
        f"{salt}.md:27: warning: [B004] 1 paragraph of the original is not translated here ({salt}.en.md:25)",
    ]


def _pairs(section: lxml.html.HtmlElement) -> list[tuple[list[str] | None, list[str]]]:
    """Each pair of a chapter: its original's blocks and its translation's, as their text; a
    figure's pair (no original blocks, one figure) as None and its caption."""
    found = []
    for pair in section.find_class("pair"):
        if "pair-figure" in pair.get("class"):
            found.append((None, [squash(pair.text_content())]))
            continue
        sides = {side.get("class"): [squash(b.text_content()) for b in side] for side in pair}
        found.append((sides.get("original", []), sides.get("translation", [])))
    return found


def _matches(found: list, expected: list) -> bool:
    if (found is None) != (expected is None):
        return False
    return found is None or (len(found) == len(expected) and all(
        f.startswith(squash(e)) for f, e in zip(found, expected, strict=True)))


@pytest.mark.parametrize(("chapter", "expected"), [("ch01", SALT_PAIRS), ("ch02", TIDE_PAIRS)])
def test_each_pair_holds_the_right_blocks(interleaved: Bilingual, chapter: str, expected: list) -> None:
    root = lxml.html.fromstring(interleaved.html.read_bytes())
    found = _pairs(root.get_element_by_id(chapter))
    assert len(found) == len(expected)
    for index, ((original, translation), (want_original, want_translation)) in enumerate(
            zip(found, expected, strict=True)):
        assert _matches(original, want_original), (index, original)
        assert _matches(translation, want_translation), (index, translation)


def test_a_chapter_without_original_is_the_translation_alone(interleaved: Bilingual) -> None:
    root = lxml.html.fromstring(interleaved.html.read_bytes())
    coda = root.get_element_by_id("ch03")
    assert not coda.find_class("pair") and "这一章只有译文" in coda.text_content()


def test_the_figure_prints_once_with_both_captions(interleaved: Bilingual) -> None:
    root = lxml.html.fromstring(interleaved.html.read_bytes())
    (figure,) = root.get_element_by_id("ch01").iter("figure")
    captions = [(s.get("lang"), s.text_content()) for s in figure.iter("span") if "caption" in s.get("class", "")]
    assert captions == [(None, "黎明时分，商队正在翻越高高的山口。"),
                        ("en", "Mara Lind / Salt Archive A caravan crossing the high pass at first light.")]


def test_every_pair_is_one_element_with_each_language_tagged(interleaved: Bilingual) -> None:
    documents = Epub(interleaved.epub).documents()
    chapter = documents["ch01.xhtml"]
    pairs = xpath(chapter, "//h:div[contains(@class, 'pair')]")
    assert len(pairs) == len(SALT_PAIRS)
    for pair in pairs:
        sides = xpath(pair, "h:div")
        assert [(s.get("class"), s.get("lang")) for s in sides] in (
            [("original", "en"), ("translation", "zh-Hans")], [("original", "en")], [("translation", "zh-Hans")], [])


def test_both_notes_work_and_print_their_cleaned_urls(interleaved: Bilingual) -> None:
    epub = Epub(interleaved.epub)
    asides = xpath(epub.documents()["ch01.xhtml"], "//h:aside")
    # Each note keeps its language at the chapter's end.
    assert [(a.get("lang"), text_of(a)[:8]) for a in asides] == [("en", "1 Simila"), ("zh-Hans", "2 该地区各处都")]
    assert "museum's catalogue (https://www.example.com/catalogue?id=7)." in text_of(asides[0])
    words = squash(" ".join(page.extract_text() for page in pdfplumber.open(interleaved.pdf).pages))
    assert words.count("https://www.example.com/catalogue?id=7") == 2  # both notes, utm_medium gone


def test_the_contents_carry_both_titles(interleaved: Bilingual) -> None:
    epub = Epub(interleaved.epub)
    assert [text for text, _ in epub.nav_toc()][:3] == ["盐路 The Salt Road", "潮汐表 The Tide Tables", "尾声"]
    nav = next(i for i in epub.manifest.values() if "nav" in (i.get("properties") or ""))
    originals = xpath(epub.xhtml(nav.get("href")), "//h:span[@class='toc-original']")
    assert [(s.text, s.get("lang")) for s in originals] == [("The Salt Road", "en"), ("The Tide Tables", "en")]


def test_the_front_matter_names_the_edition(interleaved: Bilingual) -> None:
    first_pages = squash("".join(p.extract_text() for p in pdfplumber.open(interleaved.pdf).pages[:4]))
    assert "盐与潮汐中英对照" in first_pages
    assert "书名盐与潮汐（中英对照）" in first_pages
    assert "原题TheSaltRoad" in first_pages and "https://www.example.com/salt-road" in first_pages


def _page_of(pages: list[str], words: str, after: int = 0) -> int:
    return next(i for i in range(after, len(pages)) if squash(words) in pages[i])


@pytest.mark.parametrize("layout", ["interleaved", "columns"])
def test_a_pairs_two_languages_are_at_most_one_page_break_apart(layout: str, request: pytest.FixtureRequest,
                                                               log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[1-4]\]")  # the module's builds, as test_each_warning_… reads them
    built = request.getfixturevalue(layout)
    with pdfplumber.open(built.pdf) as pdf:
        pages = [squash(p.extract_text() or "") for p in pdf.pages]
    for original, translation in [*SALT_PAIRS, *TIDE_PAIRS]:
        if original and translation:
            page = _page_of(pages, original[0])
            assert _page_of(pages, translation[0]) - page in (0, 1), (original, translation)


def test_the_original_is_set_in_a_latin_serif_a_size_smaller(interleaved: Bilingual) -> None:
    with pdfplumber.open(interleaved.pdf) as pdf:
        chars = [c for p in pdf.pages for c in p.chars]
    english = [c for c in chars if c["text"] == "E" and "DejaVu" in c["fontname"]]
    chinese = [c for c in chars if c["text"] == "每"]
    assert english and chinese
    assert {re.sub(r"^[A-Z]{6}\+", "", c["fontname"]) for c in english} == {"DejaVu-Serif"}
    assert english[0]["size"] < chinese[0]["size"]
    # The print edition's faces, and the Latin serif of the originals.
    assert all(ALLOWED_FONT.match(name) or name in ("DejaVu-Serif", "DejaVu-Serif-Bold")
               for name in pdf_fonts(interleaved.pdf))


def test_each_block_is_tagged_with_its_language(interleaved: Bilingual) -> None:
    reader = PdfReader(interleaved.pdf)
    languages: dict[tuple[str, str], int] = {}

    def walk(element: object, language: str) -> None:
        element = element.get_object()
        if isinstance(element, dict):
            language = str(element.get("/Lang", language))
            kind = str(element.get("/S", ""))
            if kind in ("/P", "/H2"):
                languages[(kind, language)] = languages.get((kind, language), 0) + 1
            kids = element.get("/K")
            for kid in (kids.get_object() if isinstance(kids.get_object(), list) else [kids]) if kids else []:
                walk(kid, language)

    root = reader.trailer["/Root"]
    walk(root["/StructTreeRoot"], str(root["/Lang"]))
    # The originals' paragraphs, 7 of chapter 1 (the credit line became the caption) and 3 of
    # chapter 2, and the English titles: the book's on the title page, the two chapters'.
    assert languages[("/P", "en")] == 10 + 3
    # Chapter 1's subheading in each language, and the copyright page's 原文出处.
    assert languages[("/H2", "en")] == 1 and languages[("/H2", "zh-Hans")] == 2


def test_in_columns_each_pair_starts_level_original_left(columns: Bilingual) -> None:
    with pdfplumber.open(columns.pdf) as pdf:
        for original, translation in TIDE_PAIRS:
            for page in pdf.pages:
                left = page.search(original[0])
                right = page.search(translation[0])
                if left and right:
                    assert abs(left[0]["top"] - right[0]["top"]) < 4, original
                    assert left[0]["x1"] < right[0]["x0"], original
                    break
            else:
                pytest.fail(f"{original} and {translation} are not on one page")


def test_markers_confirm_and_correct_pairings(tmp_path: Path, log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[13]\]")
    folder = copy_book("bilingual", tmp_path / "m")
    chapter = folder / "chapters" / "01-salt.md"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("山口顶上", "<!-- pair -->\n山口顶上", 1).replace("如今", "<!-- pair 0:1 -->\n如今", 1)
    chapter.write_text(text, encoding="utf-8")
    with collect_warnings() as records:
        load_book(open_manuscript(folder), offline=True, edition=BILINGUAL)
    salt = display_path(chapter.with_suffix(""))
    assert [r.getMessage() for r in records if "[B00" in r.getMessage() and "B001" not in r.getMessage()] == [
        f"{salt}.md:20: warning: [B003] 1 paragraph here has no original (after {salt}.en.md:17)"]


def test_a_malformed_marker_is_an_error_at_its_line(tmp_path: Path, log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[1-4]\]")
    folder = copy_book("bilingual", tmp_path / "m")
    chapter = folder / "chapters" / "02-tide.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n<!-- pair 2-1 -->\n", encoding="utf-8")
    assert bilingual_error(folder) == (f"{display_path(chapter)}:13: error: expected <!-- pair --> or "
                                       "<!-- pair A:B --> (A blocks here pair with B of the original)")


def bilingual_error(folder: Path) -> str:
    """The one-line error reading `folder` in the bilingual edition stops with."""
    with pytest.raises(BookError) as caught:
        load_book(open_manuscript(folder), offline=True, edition=BILINGUAL)
    return str(caught.value)


def test_an_original_listed_as_a_chapter_is_an_error(tmp_path: Path) -> None:
    folder = copy_book("bilingual", tmp_path / "m")
    config = folder / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "chapters: [chapters/01-salt.en.md]\n", encoding="utf-8")
    with pytest.raises(BookError, match="is an English original, not a chapter"):
        open_manuscript(folder)


def test_the_epub_passes_epubcheck(interleaved: Bilingual) -> None:
    assert [str(m) for m in epubcheck(interleaved.epub)] == []


@pytest.mark.skipif(not ACE.exists() or chromium() is None, reason="DAISY Ace or chromium missing")
def test_the_epub_passes_ace(interleaved: Bilingual) -> None:
    assert ace_findings(interleaved.epub) == []


def test_the_alignment_report_shows_each_pair_with_lines(tmp_path: Path, log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[1-4]\]")
    folder = copy_book("bilingual", tmp_path / "m")
    report = write_alignment_report(folder, tmp_path / "out")
    assert report.name == "salt-and-tides-align.html"
    root = lxml.html.fromstring(report.read_bytes())
    tables = root.findall(".//table")
    rows = [[squash(td.text_content()) for td in tr.findall("td")] for tr in tables[0].findall(".//tbody/tr")]
    assert len(rows) == len(SALT_PAIRS)
    assert rows[2][:3] == ["3", "13headingThemarket", "11heading集市"]
    assert re.fullmatch("13paragraph山口顶上.*改变。15paragraph他们收盐.*代人。", rows[3][2])
    warned = [r[0] for r, tr in zip(rows, tables[0].findall(".//tbody/tr"), strict=True) if tr.get("class") == "warn"]
    assert warned == ["4", "6", "9"]
    assert rows[8][3].startswith("⚠[B004]1paragraphoftheoriginalisnottranslatedhere")
    assert "03-coda.md" in root.text_content()


def test_check_lists_the_unconfirmed_pairings(interleaved: Bilingual, caplog: pytest.LogCaptureFixture,
                                              log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[1-4]\]")
    caplog.set_level(logging.INFO)
    check_outputs(interleaved.folder, interleaved.pdf.parent)  # only the bilingual edition is built
    messages = [r.getMessage() for r in caplog.records]
    salt = display_path(interleaved.folder / "chapters" / "01-salt")
    assert [m for m in messages if "[B00" in m] == [
        f"{salt}.md:13: warning: [B002] 2 paragraphs here pair with 1 in the original ({salt}.en.md:15)",
        f"{salt}.md:19: warning: [B003] 1 paragraph here has no original (after {salt}.en.md:17)",
        f"{salt}.md:27: warning: [B004] 1 paragraph of the original is not translated here ({salt}.en.md:25)",
    ]
    assert "  notes      2" in messages and any(m.startswith("  verdict    ready to send") for m in messages)


def test_a_lost_line_of_the_original_stops_the_build_naming_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      log_guard: LogGuard) -> None:
    from test_complete import drop_line
    from weasyprint import HTML

    log_guard.expect(r"\[B00[1-4]\]")
    folder = copy_book("bilingual", tmp_path / "m")
    monkeypatch.setattr(HTML, "render", drop_line("The traders kept"))
    with pytest.raises(BookError) as caught:
        build(folder, tmp_path / "out", ("pdf",), force=True, edition=BILINGUAL)
    original = display_path(folder / "chapters" / "01-salt.en.md")
    assert str(caught.value).startswith(f"{original}:17: error: text lost in print (page 2): 「The")
    assert not (tmp_path / "out" / "salt-and-tides-bilingual.pdf").exists()


def test_in_columns_a_pair_longer_than_a_page_splits_both_columns(tmp_path: Path, log_guard: LogGuard) -> None:
    folder = tmp_path / "m"
    (folder / "chapters").mkdir(parents=True)
    (folder / "book.yaml").write_text("title: 长段\nbilingual_layout: columns\n", encoding="utf-8")
    english = " ".join(["The tide came in slowly over the flats, and the harbour master watched it from the window "
                        "of his office, counting the minutes against the printed table."] * 9)
    chinese = "潮水慢慢漫过滩涂，港务长在办公室的窗前看着它，对照印好的潮汐表数着分钟。" * 12
    (folder / "chapters" / "01.en.md").write_text(
        "# Long\n\n" + "Short opening paragraph of the original text here.\n\n" * 6 + english + "\n\nThe end.\n",
        encoding="utf-8")
    (folder / "chapters" / "01.md").write_text(
        "# 长\n\n" + "原文开头的一段短短的文字，在这里。\n\n" * 6 + chinese + "\n\n完。\n", encoding="utf-8")
    (pdf,) = build(folder, tmp_path / "out", ("pdf",), force=True, edition=BILINGUAL)  # the proof passes
    with pdfplumber.open(pdf) as document:
        pages = [(page.search("The tide came in"), page.search("潮水慢慢漫过")) for page in document.pages]
    on = [i for i, (left, right) in enumerate(pages) if left or right]
    # Over consecutive pages; at the first break both columns split (the shorter side ends earlier).
    assert len(on) >= 2 and on == list(range(on[0], on[-1] + 1)), on
    assert all(pages[i][0] and pages[i][1] for i in on[:2])
    first_left, first_right = pages[on[0]][0][0], pages[on[0]][1][0]
    assert abs(first_left["top"] - first_right["top"]) < 4


def test_no_paragraph_of_either_language_leaves_one_line_alone_at_a_page_break(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.formatting_structure import boxes

    from zhpress.print import proof

    folder = tmp_path / "m"
    (folder / "chapters").mkdir(parents=True)
    (folder / "book.yaml").write_text("title: 长段\n", encoding="utf-8")
    sentence = "The tide came in slowly over the flats, and the harbour master watched it from his window. "
    english = [sentence * (2 + n % 5) for n in range(24)]
    chinese = ["潮水慢慢漫过滩涂，港务长在窗前看着它。" * 2 * (2 + n % 5) for n in range(24)]
    (folder / "chapters" / "01.en.md").write_text("# Long\n\n" + "\n\n".join(english) + "\n", encoding="utf-8")
    (folder / "chapters" / "01.md").write_text("# 长\n\n" + "\n\n".join(chinese) + "\n", encoding="utf-8")
    laid_out = []
    prove = proof.prove_print

    def keep(document: object, *rest: object) -> None:
        laid_out.append(document)
        prove(document, *rest)

    monkeypatch.setattr(proof, "prove_print", keep)
    build(folder, tmp_path / "out", ("pdf",), force=True, edition=BILINGUAL)
    lines: dict[object, list[int]] = {}  # each paragraph's lines on each page it is on
    for document in laid_out:
        for page in document.pages:
            stack = [page._page_box]
            while stack:
                box = stack.pop()
                if isinstance(box, boxes.BlockBox) and box.element_tag == "p" and box.element is not None:
                    lines.setdefault(box.element, []).append(sum(isinstance(c, boxes.LineBox) for c in box.children))
                elif isinstance(box, boxes.ParentBox):
                    stack.extend(box.children)
    split = {element: counts for element, counts in lines.items() if len(counts) > 1}
    assert split  # the book breaks pages inside paragraphs, of both languages
    assert {"en" if (e.text or "").startswith("The tide") else "zh" for e in split} == {"en", "zh"}
    assert all(min(counts) >= 2 for counts in split.values()), split


def test_an_original_linked_from_outside_the_manuscript_is_refused(tmp_path: Path) -> None:
    folder = copy_book("bilingual", tmp_path / "m")
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n\nNot part of the book.\n", encoding="utf-8")
    (folder / "chapters" / "03-coda.en.md").symlink_to(outside)
    assert bilingual_error(folder) == (f"{display_path(folder / 'chapters' / '03-coda.en.md')}: error: "
                                       "original is outside the manuscript folder (a symbolic link leads out of it)")


def test_build_py_align_writes_the_report_and_prints_the_warnings(tmp_path: Path) -> None:
    folder = copy_book("bilingual", tmp_path / "m")
    code, _, stderr = run_cli("align", "--manuscript", folder, "--output", tmp_path / "out", cwd=folder)
    assert code == 0, stderr
    assert (tmp_path / "out" / "salt-and-tides-align.html").is_file()
    assert "chapters/01-salt.md:13: warning: [B002] 2 paragraphs here pair with 1 in the original " \
           "(chapters/01-salt.en.md:15)" in stderr.splitlines()
    assert stderr.splitlines()[-1].endswith("salt-and-tides-align.html (2 chapters aligned, 3 pairs to review)")


def test_a_character_no_face_has_in_an_original_is_found_at_its_line(tmp_path: Path, log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[1-4]\]|\[G001\]")
    folder = copy_book("bilingual", tmp_path / "m")
    original = folder / "chapters" / "02-tide.en.md"
    original.write_text(original.read_text(encoding="utf-8").replace("printed the tide", "printed the 𓀀 tide"),
                        encoding="utf-8")
    with collect_warnings() as records:
        load_book(open_manuscript(folder), offline=True, edition=BILINGUAL)
    assert [r.getMessage() for r in records if "G001" in r.getMessage()] == [
        f"{display_path(original)}:6: warning: [G001] no font has U+13000 EGYPTIAN HIEROGLYPH A001 '𓀀'"]


def _tide(tmp_path: Path, translation: str | None = None, original: str | None = None) -> Path:
    """The test book with chapter 2's translation and original (when given) rewritten: one
    small chapter to build for a case."""
    folder = copy_book("bilingual", tmp_path / "m")
    for name, text in (("02-tide.md", translation), ("02-tide.en.md", original)):
        if text is not None:
            (folder / "chapters" / name).write_text(text, encoding="utf-8")
    return folder


TIDE_ZH = "---\ntitle: 潮汐表\norder: 2\n---\n# 潮汐表\n\n港务长每年印一次潮汐表。\n\n他把每个数字都核对两遍。\n"
TIDE_EN = "# The Tide Tables\n\nThe harbour master printed the tide tables once a year.\n\n" \
          "He checked every figure twice against the almanac.\n"


def test_a_picture_only_the_original_has_is_credited_to_its_chapter(tmp_path: Path, log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[1-4]\]")
    original = TIDE_EN.replace("\n\nHe checked", "\n\n![The harbour](images/caravan.png)\n\nHe checked")
    folder = _tide(tmp_path, TIDE_ZH, original)
    (path,) = build(folder, tmp_path / "out", ("epub",), force=True, edition=BILINGUAL)
    credits = lxml.html.fromstring(Epub(path).files[Epub(path).href("credits.xhtml")])
    entries = [(a.get("href"), a.text_content()) for li in credits.iter("li") for a in li.iter("a")]
    assert ("ch02.xhtml#ch02-en-fig1", "潮汐表") in entries


def test_only_a_credit_line_under_a_picture_is_its_caption_and_it_is_credited(tmp_path: Path,
                                                                              log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[1-4]\]")
    original = TIDE_EN.replace("\n\nHe checked", "\n\n![The harbour](images/caravan.png)\n\nLena Berg / Harbour Archive"
                               "\n\n![The quay](images/caravan.png)\n\nWe reached the quay via the northern road."
                               "\n\nHe checked")
    translation = TIDE_ZH.replace("\n\n他把", "\n\n![港口](images/caravan.png)\n\n![码头](images/caravan.png)"
                                  "\n\n我们经由北路到达码头。\n\n他把")
    (path,) = build(_tide(tmp_path, translation, original), tmp_path / "out", ("epub",), force=True,
                    edition=BILINGUAL)
    epub = Epub(path)
    chapter = lxml.html.fromstring(epub.files[epub.href("ch02.xhtml")])
    assert [squash(c.text_content()) for c in chapter.iter("figcaption")] == [
        squash("港口Lena Berg / Harbour Archive"), squash("码头The quay")]
    assert squash("We reached the quay via the northern road.") in [
        squash(p.text_content()) for p in chapter.iter("p") if p.getparent().get("lang") == "en"]
    credits = lxml.html.fromstring(epub.files[epub.href("credits.xhtml")])
    assert [squash(li.text_content()) for li in credits.iter("li") if "潮汐表" in li.text_content()] == [
        squash("Lena Berg / Harbour Archive（港口），见《潮汐表》"), squash("未注明来源（码头），见《潮汐表》")]


def test_an_original_is_found_in_any_case_and_one_without_its_chapter_warns(tmp_path: Path,
                                                                            log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[1-5]\]")
    folder = copy_book("bilingual", tmp_path / "m")
    chapters = folder / "chapters"
    (chapters / "02-tide.en.md").rename(chapters / "02-tide.EN.md")
    (chapters / "01-salt.en.md").rename(chapters / "01-Salt.en.md")
    with collect_warnings() as records:
        book = load_book(open_manuscript(folder), offline=True, edition=BILINGUAL)
    assert [c.path.name for c in book.chapters] == ["01-salt.md", "02-tide.md", "03-coda.md"]
    assert [a.original_path.name for a in book.alignments] == ["02-tide.EN.md"]
    assert [r.getMessage() for r in records if "B005" in r.getMessage()] == [
        f"{display_path(chapters / '01-Salt.en.md')}:1: warning: [B005] original without its chapter "
        f"({display_path(chapters / '01-Salt.md')}): it is left out"]


def test_a_translation_of_markers_alone_has_no_text(tmp_path: Path, log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B001\]")
    folder = _tide(tmp_path, "---\ntitle: 潮汐表\n---\n<!-- pair 0:1 -->\n\n<!-- pair -->\n")
    with pytest.raises(BookError) as caught:
        load_book(open_manuscript(folder), offline=True, edition=BILINGUAL)
    assert str(caught.value) == f"{display_path(folder / 'chapters' / '02-tide.md')}: error: chapter has no text"


def test_two_different_pictures_paired_warn_naming_both(tmp_path: Path, log_guard: LogGuard) -> None:
    log_guard.expect(r"\[B00[1-6]\]")
    original = TIDE_EN.replace("\n\nHe checked", "\n\n![The harbour](images/caravan.png)\n\nHe checked")
    translation = TIDE_ZH.replace("\n\n他把", "\n\n![港口](images/quay.png)\n\n他把")
    folder = _tide(tmp_path, translation, original)
    (folder / "chapters" / "images" / "quay.png").write_bytes(
        (folder / "chapters" / "images" / "caravan.png").read_bytes())
    with collect_warnings() as records:
        load_book(open_manuscript(folder), offline=True, edition=BILINGUAL)
    tide = display_path(folder / "chapters" / "02-tide")
    assert [r.getMessage() for r in records if "B006" in r.getMessage()] == [
        f"{tide}.md:9: warning: [B006] the figure here (images/quay.png) pairs with another picture in the "
        f"original ({tide}.en.md:5: images/caravan.png), which is left out"]
