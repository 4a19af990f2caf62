"""A manuscript folder opened once per command: its validated book.yaml and its chapters,
read. `build`, `check` and `dist` all start here and pass it down, so the configuration
is read, and each chapter file, one time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import BookConfig, load_config
from .chapters import ChapterText, chapter_paths, read_chapter


@dataclass(frozen=True)
class Manuscript:
    config: BookConfig
    texts: tuple[ChapterText, ...]  # the chapters in reading order

    @property
    def folder(self) -> Path:
        return self.config.folder


def open_manuscript(folder: Path, draft: bool = False) -> Manuscript:
    """Read and validate `folder`'s book.yaml and its chapters; `draft` is --draft."""
    config = load_config(folder, draft)
    return Manuscript(config, tuple(read_chapter(path) for path in chapter_paths(config)))
