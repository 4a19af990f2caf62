"""The print edition's HTML: one document holding the whole book, as WeasyPrint renders it."""

from __future__ import annotations

import os
from pathlib import Path

from .config import TRIM_SIZES
from .model import Book
from .render import STYLES, book_context, environment, html_fragment, with_pictures

STYLESHEET = STYLES / "print.css"


def render_print_html(book: Book, html_path: Path) -> str:
    """HTML whose stylesheet and pictures are linked relative to `html_path`, so the file
    renders the same book when WeasyPrint is run on it directly."""
    here = html_path.parent
    sources = {f.id: _relative(Path(f.src), here) for f in book.figures if f.src}
    bodies = {c.id: html_fragment(with_pictures(c.body, sources), xml=False) for c in book.chapters}
    width, height = TRIM_SIZES[book.config.trim]
    return environment().get_template("print.html.j2").render(
        **book_context(book),
        bodies=bodies,
        stylesheet=_relative(STYLESHEET, here),
        page_size=f"{width} {height}",
    )


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()
