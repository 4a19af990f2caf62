"""Inter-character justification for Chinese lines, as an extension of WeasyPrint 70.0.

WeasyPrint justifies by widening spaces only, so a Chinese line (no spaces) ends short of
the right edge. This replaces `weasyprint.layout.inline.justify_line`, which `text_align`
calls for every justified line but a paragraph's last, and spreads the line's leftover
width between its Han characters and full-width marks instead.

The spacing has to survive drawing: `draw_text` re-shapes each text box from its Pango
layout (`Layout.reactivate` → `set_text(justify=True)`), so the patched `set_text` puts
Pango letter-spacing on the chosen byte ranges of the layouts this module marks. Pango
gives a spaced character half the spacing on each side and drops the outer halves at the
ends of each layout (each text box is its own layout): box positions give them back.

Pinned to WeasyPrint 70.0 (`extensions.REQUIRED_VERSIONS`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango

from ...cjk import CJK_SYMBOLS, HAN_RANGES, KANA, in_ranges
from . import Patch

_original_justify_line = inline.justify_line
_original_set_text = line_break.Layout.set_text

# Characters space may be added around. Dashes and ellipses are left out so that
# —— and …… stay joined.
EXPANDABLE_RANGES = (*CJK_SYMBOLS, *KANA, *HAN_RANGES, (0xFF01, 0xFF60))  # the last: full-width forms
EXPANDABLE_EXTRA = frozenset("\u2018\u2019\u201c\u201d\u00b7 \u00a0")
SPACES = " \u00a0"

Shift = Callable[[int], float]


@lru_cache(maxsize=8192)
def expandable(char: str) -> bool:
    if char in EXPANDABLE_EXTRA:
        return True
    return in_ranges(char, EXPANDABLE_RANGES)


def patches() -> list[Patch]:
    return [Patch(inline, "justify_line", justify_line), Patch(line_break.Layout, "set_text", _set_text)]


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    """WeasyPrint's set_text, plus our letter-spacing on layouts `justify_line` marked."""
    _original_set_text(self, text, justify)
    ranges = getattr(self, "cjk_ranges", None)
    if not (justify and ranges):
        return
    attr_list = pango.pango_layout_get_attributes(self.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    spacing = round(self.cjk_spacing * TO_UNITS)
    for start, end in ranges:
        attr = pango.pango_attr_letter_spacing_new(spacing)
        attr.start_index, attr.end_index = start, end
        pango.pango_attr_list_change(attr_list, attr)
    pango.pango_layout_set_attributes(self.layout, attr_list)


def _leaves(box: Any, out: list[Any]) -> list[Any]:
    """Text boxes and atomic inline boxes (pictures) of a line, in order."""
    if isinstance(box, boxes.TextBox):
        out.append(box)
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                _leaves(child, out)
    else:
        out.append(box)
    return out


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Spread `extra_width` between the line's expandable characters; lines without
    any (pure Latin) and right-to-left lines keep WeasyPrint's word spacing."""
    leaves = _leaves(line, [])
    marks: list[bool] = []  # for each visible character of the line: may it take space?
    spans: dict[int, tuple[int, int]] = {}  # text box → (index of its first character, length)
    for leaf in leaves:
        if isinstance(leaf, boxes.TextBox):
            if leaf.text and not leaf.pango_layout.text.startswith(leaf.text):
                return _original_justify_line(context, line, extra_width)
            spans[id(leaf)] = (len(marks), len(leaf.text))
            marks.extend(map(expandable, leaf.text))
        else:
            marks.append(False)
    visible = len(marks)
    while visible and not _is_visible(leaves, spans, visible - 1):
        visible -= 1
    marks = marks[:visible]
    weight = sum(marks) - (marks[0] + marks[-1]) / 2 if marks else 0
    if weight <= 0 or line.style["direction"] == "rtl":
        return _original_justify_line(context, line, extra_width)
    spacing = extra_width / weight
    before = [0]  # before[i]: expandable characters before character i
    for mark in marks:
        before.append(before[-1] + mark)

    def shift(i: int) -> float:
        """How far character i moves right."""
        if i >= visible:
            return extra_width
        return spacing * before[i] - spacing / 2 * marks[0] + spacing / 2 * marks[i]

    def end_shift(i: int) -> float:
        """How far the end of character i moves right."""
        if i >= visible - 1:
            return extra_width
        return spacing * before[i + 1] - spacing / 2 * marks[0]

    _Spreader(spans, marks, visible, spacing, shift, end_shift).apply(line)
    line.width += extra_width
    return None


def _is_visible(leaves: list[Any], spans: dict[int, tuple[int, int]], index: int) -> bool:
    """Trailing spaces are not visible characters."""
    for leaf in leaves:
        if isinstance(leaf, boxes.TextBox):
            first, length = spans[id(leaf)]
            if first <= index < first + length:
                return leaf.text[index - first] not in SPACES
    return True


class _Spreader:
    """Moves and widens a line's boxes by the shifts `justify_line` computed."""

    def __init__(self, spans: dict[int, tuple[int, int]], marks: list[bool], visible: int,
                 spacing: float, shift: Shift, end_shift: Shift) -> None:
        self.spans, self.marks, self.visible = spans, marks, visible
        self.spacing, self.shift, self.end_shift = spacing, shift, end_shift
        self.next_char = 0

    def apply(self, box: Any) -> None:
        if isinstance(box, boxes.TextBox):
            self._text(box)
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            self._inline(box)
        else:  # a picture or inline-block counts as one character that takes no space
            box.translate(self.shift(self.next_char), 0)
            self.next_char += 1

    def _inline(self, box: Any) -> None:
        before = self.end_shift(self.next_char - 1) if self.next_char else 0
        if not isinstance(box, boxes.LineBox):
            box.position_x += before
        for child in box.children:
            if child.is_in_normal_flow():
                self.apply(child)
        after = self.end_shift(self.next_char - 1) if self.next_char else 0
        if not isinstance(box, boxes.LineBox):
            box.width += after - before

    def _text(self, box: Any) -> None:
        first, length = self.spans[id(box)]
        self.next_char = first + length
        if not length:
            box.position_x += self.end_shift(first - 1) if first else 0
            return
        last = min(first + length, self.visible) - 1
        start = self.shift(first)
        end = self.shift(last) if last == self.visible - 1 else self.end_shift(last)
        box.position_x += start
        box.width += end - start
        ranges = self._byte_ranges(box.text, first)
        if ranges:
            layout = copy.copy(box.pango_layout)  # a layout may be shared: never mark the original
            layout.cjk_ranges = ranges
            layout.cjk_spacing = self.spacing
            box.pango_layout = layout

    def _byte_ranges(self, text: str, first: int) -> list[list[int]]:
        """UTF-8 byte ranges of the box's expandable characters, as Pango indexes them."""
        ranges: list[list[int]] = []
        byte = 0
        for i, char in enumerate(text):
            size = len(char.encode())
            if first + i < self.visible and self.marks[first + i]:
                if ranges and ranges[-1][1] == byte:
                    ranges[-1][1] += size
                else:
                    ranges.append([byte, byte + size])
            byte += size
        return ranges
