"""Rebuilds: nothing changed means no work; one chapter edited means one pandoc conversion."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_book, offline

from zhpress.pipeline import build
from zhpress.read import parse


def test_one_edited_chapter_is_the_only_one_converted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manuscript = copy_book("multi", tmp_path / "m")
    converted: list[str] = []
    original = parse.markdowns_to_html

    def counting(markdowns: list[str], origins: list[tuple[Path, int]] | None = None) -> list[str]:
        converted.extend(markdowns)
        return original(markdowns, origins)

    monkeypatch.setattr(parse, "markdowns_to_html", counting)
    with offline():
        build(manuscript, tmp_path / "out", ("epub",), force=True)
        assert len(converted) == 3
        converted.clear()
        assert build(manuscript, tmp_path / "out", ("epub",)) == []  # up to date: nothing read
        assert converted == []
        market = manuscript / "chapters" / "market.md"
        market.write_text(market.read_text(encoding="utf-8") + "\n新加的一段。\n", encoding="utf-8")
        written = build(manuscript, tmp_path / "out", ("epub",))
    assert [p.suffix for p in written] == [".epub"]
    assert len(converted) == 1 and "新加的一段。" in converted[0]
