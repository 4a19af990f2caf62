"""The one gate for everything WeasyPrint loads: the files this build resolved, nothing else.

WeasyPrint's own fetcher opens any `file:`, `http:` or `ftp:` URL a document names. A book
is built from a stranger's manuscript, so a reference that slipped past the sanitizer (or a
tampered cache) could embed any local file, or fetch from the network around our picture
cache, size caps and offline placeholders. The gate serves the stylesheet, the figures'
prepared pictures and the press variant's ICC profile by their resolved paths, and refuses
the rest. WeasyPrint swallows a fetcher's exceptions and skips the resource, so the gate
records each refusal and `raise_refused` turns the first into the build's error afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import BookError
from ..model import Book
from .html import STYLESHEET

# A data: URL carries its bytes in itself (our stylesheet's rule under the notes); whatever
# an SVG inside it refers to comes back through this same gate.
SELF_CONTAINED_SCHEMES = {"data"}


class RefusedResourceError(ValueError):
    """WeasyPrint asked for something this build did not resolve."""


class ResourceGate(URLFetcher):
    """A WeasyPrint URL fetcher serving only `allowed` files (compared by resolved path)."""

    def __init__(self, allowed: Iterable[Path]) -> None:
        super().__init__(allowed_protocols={"file", *SELF_CONTAINED_SCHEMES}, allow_redirects=False)
        self.allowed = {Path(os.path.realpath(p)) for p in allowed}
        self.refused: list[str] = []

    @classmethod
    def for_book(cls, book: Book, extra: Iterable[Path] = ()) -> ResourceGate:
        """The files a print edition of `book` may load: our stylesheet, each figure's
        prepared picture, and `extra` (the press variant's colour profile)."""
        pictures = [Path(f.src) for f in book.figures if f.src]
        return cls([STYLESHEET, *pictures, *extra])

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Serve `url` if it names an allowed file (or is a data: URL); refuse it otherwise."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        allowed = scheme in SELF_CONTAINED_SCHEMES or (
            scheme == "file" and not parts.netloc and Path(os.path.realpath(url2pathname(parts.path))) in self.allowed
        )
        if not allowed:
            self.refused.append(url)
            raise RefusedResourceError(f"refused to load {url}")
        return super().fetch(url, headers)

    def raise_refused(self, book: Book, base_url: str) -> None:
        """Stop the build at the first refused load, naming the chapter line that asked for
        it when a chapter's markup holds the reference (relative to `base_url`)."""
        if not self.refused:
            return
        url = self.refused[0]
        for chapter in book.chapters:
            for element in chapter.body.iter():
                for value in (element.get("src"), element.get("href")):
                    if value and unquote(urljoin(base_url, value)) == unquote(url):
                        raise BookError(chapter.path, _refusal(value), chapter.line_of(value))
        raise BookError(book.config.path, _refusal(url))


def _refusal(reference: str) -> str:
    return f"'{reference}' is not a file this build resolved: refused to load it into the PDF"
