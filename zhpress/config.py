"""The `book.yaml` schema: every key declared once, with its type, default and meaning."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BookError
from .isbn import IsbnError, looks_like_isbn, normalized_isbn
from .read.yamlfile import load_mapping

CONFIG_NAME = "book.yaml"
# Names a DNS-based UUID is derived from, so a book without an ISBN keeps one identifier forever.
IDENTIFIER_NAMESPACE = uuid.UUID("6f1c2b1e-0b7a-4f4e-9a53-2c1d6e0a8b11")

TRIM_SIZES = {
    "32k-large": ("140mm", "203mm"),
    "32k": ("130mm", "184mm"),
    "a5": ("148mm", "210mm"),
    "16k": ("185mm", "260mm"),
    "6x9in": ("6in", "9in"),
}
# The narrowest text block we lay out: about ten characters of body type.
MIN_TEXT_WIDTH_MM = 40
# Bytes of an output file's base name: the rest of the 255 a file system allows goes to the edition
# suffix, the ending and the temporary name a build writes first (".NAME.xxxxxxxx.part").
MAX_SLUG_BYTES = 120

# Per page (half a leaf), as KDP gives them: 0.002252 in (white), 0.0025 in (cream).
PAPER_THICKNESS_MM = {"white": 0.0572, "cream": 0.0635}


class ConfigValueError(ValueError):
    """A value of the wrong shape; the message says what was expected."""


def _text(value: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        if text:
            return text
    raise ConfigValueError(f"expected text, got {value!r}")


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise ConfigValueError(f"expected a list of names, got {value!r}")


def _title_lines(value: Any) -> tuple[str, ...]:
    """The cover title's lines, as the publisher breaks them: two or three."""
    if isinstance(value, list) and 2 <= len(value) <= 3 and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise ConfigValueError(f"expected a list of two or three lines, got {value!r}")


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip()):
        return value.strip()
    raise ConfigValueError(f"expected a date such as 2026-02-08, got {value!r}")


def _language(value: Any) -> str:
    text = _text(value)
    if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", text):
        return text
    raise ConfigValueError(f"expected a BCP 47 language tag such as zh-Hans, got {value!r}")


def _paths(value: Any) -> tuple[str, ...]:
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise ConfigValueError(f"expected a list of chapter paths, got {value!r}")


def _slug(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"[\w][\w.-]*", text) or ".." in text:
        raise ConfigValueError(f"expected a file name without '/' or spaces, got {value!r}")
    if len(text.encode()) > MAX_SLUG_BYTES:
        raise ConfigValueError(f"{len(text.encode())} bytes long; output file names allow at most "
                               f"{MAX_SLUG_BYTES} bytes (a file system stops at 255, edition and ending added)")
    return text


def _length(value: Any) -> str:
    text = _text(value)
    if re.fullmatch(r"\d+(\.\d+)?(mm|cm|in|pt)", text):
        return text
    raise ConfigValueError(f"expected a length such as 18mm, got {value!r}")


def millimetres(length: str) -> float:
    """A validated length in millimetres."""
    number, unit = float(re.match(r"[\d.]+", length).group()), re.search(r"[a-z]+$", length).group()
    return number * {"mm": 1, "cm": 10, "in": 25.4, "pt": 25.4 / 72}[unit]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ConfigValueError(f"expected true or false, got {value!r}")


def _isbn(value: Any) -> str:
    try:
        return normalized_isbn(_text(value))
    except IsbnError as exc:
        raise ConfigValueError(str(exc)) from None


def _positive(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 and kind(value) == value:
            return kind(value)
        raise ConfigValueError(f"expected a positive {'whole ' if kind is int else ''}number, got {value!r}")

    return check


def _numbered(value: Any) -> tuple[int, str]:
    """版次 or 印次: `{number: 1, date: 2026-02}`."""
    if isinstance(value, dict) and set(value) == {"number", "date"}:
        number = _positive(int)(value["number"])
        return number, _date(value["date"])
    raise ConfigValueError(f"expected 'number' and 'date', such as {{number: 1, date: 2026-02}}, got {value!r}")


def _block(value: Any) -> str:
    """Text kept line for line (a CIP record as the publisher gives it)."""
    if isinstance(value, str) and value.strip():
        return "\n".join(line.rstrip() for line in value.strip("\n").splitlines())
    raise ConfigValueError(f"expected a block of text, got {value!r}")


def _number_choice(*allowed: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value in allowed:
            return value
        names = ", ".join(str(a) for a in allowed)
        raise ConfigValueError(f"expected one of {names}, got {value!r}")

    return check


def _choice(*allowed: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        names = ", ".join(repr(a) for a in allowed)
        raise ConfigValueError(f"expected one of {names}, got {value!r}")

    return check


@dataclass(frozen=True)
class Option:
    """One `book.yaml` key: how to check it and what it means."""

    check: Callable[[Any], Any]
    default: Any
    doc: str


OPTIONS: dict[str, Option] = {
    "title": Option(_text, None, "Chinese book title; the one required key."),
    "subtitle": Option(_text, None, "Chinese subtitle."),
    "cover_title_lines": Option(_title_lines, None, "The drawn cover's title broken by hand: [阿萨德家族, 的覆灭]; "
                                "default: broken between words, lines balanced."),
    "original_title": Option(_text, None, "English title of the original work."),
    "authors": Option(_names, (), "Authors of the original; default: the chapters' authors in order."),
    "translators": Option(_names, (), "Translators, printed with 译."),
    "publisher": Option(_text, None, "Publisher's name."),
    "language": Option(_language, "zh-Hans", "BCP 47 language of the text."),
    "date": Option(_date, None, "Publication date of this edition."),
    "version": Option(_text, "1.0", "Edition of this book, in dist/ file names and on the copyright page."),
    "identifier": Option(_text, None, "ISBN or URN; default: a UUID derived from the title."),
    "isbn": Option(_isbn, None, "ISBN-13 of the print edition (check digit verified); default: identifier if an ISBN."),
    "price": Option(_text, None, "定价 on the copyright page, as printed: 58.00元."),
    "edition": Option(_numbered, None, "版次: {number: 1, date: 2026-02} prints 2026年2月第1版."),
    "printing": Option(_numbered, None, "印次: {number: 1, date: 2026-02} prints 2026年2月第1次印刷."),
    "cip": Option(_block, None, "The publisher's CIP record (图书在版编目数据), printed line for line."),
    "contract_registration": Option(_text, None, "著作权合同登记号 of a translation: 图字：01-2026-0123."),
    "rights": Option(_text, "版权所有，侵权必究。", "Rights statement for the copyright page."),
    "description": Option(_text, None, "A short description for stores and the EPUB metadata."),
    "cover": Option(_text, None, "Cover image, relative to the manuscript folder."),
    "attachments": Option(_text, None, "Obsidian's attachment folder, relative to the manuscript folder."),
    "chapters": Option(_paths, None, "Chapter files relative to the manuscript folder; default chapters/*.md."),
    "slug": Option(_slug, None, "Base name of the output files; default: from the title."),
    "note_numbering": Option(_choice("page", "chapter"), "page", "Print notes ①②③ restart per page, or per chapter."),
    "inner_margin": Option(_length, "20mm", "Print margin on the binding side of each page."),
    "outer_margin": Option(_length, "16mm", "Print margin on the outer side of each page."),
    "show_clipped": Option(_bool, True, "Print the date each article was clipped (剪藏) in both books; "
                           "false leaves it in the chapter's front matter only."),
    "han_latin_space": Option(_bool, True, "A quarter em between Han characters and Latin letters or digits."),
    "trim": Option(_choice(*TRIM_SIZES), "32k-large", "Trim size of the print edition."),
    "pages_multiple": Option(_number_choice(4, 8, 16, 32), 4,
                             "Print page counts fill whole signatures: blank pages pad the end to a multiple."),
    "press_profile": Option(_text, None, "The printer's CMYK ICC profile for the press PDF, relative to the "
                            "manuscript; default: Ghostscript's default CMYK."),
    "paper": Option(_choice(*PAPER_THICKNESS_MM), "white", "Interior paper, for the spine's width."),
    "paper_thickness_mm": Option(_positive(float), None, "Thickness of one leaf's page in mm; default: from paper."),
    "spine_text_min_pages": Option(_positive(int), 79, "Pages from which the spine carries its text."),
    "embed_fonts": Option(_bool, True, "Embed subsets of the Song and Kai faces in the EPUB."),
    "hant": Option(_choice("tw", "hk"), "tw", "Region of the Traditional edition ('build.py hant'): tw, Taiwan's "
                   "characters and vocabulary, or hk, Hong Kong's characters; overrides in hant.yaml."),
    "bilingual_layout": Option(_choice("interleaved", "columns"), "interleaved",
                               "Print layout of the bilingual edition ('build.py bilingual'): interleaved, each "
                               "paragraph of the original above its translation; columns, side by side."),
    "draft": Option(_bool, False, "A proof copy (样书): check lets placeholders pass, and both books say so."),
}


@dataclass(frozen=True)
class BookConfig:
    """The validated `book.yaml`; `values` holds every declared key, defaults filled in."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "values")
        if name in values:
            return values[name]
        raise AttributeError(name)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


def load_config(folder: Path, draft: bool = False) -> BookConfig:
    """Read and validate `book.yaml` in the manuscript folder; `draft` (the command line's
    --draft) makes the book a draft whatever book.yaml says."""
    path = folder / CONFIG_NAME
    if not path.is_file():
        raise BookError(path, f"no {CONFIG_NAME}: a manuscript folder needs one with at least 'title: …'")
    from .read.textfile import read_text

    data, lines = load_mapping(read_text(path), path)
    values: dict[str, Any] = {}
    for key, raw in data.items():
        option = OPTIONS.get(key)
        if option is None:
            known = ", ".join(OPTIONS)
            raise BookError(path, f"unknown key '{key}' (known keys: {known})", lines.get(key))
        try:
            values[key] = option.check(raw) if raw is not None else option.default
        except ConfigValueError as exc:
            raise BookError(path, f"{key}: {exc}", lines.get(key)) from None
    if values.get("title") is None:
        raise BookError(path, "missing required key 'title' (the Chinese book title)")
    for key, option in OPTIONS.items():
        values.setdefault(key, option.default)
    values["draft"] = values["draft"] or draft
    values["isbn"] = values["isbn"] or _isbn_of_identifier(values["identifier"], path, lines.get("identifier"))
    _check_text_width(path, values, lines)
    _check_title_lines(path, values, lines)
    return BookConfig(path, values, lines)


def _isbn_of_identifier(identifier: str | None, path: Path, line: int | None) -> str | None:
    """An identifier that is an ISBN is the book's ISBN, and must be a valid one."""
    if not identifier or not looks_like_isbn(identifier):
        return None
    try:
        return normalized_isbn(identifier)
    except IsbnError as exc:
        raise BookError(path, f"identifier: {exc}", line) from None


def _check_text_width(path: Path, values: dict[str, Any], lines: dict[str, int]) -> None:
    """Margins must leave a text block on the page: wider ones lay out nothing readable."""
    width = TRIM_SIZES[values["trim"]][0]
    inner, outer = values["inner_margin"], values["outer_margin"]
    if millimetres(width) - millimetres(inner) - millimetres(outer) < MIN_TEXT_WIDTH_MM:
        line = max((lines[k] for k in ("inner_margin", "outer_margin") if k in lines), default=None)
        raise BookError(path, f"inner_margin and outer_margin ({inner} + {outer}) leave less than "
                        f"{MIN_TEXT_WIDTH_MM}mm of text on a page {width} wide", line)


def _check_title_lines(path: Path, values: dict[str, Any], lines: dict[str, int]) -> None:
    """Hand-broken cover lines must spell the title: the cover must not print another one."""
    broken = values["cover_title_lines"]
    if broken and "".join("".join(broken).split()) != "".join(values["title"].split()):
        raise BookError(path, f"cover_title_lines: the lines {'／'.join(broken)} do not spell the title "
                        f"{values['title']}", lines.get("cover_title_lines"))


def default_identifier(title: str) -> str:
    """A stable UUID from the title: stores treat a changed identifier as a different book."""
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, title)}"


def book_slug(config: BookConfig) -> str:
    """The base name of the book's output files: book.yaml's slug, else one from the titles."""
    return config.slug or slug_for(config.title, config.original_title)


def slug_for(title: str, original_title: str | None) -> str:
    """File-name base: the English title when there is one (ASCII survives every upload form)."""
    for candidate in (original_title, title):
        if candidate:
            slug = re.sub(r"[^\w]+", "-", candidate.lower()).strip("-_")
            slug = slug.encode()[:MAX_SLUG_BYTES].decode(errors="ignore").rstrip("-_")
            if slug:
                return slug
    return "book"
