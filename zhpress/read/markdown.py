"""Where a Markdown text holds code: the readers that look for syntax in the raw text
(footnote labels, Obsidian's comments and callouts) must leave code as it is written."""

from __future__ import annotations

import re

FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,}).*?(?:^ {0,3}(?P=fence)[`~]*[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(?P<ticks>`+)[^`].*?(?P=ticks)", re.DOTALL)


def code_ranges(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of each fenced block and inline code span, in order."""
    fenced = [m.span() for m in FENCE.finditer(markdown)]
    inline = [m.span() for m in INLINE_CODE.finditer(blank(markdown, fenced))]
    return sorted(fenced + inline)


def blank(markdown: str, ranges: list[tuple[int, int]]) -> str:
    """`markdown` with each range's characters made spaces, its line breaks kept."""
    pieces, at = [], 0
    for start, end in ranges:
        pieces += [markdown[at:start], re.sub(r"[^\n]", " ", markdown[start:end])]
        at = end
    return "".join([*pieces, markdown[at:]])


def without_code(markdown: str) -> str:
    """`markdown` with its code blanked: every other character, and every line, in place."""
    return blank(markdown, code_ranges(markdown))
