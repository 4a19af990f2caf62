"""The EPUB's proof: each chapter's XHTML holds exactly the text of the document model.

The body of a chapter (its heading block, note references and notes aside) must read as the
model's chapter body with its notes taken out, and each note, moved to the chapter's end as
a pop-up `aside`, as the model's note. Run before the EPUB is written, and by `check` on a
built EPUB.
"""

from __future__ import annotations

import difflib
from typing import Any

from lxml import etree

from ..model import Book, Chapter, inside_note, is_note
from ..proof import differences, finding, squash, text_pieces

XHTML = "{http://www.w3.org/1999/xhtml}"
# What the EPUB adds around a chapter's text: its heading block (from the front matter), the
# numbered references to notes, and the notes' numbered links back.
ADDED_CLASSES = {"chapter-head", "noteref", "notes"}


def epub_findings(book: Book, documents: dict[str, bytes]) -> list[str]:
    """Findings for every chapter whose XHTML (`documents`, by chapter id) differs from the model."""
    findings = []
    for chapter in book.chapters:
        document = documents.get(chapter.id)
        if document is None:
            findings.append(finding(chapter.path, None, "chapter missing from the EPUB"))
            continue
        try:
            root = etree.fromstring(document)
        except etree.XMLSyntaxError as exc:
            findings.append(finding(chapter.path, None, f"the EPUB's chapter is not well-formed XHTML ({exc})"))
            continue
        findings += _chapter_findings(chapter, root)
    return findings


def _chapter_findings(chapter: Chapter, root: Any) -> list[str]:
    section = root.find(f".//{XHTML}section[@id='{chapter.id}']")
    if section is None:
        return [finding(chapter.path, None, "chapter missing from the EPUB")]
    body = _model_text(chapter.body, skip=is_note)
    notes = [_model_text(n, skip=_nothing) for n in chapter.body.iter("span") if is_note(n) and not inside_note(n)]
    printed_body = squash("".join(text_pieces(section, _added)))
    printed_notes = [_aside_text(a) for a in section.findall(f".//{XHTML}section[@class='notes']/{XHTML}aside")]
    pairs = [(body, printed_body)]
    matcher = difflib.SequenceMatcher(None, notes, printed_notes, autojunk=False)
    for op, e1, e2, a1, a2 in matcher.get_opcodes():
        if op == "replace" and e2 - e1 == a2 - a1:
            pairs += zip(notes[e1:e2], printed_notes[a1:a2], strict=True)
        elif op != "equal":
            pairs += [(note, "") for note in notes[e1:e2]] + [("", note) for note in printed_notes[a1:a2]]
    findings = []
    for want, got in pairs:
        for difference in differences(want, got):
            text = difference.expected or difference.actual
            findings.append(finding(*chapter.where_printed(text), difference.describe("in the EPUB")))
    return findings


def _model_text(root: Any, skip: Any) -> str:
    return squash("".join(text_pieces(root, skip)))


def _nothing(_: Any) -> bool:
    return False


def _added(el: Any) -> bool:
    return bool(ADDED_CLASSES & set((el.get("class") or "").split()))


def _aside_text(aside: Any) -> str:
    return squash("".join(text_pieces(aside, lambda el: "note-back" in (el.get("class") or "").split())))
