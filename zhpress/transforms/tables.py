"""Tables set as tables: the stylesheets of both books read the classes marked here, so a short
table stays whole on its page and a column of figures lines up on the right."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ..model import Chapter

# A table of this many body rows or fewer is read at a glance: split over two pages it is not.
SHORT_TABLE_ROWS = 6
SHORT_CLASS = "table-short"
NUMERIC_CLASS = "num"
# A figure as tables print one: a sign or currency, digits grouped by commas, decimals, a percent.
NUMBER = re.compile(r"[-+−±]?[¥$€£]?\d[\d,]*(?:\.\d+)?[%‰]?")


def mark_tables(chapter: Chapter) -> Chapter:
    """Short tables marked to be kept whole; the cells of all-number columns marked, header
    included, to be set flush right (the decimals then line up when they have as many places)."""
    for table in chapter.body.iter("table"):
        body_rows = [row for row in table.iter("tr") if row.find("td") is not None]
        if len(body_rows) <= SHORT_TABLE_ROWS:
            _add_class(table, SHORT_CLASS)
        for column in _numeric_columns(body_rows):
            for row in table.iter("tr"):
                if column < len(cells := _cells(row)):
                    _add_class(cells[column], NUMERIC_CLASS)
    return chapter


def _numeric_columns(rows: list[HtmlElement]) -> list[int]:
    """Columns whose every filled body cell is a figure (empty cells do not count against it)."""
    width = max((len(_cells(row)) for row in rows), default=0)
    columns = []
    for column in range(width):
        texts = [cells[column].text_content().strip() for row in rows if column < len(cells := _cells(row))]
        filled = [text for text in texts if text]
        if filled and all(NUMBER.fullmatch(text) for text in filled):
            columns.append(column)
    return columns


def _cells(row: HtmlElement) -> list[HtmlElement]:
    return [cell for cell in row if cell.tag in ("th", "td")]


def _add_class(el: HtmlElement, name: str) -> None:
    el.set("class", " ".join([*(el.get("class") or "").split(), name]))
