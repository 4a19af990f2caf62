"""Markdown footnotes whose call and text do not meet.

pandoc prints a call without a text as the literal `[^x]`, and drops a text nobody calls
without a word: a translator's note lost from both books. A typo in a label does either,
so both stop the build at the chapter's line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BookError
from .markdown import without_code

DEFINITION = re.compile(r"^ {0,3}\[\^(?P<label>[^\]\s]+)\]:", re.MULTILINE)
CALL = re.compile(r"\[\^(?P<label>[^\]\s]+)\](?!:)")


def check_footnotes(path: Path, markdown: str, line_offset: int) -> None:
    """Raise BookError at the first note called without a text, or given a text but never called."""
    text = without_code(markdown)
    definitions = {m["label"]: m.start() for m in DEFINITION.finditer(text)}
    calls = {}
    for match in CALL.finditer(text):
        calls.setdefault(match["label"], match.start())
    problems = [
        (at, f"note [^{label}] is called but has no text: add a line '[^{label}]: …' to the chapter")
        for label, at in calls.items() if label not in definitions
    ] + [
        (at, f"note [^{label}] has a text but no call, so it would be left out: "
             f"call it with [^{label}] in the text, or delete it")
        for label, at in definitions.items() if label not in calls
    ]
    if problems:
        at, message = min(problems)
        raise BookError(path, message, line_offset + markdown.count("\n", 0, at) + 1)
