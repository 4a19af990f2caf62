"""Reading the user's text files: UTF-8 only, with a useful word when a file is not."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from ..errors import BookError, display_path

log = logging.getLogger(__name__)

# Encodings Chinese text files are commonly saved in by editors other than UTF-8 ones.
LIKELY_ENCODINGS = ("gb18030", "big5", "utf-16")
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
    return _drop_illegal_characters(text.replace("\r\n", "\n"), path)


def _guess_encoding(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for encoding in LIKELY_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return "GBK/GB18030" if encoding == "gb18030" else encoding.upper()
    return None


def _drop_illegal_characters(text: str, path: Path) -> str:
    """Remove control characters XML cannot hold, saying where each was."""
    for match in XML_ILLEGAL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        log.warning(
            "%s:%d: warning: removed control character U+%04X",
            display_path(path), line, ord(match.group()),
        )
    return XML_ILLEGAL.sub("", text)
