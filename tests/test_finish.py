"""Typographic finish (issue 15), measured on the built books: generated text composes with
the captions it cites, tables are kept whole and set as tables, and no paragraph ends on a
runt (a last line of one character)."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import ROOT, Epub, build_book, copy_book, offline, run_cli, text_of, xpath
from pdf_layout import BODY_SIZE, MM, body_lines, ragged_lines, runts, short_pages

from zhpress.check.ace import chromium
from zhpress.ebook.cover import COVER_SIZE, MARGIN, CoverText, _font, _title_lines
from zhpress.ebook.fonts import book_faces
from zhpress.editions import ZH_HANS
from zhpress.model import Chapter, Source
from zhpress.print.html import bind_paragraph_ends
from zhpress.print.sizes import FOOT_MARGIN_MM
from zhpress.render import bracketed


@dataclass
class Built:
    pdf: Path
    epub: Path


@pytest.fixture(scope="module")
def default_book(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("finish")
    with offline():
        result = build_book(copy_book("manuscript", root / "manuscript"), root / "out", ("pdf", "epub"))
    return Built(result.path(".pdf"), result.path(".epub"))


# --------------------------------------------------------------------------- generated text

# Two marks that collide: a pause or stop right before a closing bracket or another pause or stop.
CLASH = re.compile(r"[。，、；：][）)，。、；：]")


@pytest.mark.parametrize(("caption", "cited"), [
    ("叙利亚人在大马士革庆祝。", "（叙利亚人在大马士革庆祝）"),
    ("他问：谁来了？", "（他问：谁来了？）"),  # the caption's own question stays
    ("他说：“走吧。”", "（他说：“走吧。”）"),  # a quotation's stop is inside its quotes
    ("等待……", "（等待……）"),
])
def test_a_cited_caption_loses_only_its_final_pause_or_stop(caption: str, cited: str) -> None:
    assert bracketed(caption) == cited


def test_the_credits_page_composes_with_each_caption(default_book: Built) -> None:
    with pdfplumber.open(default_book.pdf) as pdf:
        (page,) = [p for p in pdf.pages if (p.extract_text() or "").startswith("图片版权")]
        entries = "".join((page.extract_text() or "").splitlines()[1:])
    assert entries.count("），第") == 6  # each caption bracketed, then its page
    assert "倒台），第3页" in entries
    assert CLASH.findall(entries) == []


def test_the_epub_credits_compose_with_each_caption(default_book: Built) -> None:
    epub = Epub(default_book.epub)
    (credits,) = [doc for doc in epub.documents().values() if xpath(doc, "//*[@class='credits']")]
    entries = [text_of(li) for li in xpath(credits, "//*[@class='credits']/*")]
    assert len(entries) == 6
    assert all(CLASH.search(entry) is None and "）（" not in entry for entry in entries), entries
    assert entries[0].endswith("倒台），见《阿萨德家族的覆灭》")  # where it is, as print's 「，第3页」


# --------------------------------------------------------------------------- tables

@pytest.fixture(scope="module")
def tables_book(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("tables")
    result = build_book(copy_book("tables", root / "tables"), root / "out", ("pdf", "epub"))
    return Built(result.path(".pdf"), result.path(".epub"))


@pytest.fixture(scope="module")
def tables_pdf(tables_book: Built) -> Path:
    return tables_book.pdf


def _pages_with(pdf: pdfplumber.PDF, word: str) -> list[int]:
    return [i for i, page in enumerate(pdf.pages) if word in (page.extract_text() or "")]


def _word(page: pdfplumber.page.Page, text: str) -> dict:
    (word,) = [w for w in page.extract_words() if w["text"] == text]
    return word


def test_a_short_table_at_a_page_foot_moves_whole_to_the_next_page(tables_pdf: Path) -> None:
    with pdfplumber.open(tables_pdf) as pdf:
        (page,) = {p for word in ("站名", "北岸码头", "沙洲", "灯塔村", "南岸渡口") for p in _pages_with(pdf, word)}
        height = _word(pdf.pages[page], "南岸渡口")["bottom"] - _word(pdf.pages[page], "站名")["top"]
        before = pdf.pages[page - 1]
        foot = before.height - FOOT_MARGIN_MM * MM
        left = foot - max(c["bottom"] for c in before.chars if abs(c["size"] - BODY_SIZE) < 0.2)
    assert 0 < left < height  # it would have been split: it moved, and nothing of it stayed behind


def test_a_long_table_repeats_its_header_row_on_every_page(tables_pdf: Path) -> None:
    with pdfplumber.open(tables_pdf) as pdf:
        pages = sorted({p for year in range(1986, 2026) for p in _pages_with(pdf, f"{year}")})
        assert len(pages) >= 3
        for number in pages:
            page = pdf.pages[number]
            header = _word(page, "乘客人数")["top"]
            rows = [w["top"] for w in page.extract_words() if re.fullmatch(r"(19|20)\d\d", w["text"])]
            assert rows and header < min(rows), number + 1


def test_figures_align_right_and_chinese_cells_left_unspaced(tables_pdf: Path) -> None:
    with pdfplumber.open(tables_pdf) as pdf:
        (number,) = _pages_with(pdf, "南岸渡口")
        words = pdf.pages[number].extract_words()
        fares = [w for w in words if re.fullmatch(r"\d+\.\d\d", w["text"])]
        names = [w for w in words if w["text"] in ("北岸码头", "沙洲", "灯塔村", "南岸渡口")]
        (last,) = _pages_with(pdf, "附近的老人")
        chars = pdf.pages[last].chars
        start = next(c for c in chars if c["text"] == "这")  # the remark's cell: below and right of it
        remark = sorted((c for c in chars if c["x0"] >= start["x0"] - 0.5 and c["top"] >= start["top"] - 1
                         and c["size"] == start["size"]), key=lambda c: (-round(c["matrix"][5]), c["x0"]))
    assert len(fares) == 4 and max(w["x1"] for w in fares) - min(w["x1"] for w in fares) < 0.5
    assert len(names) == 4 and max(w["x0"] for w in names) - min(w["x0"] for w in names) < 0.5
    # A wrapped Chinese cell: every character advances by its own width, none letter-spaced.
    advances = [b["x0"] - a["x0"] for a, b in pairwise(remark) if round(a["matrix"][5]) == round(b["matrix"][5])]
    assert advances and all(abs(step - remark[0]["size"]) < 0.1 for step in advances)


def test_a_column_of_figures_lines_up_on_its_decimal_point(tables_pdf: Path) -> None:
    """里程: 0, 12.4, 27.0, 41.6; the 0 ends where the others' decimal points begin."""
    with pdfplumber.open(tables_pdf) as pdf:
        (number,) = _pages_with(pdf, "南岸渡口")
        words = pdf.pages[number].extract_words()
        chars = pdf.pages[number].chars
    header = next(w for w in words if w["text"] == "里程")
    column = [w for w in words if w["x0"] >= header["x0"] - 5 and w["top"] > header["bottom"]
              and re.fullmatch(r"\d+(\.\d)?", w["text"])][:4]
    assert [w["text"] for w in column] == ["0", "12.4", "27.0", "41.6"]
    points = [c["x0"] for c in chars if c["text"] == "." and any(
        w["x0"] <= c["x0"] <= w["x1"] and abs(w["top"] - c["top"]) < 1 for w in column[1:])]
    assert len(points) == 3 and max(points) - min(points) < 0.5
    assert abs(column[0]["x1"] - points[0]) < 0.5


def _tables_marked(body: Any) -> Chapter:
    """A chapter of `body` through the tables transform, for a 32k page's measure (94 mm)."""
    from zhpress.editions import ZH_HANS
    from zhpress.read.images import ImageResolver
    from zhpress.transforms.setting import Setting
    from zhpress.transforms.tables import mark_tables

    setting = Setting(ImageResolver(Path("m"), (1, 1), offline=True), ZH_HANS, measure=94)
    return mark_tables(Chapter("c", Path("c.md"), None, Source(), body), setting)


def test_decimals_share_a_box_as_wide_as_the_columns_widest() -> None:
    from lxml.html import fragment_fromstring

    rows = "".join(f"<tr><td>{v}</td></tr>" for v in ("0", "12.4", "7.25%", "<b>3</b>"))
    body = fragment_fromstring(f"<div><table><tbody>{rows}</tbody></table></div>")
    cells = _tables_marked(body).body.findall(".//td")
    assert [cell.text_content() for cell in cells] == ["0", "12.4", "7.25%", "3"]  # no text added
    boxes = [cell.find("span") for cell in cells[:3]]
    assert [box.text or "" for box in boxes] == ["", ".4", ".25%"]
    assert {box.get("style") for box in boxes} == {"min-width: 4.50ch"}  # .25%: 0.65 + 2 × 1.05 + 1.75
    assert cells[3].find("span") is None  # set in bold by the translator: left as it is


def test_tables_are_marked_for_both_books() -> None:
    from lxml.html import fragment_fromstring

    rows = "".join(f"<tr><td>站{i}</td><td>{i}.50</td><td></td></tr>" for i in range(7))
    body = fragment_fromstring(f"<div><table><thead><tr><th>站</th><th>票价</th><th>备注</th></tr></thead>"
                               f"<tbody>{rows}</tbody></table></div>")
    chapter = _tables_marked(body)
    assert chapter.body.find(".//table").get("class") is None  # seven rows: a long table
    assert [cell.get("class") for cell in chapter.body.find(".//tr")] == [None, "num", None]


# --------------------------------------------------------------------------- runts

def test_the_default_book_ends_no_paragraph_on_a_runt(default_book: Built) -> None:
    """Before the binding: 5 of 69 paragraph ends were one character (「信。”」, 「权。」, …)."""
    lines = body_lines(default_book.pdf)
    assert sum(ln.last_of_paragraph for ln in lines) == 69
    assert [(ln.page, ln.text) for ln in runts(lines)] == []
    assert ragged_lines(lines) == []  # the lines that gave a character up are still flush


@pytest.fixture(scope="module", params=["32k", "a5", "16k", "6x9in"])
def default_at_trim(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default book at another trim than its own (32k-large)."""
    root = tmp_path_factory.mktemp(f"trim-{request.param}")
    manuscript = copy_book("manuscript", root / "manuscript")
    config = manuscript / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"trim: {request.param}\n", encoding="utf-8")
    with offline():
        return build_book(manuscript, root / "out", ("pdf",)).path(".pdf")


def test_the_default_book_at_every_trim_is_flush_with_no_runt_and_no_page_short_for_a_figure(
        default_at_trim: Path) -> None:
    """At A5 two lines measured ragged before: one ends on a note call (raised, smaller, and
    left out of the line by an earlier measure), one on a half-width 。 before （."""
    lines = body_lines(default_at_trim)
    assert sum(ln.last_of_paragraph for ln in lines) == 69
    assert [(ln.page, ln.text) for ln in runts(lines)] == []
    assert [(ln.page, ln.text, round(ln.right_edge - ln.x1, 2)) for ln in ragged_lines(lines)] == []
    assert [page for page in short_pages(default_at_trim) if page.cause == "figure"] == []


@pytest.mark.parametrize(("markup", "bound"), [
    ("<p>他不相信。”</p>", "<p>他不相\u2060信。”</p>"),
    # The last characters are the paragraph's, not its note's; a boundary between runs is bound too.
    ('<p>连弟弟<em>都</em>不信。<span class="note">注释的文字。</span></p>',
     '<p>连弟弟<em>都</em>不\u2060信。<span class="note">注释的文字。</span></p>'),
    ("<p>他说<em>好</em>。</p>", "<p>他说<em>\u2060好</em>。</p>"),
    ("<ul><li>新桥通车</li></ul>", "<ul><li>新桥通\u2060车</li></ul>"),
    ("<p>用Python</p>", "<p>用Python</p>"),  # a Latin word does not break inside
])
def test_a_paragraphs_last_two_characters_are_bound(markup: str, bound: str) -> None:
    from lxml.html import fragment_fromstring, tostring

    body = bind_paragraph_ends(fragment_fromstring(f"<div>{markup}</div>"))
    assert tostring(body, encoding="unicode") == f"<div>{bound}</div>"


# --------------------------------------------------------------------------- the EPUB on a phone

PHONE = "430,900"
# Measures what a reading system lays out, into the document's title (read back with --dump-dom).
PROBE = """<script>//<![CDATA[
window.addEventListener("load", () => {
  const box = el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  const align = el => getComputedStyle(el).textAlign;
  document.title = JSON.stringify({
    noterefs: [...document.querySelectorAll("a.noteref")].map(box),
    cells: [...document.querySelectorAll("td:not(.num), th:not(.num)")].map(align),
    figures: [...document.querySelectorAll("td.num")].map(align),
    headings: [...document.querySelectorAll("h1")].map(align),
    // A pop-up note, as reading systems show one: the aside alone, out of the notes section.
    popup: [...document.querySelectorAll("aside[role=doc-footnote]")].map(
      aside => getComputedStyle(document.body.appendChild(aside).querySelector("p")).textIndent),
  });
});
//]]></script>"""


def phone_layout(epub: Path, document: str, tmp_path: Path) -> dict:
    """What headless Chromium lays out for `document` of `epub` at a phone's width."""
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(tmp_path)
    (page,) = tmp_path.rglob(document)
    probe = page.with_name("probe.xhtml")
    probe.write_text(page.read_text(encoding="utf-8").replace("</head>", PROBE + "</head>", 1), encoding="utf-8")
    dom = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          f"--window-size={PHONE}", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    (title,) = re.findall(r"<title>(.*?)</title>", dom, re.S)
    return json.loads(title.replace("&quot;", '"'))


needs_chromium = pytest.mark.skipif(chromium() is None, reason="no chromium (apt-get install chromium)")


@needs_chromium
def test_note_references_are_a_finger_wide_on_a_phone(default_book: Built, tmp_path: Path) -> None:
    """WCAG 2.2 2.5.8: a target of at least 24×24 CSS px (the digit alone was about 6×13)."""
    boxes = phone_layout(default_book.epub, "ch01.xhtml", tmp_path)["noterefs"]
    assert len(boxes) == 7
    assert min(width for width, _ in boxes) >= 24 and min(height for _, height in boxes) >= 24


@needs_chromium
def test_a_pop_up_note_is_not_indented(default_book: Built, tmp_path: Path) -> None:
    assert phone_layout(default_book.epub, "ch01.xhtml", tmp_path)["popup"] == ["0px"] * 7


@needs_chromium
def test_table_cells_are_flush_left_on_a_phone(tables_book: Built, tmp_path: Path) -> None:
    layout = phone_layout(tables_book.epub, "ch01.xhtml", tmp_path)
    assert layout["cells"] and set(layout["cells"]) == {"left"}  # never justified
    assert layout["figures"] and set(layout["figures"]) == {"right"}


@needs_chromium
def test_the_title_page_is_centred_on_a_phone(default_book: Built, tmp_path: Path) -> None:
    """The book title was flush left under centred lines: h1's own alignment won over the page's."""
    assert phone_layout(default_book.epub, "titlepage.xhtml", tmp_path)["headings"] == ["center"]


# --------------------------------------------------------------------------- chapter openings

def _opening_page(pdf: pdfplumber.PDF) -> str:
    """The text of the page that opens the default book's chapter."""
    (text,) = [t for t in (p.extract_text() or "" for p in pdf.pages) if "有的独裁者战死沙场" in t]
    return text


def test_a_chapter_opening_shows_the_original_title_and_author_once(default_book: Built) -> None:
    with pdfplumber.open(default_book.pdf) as pdf:
        opening = _opening_page(pdf)
    assert opening.count("The Fall of the House of Assad") == 1
    assert opening.count("Robert F. Worth") == 1
    assert "原题" not in opening and "作者" not in opening
    assert "原载" in opening and "剪藏" in opening  # the rest of the source block stays
    epub = Epub(default_book.epub)
    (chapter,) = [doc for doc in epub.documents().values() if xpath(doc, "//h:h1[@class='chapter-title']")]
    assert text_of(chapter).count("The Fall of the House of Assad") == 1
    assert text_of(chapter).count("Robert F. Worth") == 1


def test_a_chapter_without_a_chinese_title_keeps_its_original_title_in_the_source_block() -> None:
    from zhpress.editions import ZH_HANS
    from zhpress.render import environment

    parts = environment().get_template("parts.j2").make_module({"labels": ZH_HANS.labels, "config": None})
    source = Source(original_title="The Harbour", authors=("Ann Lee",))
    untitled = Chapter(id="c1", path=Path("c1.md"), title=None, source=source, body=None)
    titled = Chapter(id="c1", path=Path("c1.md"), title="港口", source=source, body=None)
    assert "The Harbour" in str(parts.source_block(untitled, under_head=True))
    assert "The Harbour" not in str(parts.source_block(titled, under_head=True))
    assert "Ann Lee" not in str(parts.source_block(titled, under_head=True))
    assert "Ann Lee" in str(parts.source_block(titled))  # the copyright page's list of sources


def test_show_clipped_false_leaves_the_clip_date_out_of_the_printed_book(tmp_path: Path, log_guard) -> None:
    log_guard.expect("image not fetched")
    manuscript = copy_book("manuscript", tmp_path / "manuscript")
    config = manuscript / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "show_clipped: false\n", encoding="utf-8")
    with offline():
        result = build_book(manuscript, tmp_path / "out", ("pdf",))
    with pdfplumber.open(result.path(".pdf")) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert "剪藏" not in text
        assert "原载" in _opening_page(pdf)


# --------------------------------------------------------------------------- cover titles

COVER_WIDTH = COVER_SIZE[0] - 2 * MARGIN


def _cover_lines(title: str, by_hand: tuple[str, ...] | None = None) -> list[str]:
    text = CoverText(title, None, None, (), (), None, ZH_HANS, by_hand)
    return _title_lines(text, COVER_WIDTH, book_faces(ZH_HANS).song_bold, 1.0)[1]


def _word_ends(title: str) -> set[int]:
    """Offsets in `title` where one of rjieba's words ends."""
    import rjieba

    ends, offset = set(), 0
    for word in rjieba.cut(title):
        offset += len(word)
        ends.add(offset)
    return ends


@pytest.mark.parametrize("title", [
    "阿萨德家族的覆灭",  # the default book's: a greedy wrap gave 阿萨德家／族的覆灭
    "被遗忘的丝绸之路上的最后一座驿站",
    "中国人工智能的崛起与困境",
    "“冷战”的终结：一个帝国的崩溃",
])
def test_a_cover_title_breaks_between_words_into_balanced_lines(title: str) -> None:
    lines = _cover_lines(title)
    assert 2 <= len(lines) <= 3 and "".join(lines) == title
    breaks = list(itertools.accumulate(len(line) for line in lines))[:-1]
    assert set(breaks) <= _word_ends(title), lines
    assert not any(line[0] in "的之了上”：" for line in lines[1:]), lines
    font = _font(book_faces(ZH_HANS).song_bold, 100)
    widths = [font.getlength(line) for line in lines]
    assert max(widths) <= COVER_WIDTH
    assert min(widths) >= 0.5 * max(widths), lines  # no short last line like 的覆灭 under a long one


def test_the_default_books_cover_title_is_the_one_broken_between_words() -> None:
    from zhpress.config import load_config

    title = load_config(ROOT / "manuscript").title
    assert _cover_lines(title) == ["阿萨德", "家族的覆灭"]


def test_cover_title_lines_break_the_title_by_hand() -> None:
    assert _cover_lines("阿萨德家族的覆灭", ("阿萨德家族", "的覆灭")) == ["阿萨德家族", "的覆灭"]


def test_cover_title_lines_must_spell_the_title(tmp_path: Path) -> None:
    manuscript = copy_book("manuscript", tmp_path / "manuscript")
    config = manuscript / "book.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    config.write_text("\n".join([*lines, "cover_title_lines: [阿萨德家族, 的灭亡]", ""]), encoding="utf-8")
    code, out, err = run_cli("epub", "--manuscript", "manuscript", "--output", "out", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == (f"manuscript/book.yaml:{len(lines) + 1}: error: cover_title_lines: the lines 阿萨德家族／的灭亡 "
                   "do not spell the title 阿萨德家族的覆灭\n")


def test_a_wide_tables_figures_are_set_flush_right_without_decimal_boxes() -> None:
    """Its equal narrow columns would wrap a figure at the box: 1,234,567 above .89."""
    from lxml.html import fragment_fromstring

    from zhpress.transforms.tables import WIDE_TABLE_COLUMNS

    row = "".join(f"<td>{n},234,567.8{n}</td>" for n in range(WIDE_TABLE_COLUMNS + 1))
    body = fragment_fromstring(f"<div><table><tbody><tr>{row}</tr><tr>{row}</tr></tbody></table></div>")
    cells = _tables_marked(body).body.findall(".//td")
    assert len(cells) == 2 * (WIDE_TABLE_COLUMNS + 1)
    assert all(cell.get("class") == "num" and cell.find("span") is None for cell in cells)
