"""Obsidian's callouts (`> [!note] 译注`), which filters/obsidian.lua makes `div.callout`
with a `div.callout-title`: set-apart boxes, as an `aside` (a translator's note box in
print, an aside in the EPUB) headed by its title."""

from __future__ import annotations

from ..model import Chapter

CALLOUT_CLASS = "callout"
TITLE_CLASS = "callout-title"


def callout_boxes(chapter: Chapter) -> Chapter:
    for div in list(chapter.body.iter("div")):
        classes = (div.get("class") or "").split()
        if CALLOUT_CLASS in classes:
            div.tag = "aside"
        elif TITLE_CLASS in classes:
            div.tag = "p"
            div.text = (div.text or "").strip()
    return chapter
