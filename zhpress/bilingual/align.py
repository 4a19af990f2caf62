"""Pairing a translation's blocks with its original's, in order, the way Gale and Church
aligned sentences: by length, with dynamic programming.

Pure functions on block lists, so every case can be tested without a manuscript. Blocks pair
only with blocks of their kind; headings and figures pair one to one and so anchor the rest;
a paragraph's footnote calls count against a pairing whose sides call different numbers of
notes. Between them, a translator who split one paragraph into two (or merged two) gets a
one-to-two (two-to-one) pair, so every pair after it stays right. A translator's marker
(`<!-- pair -->`, `<!-- pair 2:1 -->`, `<!-- pair 0:1 -->`) confirms or decides the pairing
that starts at the block it stands before.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Kinds a translator may split or merge; the others (headings, figures, tables, code) pair one
# to one or not at all.
MERGEABLE = {"paragraph", "quotation", "list"}
ANCHORS = {"heading", "figure"}
# The prior probability of each shape. Gale and Church measured sentences (1-1 0.89, 2-1 and
# 1-2 together 0.089, 1-0 and 0-1 together 0.0099); between a journalist's paragraphs and a
# translator's, a dropped paragraph is about as common as a split or a merge, and with their
# priors a dropped paragraph hides inside a one-to-two pair with its neighbour. The variance
# of the length difference per character of the original: English text is about three
# characters for one Han character, and paragraphs vary more than sentences do between two
# European languages: 12, not 6.8.
PRIORS = {(1, 1): 0.9, (1, 0): 0.02, (0, 1): 0.02, (2, 1): 0.02, (1, 2): 0.02}
VARIANCE = 12.0
# Cost of each footnote call one side of a pair has and the other lacks: calls anchor pairs.
NOTE_COST = 3.0
# An unpaired heading or figure costs more than an unpaired paragraph: they anchor the rest.
ANCHOR_MISS_COST = 4.0
# A paragraph the translator marked as their own (译注：…, 译者按) is likely to have no original.
TRANSLATORS_NOTE_PRIOR = 0.5
SHAPES = tuple(PRIORS)
# How far (in blocks, besides the difference in their numbers) a pairing may stray from the
# diagonal: the dynamic programme's band.
BAND = 40
NOUNS = {"heading": "heading", "paragraph": "paragraph", "figure": "figure", "quotation": "quotation",
         "list": "list", "table": "table", "code": "code block", "callout": "callout", "rule": "rule"}
Shape = tuple[int, int]


@dataclass(frozen=True)
class Block:
    """One block of a chapter, as alignment sees it."""

    kind: str  # heading, paragraph, figure, quotation, list, table, code, callout or rule
    length: int  # characters of its text, notes left out, spaces not counted
    line: int  # the file line it starts on
    notes: int = 0  # footnote calls in it
    translators_note: bool = False  # a translation's paragraph opening 译注 or 译者按


@dataclass(frozen=True)
class Marker:
    """`<!-- pair -->` (shape None: confirm what alignment finds) or `<!-- pair A:B -->`
    (A blocks of the translation pair with B of the original; A 0: B blocks of the
    original are left untranslated here) on `line`, before a block of the translation."""

    line: int
    shape: Shape | None = None


@dataclass(frozen=True)
class Pair:
    """Blocks of the translation and of the original that print together (by index)."""

    translation: tuple[int, ...]
    original: tuple[int, ...]
    confirmed: bool = False

    @property
    def shape(self) -> Shape:
        return len(self.translation), len(self.original)


@dataclass(frozen=True)
class _Step:
    """A move of the dynamic programme from `start`: `gap` blocks of the original confirmed
    untranslated, then a pair of `a` blocks of the translation with `b` of the original."""

    start: tuple[int, int]
    gap: int
    a: int
    b: int
    confirmed: bool

    @property
    def to(self) -> tuple[int, int]:
        return self.start[0] + self.a, self.start[1] + self.gap + self.b

    def pairs(self) -> list[Pair]:
        i, j = self.start
        made = [Pair((), (j + k,), True) for k in range(self.gap)]
        if self.a or self.b:
            j += self.gap
            made.append(Pair(tuple(range(i, i + self.a)), tuple(range(j, j + self.b)), self.confirmed))
        return made


def align(translation: Sequence[Block], original: Sequence[Block],
          markers: Mapping[int, Sequence[Marker]] | None = None) -> list[Pair]:
    """The cheapest pairing of all blocks of both, in order. `markers` holds, by the index of
    the translation block they stand before (its length: after the last), the translator's
    markers there. Two passes: the chapters' length ratio counts blocks a side lacks (a long
    paragraph left untranslated makes every paragraph of the translation look short), so the
    second pass takes it from the first pass's pairs."""
    markers = markers or {}
    pairs = _cheapest(translation, original, markers, _ratio(translation, original))
    paired = [p for p in pairs if p.translation and p.original]
    return _cheapest(translation, original, markers, _ratio([translation[i] for p in paired for i in p.translation],
                                                            [original[j] for p in paired for j in p.original]))


def _cheapest(translation: Sequence[Block], original: Sequence[Block], markers: Mapping[int, Sequence[Marker]],
              ratio: float) -> list[Pair]:
    """The pairing of least cost, for the length `ratio` given, searched in a band around the
    diagonal (Gale and Church's practice: a chapter's pairs never drift far from it)."""
    n, m = len(translation), len(original)
    marked = {i for i, found in markers.items() if found}
    band = BAND + abs(n - m)
    cost = [[math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[_Step | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        centre = i * m // n if n else m
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            if cost[i][j] == math.inf:
                continue
            for step, step_cost in _steps(i, j, translation, original, markers.get(i, ()), marked, ratio):
                total = cost[i][j] + step_cost
                if total < cost[step.to[0]][step.to[1]]:
                    cost[step.to[0]][step.to[1]], back[step.to[0]][step.to[1]] = total, step
    if back[n][m] is None and (n or m):  # only markers can make every path stop short
        shaped = [k for found in markers.values() for k in found if k.shape]
        raise MarkerError(shaped[-1].line if shaped else 1, "the pair markers ask for more blocks than the "
                          "chapter or its original has left: check the numbers in <!-- pair A:B -->")
    pairs: list[Pair] = []
    at = (n, m)
    while at != (0, 0):
        step = back[at[0]][at[1]]
        pairs[:0] = step.pairs()  # type: ignore[union-attr]
        at = step.start  # type: ignore[union-attr]
    return pairs


def _steps(i: int, j: int, translation: Sequence[Block], original: Sequence[Block],
           here: Sequence[Marker], marked: set[int], ratio: float) -> list[tuple[_Step, float]]:
    """The moves from (i, j): at a marked block only what its markers allow. A gap marker's
    untranslated blocks come first, then the block's own pair."""
    n, m = len(translation), len(original)
    gap = sum(k.shape[1] for k in here if k.shape and k.shape[0] == 0)
    forced = next((k.shape for k in here if k.shape and k.shape[0] > 0), None)
    if i == n:  # after the last block: the original's untranslated blocks, the marked ones last
        steps = []
        if j < m:
            steps.append((_Step((i, j), 0, 0, 1, False), _cost(translation[i:i], original[j:j + 1], ratio)))
        if gap and j + gap == m:
            steps.append((_Step((i, j), gap, 0, 0, True), 0.0))
        return steps
    if j + gap > m:
        return []
    steps = []
    for a, b in [forced] if forced else [s for s in SHAPES if not (gap and s[0] == 0)]:
        if i + a > n or j + gap + b > m or any(i < k < i + a for k in marked):
            continue
        step_cost = 0.0 if forced else _cost(translation[i:i + a], original[j + gap:j + gap + b], ratio)
        if step_cost < math.inf:
            steps.append((_Step((i, j), gap, a, b, bool(here) and a > 0), step_cost))
    return steps


def _ratio(translation: Sequence[Block], original: Sequence[Block]) -> float:
    """Characters of the original per character of the translation, over the whole chapter."""
    ours = sum(b.length for b in translation if b.kind in MERGEABLE)
    theirs = sum(b.length for b in original if b.kind in MERGEABLE)
    return theirs / ours if ours and theirs else 1.0


def _cost(ours: Sequence[Block], theirs: Sequence[Block], ratio: float) -> float:
    """-log of how likely it is that `ours` (of the translation) pair with `theirs`: its shape's
    prior, then how well the lengths and the footnote calls of its two sides agree."""
    blocks = [*ours, *theirs]
    kinds = {b.kind for b in blocks}
    shape = len(ours), len(theirs)
    prior = PRIORS[shape]
    if not ours or not theirs:
        if len(ours) == 1 and ours[0].translators_note:
            prior = TRANSLATORS_NOTE_PRIOR
        miss = ANCHOR_MISS_COST if kinds & ANCHORS else 0.0
        return -math.log(prior) + miss + NOTE_COST * sum(b.notes for b in blocks)
    if len(kinds) > 1 or (shape != (1, 1) and not kinds <= MERGEABLE):
        return math.inf
    notes = NOTE_COST * abs(sum(b.notes for b in ours) - sum(b.notes for b in theirs))
    if kinds & ANCHORS:
        return -math.log(prior) + notes
    return -math.log(prior) + notes + _length_cost(sum(b.length for b in ours), sum(b.length for b in theirs), ratio)


def _length_cost(ours: int, theirs: int, ratio: float) -> float:
    """Gale and Church's length term: -log of the chance of a difference at least this large
    between the original's length and the translation's times `ratio`."""
    expected = ours * ratio
    delta = (theirs - expected) / math.sqrt(VARIANCE * (theirs + expected) / 2 + 1)
    chance = math.erfc(abs(delta) / math.sqrt(2))  # 2 × (1 − Φ(|δ|))
    return -math.log(max(chance, 1e-300))


def warnings(pairs: Sequence[Pair], translation: Sequence[Block], original: Sequence[Block],
             translation_name: str, original_name: str) -> list[str]:
    """A warning for each unconfirmed pair that is not one to one, naming both files and lines:
    `chapters/01.md:24: warning: [B002] 2 paragraphs here pair with 1 in the original
    (chapters/01.en.md:22)`."""
    found = (pair_warning(pairs, i, translation, original, translation_name, original_name) for i in range(len(pairs)))
    return [w for w in found if w]


def pair_warning(pairs: Sequence[Pair], index: int, translation: Sequence[Block], original: Sequence[Block],
                 translation_name: str, original_name: str) -> str | None:
    """The warning of `pairs[index]`, or None: one to one, or confirmed. An untranslated block
    is placed by the pairs around it."""
    pair = pairs[index]
    if pair.confirmed or pair.shape == (1, 1):
        return None
    a, b = pair.shape
    if a and b:
        kind = _noun([translation[i] for i in pair.translation] + [original[j] for j in pair.original], a)
        verb = "pairs" if a == 1 else "pair"
        message = (f"[B002] {a} {kind} here {verb} with {b} in the original "
                   f"({original_name}:{original[pair.original[0]].line})")
        line = translation[pair.translation[0]].line
    elif a:
        kind = _noun([translation[i] for i in pair.translation], a)
        where = _beside(pairs, index, original, original_name)
        message = f"[B003] {a} {kind} here {'has' if a == 1 else 'have'} no original ({where})"
        line = translation[pair.translation[0]].line
    else:
        kind = _noun([original[j] for j in pair.original], b)
        message = (f"[B004] {b} {kind} of the original {'is' if b == 1 else 'are'} not translated here "
                   f"({original_name}:{original[pair.original[0]].line})")
        line = _translation_line(pairs, index, translation)
    return f"{translation_name}:{line}: warning: {message}"


def _noun(blocks: Sequence[Block], count: int) -> str:
    kinds = {b.kind for b in blocks}
    noun = NOUNS[kinds.pop()] if len(kinds) == 1 else "block"
    return noun if count == 1 else f"{noun}s"


def _beside(pairs: Sequence[Pair], index: int, original: Sequence[Block], name: str) -> str:
    """Where in the original a translation block without one would be: after the original's
    block before it, or before the next one."""
    before = [j for p in pairs[:index] for j in p.original]
    if before:
        return f"after {name}:{original[before[-1]].line}"
    after = [j for p in pairs[index + 1:] for j in p.original]
    return f"before {name}:{original[after[0]].line}" if after else f"{name} has no blocks"


def _translation_line(pairs: Sequence[Pair], index: int, translation: Sequence[Block]) -> int:
    """The line of the translation where untranslated blocks of the original would go: the
    next block of the translation's, else the last one's."""
    after = [i for p in pairs[index + 1:] for i in p.translation]
    if after:
        return translation[after[0]].line
    before = [i for p in pairs[:index] for i in p.translation]
    return translation[before[-1]].line if before else 1


MARKER = re.compile(r"^[ \t]*<!--\s*pair\b(?P<rest>.*?)-->[ \t]*$", re.MULTILINE)
SHAPE = re.compile(r"\s*(?:(?P<a>\d+)\s*:\s*(?P<b>\d+))?\s*")


class MarkerError(ValueError):
    """A malformed pair marker, at a line of the translation."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def find_markers(markdown: str, line_offset: int = 0) -> list[Marker]:
    """The pair markers in a translation's Markdown, in order, each with its file line;
    MarkerError at the first malformed one."""
    found = []
    for match in MARKER.finditer(markdown):
        line = line_offset + markdown.count("\n", 0, match.start()) + 1
        shape = SHAPE.fullmatch(match["rest"])
        if shape is None:
            raise MarkerError(line, "expected <!-- pair --> or <!-- pair A:B --> "
                              "(A blocks here pair with B of the original)")
        pair = (int(shape["a"]), int(shape["b"])) if shape["a"] else None
        if pair is not None and (pair == (0, 0) or pair[0] > 9 or pair[1] > 9):
            raise MarkerError(line, f"<!-- pair {pair[0]}:{pair[1]} -->: expected from 0:1 to 9:9, not both 0")
        found.append(Marker(line, pair))
    return found


def markers_by_block(markers: Sequence[Marker], translation: Sequence[Block]) -> dict[int, list[Marker]]:
    """Each marker under the index of the first translation block after its line."""
    placed: dict[int, list[Marker]] = {}
    for marker in markers:
        index = next((i for i, b in enumerate(translation) if b.line > marker.line), len(translation))
        placed.setdefault(index, []).append(marker)
    return placed
