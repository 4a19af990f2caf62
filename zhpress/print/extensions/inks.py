"""Every colour the press PDF draws, in ink (see print/inks.py).

Text, borders and rules can be set in `device-cmyk()` by CSS, but WeasyPrint 70 draws some
things in sRGB that no stylesheet reaches: the crop marks (an SVG stroked "black" in
`draw/__init__.py`) and the SVG pictures (the notes' rule). `Stream.set_color` is where every
fill and stroke colour is written, so there each sRGB colour becomes its ink.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinycss2.color5 import Color
from weasyprint.pdf.stream import Stream

from ..inks import cmyk
from . import Patch

RGB_SPACES = ("srgb", "hsl", "hwb")


def patches(profile: Path) -> list[Patch]:
    original = Stream.set_color

    def set_color(self: Any, color: Any, stroke: bool = False) -> None:
        if color.space in RGB_SPACES:
            rgb = tuple(min(1.0, max(0.0, c)) for c in color.to("srgb").coordinates)
            color = Color("device-cmyk", cmyk(rgb, profile), color.alpha)
        original(self, color, stroke)

    return [Patch(Stream, "set_color", set_color)]
