"""Markdown to a sanitized HTML tree: one pandoc call per chapter, then nh3."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from importlib import resources
from pathlib import Path

import lxml.html
import nh3
import pypandoc
from lxml.html import HtmlElement

from .manuscript import ChapterText

# pandoc's Markdown, with line breaks inside Chinese paragraphs dropped rather than made
# spaces, and without implicit figures or smart quotes: our figure and quote transforms
# know Chinese context, pandoc's do not ("履行"宪法"" would get two closing quotes).
MARKDOWN = "markdown+east_asian_line_breaks-implicit_figures-smart"
PANDOC_ARGS = ["--wrap=none", "--section-divs=false"]

ALLOWED_TAGS = {
    "p", "em", "strong", "a", "img", "span", "sup", "sub", "code", "pre", "kbd", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "colgroup", "col", "thead", "tbody",
    "tfoot", "tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br", "del", "s", "ins",
    "u", "mark", "small", "q", "cite", "abbr", "div", "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style"},
    "col": {"style"},
}
ALLOWED_STYLES = {"text-align", "width"}
URL_SCHEMES = {"http", "https", "mailto"}
FILTER = resources.files(__package__) / "filters" / "notes.lua"
CACHE_DIR = ".cache/pandoc"


def parse_chapters(texts: list[ChapterText], cache: Path | None = None) -> Iterator[HtmlElement]:
    """Convert every chapter, in parallel (each pandoc call is its own process); a chapter
    whose Markdown has not changed since the last build comes from `cache`.

    The conversions start at once and the chapters come back in order as they finish, so
    the caller's own work on one chapter overlaps pandoc's on the next ones.
    """
    pool = ThreadPoolExecutor(max_workers=4)
    futures = [pool.submit(_cached_html, t.markdown, cache) for t in texts]
    return _in_order(pool, futures)


def _in_order(pool: ThreadPoolExecutor, futures: list[Future[str]]) -> Iterator[HtmlElement]:
    try:
        for future in futures:
            yield lxml.html.fragment_fromstring(future.result(), create_parent="div")
    finally:  # the caller stopped early (bad input): no pandoc left running for nothing
        pool.shutdown(wait=False, cancel_futures=True)


def parse_markdown(markdown: str) -> HtmlElement:
    """One chapter's Markdown as a `div` holding its sanitized blocks."""
    return lxml.html.fragment_fromstring(markdown_to_html(markdown), create_parent="div")


def markdown_to_html(markdown: str) -> str:
    with resources.as_file(FILTER) as lua:
        # verify_format=False: pypandoc would otherwise run pandoc twice more per call to list
        # the formats it knows; ours are constants.
        html = pypandoc.convert_text(
            markdown, "html5", format=MARKDOWN, extra_args=[*PANDOC_ARGS, f"--lua-filter={lua}"], verify_format=False
        )
    return sanitize(html)


def _cached_html(markdown: str, cache: Path | None) -> str:
    if cache is None:
        return markdown_to_html(markdown)
    key = hashlib.sha256("\0".join((_converter_fingerprint(), markdown)).encode()).hexdigest()
    path = cache / f"{key[:32]}.html"
    if path.exists():
        return path.read_text(encoding="utf-8")
    html = markdown_to_html(markdown)
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_text(html, encoding="utf-8")
    partial.replace(path)
    return html


@lru_cache(maxsize=1)
def _converter_fingerprint() -> str:
    """Everything besides the Markdown that shapes the HTML: a change invalidates the cache."""
    attributes = sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items())
    settings = repr((MARKDOWN, PANDOC_ARGS, sorted(ALLOWED_TAGS), attributes, sorted(ALLOWED_STYLES)))
    return "\0".join((pypandoc.get_pandoc_version(), nh3.__version__,
                      FILTER.read_text(encoding="utf-8"), settings))


def sanitize(html: str) -> str:
    """Keep the structure a book can print; drop scripts, handlers, frames and forms."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        generic_attribute_prefixes={"data-"},
        filter_style_properties=ALLOWED_STYLES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
