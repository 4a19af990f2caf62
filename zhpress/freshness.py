"""Whether an output is up to date: a second `make` with nothing changed must do no work,
and a deleted or renamed chapter must count as a change (file times alone miss that).
Each output's record also keeps the digest of the file its build wrote (so a file since
replaced by another manuscript's build is not taken as up to date) and the warnings its
build gave, to show them again."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .files import atomic_output
from .read.cache import cache_folder

PACKAGE = Path(__file__).resolve().parent
STAMPS_DIR = ".cache/builds"
# The manuscript's files whose bytes, not only their size and time, make the signature: small.
CONTENT_SUFFIXES = {".yaml", ".yml", ".md"}


def inputs_signature(folder: Path, settings: str = "") -> str:
    """A digest of every file that shapes the book (manuscript, templates, styles, code), by
    name, size and time, of SOURCE_DATE_EPOCH, which the outputs carry, and of the command
    line's `settings` (--draft, the edition). The manuscript's text (book.yaml, chapters) is
    read too: a file put back with its old time (a restore, `cp -p`, a sync) still counts."""
    from .render import STYLES, TEMPLATES

    digest = hashlib.sha256(f"{os.environ.get('SOURCE_DATE_EPOCH', '')}\0{settings}".encode())
    for root in (folder, TEMPLATES, STYLES, PACKAGE):
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if relative.parts[0] == ".cache" or "__pycache__" in relative.parts or not path.is_file():
                continue
            stat = path.stat()
            digest.update(f"{root.name}/{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            if root is folder and path.suffix in CONTENT_SUFFIXES:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _stamp(folder: Path, output: Path) -> Path:
    key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:24]
    return cache_folder(folder, STAMPS_DIR) / key


def is_fresh(folder: Path, output: Path, signature: str) -> bool:
    """Built from these inputs, and still the file that build wrote: another manuscript built
    into the same output folder under the same slug has replaced it since."""
    record = _record(folder, output)
    return output.exists() and record.get("signature") == signature and record.get("output") == _digest(output)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def last_warnings(folder: Path, output: Path) -> list[str]:
    """The warnings the build of `output` gave."""
    return list(_record(folder, output).get("warnings", []))


def record_build(folder: Path, output: Path, signature: str, warnings: list[str]) -> None:
    with atomic_output(_stamp(folder, output)) as temporary:  # never through a link planted in the cache
        record = {"signature": signature, "output": _digest(output), "warnings": warnings}
        temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _record(folder: Path, output: Path) -> dict:
    try:
        record = json.loads(_stamp(folder, output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}
