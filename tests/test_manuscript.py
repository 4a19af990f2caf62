"""Reading a manuscript: book.yaml defaults, chapter order, and what web clippers put at the top."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from conftest import BOOKS

from zhpress.config import default_identifier, load_config, slug_for
from zhpress.outputs import by_name
from zhpress.pipeline import load_book, targets
from zhpress.read.chapters import chapter_paths, read_chapter
from zhpress.read.manuscript import open_manuscript

# Exactly what Obsidian Web Clipper's default template writes.
OBSIDIAN = """\
---
title: "The River Remembers"
source: "https://www.example.com/2024/01/the-river-remembers/?utm_source=newsletter"
author:
  - "[[Jane Doe]]"
  - "[[John Roe]]"
published: 2024-01-15T08:30:00+08:00
created: 2025-02-10
description: "A ferryman on a river that remembers."
tags:
  - "clippings"
---
# 河流的记忆

渡口的老船工说话了。
"""


def chapter_file(tmp_path: Path, text: str, name: str = "01.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def make_book(tmp_path: Path, config: str, chapters: dict[str, str]) -> Path:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.yaml").write_text(config, encoding="utf-8")
    for name, text in chapters.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- front matter


def test_obsidian_web_clipper_front_matter(tmp_path: Path) -> None:
    chapter = read_chapter(chapter_file(tmp_path, OBSIDIAN))
    assert chapter.title == "河流的记忆"
    source = chapter.source
    assert source.original_title == "The River Remembers"
    assert source.authors == ("Jane Doe", "John Roe")
    assert source.url == "https://www.example.com/2024/01/the-river-remembers/"  # tracking removed
    assert source.published == "2024-01-15"
    assert source.clipped == "2025-02-10"
    assert source.description == "A ferryman on a river that remembers."
    assert "河流的记忆" not in chapter.markdown
    assert "渡口的老船工说话了。" in chapter.markdown


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ('author: "[[Jane Doe]]"', ("Jane Doe",)),
        ("author: Robert F. Worth", ("Robert F. Worth",)),
        ('author: ["[[Jane Doe]]"]', ("Jane Doe",)),
        ('author:\n  - "[[Jane Doe]]"\n  - Li Si', ("Jane Doe", "Li Si")),
        ('author: "[[Émilie Dupré]]"', ("Émilie Dupré",)),
    ],
)
def test_author_forms(tmp_path: Path, author: str, expected: tuple[str, ...]) -> None:
    chapter = read_chapter(chapter_file(tmp_path, f"---\n{author}\n---\n正文。\n"))
    assert chapter.source.authors == expected


def test_clipped_key_and_plain_dates(tmp_path: Path) -> None:
    chapter = read_chapter(chapter_file(tmp_path, "---\nclipped: 2026-02-08\npublished: 2025-12-31\n---\n正文。\n"))
    assert (chapter.source.clipped, chapter.source.published) == ("2026-02-08", "2025-12-31")


@pytest.mark.parametrize(
    ("text", "chinese", "original"),
    [
        # The seed's shape: Chinese title in front matter, English first heading.
        ("---\ntitle: 阿萨德家族的覆灭\n---\n# The Fall of the House of Assad\n正文。\n",
         "阿萨德家族的覆灭", "The Fall of the House of Assad"),
        # Obsidian's shape: English title in front matter, Chinese first heading.
        ("---\ntitle: The River Remembers\n---\n# 河流的记忆\n正文。\n", "河流的记忆", "The River Remembers"),
        ("# 集市\n\n正文。\n", "集市", None),
        ("# Market Day\n\n正文。\n", None, "Market Day"),
        ("---\ntitle: 港口\n---\n正文。\n", "港口", None),
        ("---\ntitle: 港口\noriginal_title: The Harbour\n---\n正文。\n", "港口", "The Harbour"),
        ("正文，没有标题。\n", None, None),
    ],
)
def test_han_characters_make_a_title_chinese(tmp_path: Path, text: str, chinese: str | None,
                                             original: str | None) -> None:
    chapter = read_chapter(chapter_file(tmp_path, text))
    assert (chapter.title, chapter.source.original_title) == (chinese, original)


def test_a_chapter_without_any_title_is_named_after_its_file(tmp_path: Path) -> None:
    folder = make_book(tmp_path, "title: 书\n", {"chapters/03-untitled.md": "正文，没有标题。\n"})
    book = load_book(open_manuscript(folder))
    assert book.chapters[0].display_title == "03-untitled"


def test_heading_after_text_is_not_the_title(tmp_path: Path) -> None:
    chapter = read_chapter(chapter_file(tmp_path, "开头一段。\n\n# 小节\n\n正文。\n"))
    assert chapter.title is None
    assert "# 小节" in chapter.markdown


def test_front_matter_is_optional_and_a_crlf_file_reads_the_same(tmp_path: Path) -> None:
    lf = read_chapter(chapter_file(tmp_path, "---\ntitle: 港口\n---\n正文。\n", "lf.md"))
    crlf = read_chapter(chapter_file(tmp_path, "---\r\ntitle: 港口\r\n---\r\n正文。\r\n", "crlf.md"))
    assert (crlf.title, crlf.markdown) == (lf.title, lf.markdown)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff# 集市\n\n正文。\n".encode())
    assert read_chapter(path).title == "集市"


# --------------------------------------------------------------------------- book.yaml


def test_one_line_book_yaml_gets_every_default(tmp_path: Path) -> None:
    folder = make_book(tmp_path, "title: 灯下小记\n", {"chapters/01.md": "正文。\n"})
    config = load_config(folder)
    assert config.title == "灯下小记"
    assert config.language == "zh-Hans"
    assert config.authors == ()
    assert config.translators == ()
    assert config.identifier is None
    assert config.chapters is None


def test_default_chapters_are_chapters_md_in_name_order(tmp_path: Path) -> None:
    folder = make_book(tmp_path, "title: 书\n", {
        "chapters/10-last.md": "三。\n", "chapters/02-second.md": "二。\n", "chapters/01-first.md": "一。\n",
        "chapters/notes.txt": "不是章节。\n", "drafts/00-draft.md": "草稿。\n",
    })
    names = [p.name for p in chapter_paths(load_config(folder))]
    assert names == ["01-first.md", "02-second.md", "10-last.md"]


def test_listed_chapters_keep_their_listed_order() -> None:
    names = [p.name for p in chapter_paths(load_config(BOOKS / "multi"))]
    assert names == ["river.md", "market.md", "harbour.md"]


def test_authors_default_to_the_chapters_authors_in_order(tmp_path: Path) -> None:
    folder = make_book(tmp_path, "title: 书\n", {
        "chapters/01.md": "---\nauthor: Jane Doe\n---\n一。\n",
        "chapters/02.md": "---\nauthor: [\"[[John Roe]]\", Jane Doe]\n---\n二。\n",
        "chapters/03.md": "三。\n",
    })
    assert load_book(open_manuscript(folder)).authors == ("Jane Doe", "John Roe")


def test_book_yaml_authors_win_over_the_chapters(tmp_path: Path) -> None:
    folder = make_book(tmp_path, "title: 书\nauthors: [Li Si]\n",
                       {"chapters/01.md": "---\nauthor: Jane Doe\n---\n一。\n"})
    assert load_book(open_manuscript(folder)).authors == ("Li Si",)


def test_default_identifier_is_a_stable_uuid_derived_from_the_title() -> None:
    first = default_identifier("阿萨德家族的覆灭")
    assert first == default_identifier("阿萨德家族的覆灭")
    assert first.startswith("urn:uuid:")
    assert uuid.UUID(first.removeprefix("urn:uuid:")).version == 5
    assert default_identifier("另一本书") != first


@pytest.mark.parametrize(
    ("title", "original", "slug"),
    [
        ("阿萨德家族的覆灭", "The Fall of the House of Assad", "the-fall-of-the-house-of-assad"),
        ("小镇三记", "Three Sketches: of a Small Town!", "three-sketches-of-a-small-town"),
        ("灯下小记", None, "灯下小记"),
    ],
)
def test_slug_from_the_titles(title: str, original: str | None, slug: str) -> None:
    assert slug_for(title, original) == slug


def test_slug_key_names_the_outputs(tmp_path: Path) -> None:
    folder = make_book(tmp_path, "title: 书\nslug: my-book\n", {"chapters/01.md": "一。\n"})
    wanted = tuple(map(by_name, ("pdf", "epub", "html")))
    assert [t.path.name for t in targets(load_config(folder), tmp_path / "out", wanted)] == [
        "my-book.pdf", "my-book.epub", "my-book.html",
    ]


def test_a_build_reads_book_yaml_and_each_chapter_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       log_guard) -> None:
    """build, and then check, each open the manuscript one time and pass it down."""
    import sys

    from zhpress import config as config_module
    from zhpress.check.gate import check_outputs
    from zhpress.errors import CheckFailedError
    from zhpress.pipeline import build
    from zhpress.read import chapters

    calls = {"load_config": 0, "read_chapter": 0}

    def counted(name: str, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    for name, owner in (("load_config", config_module), ("read_chapter", chapters)):
        original = getattr(owner, name)
        for module in [m for n, m in sys.modules.items() if n.startswith("zhpress") and m is not None]:
            if getattr(module, name, None) is original:
                monkeypatch.setattr(module, name, counted(name, original))
    chapters = {"chapters/01.md": "# 一\n\n一。\n", "chapters/02.md": "# 二\n\n二。\n"}
    folder = make_book(tmp_path, "title: 书\n", chapters)
    build(folder, tmp_path / "out", ("html",), force=True)
    assert calls == {"load_config": 1, "read_chapter": 2}
    log_guard.expect("not built yet")
    with pytest.raises(CheckFailedError):
        check_outputs(folder, tmp_path / "out")  # not built: the PDF and EPUB are missing
    assert calls == {"load_config": 2, "read_chapter": 4}
