"""Errors a user can act on: each one prints as a single `path:line: error: message` line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class BookError(Exception):
    """A problem with the manuscript or its configuration; the build stops with exit status 2."""

    path: Path | str | None
    message: str
    line: int | None = None
    exit_code: int = 2

    def __str__(self) -> str:
        where = display_path(self.path) if self.path is not None else "zhpress"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: error: {self.message}"


class CheckFailedError(BookError):
    """A built file failed validation (EPUBCheck, PDF fonts): exit status 1, not a manuscript error."""

    def __init__(self, path: Path | str | None, message: str) -> None:
        super().__init__(path, message, None, 1)


def display_path(path: Path | str) -> str:
    """Paths relative to the working directory, as editors and terminals make them clickable;
    a symbolic link is named as the manuscript holds it, not by where it leads."""
    p = Path(path)
    try:
        return str(Path(os.path.abspath(p)).relative_to(Path.cwd()))
    except ValueError:
        return str(p)
