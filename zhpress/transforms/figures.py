"""Figures: an image alone in its paragraph, with its caption and credit kept beside it."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import PurePosixPath

from lxml.html import HtmlElement
from lxml.html.builder import E

from ..cjk import CJK_SYMBOLS, FULL_WIDTH_FORMS, HAN, char_class
from ..editions import Labels
from ..errors import BookError, display_path
from ..model import Chapter, Figure
from ..read.embeds import PICTURE_SUFFIXES, embedded_picture
from ..read.images import ALLOWED_SOURCES
from .setting import Setting

log = logging.getLogger(__name__)

EMBED_CLASS = "embed"  # Obsidian's ![[picture.png]], as filters/obsidian.lua marks it

# The credit is the Latin-script run before the Chinese caption; digits glued to the first
# Han character (a year, a date) or an opening quote or title mark open the caption:
# `… Photos 2024年12月，…`, `… Reuters "自由叙利亚军"士兵…`, `… AP 《纽约时报》…`.
CREDIT_HEAD = re.compile(
    rf"(?P<credit>[A-Za-z\u00c0-\u024f][^{char_class(CJK_SYMBOLS, FULL_WIDTH_FORMS)}]*?)\s+"
    r"(?P<lead>[0-9.\-/]*[\"“‘《「『（(]*)",
    re.DOTALL,
)


def split_credit(text: str) -> tuple[str, str] | None:
    """`Emin Özmen / Magnum Photos 2024年12月，…` → (`Emin Özmen / Magnum Photos`, `2024年12月，…`)."""
    text = text.strip()
    first_han = HAN.search(text)
    if first_han is None:
        return None
    match = CREDIT_HEAD.fullmatch(text[: first_han.start()])
    if match is None:
        return None
    return match.group("credit").strip(), match.group("lead") + text[first_han.start() :]


def is_file_name(alt: str, src: str) -> bool:
    """Clippers fill alt text with the picture's file name, which says nothing to a reader."""
    alt = alt.strip()
    return not alt or alt.lower().endswith(PICTURE_SUFFIXES) or alt == PurePosixPath(src).name


def lone_image(p: HtmlElement) -> HtmlElement | None:
    """The `img` of a paragraph that holds nothing else."""
    children = list(p)
    if p.tag != "p" or len(children) != 1 or children[0].tag != "img":
        return None
    if (p.text or "").strip() or (children[0].tail or "").strip():
        return None
    return children[0]


def build_figures(chapter: Chapter, setting: Setting) -> Chapter:
    """Turn lone images into `figure` elements and record each as a Figure."""
    figures = []
    for p in list(chapter.body.iter("p")):
        img = lone_image(p)
        if img is None:
            continue
        original = img.get("src", "")
        if not original:  # nh3 removed a source with a scheme we refuse (file:, data:, javascript:)
            raise BookError(chapter.path, f"an image has no usable source: {ALLOWED_SOURCES}")
        number = len(figures) + 1
        line = chapter.line_of(original)
        if EMBED_CLASS in (img.get("class") or "").split():
            original = embedded_picture(original, chapter.path, setting.resolver.manuscript, setting.attachments, line)
        path = setting.resolver.prepared(original, chapter.path, line)
        credit_line = _credit_line(img, p.getnext())
        figure = _describe(f"{chapter.id}-fig{number}", chapter.id, img, credit_line, setting.edition.labels)
        figure = replace(figure, src=str(path) if path else None, original_src=original)
        if credit_line is not None:
            p.getparent().remove(credit_line)
        p.getparent().replace(p, _figure_element(figure, setting.edition.labels))
        figures.append(figure)
    _drop_inline_images(chapter)
    return replace(chapter, figures=tuple(figures))


def _drop_inline_images(chapter: Chapter) -> None:
    """A picture inside a line of text has no room for a caption or credit in a book."""
    for img in list(chapter.body.iter("img")):
        if img.get("data-figure"):
            continue
        src = img.get("src", "")
        line = chapter.line_of(src)
        where = f"{display_path(chapter.path)}:{line}" if line else display_path(chapter.path)
        log.warning("%s: warning: image '%s' is inside a paragraph of text and was left out; "
                    "give it a paragraph of its own to make it a figure", where, src)
        img.drop_tree()


def _credit_line(img: HtmlElement, following: HtmlElement | None) -> HtmlElement | None:
    """The clipper's credit-and-caption paragraph after the image, unless attributes say it all."""
    explicit = img.get("data-credit") is not None or img.get("data-caption") is not None
    if explicit or following is None or following.tag != "p" or len(following):
        return None
    return following if split_credit(following.text_content()) is not None else None


def _describe(fid: str, chapter_id: str, img: HtmlElement, credit_line: HtmlElement | None,
              labels: Labels) -> Figure:
    """Caption and credit: explicit attributes first, then the clipper's credit-and-caption line."""
    src = img.get("src", "")
    alt = img.get("alt", "")
    credit = img.get("data-credit")
    caption = img.get("data-caption")
    if credit_line is not None:
        credit, caption = split_credit(credit_line.text_content())  # type: ignore[misc]
    if caption is None and not is_file_name(alt, src):
        caption = alt.strip()
    if is_file_name(alt, src):
        alt = caption or (labels.picture_from.format(credit=credit) if credit else labels.picture)
    return Figure(fid, chapter_id, None, src, alt.strip(), caption, credit)


def _figure_element(figure: Figure, labels: Labels) -> HtmlElement:
    """Markup shared by both books; each output fills in `src` for the file it embeds."""
    if figure.src is not None:
        picture = E.img(alt=figure.alt, **{"data-figure": figure.id}, **_english(figure.alt))
    else:
        picture = E.div(
            E.span(labels.picture_not_fetched, {"class": "placeholder-label"}),
            E.span(figure.original_src, {"class": "url", "lang": "en"}),
            {"class": "figure-placeholder", "role": "img", "aria-label": figure.alt or labels.picture},
        )
    caption = E.figcaption()
    if figure.caption:
        caption.append(E.span(figure.caption, {"class": "caption", **_english(figure.caption)}))
    if figure.credit:
        caption.append(E.span(figure.credit, {"class": "credit", "lang": "en"}))
    return E.figure(picture, *( [caption] if len(caption) else []), id=figure.id)


def _english(text: str) -> dict[str, str]:
    """`lang="en"` for alt text or a caption the clipper kept in English (no Han in it), so a
    screen reader reads it with an English voice."""
    return {"lang": "en"} if text and not HAN.search(text) else {}
