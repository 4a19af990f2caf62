"""Links become notes carrying a URL a reader can type: print has no clickable links."""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement
from lxml.html.builder import E

from ..cjk import HAN
from ..errors import display_path
from ..model import Chapter, inside_note, is_note
from ..urls import clean_url

log = logging.getLogger(__name__)

WEB_SCHEMES = ("http", "https")


def link_notes(chapter: Chapter) -> Chapter:
    """Give every web link a note with its cleaned URL, in the series footnotes also use; a
    link with no address a reader could follow is printed as its text, with a warning."""
    ids = {el.get("id") for el in chapter.body.iter() if el.get("id")}
    for link in list(chapter.body.iter("a")):
        href = usable_href(link.get("href"), chapter.source.url, ids)
        if href is None:
            _unlink(link, chapter)
            continue
        if urlsplit(href).scheme.lower() not in WEB_SCHEMES:  # mailto:, or an anchor in the chapter
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


def usable_href(href: str | None, source: str | None, ids: set[str]) -> str | None:
    """The address a link may keep: a web URL, a relative one resolved against the clipped
    article's `source` URL (the page its author linked from); a mailto: address; or an
    anchor (`#id`, already scoped) of the chapter. None for anything else: a relative link
    with no source, an anchor to nothing, an href the sanitizer removed (javascript:,
    file:, however obfuscated), which would give an EPUB that fails EPUBCheck."""
    if not href:
        return None
    if href.startswith("#"):
        return href if href[1:] in ids else None
    if not urlsplit(href).scheme and source and urlsplit(source).scheme.lower() in WEB_SCHEMES:
        href = urljoin(source, href)
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if (scheme in WEB_SCHEMES and parts.hostname) or (scheme == "mailto" and parts.path):
        return href
    return None


def _unlink(link: HtmlElement, chapter: Chapter) -> None:
    """Keep the link's words, drop the link, and say where it was."""
    href = link.get("href")
    line = chapter.line_of(href) if href else None  # None too for an anchor, since scoped
    label = href if line else link.text_content().strip()
    line = line or chapter.line_of(f"[{label}]") or chapter.line_of(label)  # Markdown's, then raw HTML's
    where = f"{display_path(chapter.path)}:{line}" if line else display_path(chapter.path)
    log.warning("%s: warning: link '%s' has no usable web or mail address; printed as text without a link",
                where, label)
    link.drop_tag()


def _append_url_in_text(link: HtmlElement, url: str) -> None:
    """A link inside a footnote gets its URL in brackets: notes within notes do not exist.
    Full-width brackets in a Chinese note; a note without Han characters (an English
    original's) takes the Latin ones, after a space."""
    if link.text_content().strip() == url:
        return
    note = next(a for a in link.iterancestors() if is_note(a))
    opening, closing = ("（", "）") if HAN.search(note.text_content()) else (" (", ")")
    bracket = E.span(opening, E.span(url, {"class": "url", "lang": "en"}), closing)
    bracket.tail, link.tail = link.tail, None
    link.addnext(bracket)
