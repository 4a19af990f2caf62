"""Caches kept inside a manuscript folder: content-addressed, verified on read, never via a link.

The manuscript, and its `.cache` with it, may come from a stranger or from a crashed build.
Each entry is named `<key>.<digest><suffix>`, where the digest is the SHA-256 of its bytes:
what is read must hash to its name, or the entry is discarded with a warning and made again.
Entries are opened without following a symbolic link, written whole under a temporary name,
and a cache folder must not lead out of the manuscript (the build would write there).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..errors import BookError, display_path
from ..files import atomic_output, resolved_inside

log = logging.getLogger(__name__)

DIGEST_CHARS = 32


def cache_folder(manuscript: Path, relative: str) -> Path:
    """`manuscript/relative`, created if missing; an error when it (or a folder on the way,
    `.cache` itself included) is a symbolic link leading out of the manuscript."""
    folder = manuscript / relative
    if resolved_inside(folder, manuscript) is None:
        raise BookError(folder, "cache folder leads out of the manuscript folder (a symbolic link); "
                        "delete it and build again")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cached_entry(folder: Path, key: str, accept: Callable[[bytes], bool]) -> tuple[Path, bytes] | None:
    """The intact entry stored under `key` and its bytes, or None. An entry is intact when it
    is a regular file whose bytes hash to its name and that `accept` takes (a picture Pillow
    reads, text that decodes); any other is deleted with a warning."""
    for path in sorted(folder.glob(f"{key}.*")) if folder.is_dir() else []:
        data = _read_entry(path)
        if data is not None and _digest(data) == path.name.split(".")[1] and accept(data):
            return path, data
        log.warning("%s: warning: damaged cache entry discarded; it is made again", display_path(path))
        with contextlib.suppress(IsADirectoryError):  # a folder is never read; leave it
            path.unlink(missing_ok=True)
    return None


def store_entry(folder: Path, key: str, data: bytes, suffix: str) -> Path:
    """Keep `data` as `key.<digest><suffix>`, written whole or not at all."""
    path = folder / f"{key}.{_digest(data)}{suffix}"
    with atomic_output(path) as temporary:
        temporary.write_bytes(data)
    return path


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]


def _read_entry(path: Path) -> bytes | None:
    """The bytes of a regular file named as an entry, or None for anything else: a symbolic
    link (O_NOFOLLOW refuses it), a folder, a file named otherwise."""
    if len(path.name.split(".")) != 3:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return file.read()
