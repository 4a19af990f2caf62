"""Figures: credit and caption split from the clipper's line, alt text, explicit attributes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MANUSCRIPT, copy_book, make_png, offline

from zhpress.pipeline import load_book
from zhpress.read.manuscript import open_manuscript
from zhpress.transforms.figures import split_credit

# The seed's six "credit + caption" lines (../shared/seeds/000_af15306c2e98a44b.txt, also the
# default book's chapter), each with the credit and caption a reader must see. The clipping's
# alt text follows: a file name (to be replaced by the caption) or a description (kept).
SEED_FIGURES = [
    (
        "Emin Özmen / Magnum Photos 2024年12月，叙利亚人在大马士革庆祝阿萨德政权倒台。",
        "Emin Özmen / Magnum Photos",
        "2024年12月，叙利亚人在大马士革庆祝阿萨德政权倒台。",
        None,
    ),
    (
        "UAE Presidential Court Handout / Andalou / Getty 2023年3月19日，阿萨德在阿布扎比会见阿联酋总统"
        "穆罕默德·本·扎耶德·阿勒纳哈扬。",
        "UAE Presidential Court Handout / Andalou / Getty",
        "2023年3月19日，阿萨德在阿布扎比会见阿联酋总统穆罕默德·本·扎耶德·阿勒纳哈扬。",
        "Bashar al-Assad with President of the United Arab Emirates, Mohamed bin Zayed Al Nahyan in Abu Dhabi.",
    ),
    (
        "Louai Beshara / AFP / Getty 叙利亚总统哈菲兹·阿萨德和妻子安尼萨，以及他们的孩子——马赫尔、巴沙尔、"
        "巴塞勒、马吉德和布什拉——这张照片据信拍摄于1993年前后。",
        "Louai Beshara / AFP / Getty",
        "叙利亚总统哈菲兹·阿萨德和妻子安尼萨，以及他们的孩子——马赫尔、巴沙尔、巴塞勒、马吉德和布什拉——"
        "这张照片据信拍摄于1993年前后。",
        None,
    ),
    (
        "Bakr Alkasem / AFP / Getty 政权倒台后，一名反对派战士在哈马市政大楼外朝展示阿萨德照片的横幅射击。",
        "Bakr Alkasem / AFP / Getty",
        "政权倒台后，一名反对派战士在哈马市政大楼外朝展示阿萨德照片的横幅射击。",
        None,
    ),
    (
        "Raghed Waked / Middle East Images / AFP / Getty 2024年12月，一名战士在杜马展示藏在变压器内的卡普塔贡药丸。",
        "Raghed Waked / Middle East Images / AFP / Getty",
        "2024年12月，一名战士在杜马展示藏在变压器内的卡普塔贡药丸。",
        "A soldier holding a handful of captagon pills",
    ),
    (
        "Omar Haj Kadour / AFP / Getty 阿萨德出逃后，大马士革前总统府部分区域遭到洗劫和焚烧。",
        "Omar Haj Kadour / AFP / Getty",
        "阿萨德出逃后，大马士革前总统府部分区域遭到洗劫和焚烧。",
        "A young boy walking through the rubble of a burnt palace",
    ),
]


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory: pytest.TempPathFactory):
    """The default book loaded (not rendered), its remote pictures unreachable."""
    folder = copy_book("manuscript", tmp_path_factory.mktemp("seed") / "manuscript")
    with offline():
        return book_of(folder)


def book_of(folder: Path):
    """The book in `folder`, loaded as a build loads it."""
    return load_book(open_manuscript(folder))


def write_chapter(tmp_path: Path, markdown: str, images: tuple[str, ...] = ("images/a.png",)) -> Path:
    """A one-chapter book in tmp_path with the given Markdown and generated pictures."""
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "book.yaml").write_text("title: 图片测试\n", encoding="utf-8")
    (book / "chapters" / "01.md").write_text(markdown, encoding="utf-8")
    for name in images:
        make_png(book / "chapters" / name, 20, 10, "gray")
    return book


def seed_pictures() -> list[tuple[str, str]]:
    """(image line, next non-blank line) for every picture of the default book's chapter."""
    (chapter,) = (MANUSCRIPT / "chapters").glob("*.md")
    lines = [line for line in chapter.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(line, lines[i + 1]) for i, line in enumerate(lines) if line.startswith("![")]


def body_paragraphs(chapter) -> list[str]:
    return [p.text_content() for p in chapter.body.iter("p")]


# --------------------------------------------------------------------------- the seed


@pytest.mark.parametrize(("line", "credit", "caption", "alt"), SEED_FIGURES)
def test_seed_credit_line_splits(line: str, credit: str, caption: str, alt: str | None) -> None:
    assert split_credit(line) == (credit, caption)


def test_seed_credit_lines_are_the_default_books() -> None:
    """The table above is the default book's: the paragraph after each picture, in order."""
    assert [credit_line for _, credit_line in seed_pictures()] == [line for line, *_ in SEED_FIGURES]


def test_every_seed_figure_has_its_credit_and_caption(seed_book) -> None:
    figures = seed_book.figures
    assert [(f.credit, f.caption) for f in figures] == [(c, cap) for _, c, cap, _ in SEED_FIGURES]


def test_seed_alt_text_is_the_caption_where_the_clipping_gave_a_file_name(seed_book) -> None:
    for figure, (_, _, caption, alt) in zip(seed_book.figures, SEED_FIGURES, strict=True):
        assert figure.alt == (alt if alt is not None else caption)


def test_seed_credit_lines_leave_the_body(seed_book) -> None:
    """A credit line printed under its picture must not also remain as a paragraph."""
    paragraphs = body_paragraphs(seed_book.chapters[0])
    for line, credit, caption, _ in SEED_FIGURES:
        assert not any(p.startswith(credit) for p in paragraphs), line
        assert caption not in "".join(paragraphs)


def test_seed_figures_without_network_are_placeholders_remembering_their_url(seed_book) -> None:
    urls = [image[image.index("](") + 2 : -1] for image, _ in seed_pictures()]
    assert [f.src for f in seed_book.figures] == [None] * len(SEED_FIGURES)
    assert [f.original_src for f in seed_book.figures] == urls


# --------------------------------------------------------------------------- the heuristic


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Jane Doe / Reuters 2024年1月，……", ("Jane Doe / Reuters", "2024年1月，……")),
        ("AFP via Getty Images 1993年前后的全家福。", ("AFP via Getty Images", "1993年前后的全家福。")),
        ("Mark O'Connor / AP 2024年5月3日，示威者集会。", ("Mark O'Connor / AP", "2024年5月3日，示威者集会。")),
        ("Émilie Dupré / Le Monde 巴黎街头的抗议人群。", ("Émilie Dupré / Le Monde", "巴黎街头的抗议人群。")),
        ("Jane Doe / Reuters 12月3日，示威者在广场集会。", ("Jane Doe / Reuters", "12月3日，示威者在广场集会。")),
    ],
)
def test_latin_run_before_chinese_is_the_credit(line: str, expected: tuple[str, str]) -> None:
    assert split_credit(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "叙利亚人在大马士革庆祝阿萨德政权倒台。",  # no Latin run: a caption or body text, no credit
        "Photo by Jane Doe for Reuters.",  # no Chinese after it: an English sentence
        "2024年12月，叙利亚人在大马士革庆祝。",  # starts with a date, not a name
    ],
)
def test_lines_that_are_not_credit_lines(line: str) -> None:
    assert split_credit(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('Jane Doe / Reuters "自由叙利亚军"士兵在街头巡逻。', ("Jane Doe / Reuters", '"自由叙利亚军"士兵在街头巡逻。')),
        ("Jane Doe / Reuters 《纽约时报》大楼外的抗议者。", ("Jane Doe / Reuters", "《纽约时报》大楼外的抗议者。")),
    ],
)
def test_caption_opening_with_a_quotation_mark_is_split(line: str, expected: tuple[str, str]) -> None:
    assert split_credit(line) == expected


# --------------------------------------------------------------------------- alt text and explicit form


def test_file_name_alt_is_replaced_by_the_caption(tmp_path: Path) -> None:
    book = book_of(write_chapter(tmp_path, (
        "![a.png](images/a.png)\n\nJane Doe / Reuters 2024年1月，渡口的清晨。\n\n"
        "![](images/b.png)\n\nJohn Roe / AP 傍晚的渡船。\n"
    ), images=("images/a.png", "images/b.png")))
    first, second = book.figures
    caption = "2024年1月，渡口的清晨。"
    assert (first.alt, first.caption, first.credit) == (caption, caption, "Jane Doe / Reuters")
    assert (second.alt, second.caption, second.credit) == ("傍晚的渡船。", "傍晚的渡船。", "John Roe / AP")


def test_descriptive_alt_is_kept_and_used_as_caption_without_a_credit_line(tmp_path: Path) -> None:
    book = book_of(write_chapter(tmp_path, (
        "![Boats at dusk](images/a.png)\n\nJane Doe / Reuters 黄昏时的渔船。\n\n"
        "![渡口的老船工](images/b.png)\n\n正文继续，没有图片说明。\n"
    ), images=("images/a.png", "images/b.png")))
    first, second = book.figures
    assert (first.alt, first.caption, first.credit) == ("Boats at dusk", "黄昏时的渔船。", "Jane Doe / Reuters")
    assert (second.alt, second.caption, second.credit) == ("渡口的老船工", "渡口的老船工", None)
    assert "正文继续，没有图片说明。" in body_paragraphs(book.chapters[0])


def test_explicit_attributes_override_the_credit_line_heuristic(tmp_path: Path) -> None:
    book = book_of(write_chapter(tmp_path, (
        '![a.png](images/a.png){credit="Li Si / Xinhua" caption="明确写出的说明。"}\n\n正文第一段。\n'
    )))
    (figure,) = book.figures
    assert (figure.credit, figure.caption, figure.alt) == ("Li Si / Xinhua", "明确写出的说明。", "明确写出的说明。")
    assert "正文第一段。" in body_paragraphs(book.chapters[0])


def test_explicit_caption_alone_leaves_credit_empty(tmp_path: Path) -> None:
    book = book_of(write_chapter(tmp_path, '![渡口](images/a.png){caption="只有说明。"}\n\n正文。\n'))
    (figure,) = book.figures
    assert (figure.credit, figure.caption, figure.alt) == (None, "只有说明。", "渡口")


def test_explicit_attributes_keep_the_next_paragraph(tmp_path: Path) -> None:
    paragraph = "NATO 秘书长当天也发表了讲话。"
    book = book_of(write_chapter(tmp_path, (
        f'![a.png](images/a.png){{credit="Li Si / Xinhua" caption="明确写出的说明。"}}\n\n{paragraph}\n'
    )))
    assert paragraph in body_paragraphs(book.chapters[0])


def test_image_inside_a_sentence_is_not_a_figure(tmp_path: Path, log_guard) -> None:
    log_guard.expect(r"chapters/01\.md:3: warning: image 'images/a\.png' is inside a paragraph of text")
    book = book_of(write_chapter(tmp_path, "# 图标\n\n正文里有一个图标![icon](images/a.png)在句中。\n"))
    assert book.figures == ()
    assert "正文里有一个图标在句中。" in body_paragraphs(book.chapters[0])


def test_english_alt_text_and_captions_are_marked_english(tmp_path: Path) -> None:
    book = book_of(write_chapter(tmp_path, (
        "![Boats at dusk](images/a.png)\n\nJane Doe / Reuters 黄昏时的渔船。\n\n"
        "![Fishing boats at dawn](images/b.png)\n\n正文继续。\n\n"
        "![渡口的老船工](images/c.png)\n\n正文再继续。\n"
    ), images=("images/a.png", "images/b.png", "images/c.png")))
    images = book.chapters[0].body.findall(".//img")
    assert [(img.get("alt"), img.get("lang")) for img in images] == [
        ("Boats at dusk", "en"), ("Fishing boats at dawn", "en"), ("渡口的老船工", None)]
    captions = book.chapters[0].body.findall(".//span[@class='caption']")
    assert [(c.text, c.get("lang")) for c in captions] == [
        ("黄昏时的渔船。", None), ("Fishing boats at dawn", "en"), ("渡口的老船工", None)]
