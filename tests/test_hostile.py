"""A hostile manuscript: whatever a web page carried must not reach the book, and what
cannot be made safe stops the build with one clear line."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import build_book, make_png, offline, pdf_text, run_cli, squash

from zhpress.check.gate import epubcheck

HOSTILE = """\
---
title: 危险的网页
source: https://www.example.com/evil
---

正文开始。<script>alert("x")</script>这里有<span onclick="steal()">事件</span>和\
<a href="javascript:alert(1)">脚本链接</a>。

<iframe src="https://evil.example.com/frame"></iframe>

<object data="evil.swf"></object><embed src="evil.swf">

<form action="https://evil.example.com/post"><input name="q"></form>

<img src="x.png" onerror="alert(1)"><p style="position:fixed" onmouseover="x()">样式与事件</p>

控制字符\x07在这里\x1b，还有\ufffe非字符。

结尾。
"""


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("hostile")
    chapters = root / "m" / "chapters"
    chapters.mkdir(parents=True)
    (root / "m" / "book.yaml").write_text("title: 危险测试\n", encoding="utf-8")
    (chapters / "01.md").write_text(HOSTILE, encoding="utf-8")
    make_png(root / "m" / "x.png", 4, 4, "red")
    with offline():
        result = build_book(root / "m", root / "out", ("pdf", "epub"))
    return root / "out", result.warnings


def epub_text(output: Path) -> str:
    epub = next(output.glob("*.epub"))
    with zipfile.ZipFile(epub) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xhtml"))


def test_scripts_handlers_frames_and_forms_never_reach_the_epub(hostile_build: tuple[Path, list[str]]) -> None:
    output, _ = hostile_build
    xhtml = epub_text(output).lower()
    for forbidden in ("<script", "onclick", "onerror", "onmouseover", "javascript:", "<iframe", "<object",
                      "<embed", "<form", "<input", "steal()", "evil.example.com", "position:fixed"):
        assert forbidden not in xhtml
    assert "正文开始。" in xhtml and "结尾。" in xhtml


def test_control_characters_are_dropped_with_a_warning_naming_file_and_line(
    hostile_build: tuple[Path, list[str]],
) -> None:
    output, warnings = hostile_build
    lines = [w for w in warnings if "control character" in w]
    assert [w.split(": warning: ")[1] for w in lines] == [
        "removed control character U+0007", "removed control character U+001B", "removed control character U+FFFE",
    ]
    line = HOSTILE.splitlines().index(next(x for x in HOSTILE.splitlines() if x.startswith("控制字符"))) + 1
    assert all(f"01.md:{line}: warning:" in w for w in lines)
    assert "控制字符在这里，还有非字符。" in epub_text(output)


def test_a_picture_inside_a_line_of_text_is_left_out_with_a_warning(hostile_build: tuple[Path, list[str]]) -> None:
    output, warnings = hostile_build
    line = next(n for n, text in enumerate(HOSTILE.splitlines(), start=1) if "x.png" in text)
    messages = [w for w in warnings if "inside a paragraph" in w]
    assert len(messages) == 1
    assert messages[0].endswith(
        f"chapters/01.md:{line}: warning: image 'x.png' is inside a paragraph of text and was left out; "
        "give it a paragraph of its own to make it a figure"
    )
    assert "x.png" not in epub_text(output)


def test_hostile_book_is_still_a_valid_epub_and_a_readable_pdf(hostile_build: tuple[Path, list[str]]) -> None:
    output, _ = hostile_build
    assert epubcheck(next(output.glob("*.epub"))) == []
    text = squash(pdf_text(next(output.glob("*.pdf"))))
    assert "正文开始。" in text and "alert" not in text


def _book(tmp_path: Path, image_line: str) -> Path:
    chapters = tmp_path / "m" / "chapters"
    chapters.mkdir(parents=True)
    (tmp_path / "m" / "book.yaml").write_text("title: 图片测试\n", encoding="utf-8")
    (chapters / "01.md").write_text(f"第一段。\n\n{image_line}\n\n第二段。\n", encoding="utf-8")
    return tmp_path / "m"


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("../../etc/passwd", "image '../../etc/passwd' is outside the manuscript folder"),
        ("/etc/passwd", "image '/etc/passwd': only paths inside the manuscript folder or http(s) URLs are allowed"),
        ("file:///etc/passwd", "an image has no usable source: "
         "only paths inside the manuscript folder or http(s) URLs are allowed"),
    ],
)
def test_images_outside_the_manuscript_are_refused(tmp_path: Path, src: str, message: str) -> None:
    _book(tmp_path, f"![x]({src})")
    code, _, err = run_cli("pdf", "--manuscript", "m", "--output", "out", cwd=tmp_path)
    where = "m/chapters/01.md" if src.startswith("file:") else "m/chapters/01.md:3"
    assert (code, err.strip()) == (2, f"{where}: error: {message}")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_symbolic_link_out_of_the_manuscript_is_refused(tmp_path: Path) -> None:
    manuscript = _book(tmp_path, "![x](images/photo.png)")
    make_png(tmp_path / "outside.png", 4, 4, "blue")
    (manuscript / "chapters" / "images").mkdir()
    (manuscript / "chapters" / "images" / "photo.png").symlink_to(tmp_path / "outside.png")
    code, _, err = run_cli("pdf", "--manuscript", "m", "--output", "out", cwd=tmp_path)
    message = "image 'images/photo.png' is outside the manuscript folder"
    assert (code, err.strip()) == (2, f"m/chapters/01.md:3: error: {message}")


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size: a decompression bomb as a decoder first sees it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused(tmp_path: Path) -> None:
    manuscript = _book(tmp_path, "![x](bomb.png)")
    (manuscript / "chapters" / "bomb.png").write_bytes(_png_claiming(24000, 24000))
    code, _, err = run_cli("pdf", "--manuscript", "m", "--output", "out", cwd=tmp_path)
    assert code == 2
    assert err.startswith("m/chapters/01.md:3: error: image 'bomb.png': picture too large to decode safely")
    assert "Traceback" not in err
