"""Finding a manuscript's chapters and reading what web clippers put at their top."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cjk import HAN
from ..config import BookConfig
from ..errors import BookError, display_path
from ..files import resolved_inside
from ..model import Source
from ..urls import clean_url
from .footnotes import check_footnotes
from .obsidian import obsidian_to_pandoc
from .textfile import read_text
from .yamlfile import load_mapping

FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)\s*$", re.MULTILINE)
FIRST_HEADING = re.compile(r"\A(\s*\n)*# +(?P<text>[^\n]*?)[ #]*$", re.MULTILINE)
WIKI_LINK = re.compile(r"^\[\[(?:[^|\]]*\|)?([^\]]*)\]\]$")
DEFAULT_CHAPTERS = "chapters/*.md"
log = logging.getLogger(__name__)
# A chapter's English original, beside it: chapters/NAME.en.md (the bilingual edition prints it).
ORIGINAL_ENDING = ".en.md"


@dataclass(frozen=True)
class ChapterText:
    """A chapter file split into what the clipper says about it and its Markdown body."""

    path: Path
    title: str | None
    source: Source
    markdown: str
    line_offset: int  # file line of the Markdown's first line, minus one
    file_text: str  # the whole file, as the glyph check reads it
    order: float | None = None  # the front matter's `order:`, which places the chapter in the book


def chapter_paths(config: BookConfig) -> list[Path]:
    """The chapter files in reading order, each checked to exist inside the manuscript folder."""
    folder = config.folder
    if config.chapters is None:
        # Hidden files are an editor's or a file system's, not the author's: Emacs's `.#x.md`
        # lock links, macOS's `._x.md` resource forks.
        paths = sorted(p for p in folder.glob(DEFAULT_CHAPTERS)
                       if not p.name.startswith(".") and not p.name.endswith(ORIGINAL_ENDING))
        if not paths:
            raise BookError(
                folder,
                f"no chapters: add Markdown files as {DEFAULT_CHAPTERS} or list them under 'chapters' in book.yaml",
            )
        for path in paths:
            if resolved_inside(path, folder) is None:
                raise BookError(path, "chapter is outside the manuscript folder (a symbolic link leads out of it)")
        return paths
    line = config.line_of("chapters")
    paths = []
    for name in config.chapters:
        path = folder / name
        if resolved_inside(path, folder) is None:
            raise BookError(config.path, f"chapter '{name}' is outside the manuscript folder", line)
        if name.endswith(ORIGINAL_ENDING):
            raise BookError(config.path, f"'{name}' is an English original, not a chapter: the bilingual edition "
                            f"prints it beside its translation '{name.removesuffix(ORIGINAL_ENDING)}.md'", line)
        if not path.is_file():
            raise BookError(config.path, f"chapter '{name}' is listed but there is no such file", line)
        paths.append(path)
    return paths


def original_path(chapter: Path, folder: Path) -> Path | None:
    """The English original beside `chapter` (NAME.en.md for NAME.md), if there is one; it
    must be inside the manuscript folder, as a chapter must."""
    path = chapter.with_name(chapter.name.removesuffix(".md") + ORIGINAL_ENDING)
    if not path.is_file():
        return None
    if resolved_inside(path, folder) is None:
        raise BookError(path, "original is outside the manuscript folder (a symbolic link leads out of it)")
    return path


def read_originals(texts: tuple[ChapterText, ...], folder: Path) -> tuple[ChapterText | None, ...]:
    """Each chapter's English original, read as a chapter is, or None (with a warning: the
    chapter appears in the translation only)."""
    originals = []
    for text in texts:
        path = original_path(text.path, folder)
        if path is None:
            expected = display_path(text.path.with_name(text.path.name.removesuffix(".md") + ORIGINAL_ENDING))
            log.warning("%s:1: warning: [B001] no original (%s); the chapter appears in the translation only",
                        display_path(text.path), expected)
        originals.append(read_chapter(path) if path else None)
    return tuple(originals)


def read_chapter(path: Path) -> ChapterText:
    """Read one chapter: optional YAML front matter, optional first `# ` heading, then the text."""
    text = file_text = read_text(path)
    meta: dict[str, Any] = {}
    meta_lines: dict[str, int] = {}
    offset = 0
    if text.startswith("---\n"):
        end = FRONT_MATTER_END.search(text, 4)
        if end is None:
            raise BookError(path, "front matter opened with '---' is never closed", 1)
        meta, meta_lines = load_mapping(text[4 : end.start()], path, first_line=2)
        offset = text.count("\n", 0, end.end()) + 1
        text = text[end.end() + 1 :]
    heading = None
    match = FIRST_HEADING.match(text)
    if match:
        heading = match.group("text").strip()
        # Blank the heading line rather than cut it, so pandoc's lines still match the file's.
        line_start = text.rfind("\n", 0, match.start("text")) + 1
        text = text[:line_start] + text[match.end() :]
    text = obsidian_to_pandoc(text)
    check_footnotes(path, text, offset)
    chinese, original = _titles(meta, heading)
    source = Source(
        url=_url(meta.get("source") or meta.get("url")),
        original_title=original,
        authors=_authors(meta.get("author") or meta.get("authors")),
        published=_date(meta.get("published")),
        clipped=_date(meta.get("clipped") or meta.get("created")),
        description=_string(meta.get("description")),
        copyright=_string(meta.get("copyright")),
    )
    order = _order(meta.get("order"), path, meta_lines.get("order"))
    return ChapterText(path, chinese, source, text, offset, file_text, order)


def _titles(meta: dict[str, Any], heading: str | None) -> tuple[str | None, str | None]:
    """Han characters make a title the Chinese one; a title without any is the English original."""
    candidates = [t for t in (heading, _string(meta.get("title"))) if t]
    chinese = next((t for t in candidates if HAN.search(t)), None)
    original = _string(meta.get("original_title")) or next(
        (t for t in reversed(candidates) if not HAN.search(t)), None
    )
    return chinese, original


def _order(value: Any, path: Path, line: int | None) -> float | None:
    """`order: 3` (or 2.5, to slip a chapter between two) in the front matter."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BookError(path, f"order: expected a number such as 3, got {value!r}", line)
    return float(value)


def in_reading_order(texts: list[ChapterText]) -> list[ChapterText]:
    """Chapters that give an `order:` first, by it; the others after them, as they came."""
    return sorted(texts, key=lambda t: (t.order is None, t.order or 0.0))


def titled_like_english(paths: list[Path]) -> bool:
    """File names that read as English titles (Web Clipper names files so): their order is the
    alphabet's, not the book's."""
    return len(paths) > 1 and not any(p.stem[:1].isdigit() for p in paths) and all(
        re.search(r"[A-Za-z]{2,}", p.stem) for p in paths)


def _string(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _url(value: Any) -> str | None:
    text = _string(value)
    return clean_url(text) if text else None


def _authors(value: Any) -> tuple[str, ...]:
    """Authors as Obsidian Web Clipper writes them: a string or list, often `[[Wiki links]]`."""
    items = value if isinstance(value, list) else [value] if value else []
    names = []
    for item in items:
        name = _string(item)
        if name:
            link = WIKI_LINK.match(name)
            names.append(link.group(1).strip() if link else name)
    return tuple(n for n in names if n)


def _date(value: Any) -> str | None:
    """Dates as YYYY-MM-DD where the clipper gave a date or timestamp, else as written."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _string(value)
    if text and re.match(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)", text):
        return text[:10]
    return text
