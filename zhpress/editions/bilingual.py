"""The bilingual edition (中英对照): the main edition's text and faces, each chapter beside
its English original (`chapters/NAME.en.md`), paired paragraph by paragraph."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .record import Edition
from .zh_hans import ZH_HANS

BILINGUAL = dataclasses.replace(ZH_HANS, name="zh-Hans-bilingual", suffix="-bilingual", originals=True,
                                name_on_title_page="中英对照")


def edition_for(_folder: Path) -> Edition:
    """The bilingual edition; book.yaml's `bilingual_layout` is read where print lays it out."""
    return BILINGUAL
