"""Links become notes carrying a URL a reader can type: print has no clickable links."""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml.html import HtmlElement
from lxml.html.builder import E

from ..model import Chapter, inside_note
from ..urls import clean_url


def link_notes(chapter: Chapter) -> Chapter:
    """Give every web link a note with its cleaned URL, in the series footnotes also use."""
    for link in list(chapter.body.iter("a")):
        href = link.get("href", "")
        if urlsplit(href).scheme.lower() not in ("http", "https"):
            continue
        url = clean_url(href)
        link.set("href", url)
        if inside_note(link):
            _append_url_in_text(link, url)
            continue
        note = E.span(E.a(url, {"class": "url", "lang": "en", "href": url}), {"class": "note", "data-kind": "url"})
        note.tail, link.tail = link.tail, None
        link.addnext(note)
    return chapter


def _append_url_in_text(link: HtmlElement, url: str) -> None:
    """A link inside a footnote gets its URL in brackets: notes within notes do not exist."""
    if link.text_content().strip() == url:
        return
    bracket = E.span("（", E.span(url, {"class": "url", "lang": "en"}), "）")
    bracket.tail, link.tail = link.tail, None
    link.addnext(bracket)
