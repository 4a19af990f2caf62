"""The transforms every book goes through, in order, once, for both outputs."""

from __future__ import annotations

from ..model import Chapter
from ..read.images import ImageResolver
from .figures import build_figures
from .links import link_notes
from .structure import scope_chapter
from .typography import bind_dashes, chinese_quotes, compress_punctuation, space_han_latin


def transform_chapter(chapter: Chapter, resolver: ImageResolver, han_latin_space: bool = True) -> Chapter:
    """Ids and heading levels first; figures next (their credit lines are text the others must not touch as body text),
    then links to notes, then typography over everything, notes and captions included:
    quotes first, since compression must see the full-width marks they become."""
    chapter = scope_chapter(chapter)
    chapter = build_figures(chapter, resolver)
    chapter = link_notes(chapter)
    chapter = chinese_quotes(chapter)
    chapter = compress_punctuation(chapter)
    if han_latin_space:
        chapter = space_han_latin(chapter)
    return bind_dashes(chapter)
