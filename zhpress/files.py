"""Writing output files so that a failed build never leaves a half-written or missing book."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import os
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from .errors import BookError

PART_SUFFIX = ".part"
# What a full disk, a read-only folder or a file name too long for it gives while writing.
UNWRITABLE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENAMETOOLONG}
# The outputs being written together (see outputs_together): path → its finished temporary file.
_TOGETHER: ContextVar[dict[Path, Path | None] | None] = ContextVar("outputs_together", default=None)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only if the block succeeds
    (or, for an output of `outputs_together`, once all of them have). A folder that cannot
    be written to is one line naming the file, not a traceback."""
    with unwritable_is_an_error(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART_SUFFIX, dir=path.parent)
        os.close(fd)
    temporary = Path(name)
    try:
        with unwritable_is_an_error(path):
            yield temporary
            os.chmod(temporary, 0o644)
            together = _TOGETHER.get()
            if together is not None and path in together:
                together[path] = temporary
            else:
                os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def unwritable_is_an_error(path: Path) -> Iterator[None]:
    """A full disk or a read-only folder while writing `path` (or a temporary file beside it)
    becomes a BookError naming it; an OSError about a file elsewhere passes on as it is."""
    try:
        yield
    except OSError as exc:
        ours = exc.filename is None or path.parent in (Path(exc.filename), Path(exc.filename).parent)
        if exc.errno not in UNWRITABLE or not ours:
            raise
        raise BookError(path, f"cannot write the file: {exc.strerror} (the previous one, if any, is kept)") from None


@contextlib.contextmanager
def outputs_together(paths: list[Path]) -> Iterator[None]:
    """Write `paths` all or none: a PDF must not be renewed beside an EPUB whose build then
    failed. Their files are renamed into place when the block ends; a failure anywhere in
    it removes every one written, and the previous outputs stay as they were."""
    together: dict[Path, Path | None] = dict.fromkeys(paths)
    token = _TOGETHER.set(together)
    try:
        yield
    except BaseException:
        for temporary in together.values():
            if temporary is not None:
                temporary.unlink(missing_ok=True)
        raise
    finally:
        _TOGETHER.reset(token)
    for path, temporary in together.items():
        if temporary is not None:
            os.replace(temporary, path)


def remove_leftovers(path: Path) -> None:
    """Temporary files a killed build left beside `path`: a hard kill skips every cleanup."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*{PART_SUFFIX}"):
        leftover.unlink(missing_ok=True)


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
