"""No tofu: every character of the book must be in one of the faces the styles name."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .. import fontconfig
from ..editions import Edition
from ..editions.record import ROLES
from ..errors import BookError, display_path

# Format characters that draw nothing and need no glyph (joiners, variation selectors).
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Mn", "Zs", "Zl", "Zp"}


@lru_cache(maxsize=4)
def covered_code_points(faces: tuple[str, ...]) -> frozenset[int]:
    """The union of the faces' character sets, as fontconfig reports them (reading the
    CJK faces' cmaps with fontTools takes a second; fontconfig has them cached)."""
    points: set[int] = set()
    for face in faces:
        for item in _charset(face).split():
            low, _, high = item.partition("-")
            points.update(range(int(low, 16), int(high or low, 16) + 1))
    return frozenset(points)


def _charset(family: str) -> str:
    """fontconfig's character set for `family`; an error if the family is not installed."""
    answer = fontconfig.match(family, family, "%{charset}")
    if answer is None:
        raise BookError(None, f"font '{family}' is not installed, or fontconfig is missing (run 'make')")
    return answer


def missing_glyphs(path: Path, text: str, edition: Edition, first_line: int = 1) -> Iterable[tuple[str, str]]:
    """(`file:line`, message) for each character of `text` that none of `edition`'s faces has."""
    covered = covered_code_points(tuple(edition.face(role) for role in ROLES))
    # Each distinct character is looked up once; lines are searched only for those missing.
    missing = {c for c in set(text) if ord(c) not in covered and unicodedata.category(c) not in INVISIBLE_CATEGORIES}
    if not missing:
        return
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=first_line):
        for char in sorted(missing.intersection(line) - seen, key=line.index):
            seen.add(char)
            name = unicodedata.name(char, "unnamed character")
            yield f"{display_path(path)}:{number}", f"[G001] no font has U+{ord(char):04X} {name} '{char}'"
