"""A cover for books that bring none: title, original title and names, set in the book's faces."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from ..cjk import CLOSING_MARKS, OPENING_MARKS
from ..editions import Edition
from .fonts import BookFaces, Face, book_faces, find_font

# The size stores ask for (Kindle's 1600×2560, a 1:1.6 page).
COVER_SIZE = (1600, 2560)
MARGIN = 170
PAPER = (242, 237, 226)
INK = (38, 38, 38)
BAND = (44, 62, 80)
VERMILION = (178, 51, 43)
# Marks that may not start a line (禁则), and marks that may not end one.
NO_LINE_START = set(CLOSING_MARKS + "…—·,.;:?!)]")
NO_LINE_END = set(OPENING_MARKS + "([")


class CoverFontError(RuntimeError):
    """A face the cover is set in is not installed."""


@dataclass(frozen=True)
class CoverText:
    title: str
    subtitle: str | None
    original_title: str | None
    authors: Sequence[str]
    translators: Sequence[str]
    publisher: str | None
    edition: Edition  # the faces it is set in and the words after the names


def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    found = find_font(face)
    if found is None:
        raise CoverFontError(f"font '{face.pattern}' not found: install fonts-noto-cjk (make does this as root)")
    return ImageFont.truetype(str(found.path), size, index=found.index)


def _width(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text)


def wrap_chinese(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy lines of at most `width`, breaking between any two characters but never before a
    closing mark or after an opening one; Latin words stay whole."""
    tokens = _tokens(text)
    lines: list[str] = []
    line = ""
    for token in tokens:
        if line and _width(font, line + token) > width:
            carry = ""
            while line and (token[0] in NO_LINE_START or line[-1] in NO_LINE_END) and len(line) > 1:
                carry = line[-1] + carry
                line = line[:-1]
                if not carry or carry[0] not in NO_LINE_START:
                    break
            lines.append(line.rstrip())
            line = (carry + token).lstrip()
        else:
            line += token
    if line:
        lines.append(line)
    return lines


def _tokens(text: str) -> list[str]:
    """Characters, except that a run of Latin letters and digits is one unbreakable token."""
    tokens: list[str] = []
    for char in text:
        latin = char.isascii() and char.isalnum()
        if latin and tokens and tokens[-1][-1].isascii() and tokens[-1][-1].isalnum():
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def wrap_words(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Lines of whole words, each at most `width` (a longer word gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width(font, f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit(face: Face, text: str, width: float, size: int, smallest: int, max_lines: int, wrap) -> tuple:
    """The largest size from `size` down at which `text` takes at most `max_lines` lines."""
    while True:
        font = _font(face, size)
        lines = wrap(text, font, width)
        if len(lines) <= max_lines or size <= smallest:
            return font, lines
        size = int(size * 0.92)


def _title_lines(text: str, width: float, bold: Face, unit: float) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """One line when the title fits at a display size; else balanced lines of similar length
    (a greedy wrap leaves a short orphan: 阿萨德家族 / 的覆灭)."""
    for size in range(round(220 * unit), round(150 * unit), -max(1, round(10 * unit))):
        font = _font(bold, size)
        if _width(font, text) <= width:
            return font, [text]
    font, lines = _fit(bold, text, width, round(200 * unit), round(90 * unit), 3, wrap_chinese)
    return font, _balanced(text, font, width, lines, wrap_chinese)


def _balanced(text: str, font: ImageFont.FreeTypeFont, width: float, lines: list[str], wrap) -> list[str]:
    """The same number of lines as `lines`, made about equally long."""
    if len(lines) < 2:
        return lines
    target = min(width, _width(font, text) / len(lines) * 1.08)
    balanced = wrap(text, font, target)
    return balanced if len(balanced) == len(lines) else lines


def draw_cover(text: CoverText, size: tuple[int, int]) -> Image.Image:
    """A dark band with the Chinese title, then the original title and the names; laid out
    for 1600 pixels across and scaled to `size` (the print cover's front at 300 dpi)."""
    width, height = size
    unit = width / COVER_SIZE[0]
    margin = MARGIN * unit
    measure = width - 2 * margin
    faces: BookFaces = book_faces(text.edition)
    labels = text.edition.labels
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    band_bottom = int(height * 0.58)
    rule_top, rule_bottom = 300 * unit, 306 * unit
    draw.rectangle((0, 0, width, band_bottom), fill=BAND)
    draw.rectangle((margin, rule_top, width - margin, rule_bottom), fill=PAPER)
    draw.rectangle((width / 2 - 60 * unit, band_bottom - 120 * unit, width / 2 + 60 * unit, band_bottom - 112 * unit),
                   fill=VERMILION)

    # The title block (title, subtitle) centred between the rule and the red mark.
    title_font, title_lines = _title_lines(text.title, measure, faces.song_bold, unit)
    block = [(line, title_font, int(title_font.size * 1.3)) for line in title_lines]
    if text.subtitle:
        font, lines = _fit(faces.song, text.subtitle, measure, round(88 * unit), round(56 * unit), 2, wrap_chinese)
        block[-1] = (block[-1][0], block[-1][1], block[-1][2] + int(font.size * 0.8))
        block += [(line, font, int(font.size * 1.4)) for line in lines]
    block_height = sum(step for _, _, step in block) - (block[-1][2] - block[-1][1].size)
    y = rule_bottom + (band_bottom - 120 * unit - rule_bottom - block_height) / 2
    for line, font, step in block:
        draw.text((width / 2, y), line, font=font, fill=PAPER, anchor="ma")
        y += step

    y = band_bottom + 130 * unit
    if text.original_title:
        font, lines = _fit(faces.song, text.original_title, measure, round(84 * unit), round(48 * unit), 3,
                           wrap_words)
        lines = _balanced(text.original_title, font, measure, lines, wrap_words)
        for line in lines:
            draw.text((width / 2, y), line, font=font, fill=INK, anchor="ma")
            y += int(font.size * 1.35)
        y += 90 * unit
    names = []
    if text.authors:
        names.append(labels.name_separator.join(text.authors) + "　" + labels.written_by)
    if text.translators:
        names.append(labels.name_separator.join(text.translators) + "　" + labels.translated_by)
    for name_line in names:
        font, lines = _fit(faces.song, name_line, measure, round(66 * unit), round(40 * unit), 2, wrap_chinese)
        for line in lines:
            draw.text((width / 2, y), line, font=font, fill=INK, anchor="ma")
            y += int(font.size * 1.5)
    if text.publisher:
        font = _font(faces.song, round(56 * unit))
        draw.text((width / 2, height - 200 * unit), text.publisher, font=font, fill=VERMILION, anchor="ms")
    return image


def render_cover(text: CoverText) -> bytes:
    """The EPUB's cover: a 1600×2560 PNG of `draw_cover`."""
    image = draw_cover(text, COVER_SIZE)
    out = io.BytesIO()
    # A few dozen colours: a palette PNG is a third of the RGB one and just as sharp. The
    # octree picks them in 0.07 s where median cut took 0.35 s, with no visible difference;
    # zlib's default level writes 42 KB in 0.02 s where `optimize` took 0.12 s for 36 KB.
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(out, "PNG")
    return out.getvalue()
