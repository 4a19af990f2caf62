"""The print edition's sizes that code and stylesheet share, declared here once: the page's
head and foot margins (running heads and folios live there, and `check` reads them off)
and how tall a figure may print (the print HTML's stylesheet sets it; pictures are
resampled for it)."""

from __future__ import annotations

from ..config import TRIM_SIZES, BookConfig, millimetres
from ..read.images import print_pixels

HEAD_MARGIN_MM = FOOT_MARGIN_MM = 20
# 开本 as mainland copyright pages print it: the full sheet a trim is cut from, and how many
# pages (one side of a leaf each) it gives; 印张 = pages ÷ that number. 6×9 in has no such sheet.
FORMATS = {
    "32k-large": ("850mm×1168mm", 32),
    "32k": ("787mm×1092mm", 32),
    "a5": ("890mm×1240mm", 32),
    "16k": ("787mm×1092mm", 16),
}
FIGURE_MAX_HEIGHT_MM = 95


def page_size(config: BookConfig) -> str:
    """The trim as CSS's `@page { size }` takes it: `140mm 203mm`."""
    width, height = TRIM_SIZES[config.trim]
    return f"{width} {height}"


def text_width(config: BookConfig) -> float:
    """The text block's width in millimetres: the trim less the inner and outer margins."""
    width, _ = TRIM_SIZES[config.trim]
    return millimetres(width) - millimetres(config.inner_margin) - millimetres(config.outer_margin)


def largest_figure(config: BookConfig) -> tuple[int, int]:
    """Pixels of the largest figure at 300 dpi: the text block's width by the height cap."""
    return print_pixels(text_width(config), FIGURE_MAX_HEIGHT_MM)
