"""The temporary folders a build works in, and the ones a killed build left behind.

A hard kill (SIGKILL, a power cut) skips every cleanup, so a `zhpress-*` folder stays in the
system's temporary folder for good. Each one is named for the process that made it; the next
build removes those whose process is gone, and never a folder of a build still running, of
another user, or a link.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path

PREFIX = "zhpress-"
# `zhpress-<pid>-<random>`, as scratch_folder names them.
NAMED_FOR_PROCESS = re.compile(rf"{PREFIX}(\d+)-\w+")
# A `zhpress-*` folder named by an older version, without its process: removed once this old.
UNNAMED_STALE_AFTER = 24 * 3600


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for this build, named for its process; stale ones go first."""
    remove_stale_scratch()
    return tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-")


def remove_stale_scratch(root: Path | None = None) -> list[Path]:
    """Remove the `zhpress-*` folders in `root` (the temporary folder) that killed builds left;
    return them."""
    removed = []
    for folder in (root or Path(tempfile.gettempdir())).glob(f"{PREFIX}*"):
        try:
            info = folder.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and _stale(folder.name, info.st_mtime):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _stale(name: str, modified: float) -> bool:
    """Left by a build no longer running: its process is gone (or, for a folder that does not
    name its process, it is more than a day old)."""
    match = NAMED_FOR_PROCESS.fullmatch(name)
    if match is None:
        return time.time() - modified > UNNAMED_STALE_AFTER
    return not _running(int(match[1]))


def _running(pid: int) -> bool:
    """Whether process `pid` exists (another user's counts: signalling it is not allowed)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:  # a number no process can have
        return False
    return True
