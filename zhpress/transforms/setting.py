"""What a transform may need besides the chapter: the build's pictures and the edition."""

from __future__ import annotations

from dataclasses import dataclass

from ..editions import Edition
from ..read.images import ImageResolver


@dataclass(frozen=True)
class Setting:
    resolver: ImageResolver  # fetches, checks and sizes the chapter's pictures
    edition: Edition  # its labels and quotation marks
    measure: float  # the print text block's width, mm: what a table must fit
    attachments: str | None = None  # book.yaml's folder for Obsidian's attachments
