"""What `check` finds in the text a reader would see: markup that came through as characters,
and chapters headed by their English title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..model import Book
from ..proof import finding

# Markup a reader would see literally, each with the code and words of its finding.
LEFTOVERS = (
    ("M001", "wiki link or embed", re.compile(r"!?\[\[[^\]\n]+\]\]")),
    ("M002", "highlight markup", re.compile(r"==[^=\s][^=\n]*?==")),
    ("M003", "callout marker", re.compile(r"\[![A-Za-z][\w-]*\][+-]?")),
    ("M004", "comment markup", re.compile(r"%%.*?(?:%%|$)")),
    ("M005", "attribute block", re.compile(r"\{\s*(?:[#.][\w-]+|[\w-]+=)[^{}\n]*\}")),
    ("M006", "HTML comment", re.compile(r"<!--|-->")),
)
# Where such characters are meant: code, and the URLs of notes and sources.
LITERAL_TAGS = {"code", "pre", "kbd"}
LITERAL_CLASSES = {"url"}


def leftover_markup(book: Book) -> list[str]:
    """One finding per piece of markup printed as text, naming its file and line."""
    findings = []
    for chapter in book.chapters:
        for text in _reader_text(chapter.body):
            for code, name, pattern in LEFTOVERS:
                for match in pattern.finditer(text):
                    line = chapter.line_of(match.group()) or chapter.line_of_printed(text[: match.start()][-20:])
                    findings.append(finding(chapter.path, line,
                                            f"[{code}] {name} printed as text: {match.group()[:40]}"))
    return findings


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
