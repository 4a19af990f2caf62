"""Markdown to a sanitized HTML tree: pandoc in batches of chapters, then nh3."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import lxml.html
import nh3
import pypandoc
from lxml.html import HtmlElement

from ..errors import BookError, display_path
from ..scratch import scratch_folder
from .cache import cache_folder, cached_entry, store_entry
from .chapters import ChapterText

# pandoc's Markdown, with line breaks inside Chinese paragraphs dropped rather than made
# spaces, and without implicit figures or smart quotes: our figure and quote transforms
# know Chinese context, pandoc's do not ("履行"宪法"" would get two closing quotes). Obsidian's
# wiki links, embeds and ==highlights== read as Obsidian means them.
MARKDOWN = "markdown+east_asian_line_breaks-implicit_figures-smart+wikilinks_title_after_pipe+mark"
PANDOC_ARGS = ["--wrap=none", "--section-divs=false"]

ALLOWED_TAGS = {
    "p", "em", "strong", "a", "img", "span", "sup", "sub", "code", "pre", "kbd", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "colgroup", "col", "thead", "tbody",
    "tfoot", "tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br", "del", "s", "ins",
    "u", "mark", "small", "q", "cite", "abbr", "div", "figure", "figcaption",
}
# Only the data-* attributes something reads: a note's kind (filters/notes.lua) and a picture's
# credit and caption (pandoc's `{credit="…" caption="…"}`, read by transforms/figures.py). Any
# other, data-figure above all (it marks the figures our transform checked), never survives.
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "title"},
    "a": {"href"},
    "span": {"data-kind"},
    "img": {"src", "alt", "width", "height", "data-credit", "data-caption"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style"},
    "col": {"style"},
}
ALLOWED_STYLES = {"text-align", "width"}
URL_SCHEMES = {"http", "https", "mailto"}
# pandoc's Lua filters, in the order they run: the command and the cache key both read this.
FILTERS = tuple(resources.files(__package__) / "filters" / name for name in ("obsidian.lua", "notes.lua"))
# Elements within one another: a book's quotes, lists and tables nest a few levels. WeasyPrint
# lays out by recursion (a RecursionError past about 150 quotes), and libxml2 silently drops
# whatever lies deeper than 255 elements, so a deeper chapter is refused.
MAX_NESTING = 50
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CACHE_DIR = ".cache/pandoc"
# One pandoc process per core (up to 4), each converting a run of chapters; at least two
# runs per process, so the first chapters come back while later ones convert, and at most
# 16 chapters per run, so a long anthology never makes one pandoc process large in memory.
WORKERS = min(4, len(os.sched_getaffinity(0)))
BATCHES_PER_WORKER = 2
MAX_BATCH = 16
# How the chapters go through pandoc (see markdowns_to_html): part of the cache key.
CONVERSION = "batches with --file-scope, marker per text, sentinel text last"
MARKER_LINES = 2  # the lines the marker block adds before each text


@contextmanager
def converted_chapters(texts: list[ChapterText], manuscript: Path | None = None) -> Iterator[Iterator[HtmlElement]]:
    """Every chapter as a `div` of sanitized blocks, in order; a chapter whose Markdown has
    not changed since the last build comes from the manuscript's cache, the others go through
    pandoc.

    The conversions start on entry, in the background, and each chapter comes back as soon
    as its batch is done, so the caller's work on one chapter overlaps pandoc's on the next.
    Leaving early (bad input found meanwhile) cancels the batches not yet started.
    """
    folder = cache_folder(manuscript, CACHE_DIR) if manuscript else None
    keys = [_cache_key(t.markdown) for t in texts]
    cached = [_cached_html(folder, key) if folder else None for key in keys]
    todo = [i for i, html in enumerate(cached) if html is None]
    pool = ThreadPoolExecutor(max_workers=WORKERS)
    try:
        pending: dict[int, tuple[Future[list[str]], int]] = {}
        for batch in _batches(todo):
            future = pool.submit(_convert_and_keep, [texts[i] for i in batch], folder, [keys[i] for i in batch])
            pending.update((i, (future, position)) for position, i in enumerate(batch))
        yield (_chapter_html(i, texts[i], html, pending) for i, html in enumerate(cached))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _chapter_html(
    i: int, text: ChapterText, cached: str | None, pending: dict[int, tuple[Future[list[str]], int]],
) -> HtmlElement:
    if i in pending:
        future, position = pending[i]
        cached = future.result()[position]
    check_nesting(cached, text)
    return lxml.html.fragment_fromstring(cached, create_parent="div")


class _Depth(HTMLParser):
    """How deep elements nest in HTML, and the first text at that depth; html.parser keeps
    no tree, so any depth is measured (libxml2 silently drops what lies past 255 levels)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = 0
        self.deepest_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_ELEMENTS:
            self.depth += 1
            if self.depth > self.deepest:
                self.deepest, self.deepest_text = self.depth, ""

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth == self.deepest and not self.deepest_text:
            self.deepest_text = data.strip()


def check_nesting(html: str, text: ChapterText) -> None:
    """Refuse a chapter nested deeper than MAX_NESTING, at the line of its deepest text."""
    depth = _Depth()
    depth.feed(html)
    depth.close()
    if depth.deepest <= MAX_NESTING:
        return
    at = text.markdown.find(depth.deepest_text[:4]) if depth.deepest_text else -1
    line = text.line_offset + text.markdown.count("\n", 0, at) + 1 if at >= 0 else None
    raise BookError(text.path, f"nested {depth.deepest} levels deep (quotes, lists or tags within one another); "
                    f"a book allows {MAX_NESTING}", line)


def _cached_html(folder: Path, key: str) -> str | None:
    """A chapter's HTML from the cache, sanitized again: the cache is part of a manuscript
    folder, which a stranger may have filled with anything."""
    entry = cached_entry(folder, key, _is_chapter_html)
    return None if entry is None else sanitize(entry[1].decode("utf-8"))


def _is_chapter_html(data: bytes) -> bool:
    """UTF-8 that is not blank: pandoc's HTML for a chapter has a block at least, and an
    empty entry would print an empty chapter."""
    try:
        return bool(data.decode("utf-8").strip())
    except UnicodeDecodeError:
        return False


def _batches(items: list[int]) -> list[list[int]]:
    """`items` in runs of consecutive items: as many runs as the workers take, of equal
    length but for the last, and none longer than MAX_BATCH."""
    size = min(MAX_BATCH, max(1, -(-len(items) // (WORKERS * BATCHES_PER_WORKER))))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _convert_and_keep(texts: list[ChapterText], folder: Path | None, keys: list[str]) -> list[str]:
    html = markdowns_to_html([t.markdown for t in texts], [(t.path, t.line_offset) for t in texts])
    if folder is not None:
        for text, key in zip(html, keys, strict=True):
            store_entry(folder, key, text.encode("utf-8"), ".html")
    return html


def markdowns_to_html(markdowns: list[str], origins: list[tuple[Path, int]] | None = None) -> list[str]:
    """Sanitized HTML for each Markdown text, from one pandoc process.

    A pandoc process spends most of a chapter's 0.1 s setting up its heap, so one process
    converts a batch: 15 chapters take 0.5 s where 15 processes took 1.8 s. `--file-scope`
    parses each text on its own (footnote labels, link references and heading ids never
    meet another chapter's). A marker block, with a nonce no manuscript can contain, opens
    each text, and the output is cut at the markers. An empty text goes last, so pandoc is
    always in its many-files mode and a chapter converts the same in any batch. `origins`
    (each text's file and the line before its first) put pandoc's warnings in the chapter.
    """
    nonce = uuid.uuid4().hex
    marker = f'<div id="m{nonce}" data-split="{nonce}"></div>\n\n'
    with scratch_folder() as folder, contextlib.ExitStack() as stack:
        filters = [f"--lua-filter={stack.enter_context(resources.as_file(f))}" for f in FILTERS]
        files = []
        for n, markdown in enumerate([*markdowns, ""]):
            file = Path(folder) / f"{n:05d}.md"
            file.write_text(marker + markdown, encoding="utf-8")
            files.append(str(file))
        PANDOC_MESSAGES.batches[folder] = origins or []
        try:
            # verify_format=False: pypandoc would otherwise run pandoc twice more per call to list
            # the formats it knows; ours are constants.
            html = pypandoc.convert_file(
                files, "html5", format=MARKDOWN, extra_args=[*PANDOC_ARGS, "--file-scope", *filters],
                verify_format=False, sort_files=False,
            )
        finally:
            del PANDOC_MESSAGES.batches[folder]
    # Each marker comes back with its id prefixed the way pandoc prefixed that text's ids.
    pieces = re.split(f'<div id="([^"]*)m{nonce}" data-split="{nonce}">\\s*</div>\\n?', html)
    if len(pieces) != 2 * len(files) + 1 or pieces[0].strip():
        raise RuntimeError(f"pandoc's output for {len(markdowns)} chapters did not split into as many")
    prefixes, texts = pieces[1:-2:2], pieces[2:-2:2]
    return [sanitize(_unprefixed(text, prefix)) for text, prefix in zip(texts, prefixes, strict=True)]


def _unprefixed(html: str, prefix: str) -> str:
    """The text's ids and links as the chapter wrote them: pandoc put `prefix` (the file's
    path made an id, ending in __) before each id and `#id` link, and made a bare `#` link
    `#` plus the prefix without its __. The prefix holds a random folder name: it cannot
    stand for anything the chapter wrote."""
    if not prefix:
        return html
    return html.replace(f'"#{prefix.removesuffix("__")}"', '"#"').replace(prefix, "")


class _PandocMessages(logging.Filter):
    """pandoc's warnings name a batch's temporary file: `… at /tmp/zhpress-x/00002.md line 7
    column 1` becomes `chapters/03.md:5: warning: …`, the line counted in the chapter file."""

    LOCATION = re.compile(r"^(?P<message>.*) at (?P<folder>\S+)/(?P<n>\d{5})\.md line (?P<line>\d+) column \d+$", re.S)

    def __init__(self) -> None:
        super().__init__()
        self.batches: dict[str, list[tuple[Path, int]]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        found = self.LOCATION.match(record.getMessage())
        origins = self.batches.get(found["folder"], []) if found else []
        if found and int(found["n"]) < len(origins):
            path, line_offset = origins[int(found["n"])]
            line = int(found["line"]) - MARKER_LINES + line_offset
            record.msg, record.args = f"{display_path(path)}:{line}: warning: {found['message']}", ()
        return True


def _cache_key(markdown: str) -> str:
    return hashlib.sha256("\0".join((_converter_fingerprint(), markdown)).encode()).hexdigest()[:32]


@lru_cache(maxsize=1)
def _converter_fingerprint() -> str:
    """Everything besides the Markdown that shapes the HTML: a change invalidates the cache."""
    attributes = sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items())
    settings = repr((MARKDOWN, PANDOC_ARGS, CONVERSION, sorted(ALLOWED_TAGS), attributes, sorted(ALLOWED_STYLES)))
    return "\0".join((pypandoc.get_pandoc_version(), nh3.__version__,
                      *(f.read_text(encoding="utf-8") for f in FILTERS), settings))


def sanitize(html: str) -> str:
    """Keep the structure a book can print; drop scripts, handlers, frames and forms."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        filter_style_properties=ALLOWED_STYLES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


# pypandoc prints pandoc's warnings through its own handler unless its logger has one; with
# a NullHandler they reach ours once, in our format, through the filter above.
PANDOC_MESSAGES = _PandocMessages()
logging.getLogger("pypandoc").addHandler(logging.NullHandler())
logging.getLogger("pypandoc").addFilter(PANDOC_MESSAGES)
