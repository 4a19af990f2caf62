"""A manuscript folder opened once per command: its validated book.yaml and its chapters,
read. `build`, `check` and `dist` all start here and pass it down, so the configuration
is read, and each chapter file, one time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..config import BookConfig, load_config
from ..errors import display_path
from .chapters import ChapterText, chapter_paths, in_reading_order, read_chapter, titled_like_english

log = logging.getLogger(__name__)


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
    paths = chapter_paths(config)
    texts = in_reading_order([read_chapter(path) for path in paths])
    if config.chapters is None and all(t.order is None for t in texts) and titled_like_english(paths):
        log.warning("%s: warning: the chapters are in the order of their file names, A to Z by English "
                    "title: give each an 'order: 1', 'order: 2', … in its front matter, or list them under "
                    "'chapters' in book.yaml", display_path(folder / "chapters"))
    return Manuscript(config, tuple(texts))
