"""The whole build: read and check everything, transform once, then write each output."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .buildlog import recorded_warnings
from .check.glyphs import missing_glyphs
from .config import TRIM_SIZES, BookConfig, load_config, millimetres, slug_for
from .errors import BookError
from .files import outputs_together, remove_leftovers
from .freshness import inputs_signature, is_fresh, last_warnings, record_build
from .model import Book, Chapter
from .read.chapters import chapter_paths, read_chapter
from .read.images import ImageResolver, print_pixels
from .read.parse import converted_chapters
from .read.textfile import read_text
from .transforms import transform_chapter

log = logging.getLogger(__name__)
progress = logging.getLogger("zhpress.progress")

# Each output format and how its file name ends after the slug.
FILE_ENDINGS = {"html": ".html", "pdf": ".pdf", "epub": ".epub", "press": "-press.pdf", "archive": "-pdfa.pdf"}


def load_book(config: BookConfig, offline: bool = False) -> Book:
    """Load, validate and transform the manuscript: after this, nothing can fail on the input.
    `offline` fetches no picture (a check reads only what the build fetched)."""
    folder = config.folder
    texts = [read_chapter(path) for path in chapter_paths(config)]
    for text in texts:
        if not text.markdown.strip():
            raise BookError(text.path, "chapter has no text")
    progress.info("converting %d chapters…", len(texts))
    with converted_chapters(texts, folder) as bodies:  # pandoc runs while the checks below do
        for where, message in book_missing_glyphs(config):
            log.warning("%s: warning: %s", where, message)
        resolver = ImageResolver(folder, largest_figure(config), offline=offline)
        if config.cover:  # checked now, so a bad cover stops the build before anything is written
            resolver.resolve(config.cover, config.path, config.line_of("cover"))
        chapters = []
        for number, (text, body) in enumerate(zip(texts, bodies, strict=True), start=1):
            chapter = Chapter(f"ch{number:02d}", text.path, text.title, text.source, body, text.line_offset,
                              markdown=text.markdown)
            chapters.append(transform_chapter(chapter, resolver, config.han_latin_space))
    return Book(config, tuple(chapters))


# print.css caps figures at 95 mm high.
FIGURE_MAX_HEIGHT_MM = 95


def largest_figure(config: BookConfig) -> tuple[int, int]:
    """Pixels of the largest figure at 300 dpi: the text block's width by the height cap."""
    width, _ = TRIM_SIZES[config.trim]
    text_width = millimetres(width) - millimetres(config.inner_margin) - millimetres(config.outer_margin)
    return print_pixels(text_width, FIGURE_MAX_HEIGHT_MM)


def book_missing_glyphs(config: BookConfig) -> list[tuple[str, str]]:
    """Characters no face has, in book.yaml and every chapter file: (`file:line`, message)."""
    files = [config.path, *chapter_paths(config)]
    return [m for path in files for m in missing_glyphs(path, read_text(path))]


@dataclass(frozen=True)
class Target:
    """One output file and its format (a key of FILE_ENDINGS)."""

    format: str
    path: Path


def targets(config: BookConfig, output: Path, formats: tuple[str, ...]) -> list[Target]:
    slug = config.slug or slug_for(config.title, config.original_title)
    return [Target(fmt, output / f"{slug}{FILE_ENDINGS[fmt]}") for fmt in formats]


def build(folder: Path, output: Path, formats: tuple[str, ...], force: bool = False, draft: bool = False) -> list[Path]:
    """Build the requested formats, skipping those built from exactly these inputs before
    (and showing again the warnings their build gave)."""
    config = load_config(folder, draft)
    wanted = targets(config, output, formats)
    signature = inputs_signature(folder, f"draft={draft}")
    stale = [t for t in wanted if force or not is_fresh(folder, t.path, signature)]
    for t in wanted:
        if t not in stale:
            log.info("%s is up to date", t.path)
    if not stale:
        for warning in dict.fromkeys(w for t in wanted for w in last_warnings(folder, t.path)):
            log.warning("%s", warning)
        return []
    for t in stale:
        remove_leftovers(t.path)
    with recorded_warnings() as reading:
        book = load_book(config)
    writers = _writers()
    writing: dict[Target, list[str]] = {}
    with outputs_together([t.path for t in stale]):
        for t in stale:
            with recorded_warnings() as writing[t]:
                writers[t.format](book, t.path)
    for t in stale:
        record_build(folder, t.path, signature, [*reading, *writing[t]])
    return [t.path for t in stale]


def _writers() -> dict[str, Callable[[Book, Path], None]]:
    from .ebook.epub import write_epub
    from .print.pdf import write_html, write_pdf

    return {
        "html": write_html,
        "pdf": write_pdf,
        "epub": write_epub,
        "press": partial(write_pdf, variant="press"),
        "archive": partial(write_pdf, variant="archive"),
    }
