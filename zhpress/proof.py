"""What the proofs of a built book share: text compared as a reader reads it, and findings
that name the manuscript file, its line and the page.

A proof compares the text a book was made from with the text it came out as, character by
character. Whitespace is left out on both sides (line breaks and justification change it
by design), and so are the invisible characters typography adds (joiners, soft hyphens).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BookError, display_path

# Whitespace, soft hyphens and the hyphen layout sets where it breaks at one (U+2010),
# zero-width spaces, word joiners and byte-order marks.
INVISIBLE = re.compile(r"[\s\u00ad\u2010\u200b\u2060\ufeff]+")
SNIPPET_LENGTH = 10


def squash(text: str) -> str:
    """The characters of `text` a reader sees, without the ones layout may add or take away."""
    return INVISIBLE.sub("", text)


def text_pieces(root: Any, skip: Callable[[Any], bool]) -> Iterator[str]:
    """The text of `root` in reading order, leaving out the subtrees `skip` accepts (their
    tails are read: they belong to the parent). Works on lxml and ElementTree elements,
    without recursion, so that deep nesting cannot stop a proof."""
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, done = stack.pop()
        if done:
            if element.tail and element is not root:
                yield element.tail
            continue
        if isinstance(element.tag, str) and not skip(element) and element.text:
            yield element.text
        stack.append((element, True))
        if isinstance(element.tag, str) and not skip(element):
            stack.extend((child, False) for child in reversed(element))


def snippet(text: str) -> str:
    """The first characters of `text`, in corner brackets, as findings quote it."""
    more = "…" if len(text) > SNIPPET_LENGTH else ""
    return f"「{text[:SNIPPET_LENGTH]}{more}」"


@dataclass(frozen=True)
class Difference:
    """One place where the text came out other than it went in."""

    kind: str  # "lost", "repeated", "added" or "changed"
    expected: str  # the text that went in there
    actual: str  # the text that came out there
    expected_at: int
    actual_at: int

    def describe(self, where: str) -> str:
        """`text lost in print (page 17): 「…」`, with `where` saying which output and page."""
        if self.kind == "changed":
            return f"text changed {where}: {snippet(self.expected)} came out as {snippet(self.actual)}"
        return f"text {self.kind} {where}: {snippet(self.expected or self.actual)}"


def differences(expected: str, actual: str) -> list[Difference]:
    """Every run of characters lost, repeated, added or changed between two texts. A run
    lost or added where the same characters stand on both sides is moved as far on as it
    goes (`。A。` less `A。` is `。A` less `。A`): it then starts where its paragraph does."""
    if expected == actual:
        return []
    # difflib is quadratic in what differs: compare only what lies between the common ends.
    head = _common_length(expected, actual)
    tail = _common_length(expected[head:][::-1], actual[head:][::-1])
    found = []
    matcher = difflib.SequenceMatcher(None, expected[head : len(expected) - tail], actual[head : len(actual) - tail],
                                      autojunk=False)
    for op, e1, e2, a1, a2 in _shifted(matcher.get_opcodes(), head):
        if op == "delete":
            while e2 < len(expected) and expected[e1] == expected[e2]:
                e1, e2, a1 = e1 + 1, e2 + 1, a1 + 1
            found.append(Difference("lost", expected[e1:e2], "", e1, a1))
        elif op == "insert":
            while a2 < len(actual) and actual[a1] == actual[a2]:
                a1, a2, e1 = a1 + 1, a2 + 1, e1 + 1
            kind = "repeated" if actual[a1:a2] in expected else "added"
            found.append(Difference(kind, "", actual[a1:a2], e1, a1))
        elif op == "replace":
            found.append(Difference("changed", expected[e1:e2], actual[a1:a2], e1, a1))
    return found


def _common_length(a: str, b: str) -> int:
    """How many characters `a` and `b` start with in common (bisected: slices compare in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _shifted(opcodes: list[tuple[str, int, int, int, int]], by: int) -> Iterator[tuple[str, int, int, int, int]]:
    for op, e1, e2, a1, a2 in opcodes:
        yield op, e1 + by, e2 + by, a1 + by, a2 + by


def finding(path: Path | str | None, line: int | None, message: str, severity: str = "error") -> str:
    """One line a publisher can act on: `file:line: error: message`."""
    where = display_path(path) if path is not None else "zhpress"
    return f"{where}{f':{line}' if line else ''}: {severity}: {message}"


class ProofError(BookError):
    """A built book whose text is not the manuscript's: nothing is written (exit status 1)."""

    def __init__(self, findings: list[str]) -> None:
        super().__init__(None, f"{len(findings)} proof finding(s)", None, 1)
        self.findings = findings

    def __str__(self) -> str:
        return "\n".join(self.findings)


def character_count(book: Any) -> int:
    """字数 as check and the copyright page give it: the characters of the chapters and their
    notes, spaces not counted."""
    return sum(len(squash("".join(text_pieces(c.body, lambda _: False)))) for c in book.chapters)
