"""A chapter beside its original: the two transformed chapters aligned, and one body made of
the pairs, each pair one element (`div.pair`) holding the original's blocks (`lang="en"`)
and the translation's, so that print, the EPUB and a reader's stylesheet treat it as a unit."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from lxml.html import HtmlElement
from lxml.html.builder import E

from ..errors import BookError, display_path
from ..model import ORIGINAL_CLASS, Chapter, Source
from ..read.markdown import without_code
from .align import Block, MarkerError, Pair, align, find_markers, markers_by_block, pair_warning
from .blocks import block_text, chapter_blocks

PAIR_CLASS = "pair"
ORIGINAL_LANGUAGE = "en"
FIRST_WORDS = 60  # characters of a block the alignment report shows
MAX_CREDIT_LINE = 300  # characters: a longer paragraph under a picture is text, not its caption
# What tells a picture's credit line from a paragraph of text: an agency's or photographer's
# credit as clippers save them (`Emin Özmen / Magnum Photos`, `Getty Images`, `© AP`).
CREDIT_WORDS = re.compile(r" / |©|\b(?:photo(?:graph)?s?|getty|images|courtesy|illustration|reuters|AP|AFP|via)\b",
                          re.IGNORECASE)


@dataclass(frozen=True)
class ChapterAlignment:
    """How one chapter pairs with its original, for the warnings and the alignment report."""

    translation_path: Path
    original_path: Path
    translation: tuple[Block, ...]
    original: tuple[Block, ...]
    pairs: tuple[Pair, ...]
    pair_warnings: tuple[str | None, ...]  # each pair's, if it warns
    translation_words: tuple[str, ...]  # each block's first words
    original_words: tuple[str, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for w in self.pair_warnings if w)


def aligned_chapter(translation: Chapter, original: Chapter, language: str) -> tuple[Chapter, ChapterAlignment]:
    """`translation` with a body of pairs, and the alignment it was made from."""
    original = credit_lines_as_captions(original)
    ours, theirs = chapter_blocks(translation), chapter_blocks(original)
    try:
        markers = find_markers(without_code(translation.markdown), translation.line_offset)
        pairs = align(ours, theirs, markers_by_block(markers, ours))
    except MarkerError as exc:
        raise BookError(translation.path, str(exc), exc.line) from None
    names = display_path(translation.path), display_path(original.path)
    alignment = ChapterAlignment(
        translation.path, original.path, tuple(ours), tuple(theirs), tuple(pairs),
        tuple(pair_warning(pairs, i, ours, theirs, *names) for i in range(len(pairs))),
        tuple(_first_words(e) for e in translation.body), tuple(_first_words(e) for e in original.body),
    )
    body = paired_body(translation, original, pairs, language)
    figures = {f.id: f for f in (*translation.figures, *original.figures)}
    chapter = dataclasses.replace(
        translation, body=body, source=_merged_source(translation.source, original.source), original=original,
        figures=tuple(figures[f.get("id")] for f in body.iter("figure") if f.get("id") in figures),
    )
    return chapter, alignment


def credit_lines_as_captions(original: Chapter) -> Chapter:
    """The English clipping's line under a picture (credit and caption in English, which
    figures.py cannot split as it splits a Chinese one) made the figure's caption in place of
    its alt text, so it prints with the figure and pairs with nothing else."""
    figures = {f.id: f for f in original.figures}
    for element in list(original.body):
        figure = figures.get(element.get("id") or "") if element.tag == "figure" else None
        line = element.getnext()
        if figure is None or line is None or line.tag != "p" or len(line):
            continue
        text = " ".join((line.text or "").split())
        if len(text) > MAX_CREDIT_LINE or not CREDIT_WORDS.search(text):
            continue
        figures[figure.id] = dataclasses.replace(figure, caption=text)
        figcaption = element.find("figcaption")
        if figcaption is None:
            figcaption = E.figcaption()
            element.append(figcaption)
        for old in figcaption.findall("span[@class='caption']"):
            figcaption.remove(old)
        figcaption.insert(0, E.span(text, {"class": "caption"}))
        original.body.remove(line)
    return dataclasses.replace(original, figures=tuple(figures.values()))


def paired_body(translation: Chapter, original: Chapter, pairs: list[Pair], language: str) -> HtmlElement:
    """One `div.pair` per pair: `div.original` then `div.translation`, each holding its blocks;
    a pair of figures is the translation's figure alone, with the original's caption added."""
    ours, theirs = list(translation.body), list(original.body)
    body = E.div()
    for pair in pairs:
        mine, others = [ours[i] for i in pair.translation], [theirs[j] for j in pair.original]
        if pair.shape == (1, 1) and mine[0].tag == others[0].tag == "figure":
            caption = next((f.caption for f in original.figures if f.id == others[0].get("id")), None)
            body.append(E.div(_with_original_caption(mine[0], caption), {"class": f"{PAIR_CLASS} pair-figure"}))
            continue
        wrapper = E.div({"class": PAIR_CLASS})
        if others:
            wrapper.append(E.div(*others, {"class": ORIGINAL_CLASS, "lang": ORIGINAL_LANGUAGE}))
        if mine:
            wrapper.append(E.div(*mine, {"class": "translation", "lang": language}))
        body.append(wrapper)
    return body


def _with_original_caption(figure: HtmlElement, caption: str | None) -> HtmlElement:
    """The figure with the original's caption after its own, before the credit."""
    if not caption:
        return figure
    figcaption = figure.find("figcaption")
    if figcaption is None:
        figcaption = E.figcaption()
        figure.append(figcaption)
    added = E.span(caption, {"class": "caption original-caption", "lang": ORIGINAL_LANGUAGE})
    credit = figcaption.find("span[@class='credit']")
    if credit is not None:
        credit.addprevious(added)
    else:
        figcaption.append(added)
    return figure


def _merged_source(ours: Source, theirs: Source) -> Source:
    """The translation's front matter, completed from the original's (clipped with it)."""
    return Source(**{f.name: getattr(ours, f.name) or getattr(theirs, f.name) for f in dataclasses.fields(Source)})


def _first_words(element: HtmlElement) -> str:
    text = " ".join(block_text(element).split())
    return text if len(text) <= FIRST_WORDS else text[:FIRST_WORDS] + "…"
