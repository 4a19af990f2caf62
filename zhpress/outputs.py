"""Every file a build can write, declared once.

`build.py`'s commands, the output paths, `check`, `dist`, make's targets (`python3 -m
zhpress.outputs` prints their names for the Makefile) and the README's command table all
come from `OUTPUTS`: adding an output is one entry and its writer. An output made only in
another edition (the vertical EPUB, Traditional only) has no command of its own: an entry of
`EDITION_COMMANDS` builds it there, and `check` checks it when it is built. This module imports
nothing but the standard library, so make can read it before the venv exists, and a build
imports only the writers it runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Output:
    """One output file: how it is asked for, named, written, checked and shipped."""

    name: str  # the key in targets and freshness stamps
    command: str | None  # `build.py COMMAND` and `make COMMAND`; None: only an edition command builds it
    ending: str  # what follows the slug in the file name
    writer: str  # "module:function(book, path, **options)"
    help: str
    options: dict[str, Any] = field(default_factory=dict)
    in_all: bool = False  # built by `make` / `build.py all`
    checker: str | None = None  # "module:function(book, path, summary)" run by `check`
    shipped: bool = False  # copied by `dist`
    needs: tuple[str, ...] = ()  # outputs built first because the writer reads them

    def write(self, book: Any, path: Any) -> None:
        _function(self.writer)(book, path, **self.options)

    def check(self, book: Any, path: Any, summary: Any) -> None:
        if self.checker:
            _function(self.checker)(book, path, summary)


OUTPUTS: tuple[Output, ...] = (
    Output("pdf", "pdf", ".pdf", "zhpress.print.pdf:write_pdf", "the print PDF (PDF/UA)",
           in_all=True, checker="zhpress.check.gate:check_pdf", shipped=True),
    Output("epub", "epub", ".epub", "zhpress.ebook.epub:write_epub", "the EPUB 3",
           in_all=True, checker="zhpress.check.gate:check_epub", shipped=True),
    Output("html", "html", ".html", "zhpress.print.pdf:write_html",
           "the print HTML WeasyPrint renders (weasyprint output/<slug>.html x.pdf gives the same book)"),
    Output("press", "pdf-press", "-press.pdf", "zhpress.print.pdf:write_pdf",
           "the printer's PDF: PDF/X-4 in black ink and CMYK pictures, bleed, crop marks outside it",
           options={"variant": "press"}, shipped=True),
    Output("cover", "cover", "-cover.pdf", "zhpress.print.cover:write_cover",
           "the print cover: back, spine (pages × paper) and front with 3 mm bleed, ISBN barcode, PDF/X-4",
           shipped=True, needs=("pdf",)),
    Output("store-cover", "store-cover", "-store-cover.jpg", "zhpress.ebook.store_cover:write_store_cover",
           "the cover image for stores: JPEG, 1600×2560, sRGB, under 5 MB", shipped=True),
    Output("cover-guides", "cover-guides", "-cover-guides.pdf", "zhpress.print.cover:write_cover",
           "the cover's proof with safe-area, spine and barcode guides ('cover --guides')",
           options={"guides": True}, needs=("pdf",)),
    Output("archive", "pdf-archive", "-pdfa.pdf", "zhpress.print.pdf:write_pdf",
           "a PDF/A-3b copy for archives", options={"variant": "archive"}),
    Output("epub-vertical", None, "-vertical.epub", "zhpress.ebook.epub:write_epub",
           "the EPUB 3 set vertically (直排), pages turning right to left",
           options={"vertical": True}, checker="zhpress.check.gate:check_epub"),
)


@dataclass(frozen=True)
class EditionCommand:
    """A command that builds outputs in another edition than the main one, which book.yaml's
    settings and the manuscript's files complete (the region, the overrides)."""

    command: str
    outputs: tuple[str, ...]
    edition: str  # "module:function(book_config) -> Edition"
    help: str

    def edition_for(self, config: Any) -> Any:
        """The edition of the manuscript whose book.yaml (already read) is `config`."""
        return _function(self.edition)(config)


EDITION_COMMANDS: tuple[EditionCommand, ...] = (
    EditionCommand("hant", ("pdf", "epub"), "zhpress.editions.zh_hant:edition_for",
                   "the Traditional edition (繁體版, book.yaml's 'hant' region) as PDF and EPUB; "
                   "with --report, the page reviewing its conversion instead"),
    EditionCommand("bilingual", ("pdf", "epub"), "zhpress.editions.bilingual:edition_for",
                   "the bilingual edition (中英对照): each chapter beside its English original "
                   "chapters/NAME.en.md, paired paragraph by paragraph, as PDF and EPUB"),
    EditionCommand("epub-vertical", ("epub-vertical",), "zhpress.editions.zh_hant:edition_for",
                   "the Traditional edition's EPUB set vertically (直排: vertical-rl, pages turning right to "
                   "left, short digit runs upright, Latin words turned); print stays horizontal"),
)


def by_name(name: str) -> Output:
    return next(o for o in OUTPUTS if o.name == name)


def main_outputs() -> tuple[Output, ...]:
    """The outputs with a command of their own, built in the main edition."""
    return tuple(o for o in OUTPUTS if o.command)


def commands() -> dict[str, tuple[str, ...]]:
    """`build.py`'s build commands and the outputs each builds: `all`, one per output, then
    one per edition command."""
    return {"all": tuple(o.name for o in OUTPUTS if o.in_all), **{o.command: (o.name,) for o in main_outputs()},
            **{c.command: c.outputs for c in EDITION_COMMANDS}}


def edition_command(command: str) -> EditionCommand | None:
    return next((c for c in EDITION_COMMANDS if c.command == command), None)


def edition_groups() -> list[tuple[EditionCommand, tuple[str, ...]]]:
    """Each other edition the edition commands build (one command naming it), with the outputs
    built in it by any of them: what `check` checks in that edition."""
    groups: dict[str, tuple[EditionCommand, tuple[str, ...]]] = {}
    for c in EDITION_COMMANDS:
        first, names = groups.get(c.edition, (c, ()))
        groups[c.edition] = (first, (*names, *c.outputs))
    return list(groups.values())


def with_needs(names: tuple[str, ...]) -> tuple[str, ...]:
    """`names` with the outputs they need before them, each once."""
    return tuple(dict.fromkeys(n for name in names for n in (*by_name(name).needs, name)))


def _function(reference: str) -> Callable[..., Any]:
    module, name = reference.split(":")
    return getattr(importlib.import_module(module), name)


if __name__ == "__main__":
    print(" ".join((*(o.command for o in main_outputs()), *(c.command for c in EDITION_COMMANDS))))
