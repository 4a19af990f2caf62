"""Which characters are which in Chinese text, declared once for every stage that asks:
titles and captions (is it Chinese?), typography (where marks compress, where a quarter
em goes), justification (where space may be added) and line breaking on the drawn cover."""

from __future__ import annotations

import re

Ranges = tuple[tuple[int, int], ...]

HAN_RANGES: Ranges = (
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x3134F),  # extensions B to G
)
CJK_SYMBOLS: Ranges = ((0x3000, 0x303F),)  # ideographic space, 、。〈〉《》「」『』【】〔〕…
KANA: Ranges = ((0x3040, 0x30FF),)
FULL_WIDTH_FORMS: Ranges = ((0xFF00, 0xFFEF),)  # ，：；！？（）… and the half-width forms after them

# Marks that end a phrase and may not start a line, and those that open one and may not end it.
CLOSING_MARKS = "，。、；：！？）》」』】〕〉”’"
OPENING_MARKS = "（《「『【〔〈“‘"
# Pause and stop marks: one ends a sentence or clause, so none may come before a generated
# closing bracket or another generated mark (「…站台旁。）」 reads as two stops).
PAUSE_STOP_MARKS = "。，、；："


def char_class(*ranges: Ranges) -> str:
    """The inside of a regular expression's [...] holding `ranges`."""
    return "".join(f"{chr(low)}-{chr(high)}" for group in ranges for low, high in group)


def in_ranges(char: str, *ranges: Ranges) -> bool:
    code = ord(char)
    return any(low <= code <= high for group in ranges for low, high in group)


HAN = re.compile(f"[{char_class(HAN_RANGES)}]")
