"""Straight from the vault: a chapter as it stands in Obsidian (tests/books/vault) builds into
both books with its pictures, callouts, highlights and links read as Obsidian means them;
and the commands the README shows run as written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, Epub, LogGuard, build_book, copy_book, pdf_text, squash, text_of, xpath

from zhpress.errors import BookError

NIGHT_TRAIN = "chapters/Night Train to Lhasa.md"
OBSIDIAN_SYNTAX = ("[[", "]]", "==", "%%", "[!")


@pytest.fixture(scope="module")
def vault_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The vault manuscript built to PDF and EPUB: (manuscript, pdf, epub)."""
    root = tmp_path_factory.mktemp("vault")
    manuscript = copy_book("vault", root / "m")
    result = build_book(manuscript, root / "out", ("pdf", "epub"))
    assert result.warnings == []
    return manuscript, result.path(".pdf"), result.path(".epub")


def test_obsidian_markdown_prints_as_obsidian_shows_it(vault_book: tuple[Path, Path, Path]) -> None:
    _, pdf, epub_path = vault_book
    epub = Epub(epub_path)
    epub_text = squash("".join(text_of(doc) for doc in epub.documents().values()))
    for text in (squash(pdf_text(pdf)), epub_text):
        assert [s for s in OBSIDIAN_SYNTAX if s in text] == []
        assert "过了拉萨以前" in text and "Lhasa|" not in text  # [[Lhasa|拉萨]]: the alias
        assert "我们在唐古拉山口停了一次" in text  # [[唐古拉山口]]: the page's name
        assert "谁也没有说话" in text
        assert "回头再查" not in text and "私人笔记" not in text  # %%comments%%, inline and across lines
        assert "第#3" in text  # a tag-like #3 in Chinese text is left alone
        assert "译注可可西里位于青海省西南部" in text  # the callout's title heads its box
        assert "仓央嘉措住进布达拉宫" in text
    chapter = epub.xhtml("ch01.xhtml")
    assert [text_of(m) for m in xpath(chapter, "//h:mark")] == ["谁也没有说话"]
    boxes = xpath(chapter, "//h:aside[contains(@class, 'callout')]")
    assert [(b.get("class"), text_of(xpath(b, "h:p[@class='callout-title']")[0])) for b in boxes] == [
        ("callout callout-note", "译注"), ("callout callout-warning", "高原反应")]
    quotations = [squash(text_of(q)) for q in xpath(chapter, "//h:blockquote")]
    assert quotations == ["仓央嘉措住进布达拉宫，我是雪域最大的王。"]


def test_embedded_pictures_are_found_where_obsidian_finds_them(vault_book: tuple[Path, Path, Path]) -> None:
    """The note's folder, the attachment folder, and a file of that name anywhere: three
    pictures in the PDF, three files in the EPUB, three entries on the credits page."""
    _, pdf, epub_path = vault_book
    with pdfplumber.open(pdf) as document:
        assert sum(len(page.images) for page in document.pages) == 3
        # The credits page, wherever the padding to whole signatures leaves it.
        texts = [squash(page.extract_text() or "") for page in document.pages]
    credits = next(text for text in texts if text.startswith("图片版权"))
    assert credits.startswith("图片版权JaneRoe/Reuters（夜车驶过可可西里的草原），第1页未注明来源（站台）")
    pictures = sorted(name for name in Epub(epub_path).files if name.startswith("EPUB/images/ch01-fig"))
    assert len(pictures) == 3


def test_chapters_take_their_order_from_the_front_matter(vault_book: tuple[Path, Path, Path]) -> None:
    _, _, epub_path = vault_book
    assert [title for title, _ in Epub(epub_path).nav_toc()][:2] == ["开往拉萨的夜车", "港口的灯"]


def test_file_names_that_read_as_english_titles_are_a_warning(tmp_path: Path, log_guard: LogGuard) -> None:
    manuscript = copy_book("vault", tmp_path / "m")
    for chapter in (manuscript / "chapters").glob("*.md"):
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("order: ", "rank: "), encoding="utf-8")
    log_guard.expect("in the order of their file names")
    result = build_book(manuscript, tmp_path / "out", ("html",))
    assert result.warnings == [
        f"{manuscript}/chapters: warning: the chapters are in the order of their file names, A to Z by English "
        "title: give each an 'order: 1', 'order: 2', … in its front matter, or list them under 'chapters' "
        "in book.yaml"
    ]


@pytest.mark.parametrize(("embed", "message"), [
    ("![[另一篇笔记]]", "![[另一篇笔记]] embeds a note, and a book does not take in other notes: "
                      "copy the text you want into the chapter"),
    ("![[twin.png]]", "![[twin.png]] could be any of 2 files ({m}/notes/a/twin.png, {m}/notes/b/twin.png): "
                      "write its folder too, as in ![[folder/name.png]]"),
    ("![[missing.png]]", "![[missing.png]]: no such picture in the chapter's folder, the attachments folder "
                         "or anywhere in the manuscript"),
])
def test_an_embed_that_cannot_be_printed_is_an_error(tmp_path: Path, embed: str, message: str) -> None:
    manuscript = copy_book("vault", tmp_path / "m")
    for twin in ("a", "b"):
        folder = manuscript / "notes" / twin
        folder.mkdir()
        shutil.copy(manuscript / "attachments" / "station.png", folder / "twin.png")
    chapter = manuscript / NIGHT_TRAIN
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{embed}\n", encoding="utf-8")
    line = chapter.read_text(encoding="utf-8").count("\n")
    with pytest.raises(BookError) as caught:
        build_book(manuscript, tmp_path / "out", ("html",))
    assert str(caught.value) == f"{chapter}:{line}: error: " + message.format(m=manuscript)


def test_make_builds_the_manuscript_and_output_it_is_given(tmp_path: Path) -> None:
    manuscript = copy_book("vault", tmp_path / "vault book")
    output = tmp_path / "books out"
    done = subprocess.run(["make", f"MANUSCRIPT={manuscript}", f"OUTPUT={output}", "html"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in output.iterdir()] == ["夜车与港口.html"]


def test_build_py_runs_with_the_system_python(tmp_path: Path) -> None:
    """`python3 build.py …` from any Python: it runs itself again in .venv; without a .venv,
    it names the one command to run."""
    system_python = Path(sys.base_prefix) / "bin" / "python3"
    manuscript = copy_book("vault", tmp_path / "m")
    done = subprocess.run([system_python, ROOT / "build.py", "html", "--manuscript", manuscript,
                           "--output", tmp_path / "out"], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "夜车与港口.html").exists()
    bare = tmp_path / "fresh"
    bare.mkdir()
    shutil.copy(ROOT / "build.py", bare / "build.py")
    done = subprocess.run([system_python, bare / "build.py", "--help"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (2, "zhpress: error: run 'make' first: it sets up .venv with what "
                                                 "the build needs\n")


def test_the_venv_has_a_zhpress_command(tmp_path: Path) -> None:
    manuscript = copy_book("vault", tmp_path / "m")
    done = subprocess.run([ROOT / ".venv" / "bin" / "zhpress", "html", "--manuscript", manuscript,
                           "--output", tmp_path / "out"], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "夜车与港口.html").exists()
