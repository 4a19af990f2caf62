"""Writing output files so that a failed build never leaves a half-written or missing book."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def resolved_inside(path: Path, folder: Path) -> Path | None:
    """`path` with every symbolic link followed, or None when that leads out of `folder`: a
    link in a stranger's manuscript (a chapter, a picture, the cover) must not bring in the
    rest of the machine. Chapters, covers and pictures are all resolved by this one rule."""
    real = path.resolve()
    return real if real.is_relative_to(folder.resolve()) else None


def build_time() -> dt.datetime:
    """The time a build says it was made: SOURCE_DATE_EPOCH when set, for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
