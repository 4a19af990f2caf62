"""Our extensions of WeasyPrint 70, in one place, applied only while a PDF is made.

Each module here declares what it replaces as `Patch`es: Chinese justification
(`justify`), notes kept on their call's page (`notes`), figures floated past a paragraph
so that no page stops short (`floats`), page styles found by lookup
(`page_styles`), tagging at book scale (`tagging`), a reproducible document id
(`document_id`), for the press, every colour in ink (`inks`) and, for the bilingual edition,
each block's language in the tags (`languages`). `patched()` checks the
versions they were written against before any of them imports WeasyPrint's internals,
applies them all, and puts every original back on exit, so WeasyPrint outside a build is
WeasyPrint's own.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ...errors import BookError

# The releases the extensions reach into; requirements.txt pins the same.
REQUIRED_VERSIONS = {"weasyprint": "70.0", "pydyf": "0.13.0"}


@dataclass(frozen=True)
class Patch:
    """One attribute of a WeasyPrint or pydyf module or class, replaced while a PDF is made."""

    owner: Any
    name: str
    replacement: Any


def require_versions() -> None:
    """One line, not a traceback from deep in WeasyPrint, when another release is installed."""
    for package, wanted in REQUIRED_VERSIONS.items():
        installed = version(package)
        if installed != wanted:
            raise BookError(None, f"zhpress's PDF extensions are written for {package} {wanted}, but {installed} "
                            f"is installed: run 'make setup' (requirements.txt pins {package}=={wanted})")


@contextlib.contextmanager
def applied(patches: Iterable[Patch]) -> Iterator[None]:
    """Apply `patches` in order; on exit, put back what each replaced, in reverse order."""
    originals: list[tuple[Patch, Any]] = []
    try:
        for patch in patches:
            originals.append((patch, inspect.getattr_static(patch.owner, patch.name)))
            setattr(patch.owner, patch.name, patch.replacement)
        yield
    finally:
        for patch, original in reversed(originals):
            setattr(patch.owner, patch.name, original)


@contextlib.contextmanager
def patched(document_seed: str, press_profile: Path | None = None, bilingual: bool = False) -> Iterator[Any]:
    """Every extension, for one PDF whose document id derives from `document_seed`; with a
    `press_profile`, every colour is drawn in that profile's inks; with `bilingual`, each
    tagged block carries its own language. Yields the record of the figures floated while the
    document was laid out, which the print proof reads."""
    require_versions()
    from . import document_id, floats, inks, justify, languages, notes, page_styles, tagging

    ink = inks.patches(press_profile) if press_profile else []
    tagged = languages.patches() if bilingual else []
    moved = floats.Floats()
    with applied([*justify.patches(), *notes.patches(), *floats.patches(moved), *page_styles.patches(),
                  *tagging.patches(), *document_id.patches(document_seed), *ink, *tagged]):
        yield moved
