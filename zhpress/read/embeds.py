"""Obsidian's `![[picture.png]]`, found the way Obsidian finds it, and only inside the
manuscript: the note's own folder, then the attachment folder book.yaml names, then a file
of that name anywhere in the manuscript, if there is exactly one."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..errors import BookError, display_path

PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".tif", ".tiff", ".avif")
SKIPPED_FOLDERS = (".cache", ".obsidian", ".trash", ".git")


def embedded_picture(src: str, chapter: Path, folder: Path, attachments: str | None, line: int | None) -> str:
    """The picture `![[src]]` names, as a path relative to the chapter's folder."""
    name = unquote(src)
    if PurePosixPath(name).suffix.lower() not in PICTURE_SUFFIXES:
        raise BookError(chapter, f"![[{name}]] embeds a note, and a book does not take in other notes: "
                        "copy the text you want into the chapter", line)
    places = [chapter.parent, *([folder / attachments] if attachments else []), folder]
    for place in places:
        if _usable(place / name, folder):
            return _relative(place / name, chapter.parent)
    found = sorted(p for p in folder.rglob(PurePosixPath(name).name) if _usable(p, folder) and not _skipped(p, folder))
    if len(found) > 1:
        listed = ", ".join(display_path(p) for p in found)
        raise BookError(chapter, f"![[{name}]] could be any of {len(found)} files ({listed}): "
                        "write its folder too, as in ![[folder/name.png]]", line)
    if not found:
        raise BookError(chapter, f"![[{name}]]: no such picture in the chapter's folder"
                        f"{', the attachments folder' if attachments else ''} or anywhere in the manuscript", line)
    return _relative(found[0], chapter.parent)


def _usable(path: Path, folder: Path) -> bool:
    return path.is_file() and path.resolve().is_relative_to(folder.resolve())


def _skipped(path: Path, folder: Path) -> bool:
    return any(part in SKIPPED_FOLDERS for part in path.relative_to(folder).parts)


def _relative(path: Path, start: Path) -> str:
    return PurePosixPath(os.path.relpath(path, start)).as_posix()
