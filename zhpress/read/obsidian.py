"""Obsidian's own Markdown, made ready for pandoc, line for line.

pandoc reads most of what Obsidian writes with two extensions (wiki links and embeds with
`wikilinks_title_after_pipe`, `==highlights==` with `mark`) and a Lua filter (callouts,
filters/obsidian.lua). Two things must be done to the text first, keeping every line
where it is so that findings still name the file's lines:
- `%%comments%%`, inline or across lines, are the translator's private notes: they are
  taken out (their line breaks kept) before anything reads them.
- a callout's first line (`> [!note] 译注`) ends its title: pandoc would join it to the next
  line of Chinese (east_asian_line_breaks), so it gets a hard line break (two spaces).
Code is left as written.
"""

from __future__ import annotations

import re

from .markdown import blank, code_ranges

# A comment needs its closing %%: an unclosed one (`100%%` typed by mistake) stays text, which
# check names, rather than hide the rest of the chapter.
COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
CALLOUT_FIRST_LINE = re.compile(r"^(?P<line> {0,3}(?:> ?)+\[![A-Za-z][\w-]*\][+-]?[^\n]*?)[ \t]*$", re.MULTILINE)
HARD_BREAK = "  "


def obsidian_to_pandoc(markdown: str) -> str:
    """`markdown` with comments taken out and callout titles ended, outside code."""
    code = code_ranges(markdown)
    comments = [m.span() for m in COMMENT.finditer(blank(markdown, code)) if not _inside(m.start(), code)]
    for start, end in reversed(comments):
        markdown = markdown[:start] + "\n" * markdown.count("\n", start, end) + markdown[end:]
    code = code_ranges(markdown)
    return CALLOUT_FIRST_LINE.sub(
        lambda m: m.group() if _inside(m.start(), code) else m["line"] + HARD_BREAK, markdown)


def _inside(at: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= at < end for start, end in ranges)
