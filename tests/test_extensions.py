"""Our WeasyPrint extensions: applied only inside `patched()`, refused on another WeasyPrint,
and each one, beside plain WeasyPrint on a small document, changes what it is for and
nothing else."""

from __future__ import annotations

import inspect
from pathlib import Path

import pydyf
import pytest
from conftest import build_book, copy_book, offline
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, inline, page
from weasyprint.pdf import metadata
from weasyprint.text import line_break

from zhpress.errors import BookError
from zhpress.print import extensions
from zhpress.print.extensions import applied, floats, justify, notes, patched

REPLACED = [(inline, "justify_line"), (line_break.Layout, "set_text"), (block, "_linebox_layout"),
            (page, "remake_page"), (page, "set_page_type_computed_styles"), (pydyf.PDF, "page_references"),
            (metadata, "uuid4")]


def weasyprints_own() -> list[object]:
    return [inspect.getattr_static(owner, name) for owner, name in REPLACED]


def test_after_a_build_weasyprint_is_weasyprints_own_again(tmp_path: Path) -> None:
    before = weasyprints_own()
    with patched("seed"):
        during = weasyprints_own()
    assert all(a is not b for a, b in zip(before, during, strict=True))  # each is replaced while a PDF is made
    with offline():
        build_book(copy_book("anthology", tmp_path / "m"), tmp_path / "out", ("pdf",))
    assert weasyprints_own() == before


def test_another_weasyprint_is_one_line_before_any_internals_are_touched(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    installed = {"weasyprint": "71.0", "pydyf": "0.13.0"}
    monkeypatch.setattr(extensions, "version", installed.get)
    before = weasyprints_own()
    with offline(), pytest.raises(BookError) as caught:
        build_book(copy_book("anthology", tmp_path / "m"), tmp_path / "out", ("pdf",))
    assert str(caught.value) == ("zhpress: error: zhpress's PDF extensions are written for weasyprint 70.0, but 71.0 "
                                 "is installed: run 'make setup' (requirements.txt pins weasyprint==70.0)")
    assert weasyprints_own() == before
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def lines(document: object) -> list[tuple[int, float, str]]:
    """Every line box of the body: (page, top, text)."""
    found = []
    for number, laid_out in enumerate(document.pages):
        for box in laid_out._page_box.descendants():
            if isinstance(box, boxes.LineBox):
                text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
                found.append((number, round(box.position_y, 3), text))
    return found


def line_ends(document: object) -> list[float]:
    """Where each body line's last text box ends, but a paragraph's last line."""
    ends = []
    for laid_out in document.pages:
        for paragraph in laid_out._page_box.descendants():
            if isinstance(paragraph, boxes.BlockBox) and paragraph.element_tag == "p":
                for line in [c for c in paragraph.children if isinstance(c, boxes.LineBox)][:-1]:
                    last = [t for t in line.descendants() if isinstance(t, boxes.TextBox)][-1]
                    ends.append(round(last.position_x + last.width - paragraph.content_box_x() - paragraph.width, 2))
    return ends


JUSTIFIED = """<html lang="zh-Hans"><head><style>
@page { size: 90mm 120mm; margin: 10mm; }
body { font: 10pt/1.6 "Noto Serif CJK SC"; text-align: justify; }
</style></head><body>
<p>他说，海水进了池子，就要靠太阳和风慢慢地把它熬干，这个过程急不得，2024年的那场雨之后，谁也说不准。</p>
<p>“盐是有脾气的。”他说。天色、风向和潮水，都写在他的脸上；他从来不看天气预报，只看海。</p>
</body></html>"""


def test_justification_spreads_chinese_lines_to_the_edge_and_moves_no_line() -> None:
    plain = HTML(string=JUSTIFIED).render()
    with applied(justify.patches()):
        ours = HTML(string=JUSTIFIED).render()
    assert lines(ours) == lines(plain)  # the same lines, in the same places
    assert min(line_ends(plain)) < -2  # WeasyPrint widens spaces only: Chinese lines end short
    assert [end for end in line_ends(ours) if abs(end) > 0.5] == []  # ours are flush


def note_page(call_line: int, filler: int) -> str:
    """A page of `filler` lines with a note called in line `call_line`, then a paragraph
    of four lines that, at some `filler`, starts on the page's last free line."""
    body = "".join(
        f"<p>第{n}行。" + ('<span class="note">一条注释，写得长一些，占两行的位置，看它落在哪一页上。</span>'
                           if n == call_line else "") + "</p>"
        for n in range(filler)
    )
    return f"""<html lang="zh-Hans"><head><style>
    @page {{ size: 80mm 70mm; margin: 8mm; }}
    body {{ font: 9pt/14pt "Noto Serif CJK SC"; orphans: 2; widows: 2; }}
    p {{ margin: 0; }}
    .note {{ float: footnote; footnote-policy: line; }}
    </style></head><body>{body}<p>{"最后一段的文字，" * 12}</p></body></html>"""


def note_pages(document: object) -> tuple[list[int], list[int]]:
    """Pages of the note calls and of the notes."""
    calls, placed = [], []
    for number, laid_out in enumerate(document.pages):
        for box in laid_out._page_box.descendants():
            tag = box.element_tag or ""
            calls += [number] if tag.endswith("::footnote-call") else []
            placed += [number] if tag.endswith("::footnote-marker") else []
    return calls, placed


def test_notes_stay_on_their_calls_page_and_nothing_else_moves() -> None:
    carried = 0
    for filler in range(2, 9):
        plain = HTML(string=note_page(0, filler)).render()
        with applied(notes.patches()):
            ours = HTML(string=note_page(0, filler)).render()
        calls, placed = note_pages(ours)
        assert calls == placed, filler
        if note_pages(plain)[0] != note_pages(plain)[1]:
            carried += 1  # WeasyPrint moved the note away from its call to make room for orphans
        else:
            assert lines(ours) == lines(plain), filler
    assert carried >= 1  # the documents reach the case the extension is for


def float_page(*blocks: str) -> str:
    """A chapter body on pages of eight 20 pt lines: "p3x2" is a paragraph of three lines
    named x2, "f6" a figure six lines tall with its caption, "h" a heading, "q" a figure
    inside a quotation, "l3" a three-line paragraph that links to the figure, "n3" one whose
    first line calls a note."""
    html = []
    for n, spec in enumerate(blocks):
        kind, size = spec[0], int(spec[1]) if len(spec) > 1 else 1
        name = spec[2:] or f"{kind}{n}"
        text = "<br>".join(f"{name}-{i}" for i in range(size))
        figure = (f'<figure id="fig"><div style="height: {20 * (size - 1)}pt"></div>'
                  "<figcaption>CAPTION</figcaption></figure>")
        html.append({
            "p": f"<p>{text}</p>",
            "l": f'<p><a href="#fig">{text}</a></p>',
            "n": f'<p>{name}-note<span class="note">NOTE</span><br>{text}</p>',
            "f": figure,
            "q": f"<blockquote>{figure}</blockquote>",
            "h": f"<h2>{name}</h2>",
        }[kind])
    return f"""<html><head><style>
    @page {{ size: 100mm {20 * 8 + 2}pt; margin: 1pt 10mm; }}
    body {{ font: 10pt/20pt serif; orphans: 2; widows: 2; margin: 0; }}
    p, figure, blockquote, h2 {{ margin: 0; }} h2 {{ font-size: 10pt; line-height: 20pt; break-after: avoid; }}
    figure {{ break-inside: avoid; }} figcaption {{ height: 20pt; }}
    .note {{ float: footnote; footnote-policy: line; font: 10pt/20pt serif; }}
    </style></head><body><div class="chapter-body">{"".join(html)}</div></body></html>"""


def page_texts(document: object) -> list[list[str]]:
    """Each page's lines, as text (a figure is its caption)."""
    pages = [[] for _ in document.pages]
    for number, _, text in lines(document):
        pages[number].append(text)
    return pages


def floated(*blocks: str) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """The pages, and each move as (figure id, text of what it now follows)."""
    return floated_html(float_page(*blocks))


def floated_html(html: str) -> tuple[list[list[str]], list[tuple[str, str]]]:
    moved = floats.Floats()
    with applied(floats.patches(moved)):
        document = HTML(string=html).render()
    return page_texts(document), [(f.get("id"), "".join(a.itertext())[:4]) for f, a in moved.moved]


def test_a_figure_that_does_not_fit_floats_below_the_next_paragraph() -> None:
    plain = page_texts(HTML(string=float_page("p5a", "f5", "p4b", "p2c")).render())
    assert plain[0] == ["a-0", "a-1", "a-2", "a-3", "a-4"]  # three lines left empty above the figure
    pages, moves = floated("p5a", "f5", "p4b", "p2c")
    assert pages[0] == ["a-0", "a-1", "a-2", "a-3", "a-4", "b-0", "b-1"]  # widows: two lines go over
    assert pages[1:] == [["b-2", "b-3", "CAPTION"], ["c-0", "c-1"]]
    assert moves == [("fig", "b-0b")]


def test_a_floated_paragraphs_note_stays_on_its_calls_page() -> None:
    pages, moves = floated("p3a", "f7", "n2b", "p2c")
    assert moves == [("fig", "b-no")]
    assert pages[0] == ["a-0", "a-1", "a-2", "b-note1", "b-0", "b-1", "1. NOTE"]  # call, and note at the foot
    assert pages[1:] == [["CAPTION"], ["c-0", "c-1"]]


def test_a_figure_floats_as_far_as_the_page_has_room_and_lands_on_the_next() -> None:
    pages, moves = floated("p1a", "f8", *(f"p1{name}" for name in "bcdeghij"))
    # One line left: less than a paragraph's orphans, which it would take to float further.
    assert pages == [["a-0", "b-0", "c-0", "d-0", "e-0", "g-0", "h-0"], ["CAPTION"], ["i-0", "j-0"]]
    assert [after for _, after in moves] == ["b-0", "c-0", "d-0", "e-0", "g-0", "h-0"]


@pytest.mark.parametrize("blocks", [
    ("p5a", "f5", "h", "p4b"),  # never past a heading
    ("p5a", "f5", "l4b"),  # never past a paragraph that links to it
    ("p5a", "f5"),  # never out of the chapter
    ("p5a", "q5", "p4b"),  # only in the chapter's body, not in a quotation
    ("p7a", "f5", "p4b"),  # one line left: no room for a paragraph's first two
    ("p3a", "f7", "p9b", "p2c"),  # the paragraph would run past the next page, the figure with it
])
def test_a_figure_stays_where_it_may_not_float(blocks: tuple[str, ...]) -> None:
    plain = page_texts(HTML(string=float_page(*blocks)).render())
    pages, moves = floated(*blocks)
    assert (pages, moves) == (plain, [])


def test_a_table_row_broken_across_pages_leaves_floats_alone() -> None:
    """Each cell of a broken row resumes on its own: the next page starts inside the row."""
    cells = "".join("<td>" + "<br>".join(f"{side}-{i}" for i in range(12)) + "</td>" for side in "xy")
    html = float_page("p2a").replace("</div></body>", f"<table><tr>{cells}</tr></table></div></body>")
    pages = page_texts(HTML(string=html).render())
    floated_pages, moves = floated_html(html)
    assert len(pages) == 2  # the row breaks once
    assert (floated_pages, moves) == (pages, [])
