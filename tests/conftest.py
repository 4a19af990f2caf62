"""Shared helpers: building test books in-process and through the CLI, reading what they produce.

Test manuscripts live in `tests/books/<case>/`. Their pictures are generated here (BOOK_IMAGES)
rather than committed, so every expected size and colour is written down beside the book.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from zhpress.check.gate import font_descriptor  # noqa: F401 (shared with the tests)
from zhpress.cjk import HAN  # noqa: F401 (shared with the tests)

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
BOOKS = TESTS / "books"
MANUSCRIPT = ROOT / "manuscript"
BUILD_PY = ROOT / "build.py"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# Faces the print edition may use: the Simplified Chinese Noto CJK cuts and the mainland Kai
# (base names as WeasyPrint writes them, subset tag removed).
ALLOWED_FONT = re.compile(
    r"^(Noto-(Serif|Sans)-CJK-SC(-(Bold|Black|Light|Medium|SemiBold|ExtraLight))?|AR-PL-UKai-CN)$"
)
ITALIC_FLAG = 1 << 6  # PDF FontDescriptor /Flags bit 7: set when the face was chosen as italic

# Pictures the test books refer to: path in the book → (width, height, colour).
BOOK_IMAGES: dict[str, dict[str, tuple[int, int, str]]] = {
    "multi": {
        "chapters/images/river.png": (60, 40, "steelblue"),
        "chapters/images/市场.png": (50, 50, "orange"),
        "chapters/images/harbour.png": (80, 30, "navy"),
        "chapters/images/dawn.png": (30, 60, "gold"),
    },
    "bilingual": {
        "chapters/images/caravan.png": (60, 36, "peru"),
    },
    "tiny": {
        "chapters/images/lamp.png": (40, 24, "crimson"),
    },
    "vault": {  # Obsidian's places: the note's folder, the attachment folder, anywhere
        "chapters/night-train.png": (64, 40, "darkgreen"),
        "attachments/station.png": (50, 30, "sienna"),
        "notes/deep/map.png": (40, 40, "teal"),
    },
}

# Proxy variables would send requests for 127.0.0.1 elsewhere; subprocesses never need them.
PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


# --------------------------------------------------------------------------- building


@dataclass
class BuildResult:
    """What one in-process build wrote and every warning or error it logged."""

    paths: list[Path]
    records: list[logging.LogRecord] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records]

    def path(self, suffix: str) -> Path:
        return next(p for p in self.paths if p.suffix == suffix)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def collect_warnings() -> Iterator[list[logging.LogRecord]]:
    """Every record at WARNING or above logged anywhere while the block runs."""
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield collector.records
    finally:
        root.removeHandler(collector)


def build_book(
    manuscript_dir: Path, output_dir: Path, formats: tuple[str, ...] = ("pdf", "epub", "html")
) -> BuildResult:
    """Build through the same function build.py calls, forcing a rebuild; collect warnings."""
    from zhpress.pipeline import build

    with collect_warnings() as records:
        paths = build(Path(manuscript_dir), Path(output_dir), tuple(formats), force=True)
    return BuildResult(list(paths), list(records))


def run_cli(*args: str | Path, cwd: Path) -> tuple[int, str, str]:
    """Run build.py with the venv's Python; returns (returncode, stdout, stderr)."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    completed = subprocess.run(
        [PYTHON, str(BUILD_PY), *map(str, args)],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    return completed.returncode, completed.stdout, completed.stderr


def make_png(path: Path, width: int, height: int, color: str) -> Path:
    """A flat-colour PNG of the given size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), color).save(path, "PNG")
    return path


def copy_book(case: str, dest: Path) -> Path:
    """A copy of tests/books/<case> (or 'manuscript' for the default book) with its pictures made."""
    source = MANUSCRIPT if case == "manuscript" else BOOKS / case
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".cache"))
    for rel, (width, height, color) in BOOK_IMAGES.get(case, {}).items():
        make_png(dest / rel, width, height, color)
    for path in dest.rglob("*"):  # the default book's chapter is read-only in the repository
        path.chmod(path.stat().st_mode | 0o200)
    return dest


def dns_failure(*_args: object, **_kwargs: object) -> None:
    """Stands in for urllib.request.urlopen: the machine has no network, as on ours."""
    raise urllib.error.URLError(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))


@contextmanager
def offline() -> Iterator[None]:
    """No request leaves the test, whatever network the machine has."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(urllib.request, "urlopen", dns_failure)
        yield


# --------------------------------------------------------------------------- reading outputs


# Whitespace and the invisible joiners typography may insert (U+2060 binds a dash to its text).
INVISIBLE = re.compile(r"[\s\u200b\u2060\ufeff]+")


def squash(text: str) -> str:
    """Text without whitespace or invisible joiners: PDF extraction breaks lines anywhere, URLs included."""
    return INVISIBLE.sub("", text)


def html_text(markup: str) -> str:
    """The squashed text of an HTML string: tags dropped, so inserted spans do not matter."""
    return squash(re.sub(r"<[^>]+>", "", markup))


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def pdf_fonts(path: Path) -> dict[str, dict]:
    """Every font used on any page: base name without the subset tag → its font dictionary."""
    from pypdf import PdfReader

    fonts: dict[str, dict] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "")).lstrip("/")
            fonts[re.sub(r"^[A-Z]{6}\+", "", name)] = font
    return fonts


class Epub:
    """An EPUB opened for reading: OPF, spine, manifest and parsed XHTML documents."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.files = {name: archive.read(name) for name in archive.namelist()}
            self.order = archive.namelist()
        container = etree.fromstring(self.files["META-INF/container.xml"])
        self.opf_path = container.find(".//container:rootfile", NS).get("full-path")
        self.base = self.opf_path.rpartition("/")[0]
        self.opf = etree.fromstring(self.files[self.opf_path])

    def href(self, href: str) -> str:
        """Zip name of a manifest href."""
        return f"{self.base}/{href}" if self.base else href

    @property
    def manifest(self) -> dict[str, etree._Element]:
        return {item.get("id"): item for item in self.opf.iterfind("opf:manifest/opf:item", NS)}

    @property
    def spine_hrefs(self) -> list[str]:
        manifest = self.manifest
        return [manifest[ref.get("idref")].get("href") for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def dc(self, name: str) -> list[str]:
        return [el.text or "" for el in self.opf.iterfind(f"opf:metadata/dc:{name}", NS)]

    def creators(self) -> list[tuple[str, str | None]]:
        """(name, marc relator role) for every dc:creator."""
        metadata = self.opf.find("opf:metadata", NS)
        roles = {
            m.get("refines", "").lstrip("#"): m.text
            for m in metadata.iterfind("opf:meta", NS)
            if m.get("property") == "role"
        }
        return [(el.text or "", roles.get(el.get("id"))) for el in metadata.iterfind("dc:creator", NS)]

    def xhtml(self, href: str) -> etree._Element:
        return etree.fromstring(self.files[self.href(href)])

    def documents(self) -> dict[str, etree._Element]:
        """Every XHTML document of the manifest, by href."""
        return {
            item.get("href"): self.xhtml(item.get("href"))
            for item in self.manifest.values()
            if item.get("media-type") == "application/xhtml+xml"
        }

    def nav_toc(self) -> list[tuple[str, str]]:
        """(text, href) of each entry of the navigation document's toc."""
        nav_item = next(i for i in self.manifest.values() if "nav" in (i.get("properties") or "").split())
        nav = self.xhtml(nav_item.get("href"))
        toc = next(n for n in nav.iter(f"{{{NS['xhtml']}}}nav") if n.get(EPUB_TYPE) == "toc")
        return [("".join(a.itertext()).strip(), a.get("href")) for a in toc.iter(f"{{{NS['xhtml']}}}a")]


def text_of(el: etree._Element) -> str:
    """An element's text as a reader sees it: invisible joiners dropped."""
    return re.sub(r"[\u200b\u2060]", "", "".join(el.itertext()))


def xpath(el: etree._Element, query: str) -> list:
    return el.xpath(query, namespaces={"h": NS["xhtml"], "epub": NS["epub"]})


# --------------------------------------------------------------------------- fixtures


class LogGuard:
    """Warnings a test expects; any other WARNING or ERROR logged during the test fails it."""

    def __init__(self) -> None:
        self.allowed: list[re.Pattern[str]] = []

    def expect(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def allows(self, message: str) -> bool:
        return any(p.search(message) for p in self.allowed)


@pytest.fixture(scope="session", autouse=True)
def _quick_java() -> Iterator[None]:
    """EPUBCheck is a short Java run: the client compiler alone halves its CPU time (each check
    takes 10 s or more otherwise). Same checks, same messages; a user's own setting wins."""
    with pytest.MonkeyPatch.context() as mp:
        if "JAVA_TOOL_OPTIONS" not in os.environ:
            mp.setenv("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        yield


@pytest.fixture(autouse=True)
def log_guard(caplog: pytest.LogCaptureFixture) -> Iterator[LogGuard]:
    """Fail a test whose body logs an unexpected warning or error (WeasyPrint's included).

    Module-scoped builds collect their own warnings (BuildResult.records) and tests assert on
    them explicitly, so only the test's own call phase is watched here.
    """
    guard = LogGuard()
    yield guard
    unexpected = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.get_records("call")
        if r.levelno >= logging.WARNING and not guard.allows(r.getMessage())
    ]
    if unexpected:
        pytest.fail("unexpected log records:\n" + "\n".join(unexpected), pytrace=False)


@pytest.fixture
def tiny_book(tmp_path: Path) -> Path:
    """A fresh copy of the two-chapter book tests/books/tiny, pictures included."""
    return copy_book("tiny", tmp_path / "tiny")
