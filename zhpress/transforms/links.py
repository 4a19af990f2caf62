"""Links become notes carrying a URL a reader can type: print has no clickable links."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from lxml.html import HtmlElement
from lxml.html.builder import E

from ..model import Chapter

# Query parameters that only track the reader; they never select the page.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w*|fbclid|gclid|gclsrc|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|_gl|yclid|twclid)$", re.I
)
# YouTube's share links add `si`, which identifies the sharer, not the video.
YOUTUBE_HOSTS = re.compile(r"(^|\.)(youtube\.com|youtu\.be|youtube-nocookie\.com)$", re.I)
YOUTUBE_TRACKING = {"si", "feature", "pp"}
TEXT_FRAGMENT = ":~:"


def clean_url(url: str) -> str:
    """Drop tracking parameters and browser text fragments; keep what selects the page."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    youtube = bool(YOUTUBE_HOSTS.search(host))
    # Filter the raw `key=value` pairs: decoding and re-encoding would change the URL's bytes.
    kept = [
        pair
        for pair in parts.query.split("&")
        if pair and not _is_tracking(unquote_plus(pair.split("=", 1)[0]), youtube)
    ]
    fragment = parts.fragment.split(TEXT_FRAGMENT, 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), fragment))


def _is_tracking(key: str, youtube: bool) -> bool:
    return bool(TRACKING_PARAMS.match(key)) or (youtube and key in YOUTUBE_TRACKING)


def link_notes(chapter: Chapter) -> Chapter:
    """Give every web link a note with its cleaned URL, in the series footnotes also use."""
    for link in list(chapter.body.iter("a")):
        href = link.get("href", "")
        if urlsplit(href).scheme.lower() not in ("http", "https"):
            continue
        url = clean_url(href)
        link.set("href", url)
        if _inside_note(link):
            _append_url_in_text(link, url)
            continue
        note = E.span(E.a(url, {"class": "url", "lang": "en", "href": url}), {"class": "note", "data-kind": "url"})
        note.tail, link.tail = link.tail, None
        link.addnext(note)
    return chapter


def _inside_note(el: HtmlElement) -> bool:
    return any("note" in (a.get("class") or "").split() for a in el.iterancestors("span"))


def _append_url_in_text(link: HtmlElement, url: str) -> None:
    """A link inside a footnote gets its URL in brackets: notes within notes do not exist."""
    if link.text_content().strip() == url:
        return
    bracket = E.span("（", E.span(url, {"class": "url", "lang": "en"}), "）")
    bracket.tail, link.tail = link.tail, None
    link.addnext(bracket)
