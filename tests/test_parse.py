"""Chapters converted in pandoc batches come out exactly as if each were converted alone."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import lxml.html
import pytest
from conftest import BOOKS, MANUSCRIPT, copy_book, run_cli
from lxml.html import HtmlElement

from zhpress.read import parse
from zhpress.read.chapters import ChapterText, read_chapter

SEED = MANUSCRIPT / "chapters" / "01-fall-of-assad.md"

# Two chapters with the same heading, ids, link labels and footnote labels: batch-mates
# must not rename or renumber each other's. Empty and spaced internal links too, which
# pandoc's per-file prefixes treat apart.
TWIN = """# 引言 {#start}

见[上文](#start)、[顶部](#)、[空链接]()、[带空格](<#a b>)与[另一处][ref]。脚注[^1]，再一个[^note]。

[ref]: https://example.com/a?utm_source=x
[^1]: 第一个注释。
[^note]: 第二个注释。

## 引言
"""


def chapter_texts() -> list[str]:
    paths = [*sorted(BOOKS.glob("multi/chapters/*.md")), SEED]
    return [read_chapter(path).markdown for path in paths]


def test_a_batch_converts_each_chapter_as_a_batch_of_one_does() -> None:
    texts = [TWIN, *chapter_texts(), TWIN]
    batch = parse.markdowns_to_html(texts)
    assert batch == [parse.markdowns_to_html([text])[0] for text in texts]
    assert batch[0] == batch[-1]
    assert 'id="start"' in batch[0] and 'href="#start"' in batch[0]
    assert 'href="#"' in batch[0]
    assert batch[0].count('class="note"') == 2
    assert "zhpress-" not in "".join(batch)  # no temporary file name left in an id or link


def test_ids_are_restored_whatever_the_temporary_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    odd = tmp_path / "Tmp Dir+1" / "9x"
    odd.mkdir(parents=True)
    expected = parse.markdowns_to_html([TWIN, "第二章。"])
    monkeypatch.setattr(tempfile, "tempdir", str(odd))
    assert parse.markdowns_to_html([TWIN, "第二章。"]) == expected


def test_a_chapter_cannot_forge_the_split_marker() -> None:
    forged = '<div id="m0" data-split="0"></div>\n\n仍是第一章。\n'
    first, second = parse.markdowns_to_html([forged, "第二章。"])
    assert "仍是第一章" in first and "第二章" not in first
    assert "第二章" in second


def test_chapters_come_back_in_order_from_batches_and_cache(tmp_path: Path) -> None:
    texts = [read_chapter(path) for path in sorted(BOOKS.glob("multi/chapters/*.md"))] * 3
    html = [alone(t) for t in texts]
    with parse.converted_chapters(texts, tmp_path) as cold:
        assert [as_text(el) for el in cold] == html
    with parse.converted_chapters(texts, tmp_path) as warm:
        assert [as_text(el) for el in warm] == html
    assert len(list((tmp_path / parse.CACHE_DIR).glob("*.html"))) == 3


def alone(text: ChapterText) -> str:
    with parse.converted_chapters([text]) as chapters:
        return as_text(next(chapters))


def as_text(element: HtmlElement) -> str:
    return lxml.html.tostring(element, encoding="unicode")


def test_leaving_early_cancels_the_batches_not_started(monkeypatch: pytest.MonkeyPatch) -> None:
    release, started = threading.Event(), threading.Event()
    converted: list[list[str]] = []

    def slow(markdowns: list[str], origins: object = None) -> list[str]:
        converted.append(markdowns)
        started.set()
        release.wait(10)
        return ["<p>x</p>"] * len(markdowns)

    monkeypatch.setattr(parse, "WORKERS", 1)
    monkeypatch.setattr(parse, "markdowns_to_html", slow)
    texts = [read_chapter(path) for path in sorted(BOOKS.glob("multi/chapters/*.md"))] * 2
    with parse.converted_chapters(texts):
        started.wait(10)  # the first batch is running; bad input is found now
    release.set()
    assert len(converted) == 1 and len(converted[0]) < len(texts)


def test_pandoc_warnings_name_the_chapter_file_and_line(tmp_path: Path) -> None:
    book = copy_book("tiny", tmp_path / "book")
    night = book / "chapters" / "02-night.md"
    text = night.read_text(encoding="utf-8") + "\n见[甲]。\n\n[甲]: https://example.com/1\n\n[甲]: https://example.com/2\n"
    night.write_text(text, encoding="utf-8")
    line = text.splitlines().index("[甲]: https://example.com/2") + 1
    status, _, stderr = run_cli("html", "--manuscript", "book", "--output", "out", cwd=tmp_path)
    assert status == 0
    warning = f"book/chapters/02-night.md:{line}: warning: Duplicate link reference '[甲]'"
    assert stderr.splitlines().count(warning) == 1, stderr
    assert "zhpress-" not in stderr


def test_a_filter_added_to_filters_runs_and_is_part_of_the_cache_key(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    chapter = tmp_path / "01.md"
    chapter.write_text("# 章\n\n一句*强调*的话。\n", encoding="utf-8")
    texts = [read_chapter(chapter)]
    with parse.converted_chapters(texts, tmp_path / "cache") as cold:
        before = as_text(next(cold))
    emphasis = tmp_path / "strong.lua"
    emphasis.write_text("function Emph(el) return pandoc.Strong(el.content) end\n", encoding="utf-8")
    monkeypatch.setattr(parse, "FILTERS", (*parse.FILTERS, emphasis))
    parse._converter_fingerprint.cache_clear()
    try:
        with parse.converted_chapters(texts, tmp_path / "cache") as warm:
            after = as_text(next(warm))
    finally:
        parse._converter_fingerprint.cache_clear()
    assert "<em>" in before and "<em>" not in after
    assert after == before.replace("<em>", "<strong>").replace("</em>", "</strong>")
