"""What makes an edition: the language it is tagged with, the faces it is set in, the words
it prints around the translator's text, its quotation marks, and how its text is converted
from the manuscript's. Adding an edition is one `Edition` record (and its converter)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

# The roles a face plays: body text, headings and strong emphasis, captions and emphasis, code.
ROLES = ("song", "hei", "kai", "mono")


@dataclass(frozen=True)
class Labels:
    """Every word the books print that the translator did not write."""

    title_page: str  # 书名页 (a bookmark and an EPUB landmark)
    copyright_page: str  # 版权页
    contents: str  # 目录
    picture_credits: str  # 图片版权
    notes: str  # 注释 (the EPUB's notes section)
    cover: str  # 封面
    landmarks: str  # 导览
    body_matter: str  # 正文
    written_by: str  # 著, after the authors' names
    translated_by: str  # 译, after the translators'
    byline: str  # 文／, before a chapter's authors
    name_separator: str  # 、
    book_title: str  # the copyright page's terms
    original_book_title: str
    author: str
    translator: str
    publisher: str
    version: str
    date: str
    identifier: str
    isbn: str  # the imprint record (版本记录), print only: 书号
    price: str  # 定价
    format_size: str  # 开本
    sheets: str  # 印张
    characters: str  # 字数
    thousand_characters: str  # "{count}千字"
    edition_line: str  # 版次
    edition_text: str  # "{date}第{number}版"
    printing_line: str  # 印次
    printing_text: str  # "{date}第{number}次印刷"
    contract_registration: str  # 著作权合同登记号
    translation_licensed: str  # after an original's © line: 中文翻译版权经授权
    sources: str  # 原文出处: the heading over each chapter's source
    original_title: str  # a source's terms
    original_publication: str
    published: str
    url: str
    clipped: str
    credit_unknown: str  # a picture whose credit the clipping did not give
    credit_page: str  # where a picture is, "{page}" standing for its page number: ，第{page}页
    credit_chapter: str  # the same in the EPUB, which has no pages: ，见《{chapter}》 (the title linked)
    picture: str  # a picture's alt text when the manuscript gives none
    picture_from: str  # the same, with its credit: 图片，来源：{credit}
    picture_not_fetched: str  # a placeholder's label
    cover_alt: str  # the book's own cover: 《{title}》封面
    drawn_cover_alt: str  # the one drawn for it: 封面：《{title}》
    draft_notice: str
    accessibility_summary: str


@dataclass(frozen=True)
class Edition:
    """One edition of a manuscript."""

    name: str
    suffix: str  # what follows the slug in its file names ("" for the main edition)
    language: str | None  # BCP 47 tag; None: the language book.yaml gives
    faces: Mapping[str, tuple[str, ...]]  # by role: the face, then the EPUB's fallbacks
    labels: Labels
    quotes: tuple[str, str]  # the double quotation marks straight quotes become
    convert: Callable[[str], str] | None = None  # the text's conversion from the manuscript's
    originals: bool = False  # each chapter printed beside its English original (NAME.en.md)
    name_on_title_page: str | None = None  # what the title page calls the edition: 中英对照
    centred_marks: str = ""  # marks its faces centre in the em box: set full width, never compressed
    # `check`'s warnings on the manuscript (its folder) in this edition: the conversion's doubtful choices
    review: Callable[[Path], list[str]] | None = None

    def face(self, role: str) -> str:
        return self.faces[role][0]
