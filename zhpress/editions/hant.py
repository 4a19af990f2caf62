"""Simplified to Traditional: OpenCC, then the corrections we ship, then the user's overrides,
then Taiwan's and Hong Kong's quotation marks. Each step is a separate rule so the review report
can say which one decided a change."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import BookError
from ..read.textfile import read_text
from ..read.yamlfile import load_mapping

CORRECTIONS = Path(__file__).with_name("hant_corrections.txt")
OVERRIDES_NAME = "hant.yaml"
# OpenCC's configurations: Taiwan's characters and vocabulary; Hong Kong's characters only.
OPENCC_CONFIGS = {"tw": "s2twp", "hk": "s2hk"}
# “” → 「」 and ‘’ → 『』: one mark for one, so quotes nested in quotes keep their nesting.
QUOTES = str.maketrans("“”‘’", "「」『』")
# A correction list entry: "[tw] wrong → right  # why" or "wrong ?  # why".
ENTRY = re.compile(r"^(?:\[(?P<region>tw|hk)\]\s+)?(?P<wrong>\S+)\s+(?:→\s+(?P<right>\S+)|\?)\s+#\s*(?P<why>\S.*)$")


@dataclass(frozen=True)
class Rule:
    """One phrase replacement (or, with `right` None, a doubtful phrase left as it is)."""

    wrong: str
    right: str | None
    why: str
    source: str  # "correction list" or "override"
    where: str  # file:line of the rule

    @property
    def doubtful(self) -> bool:
        return self.right is None


@cache
def opencc_converter(region: str) -> Any:
    """OpenCC's converter for `region`, made once (it loads its dictionaries)."""
    import opencc

    return opencc.OpenCC(OPENCC_CONFIGS[region])


def load_corrections(region: str, path: Path = CORRECTIONS) -> tuple[Rule, ...]:
    """The shipped correction list's entries for `region`; a malformed line is a `path:line: error:`."""
    rules = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = ENTRY.match(line)
        if match is None:
            raise BookError(path, "expected 'wrong → right  # why' or 'wrong ?  # why'", number)
        if match["region"] in (None, region):
            rules.append(Rule(match["wrong"], match["right"], match["why"], "correction list", f"{path.name}:{number}"))
    return tuple(rules)


def load_overrides(folder: Path, convert: Converter) -> tuple[Rule, ...]:
    """`<manuscript>/hant.yaml`: phrase → replacement. A phrase may be written in Simplified or
    Traditional: it is matched as the conversion writes it."""
    path = folder / OVERRIDES_NAME
    if not path.is_file():
        return ()
    data, lines = load_mapping(read_text(path), path)
    rules = []
    for phrase, replacement in data.items():
        if not isinstance(replacement, str) or not phrase.strip() or not replacement.strip():
            raise BookError(path, f"{phrase}: expected 'phrase: replacement', two pieces of text", lines.get(phrase))
        where = f"{OVERRIDES_NAME}:{lines[phrase]}"
        rules.append(Rule(convert.corrected(phrase), replacement, "the translator's override", "override", where))
    return tuple(rules)


@dataclass(frozen=True)
class Converter:
    """One region's conversion; `convert` is the edition's converter."""

    region: str
    corrections: tuple[Rule, ...]
    overrides: tuple[Rule, ...] = field(default=())

    def opencc(self, text: str) -> str:
        return opencc_converter(self.region).convert(text)

    def corrected(self, text: str) -> str:
        """OpenCC's conversion with the correction list applied."""
        return replace_phrases(self.opencc(text), self.corrections)

    def convert(self, text: str) -> str:
        return replace_phrases(self.corrected(text), self.overrides).translate(QUOTES)


def replace_phrases(text: str, rules: tuple[Rule, ...]) -> str:
    """Every rule's phrase replaced in one pass, the longest first where two start together,
    so one rule never rewrites another's result."""
    table = {r.wrong: r.right for r in rules if r.right is not None}
    if not table:
        return text
    pattern = phrase_pattern(tuple(sorted(table, key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group()], text)


@cache
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, phrases)))


def converter_for(region: str, folder: Path | None = None) -> Converter:
    """`region`'s converter, with the overrides of the manuscript in `folder` if any."""
    base = Converter(region, load_corrections(region))
    return Converter(region, base.corrections, load_overrides(folder, base)) if folder else base
