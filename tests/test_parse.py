"""Chapters converted in one pandoc batch come out exactly as if each were converted alone."""

from __future__ import annotations

from pathlib import Path

from zhpress import parse
from zhpress.manuscript import read_chapter

BOOKS = Path(__file__).parent / "books"
SEED = Path(__file__).parent.parent / "manuscript" / "chapters" / "01-fall-of-assad.md"

# Two chapters with the same heading, ids, link labels and footnote labels: batch-mates
# must not rename or renumber each other's.
TWIN = """# 引言 {#start}

见[上文](#start)与[另一处][ref]。脚注[^1]，再一个[^note]。

[ref]: https://example.com/a?utm_source=x
[^1]: 第一个注释。
[^note]: 第二个注释。

## 引言
"""


def chapter_texts() -> list[str]:
    paths = [*sorted(BOOKS.glob("multi/chapters/*.md")), SEED]
    return [read_chapter(path).markdown for path in paths]


def test_a_batch_converts_each_chapter_as_alone() -> None:
    texts = [TWIN, *chapter_texts(), TWIN]
    batch = parse.markdowns_to_html(texts)
    assert batch == [parse.markdowns_to_html([text])[0] for text in texts]
    assert batch[0] == batch[-1]
    assert 'id="start"' in batch[0] and 'href="#start"' in batch[0]
    assert batch[0].count('class="note"') == 2


def test_a_chapter_cannot_forge_the_split_marker() -> None:
    forged = '<div data-split="0-1"></div>\n\n仍是第一章。\n'
    first, second = parse.markdowns_to_html([forged, "第二章。"])
    assert "仍是第一章" in first and "第二章" not in first
    assert "第二章" in second


def test_chapters_come_back_in_order_from_batches_and_cache(tmp_path: Path) -> None:
    texts = [read_chapter(path) for path in sorted(BOOKS.glob("multi/chapters/*.md"))] * 3
    cold = [el.text_content() for el in parse.parse_chapters(texts, tmp_path)]
    warm = [el.text_content() for el in parse.parse_chapters(texts, tmp_path)]
    assert cold == warm == [next(parse.parse_chapters([t])).text_content() for t in texts]
    assert len(list(tmp_path.glob("*.html"))) == 3
