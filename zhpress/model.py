"""The document model both outputs are rendered from: plain data, no I/O, no output format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .editions import ZH_HANS, Edition, Labels

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .bilingual.pairs import ChapterAlignment
    from .config import BookConfig


NOTE_CLASS = "note"  # a note in a chapter body: `span.note` at its call, content inside
ORIGINAL_CLASS = "original"  # the bilingual edition: a pair's English side, `div.original`
# Runs of text a printed string shares with its Markdown: quotes, spaces, joiners and the
# characters of Markdown syntax may have changed around them.
VERBATIM_RUN = re.compile(r"[^\s\"'“”‘’\u2060*_\[\]()#`<>!|~=%\\{}]{3,}")
MIN_VERBATIM = 4  # characters of a run that must be found for its line to count
SPACED_PREFIX = 24  # letters of squashed English text looked for, spaces allowed between them


def is_note(el: HtmlElement) -> bool:
    return el.tag == "span" and NOTE_CLASS in (el.get("class") or "").split()


def inside_note(el: HtmlElement) -> bool:
    return any(is_note(ancestor) for ancestor in el.iterancestors("span"))


@dataclass(frozen=True)
class Source:
    """Where a chapter comes from: kept in English, as the original gives it."""

    url: str | None = None
    original_title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    clipped: str | None = None
    description: str | None = None
    copyright: str | None = None  # the original's © line, printed on the copyright page

    @property
    def publication(self) -> str | None:
        """The site the article appeared on, from its URL (clippings rarely name the publication)."""
        if not self.url:
            return None
        from urllib.parse import urlsplit

        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.") or None


@dataclass(frozen=True)
class Figure:
    """A picture with what must print beside it: caption and credit."""

    id: str
    chapter_id: str
    src: str | None  # the file the outputs embed; None when a remote picture could not be fetched
    original_src: str
    alt: str
    caption: str | None
    credit: str | None


@dataclass(frozen=True)
class Chapter:
    """One manuscript file. `body` is sanitized HTML whose notes are `span.note` elements;
    `markdown` is the text it was made from, kept so that every finding can name a line."""

    id: str
    path: Path
    title: str | None
    source: Source
    body: HtmlElement
    line_offset: int = 0
    figures: tuple[Figure, ...] = ()
    markdown: str = ""
    original: Chapter | None = None  # the bilingual edition's: the English original printed with it

    def where_printed(self, printed: str) -> tuple[Path, int | None]:
        """The file and line of text as the book prints it: the chapter's, else its original's
        (where the proofs' text, spaces squashed out, is English words run together)."""
        line = self.line_of_printed(printed)
        if line is None and self.original is not None:
            found = self.original.line_of_printed(printed) or self.original.line_of_spaced(printed)
            if found is not None:
                return self.original.path, found
        return self.path, line

    def line_of_spaced(self, squashed: str) -> int | None:
        """The file line of text whose spaces were taken out: its first letters, spaced or not."""
        letters = [c for c in squashed if not c.isspace()][:SPACED_PREFIX]
        if len(letters) < MIN_VERBATIM:
            return None
        found = re.search(r"\s*".join(map(re.escape, letters)), self.markdown)
        return self.line_offset + self.markdown.count("\n", 0, found.start()) + 1 if found else None

    @property
    def display_title(self) -> str:
        return self.title or self.source.original_title or self.path.stem

    def line_of(self, needle: str) -> int | None:
        """The file line where `needle` is first written verbatim, or None."""
        at = self.markdown.find(needle) if needle else -1
        return self.line_offset + self.markdown.count("\n", 0, at) + 1 if at >= 0 else None

    def line_of_printed(self, printed: str) -> int | None:
        """The file line of text as the book prints it, where Markdown syntax, paired
        quotes and typographic joiners may stand between its characters: the line of the
        longest start of its first run of characters that is written verbatim."""
        at = self.offset_of_printed(printed)
        return None if at is None else self.line_offset + self.markdown.count("\n", 0, at) + 1

    def offset_of_printed(self, printed: str, start: int = 0) -> int | None:
        """Where in the Markdown, at `start` or after, printed text is first written (see
        line_of_printed), or None."""
        for run in VERBATIM_RUN.findall(printed):
            length = _longest_written_prefix(self.markdown, run, start)
            if length >= min(len(run), MIN_VERBATIM):
                return self.markdown.find(run[:length], start)
        return None


def _longest_written_prefix(markdown: str, run: str, start: int = 0) -> int:
    """How many of `run`'s first characters appear together in `markdown` from `start` on (if
    a start appears, every shorter one does: a binary search)."""
    low, high = 0, len(run)
    while low < high:
        middle = (low + high + 1) // 2
        if markdown.find(run[:middle], start) >= 0:
            low = middle
        else:
            high = middle - 1
    return low


@dataclass(frozen=True)
class Book:
    """The whole book: its configuration, chapters in reading order, cover picture and edition."""

    config: BookConfig
    chapters: tuple[Chapter, ...] = field(default_factory=tuple)
    cover: Path | None = None  # book.yaml's cover as a local file; None if none, or not fetched
    edition: Edition = ZH_HANS
    alignments: tuple[ChapterAlignment, ...] = ()  # the bilingual edition's, chapter by chapter

    @property
    def language(self) -> str:
        return self.edition.language or self.config.language

    @property
    def labels(self) -> Labels:
        return self.edition.labels

    @property
    def authors(self) -> tuple[str, ...]:
        return book_authors(self.config.authors, [c.source for c in self.chapters])

    @property
    def identifier(self) -> str:
        """book.yaml's ISBN or URN, else a UUID derived from the title: stable across builds."""
        from .config import default_identifier

        return self.config.identifier or default_identifier(self.config.title)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(f for c in self.chapters for f in c.figures)


def book_authors(configured: tuple[str, ...], sources: list[Source]) -> tuple[str, ...]:
    """Authors from book.yaml, else every chapter's authors, first appearance first."""
    if configured:
        return configured
    seen: dict[str, None] = {}
    for source in sources:
        seen.update(dict.fromkeys(source.authors))
    return tuple(seen)
