"""The Jinja2 environment and the context both books are rendered from."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree
from lxml.html import HtmlElement
from markupsafe import Markup, escape

from .cjk import HAN, PAUSE_STOP_MARKS
from .model import Book

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STYLES = ROOT / "styles"
ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?$")


def zh_date(value: str | None) -> str:
    """2026-02-08 → 2026年2月8日, as dates are written in Chinese text; other forms unchanged."""
    if not value:
        return ""
    match = ISO_DATE.match(value)
    if not match:
        return value
    year, month, day = match.groups()
    return f"{year}年{int(month)}月" + (f"{int(day)}日" if day else "")


def bracketed(text: str) -> str:
    """`text` inside （）, as generated text cites a caption: the caption's own final pause or
    stop goes, since the bracket now closes the phrase (「（…站台旁）」, not 「（…站台旁。）」);
    a question or exclamation mark, quotes and ellipses stay, as they are the caption's words."""
    return f"（{text.rstrip().rstrip(PAUSE_STOP_MARKS)}）"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["zh_date"] = zh_date
    env.tests["han"] = lambda text: bool(HAN.search(text or ""))
    env.filters["css_string"] = css_string
    env.filters["bracketed"] = bracketed
    return env


def css_string(text: str) -> Markup:
    """`text` as a CSS string in a <style> element: quoted, with quotes, backslashes and
    anything that could close the element escaped."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&\n' else c for c in text)
    return Markup(f'"{escaped}"')


def html_fragment(el: HtmlElement, xml: bool) -> str:
    """Serialize a body's children: XML for the EPUB's XHTML, HTML for WeasyPrint's parser
    (which reads `<span/>` as an open tag)."""
    method = "xml" if xml else "html"
    parts = [etree.tostring(child, method=method, encoding="unicode") for child in el]
    return str(escape(el.text or "")) + "".join(parts)


def with_pictures(body: HtmlElement, sources: dict[str, str]) -> HtmlElement:
    """A copy of a chapter body whose figures point at `sources` (figure id → src): each
    output embeds the pictures under its own paths."""
    body = copy.deepcopy(body)
    for img in body.iter("img"):
        figure = img.attrib.pop("data-figure", None)
        if figure in sources:
            img.set("src", sources[figure])
    return body


def book_context(book: Book) -> dict[str, Any]:
    """Everything the templates of either book may print about the book as a whole."""
    config = book.config
    return {
        "book": book,
        "config": config,
        "title": config.title,
        "authors": book.authors,
        "identifier": book.identifier,
        "chapters": book.chapters,
        "figures": book.figures,
        "language": book.language,
        "labels": book.labels,
        "draft_notice": book.labels.draft_notice if config.draft else None,
    }
