"""Reading the user's text files: UTF-8 only, with a useful word when a file is not."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from ..errors import BookError, display_path

log = logging.getLogger(__name__)

# Encodings Chinese text files are commonly saved in by editors other than UTF-8 ones, as we
# name them: strict GBK (GB18030 decodes nearly anything, see _guess_encoding) and Big5.
LIKELY_ENCODINGS = (("GBK/GB18030", "gbk"), ("Big5", "big5"))
# Simplified text in GBK is nearly all GB2312; Big5 bytes read as GBK are not (measured: 0.4-0.6).
MIN_GB2312_SHARE = 0.9
# Characters XML 1.0 forbids: an EPUB containing one is not well-formed.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_text(path: Path) -> str:
    """Decode a UTF-8 file, naming the encoding it looks like when it is not UTF-8.

    A build reads each file more than once (its text, then its glyphs): the decoded text is
    kept per file version so its warnings are given once.
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise BookError(path, "file not found") from None
    except OSError as exc:
        raise BookError(path, f"cannot read file: {exc.strerror}") from None
    return _decoded(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4096)
def _decoded(path: Path, mtime_ns: int, size: int) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BookError(path, f"cannot read file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        guess = _guess_encoding(data)
        hint = f"it looks like {guess}; " if guess else ""
        raise BookError(
            path, f"not UTF-8 text ({hint}save it as UTF-8 and build again)", line
        ) from None
    # Windows line ends, and classic Mac OS's bare CR (as pandoc reads them): lines, front matter included.
    return _drop_illegal_characters(text.replace("\r\n", "\n").replace("\r", "\n"), path)


def _guess_encoding(data: bytes) -> str | None:
    """The name of the encoding `data` looks saved in. GB18030 decodes almost any bytes, so
    it comes last: Big5 (Traditional) is told from GBK by how much of the text GBK would
    make common Simplified characters (GB2312's), UTF-16 without a BOM by its NUL bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\0" in data and len(data) % 2 == 0):
        return "UTF-16"
    decoded = {name: _decoded_as(data, codec) for name, codec in LIKELY_ENCODINGS}
    if decoded["GBK/GB18030"] is not None and (
        decoded["Big5"] is None or _common_simplified_share(decoded["GBK/GB18030"]) >= MIN_GB2312_SHARE
    ):
        return "GBK/GB18030"
    if decoded["Big5"] is not None:
        return "Big5"
    return "GBK/GB18030" if _decoded_as(data, "gb18030") is not None else None


def _decoded_as(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _common_simplified_share(text: str) -> float:
    """The share of non-ASCII characters that GB2312 (common Simplified Chinese) holds."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 1.0
    return sum(1 for c in wide if _decoded_as(c.encode("gb18030"), "gb2312") is not None) / len(wide)


def _drop_illegal_characters(text: str, path: Path) -> str:
    """Remove control characters XML cannot hold, saying where each was."""
    for match in XML_ILLEGAL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        log.warning(
            "%s:%d: warning: removed control character U+%04X",
            display_path(path), line, ord(match.group()),
        )
    return XML_ILLEGAL.sub("", text)
