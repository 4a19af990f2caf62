"""The review report of the Traditional conversion (`build.py hant --report`): every
one-to-many character and every phrase-level change, with file, line, both texts and the rule
that decided it, riskiest first, so a translator reads the few that matter."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..config import book_slug, load_config
from ..errors import display_path
from ..files import atomic_output
from ..read.manuscript import open_manuscript
from ..read.textfile import read_text
from ..render import environment
from .hant import Converter, converter_for, replace_phrases

log = logging.getLogger(__name__)

# The characters whose Traditional form depends on the sense, with the forms they can take.
ONE_TO_MANY = {
    "干": "乾幹干", "发": "發髮", "里": "裡裏里", "后": "後后", "面": "面麵麪", "台": "臺台颱檯枱",
    "系": "系係繫", "只": "只隻", "游": "遊游", "冲": "沖衝", "钟": "鐘鍾", "松": "鬆松", "范": "範范",
}
# Not the translator's text, in a Markdown line: inline code, URLs, link targets, tags, attributes.
NOT_TEXT = re.compile(r"`[^`\n]*`|https?://[^\s)>]+|\]\([^)]*\)|<[^>\n]+>|\{[^}\n]*\}")
FENCE = re.compile(r"^\s*(```|~~~)")
CONTEXT = 6  # characters shown either side
DOUBTFUL, AMBIGUOUS, PHRASE, DECIDED = 9, 3, 2, 1  # risk: a doubtful phrase first, a rule's fix last


@dataclass(frozen=True)
class Choice:
    """One decision the conversion made, where it is and who made it."""

    where: str  # file:line
    simplified: str
    traditional: str
    rule: str
    risk: int


@cache
def _back() -> Any:
    """Traditional back to Simplified, character by character, to align a line with its conversion."""
    import opencc

    return opencc.OpenCC("t2s")


def line_choices(line: str, converter: Converter, where: str) -> Iterator[Choice]:
    """The choices made converting one line of Markdown (code, URLs and tags masked out)."""
    simplified = NOT_TEXT.sub(lambda m: " " * len(m.group()), line)
    opencc = converter.opencc(simplified)
    corrected = replace_phrases(opencc, converter.corrections)
    final = replace_phrases(corrected, converter.overrides)
    same_length = len(opencc) == len(simplified) == len(corrected) == len(final)
    if same_length:
        yield from _aligned_choices(simplified, opencc, corrected, final, where)
    for rule in (*converter.corrections, *converter.overrides):
        text = final if rule.doubtful else opencc if rule.source == "correction list" else corrected
        for match in re.finditer(re.escape(rule.wrong), text):
            start, end = match.span() if same_length else (0, len(line))
            verdict = "doubtful: read it" if rule.doubtful else f"→ {rule.right}"
            yield Choice(where, _around(simplified, start, end), _around(final, start, end),
                         f"{rule.source} ({rule.where}) {verdict}: {rule.why}", DOUBTFUL if rule.doubtful else DECIDED)


def _aligned_choices(simplified: str, opencc: str, corrected: str, final: str, where: str) -> Iterator[Choice]:
    """Phrase-level changes (where OpenCC's output does not read back as the same characters) and
    each one-to-many character, with the rule that decided its form."""
    back = _back().convert(opencc)
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, simplified, back, autojunk=False).get_opcodes():
        if tag != "equal":
            yield Choice(where, _around(simplified, i1, i2), _around(opencc, i1, i2), "OpenCC: a phrase", PHRASE)
            continue
        for i in range(i1, i2):
            forms = ONE_TO_MANY.get(simplified[i])
            if forms:
                rule = "OpenCC" if final[i] == opencc[i] else "correction list" if corrected[i] != opencc[i] \
                    else "override"
                risk = AMBIGUOUS + len(forms) - 2 if rule == "OpenCC" else DECIDED
                yield Choice(where, _around(simplified, i, i + 1), _around(final, i, i + 1),
                             f"{rule}: {simplified[i]} → {final[i]} (of {forms})", risk)


def _around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The span and a few characters either side, for the report to mark the span."""
    return (text[max(0, start - CONTEXT):start].strip(), text[start:end], text[end:end + CONTEXT].strip())


def manuscript_choices(folder: Path) -> list[Choice]:
    """Every choice in book.yaml and the chapter files, riskiest first, then in book order."""
    manuscript = open_manuscript(folder)
    converter = converter_for(manuscript.config.hant, folder)
    files = [(manuscript.config.path, read_text(manuscript.config.path)),
             *((t.path, t.file_text) for t in manuscript.texts)]
    choices = [c for path, text in files for c in file_choices(path, text, converter)]
    return sorted(choices, key=lambda c: -c.risk)  # stable: book order within a risk


def doubtful_warnings(folder: Path) -> list[str]:
    """`check`'s warnings on the Traditional edition: every choice the correction list marks
    doubtful, where it is, for the translator to read (and settle in hant.yaml)."""
    return [f"{c.where}: warning: [H001] doubtful conversion 「{c.simplified[1]}」 → 「{c.traditional[1]}」 "
            f"({''.join(c.simplified)}): {c.rule}" for c in manuscript_choices(folder) if c.risk == DOUBTFUL]


def file_choices(path: Path, text: str, converter: Converter) -> Iterator[Choice]:
    """The choices in one file, outside fenced code."""
    in_code = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code:
            yield from line_choices(line, converter, f"{display_path(path)}:{number}")


def write_report(folder: Path, output: Path) -> Path:
    """output/<slug>-hant-report.html for the manuscript in `folder`."""
    config = load_config(folder)
    path = output / f"{book_slug(config)}-hant-report.html"
    choices = manuscript_choices(folder)
    html = environment().get_template("hant-report.html.j2").render(
        title=config.title, region=config.hant, choices=choices, language=f"zh-Hant-{config.hant.upper()}")
    with atomic_output(path) as temporary:
        temporary.write_text(html, encoding="utf-8")
    log.info("wrote %s (%d choices, %d doubtful)", path, len(choices), sum(c.risk == DOUBTFUL for c in choices))
    return path
