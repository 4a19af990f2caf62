"""Finding page styles by lookup instead of a document scan changes the time, never the pages."""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.layout import page as page_layout

from zhpress.print.extensions import applied, page_styles

STYLE = """
@page { size: 120mm 160mm; margin: 20mm;
        @bottom-center { content: counter(page); } }
@page :left { @top-left { content: string(book); } }
@page :right { @top-right { content: string(part, first-except); } }
@page :first { @bottom-center { content: none; } }
@page plate { @top-left { content: "插图"; } @top-right { content: none; } }
@page :blank { @top-left { content: none; } @top-right { content: none; } }
h1 { string-set: part content(); break-before: right; }
.book { string-set: book content(); }
.plate { page: plate; }
"""
# Part n runs n + 1 pages before its plate, so some parts end on a right page and the next
# part, opening on a right page, leaves a blank page between.
PARTS = "".join(
    f"<h1>第{n}部分</h1><p>正文。</p>" + '<p style="break-before: page">续。</p>' * n + '<div class="plate">图</div>'
    for n in range(1, 5)
)
BODY = f'<p class="book">书名</p>{PARTS}'
HTML_DOC = f'<html lang="zh-Hans"><head><style>{STYLE}</style></head><body>{BODY}</body></html>'


def margin_texts() -> list[list[tuple[str, str]]]:
    """Each page's margin boxes, as (at-keyword, text) pairs."""
    pages = HTML(string=HTML_DOC).render().pages
    return [[(box.at_keyword, _text(box)) for box in page._page_box.children[1:]] for page in pages]


def _text(box: object) -> str:
    return "".join(getattr(child, "text", "") for child in box.descendants())


def test_margin_boxes_are_those_weasyprint_finds() -> None:
    assert page_layout.set_page_type_computed_styles.__module__ == "weasyprint.layout.page"
    original = margin_texts()
    with applied(page_styles.patches()):
        assert page_layout.set_page_type_computed_styles is page_styles.set_page_type_computed_styles
        patched = margin_texts()
    assert patched == original
    # The document exercises what the lookup must find: named, blank, left and right pages.
    boxes = {box for page in original for box in page}
    assert ("@top-left", "插图") in boxes
    assert ("@top-left", "书名") in boxes
    assert ("@top-right", "第3部分") in boxes
    assert [("@bottom-center", "6")] in original  # a blank page keeps only its folio
    assert len(original) > 12

