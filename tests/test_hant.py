"""The Traditional edition (繁體版): the conversion's rules one by one (OpenCC, the correction
list, overrides, quotation marks), the review report, and one book built end to end."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import NS, Epub, LogGuard, copy_book, offline, pdf_fonts, pdf_text, run_cli, squash, text_of, xpath
from pdf_layout import body_lines, ink_spans, punctuation_pairs

from zhpress.check.ace import ACE, chromium
from zhpress.check.gate import check_outputs, epubcheck
from zhpress.cli import main
from zhpress.editions.hant import converter_for, load_corrections
from zhpress.editions.hant_report import DOUBTFUL, manuscript_choices
from zhpress.errors import BookError

# One sentence for each correction-list entry: (region, Simplified, what the edition prints).
CORRECTED = [
    ("tw", "改变量子比特的状态", "改變量子位元的狀態"),
    ("tw", "衣服干了就收", "衣服乾了就收"),
    ("hk", "衣服干了就收", "衣服乾了就收"),
    ("tw", "衣服还没干", "衣服還沒乾"),
    ("tw", "头发干了再睡", "頭髮乾了再睡"),
    ("tw", "头发还没干", "頭髮還沒乾"),
    ("tw", "那年夏天井干了", "那年夏天井乾了"),
    ("tw", "他先冲咖啡", "他先沖咖啡"),
    ("tw", "咖啡冲好了", "咖啡沖好了"),
    ("tw", "她住在后宫", "她住在后宮"),
    ("tw", "鱼在游", "魚在游"),
    ("hk", "他游过河去", "他游過河去"),
    ("tw", "总统府部分区域遭到洗劫", "總統府部分區域遭到洗劫"),
    ("tw", "几个人向他抛出了救生索", "幾個人向他拋出了救生索"),
]
# Sentences that hit the doubtful entries: printed as OpenCC writes them, and listed for review.
DOUBTFUL_SENTENCES = [
    ("tw", "他没干", "他沒幹"),
    ("tw", "把船系在树上", "把船系在樹上"),
    ("tw", "系上领带", "繫上領帶"),
    ("tw", "一个土豆", "一個土豆"),
    ("tw", "质量很好", "質量很好"),
    ("tw", "把这种默认的共识误当作", "把這種預設的共識誤當作"),
]
# Each one-to-many character in its common senses: (Simplified, Taiwan, Hong Kong).
ONE_TO_MANY = [
    ("头发白了，发现问题", "頭髮白了，發現問題", "頭髮白了，發現問題"),
    ("晒干衣服，你在干什么，不要干涉", "曬乾衣服，你在幹什麼，不要干涉", "曬乾衣服，你在幹什麼，不要干涉"),
    ("家里离这里十里", "家裡離這裡十里", "家裏離這裏十里"),
    ("以后再说，皇后来了", "以後再說，皇后來了", "以後再説，皇后來了"),
    ("面对一碗面条", "面對一碗麵條", "面對一碗麪條"),
    ("台风过后，他走上讲台", "颱風過後，他走上講臺", "颱風過後，他走上講台"),
    ("关系很好，系好鞋带，中文系", "關係很好，繫好鞋帶，中文系", "關係很好，繫好鞋帶，中文系"),
    ("只有一只猫", "只有一隻貓", "只有一隻貓"),
    ("去旅游，在河里游泳", "去旅遊，在河裡游泳", "去旅遊，在河裏游泳"),
]


@pytest.mark.parametrize(("region", "simplified", "traditional"), CORRECTED + DOUBTFUL_SENTENCES)
def test_the_correction_list_fixes_what_opencc_gets_wrong(region: str, simplified: str, traditional: str) -> None:
    assert converter_for(region).convert(simplified) == traditional


def test_every_correction_list_entry_has_a_test_sentence() -> None:
    lists = {region: load_corrections(region) for region in ("tw", "hk")}
    for rule in {rule for rules in lists.values() for rule in rules}:
        assert any(rule in lists[region] and rule.wrong in converter_for(region).opencc(simplified)
                   for region, simplified, _ in CORRECTED + DOUBTFUL_SENTENCES), rule


@pytest.mark.parametrize(("simplified", "taiwan", "hong_kong"), ONE_TO_MANY)
def test_one_to_many_characters_by_sense(simplified: str, taiwan: str, hong_kong: str) -> None:
    assert converter_for("tw").convert(simplified) == taiwan
    assert converter_for("hk").convert(simplified) == hong_kong


def test_taiwan_has_its_vocabulary_and_hong_kong_its_characters_only() -> None:
    assert converter_for("tw").convert("软件和网络信息") == "軟體和網路資訊"
    assert converter_for("hk").convert("软件和网络信息") == "軟件和網絡信息"


def test_quotes_nested_two_deep() -> None:
    text = "他说：“她问我：‘你去吗？’我说不去。”"
    assert converter_for("tw").convert(text) == "他說：「她問我：『你去嗎？』我說不去。」"


def test_overrides_come_last_and_match_simplified_or_traditional(tmp_path: Path) -> None:
    (tmp_path / "hant.yaml").write_text("软件: 軟件\n質量: 品質\n", encoding="utf-8")
    assert converter_for("tw", tmp_path).convert("软件质量") == "軟件品質"


def test_a_bad_overrides_file_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "hant.yaml").write_text("软件: 軟件\n质量: [品質]\n", encoding="utf-8")
    with pytest.raises(BookError) as error:
        converter_for("tw", tmp_path)
    assert str(error.value).endswith("hant.yaml:2: error: 质量: expected 'phrase: replacement', two pieces of text")


def test_the_report_lists_a_doubtful_choice_with_file_and_line(tmp_path: Path) -> None:
    manuscript = copy_book("anthology", tmp_path / "m")
    chapter = manuscript / "chapters" / "02-ferry.md"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    chapter.write_text("\n".join([*lines, "", "他把船系在码头上。"]) + "\n", encoding="utf-8")
    choices = manuscript_choices(manuscript)
    first = choices[0]
    assert first.risk == DOUBTFUL and first.where.endswith(f"02-ferry.md:{len(lines) + 2}")
    assert first.simplified[1] == "系在" and "doubtful" in first.rule
    assert any(c.simplified[1] == "干" and c.traditional[1] == "幹" for c in choices)  # 在盐田里干了四十年


URL = "https://example.org/a_b?q=“x”&lang=zh"
ADDED = f"""
她说：“英文书名叫 <span lang="en">The “Salt” Road</span>，网址是 <{URL}>。”`系 code 干`

衣服干了。

渡轮在2024年12月8日停航了3天，他把船系在码头上。
"""


@pytest.fixture(scope="module")
def hant_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The anthology, with URLs, English, code, dates and a doubtful phrase added, built by
    `build.py hant` and `epub-vertical` (and `all`, so that `check` has every file)."""
    return built_anthology(tmp_path_factory.mktemp("hant"), ADDED, "subtitle: 盐与渡船\nhant: tw\n",
                           ("hant", "epub-vertical", "all"))


def built_anthology(folder: Path, added: str, settings: str, commands: tuple[str, ...]) -> Path:
    """The anthology in `folder`/m with `added` after its first chapter and `settings` in
    book.yaml, built by each of `commands` into `folder`/out; returns that."""
    manuscript = copy_book("anthology", folder / "m")
    chapter = manuscript / "chapters" / "01-salt.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + added, encoding="utf-8")
    with (manuscript / "book.yaml").open("a", encoding="utf-8") as config:
        config.write(settings)
    with offline():
        for command in commands:
            assert main([command, "--manuscript", str(manuscript), "--output", str(folder / "out")]) == 0
    return folder / "out"


def test_the_hant_pdf_is_set_in_traditional_faces(hant_book: Path) -> None:
    pdf = hant_book / "海边两记-hant.pdf"
    fonts = set(pdf_fonts(pdf))
    assert {"Noto-Serif-CJK-TC", "Noto-Sans-CJK-TC", "AR-PL-UKai-TW"} <= fonts
    assert not [f for f in fonts if "CJK-SC" in f or "CJK-JP" in f or "UKai-CN" in f], fonts
    text = squash(pdf_text(pdf))
    for words in ("海邊兩記", "鹽與渡船", "目錄", "林曉　譯", "衣服乾了", "她說：「英文書名叫"):
        assert squash(words) in text, words


def test_the_hant_epub_is_tagged_and_clean(hant_book: Path) -> None:
    path = hant_book / "海边两记-hant.epub"
    epub = Epub(path)
    assert epub.dc("language") == ["zh-Hant-TW"]
    assert epub.dc("title") == ["海邊兩記", "鹽與渡船"]
    chapter = epub.xhtml("ch01.xhtml")
    assert xpath(chapter, "/h:html/@lang") == ["zh-Hant-TW"]
    raw = epub.files[epub.href("ch01.xhtml")].decode()
    assert 'The “Salt” Road' in raw  # English, byte for byte
    assert URL.replace("&", "&amp;") in raw  # the URL, as href and as text
    assert "<code>系 code 干</code>" in raw
    assert "他們先看天色" in squash(text_of(chapter))
    assert [str(m) for m in epubcheck(path)] == []


def test_hant_report_from_the_command_line(tmp_path: Path) -> None:
    manuscript = copy_book("anthology", tmp_path / "m")
    status, _, stderr = run_cli("hant", "--report", "--manuscript", manuscript, "--output", tmp_path / "out",
                                cwd=tmp_path)
    assert status == 0, stderr
    report = (tmp_path / "out" / "海边两记-hant-report.html").read_text(encoding="utf-8")
    assert "chapters/01-salt.md:" in report and "<mark>幹</mark>" in report


# --------------------------------------------------------------------------- Taiwan's punctuation

CENTRED = "，。、；：！？"


def test_centred_marks_sit_in_the_middle_of_a_full_em(hant_book: Path) -> None:
    """Taiwan's standard: ，。 centred in the em box (the TC face's forms), and never compressed,
    even before a bracket (。」 keeps a full em), where the Simplified edition halves them."""
    pdf = hant_book / "海边两记-hant.pdf"
    pairs = [(marks, advance) for marks, advance in punctuation_pairs(body_lines(pdf)) if marks[0] in CENTRED]
    assert {"。」", "，」"} <= {marks for marks, _ in pairs}
    assert all(advance > 0.98 for _, advance in pairs), pairs
    spans = ink_spans(pdf, "。，", "Noto-Serif-CJK-TC")
    assert len(spans) > 50
    for left, right in spans:
        assert abs((left + right) / 2 - 0.5) < 0.08 and left > 0.25, (left, right)


def test_the_simplified_edition_still_compresses(hant_book: Path) -> None:
    pairs = punctuation_pairs(body_lines(hant_book / "海边两记.pdf"))
    halved = [advance for marks, advance in pairs if marks in ("。”", "，”")]
    assert halved and max(halved) < 0.7


# --------------------------------------------------------------------------- the vertical EPUB (直排)


def test_the_vertical_epub_runs_top_to_bottom_right_to_left(hant_book: Path) -> None:
    epub = Epub(hant_book / "海边两记-hant-vertical.epub")
    assert epub.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert epub.dc("language") == ["zh-Hant-TW"]
    css = epub.files[epub.href("styles/book.css")].decode()
    root_rule = re.search(r"^html \{([^}]*)\}", css[css.index("vertical-rl") - 200:], re.MULTILINE)
    assert root_rule is not None
    for declaration in ("writing-mode: vertical-rl", "-epub-writing-mode: vertical-rl", "text-orientation: mixed"):
        assert f" {declaration};" in root_rule.group(1), declaration
    for href, document in epub.documents().items():  # the rule reaches every document's root
        assert xpath(document, "/h:html/h:head/h:link/@href") == ["styles/book.css"], href
    assert [str(m) for m in epubcheck(epub.path)] == []


def test_short_digit_runs_stand_upright(hant_book: Path) -> None:
    epub = Epub(hant_book / "海边两记-hant-vertical.epub")
    chapter = epub.xhtml("ch01.xhtml")
    paragraph = next(p for p in chapter.iter(f"{{{NS['xhtml']}}}p") if "停航" in text_of(p))
    # 系在 is doubtful: left as OpenCC writes it, and check warns.
    assert text_of(paragraph) == "渡輪在2024年12月8日停航了3天，他把船系在碼頭上。"
    assert xpath(paragraph, "h:span[@class='upright']/text()") == ["12", "8", "3"]
    assert not xpath(chapter, "//h:span[@class='upright' and ancestor::*[@lang='en']]")
    assert epub.files[epub.href("ch01.xhtml")].decode().count('class="upright"') > 3
    # The horizontal EPUB of the same edition has no such marks.
    assert b'class="upright"' not in Epub(hant_book / "海边两记-hant.epub").files["EPUB/ch01.xhtml"]


def test_the_vertical_epub_embeds_vertical_forms(hant_book: Path) -> None:
    from fontTools.ttLib import TTFont

    epub = Epub(hant_book / "海边两记-hant-vertical.epub")
    song = TTFont(io.BytesIO(epub.files[epub.href("fonts/song.otf")]))
    assert song["name"].getDebugName(1) == "Noto Serif CJK TC"
    features = {record.FeatureTag for record in song["GSUB"].table.FeatureList.FeatureRecord}
    assert {"vert", "vrt2"} <= features
    assert "vmtx" in song
    horizontal = TTFont(io.BytesIO(Epub(hant_book / "海边两记-hant.epub").files["EPUB/fonts/song.otf"]))
    assert "vert" not in {r.FeatureTag for r in horizontal["GSUB"].table.FeatureList.FeatureRecord}


def title_page_ink(epub: Path, folder: Path) -> tuple[int, int]:
    """Width and height of the ink of the EPUB's title page, as headless Chromium shows it at a
    phone's size (430 × 900 px)."""
    from PIL import Image

    with zipfile.ZipFile(epub) as archive:
        archive.extractall(folder)
    shot = folder / "title.png"
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=430,900", (folder / "EPUB" / "titlepage.xhtml").as_uri()],
                   capture_output=True, check=True, timeout=120)
    ink = Image.open(shot).convert("L").point(lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None
    left, top, right, bottom = ink
    return right - left, bottom - top


@pytest.mark.skipif(chromium() is None, reason="no chromium")
def test_the_vertical_title_page_in_chromium(hant_book: Path, tmp_path: Path) -> None:
    """Chromium sets the vertical title page's lines as columns, a block taller than wide; the
    horizontal EPUB's title page is wider than tall."""
    width, height = title_page_ink(hant_book / "海边两记-hant-vertical.epub", tmp_path / "vertical")
    assert height > 1.3 * width
    width, height = title_page_ink(hant_book / "海边两记-hant.epub", tmp_path / "horizontal")
    assert width > 1.3 * height


@pytest.mark.skipif(not ACE.exists() or chromium() is None,
                    reason="DAISY Ace is not installed (sh tools/ace-setup.sh) or no chromium")
def test_check_passes_both_traditional_epubs_and_warns_on_doubtful_choices(hant_book: Path, caplog,
                                                                          log_guard: LogGuard) -> None:
    """`check` with the Traditional files built: EPUBCheck and DAISY Ace report nothing on the
    horizontal and the vertical EPUB (any message would be a finding and fail it), the PDF's text
    reads back, and the doubtful 系在 is a warning with its file and line."""
    manuscript = hant_book.parent / "m"
    chapter = manuscript / "chapters" / "01-salt.md"
    line = next(n for n, text in enumerate(chapter.read_text(encoding="utf-8").splitlines(), start=1)
                if "系在码头" in text)
    log_guard.expect(r"\[H001\]")
    caplog.set_level(logging.INFO)
    check_outputs(manuscript, hant_book)
    assert ("check of " f"{hant_book / '海边两记-hant.pdf'}, 海边两记-hant.epub and 海边两记-hant-vertical.epub:"
            in caplog.text)
    warnings = [r.getMessage() for r in caplog.records if "[H001]" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{chapter}:{line}: warning: [H001] doubtful conversion 「系在」 → 「系在」")


# --------------------------------------------------------------------------- Hong Kong


@pytest.fixture(scope="module")
def hk_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The anthology in Hong Kong's edition (book.yaml `hant: hk`), with a sentence whose
    characters differ from Taiwan's."""
    return built_anthology(tmp_path_factory.mktemp("hk"), "\n家里离这里十里，软件和网络信息。\n", "hant: hk\n",
                           ("hant", "epub-vertical"))


def test_hong_kong_pdf_is_set_in_hk_faces_with_centred_marks(hk_book: Path) -> None:
    pdf = hk_book / "海边两记-hant.pdf"
    fonts = set(pdf_fonts(pdf))
    assert {"Noto-Serif-CJK-HK", "Noto-Sans-CJK-HK", "AR-PL-UKai-HK"} <= fonts
    assert not [f for f in fonts if any(cut in f for cut in ("CJK-SC", "CJK-TC", "CJK-JP", "UKai-CN", "UKai-TW"))]
    assert "家裏離這裏十里，軟件和網絡信息。" in squash(pdf_text(pdf))
    spans = ink_spans(pdf, "。，", "Noto-Serif-CJK-HK")
    assert spans and all(abs((left + right) / 2 - 0.5) < 0.08 for left, right in spans)


def test_hong_kong_epubs_are_tagged_and_clean(hk_book: Path) -> None:
    from fontTools.ttLib import TTFont

    for name in ("海边两记-hant.epub", "海边两记-hant-vertical.epub"):
        epub = Epub(hk_book / name)
        assert epub.dc("language") == ["zh-Hant-HK"]
        chapter = epub.xhtml("ch01.xhtml")
        assert xpath(chapter, "/h:html/@lang") == ["zh-Hant-HK"]
        assert "家裏離這裏十里，軟件和網絡信息。" in squash(text_of(chapter))
        song = TTFont(io.BytesIO(epub.files[epub.href("fonts/song.otf")]))
        kai = TTFont(io.BytesIO(epub.files[epub.href("fonts/kai.ttf")]))
        assert (song["name"].getDebugName(1), kai["name"].getDebugName(1)) == ("Noto Serif CJK HK", "AR PL UKai HK")
        assert [str(m) for m in epubcheck(hk_book / name)] == [], name
