"""Write an export table as a formatted Excel workbook (.xlsx) with XlsxWriter in constant-memory mode.

The header row is bold and frozen and carries an autofilter; columns get widths from the header and
the first rows; dates are real date cells, money real numbers with two decimals, the funnel marker's
colour fills its cell. Constant-memory mode writes each row to the file as it comes, so 100,000 clients
or a million purchases take little memory, and it is several times faster than openpyxl's write-only
mode (``tests/benchmarks/bench_export.py`` measures both).

Text a spreadsheet would run as a formula (see :mod:`.columns`) is written as an explicit string cell
with Excel's quote prefix: it shows and reads back exactly as stored and is never evaluated, even when
someone edits the cell later. Characters XML cannot carry (control characters) are left out, as before.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from custdesk import __version__
from custdesk.core.vocab import FUNNEL_BY_KEY
from custdesk.io.exporters.columns import Column, ExportTable, is_formula_like

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"
PROGRESS_EVERY = 500
SAMPLE_ROWS = 200  # rows looked at for the column widths
MIN_WIDTH, MAX_WIDTH = 6, 60
MAX_SHEET_ROWS = 1_048_575  # Excel's 1,048,576 rows less the header
# What an XML 1.0 document cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): left out of text cells.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OPTIONS = {
    "constant_memory": True,
    # Text stays text: never taken for a formula, a link or a number.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": DATE_FORMAT,
}

Progress = Callable[[int, int], None]


def _dark(hex_colour: str) -> bool:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


class _Writers:
    """One function per column that writes its value into a cell (with the workbook's shared formats)."""

    def __init__(self, book: Any) -> None:
        self.bold = book.add_format({"bold": True})
        self.quoted = book.add_format({"quote_prefix": True})
        self.date = book.add_format({"num_format": DATE_FORMAT})
        self.datetime = book.add_format({"num_format": DATETIME_FORMAT})
        self.money = book.add_format({"num_format": MONEY_FORMAT})
        self.percent = book.add_format({"num_format": PERCENT_FORMAT})
        self.fills = {}
        for key, marker in FUNNEL_BY_KEY.items():
            style: dict[str, Any] = {"pattern": 1, "fg_color": marker.colour.upper()}
            if _dark(marker.colour):
                style["font_color"] = "#FFFFFF"
            self.fills[key] = book.add_format(style)

    def text(self, sheet: Any, r: int, c: int, value: str) -> None:
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        if not value:
            return
        if is_formula_like(value):
            sheet.write_string(r, c, value, self.quoted)  # Excel's own "text, not a formula" mark
        else:
            sheet.write_string(r, c, value)

    def value(self, sheet: Any, r: int, c: int, column: Column, value: Any) -> None:
        if value is None or value == "":
            return
        kind = column.type
        if kind == "funnel":
            key = str(value)
            sheet.write_string(r, c, key, self.fills.get(key))
        elif kind == "date" and isinstance(value, date) and not isinstance(value, datetime):
            sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), self.date)
        elif kind == "date" and isinstance(value, datetime):
            sheet.write_datetime(r, c, value, self.date)
        elif kind == "datetime" and isinstance(value, datetime):
            sheet.write_datetime(r, c, value.replace(microsecond=0, tzinfo=None), self.datetime)
        elif kind in ("money", "percent") and isinstance(value, Decimal | int) and type(value) is not bool:
            sheet.write_number(r, c, float(value), self.money if kind == "money" else self.percent)
        elif kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            sheet.write_number(r, c, value)
        elif kind == "bool" and isinstance(value, bool):
            sheet.write_boolean(r, c, value)
        else:
            self.text(sheet, r, c, str(value))


def _shown_length(value: Any, column: Column) -> int:
    if value is None:
        return 0
    if column.type == "date":
        return 10
    if column.type == "datetime":
        return 16
    if column.type in ("money", "percent"):
        return len(f"{value:,.2f}") if isinstance(value, Decimal | int) else len(str(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(columns: Iterable[Column], sample: list[list[Any]]) -> list[float]:
    """Widths in characters: the longest of the header and the sample's values, within sensible bounds."""
    widths = []
    for i, column in enumerate(columns):
        longest = max([len(column.header), *(_shown_length(row[i], column) for row in sample)])
        if not sample:
            longest = max(longest, column.width)
        widths.append(float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths


def _start_sheet(book: Any, title: str, table: ExportTable, widths: list[float], writers: _Writers) -> Any:
    sheet = book.add_worksheet(title[:31])
    for i, width in enumerate(widths):
        sheet.set_column(i, i, width)
    sheet.freeze_panes(1, 0)
    for c, header in enumerate(table.headers):
        sheet.write_string(0, c, header, writers.bold)
    return sheet


def _finish_sheet(sheet: Any, columns: int, rows: int) -> None:
    sheet.autofilter(0, 0, rows, columns - 1)


def write_xlsx(
    path: Path, table: ExportTable, progress: Progress | None = None, *, rows_per_sheet: int = MAX_SHEET_ROWS
) -> int:
    """Write ``table`` to ``path`` as a workbook; returns the number of rows written.

    One sheet holds at most ``rows_per_sheet`` rows (Excel's limit, less the header); more continue on
    sheets named "Purchases (2)" and so on, each with its own header row.

    Args:
        path: the file to write (replaced if it exists).
        table: the columns and rows.
        progress: called with (rows written, rows in all) every few hundred rows; it may raise to
            stop the export (the caller removes the unfinished file).
        rows_per_sheet: the most data rows on one sheet.
    """
    columns = list(table.columns)
    sample = list(itertools.islice(table.rows, SAMPLE_ROWS))
    widths = column_widths(columns, sample)
    book = xlsxwriter.Workbook(str(path), _OPTIONS)
    try:
        book.set_properties({"author": f"CustDesk {__version__}"})
        writers = _Writers(book)
        write = writers.value
        sheet = _start_sheet(book, table.title, table, widths, writers)
        written = on_sheet = 0
        sheets = 1
        for row in itertools.chain(sample, table.rows):
            if on_sheet == rows_per_sheet:
                _finish_sheet(sheet, len(columns), on_sheet)
                sheets += 1
                sheet = _start_sheet(book, f"{table.title} ({sheets})", table, widths, writers)
                on_sheet = 0
            on_sheet += 1
            for c, (column, value) in enumerate(zip(columns, row, strict=True)):
                write(sheet, on_sheet, c, column, value)
            written += 1
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(written, max(table.total, written))
        _finish_sheet(sheet, len(columns), on_sheet)
    finally:
        book.close()  # also after a cancel: the caller removes the unfinished file
    return written


__all__ = ["DATETIME_FORMAT", "DATE_FORMAT", "MONEY_FORMAT", "column_widths", "write_xlsx"]
