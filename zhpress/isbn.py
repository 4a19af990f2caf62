"""ISBN-13: the number the barcode on the back cover and the copyright page carry.

A wrong check digit would print a barcode every store scanner rejects, so it is an error
in book.yaml, never a warning."""

from __future__ import annotations

import re

ISBN_PREFIXES = ("978", "979")
SEPARATORS = re.compile(r"[\s-]")
URN = re.compile(r"^(urn:)?isbn:", re.IGNORECASE)


class IsbnError(ValueError):
    """Not an ISBN-13, or one whose check digit is wrong; the message says which."""


def check_digit(first_twelve: str) -> str:
    """Weights 1 and 3 alternating, modulo 10 (ISO 2108)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return str(-total % 10)


def looks_like_isbn(text: str) -> bool:
    """Thirteen digits after 978 or 979, with or without hyphens or an `urn:isbn:` prefix."""
    digits = SEPARATORS.sub("", URN.sub("", text.strip()))
    return len(digits) == 13 and digits.isdigit() and digits.startswith(ISBN_PREFIXES)


def normalized_isbn(text: str) -> str:
    """The thirteen digits of a valid ISBN-13, else IsbnError."""
    digits = SEPARATORS.sub("", URN.sub("", text.strip()))
    if not looks_like_isbn(text):
        raise IsbnError(f"expected an ISBN-13 (13 digits starting 978 or 979), got {text!r}")
    expected = check_digit(digits[:12])
    if digits[12] != expected:
        raise IsbnError(f"ISBN {text} has check digit {digits[12]}, but its first twelve digits give {expected}")
    return digits

