"""What a publisher uploads: the built files under versioned names, with their checksums
and a README saying what each one is for."""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

from . import outputs
from .config import TRIM_SIZES, BookConfig
from .errors import BookError
from .files import atomic_output
from .pipeline import Target, targets
from .read.manuscript import open_manuscript

log = logging.getLogger(__name__)

CHECKSUMS = "SHA256SUMS"
README = "README.txt"


def make_dist(manuscript: Path, output: Path, dist: Path) -> list[Path]:
    """Copy the shipped outputs to `dist/` as `<slug>-<version><ending>`, then write
    SHA256SUMS and README.txt."""
    config = open_manuscript(manuscript).config
    shipped = targets(config, output, tuple(o for o in outputs.OUTPUTS if o.shipped))
    copies = []
    for target in shipped:
        if not target.path.exists():
            raise BookError(target.path, "not built yet (run 'make' first)")
        copy = dist / _versioned(target, config)
        with atomic_output(copy) as temporary:
            shutil.copyfile(target.path, temporary)
        copies.append(copy)
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in copies]
    with atomic_output(dist / CHECKSUMS) as temporary:
        temporary.write_text("".join(lines), encoding="utf-8")
    with atomic_output(dist / README) as temporary:
        temporary.write_text(_readme(config, shipped), encoding="utf-8")
    for p in copies:
        log.info("dist: %s", p)
    return copies


def _versioned(target: Target, config: BookConfig) -> str:
    """`<slug><ending>` with the version before the file's suffix: book-1.0.pdf, book-cover-1.0.pdf."""
    return f"{target.path.stem}-{config.version}{target.path.suffix}"


def _readme(config: BookConfig, shipped: list[Target]) -> str:
    """Each file and what it is for; for the print files, pages, trim, spine and paper."""
    from pypdf import PdfReader

    from .print.cover import cover_geometry, paper_thickness

    width, height = TRIM_SIZES[config.trim]
    lines = [f"{config.title}, version {config.version}", ""]
    for target in shipped:
        lines.append(f"{_versioned(target, config)}: {target.output.help}")
        if target.output.name == "cover":
            [print_pdf] = targets(config, target.path.parent, (outputs.by_name("pdf"),))
            interior = len(PdfReader(print_pdf.path).pages)
            sheet = cover_geometry(config, interior)
            lines.append(f"    one page of {sheet.sheet_width:.1f} × {sheet.sheet_height:.1f} mm (3 mm bleed); trim "
                         f"{config.trim} ({width} × {height}); spine {sheet.spine:.2f} mm for {interior} pages of "
                         f"{config.paper} paper ({paper_thickness(config)} mm per page)")
        elif target.path.suffix == ".pdf":
            pages = len(PdfReader(target.path).pages)
            lines.append(f"    {pages} pages, trim {config.trim} ({width} × {height})")
    lines += ["", f"{CHECKSUMS}: the SHA-256 of each file (sha256sum -c {CHECKSUMS})", ""]
    return "\n".join(lines)
