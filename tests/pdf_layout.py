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
            calls = [c for c in page.chars if c["text"] in CIRCLED and c["size"] < BODY_SIZE - 2]
            for top in sorted(rows):
                chars = sorted(rows[top], key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                # A note call set after the line's last character ends the line (raised, smaller).
                ends = [chars[-1]["x1"]] + [c["x1"] for c in calls if c["x0"] >= chars[-1]["x0"]
                                            and -1 < top - (page.height - c["matrix"][5]) < BODY_SIZE / 2]
                lines.append(Line(number, text, chars[0]["x0"], max(ends), top, chars, right_edge, left_edge))
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
    """Full lines (not a paragraph's last) whose last glyph misses the right edge. A closing
    mark set half-width at the line's end (`halt`: 。 before （) shows the PDF reader its
    glyph's full width, so it reaches half an em past an edge its advance ends on."""
    return [ln for ln in lines if not ln.last_of_paragraph and abs(ln.right_edge - ln.x1) > tolerance
            and not (ln.text[-1] in CLOSING and abs(ln.x1 - ln.right_edge - BODY_SIZE / 2) <= tolerance)]


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


@dataclass
class ShortPage:
    page: int  # 1-based
    lines_left: float  # body lines that would still fit above the notes or the foot
    cause: str  # what opens the next page: figure, heading, table, chapter end, text


HEAD_FOOT = 20 * MM  # print/sizes.py HEAD_MARGIN_MM, FOOT_MARGIN_MM
NOTE_RULE_GAP = 3 * MM  # print.css @footnote margin-top: the rule is drawn this far below the text
NOTE_CALL_SIZE = 7.0  # print.css .note::footnote-call
BODY_HALF_LEADING = (1.75 - 1) / 2 * BODY_SIZE


def short_pages(pdf_path: Path, min_lines: float = 2.0) -> list[ShortPage]:
    """Pages that stop `min_lines` or more body lines above the foot of the text block (above
    the notes' rule, where there are notes), with what opens the page after them."""
    pitch = BODY_SIZE * 1.75
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        pages = list(pdf.pages)
        for number, page in enumerate(pages[:-1], start=1):
            rules = [r for r in page.rects if r["height"] < 1 and abs(r["width"] - 25 * MM) < 1]
            foot = rules[0]["top"] - NOTE_RULE_GAP if rules else page.height - HEAD_FOOT
            chars = [c for c in page.chars if c["text"].strip() and _within(c, foot)]
            if not any(abs(c["size"] - BODY_SIZE) < 0.2 for c in chars):
                continue  # not a page of body text
            bottoms = [c["bottom"] + (BODY_HALF_LEADING if abs(c["size"] - BODY_SIZE) < 0.2 else 0) for c in chars]
            bottoms += [o["bottom"] for o in [*page.images, *page.rects] if _within(o, foot) and o not in rules]
            lines_left = (foot - max(bottoms)) / pitch
            if lines_left >= min_lines - 0.05:
                found.append(ShortPage(number, round(lines_left, 1), _opening(pages[number])))
    return found


def _within(thing: dict, foot: float) -> bool:
    """Inside the text block: below the running head, above `foot`."""
    return thing["top"] > HEAD_FOOT - 1 and thing["bottom"] < foot + 1


def _opening(page: pdfplumber.page.Page) -> str:
    """What a page of the body opens with, below its running head: a figure, a table, a
    heading, text whose first lines call a note, or text."""
    if any(c["size"] > 16 for c in page.chars) or not page.chars:
        return "chapter end"  # a blank page, or a new chapter's title
    blocks = [(o["top"], "figure") for o in page.images]
    blocks += [(r["top"], "table" if r["height"] < 2 or r["width"] < 2 else "figure") for r in page.rects]
    blocks += [(c["top"], "heading" if c["size"] > BODY_SIZE + 1 else "text") for c in page.chars
               if c["text"].strip() and c["size"] >= BODY_SIZE - 2.5]
    top, kind = min(b for b in blocks if b[0] > HEAD_FOOT - 1)
    first_lines = [c for c in page.chars if top - BODY_SIZE / 2 <= c["top"] < top + 2 * BODY_SIZE * 1.75]
    if kind == "text" and any(abs(c["size"] - NOTE_CALL_SIZE) < 0.1 for c in first_lines):
        return "note"
    return kind


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
