"""The whole build: read and check everything, transform once, then write each output."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml.html import HtmlElement

from . import outputs
from .bilingual.pairs import ChapterAlignment, aligned_chapter
from .buildlog import recorded_warnings
from .config import BookConfig, book_slug
from .editions import ZH_HANS, Edition
from .errors import BookError
from .files import outputs_together, remove_leftovers
from .freshness import inputs_signature, is_fresh, last_warnings, record_build
from .model import Book, Chapter
from .outputs import Output
from .print.sizes import largest_figure, text_width
from .read.chapters import ChapterText, has_text, read_originals
from .read.glyphs import missing_glyphs
from .read.images import ImageResolver
from .read.manuscript import Manuscript, open_manuscript
from .read.parse import converted_chapters
from .read.textfile import read_text
from .scratch import remove_stale_scratch
from .transforms import transform_chapter
from .transforms.convert import convert_config
from .transforms.setting import Setting

log = logging.getLogger(__name__)
progress = logging.getLogger("zhpress.progress")


def load_book(manuscript: Manuscript, offline: bool = False, edition: Edition = ZH_HANS) -> Book:
    """Load, validate and transform the manuscript into `edition`: after this, nothing can fail
    on the input. `offline` fetches no picture (a check reads only what the build fetched)."""
    config, folder, texts = convert_config(manuscript.config, edition.convert), manuscript.folder, manuscript.texts
    originals = read_originals(texts, folder) if edition.originals else ()
    present = tuple(o for o in originals if o is not None)
    for text in (*texts, *present):
        if not has_text(text.markdown):
            raise BookError(text.path, "chapter has no text")
    progress.info("converting %d chapters…", len(texts) + len(present))
    with converted_chapters([*texts, *present], folder) as converted:  # pandoc runs while the checks below do
        bodies = iter(converted)
        for where, message in book_missing_glyphs(config, (*texts, *present), edition):
            log.warning("%s: warning: %s", where, message)
        resolver = ImageResolver(folder, largest_figure(config), offline=offline)
        setting = Setting(resolver, edition, text_width(config), config.attachments)
        # Resolved now, so a bad cover stops the build before anything is written.
        cover = resolver.resolve(config.cover, config.path, config.line_of("cover")) if config.cover else None
        chapters = []
        for number, text in enumerate(texts, start=1):
            chapter = Chapter(f"ch{number:02d}", text.path, text.title, text.source, next(bodies), text.line_offset,
                              markdown=text.markdown)
            chapters.append(transform_chapter(chapter, setting, config))
        if edition.originals:
            language = edition.language or config.language
            chapters, alignments = paired_chapters(chapters, originals, bodies, setting, config, language)
            return Book(config, tuple(chapters), cover, edition, alignments)
    return Book(config, tuple(chapters), cover, edition)


def paired_chapters(
    chapters: list[Chapter], originals: tuple[ChapterText | None, ...], bodies: Iterator[HtmlElement],
    setting: Setting, config: BookConfig, language: str,
) -> tuple[list[Chapter], tuple[ChapterAlignment, ...]]:
    """Each chapter that has an original (whose converted bodies `bodies` yields, in order)
    made of pairs, and the alignments; the alignment's warnings are the build's."""
    paired, alignments = [], []
    for chapter, text in zip(chapters, originals, strict=True):
        if text is None:
            paired.append(chapter)
            continue
        original = Chapter(f"{chapter.id}-en", text.path, text.title, text.source, next(bodies), text.line_offset,
                           markdown=text.markdown)
        chapter, alignment = aligned_chapter(chapter, transform_chapter(original, setting, config, original=True),
                                             language)
        for warning in alignment.warnings:
            log.warning("%s", warning)
        paired.append(chapter)
        alignments.append(alignment)
    return paired, tuple(alignments)


def book_missing_glyphs(config: BookConfig, texts: tuple[ChapterText, ...],
                        edition: Edition) -> list[tuple[str, str]]:
    """Characters no face of `edition` has, in book.yaml and every chapter file as the edition
    prints them (converted line for line): (`file:line`, message)."""
    convert = edition.convert or str
    files = [(config.path, read_text(config.path)), *((t.path, t.file_text) for t in texts)]
    return [m for path, text in files for m in missing_glyphs(path, convert(text), edition)]


@dataclass(frozen=True)
class Target:
    """One output file and the output it is."""

    output: Output
    path: Path


def targets(config: BookConfig, folder: Path, wanted: tuple[Output, ...], edition: Edition = ZH_HANS) -> list[Target]:
    """The files `wanted` are written to in the output `folder`: the slug, the edition's suffix,
    then each one's ending."""
    return [Target(o, folder / f"{book_slug(config)}{edition.suffix}{o.ending}") for o in wanted]


def build_signature(folder: Path, draft: bool, edition: Edition = ZH_HANS) -> str:
    """What a build of the manuscript in `folder` records, and `check` expects, of its inputs."""
    return inputs_signature(folder, f"draft={draft} edition={edition.name}")


def build(folder: Path, output: Path, names: tuple[str, ...], force: bool = False, draft: bool = False,
          edition: Edition = ZH_HANS) -> list[Path]:
    """Build the outputs `names` (see outputs.OUTPUTS) of `edition`, skipping those built from
    exactly these inputs before (and showing again the warnings their build gave)."""
    manuscript = open_manuscript(folder, draft)
    wanted = targets(manuscript.config, output, tuple(outputs.by_name(n) for n in outputs.with_needs(names)), edition)
    signature = build_signature(folder, draft, edition)
    stale = [t for t in wanted if force or not is_fresh(folder, t.path, signature)]
    for t in wanted:
        if t not in stale:
            log.info("%s is up to date", t.path)
    if not stale:
        for warning in dict.fromkeys(w for t in wanted for w in last_warnings(folder, t.path)):
            log.warning("%s", warning)
        return []
    for t in stale:  # what a killed build left: its half-written files and its scratch folders
        remove_leftovers(t.path)
    remove_stale_scratch()
    with recorded_warnings() as reading:
        book = load_book(manuscript, edition=edition)
    writing: dict[Path, list[str]] = {}
    needed = {name for t in stale for name in t.output.needs}
    # What another output reads (the cover reads the PDF) is put in place first; the rest together.
    for group in ([t for t in stale if t.output.name in needed], [t for t in stale if t.output.name not in needed]):
        with outputs_together([t.path for t in group]):
            for t in group:
                with recorded_warnings() as writing[t.path]:
                    t.output.write(book, t.path)
    for t in stale:
        record_build(folder, t.path, signature, [*reading, *writing[t.path]])
    return [t.path for t in stale]
