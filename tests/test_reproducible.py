"""Same input, same bytes: publishers compare checksums of what we build."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import build_book, copy_book, offline, run_cli

EPOCH = "1770508800"  # 2026-02-08


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_two_builds_give_identical_pdf_press_pdf_and_epub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    manuscript = copy_book("multi", tmp_path / "m")
    with offline():
        build_book(manuscript, tmp_path / "one", ("pdf", "press", "epub"))
        build_book(manuscript, tmp_path / "two", ("pdf", "press", "epub"))
    first, second = digests(tmp_path / "one"), digests(tmp_path / "two")
    assert len(first) == 3
    assert first == second


def test_the_press_pdf_carries_the_source_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    with offline():
        result = build_book(copy_book("tiny", tmp_path / "m"), tmp_path / "out", ("press",))
    info = PdfReader(result.paths[0]).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20260208000000Z"


def test_a_character_no_font_has_fails_the_check(tmp_path: Path) -> None:
    manuscript = copy_book("tiny", tmp_path / "tiny")
    chapter = manuscript / "chapters" / "02-night.md"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    chapter.write_text("\n".join([*lines, "", "笑脸😀在这里。", ""]), encoding="utf-8")
    line = len(lines) + 2
    code, _, err = run_cli("all", "--manuscript", "tiny", "--output", "out", cwd=tmp_path)
    assert code == 0
    expected = f"tiny/chapters/02-night.md:{line}: {{}}: [G001] no font has U+1F600 GRINNING FACE '😀'"
    assert expected.format("warning") in err.splitlines()
    code, _, err = run_cli("check", "--manuscript", "tiny", "--output", "out", cwd=tmp_path)
    assert code == 1
    assert expected.format("error") in err.splitlines()
