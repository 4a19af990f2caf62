"""What `check` finds in the text a reader would see: markup that came through as characters,
and chapters headed by their English title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..model import Book, Chapter
from ..proof import finding
from ..read.textfile import read_text

# Markup a reader would see literally, each with the code and words of its finding.
LEFTOVERS = (
    ("M001", "wiki link or embed", re.compile(r"!?\[\[[^\]\n]+\]\]")),
    ("M002", "highlight markup", re.compile(r"==[^=\s][^=\n]*?==")),
    ("M003", "callout marker", re.compile(r"\[![A-Za-z][\w-]*\][+-]?")),
    # A pair (not a percentage: 50%% is no opener), or a block comment's `%%` line.
    ("M004", "comment markup", re.compile(r"(?<![\d%])%%(?!\s)[^%\n]+?(?<!\s)%%|\A\s*%%.*|(?<![\d%])%%\s*\Z")),
    ("M005", "attribute block", re.compile(r"\{\s*(?:[#.][\w-]+|[\w-]+=)[^{}\n]*\}")),
    ("M006", "HTML comment", re.compile(r"<!--")),  # `-->` alone is an arrow
)
# Where such characters are meant: code, and the URLs of notes and sources.
LITERAL_TAGS = {"code", "pre", "kbd"}
LITERAL_CLASSES = {"url"}


def leftover_markup(book: Book) -> list[str]:
    """One finding per piece of markup printed as text, naming its file and line: in each
    chapter's title, which heads it and the running heads, and in its text."""
    findings = []
    for chapter in book.chapters:
        written = read_text(chapter.path)  # the title's line: chapter.markdown has it blanked
        for code, name, match in _leftovers(chapter.display_title):
            at = written.find(match.group())
            findings.append(_finding(chapter, written.count("\n", 0, at) + 1 if at >= 0 else 1, code, name, match))
        for text in _reader_text(chapter.body):
            for code, name, match in _leftovers(text):
                # Escaped or split markup is not written verbatim: the line of the text around it.
                line = chapter.line_of(match.group()) or chapter.line_of_printed(
                    text[max(0, match.start() - 20) : match.end() + 20])
                findings.append(_finding(chapter, line, code, name, match))
    return findings


def _leftovers(text: str) -> Iterator[tuple[str, str, re.Match[str]]]:
    """Each piece of markup in `text`, with its code and name."""
    for code, name, pattern in LEFTOVERS:
        for match in pattern.finditer(text):
            yield code, name, match


def _finding(chapter: Chapter, line: int | None, code: str, name: str, match: re.Match[str]) -> str:
    return finding(chapter.path, line, f"[{code}] {name} printed as text: {match.group()[:40]}")


def untitled_chapters(book: Book) -> list[str]:
    """Warnings for chapters that have no Chinese title: the English one heads them in the
    contents and the running heads."""
    return [
        finding(c.path, 1, f"[T001] chapter has no Chinese title; '{c.display_title}' heads it in the contents "
                "and running heads (add a Chinese 'title' or '# ' heading)", severity="warning")
        for c in book.chapters
        if c.title is None
    ]


def _reader_text(body: Any) -> Iterator[str]:
    """The text of each element, its children's tails included, outside code and URLs."""
    for element in body.iter():
        if not isinstance(element.tag, str) or _literal(element):
            continue
        pieces = [element.text or ""]
        pieces += [child.tail or "" for child in element]
        yield "".join(pieces)


def _literal(element: Any) -> bool:
    for el in (element, *element.iterancestors()):
        if el.tag in LITERAL_TAGS or LITERAL_CLASSES & set((el.get("class") or "").split()):
            return True
    return False
