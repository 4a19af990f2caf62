"""Editions are data: a book built from an edition record alone carries its labels, faces,
quotation marks and converted text into both outputs, under the edition's file names."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from conftest import Epub, LogGuard, copy_book, offline, pdf_fonts, pdf_text, squash, text_of, xpath

from zhpress.check.gate import epubcheck
from zhpress.editions import ZH_HANS, Edition, restyled
from zhpress.pipeline import build
from zhpress.render import STYLES

TEST_EDITION = Edition(
    name="zh-Hans-test",
    suffix="-test",
    language="zh-Hans-SG",
    faces={
        "song": ("Noto Serif CJK TC", "Source Han Serif TC", "Songti TC", "STSong"),
        "hei": ("Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Heiti TC"),
        "kai": ("AR PL UKai TW", "Kaiti TC", "STKaiti", "KaiTi"),
        "mono": ("DejaVu Sans Mono",),
    },
    labels=dataclasses.replace(
        ZH_HANS.labels, contents="篇目", picture_credits="图片来源", title_page="扉页", copyright_page="版本记录页",
        credit_page="，见第{page}面", picture_not_fetched="图片缺失", translated_by="译述", notes="注文",
    ),
    quotes=("「", "」"),
    convert=lambda text: text.replace("盐", "鹽"),
)


def test_a_test_edition_builds_from_its_record_alone(tmp_path: Path, log_guard: LogGuard) -> None:
    log_guard.expect("image not fetched")
    manuscript = copy_book("anthology", tmp_path / "m")
    chapter = manuscript / "chapters" / "01-salt.md"
    added = '\n他说："盐要晒足。"`盐 code`\n\n![](https://example.com/salt.jpg)\n\nJane Roe / Reuters 海边的盐田。\n'
    chapter.write_text(chapter.read_text(encoding="utf-8") + added, encoding="utf-8")
    config = manuscript / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("translators: [林晓]", "translators: [李四]"),
                      encoding="utf-8")
    with offline():
        written = build(manuscript, tmp_path / "out", ("pdf", "epub"), force=True, edition=TEST_EDITION)
    assert [p.name for p in written] == ["海边两记-test.pdf", "海边两记-test.epub"]
    pdf, epub_path = written

    text = squash(pdf_text(pdf))
    for label in ("篇目", "李四　译述", "版本记录页", "图片来源", "图片缺失", "海边的鹽田"):
        assert squash(label) in text, label
    assert "目录" not in text
    from pypdf import PdfReader

    outline = [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]
    assert outline[:2] == ["扉页", "版本记录页"]
    assert "他说：「鹽要晒足。」" in text  # quotes and conversion; code keeps 盐
    assert "盐code" in text
    assert re.search("Reuters（海边的鹽田。?），见第[0-9]+面", text)
    fonts = set(pdf_fonts(pdf))
    # The edition's faces (UKai TW lacks most Simplified characters: fontconfig takes them from UKai CN).
    assert {"Noto-Serif-CJK-TC", "Noto-Sans-CJK-TC", "AR-PL-UKai-TW"} <= fonts
    assert not [f for f in fonts if "CJK-SC" in f]

    epub = Epub(epub_path)
    assert epub.dc("language") == ["zh-Hans-SG"]
    nav = epub.xhtml("nav.xhtml")
    assert [text_of(h) for h in xpath(nav, "//h:nav[@id='toc']/h:h1")] == ["篇目"]
    chapter_one = epub.xhtml("ch01.xhtml")
    assert xpath(chapter_one, "//h:section[@class='notes']/@aria-label") == ["注文"]
    assert "「鹽要晒足。」" in squash(text_of(chapter_one))
    css = epub.files[epub.href("styles/book.css")].decode()
    assert '"Noto Serif CJK TC"' in css and "CJK SC" not in css
    assert [str(m) for m in epubcheck(epub_path)] == []


def test_the_main_edition_leaves_the_stylesheets_as_written() -> None:
    for sheet in ("print.css", "epub.css"):
        css = (STYLES / sheet).read_text(encoding="utf-8")
        assert restyled(css, ZH_HANS) is css
        assert "CJK TC" in restyled(css, TEST_EDITION)
