"""Reading a built PDF's body text back as lines, to measure what a reader sees:
flush right edges, compressed punctuation pairs, line-breaking rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
BODY_SIZE = 10.5  # pt, print.css :root
INNER_MARGIN, OUTER_MARGIN = 20 * MM, 16 * MM  # print.css @page
CLOSING = "，。、；：！？）》」』】〕〉”’…—"
OPENING = "（《「『【〔〈“‘"
CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))
LIST_MARKER = re.compile(r"^(•|◦|▪|\d+\.)")


@dataclass
class Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    chars: list[dict]
    right_edge: float
    left_edge: float
    last_of_paragraph: bool = False

    @property
    def indented(self) -> bool:
        return self.x0 - self.left_edge > BODY_SIZE * 1.5


def body_lines(pdf_path: Path, first_page: int = 1) -> list[Line]:
    """Lines set at the body size, in reading order; a line is a paragraph's last when the
    next body line is indented or is not the next line of the same text block."""
    lines: list[Line] = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            if number < first_page:
                continue
            right_page = number % 2 == 1
            left_edge = INNER_MARGIN if right_page else OUTER_MARGIN
            right_edge = page.width - (OUTER_MARGIN if right_page else INNER_MARGIN)
            rows: dict[int, list[dict]] = {}
            for char in page.chars:
                if abs(char["size"] - BODY_SIZE) < 0.2 and char["text"].strip():
                    # Group by baseline: Kai and Song glyphs on one line have different tops.
                    rows.setdefault(round(page.height - char["matrix"][5]), []).append(char)
            for top in sorted(rows):
                chars = sorted(rows[top], key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                lines.append(Line(number, text, chars[0]["x0"], chars[-1]["x1"], top, chars, right_edge, left_edge))
    line_height = BODY_SIZE * 1.75
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        if following is None or following.indented or LIST_MARKER.match(following.text):
            line.last_of_paragraph = True
        elif following.page == line.page and following.top - line.top > line_height * 1.2:
            line.last_of_paragraph = True  # a figure, heading or table follows
        elif following.page != line.page and line.x1 < line.right_edge - BODY_SIZE:
            line.last_of_paragraph = True  # the paragraph ended at the foot of the page
    return lines


def ragged_lines(lines: list[Line], tolerance: float = 0.5) -> list[Line]:
    """Full lines (not a paragraph's last) whose last glyph misses the right edge."""
    return [ln for ln in lines if not ln.last_of_paragraph and abs(ln.right_edge - ln.x1) > tolerance]


def punctuation_pairs(lines: list[Line]) -> list[tuple[str, float]]:
    """Each pair of adjacent full-width marks on a line, with the first mark's advance in em."""
    pairs = []
    marks = CLOSING.replace("…", "").replace("—", "") + OPENING
    for line in lines:
        for a, b in zip(line.chars, line.chars[1:], strict=False):
            if a["text"] in marks and b["text"] in marks:
                pairs.append((a["text"] + b["text"], (b["x0"] - a["x0"]) / a["size"]))
    return pairs


def bad_line_starts(lines: list[Line]) -> list[Line]:
    """Lines that start with a closing or pause mark or a footnote call (禁则)."""
    return [ln for ln in lines if ln.text[0] in CLOSING + CIRCLED]


def bad_line_ends(lines: list[Line]) -> list[Line]:
    return [ln for ln in lines if ln.text[-1] in OPENING]


def runts(lines: list[Line]) -> list[Line]:
    """Paragraphs' last lines holding one character and nothing but closing marks after it (段末孤字:
    「信。”」)."""
    return [ln for ln in lines if ln.last_of_paragraph and len(ln.text.rstrip(CLOSING)) == 1]


def ink_spans(pdf_path: Path, marks: str, font: str, resolution: int = 300) -> list[tuple[float, float]]:
    """Where the ink of each body-size glyph of `marks` set in `font` (a base-name fragment) lies
    across its em box, left edge and right edge as fractions of the em: (0.3, 0.7) is centred."""
    spans = []
    scale = resolution / 72
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"] in marks and font in c["fontname"]
                     and abs(c["size"] - BODY_SIZE) < 0.2]
            if not chars:
                continue
            image = page.to_image(resolution=resolution).original.convert("L")
            for c in chars:
                box = image.crop((round(c["x0"] * scale), round(c["top"] * scale),
                                  round((c["x0"] + c["size"]) * scale), round(c["bottom"] * scale)))
                ink = box.point(lambda v: 255 if v < 128 else 0).getbbox()
                if ink:
                    spans.append((ink[0] / box.width, ink[2] / box.width))
    return spans
