"""An outside reading of a built PDF, independent of the build's own proof: is every paragraph
and every note of the Markdown in the PDF, whole?

Han characters only are compared, so Markdown syntax, spacing and punctuation pairing do not
matter. Paragraphs are looked for in the body text: characters at the body size, line by line,
page after page (running heads, folios and notes are other sizes, so a paragraph cut by a page
break still reads as one run). Notes are looked for in every character of the book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

HAN = re.compile(r"[\u3400-\u9fff]")
BODY_SIZE = 10.5  # print.css :root
CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))
FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:\s*(.+)$", re.MULTILINE)
# Blocks set apart by design (headings, quotations, lists, tables, raw HTML, footnotes):
# they are not body paragraphs.
SET_APART = re.compile(r"(#|>|\||\[\^|\d+\.\s|[-*+]\s|<)")


def han(text: str) -> str:
    return "".join(HAN.findall(text))


@dataclass(frozen=True)
class Units:
    """What a chapter file says: its body paragraphs and its notes, Han characters only."""

    paragraphs: list[str]
    notes: list[str]


def markdown_units(markdown: str) -> Units:
    """Plain paragraphs (not the line after a picture: its caption) and footnote texts."""
    markdown = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    notes = [han(n) for n in FOOTNOTE_DEFINITION.findall(markdown)]
    paragraphs = []
    after_picture = False
    for block in re.split(r"\n\s*\n", markdown):
        text = block.strip()
        if not text:
            continue
        if text.startswith("!["):
            after_picture = True
            continue
        if after_picture or SET_APART.match(text):
            after_picture = False
            continue
        text = re.sub(r"\[\^[^\]]+\]", "", text)
        paragraphs.append(han(re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)))
    return Units([p for p in paragraphs if p], [n for n in notes if n])


@dataclass(frozen=True)
class PdfStreams:
    """A PDF's Han text: the body text, and every character, each in reading order."""

    body: str
    everything: str


def pdf_streams(path: Path) -> PdfStreams:
    body, everything = [], []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for line in _lines([c for c in page.chars if HAN.match(c["text"])]):
                everything += [c["text"] for c in line]
                body += [c["text"] for c in line if abs(c["size"] - BODY_SIZE) < 0.3]
    return PdfStreams("".join(body), "".join(everything))


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped by baseline, each line left to right."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: c["bottom"]):
        if lines and char["bottom"] - lines[-1][0]["bottom"] < 0.4 * char["size"]:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def lost_units(pdf: Path, chapters: list[Path]) -> list[str]:
    """The paragraphs and notes of `chapters` not found whole in the PDF, as 'file: text'."""
    streams = pdf_streams(pdf)
    lost = []
    for chapter in chapters:
        units = markdown_units(chapter.read_text(encoding="utf-8"))
        lost += [f"{chapter.name}: paragraph {p[:12]}" for p in units.paragraphs if p not in streams.body]
        lost += [f"{chapter.name}: note {n[:12]}" for n in units.notes if n not in streams.everything]
    return lost


def calls_and_markers(pdf: Path, call_size: float = 7.0, note_size: float = 7.5) -> list[tuple[str, str]]:
    """Per page, the note calls in the text and the note markers under it, as strings."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            calls = "".join(c["text"] for c in page.chars if c["text"] in CIRCLED and abs(c["size"] - call_size) < 0.05)
            marks = "".join(c["text"] for c in page.chars if c["text"] in CIRCLED and abs(c["size"] - note_size) < 0.05)
            pages.append((calls, marks))
    return pages
