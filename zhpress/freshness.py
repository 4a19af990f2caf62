"""Whether an output is up to date: a second `make` with nothing changed must do no work,
and a deleted or renamed chapter must count as a change (file times alone miss that)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STAMPS_DIR = ".cache/builds"


def inputs_signature(folder: Path) -> str:
    """A digest of every file that shapes the book (manuscript, templates, styles, code), by
    name, size and time, and of SOURCE_DATE_EPOCH, which the outputs carry."""
    from .render import STYLES, TEMPLATES

    digest = hashlib.sha256(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for root in (folder, TEMPLATES, STYLES, PACKAGE):
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if relative.parts[0] == ".cache" or "__pycache__" in relative.parts or not path.is_file():
                continue
            stat = path.stat()
            digest.update(f"{root.name}/{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _stamp(folder: Path, output: Path) -> Path:
    key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:24]
    return folder / STAMPS_DIR / key


def is_fresh(folder: Path, output: Path, signature: str) -> bool:
    stamp = _stamp(folder, output)
    return output.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == signature


def record_build(folder: Path, output: Path, signature: str) -> None:
    stamp = _stamp(folder, output)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(signature, encoding="utf-8")
