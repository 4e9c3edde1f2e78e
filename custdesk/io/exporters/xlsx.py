"""Write an export table as a formatted Excel workbook (.xlsx) with openpyxl in write-only mode.

The header row is bold and frozen and carries an autofilter; columns get widths from the header and
the first rows; dates are real date cells, money real numbers with two decimals, the funnel marker's
colour fills its cell. Write-only mode streams the rows, so 100,000 clients take little memory.

Text a spreadsheet would run as a formula (see :mod:`.columns`) is written as an explicit string cell
with Excel's quote prefix: it shows and reads back exactly as stored and is never evaluated, even when
someone edits the cell later.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

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

Progress = Callable[[int, int], None]


def _dark(hex_colour: str) -> bool:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


class _Cells:
    """Makes the styled cells of one sheet, sharing the style objects."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.bold = Font(bold=True)
        self.white = Font(color="FFFFFF")
        self.fills = {
            key: PatternFill("solid", fgColor=m.colour.lstrip("#").upper())
            for key, m in FUNNEL_BY_KEY.items()
        }

    def header(self, text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, text)
        cell.font = self.bold
        return cell

    def text(self, value: str) -> Any:
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value:
            return None
        if not is_formula_like(value):
            return value  # a plain str becomes a string cell
        cell = WriteOnlyCell(self.sheet, value)
        cell.data_type = "s"  # openpyxl would take "=..." for a formula
        cell.quotePrefix = True  # Excel's own "text, not a formula" mark (the apostrophe)
        return cell

    def formatted(self, value: Any, number_format: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value)
        cell.number_format = number_format
        return cell

    def funnel(self, key: str) -> Any:
        if not key:
            return None
        cell = WriteOnlyCell(self.sheet, key)
        cell.data_type = "s"
        marker = FUNNEL_BY_KEY.get(key)
        if marker is not None:
            cell.fill = self.fills[key]
            if _dark(marker.colour):
                cell.font = self.white
        return cell

    def value(self, column: Column, value: Any) -> Any:
        if value is None or value == "":
            return None
        kind = column.type
        if kind == "funnel":
            return self.funnel(str(value))
        if kind == "date" and isinstance(value, date):
            return self.formatted(value, DATE_FORMAT)
        if kind == "datetime" and isinstance(value, datetime):
            return self.formatted(value.replace(microsecond=0), DATETIME_FORMAT)
        if kind in ("money", "percent") and isinstance(value, Decimal | int):
            return self.formatted(Decimal(value), MONEY_FORMAT if kind == "money" else PERCENT_FORMAT)
        if kind == "int" and isinstance(value, int):
            return value
        if kind == "bool" and isinstance(value, bool):
            return value
        return self.text(str(value))


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


def _start_sheet(
    workbook: Workbook, title: str, table: ExportTable, widths: list[float]
) -> tuple[Any, _Cells]:
    sheet = workbook.create_sheet(title)
    cells = _Cells(sheet)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([cells.header(h) for h in table.headers])
    return sheet, cells


def _finish_sheet(sheet: Any, columns: int, rows: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


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
    workbook = Workbook(write_only=True)
    workbook.properties.creator = f"CustDesk {__version__}"
    columns = list(table.columns)
    sample = list(itertools.islice(table.rows, SAMPLE_ROWS))
    widths = column_widths(columns, sample)
    sheet, cells = _start_sheet(workbook, table.title, table, widths)
    written = on_sheet = 0
    sheets = 1
    for row in itertools.chain(sample, table.rows):
        if on_sheet == rows_per_sheet:
            _finish_sheet(sheet, len(columns), on_sheet)
            sheets += 1
            sheet, cells = _start_sheet(workbook, f"{table.title} ({sheets})", table, widths)
            on_sheet = 0
        sheet.append([cells.value(c, v) for c, v in zip(columns, row, strict=True)])
        written += 1
        on_sheet += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written, max(table.total, written))
    _finish_sheet(sheet, len(columns), on_sheet)
    workbook.save(path)
    return written


__all__ = ["DATETIME_FORMAT", "DATE_FORMAT", "MONEY_FORMAT", "column_widths", "write_xlsx"]
