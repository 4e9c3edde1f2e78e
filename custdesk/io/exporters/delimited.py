"""Write an export table as delimited text (.csv) that Excel opens right in every language.

The file is UTF-8 with a byte-order mark (without it Excel takes Cyrillic and Persian for the
Windows code page) and CRLF line ends. The comma is the default delimiter; Excel in Russian and Finnish
locales (where the comma is the decimal sign) expects a semicolon, and then money is written with a
decimal comma too. Dates are ISO (``2024-03-05``), which Excel reads in every locale.

Text a spreadsheet would run as a formula gets an apostrophe before it (see :mod:`.columns`); numbers
we write ourselves (money, counts) are never touched, so a return of ``-150.00`` stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from custdesk.io.exporters.columns import Column, ExportTable, neutralise

DELIMITERS = (",", ";", "\t")
ENCODING = "utf-8-sig"  # UTF-8 with the byte-order mark Excel needs
PROGRESS_EVERY = 1000

Progress = Callable[[int, int], None]


def _money(value: Decimal, decimal_comma: bool) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if decimal_comma else text


def cell_text(column: Column, value: Any, *, decimal_comma: bool = False) -> str:
    """How one value is written: ISO dates, money with two decimals, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal) and column.type in ("money", "percent"):
        return _money(value, decimal_comma)
    if isinstance(value, int | Decimal):
        return str(value)
    return neutralise(str(value))


def write_csv(
    path: Path, table: ExportTable, *, delimiter: str = ",", progress: Progress | None = None
) -> int:
    """Write ``table`` to ``path``; returns the number of rows written.

    Args:
        path: the file to write (replaced if it exists).
        table: the columns and rows.
        delimiter: ``,`` (default), ``;`` (Excel in ru/fi locales: money gets a decimal comma) or a tab.
        progress: called with (rows written, rows in all) every thousand rows; it may raise to stop the
            export (the caller removes the unfinished file).

    Raises:
        ValueError: an unknown delimiter.
    """
    if delimiter not in DELIMITERS:
        raise ValueError(f"unknown delimiter {delimiter!r}")
    decimal_comma = delimiter == ";"
    columns = list(table.columns)
    written = 0
    with path.open("w", encoding=ENCODING, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow(
                [cell_text(c, v, decimal_comma=decimal_comma) for c, v in zip(columns, row, strict=True)]
            )
            written += 1
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(written, max(table.total, written))
    return written


__all__ = ["DELIMITERS", "ENCODING", "cell_text", "write_csv"]
