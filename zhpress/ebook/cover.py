"""A cover for books that bring none: title, original title and names, set in the book's faces."""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from ..cjk import CLOSING_MARKS, OPENING_MARKS
from ..editions import Edition
from ..model import Book
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
# Particles and postpositions that lean on the word before them (a title line may not start
# with one: 丝绸之路／上的), and the marks inside a transcribed name (巴沙尔·阿萨德).
LEANING = {"的", "之", "了", "着", "过", "地", "得", "们", "上", "里", "中"}
NAME_JOINERS = set("·・‧-")


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
    title_lines: Sequence[str] | None = None  # book.yaml's cover_title_lines

    @classmethod
    def of(cls, book: Book) -> CoverText:
        """What a drawn cover prints of `book`, in its edition."""
        config = book.config
        return cls(config.title, config.subtitle, config.original_title, book.authors, config.translators,
                   config.publisher, book.edition, config.cover_title_lines)


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
    for step in _sizes(size, smallest):
        font = _font(face, step)
        lines = wrap(text, font, width)
        if len(lines) <= max_lines:
            break
    return font, lines


def _title_lines(text: CoverText, width: float, bold: Face, unit: float) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """One line when the title fits at a display size; else book.yaml's cover_title_lines, or
    lines broken between words and balanced (a greedy wrap gives 阿萨德家／族的覆灭)."""
    for size in range(round(220 * unit), round(150 * unit), -max(1, round(10 * unit))):
        font = _font(bold, size)
        if _width(font, text.title) <= width:
            return font, [text.title]
    if text.title_lines:
        return _fitting(bold, text.title_lines, width, round(200 * unit), round(90 * unit)) or (
            _font(bold, round(90 * unit)), list(text.title_lines))
    units = title_units(text.title)
    # Two lines down to three quarters of the display size before three lines.
    for count, smallest in ((2, 150), (3, 90)):
        for size in _sizes(round(200 * unit), round(smallest * unit)):
            font = _font(bold, size)
            lines = balanced_lines(units, font, min(count, len(units)))
            if max(_width(font, line) for line in lines) <= width:
                return font, lines
    font = _font(bold, round(90 * unit))  # a word wider than the cover: only then break inside one
    return font, wrap_chinese(text.title, font, width)


def _sizes(largest: int, smallest: int) -> list[int]:
    """Type sizes from `largest` down to `smallest`, a step of 8% each."""
    sizes = [largest]
    while int(sizes[-1] * 0.92) >= smallest:
        sizes.append(int(sizes[-1] * 0.92))
    return sizes


def _fitting(face: Face, lines: Sequence[str], width: float, largest: int,
             smallest: int) -> tuple[ImageFont.FreeTypeFont, list[str]] | None:
    """The largest size at which every one of `lines` fits `width`."""
    for size in _sizes(largest, smallest):
        font = _font(face, size)
        if max(_width(font, line) for line in lines) <= width:
            return font, list(lines)
    return None


def title_units(title: str) -> list[str]:
    """The title's unbreakable pieces: its words (rjieba's segmentation), with each mark and
    particle kept on the side it leans to, so no line starts with 的 or a closing mark, ends with
    an opening one, or splits a name at its ·."""
    import rjieba  # its dictionary takes a fifth of a second to load, and few covers need it

    units: list[str] = []
    glue_next = False
    for word in rjieba.cut(title):
        leans_back = word[0] in NO_LINE_START or word in LEANING or word[0] in NAME_JOINERS
        if units and not word.isspace() and (glue_next or leans_back):
            units[-1] += word
        else:
            units.append(word)
        glue_next = word[-1] in NO_LINE_END or word[-1] in NAME_JOINERS
    return units


def balanced_lines(units: Sequence[str], font: ImageFont.FreeTypeFont, count: int) -> list[str]:
    """`units` set in `count` lines, broken where the longest line is shortest, then where the
    lines are most even."""
    widths = [_width(font, u) for u in units]
    best: tuple[tuple[float, float], list[str]] | None = None
    for cuts in itertools.combinations(range(1, len(units)), count - 1):
        bounds = list(zip((0, *cuts), (*cuts, len(units)), strict=True))
        lines = ["".join(units[a:b]).strip() for a, b in bounds]
        if not all(lines):
            continue
        line_widths = [sum(widths[a:b]) for a, b in bounds]
        key = (max(line_widths), sum(w * w for w in line_widths))
        if best is None or key < best[0]:
            best = (key, lines)
    return best[1] if best else ["".join(units).strip()]


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
    title_font, title_lines = _title_lines(text, measure, faces.song_bold, unit)
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
