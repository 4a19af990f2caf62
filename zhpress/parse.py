"""Markdown to a sanitized HTML tree: one pandoc call per chapter, then nh3."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from importlib import resources

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


def parse_chapters(texts: list[ChapterText]) -> list[HtmlElement]:
    """Convert every chapter, in parallel: each pandoc call is a separate process."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(parse_markdown, (t.markdown for t in texts)))


def parse_markdown(markdown: str) -> HtmlElement:
    """One chapter's Markdown as a `div` holding its sanitized blocks."""
    with resources.as_file(resources.files(__package__) / "filters" / "notes.lua") as lua:
        html = pypandoc.convert_text(
            markdown, "html5", format=MARKDOWN, extra_args=[*PANDOC_ARGS, f"--lua-filter={lua}"]
        )
    clean = sanitize(html)
    return lxml.html.fragment_fromstring(clean, create_parent="div")


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
