"""An edition's text conversion (Simplified to Traditional, say), applied to what the
translator wrote and nothing else: not to code, URLs, English metadata or attributes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from lxml.html import HtmlElement

from ..config import BookConfig
from ..model import Chapter
from .setting import Setting

# book.yaml's Chinese text that the books print (names included: a Chinese name is written in
# the edition's characters); not original_title, slug, URLs, dates or numbers.
CONVERTED_KEYS = ("title", "cover_title_lines", "subtitle", "authors", "translators", "publisher", "description",
                  "rights", "cip", "contract_registration", "price")
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


def convert_config(config: BookConfig, convert: Callable[[str], str] | None) -> BookConfig:
    """A copy of `config` whose Chinese text is the edition's: the book's title reaches every
    template, the EPUB's metadata and the drawn cover from here."""
    if convert is None:
        return config
    converted = {key: _converted(config.values[key], convert) for key in CONVERTED_KEYS}
    return replace(config, values={**config.values, **converted})


def _converted(value: str | tuple[str, ...] | None, convert: Callable[[str], str]) -> str | tuple[str, ...] | None:
    if isinstance(value, tuple):
        return tuple(convert(v) for v in value)
    return convert(value) if value else value


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
