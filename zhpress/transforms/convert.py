"""An edition's text conversion (Simplified to Traditional, say), applied to what the
translator wrote and nothing else: not to code, URLs, English metadata or attributes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from lxml.html import HtmlElement

from ..model import Chapter
from .setting import Setting

# Where text is not the translator's Chinese: code, English, and URLs printed as text.
LITERAL_TAGS = {"code", "pre", "kbd", "samp"}
LITERAL_CLASSES = {"url"}


def convert_text(chapter: Chapter, setting: Setting) -> Chapter:
    """The chapter's title and body text through the edition's converter (none in the main edition)."""
    convert = setting.edition.convert
    if convert is None:
        return chapter
    _convert_within(chapter.body, convert)
    return replace(chapter, title=convert(chapter.title) if chapter.title else chapter.title)


def _convert_within(root: HtmlElement, convert: Callable[[str], str]) -> None:
    """Every text and tail under `root` outside literal elements; a literal element's tail is
    its parent's text and is converted."""
    stack = [root]
    while stack:
        element = stack.pop()
        if element.text and not _literal(element):
            element.text = convert(element.text)
        for child in element:
            if child.tail and not _literal(element):
                child.tail = convert(child.tail)
            if isinstance(child.tag, str) and not _literal(child):
                stack.append(child)


def _literal(element: HtmlElement) -> bool:
    classes = set((element.get("class") or "").split())
    return element.tag in LITERAL_TAGS or element.get("lang") == "en" or bool(LITERAL_CLASSES & classes)
