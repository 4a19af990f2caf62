"""The transforms every book goes through, in order, once, for both outputs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config import BookConfig
from ..model import Chapter
from .callouts import callout_boxes
from .convert import convert_text
from .figures import build_figures
from .links import link_notes
from .setting import Setting
from .structure import scope_chapter
from .tables import mark_tables
from .typography import bind_dashes, chinese_quotes, compress_punctuation, space_han_latin


def _always(_: BookConfig) -> bool:
    return True


@dataclass(frozen=True)
class Transform:
    """One rewrite of a chapter, run when the book's configuration enables it."""

    run: Callable[..., Chapter]
    enabled: Callable[[BookConfig], bool] = _always
    needs_setting: bool = False  # called with the build's Setting (pictures, edition) too
    for_originals: bool = False  # run on an English original too (the bilingual edition's)


# Ids and heading levels first, and callouts made boxes; the edition's conversion of the text
# (none in the main edition), so that everything after sees the edition's characters; figures
# next (their credit lines are text the others must not touch as body text), tables marked
# while their cells hold only the manuscript's text, then links to
# notes, then typography over everything, notes and captions included: quotes first, since
# compression must see the full-width marks they become. An English original gets the
# structure, its figures, tables and link notes, and keeps its text as the clipper saved it.
TRANSFORMS: tuple[Transform, ...] = (
    Transform(scope_chapter, for_originals=True),
    Transform(callout_boxes, for_originals=True),
    Transform(convert_text, needs_setting=True),
    Transform(build_figures, needs_setting=True, for_originals=True),
    Transform(mark_tables, needs_setting=True, for_originals=True),
    Transform(link_notes, for_originals=True),
    Transform(chinese_quotes, needs_setting=True),
    Transform(compress_punctuation, needs_setting=True),
    Transform(space_han_latin, enabled=lambda config: config.han_latin_space),
    Transform(bind_dashes),
)


def transform_chapter(chapter: Chapter, setting: Setting, config: BookConfig, original: bool = False) -> Chapter:
    """`chapter` through every transform `config` enables, in order; an English `original`
    through those made for originals."""
    for transform in TRANSFORMS:
        if transform.enabled(config) and (transform.for_originals or not original):
            arguments: tuple[Any, ...] = (setting,) if transform.needs_setting else ()
            chapter = transform.run(chapter, *arguments)
    return chapter
