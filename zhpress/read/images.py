"""Where a figure's picture comes from: the manuscript folder, or the web through a cache."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from PIL import Image, ImageFile

from ..errors import BookError, display_path
from ..files import resolved_inside
from .cache import cache_folder, cached_entry, store_entry

log = logging.getLogger(__name__)

CACHE_DIR = ".cache/images"
PREPARED_DIR = ".cache/prepared"
PRINT_DPI = 300
JPEG_QUALITY = 88
FETCH_TIMEOUT = 10  # seconds for connecting and for each read
FETCH_DEADLINE = 60  # seconds for a whole picture, however slowly its server sends it
MAX_DOWNLOAD = 30 * 1024 * 1024  # bytes of a picture, whatever its Content-Length says
# The publisher's own limits, in place of the two above (see fetch_limits).
DEADLINE_VARIABLE = "ZHPRESS_FETCH_DEADLINE"
CAP_VARIABLE = "ZHPRESS_FETCH_MAX_BYTES"
READ_CHUNK = 64 * 1024
MAX_PIXELS = 80_000_000  # a 10000×8000 photo is the largest we accept
FORMAT_SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
USER_AGENT = "zhpress (book builder)"
ALLOWED_SOURCES = "only paths inside the manuscript folder or http(s) URLs are allowed"
# What a URL's path and query keep as they are; everything else (Chinese, spaces) is %-encoded.
URL_SAFE = "/%:@!$&'()*+,;=?~-._"

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class NotAnImageError(ValueError):
    """The bytes are not a picture Pillow can read, or one too large to decode safely."""


def check_image(source: Path | IO[bytes]) -> str:
    """Return the image format, refusing files that are not pictures and decompression bombs."""
    try:
        with Image.open(source) as image:
            image.verify()
            fmt = image.format or ""
            width, height = image.size
    except Image.DecompressionBombError as exc:
        raise NotAnImageError(f"picture too large to decode safely ({exc})") from None
    except (OSError, SyntaxError, ValueError):
        raise NotAnImageError("not a picture Pillow can read (JPEG, PNG, GIF or WebP)") from None
    if width * height > MAX_PIXELS:
        raise NotAnImageError(f"picture too large to decode safely ({width}×{height} pixels)")
    if fmt not in FORMAT_SUFFIX:
        raise NotAnImageError(f"unsupported picture format {fmt or 'unknown'} (use JPEG, PNG, GIF or WebP)")
    return fmt


@dataclass
class ImageResolver:
    """Resolves image references for one build; stops fetching once the network proves absent.

    `largest` is the biggest picture worth embedding, in pixels: 300 dpi at the largest size
    a figure prints at. Larger pictures are resampled once and kept in the cache.
    """

    manuscript: Path
    largest: tuple[int, int]
    offline: bool = False
    _seen: dict[str, Path | None] = field(default_factory=dict)

    def prepared(self, src: str, chapter: Path, line: int | None) -> Path | None:
        """The file to embed for `src`: resolved, then no larger than the page needs. A picture
        whose header reads but whose pixels are damaged shows only now, when it is decoded."""
        path = self.resolve(src, chapter, line)
        if path is None:
            return None
        try:
            return downsample(path, self.largest, self.manuscript)
        except (OSError, SyntaxError, ValueError) as exc:
            raise BookError(chapter, f"image '{src}': damaged picture ({exc})", line) from None

    def resolve(self, src: str, chapter: Path, line: int | None) -> Path | None:
        """The local file for `src`, or None for a remote picture that could not be fetched."""
        if hidden := next((c for c in src if unicodedata.category(c) in ("Cc", "Cf")), None):
            name = unicodedata.name(hidden, "a control character")
            raise BookError(chapter, f"image '{src}' has an invisible character in it (U+{ord(hidden):04X} "
                            f"{name}); type the address again without it", line)
        scheme = urlsplit(src).scheme.lower()
        if scheme in ("http", "https"):
            if (problem := _unfetchable(src)) is not None:
                raise BookError(chapter, f"image '{src}': {problem}", line)
            if src not in self._seen:
                self._seen[src] = self._remote(src, chapter, line)
            return self._seen[src]
        if scheme or src.startswith("/") or os.path.isabs(src):
            raise BookError(chapter, f"image '{src}': {ALLOWED_SOURCES}", line)
        return self._local(unquote(src), chapter, line)

    def _local(self, src: str, chapter: Path, line: int | None) -> Path:
        path = resolved_inside(chapter.parent / src, self.manuscript)
        if path is None:
            raise BookError(chapter, f"image '{src}' is outside the manuscript folder", line)
        if not path.is_file():
            raise BookError(chapter, f"image '{src}' not found", line)
        try:
            check_image(path)
        except NotAnImageError as exc:
            raise BookError(chapter, f"image '{src}': {exc}", line) from None
        return path

    def _remote(self, url: str, chapter: Path, line: int | None) -> Path | None:
        cache = cache_folder(self.manuscript, CACHE_DIR)
        key = hashlib.sha256(url.encode()).hexdigest()[:24]
        cached = cached_entry(cache, key, is_picture)
        if cached is not None:
            return cached[0]
        where = f"{display_path(chapter)}:{line}" if line else display_path(chapter)
        if self.offline:
            log.warning("%s: warning: image not fetched (offline), printing a placeholder: %s", where, url)
            return None
        try:
            data = _download(url)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            self.offline = isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError)
            reason = getattr(exc, "reason", exc)
            log.warning("%s: warning: image not fetched (%s), printing a placeholder: %s", where, reason, url)
            return None
        return _store(cache, key, data, where, url)


def _unfetchable(url: str) -> str | None:
    """Why `url` cannot be asked for, or None: no host, or one that is no domain name."""
    try:
        return None if _ascii_url(url) else "the address has no host"
    except (UnicodeError, ValueError):
        return "the host is not a valid domain name"


def _ascii_url(url: str) -> str:
    """`url` as HTTP sends it: an internationalised host in its ASCII (punycode) form, the
    path and query %-encoded; an empty string when the URL has no host."""
    parts = urlsplit(url)
    if not parts.hostname:
        return ""
    host = parts.hostname.encode("idna").decode("ascii")
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, quote(parts.path, URL_SAFE), quote(parts.query, URL_SAFE), ""))


def fetch_limits() -> tuple[float, int]:
    """The deadline (seconds) and the cap (bytes) of one picture's fetch: FETCH_DEADLINE and
    MAX_DOWNLOAD, unless the environment sets ZHPRESS_FETCH_DEADLINE or ZHPRESS_FETCH_MAX_BYTES.
    The environment, not book.yaml: the limits protect the publisher's machine from the
    manuscript, so the manuscript must not be the one to set them."""
    deadline, cap = os.environ.get(DEADLINE_VARIABLE, ""), os.environ.get(CAP_VARIABLE, "")
    try:
        seconds = float(deadline) if deadline else FETCH_DEADLINE
        size = int(cap) if cap else MAX_DOWNLOAD
    except ValueError:
        seconds = size = 0
    if not 0 < seconds < float("inf") or size <= 0:
        raise BookError(None, f"{DEADLINE_VARIABLE} must be a number of seconds and {CAP_VARIABLE} a number of "
                        f"bytes, both above 0 (got {deadline!r} and {cap!r})")
    return seconds, size


def _download(url: str) -> bytes:
    """A picture's bytes, within the fetch limits. urllib's timeout bounds each read, not the
    whole: a server sending a byte every few seconds (headers included) would hold the build
    forever. So the fetch runs in a daemon thread that we stop waiting for at the deadline,
    and that stops reading on its own once past it."""
    seconds, size = fetch_limits()
    outcome: list[bytes | Exception] = []
    thread = threading.Thread(target=_fetch_into, args=(url, seconds, size, outcome), daemon=True)
    thread.start()
    thread.join(seconds)
    if not outcome:
        raise TimeoutError(f"not received within {seconds} s")
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]


def _fetch_into(url: str, seconds: float, size: int, outcome: list[bytes | Exception]) -> None:
    try:
        outcome.append(_read_capped(url, seconds, size))
    except Exception as exc:  # handed to the waiting thread, which reports it
        outcome.append(exc)


def _read_capped(url: str, seconds: float, size: int) -> bytes:
    """The response body, refused as soon as it is known to pass `size` bytes or `seconds`."""
    deadline = time.monotonic() + seconds
    too_large = OSError(f"larger than {size:,} bytes")
    request = urllib.request.Request(_ascii_url(url), headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > size:
            raise too_large
        data = bytearray()
        while chunk := response.read1(READ_CHUNK):  # read1: what one read gives, not a full chunk
            data += chunk
            if len(data) > size:
                raise too_large
            if time.monotonic() > deadline:
                raise TimeoutError(f"not received within {seconds} s")
    return bytes(data)


def _store(cache: Path, key: str, data: bytes, where: str, url: str) -> Path | None:
    """Keep a download only once Pillow accepts it, every pixel decoded: a body cut short
    (no Content-Length to tell) kept in the cache would stop every later build."""
    try:
        fmt = check_image(io.BytesIO(data))
        _decode(data)
    except NotAnImageError as exc:
        log.warning("%s: warning: %s is %s; printing a placeholder", where, url, exc)
        return None
    return store_entry(cache, key, data, FORMAT_SUFFIX[fmt])


def _decode(data: bytes) -> None:
    """Decode every pixel of a picture check_image accepted, or raise NotAnImageError."""
    try:
        with Image.open(io.BytesIO(data)) as image, strict_decoding():
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise NotAnImageError(f"a damaged picture ({exc})") from None


@contextlib.contextmanager
def strict_decoding() -> Iterator[None]:
    """Pillow refusing a file cut short while decoding, although WeasyPrint, once imported,
    tells it to accept one (ImageFile.LOAD_TRUNCATED_IMAGES) and print the rest grey."""
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def is_picture(data: bytes) -> bool:
    """Whether a cache entry is a picture we would have kept (a stranger's cache may hold anything)."""
    try:
        check_image(io.BytesIO(data))
    except NotAnImageError:
        return False
    return True


def print_pixels(width_mm: float, height_mm: float) -> tuple[int, int]:
    return round(width_mm / 25.4 * PRINT_DPI), round(height_mm / 25.4 * PRINT_DPI)


def downsample(path: Path, largest: tuple[int, int], manuscript: Path) -> Path:
    """Resample a picture larger than `largest` once, keyed by its bytes and the size, into
    the manuscript's cache of prepared pictures. One small enough is decoded all the same:
    WeasyPrint embeds a JPEG's bytes as they are, so a truncated one would print half grey."""
    with Image.open(path) as image, strict_decoding():
        if image.width <= largest[0] and image.height <= largest[1]:
            image.load()
            return path
        cache = cache_folder(manuscript, PREPARED_DIR)
        key = hashlib.sha256(path.read_bytes() + repr(largest).encode()).hexdigest()[:24]
        cached = cached_entry(cache, key, is_picture)
        if cached is not None:
            return cached[0]
        keeps_alpha = image.mode in ("RGBA", "LA", "P")
        image.thumbnail(largest, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if keeps_alpha:
            image.save(buffer, "PNG", optimize=True)
        else:
            image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return store_entry(cache, key, buffer.getvalue(), ".png" if keeps_alpha else ".jpg")
