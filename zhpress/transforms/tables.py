"""Tables set as tables: the stylesheets of both books read the classes marked here, so a short
table stays whole on its page and a column of figures lines up on its decimal point."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from ..errors import BookError
from ..model import Chapter
from .setting import Setting

# A table of this many body rows or fewer is read at a glance: split over two pages it is not.
SHORT_TABLE_ROWS = 6
SHORT_CLASS = "table-short"
# Past this many columns a table is set in smaller type, its columns of equal width, to fit
# the measure (print.css); past the most, no page or screen holds it legibly.
WIDE_TABLE_COLUMNS = 6
WIDE_CLASS = "table-wide"
MAX_TABLE_COLUMNS = 20
# The narrowest column that holds a character: 7pt type (2.5mm), the cell's padding and rules.
MIN_COLUMN_MM = 4.5
NUMERIC_CLASS = "num"
# A figure as tables print one: a sign or currency, digits grouped by commas, decimals, a percent.
NUMBER = re.compile(r"[-+−±]?[¥$€£]?\d[\d,]*(?:\.\d+)?[%‰]?")
# What follows a figure's last whole digit: its decimals and unit, set in a box as wide as the
# column's widest, so that in a cell set flush right every decimal point falls on one line.
DECIMALS = re.compile(r"(?P<whole>.*\d(?=\.)|.*\d)(?P<decimals>(?:\.\d+)?[%‰]?)")
DECIMALS_CLASS = "decimals"
# Upper bounds of each character's width, in the widths of a zero (the CSS unit ch): a box a
# little wide only moves the column left, one too narrow would grow and break the line.
CH_WIDTHS = {".": 0.65, "%": 1.75, "‰": 2.4}
DIGIT_CH = 1.05


def mark_tables(chapter: Chapter, setting: Setting) -> Chapter:
    """Short tables marked to be kept whole; the cells of all-number columns marked, header
    included, to be set flush right, their decimals aligned. Wide tables are marked to be set
    smaller; one too wide for any page is refused, since print would cut it off at the page's edge."""
    most = min(MAX_TABLE_COLUMNS, int(setting.measure // MIN_COLUMN_MM))
    for table in chapter.body.iter("table"):
        body_rows = [row for row in table.iter("tr") if row.find("td") is not None]
        if len(body_rows) <= SHORT_TABLE_ROWS:
            _add_class(table, SHORT_CLASS)
        columns = max((_width(row) for row in table.iter("tr")), default=0)
        if columns > most:
            first = next((text for cell in table.iter("th", "td") if (text := cell.text_content().strip())), "")
            raise BookError(chapter.path, f"table of {columns} columns is too wide to print (a page of this book "
                            f"holds {most}); split it into narrower tables or make it a list",
                            chapter.line_of(first) if first else None)
        if columns > WIDE_TABLE_COLUMNS:
            _add_class(table, WIDE_CLASS)
        for column in _numeric_columns(body_rows):
            for row in table.iter("tr"):
                if column < len(cells := _cells(row)):
                    _add_class(cells[column], NUMERIC_CLASS)
            if columns <= WIDE_TABLE_COLUMNS:  # a wide table's equal columns have no room for the boxes
                _align_decimals([cells[column] for row in body_rows if column < len(cells := _cells(row))])
    return chapter


def _align_decimals(cells: list[HtmlElement]) -> None:
    """Each figure's decimals and unit in a box of the column's widest, where any figure has
    them: 0, 12.4 and 7.25 then share one decimal point."""
    plain = [text for cell in cells if (text := _text_holder(cell)) is not None]
    parts = {id(cell): DECIMALS.fullmatch(cell.text.strip()) for cell in plain}
    width = max((_ch(match["decimals"]) for match in parts.values() if match), default=0)
    if not width:
        return
    for cell in plain:
        match = parts[id(cell)]
        if match is None:
            continue
        cell.text = match["whole"]
        box = etree.SubElement(cell, "span", {"class": DECIMALS_CLASS, "style": f"min-width: {width:.2f}ch"})
        box.text = match["decimals"]


def _text_holder(cell: HtmlElement) -> HtmlElement | None:
    """The element holding a cell's figure as plain text: the cell, or its one paragraph."""
    holder = cell[0] if len(cell) == 1 and cell[0].tag == "p" and not (cell.text or "").strip() else cell
    return holder if len(holder) == 0 and (holder.text or "").strip() else None


def _ch(decimals: str) -> float:
    return sum(CH_WIDTHS.get(char, DIGIT_CH) for char in decimals)


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


def _width(row: HtmlElement) -> int:
    """The columns a row spans, colspans counted."""
    return sum(int(span) if (span := cell.get("colspan", "1")).isdigit() else 1 for cell in _cells(row))


def _cells(row: HtmlElement) -> list[HtmlElement]:
    return [cell for cell in row if cell.tag in ("th", "td")]


def _add_class(el: HtmlElement, name: str) -> None:
    el.set("class", " ".join([*(el.get("class") or "").split(), name]))
