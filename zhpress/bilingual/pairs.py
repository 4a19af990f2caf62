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
# What tells a picture's credit line from a paragraph of text: a credit's shape as clippers save
# it (`Emin Özmen / Magnum Photos`, `© AP`) or a line that opens saying what it is (`Photo:`,
# `Photograph by`, `Illustration by`, `Credit:`, `Courtesy of`) or an agency's name alone. A
# word in a line (`via`, `images`) is as likely in a sentence of the story.
CREDIT_LINE = re.compile(r".*(?: / |©)|(?:photo(?:graph)?s?|illustrations?|image|credits?)(?:\s*:|\s+by\b)"
                         r"|courtesy\s+of\b|(?:getty images|reuters|ap|afp|associated press)\W*$", re.IGNORECASE)


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
    # The original's figures print in the translation's chapter, and are credited to it.
    figures = {f.id: f for f in translation.figures}
    figures |= {f.id: dataclasses.replace(f, chapter_id=translation.id) for f in original.figures}
    pair_warnings = [pair_warning(pairs, i, ours, theirs, *names) for i in range(len(pairs))]
    for index, ours_id, theirs_id in _figure_pairs(translation, original, pairs):
        mine, other = figures[ours_id], figures[theirs_id]
        if mine.credit is None:  # the picture-credits page gives the original's credit
            figures[ours_id] = dataclasses.replace(mine, credit=other.credit)
        if (mine.src or mine.original_src) != (other.src or other.original_src) and not pairs[index].confirmed:
            lines = ours[pairs[index].translation[0]].line, theirs[pairs[index].original[0]].line
            pair_warnings[index] = (
                f"{names[0]}:{lines[0]}: warning: [B006] the figure here ({mine.original_src}) pairs with another "
                f"picture in the original ({names[1]}:{lines[1]}: {other.original_src}), which is left out")
    alignment = ChapterAlignment(
        translation.path, original.path, tuple(ours), tuple(theirs), tuple(pairs), tuple(pair_warnings),
        tuple(_first_words(e) for e in translation.body), tuple(_first_words(e) for e in original.body),
    )
    body = paired_body(translation, original, pairs, language)  # moves both bodies' blocks
    chapter = dataclasses.replace(
        translation, body=body, source=_merged_source(translation.source, original.source), original=original,
        figures=tuple(figures[f.get("id")] for f in body.iter("figure") if f.get("id") in figures),
    )
    return chapter, alignment


def _figure_pairs(translation: Chapter, original: Chapter, pairs: list[Pair]) -> list[tuple[int, str, str]]:
    """Each pair of figures: its index, the translation's figure's id and the original's."""
    ours, theirs = list(translation.body), list(original.body)
    found = []
    for index, pair in enumerate(pairs):
        if pair.shape == (1, 1) and ours[pair.translation[0]].tag == theirs[pair.original[0]].tag == "figure":
            found.append((index, ours[pair.translation[0]].get("id"), theirs[pair.original[0]].get("id")))
    return found


def credit_lines_as_captions(original: Chapter) -> Chapter:
    """The English clipping's credit line under a picture (credit and caption in English, which
    figures.py cannot split as it splits a Chinese one) printed as the figure's caption in place
    of its alt text, so it pairs with nothing else, and kept as its credit for the
    picture-credits page."""
    figures = {f.id: f for f in original.figures}
    for element in list(original.body):
        figure = figures.get(element.get("id") or "") if element.tag == "figure" else None
        line = element.getnext()
        if figure is None or line is None or line.tag != "p" or len(line):
            continue
        text = " ".join((line.text or "").split())
        if len(text) > MAX_CREDIT_LINE or not CREDIT_LINE.match(text):
            continue
        figures[figure.id] = dataclasses.replace(figure, credit=figure.credit or text)
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
            caption = others[0].findtext("figcaption/span[@class='caption']")
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
