"""The editions a manuscript can be made into, as records (`record.Edition`).

The stylesheets and templates are written for the main edition, `ZH_HANS`: its faces are
the names the stylesheets use, and `restyled` puts another edition's faces in their place.
"""

from __future__ import annotations

import re

from .record import Edition, Labels
from .zh_hans import ZH_HANS

__all__ = ["EDITIONS", "ZH_HANS", "Edition", "Labels", "restyled"]

EDITIONS = {e.name: e for e in (ZH_HANS,)}
QUOTED = re.compile(r'"([^"\n]*)"')


def restyled(css: str, edition: Edition) -> str:
    """`css`, written for the main edition, with `edition`'s faces in place of its faces."""
    if edition.faces == ZH_HANS.faces:
        return css
    names = {ours: theirs for role, stack in ZH_HANS.faces.items()
             for ours, theirs in zip(stack, edition.faces[role], strict=True)}
    return QUOTED.sub(lambda m: f'"{names.get(m.group(1), m.group(1))}"', css)
