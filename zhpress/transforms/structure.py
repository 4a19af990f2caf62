"""Chapter structure: ids unique across the book, headings under the chapter title."""

from __future__ import annotations

from ..model import Chapter

HEADINGS = ("h1", "h2", "h3", "h4", "h5")


def scope_chapter(chapter: Chapter) -> Chapter:
    """All chapters share one print HTML, so `#intro` in two chapters must become two ids;
    the chapter title is the only h1, so body headings move one level down."""
    body = chapter.body
    prefix = f"{chapter.id}-"
    for el in body.iter():
        if el.get("id"):
            el.set("id", prefix + el.get("id"))
        href = el.get("href") if el.tag == "a" else None
        if href and href.startswith("#"):
            el.set("href", "#" + prefix + href[1:])
    if any(True for _ in body.iter("h1")):
        for el in body.iter(*HEADINGS):
            el.tag = f"h{int(el.tag[1]) + 1}"
    return chapter
