"""The alignment report (`build.py align`): every chapter's pairs side by side, original and
translation, each with its first words and file line, and the pairs that warn marked, so a
translator reviews the alignment in a browser before confirming or correcting it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..buildlog import recorded_warnings
from ..config import book_slug
from ..editions.bilingual import BILINGUAL
from ..errors import display_path
from ..files import atomic_output
from ..pipeline import load_book
from ..read.manuscript import open_manuscript
from ..render import environment
from .pairs import ChapterAlignment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Row:
    """One pair: each side's blocks as (line, kind, first words), and its warning."""

    number: int
    original: tuple[tuple[int, str, str], ...]
    translation: tuple[tuple[int, str, str], ...]
    warning: str | None  # None: one to one, or confirmed
    confirmed: bool


def chapter_rows(alignment: ChapterAlignment) -> list[Row]:
    """One row per pair of the chapter, in order."""
    a = alignment
    return [Row(number,
                tuple((a.original[j].line, a.original[j].kind, a.original_words[j]) for j in pair.original),
                tuple((a.translation[i].line, a.translation[i].kind, a.translation_words[i]) for i in pair.translation),
                warning, pair.confirmed)
            for number, (pair, warning) in enumerate(zip(a.pairs, a.pair_warnings, strict=True), start=1)]


def write_report(folder: Path, output: Path) -> Path:
    """output/<slug>-align.html for the manuscript in `folder`; the warnings as a build gives them."""
    manuscript = open_manuscript(folder)
    with recorded_warnings():
        book = load_book(manuscript, offline=True, edition=BILINGUAL)
    chapters = [(a, chapter_rows(a)) for a in book.alignments]
    aligned = {a.translation_path for a in book.alignments}
    missing = [display_path(c.path) for c in book.chapters if c.path not in aligned]
    path = output / f"{book_slug(manuscript.config)}-align.html"
    html = environment().get_template("align-report.html.j2").render(
        title=book.config.title, chapters=chapters, missing=missing, display_path=display_path)
    with atomic_output(path) as temporary:
        temporary.write_text(html, encoding="utf-8")
    count = sum(len(a.warnings) for a in book.alignments)
    log.info("wrote %s (%d chapters aligned, %d pairs to review)", path, len(chapters), count)
    return path
