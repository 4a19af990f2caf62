"""A hostile manuscript: whatever a web page carried must not reach the book, and what
cannot be made safe stops the build with one clear line."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import pytest
from conftest import BUILD_PY, PYTHON, LogGuard, build_book, make_png, offline, pdf_text, run_cli, squash
from lxml.html.builder import E
from pypdf import PdfReader

from zhpress.check.gate import epubcheck
from zhpress.errors import BookError

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


# --------------------------------------------------------------------------- trust boundaries
# Each case: a manuscript that built once (its outputs kept), made hostile, built again through
# the CLI. A marker file sits outside the manuscript; a listener on 127.0.0.1 counts connections.

MARKER = "OUTSIDE-MARKER-7f3a"


class Listener:
    """A TCP listener on 127.0.0.1 that accepts and counts connections, answering nothing."""

    def __init__(self, path: str = "") -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}{path}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        connection.close()

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@dataclass
class Case:
    """A built manuscript `m` and its outputs `out` in `root`, with a marker file outside."""

    root: Path

    @property
    def manuscript(self) -> Path:
        return self.root / "m"

    @property
    def output(self) -> Path:
        return self.root / "out"

    @property
    def outside(self) -> Path:
        return self.root / "outside"

    def write(self, relative: str, text: str) -> Path:
        path = self.manuscript / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def outputs(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(self.output.iterdir())}

    def build(self, command: str = "all") -> tuple[int, str]:
        code, _, err = run_cli(command, "--manuscript", "m", "--output", "out", "--force", cwd=self.root)
        return code, err.strip()

    def refused(self, message: str, command: str = "all") -> None:
        """The build fails with exactly `message` and status 2, leaving the old outputs as they were."""
        before = self.outputs()
        assert self.build(command) == (2, message)
        assert self.outputs() == before

    def clean(self) -> str:
        """The outputs hold nothing from outside the manuscript; returns the EPUB's XHTML."""
        xhtml = epub_text(self.output)
        assert MARKER not in xhtml
        assert MARKER not in squash(pdf_text(next(self.output.glob("*.pdf"))))
        assert all(MARKER.encode() not in data for data in self.outputs().values())
        return xhtml


@pytest.fixture(scope="module")
def built_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small manuscript built once; each test gets a copy of it and of its outputs."""
    root = tmp_path_factory.mktemp("case")
    case = Case(root)
    case.write("book.yaml", "title: 信任测试\n")
    case.write("chapters/01.md", "# 第一章\n\n第一段。\n\n第二段。\n")
    code, err = case.build()
    assert code == 0, err
    return root


@pytest.fixture
def case(built_case: Path, tmp_path: Path) -> Case:
    shutil.copytree(built_case, tmp_path / "case", symlinks=True)
    copy = Case(tmp_path / "case")
    copy.outside.mkdir()
    (copy.outside / "secret.md").write_text(f"# 秘密\n\n{MARKER}\n", encoding="utf-8")
    make_png(copy.outside / "secret.png", 8, 8, "purple")
    return copy


def test_the_print_gate_refuses_a_file_the_build_did_not_resolve(
    case: Case, monkeypatch: pytest.MonkeyPatch, log_guard: LogGuard,
) -> None:
    """Should a reference ever slip past the sanitizer, WeasyPrint still cannot load it."""
    log_guard.expect("Failed to load image")
    from zhpress.pipeline import load_book
    from zhpress.print.pdf import write_pdf
    from zhpress.read.manuscript import open_manuscript

    secret = case.outside / "secret.png"
    case.write("chapters/01.md", f"# 第一章\n\n第一段。\n\n路径 `{secret}` 写在这里。\n")
    monkeypatch.chdir(case.root)
    book = load_book(open_manuscript(Path("m")), offline=True)
    book.chapters[0].body.append(E.p(E.img(src=str(secret))))
    before = case.outputs()
    with pytest.raises(BookError) as caught:
        write_pdf(book, Path("out/book.pdf"))
    assert str(caught.value) == (
        f"m/chapters/01.md:5: error: '{secret}' is not a file this build resolved: refused to load it into the PDF"
    )
    assert case.outputs() == before


def test_the_print_gate_makes_no_connection(case: Case, monkeypatch: pytest.MonkeyPatch, log_guard: LogGuard) -> None:
    log_guard.expect("Failed to load image")
    from zhpress.pipeline import load_book
    from zhpress.print.pdf import write_pdf
    from zhpress.read.manuscript import open_manuscript

    monkeypatch.chdir(case.root)
    book = load_book(open_manuscript(Path("m")), offline=True)
    with Listener() as listener:
        book.chapters[0].body.append(E.p(E.img(src=f"{listener.url}/x.png")))
        with pytest.raises(BookError) as caught:
            write_pdf(book, Path("out/book.pdf"))
    assert listener.connections == 0
    assert str(caught.value) == (
        f"m/chapters/01.md: error: '{listener.url}/x.png' is not a file this build resolved: "
        "refused to load it into the PDF"
    )


def test_the_print_gate_serves_only_the_files_it_was_given(tmp_path: Path) -> None:
    from zhpress.print.resources import RefusedResourceError, ResourceGate

    allowed = make_png(tmp_path / "a.png", 2, 2, "red")
    make_png(tmp_path / "b.png", 2, 2, "red")
    (tmp_path / "link.png").symlink_to(tmp_path / "b.png")
    gate = ResourceGate([allowed])
    assert gate.fetch(allowed.as_uri()).read() == allowed.read_bytes()
    assert gate.fetch("data:text/plain,x").read() == b"x"
    refused = [(tmp_path / "b.png").as_uri(), (tmp_path / "link.png").as_uri(), "file:///etc/passwd",
               "http://127.0.0.1:9/a.png", "ftp://127.0.0.1/a.png", f"file://host{allowed}"]
    for url in refused:
        with pytest.raises(RefusedResourceError):
            gate.fetch(url)
    assert gate.refused == refused


def test_only_the_data_attributes_we_read_survive_sanitizing() -> None:
    from zhpress.read.parse import sanitize

    html = ('<p data-x="1"><span data-kind="footnote" data-src="/etc/passwd">注</span>'
            '<img src="a.png" data-figure="ch01-fig1" data-credit="AP" data-caption="说明" data-src="b.png"></p>')
    assert sanitize(html) == ('<p><span data-kind="footnote">注</span>'
                              '<img src="a.png" data-credit="AP" data-caption="说明"></p>')


def test_a_manuscript_cannot_mark_its_own_picture_a_figure(case: Case) -> None:
    """data-figure marks the figures our transform checked: written in a manuscript (raw HTML,
    or pandoc's `{figure=…}`), it is dropped and the picture is an inline one, left out."""
    case.write("chapters/01.md", '# 第一章\n\n第一段<img src="../../outside/secret.png" data-figure="ch01-fig1">。\n\n'
               "第二段![秘密](../../outside/./secret.png){figure=ch01-fig1}。\n")
    code, err = case.build()
    assert code == 0
    left_out = "is inside a paragraph of text and was left out; give it a paragraph of its own to make it a figure"
    assert [line for line in err.splitlines() if "warning" in line] == [
        f"m/chapters/01.md:3: warning: image '../../outside/secret.png' {left_out}",
        f"m/chapters/01.md:5: warning: image '../../outside/./secret.png' {left_out}",
    ]
    xhtml = case.clean()
    assert "secret.png" not in xhtml and "data-figure" not in xhtml
    assert not any(page.images for page in PdfReader(next(case.output.glob("*.pdf"))).pages)


def test_a_figure_marked_in_the_manuscript_is_still_checked_as_a_figure(case: Case) -> None:
    case.write("chapters/01.md", "# 第一章\n\n第一段。\n\n![秘密](/etc/hostname){figure=ch01-fig1}\n")
    case.refused("m/chapters/01.md:5: error: image '/etc/hostname': "
                 "only paths inside the manuscript folder or http(s) URLs are allowed")


OUT_BY_LINK = "chapter is outside the manuscript folder (a symbolic link leads out of it)"


def test_a_chapter_linked_to_a_file_outside_is_refused(case: Case) -> None:
    (case.manuscript / "chapters" / "02.md").symlink_to(case.outside / "secret.md")
    case.refused(f"m/chapters/02.md: error: {OUT_BY_LINK}")


def test_a_linked_chapters_folder_outside_is_refused(case: Case) -> None:
    shutil.rmtree(case.manuscript / "chapters")
    (case.manuscript / "chapters").symlink_to(case.outside)
    case.refused(f"m/chapters/secret.md: error: {OUT_BY_LINK}")


def test_a_listed_chapter_linked_outside_is_refused(case: Case) -> None:
    case.write("book.yaml", "title: 信任测试\nchapters: [chapters/01.md, chapters/link.md]\n")
    (case.manuscript / "chapters" / "link.md").symlink_to(case.outside / "secret.md")
    case.refused("m/book.yaml:2: error: chapter 'chapters/link.md' is outside the manuscript folder")


def test_a_cover_linked_outside_is_refused(case: Case) -> None:
    case.write("book.yaml", "title: 信任测试\ncover: cover.png\n")
    (case.manuscript / "cover.png").symlink_to(case.outside / "secret.png")
    case.refused("m/book.yaml:2: error: image 'cover.png' is outside the manuscript folder")


def test_hidden_markdown_files_are_not_chapters(case: Case) -> None:
    """Emacs's lock files and macOS's resource forks sit beside the chapters they shadow."""
    case.write("chapters/._01.md", f"# 资源叉\n\n{MARKER}\n")
    (case.manuscript / "chapters" / ".#01.md").symlink_to(case.outside / "secret.md")
    assert case.build() == (0, "wrote out/信任测试.pdf (8 pages)\nwrote out/信任测试.epub")
    case.clean()


def _plant_entry(folder: Path, key: str, data: bytes, suffix: str) -> Path:
    """A cache entry named as the build names its own: the digest in its name is right."""
    for old in folder.glob(f"{key}.*"):
        old.unlink()
    path = folder / f"{key}.{hashlib.sha256(data).hexdigest()[:32]}{suffix}"
    path.write_bytes(data)
    return path


def test_cached_html_is_sanitized_again_on_reading(case: Case) -> None:
    (entry,) = (case.manuscript / ".cache" / "pandoc").glob("*.html")
    planted = ('<p>第一段。</p><script>alert(1)</script><iframe src="https://evil.example.com/"></iframe>'
               '<p>第二段。<img src="../../outside/secret.png" data-figure="ch01-fig1"></p>')
    _plant_entry(entry.parent, entry.name.split(".")[0], planted.encode(), ".html")
    code, err = case.build()
    assert code == 0
    assert [line for line in err.splitlines() if "warning" in line] == [
        "m/chapters/01.md: warning: image '../../outside/secret.png' is inside a paragraph of text and was left out; "
        "give it a paragraph of its own to make it a figure",
    ]
    xhtml = case.clean()
    assert "<script" not in xhtml and "<iframe" not in xhtml and "secret.png" not in xhtml


@pytest.mark.parametrize("damage", [b"\xff\xfe garbage", b"", None])
def test_a_damaged_cache_entry_is_discarded_with_a_warning_and_made_again(case: Case, damage: bytes | None) -> None:
    (entry,) = (case.manuscript / ".cache" / "pandoc").glob("*.html")
    if damage is None:  # a link named as the entry it replaces, to a file outside
        entry.unlink()
        entry.symlink_to(case.outside / "secret.md")
    elif damage:  # bytes that no longer hash to the name
        entry.write_bytes(damage)
    else:  # an empty entry, named right: it would print an empty chapter
        entry = _plant_entry(entry.parent, entry.name.split(".")[0], damage, ".html")
    code, err = case.build()
    assert code == 0
    assert [line for line in err.splitlines() if "warning" in line] == [
        f"m/.cache/pandoc/{entry.name}: warning: damaged cache entry discarded; it is made again",
    ]
    assert "第二段。" in case.clean()
    assert len(list(entry.parent.glob("*.html"))) == 1


def test_a_linked_picture_in_the_cache_is_never_embedded(case: Case) -> None:
    with Listener() as listener:
        url = f"{listener.url}/photo.png"
        case.write("chapters/01.md", f"# 第一章\n\n第一段。\n\n![照片]({url})\n\n第二段。\n")
        cache = case.manuscript / ".cache" / "images"
        cache.mkdir()
        secret = (case.outside / "secret.png").read_bytes()
        key = hashlib.sha256(url.encode()).hexdigest()[:24]
        link = cache / f"{key}.{hashlib.sha256(secret).hexdigest()[:32]}.png"
        link.symlink_to(case.outside / "secret.png")
        code, err = case.build()
    assert code == 0
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert warnings[0] == f"m/.cache/images/{link.name}: warning: damaged cache entry discarded; it is made again"
    assert warnings[1].startswith("m/chapters/01.md:5: warning: image not fetched (")
    assert listener.connections == 1  # fetched again: the only connection, to the picture's own server
    case.clean()
    assert all(secret not in data for data in case.outputs().values())
    assert not any(page.images for page in PdfReader(next(case.output.glob("*.pdf"))).pages)


def test_a_cache_folder_linked_outside_is_refused(case: Case) -> None:
    shutil.rmtree(case.manuscript / ".cache")
    (case.manuscript / ".cache").symlink_to(case.outside, target_is_directory=True)
    before = sorted(case.outside.iterdir())
    case.refused("m/.cache/pandoc: error: cache folder leads out of the manuscript folder (a symbolic link); "
                 "delete it and build again")
    assert sorted(case.outside.iterdir()) == before


@pytest.mark.parametrize(
    ("href", "source", "usable"),
    [
        ("/about", "https://www.example.com/news/story", "https://www.example.com/about"),
        ("next.html", "https://www.example.com/news/story", "https://www.example.com/news/next.html"),
        ("//cdn.example.com/a", "https://www.example.com/", "https://cdn.example.com/a"),
        ("/about", None, None),
        ("/about", "file:///home/x/story.html", None),
        ("https://www.example.com/a", None, "https://www.example.com/a"),
        ("https:///nohost", None, None),
        ("mailto:desk@example.com", None, "mailto:desk@example.com"),
        ("mailto:", None, None),
        ("#ch01-x", None, "#ch01-x"),
        ("#ch01-nowhere", None, None),
        ("ftp://example.com/a", "https://www.example.com/", None),
        ("tel:123", None, None),
        (None, "https://www.example.com/", None),
    ],
)
def test_the_address_a_link_may_keep(href: str | None, source: str | None, usable: str | None) -> None:
    from zhpress.transforms.links import usable_href

    assert usable_href(href, source, {"ch01-x"}) == usable


LINKS = """\
---
source: https://www.example.com/news/story
---
# 第一章

见[关于](/about)与[下一篇](next.html)。

[文件](file:///etc/passwd)和<a href="java&#x09;script:alert(1)">脚本</a>，[相对](../../outside/secret.md)。

[锚点](#nowhere)与[邮件](mailto:desk@example.com)。
"""


def test_links_resolve_against_the_source_or_become_text(case: Case) -> None:
    case.write("chapters/01.md", LINKS)
    code, err = case.build()
    assert code == 0
    text = "has no usable web or mail address; printed as text without a link"
    assert [line for line in err.splitlines() if "warning" in line] == [
        f"m/chapters/01.md:8: warning: link '文件' {text}",
        f"m/chapters/01.md:8: warning: link '脚本' {text}",
        f"m/chapters/01.md:10: warning: link '锚点' {text}",
    ]
    xhtml = case.clean()
    for address in ("https://www.example.com/about", "https://www.example.com/news/next.html",
                    "https://www.example.com/outside/secret.md", "mailto:desk@example.com"):
        assert f'href="{address}"' in xhtml
    for gone in ("file:", "script:", "nowhere", 'href="/about"'):
        assert gone not in xhtml
    assert epubcheck(next(case.output.glob("*.epub"))) == []
    pdf = PdfReader(next(case.output.glob("*.pdf")))
    targets = [a.get_object()["/A"].get("/URI", "") for page in pdf.pages for a in page.get("/Annots") or []
               if "/A" in a.get_object()]
    assert "https://www.example.com/about" in targets
    assert not [t for t in targets if not t.startswith(("https://", "mailto:"))]


def _alias_bomb(levels: int = 9) -> str:
    """Nine levels of nine aliases: 9**9 strings once expanded (past 3 GB for PyYAML)."""
    lines = ['a0: &a0 ["lol"]']
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_in_book_yaml_is_refused(case: Case) -> None:
    case.write("book.yaml", "title: 信任测试\n" + _alias_bomb())
    case.refused("m/book.yaml:3: error: YAML aliases (*a0) are not allowed: nested ones expand to gigabytes")


def test_a_yaml_alias_bomb_in_front_matter_is_refused(case: Case) -> None:
    case.write("chapters/01.md", "---\n" + _alias_bomb() + "---\n# 第一章\n\n第一段。\n")
    case.refused("m/chapters/01.md:3: error: YAML aliases (*a0) are not allowed: nested ones expand to gigabytes")


def test_a_duplicate_yaml_key_is_an_error(case: Case) -> None:
    case.write("book.yaml", "title: 信任测试\nslug: one\nslug: two\n")
    case.refused("m/book.yaml:3: error: duplicate key 'slug'")


def test_a_lone_surrogate_in_yaml_is_an_error(case: Case) -> None:
    case.write("chapters/01.md", '---\ntitle: "坏\\ud800字"\n---\n# 第一章\n\n第一段。\n')
    case.refused("m/chapters/01.md:2: error: \\uD800 is half of a surrogate pair, not a character "
                 "(write the character itself)")


def test_a_version_is_read_as_written(case: Case) -> None:
    case.write("book.yaml", "title: 信任测试\nversion: 1.10\n")
    assert case.build()[0] == 0
    assert "1.10" in case.clean()


class DripServer(Listener):
    """An HTTP server on 127.0.0.1 that sends `head`, then one byte of `drip` every `pause` s."""

    def __init__(self, head: bytes, drip: bytes, pause: float = 0.1) -> None:
        super().__init__("/photo.png")
        self.head, self.drip, self.pause = head, drip, pause

    def _answer(self, connection: socket.socket) -> None:
        threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError):
            connection.recv(65536)
            connection.sendall(self.head)
            for byte in self.drip:
                if self._stop.wait(self.pause):
                    return
                connection.sendall(bytes([byte]))


def _fetch_book(tmp_path: Path, url: str) -> Path:
    (tmp_path / "m" / "chapters").mkdir(parents=True)
    (tmp_path / "m" / "book.yaml").write_text("title: 慢服务器\n", encoding="utf-8")
    (tmp_path / "m" / "chapters" / "01.md").write_text(f"# 第一章\n\n第一段。\n\n![照片]({url})\n", encoding="utf-8")
    return tmp_path / "m"


@pytest.mark.parametrize(
    ("head", "drip"),
    [(b"HTTP/1.0 200 OK\r\n", b"X-Slow: " + b"x" * 1000), (b"HTTP/1.0 200 OK\r\n\r\n", b"\x89PNG" + b"x" * 1000)],
    ids=["headers", "body"],
)
def test_a_server_that_drips_bytes_meets_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log_guard: LogGuard, head: bytes, drip: bytes,
) -> None:
    from zhpress.read import images

    log_guard.expect("image not fetched")

    monkeypatch.setattr(images, "FETCH_DEADLINE", 1.0)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with DripServer(head, drip) as server:
        started = time.monotonic()
        result = build_book(_fetch_book(tmp_path, server.url), tmp_path / "out", ("epub",))
        elapsed = time.monotonic() - started
    assert result.warnings == [
        f"{tmp_path}/m/chapters/01.md:5: warning: image not fetched (not received within 1.0 s), "
        f"printing a placeholder: {server.url}"
    ]
    assert elapsed < 4
    assert server.connections == 1


@pytest.mark.parametrize("head", [b"HTTP/1.0 200 OK\r\nContent-Length: 1000000000000\r\n\r\n",
                                  b"HTTP/1.0 200 OK\r\n\r\n"], ids=["declared", "streamed"])
def test_a_picture_larger_than_the_cap_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log_guard: LogGuard, head: bytes,
) -> None:
    from zhpress.read import images

    log_guard.expect("image not fetched")

    monkeypatch.setattr(images, "MAX_DOWNLOAD", 1000)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with DripServer(head, b"x" * 5000, pause=0) as server:
        result = build_book(_fetch_book(tmp_path, server.url), tmp_path / "out", ("epub",))
    assert result.warnings == [
        f"{tmp_path}/m/chapters/01.md:5: warning: image not fetched (larger than 1,000 bytes), "
        f"printing a placeholder: {server.url}"
    ]
    assert not list((tmp_path / "m" / ".cache" / "images").iterdir())


@pytest.mark.parametrize(
    ("nested", "levels"),
    [("> " * 200 + "深处的一句话。", 201), ("<div>" * 3000 + "深处的一句话。" + "</div>" * 3000, 3000)],
    ids=["quotes", "tags"],
)
def test_nesting_deeper_than_the_limit_is_one_clear_error(case: Case, nested: str, levels: int) -> None:
    case.write("chapters/01.md", f"# 第一章\n\n第一段。\n\n{nested}\n")
    case.refused(f"m/chapters/01.md:5: error: nested {levels} levels deep (quotes, lists or tags within one "
                 "another); a book allows 50")


def test_nesting_up_to_the_limit_builds(tmp_path: Path) -> None:
    from zhpress.read.parse import MAX_NESTING

    _book(tmp_path, "> " * (MAX_NESTING - 1) + "深处。")  # each quote, then the paragraph
    code, _, err = run_cli("epub", "--manuscript", "m", "--output", "out", cwd=tmp_path)
    assert (code, err.strip()) == (0, "wrote out/图片测试.epub")


def test_a_control_character_escaped_in_yaml_is_refused(case: Case) -> None:
    case.write("book.yaml", 'title: "测试\\a书"\n')
    case.refused("m/book.yaml:1: error: \\u0007 is a control character no book can hold")


def test_all_writes_every_output_or_none(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF is finished before the EPUB fails: it must not be renewed on its own."""
    from zhpress.ebook import epub

    def failing(*_args: object) -> None:
        raise BookError(case.manuscript / "book.yaml", "the EPUB failed")

    monkeypatch.setattr(epub, "write_epub", failing)
    case.write("chapters/01.md", "# 第一章\n\n新的第一段。\n")
    before = case.outputs()
    with pytest.raises(BookError, match="the EPUB failed"):
        build_book(case.manuscript, case.output, ("pdf", "epub"))
    assert case.outputs() == before
    assert not list(case.output.glob(".*.part"))


def test_a_file_another_manuscript_built_since_is_not_up_to_date(case: Case) -> None:
    other = Case(case.root / "other")
    shutil.copytree(case.manuscript, other.manuscript)
    other.write("chapters/01.md", "# 第一章\n\n另一本书。\n")
    assert run_cli("all", "--manuscript", "other/m", "--output", "out", cwd=case.root)[0] == 0
    code, _, err = run_cli("all", "--manuscript", "m", "--output", "out", cwd=case.root)
    assert (code, err.strip()) == (0, "wrote out/信任测试.pdf (8 pages)\nwrote out/信任测试.epub")
    assert "第二段。" in case.clean()


def test_leftovers_of_a_killed_build_are_removed(case: Case) -> None:
    for name in (".信任测试.pdf.k1ll3d.part", ".信任测试.epub.x.part"):
        (case.output / name).write_bytes(b"half a book")
    (case.output / "notes.part").write_bytes(b"not ours")
    assert case.build()[0] == 0
    assert sorted(p.name for p in case.output.iterdir()) == ["notes.part", "信任测试.epub", "信任测试.pdf"]


def test_margins_wider_than_the_page_are_refused(case: Case) -> None:
    case.write("book.yaml", "title: 信任测试\ntrim: 32k\ninner_margin: 60mm\nouter_margin: 2.5in\n")
    case.refused("m/book.yaml:4: error: inner_margin and outer_margin (60mm + 2.5in) leave less than 40mm "
                 "of text on a page 130mm wide")


TRADITIONAL = "# 標題\n\n這一章是用正體中文保存的，內容關於臺灣與香港的歷史。\n"
SIMPLIFIED = "# 标题\n\n这一章是用简体中文保存的，内容关于历史。\n"


@pytest.mark.parametrize(
    ("data", "line", "name"),
    [
        (TRADITIONAL.encode("big5"), 1, "Big5"),
        (SIMPLIFIED.encode("gbk"), 1, "GBK/GB18030"),
        (SIMPLIFIED.encode("utf-16-le"), 1, "UTF-16"),
        (TRADITIONAL.encode("utf-16-be"), 1, "UTF-16"),
    ],
    ids=["big5", "gbk", "utf-16-le", "utf-16-be"],
)
def test_a_chapter_not_in_utf8_is_named_by_its_encoding(case: Case, data: bytes, line: int, name: str) -> None:
    (case.manuscript / "chapters" / "01.md").write_bytes(data)
    case.refused(f"m/chapters/01.md:{line}: error: not UTF-8 text (it looks like {name}; "
                 "save it as UTF-8 and build again)")


# --------------------------------------------------------------------------- one line, not a traceback


def test_an_invisible_character_in_an_image_address_is_refused(case: Case) -> None:
    case.write("chapters/01.md", "# 第一章\n\n第一段。\n\n![图](https://www.exa\u200bmple.com/a.png)\n")
    case.refused("m/chapters/01.md:5: error: image 'https://www.exa\u200bmple.com/a.png' has an invisible "
                 "character in it (U+200B ZERO WIDTH SPACE); type the address again without it")


def test_an_internationalised_image_address_is_asked_for_in_ascii() -> None:
    from zhpress.read.images import _ascii_url, _unfetchable

    assert _ascii_url("https://例子.中国/图 a.png?q=值") == (
        "https://xn--fsqu00a.xn--fiqs8s/%E5%9B%BE%20a.png?q=%E5%80%BC")
    assert _ascii_url("http://127.0.0.1:8080/a.png") == "http://127.0.0.1:8080/a.png"
    assert _unfetchable("https://例子.中国/a.png") is None
    assert _unfetchable("https:///a.png") == "the address has no host"
    assert _unfetchable("https://a..b/a.png") == "the host is not a valid domain name"


def test_an_internationalised_image_address_gets_a_placeholder_offline(tmp_path: Path, log_guard: LogGuard) -> None:
    log_guard.expect("image not fetched")
    with offline():
        result = build_book(_fetch_book(tmp_path, "https://例子.中国/a.png"), tmp_path / "out", ("epub",))
    assert [w.split(": warning: ")[1] for w in result.warnings] == [
        "image not fetched ([Errno -2] Name or service not known), printing a placeholder: https://例子.中国/a.png",
    ]


@pytest.mark.parametrize(("side", "unread"), [(2400, 3), (256, 4)], ids=["larger-than-print", "small"])
def test_a_damaged_picture_is_refused(case: Case, side: int, unread: int) -> None:
    """Its header reads (so it passes as a picture); its pixels stop half way."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((side, side)).convert("RGB").save(buffer, "JPEG")
    (case.manuscript / "chapters" / "big.jpg").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    case.write("chapters/01.md", "# 第一章\n\n第一段。\n\n![图](big.jpg)\n")
    case.refused("m/chapters/01.md:5: error: image 'big.jpg': damaged picture "
                 f"(image file is truncated ({unread} bytes not processed))")


def test_a_slug_too_long_for_a_file_name_is_refused(case: Case) -> None:
    case.write("book.yaml", f"title: 信任测试\nslug: {'a' * 300}\n")
    case.refused("m/book.yaml:2: error: slug: 300 bytes long; output file names allow at most 120 bytes "
                 "(a file system stops at 255, edition and ending added)")


def test_a_long_title_makes_a_slug_that_fits(tmp_path: Path) -> None:
    from zhpress.config import MAX_SLUG_BYTES, slug_for

    assert len(slug_for("标题" * 100, None).encode()) <= MAX_SLUG_BYTES
    assert slug_for("标题" * 100, None) == "标题" * 20


@pytest.mark.parametrize(
    ("error", "message"),
    [(OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
     (PermissionError(errno.EROFS, "Read-only file system"), "Read-only file system")],
    ids=["full-disk", "read-only"],
)
def test_an_output_folder_that_cannot_be_written_is_one_line(
    case: Case, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: OSError, message: str,
) -> None:
    from weasyprint.document import Document

    from zhpress import cli

    def fail(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(Document, "write_pdf", fail)
    monkeypatch.chdir(case.root)
    case.write("chapters/01.md", "# 第一章\n\n新的一段。\n")
    before = case.outputs()
    assert cli.main(["all", "--manuscript", "m", "--output", "out"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"out/信任测试.pdf: error: cannot write the file: {message} (the previous one, if any, is kept)")
    assert case.outputs() == before


def test_a_folder_that_cannot_be_made_is_one_line(
    case: Case, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    import tempfile

    from zhpress import cli

    def refuse(*_args: object, dir: str, **_kwargs: object) -> None:  # mkstemp's own keyword
        raise PermissionError(errno.EACCES, "Permission denied", str(Path(dir) / ".x.part"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.chdir(case.root)
    assert cli.main(["epub", "--manuscript", "m", "--output", "out", "--force"]) == 2
    assert capsys.readouterr().err.strip() == (
        "out/信任测试.epub: error: cannot write the file: Permission denied (the previous one, if any, is kept)")


def test_check_on_a_truncated_pdf_and_epub_names_them_and_reaches_epubcheck(case: Case) -> None:
    """One check of both (each check runs EPUBCheck and Ace, the slow part)."""
    pdf, epub = next(case.output.glob("*.pdf")), next(case.output.glob("*.epub"))
    pdf.write_bytes(pdf.read_bytes()[:20000])
    epub.write_bytes(epub.read_bytes()[:3000])
    code, _, err = run_cli("check", "--manuscript", "m", "--output", "out", cwd=case.root)
    assert code == 1 and "Traceback" not in err
    stale = "[S001] not the file the last build wrote, or built from an older manuscript or program, or with other " \
            "settings: rebuild it (make)"
    assert [line for line in err.splitlines() if line.startswith("out/信任测试.")] == [
        f"out/信任测试.pdf: error: {stale}",
        "out/信任测试.pdf: error: not a readable PDF (Stream has ended unexpectedly)",
        f"out/信任测试.epub: error: {stale}",
        'out/信任测试.epub: fatal: [PKG-008] Unable to read file "zip END header not found".',
    ]


def test_check_on_an_empty_pdf_names_it(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhpress.check.gate import Summary, check_pdf
    from zhpress.pipeline import load_book
    from zhpress.read.manuscript import open_manuscript

    monkeypatch.chdir(case.root)
    pdf = Path("out/信任测试.pdf")
    pdf.write_bytes(b"")
    summary = Summary()
    check_pdf(load_book(open_manuscript(Path("m")), offline=True), pdf, summary)
    assert summary.findings == ["out/信任测试.pdf: error: not a readable PDF (Cannot read an empty file)"]


def test_a_file_with_bare_carriage_returns_keeps_its_front_matter(case: Case) -> None:
    (case.manuscript / "chapters" / "01.md").write_bytes(
        "---\rtitle: 回车\rsource: https://www.example.com/cr\r---\r# 第一章\r\r第一段。\r\r第二段。\r".encode())
    assert case.build()[0] == 0
    xhtml = case.clean()
    assert "title:" not in xhtml and "---" not in xhtml
    assert '<dd class="url" lang="en">https://www.example.com/cr</dd>' in xhtml


# --------------------------------------------------------------------------- what no page can hold


def test_a_note_taller_than_a_page_is_refused_at_its_line(case: Case) -> None:
    case.write("chapters/01.md", "# 第一章\n\n调用之前的一行。这里有注释[^1]。\n\n后面。\n\n"
               f"[^1]: {'这是一个很长的注释，' * 600}\n")
    case.refused("m/chapters/01.md:7: error: note too long to print: its 6,000 characters do not fit in the notes "
                 "at the foot of one page, and a note is never split; shorten it or make it two notes: "
                 "「这是一个很长的注释，…」")


def test_a_long_note_that_fits_a_page_is_printed_with_the_line_before_its_call(case: Case) -> None:
    case.write("chapters/01.md", "# 第一章\n\n调用之前的一行。这里有注释[^1]。\n\n后面。\n\n"
               f"[^1]: {'这是一个较长的注释，' * 60}\n")
    assert case.build()[0] == 0
    text = squash(pdf_text(next(case.output.glob("*.pdf"))))
    assert "调用之前的一行。这里有注释" in text and "这是一个较长的注释，" * 60 in text


def _table(columns: int) -> str:
    cells = ["1,234,567.89", "数据内容较长的单元格", "Supercalifragilistic"]
    header = "| " + " | ".join(f"列{i}" for i in range(columns)) + " |\n|" + "---|" * columns + "\n"
    return header + "".join("| " + " | ".join(cells[i % 3] for i in range(columns)) + " |\n" for _ in range(3))


def test_a_table_too_wide_for_any_page_is_refused(case: Case) -> None:
    case.write("chapters/01.md", f"# 第一章\n\n第一段。\n\n{_table(200)}\n后面。\n")
    case.refused("m/chapters/01.md:5: error: table of 200 columns is too wide to print (a page of this book holds "
                 "20); split it into narrower tables or make it a list")


def test_a_narrow_page_holds_fewer_columns(case: Case) -> None:
    case.write("book.yaml", "title: 信任测试\ntrim: 32k\ninner_margin: 45mm\nouter_margin: 45mm\n")
    case.write("chapters/01.md", f"# 第一章\n\n第一段。\n\n{_table(9)}\n后面。\n")
    case.refused("m/chapters/01.md:5: error: table of 9 columns is too wide to print (a page of this book holds "
                 "8); split it into narrower tables or make it a list")
    case.write("chapters/01.md", f"# 第一章\n\n第一段。\n\n{_table(8)}\n后面。\n")
    assert case.build("pdf")[0] == 0


def test_a_wide_table_is_set_to_fit_the_page(case: Case) -> None:
    """The proof refuses any text past the page's edge: a build that succeeds fits."""
    case.write("book.yaml", "title: 信任测试\ntrim: 32k\n")
    case.write("chapters/01.md", f"# 第一章\n\n第一段。\n\n{_table(20)}\n后面。\n")
    assert case.build() == (0, "wrote out/信任测试.pdf (12 pages)\nwrote out/信任测试.epub")
    assert "Supercalifragilistic" in squash(pdf_text(next(case.output.glob("*.pdf"))).replace("-", ""))


# --------------------------------------------------------------------------- what a killed build left


def test_scratch_folders_of_killed_builds_are_removed(tmp_path: Path) -> None:
    import os

    from zhpress.scratch import remove_stale_scratch

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    folders = {name: tmp_path / name for name in (f"zhpress-{dead}-a1", f"zhpress-{os.getpid()}-b2",
                                                  "zhpress-old", "zhpress-young", "zhpress-theirs", "zhpress-9-link")}
    for name, folder in folders.items():
        if name.endswith("link"):
            folder.symlink_to(tmp_path / f"zhpress-{dead}-a1")
        else:
            (folder / "part").mkdir(parents=True)
    os.utime(folders["zhpress-old"], (time.time() - 2 * 86400,) * 2)
    os.utime(folders["zhpress-theirs"], (time.time() - 2 * 86400,) * 2)
    theirs = os.getuid() == 0  # only root can give a folder to another user
    if theirs:
        os.chown(folders["zhpress-theirs"], 65534, 65534)
    removed = remove_stale_scratch(tmp_path)
    kept = [f"zhpress-{os.getpid()}-b2", "zhpress-young", "zhpress-9-link", *(["zhpress-theirs"] if theirs else [])]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)
    assert sorted(p.name for p in removed) == sorted(set(folders) - set(kept))


def test_a_build_removes_what_a_killed_build_left_in_the_temporary_folder(
    case: Case, monkeypatch: pytest.MonkeyPatch,
) -> None:
    scratch = case.root / "tmp"
    (scratch / "zhpress-4194304-x1" / "00000.md").parent.mkdir(parents=True)  # past any pid_max: gone
    (scratch / "zhpress-4194304-x1" / "00000.md").write_text("half", encoding="utf-8")
    monkeypatch.setenv("TMPDIR", str(scratch))
    assert case.build("epub") == (0, "wrote out/信任测试.epub")
    assert list(scratch.iterdir()) == []


# --------------------------------------------------------------------------- under the machine's limits

MEMORY_LIMIT = 1 << 30  # bytes of address space: the alias bomb alone would take more than 3 GB
CPU_LIMIT = 30  # seconds


def _limited() -> None:
    """Run in the child before build.py: the limits a bomb would meet on a small machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))


@pytest.mark.parametrize(("relative", "head"), [("book.yaml", "title: 信任测试\n"), ("chapters/01.md", "---\n")],
                         ids=["book.yaml", "front-matter"])
def test_an_alias_bomb_under_a_memory_limit_is_one_line(case: Case, relative: str, head: str) -> None:
    case.write(relative, head + _alias_bomb() + ("---\n# 第一章\n\n第一段。\n" if head == "---\n" else ""))
    before = case.outputs()
    completed = subprocess.run([PYTHON, str(BUILD_PY), "all", "--manuscript", "m", "--output", "out"],
                               cwd=case.root, capture_output=True, text=True, preexec_fn=_limited, timeout=120,
                               check=False)
    assert (completed.returncode, completed.stderr.strip()) == (
        2, f"m/{relative}:3: error: YAML aliases (*a0) are not allowed: nested ones expand to gigabytes")
    assert case.outputs() == before


def test_a_dripping_server_meets_the_publishers_deadline_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ZHPRESS_FETCH_DEADLINE", "1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with DripServer(b"HTTP/1.0 200 OK\r\n", b"X-Slow: " + b"x" * 1000, pause=0.2) as server:
        _fetch_book(tmp_path, server.url)
        code, _, err = run_cli("epub", "--manuscript", "m", "--output", "out", cwd=tmp_path)
    assert (code, err.strip()) == (0, "m/chapters/01.md:5: warning: image not fetched (not received within 1.0 s), "
                                      f"printing a placeholder: {server.url}\nwrote out/慢服务器.epub")
    assert server.connections == 1


@pytest.mark.parametrize(("variable", "value"), [("ZHPRESS_FETCH_DEADLINE", "inf"), ("ZHPRESS_FETCH_MAX_BYTES", "x")])
def test_fetch_limits_from_the_environment_are_checked(monkeypatch: pytest.MonkeyPatch, variable: str,
                                                       value: str) -> None:
    from zhpress.read.images import fetch_limits

    monkeypatch.setenv(variable, value)
    with pytest.raises(BookError) as caught:
        fetch_limits()
    deadline, cap = ("'inf'", "''") if variable.endswith("DEADLINE") else ("''", "'x'")
    assert str(caught.value) == ("zhpress: error: ZHPRESS_FETCH_DEADLINE must be a number of seconds and "
                                 f"ZHPRESS_FETCH_MAX_BYTES a number of bytes, both above 0 (got {deadline} and {cap})")


@pytest.mark.parametrize("depth", [12, 49])
def test_quotes_nested_deep_keep_a_measure_to_print_in(case: Case, depth: int) -> None:
    """Each quote indents 2em; inside three others they indent no further, or the text of a
    dozen would run past the page's edge (the proof refuses that)."""
    deep = "深处的一句话，深处的一句话，深处的一句话。"
    case.write("chapters/01.md", f"# 第一章\n\n正文。\n\n{'> ' * depth}{deep}\n\n结尾。\n")
    assert case.build("pdf") == (0, "wrote out/信任测试.pdf (8 pages)")
    assert deep in squash(pdf_text(next(case.output.glob("*.pdf"))))


def test_a_picture_address_with_chinese_in_its_path_is_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    picture = make_png(tmp_path / "served.png", 6, 4, "red").read_bytes()
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with DripServer(b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n" + picture, b"", pause=0) as server:
        url = server.url.replace("/photo.png", "/图片 1.png")
        result = build_book(_fetch_book(tmp_path, url), tmp_path / "out", ("epub",))
    assert result.warnings == []
    assert server.connections == 1
    with zipfile.ZipFile(result.path(".epub")) as epub:
        assert [n for n in epub.namelist() if n.endswith(".png") and epub.read(n) == picture]


def test_settings_put_back_with_their_old_time_are_not_up_to_date(case: Case) -> None:
    """book.yaml changed, at the same size and time (a restore from backup, `cp -p`)."""
    import os

    config = case.write("book.yaml", "title: 信任测试\nversion: 1.1\n")
    assert case.build("epub")[0] == 0
    stat = config.stat()
    config.write_text("title: 信任测试\nversion: 1.2\n", encoding="utf-8")
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    code, _, err = run_cli("epub", "--manuscript", "m", "--output", "out", cwd=case.root)
    assert (code, err.strip()) == (0, "wrote out/信任测试.epub")
    code, _, err = run_cli("epub", "--manuscript", "m", "--output", "out", cwd=case.root)
    assert (code, err.strip()) == (0, "out/信任测试.epub is up to date")


def test_a_picture_cut_short_in_transit_is_a_placeholder_and_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log_guard: LogGuard,
) -> None:
    from PIL import Image

    log_guard.expect("damaged picture")
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((800, 800)).convert("RGB").save(buffer, "JPEG")
    cut = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with DripServer(b"HTTP/1.0 200 OK\r\n\r\n" + cut, b"", pause=0) as server:
        result = build_book(_fetch_book(tmp_path, server.url), tmp_path / "out", ("epub",))
    assert result.warnings == [
        f"{tmp_path}/m/chapters/01.md:5: warning: {server.url} is a damaged picture (image file is truncated "
        "(4 bytes not processed)); printing a placeholder"
    ]
    assert not list((tmp_path / "m" / ".cache" / "images").iterdir())
