"""What a publisher uploads: the built files under versioned names, with their checksums."""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

from . import outputs
from .errors import BookError
from .files import atomic_output
from .pipeline import targets
from .read.manuscript import open_manuscript

log = logging.getLogger(__name__)

CHECKSUMS = "SHA256SUMS"


def make_dist(manuscript: Path, output: Path, dist: Path) -> list[Path]:
    """Copy the shipped outputs (the PDF and EPUB) to `dist/` as `<slug>-<version><ending>` and
    write SHA256SUMS."""
    config = open_manuscript(manuscript).config
    copies = []
    for target in targets(config, output, tuple(o for o in outputs.OUTPUTS if o.shipped)):
        if not target.path.exists():
            raise BookError(target.path, "not built yet (run 'make' first)")
        copy = dist / f"{target.path.stem}-{config.version}{target.path.suffix}"
        with atomic_output(copy) as temporary:
            shutil.copyfile(target.path, temporary)
        copies.append(copy)
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in copies]
    with atomic_output(dist / CHECKSUMS) as temporary:
        temporary.write_text("".join(lines), encoding="utf-8")
    for p in copies:
        log.info("dist: %s", p)
    return copies
