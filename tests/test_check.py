"""`check`, the gate before a book goes out, run as a publisher runs it (build.py check):
pictures printed as placeholders, markup printed as text, a PDF or EPUB that is not the
manuscript's, drafts, the summary; and the warnings a build keeps for the next `make`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import LogGuard, build_book, copy_book, offline, pdf_text, run_cli, squash
from test_complete import small_book
from test_default_book import image_lines

from zhpress.check.leftovers import leftover_markup
from zhpress.check.pdf_text import MM, pdf_text_findings
from zhpress.editions import ZH_HANS
from zhpress.pipeline import load_book
from zhpress.print.sizes import FOOT_MARGIN_MM
from zhpress.read.manuscript import open_manuscript

SLUG = "fall-of-the-house-of-assad"


@pytest.fixture(scope="module")
def default_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default book built offline (six pictures not fetched), in `root/manuscript`, `root/out`."""
    root = tmp_path_factory.mktemp("check")
    folder = copy_book("manuscript", root / "manuscript")
    with offline():
        build_book(folder, root / "out", ("pdf", "epub"))
    return root


def summary(err: str) -> list[str]:
    """The summary block check ends with, from its heading on."""
    lines = err.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("check of "))
    return lines[start:]


def test_check_fails_on_the_default_book_built_offline_naming_each_placeholder(default_built: Path) -> None:
    code, out, err = run_cli("check", "--manuscript", "manuscript", "--output", "out", cwd=default_built)
    assert (code, out) == (1, "")
    chapter = "manuscript/chapters/01-fall-of-assad.md"
    placeholders = [
        f"{chapter}:{line}: error: [F001] picture printed as a placeholder, not fetched: {url} "
        "(build online, or mark the book a draft: --draft)"
        for line, url in image_lines(default_built / chapter)
    ]
    assert [line for line in err.splitlines() if ": error: " in line] == [
        *placeholders, "out: error: 6 finding(s) in the built files"]
    lines = summary(err)
    assert lines[0] == f"check of out/{SLUG}.pdf and {SLUG}.epub:"
    assert lines[1] == "  pages      28"  # 25 laid out, 3 blanks fill the last 4-page signature
    assert lines[2:4] == ["  chapters   1", lines[3]]
    assert lines[3].startswith("  字数        10,") and lines[3].endswith(" (characters of the chapters and "
                                                                       "their notes, spaces not counted)")
    assert lines[4:] == [
        "  notes      7",
        "  figures    0 printed, 6 placeholder(s)",
        "  warnings   6 (from the last build, and the check's own)",
        "  verdict    NOT READY: 6 finding(s) above",
        "out: error: 6 finding(s) in the built files",
    ]


def test_check_passes_on_a_book_with_local_pictures(tmp_path: Path) -> None:
    copy_book("multi", tmp_path / "multi")
    code, _, err = run_cli("all", "--manuscript", "multi", "--output", "out", cwd=tmp_path)
    assert code == 0, err
    code, _, err = run_cli("check", "--manuscript", "multi", "--output", "out", cwd=tmp_path)
    assert code == 0, err
    assert ": error: " not in err
    assert "  figures    4 printed, 0 placeholder(s)" in err.splitlines()
    assert summary(err)[-1] == "  verdict    ready to send"


def test_a_draft_says_so_in_both_books_and_passes_with_placeholders(default_built: Path) -> None:
    root = default_built / "draft"
    shutil.copytree(default_built / "manuscript", root / "manuscript")
    with (root / "manuscript" / "book.yaml").open("a", encoding="utf-8") as config:
        config.write("draft: true\n")
    code, _, err = run_cli("all", "--manuscript", "manuscript", "--output", "out", cwd=root)
    assert code == 0, err
    assert squash(ZH_HANS.labels.draft_notice) in squash(pdf_text(root / "out" / f"{SLUG}.pdf"))
    code, _, err = run_cli("check", "--manuscript", "manuscript", "--output", "out", cwd=root)
    assert code == 0, err
    assert summary(err)[-2:] == ["  warnings   6 (from the last build, and the check's own)",
                                 "  verdict    ready as a draft (样书), not to be printed for sale"]


def test_check_as_a_draft_refuses_books_that_do_not_say_so(default_built: Path) -> None:
    code, _, err = run_cli("check", "--draft", "--manuscript", "manuscript", "--output", "out", cwd=default_built)
    assert code == 1
    assert [line for line in err.splitlines() if "[F002]" in line] == [
        f"out/{SLUG}.pdf: error: [F002] the book is a draft, but this PDF does not say so: "
        "build it with --draft (or draft: true in book.yaml)",
        f"out/{SLUG}.epub: error: [F002] the book is a draft, but this EPUB does not say so: "
        "build it with --draft (or draft: true in book.yaml)",
    ]


def test_check_catches_a_pdf_and_an_epub_that_are_not_the_manuscripts(tmp_path: Path) -> None:
    """Files built from an older version of the manuscript, missing a paragraph and a note."""
    copy_book("anthology", tmp_path / "book")
    code, _, err = run_cli("all", "--manuscript", "book", "--output", "out", cwd=tmp_path)
    assert code == 0, err
    older = copy_book("anthology", tmp_path / "older")
    chapter = older / "chapters" / "02-ferry.md"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("陈船长告诉我，这条航线差一点在十年前被取消。[^3]\n\n", "")
    chapter.write_text(text.replace("[^3]: 取消航线的提议见于当年的城市交通规划草案。\n", ""), encoding="utf-8")
    code, _, err = run_cli("all", "--manuscript", "older", "--output", "older-out", cwd=tmp_path)
    assert code == 0, err
    for name in ("海边两记.pdf", "海边两记.epub"):
        shutil.copyfile(tmp_path / "older-out" / name, tmp_path / "out" / name)
    code, _, err = run_cli("check", "--manuscript", "book", "--output", "out", cwd=tmp_path)
    assert code == 1
    findings = [line for line in err.splitlines() if "02-ferry.md" in line]
    assert findings[:2] == [
        "book/chapters/02-ferry.md:69: error: [P001] note missing from the PDF (page 6): 「取消航线的提议见于当…」",
        "book/chapters/02-ferry.md:29: error: [P001] text missing from the PDF (page 6): 「陈船长告诉我，这条航…」",
    ]
    assert [f for f in findings if "in the EPUB" in f] == [
        "book/chapters/02-ferry.md:29: error: text lost in the EPUB: 「陈船长告诉我，这条航…」",
        "book/chapters/02-ferry.md:69: error: text lost in the EPUB: 「取消航线的提议见于当…」",
    ]


# Obsidian's markup is read as Obsidian means it (tests/test_vault.py); escaped, as a web page or
# another editor may leave it, it prints as text, and check names it.
LEFTOVERS = r"""正文开头。

正文有\[\[维基链接\]\]，还有!\[\[图片.png\]\]。

这是\=\=高亮\=\=文字。

文中有\[!note\]标记，
不是提示框。

私人\%\%注释\%\%不应印出。

一段{.class}属性。

代码里的`[[不算]]`和`==也不算==`。
"""


def test_check_names_each_piece_of_markup_printed_as_text(tmp_path: Path, log_guard: LogGuard) -> None:
    folder = tmp_path / "book"
    (folder / "chapters").mkdir(parents=True)
    (folder / "book.yaml").write_text("title: 残留标记\n", encoding="utf-8")
    (folder / "chapters" / "01-残留.md").write_text(LEFTOVERS, encoding="utf-8")
    code, _, err = run_cli("all", "--manuscript", "book", "--output", "out", cwd=tmp_path)
    assert code == 0, err
    code, _, err = run_cli("check", "--manuscript", "book", "--output", "out", cwd=tmp_path)
    assert code == 1
    where = "book/chapters/01-残留.md"
    assert [line for line in err.splitlines() if ": error: " in line] == [
        f"{where}:3: error: [M001] wiki link or embed printed as text: [[维基链接]]",
        f"{where}:3: error: [M001] wiki link or embed printed as text: ![[图片.png]]",
        f"{where}:5: error: [M002] highlight markup printed as text: ==高亮==",
        f"{where}:7: error: [M003] callout marker printed as text: [!note]",
        f"{where}:10: error: [M004] comment markup printed as text: %%注释%%",
        f"{where}:12: error: [M005] attribute block printed as text: {{.class}}",
        "out: error: 6 finding(s) in the built files",
    ]


def test_an_up_to_date_build_shows_its_warnings_again(tmp_path: Path) -> None:
    copy_book("tiny", tmp_path / "tiny")
    chapter = tmp_path / "tiny" / "chapters" / "02-night.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n笑脸😀。\n", encoding="utf-8")
    code, _, first = run_cli("all", "--manuscript", "tiny", "--output", "out", cwd=tmp_path)
    assert code == 0, first
    warning = "tiny/chapters/02-night.md:5: warning: [G001] no font has U+1F600 GRINNING FACE '😀'"
    assert warning in first.splitlines()
    code, _, second = run_cli("all", "--manuscript", "tiny", "--output", "out", cwd=tmp_path)
    assert code == 0
    assert second.splitlines() == ["out/灯下小记.pdf is up to date", "out/灯下小记.epub is up to date", warning]


def printed_findings(tmp_path: Path, markdown: str, settings: str = "") -> tuple[Path, list[str]]:
    """A one-chapter book of `markdown` (and `settings` for book.yaml) built to PDF, and what
    check's reading of that PDF finds."""
    manuscript = small_book(tmp_path, markdown)
    with (manuscript / "book.yaml").open("a", encoding="utf-8") as config:
        config.write(settings)
    pdf = build_book(manuscript, tmp_path / "out", ("pdf",)).path(".pdf")
    return pdf, pdf_text_findings(load_book(open_manuscript(manuscript), offline=True), pdf).findings


def test_a_subscript_below_the_foot_line_is_text_not_a_folio(tmp_path: Path) -> None:
    paragraphs = "".join(f"第{i}段，较长的正文文字，较长的正文文字，较长的正文文字。[^{i}]\n\n" for i in range(1, 40))
    notes = "".join(f"[^{i}]: 水是H<sub>2</sub>O，硫酸是H<sub>2</sub>SO<sub>4</sub>，第{i}个。\n" for i in range(1, 40))
    pdf, findings = printed_findings(tmp_path, f"# 一章\n\n{paragraphs}{notes}")
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        foot = document.pages[0].height - FOOT_MARGIN_MM * MM
        assert any(c["top"] < foot < c["bottom"] for page in document.pages for c in page.chars)
    assert findings == []


def test_notes_of_the_same_text_are_each_found_on_their_page(tmp_path: Path) -> None:
    """Every note 「同上。」: the page's text ends with any of them, and only the peel that
    finds all the page's notes is the page's."""
    paragraphs = "".join(f"第{i}段，较长的正文文字，较长的正文文字，较长的正文文字。[^{i}]\n\n" for i in range(1, 40))
    notes = "".join(f"[^{i}]: 同上。\n" for i in range(1, 40))
    pdf, findings = printed_findings(tmp_path, f"# 一章\n\n{paragraphs}{notes}")
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        assert sum("同上" in (page.extract_text() or "") for page in document.pages) > 1
    assert findings == []


@pytest.mark.parametrize("paragraph", [
    "阿拉伯文السلام عليكم和希伯来文שלום עולם混在一段里，后面还有中文。",  # the text layer's order is visual
    "他说<q>你好，<q>世界</q></q>，然后走了。",  # CSS sets the quotation marks
])
def test_text_the_pdf_gives_back_in_another_form_is_found(tmp_path: Path, paragraph: str, log_guard: LogGuard) -> None:
    log_guard.expect(r"\[G001\] no font has U\+05")  # Hebrew, on machines without a Hebrew face
    _, findings = printed_findings(tmp_path, f"# 一章\n\n{paragraph}\n\n下一段。\n")
    assert findings == []


def test_notes_past_the_fiftieth_of_a_chapter_are_found_with_their_decimal_numbers(tmp_path: Path) -> None:
    """Numbered by chapter, the 51st note prints as 51, at its call (here inside a paragraph)
    and before its text."""
    paragraphs = "".join(f"第{i}句[^{i}]话。\n\n" for i in range(1, 56))
    notes = "".join(f"[^{i}]: 注释{i}。\n" for i in range(1, 56))
    pdf, findings = printed_findings(tmp_path, f"# 一章\n\n{paragraphs}{notes}", "note_numbering: chapter\n")
    assert "第55句55话" in squash(pdf_text(pdf))
    assert findings == []


def test_markup_in_a_title_is_found_and_percentages_and_arrows_are_not_markup(tmp_path: Path) -> None:
    # Escaped, so that pandoc and the Obsidian reader print them as the characters check reads.
    manuscript = small_book(tmp_path, "# 第一章==高亮==\n\n增长了50\\%\\%，另一项是60\\%\\%。"
                                      "箭头--\\>在文中，\\<!--却是注释。\n\n"
                                      "私人\\%\\%注释\\%\\%不应印出，结尾是100\\%\\%\n\n\\%\\%\n整段注释\n\\%\\%\n")
    where = f"{manuscript}/chapters/01.md"
    assert leftover_markup(load_book(open_manuscript(manuscript), offline=True)) == [
        f"{where}:1: error: [M002] highlight markup printed as text: ==高亮==",
        f"{where}:3: error: [M006] HTML comment printed as text: <!--",
        f"{where}:5: error: [M004] comment markup printed as text: %%注释%%",
        f"{where}:8: error: [M004] comment markup printed as text: %% 整段注释 %%",
    ]


def test_daisy_ace_running_out_of_time_is_one_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhpress.check import ace

    epub = build_book(small_book(tmp_path, "# 一章\n\n正文。\n"), tmp_path / "out", ("epub",)).path(".epub")
    monkeypatch.setattr(ace, "ACE_TIMEOUT", 0.01)
    assert ace.ace_findings(epub) == [
        f"{epub}: error: [A001] DAISY Ace did not finish within 0.01 s, so the EPUB's accessibility is not "
        "checked: run check again on a less busy machine"]


def test_check_fails_on_files_built_before_the_manuscript_changed(tmp_path: Path) -> None:
    """A word changed after the build: the reading of the text may not see it, the record of
    the build does."""
    copy_book("tiny", tmp_path / "tiny")
    code, _, err = run_cli("all", "--manuscript", "tiny", "--output", "out", cwd=tmp_path)
    assert code == 0, err
    chapter = tmp_path / "tiny" / "chapters" / "02-night.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
    code, _, err = run_cli("check", "--manuscript", "tiny", "--output", "out", cwd=tmp_path)
    assert code == 1
    assert [line for line in err.splitlines() if "[S001]" in line] == [
        f"out/{name}: error: [S001] not the file the last build wrote, or built from an older manuscript or "
        "program, or with other settings: rebuild it (make)" for name in ("灯下小记.pdf", "灯下小记.epub")]


def test_a_table_split_across_pages_repeats_its_header_row_as_the_layout_does(tmp_path: Path) -> None:
    header = ("| 城市的名称（按笔画排列） | 常住人口数量（单位：万人） | 备注与说明（资料来源见本书附录） |\n"
              "| --- | --- | --- |\n")
    rows = "".join(f"| 城市{i} | {i * 100} | 说明文字第{i}行 |\n" for i in range(1, 80))
    pdf, findings = printed_findings(tmp_path, f"# 一章\n\n表格之前。\n\n{header}{rows}\n表格之后。\n")
    assert squash(pdf_text(pdf)).count("常住人口数量（单位：万人）") > 1
    assert findings == []


def test_text_the_manuscript_does_not_have_is_a_finding(tmp_path: Path) -> None:
    """A PDF with a sentence the manuscript has since lost, between two paragraphs it still has."""
    added = "这一句只在旧版的文稿里出现，后来的文稿删掉了它，而印好的文件还留着这一整句话没有改。"
    pdf, _ = printed_findings(tmp_path, f"# 一章\n\n第一段。\n\n{added}\n\n第二段。\n")
    chapter = tmp_path / "m" / "chapters" / "01.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(f"{added}\n\n", ""), encoding="utf-8")
    findings = pdf_text_findings(load_book(open_manuscript(tmp_path / "m"), offline=True), pdf).findings
    assert findings == [f"{chapter}:5: error: [P002] text in the PDF that the manuscript does not have (page 1): "
                        f"「{added[:10]}…」"]


@pytest.mark.parametrize(("printed", "lost"), [
    ("第一段。第二段。图片说明。第三段。", []),  # the figure floated below the next paragraph
    ("第一段。图片说明。第二段。第三段。", []),  # where the manuscript put it
    ("第一段。第二段。第三段。", ["图片说明。"]),  # lost
    ("第一段。第二段。第三段。" + "填充" * 2500 + "图片说明。", ["图片说明。"]),  # pages away: not the figure's
])
def test_a_floated_figure_is_found_where_it_landed(printed: str, lost: list[str]) -> None:
    from zhpress.check.pdf_text import Block, _missing_blocks

    here = Path("c.md")
    blocks = [Block("第一段。", here, 1), Block("图片说明。", here, 3, floats=True), Block("第二段。", here, 5),
              Block("第三段。", here, 7)]
    findings = _missing_blocks(blocks, [("1", printed)])
    assert [f.split("): ")[-1] for f in findings if "[P001]" in f] == [f"「{t}」" for t in lost]
    assert [f for f in findings if "[P001]" not in f] == []
