"""build.py as a user runs it: help, building, up-to-date detection, check, dist, failed builds."""

from __future__ import annotations

import hashlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Epub, copy_book, html_text, run_cli, squash, text_of
from PIL import Image, ImageCms
from pypdf import PdfReader

from zhpress.freshness import last_warnings, record_build
from zhpress.pipeline import build_signature

SLUG = "灯下小记"  # tests/books/tiny has only a Chinese title: the slug is the title
# Its 字数, counted by hand: 灯下的第一章。老人点亮了一盏油灯。(17), the caption 2025年1月，一盏旧油灯。(14),
# the credit AnnSmith/AP (11), 更多内容见原文。(8), the note https://www.example.com/a-lamp (30),
# 第二章的正文：夜色渐深，灯还亮着。(17).
TINY_CHARACTERS = 97


@dataclass
class Built:
    root: Path
    stderr: str

    @property
    def output(self) -> Path:
        return self.root / "out"

    @property
    def pdf(self) -> Path:
        return self.output / f"{SLUG}.pdf"

    @property
    def epub(self) -> Path:
        return self.output / f"{SLUG}.epub"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """tests/books/tiny built once with `build.py all`, from a folder holding `tiny/`."""
    root = tmp_path_factory.mktemp("cli")
    copy_book("tiny", root / "tiny")
    code, out, err = run_cli("all", "--manuscript", "tiny", "--output", "out", cwd=root)
    assert code == 0, err
    assert out == ""
    return Built(root, err)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of a folder: name → (mtime in ns, bytes)."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def copy_build(built: Built, name: str) -> Built:
    """The manuscript and outputs copied with their times, for a test that changes them, and
    the build's record of each output moved to the copy's (a record names its output's path)."""
    root = built.root / name
    root.mkdir()
    shutil.copytree(built.root / "tiny", root / "tiny")
    shutil.copytree(built.output, root / "out")
    signature = build_signature(root / "tiny", draft=False)
    for output in (root / "out").iterdir():
        warnings = last_warnings(built.root / "tiny", built.output / output.name)
        record_build(root / "tiny", output, signature, warnings)
    return Built(root, "")


def test_help_explains_commands_and_options(tmp_path: Path) -> None:
    code, out, err = run_cli("--help", cwd=tmp_path)
    assert (code, err) == (0, "")
    for word in ("pdf", "epub", "html", "all", "check", "dist", "--manuscript", "--output", "--force"):
        assert word in out


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run_cli("mobi", cwd=tmp_path)
    assert code == 2
    assert "invalid choice: 'mobi'" in err
    assert "Traceback" not in err


def test_all_writes_the_pdf_and_the_epub(built: Built) -> None:
    assert sorted(p.name for p in built.output.iterdir()) == [f"{SLUG}.epub", f"{SLUG}.pdf"]
    lines = built.stderr.splitlines()
    assert f"wrote out/{SLUG}.epub" in lines
    assert any(line.startswith(f"wrote out/{SLUG}.pdf (") for line in lines)
    assert built.pdf.read_bytes().startswith(b"%PDF-")
    assert [text_of(h) for d in Epub(built.epub).documents().values() for h in d.iter("{*}h1")
            if h.get("class") == "chapter-title"] == ["The Lamp", "夜色"]


def test_second_all_is_up_to_date_and_writes_nothing(built: Built) -> None:
    before = snapshot(built.output)
    code, out, err = run_cli("all", "--manuscript", "tiny", "--output", "out", cwd=built.root)
    assert code == 0, err
    assert out == ""
    assert err.splitlines() == [f"out/{SLUG}.pdf is up to date", f"out/{SLUG}.epub is up to date"]
    assert snapshot(built.output) == before


def test_html_command_writes_the_print_html(built: Built, tmp_path: Path) -> None:
    code, _, err = run_cli("html", "--manuscript", built.root / "tiny", "--output", tmp_path / "html", cwd=built.root)
    assert code == 0, err
    html = (tmp_path / "html" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert squash("灯下的第一章。老人点亮了一盏油灯。") in html_text(html)
    assert "https://www.example.com/a-lamp" in html
    assert "utm_source" not in html


def test_check_passes_on_the_built_files(built: Built) -> None:
    before = snapshot(built.output)
    code, _, err = run_cli("check", "--manuscript", "tiny", "--output", "out", cwd=built.root)
    assert code == 0, err
    assert "error" not in err
    assert snapshot(built.output) == before, "check must not rebuild"


def test_check_fails_on_a_corrupted_epub(built: Built) -> None:
    broken = copy_build(built, "corrupt")
    data = broken.epub.read_bytes()
    broken.epub.write_bytes(data[: len(data) // 2])  # a transfer cut short: no zip directory
    code, _, err = run_cli("check", "--manuscript", "tiny", "--output", "out", cwd=broken.root)
    assert code == 1, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert any(line.startswith(f"out/{SLUG}.epub") and "fatal" in line for line in lines), err
    assert [line for line in lines if "[S001]" in line] == [  # not the file the build wrote
        f"out/{SLUG}.epub: error: [S001] not the file the last build wrote, or built from an older manuscript "
        "or program, or with other settings: rebuild it (make)"]
    assert lines[-1] == "out: error: 2 finding(s) in the built files"


def test_check_without_built_files_says_what_to_do(built: Built, tmp_path: Path) -> None:
    code, _, err = run_cli("check", "--manuscript", built.root / "tiny", "--output", "nothing", cwd=built.root)
    assert code == 1
    lines = err.splitlines()
    assert lines[:3] == [
        "tiny/chapters/01-lamp.md:1: warning: [T001] chapter has no Chinese title; 'The Lamp' heads it in the "
        "contents and running heads (add a Chinese 'title' or '# ' heading)",
        f"nothing/{SLUG}.pdf: error: not built yet (run 'make' first)",
        f"nothing/{SLUG}.epub: error: not built yet (run 'make' first)",
    ]
    assert lines[3:] == [
        f"check of nothing/{SLUG}.pdf and {SLUG}.epub:",
        "  pages      –",
        "  chapters   2",
        f"  字数        {TINY_CHARACTERS:,} (characters of the chapters and their notes, spaces not counted)",
        "  notes      1",
        "  figures    1",
        "  warnings   1 (from the last build, and the check's own)",
        "  verdict    NOT READY: 2 finding(s) above",
        "nothing: error: 2 finding(s) in the built files",
    ]


def test_failed_build_leaves_the_previous_books_untouched(built: Built) -> None:
    broken = copy_build(built, "failed")
    before = snapshot(broken.output)
    chapter = broken.root / "tiny" / "chapters" / "02-night.md"
    with chapter.open("a", encoding="utf-8") as f:
        f.write("\n![gone.png](images/gone.png)\n")
    line = len(chapter.read_text(encoding="utf-8").splitlines())
    code, out, err = run_cli("all", "--manuscript", "tiny", "--output", "out", cwd=broken.root)
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"tiny/chapters/02-night.md:{line}: error: image 'images/gone.png' not found"]
    assert snapshot(broken.output) == before
    assert not list(broken.output.glob("*.part")) and not list(broken.output.glob(".*"))


def test_deleting_a_chapter_rebuilds_the_books(built: Built) -> None:
    changed = copy_build(built, "deleted")
    # Bring the copy up to date first, so that only the deletion differs between the two runs.
    assert run_cli("all", "--manuscript", "tiny", "--output", "out", cwd=changed.root)[0] == 0
    (changed.root / "tiny" / "chapters" / "02-night.md").unlink()
    code, _, err = run_cli("all", "--manuscript", "tiny", "--output", "out", cwd=changed.root)
    assert code == 0, err
    titles = [text_of(h) for d in Epub(changed.epub).documents().values() for h in d.iter("{*}h1")]
    assert "夜色" not in titles


def test_force_rebuilds_even_when_up_to_date(built: Built) -> None:
    forced = copy_build(built, "forced")
    before = snapshot(forced.output)
    code, _, err = run_cli("epub", "--manuscript", "tiny", "--output", "out", "--force", cwd=forced.root)
    assert code == 0, err
    assert err.splitlines() == [f"wrote out/{SLUG}.epub"]
    assert snapshot(forced.output)[f"{SLUG}.epub"][0] > before[f"{SLUG}.epub"][0]
    assert snapshot(forced.output)[f"{SLUG}.pdf"] == before[f"{SLUG}.pdf"]
    assert Epub(forced.epub).dc("identifier") == Epub(built.epub).dc("identifier")


def test_dist_copies_the_books_with_matching_checksums(built: Built) -> None:
    code, _, err = run_cli("dist", "--manuscript", "tiny", "--output", "out", "--dist", "dist", cwd=built.root)
    assert code == 0, err
    dist = built.root / "dist"
    shipped = [f"{SLUG}-1.0.pdf", f"{SLUG}-1.0.epub", f"{SLUG}-press-1.0.pdf", f"{SLUG}-cover-1.0.pdf",
               f"{SLUG}-store-cover-1.0.jpg"]
    assert sorted(p.name for p in dist.iterdir()) == sorted(["SHA256SUMS", "README.txt", *shipped])
    sums = {}
    for line in (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    assert list(sums) == shipped
    for name, digest in sums.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest
    assert (dist / f"{SLUG}-1.0.pdf").read_bytes() == built.pdf.read_bytes()
    assert (dist / f"{SLUG}-1.0.epub").read_bytes() == built.epub.read_bytes()
    readme = (dist / "README.txt").read_text(encoding="utf-8")
    assert all(name in readme for name in shipped)
    pages = len(PdfReader(dist / f"{SLUG}-1.0.pdf").pages)
    assert f"    {pages} pages, trim 32k-large (140mm × 203mm)" in readme
    assert f"spine {pages * 0.0572:.2f} mm for {pages} pages of white paper" in readme
    with Image.open(dist / f"{SLUG}-store-cover-1.0.jpg") as cover:
        assert (cover.format, cover.size, cover.mode) == ("JPEG", (1600, 2560), "RGB")
        profile = ImageCms.ImageCmsProfile(io.BytesIO(cover.info["icc_profile"]))
        assert "sRGB" in ImageCms.getProfileDescription(profile)
    assert (dist / f"{SLUG}-store-cover-1.0.jpg").stat().st_size < 5 * 1024 * 1024
