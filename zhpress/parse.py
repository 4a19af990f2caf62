"""Markdown to a sanitized HTML tree: pandoc in batches of chapters, then nh3."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import uuid
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
# One pandoc process per core, each converting a run of chapters; at least two runs per
# process, so the first chapters come back while later ones convert, and at most 16
# chapters per run, so a long anthology never holds one pandoc process large in memory.
WORKERS = max(2, os.cpu_count() or 2)
BATCHES_PER_WORKER = 2
MAX_BATCH = 16


def parse_chapters(texts: list[ChapterText], cache: Path | None = None) -> Iterator[HtmlElement]:
    """Every chapter as a `div` of sanitized blocks, in order; a chapter whose Markdown has
    not changed since the last build comes from `cache`, the others go through pandoc.

    The conversions start at once, in the background, and each chapter comes back as soon
    as its batch is done, so the caller's work on one chapter overlaps pandoc's on the next.
    """
    paths = [_cache_path(cache, t.markdown) if cache else None for t in texts]
    todo = [i for i, path in enumerate(paths) if path is None or not path.exists()]
    pool = ThreadPoolExecutor(max_workers=WORKERS)
    pending: dict[int, tuple[Future[list[str]], int]] = {}
    for batch in _batches(todo):
        future = pool.submit(_convert_and_keep, [texts[i].markdown for i in batch], [paths[i] for i in batch])
        pending.update((i, (future, position)) for position, i in enumerate(batch))
    return _in_order(pool, paths, pending)


def _in_order(
    pool: ThreadPoolExecutor, paths: list[Path | None], pending: dict[int, tuple[Future[list[str]], int]]
) -> Iterator[HtmlElement]:
    try:
        for i, path in enumerate(paths):
            if i in pending:
                future, position = pending[i]
                html = future.result()[position]
            else:
                html = path.read_text(encoding="utf-8")
            yield lxml.html.fragment_fromstring(html, create_parent="div")
    finally:  # the caller stopped early (bad input): no pandoc left running for nothing
        pool.shutdown(wait=False, cancel_futures=True)


def _batches(items: list[int]) -> list[list[int]]:
    """`items` in runs of consecutive items, of about equal length."""
    size = min(MAX_BATCH, max(1, -(-len(items) // (WORKERS * BATCHES_PER_WORKER))))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _convert_and_keep(markdowns: list[str], paths: list[Path | None]) -> list[str]:
    html = markdowns_to_html(markdowns)
    for text, path in zip(html, paths, strict=True):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
            partial.write_text(text, encoding="utf-8")
            partial.replace(path)
    return html


def markdowns_to_html(markdowns: list[str]) -> list[str]:
    """Sanitized HTML for each Markdown text, from one pandoc process.

    A pandoc process spends most of a chapter's 0.1 s setting up its heap, so one process
    converts a batch: 15 chapters take 0.5 s where 15 processes took 1.8 s. `--file-scope`
    parses each text on its own (footnote labels, link references and heading ids never
    meet another chapter's); a marker block, with a nonce no manuscript can contain, opens
    each text, and the output is cut at the markers.
    """
    nonce = uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="zhpress-") as folder, resources.as_file(FILTER) as lua:
        files = []
        for n, markdown in enumerate(markdowns):
            file = Path(folder) / f"{n:05d}.md"
            file.write_text(f'<div data-split="{nonce}-{n}"></div>\n\n{markdown}', encoding="utf-8")
            files.append(str(file))
        # verify_format=False: pypandoc would otherwise run pandoc twice more per call to list
        # the formats it knows; ours are constants.
        html = pypandoc.convert_file(
            files, "html5", format=MARKDOWN, extra_args=[*PANDOC_ARGS, "--file-scope", f"--lua-filter={lua}"],
            verify_format=False, sort_files=False,
        )
    pieces = re.split(f'<div data-split="{nonce}-\\d+">\\s*</div>\\n?', html)
    if len(pieces) != len(markdowns) + 1 or pieces[0].strip():
        raise RuntimeError(f"pandoc's output for {len(markdowns)} chapters did not split into as many")
    # --file-scope keeps ids apart by prefixing each with its file's path; a chapter's ids and
    # links to them are its own business, as if converted alone.
    return [sanitize(piece.replace(_id_prefix(file), "")) for piece, file in zip(pieces[1:], files, strict=True)]


def _id_prefix(file: str) -> str:
    """What pandoc's --file-scope puts before the ids of `file`: /tmp/x/1.md gives tmp__x__1.md__."""
    return file.lstrip("/").replace("/", "__") + "__"


def _cache_path(cache: Path, markdown: str) -> Path:
    key = hashlib.sha256("\0".join((_converter_fingerprint(), markdown)).encode()).hexdigest()
    return cache / f"{key[:32]}.html"


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
