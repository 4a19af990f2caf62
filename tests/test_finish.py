"""Typographic finish (issue 15), measured on the built books: generated text composes with
the captions it cites, tables are kept whole and set as tables, and no paragraph ends on a
runt (a last line of one character)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from conftest import Epub, build_book, copy_book, offline, text_of, xpath

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
    assert all(CLASH.search(entry) is None for entry in entries), entries
