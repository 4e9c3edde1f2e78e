"""Spreadsheets: .xlsx, .xlsm, .xls and .ods through python-calamine (Rust; no Excel needed).

Cells come as calamine makes them: text, int, float, bool, ``date`` and ``datetime`` for date cells.
A sheet is picked by its name (Customers, Клиенты...) or else as the biggest; a password-protected,
damaged or truncated workbook gets a message saying so.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from custdesk.i18n import _
from custdesk.io.importers.base import ImportFileError, RawTable, missing_table_error, pick_table

_FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".xlsb": "xlsb"}


# A workbook is a zip of XML: guard against one that unpacks to far more than any client list needs (a
# "zip bomb": 1 MB that unpacks to 300 MB of XML took two minutes and 2 GB before it was refused).
# CustDesk's own export of 1,060,510 purchases unpacks to 355 MB, its parts packed 7-10 times.
MAX_UNPACKED = 1024 * 1024 * 1024  # bytes of XML in all
MAX_RATIO = 100  # unpacked / packed of one part, for parts over RATIO_FROM bytes
RATIO_FROM = 10 * 1024 * 1024


def check_unpacked(path: Path) -> None:
    """Refuse a zipped workbook whose parts unpack to too much, before anything is unpacked.

    Raises:
        ImportFileError: the workbook would unpack to more than :data:`MAX_UNPACKED` bytes, or a big part
            is packed more than :data:`MAX_RATIO` times.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: calamine says the workbook is damaged
    total = sum(p.file_size for p in parts)
    squeezed = [
        p for p in parts if p.file_size > RATIO_FROM and p.file_size > MAX_RATIO * max(p.compress_size, 1)
    ]
    if total > MAX_UNPACKED or squeezed:
        raise ImportFileError(
            _(
                "{path} would unpack to {size} MB of data, far more than a client list holds: it is damaged "
                "or made to harm. It was not opened."
            ).format(path=path.name, size=total // (1024 * 1024))
        )


def _open(path: Path) -> Any:
    with path.open("rb") as fh:
        if fh.read(4) == b"PK\x03\x04":
            check_unpacked(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        reason = str(exc)
        if "password" in reason.lower() or "encrypt" in reason.lower():
            raise ImportFileError(
                _(
                    "{path} is protected with a password; save it without the password and import again."
                ).format(path=path.name)
            ) from exc
        raise ImportFileError(
            _(
                "{path} is damaged or is not a spreadsheet (it may be cut short, or renamed from another "
                "kind of file). Open it in the program that made it and save it again."
            ).format(path=path.name)
        ) from exc


def list_sheets(path: Path) -> list[str]:
    """The names of the workbook's sheets, in workbook order.

    Raises:
        ImportFileError: the workbook cannot be opened.
    """
    workbook = _open(path)
    try:
        return [str(n) for n in workbook.sheet_names]
    finally:
        workbook.close()


def _rows(workbook: Any, name: str, nrows: int | None, path: Path) -> list[list[object]]:
    try:
        sheet = workbook.get_sheet_by_name(name)
        rows = (
            sheet.to_python(skip_empty_area=False, nrows=nrows)
            if nrows
            else sheet.to_python(skip_empty_area=False)
        )
    except Exception as exc:
        raise ImportFileError(
            _("The sheet “{sheet}” of {path} cannot be read: the file is damaged.").format(
                sheet=name, path=path.name
            )
        ) from exc
    return [[None if c == "" else c for c in row] for row in rows]


def _continuations(
    workbook: Any, picked: str, names: list[str], grid: list[list[object]], nrows: int | None, path: Path
) -> list[tuple[str, list[list[object]]]]:
    """The sheets that continue ``picked`` past Excel's 1,048,576 rows, as CustDesk's export writes them
    ("Purchases (2)", "Purchases (3)"…, each with the same header row), with their header left out.

    A list longer than one sheet must come back whole: reading only the first sheet would drop the rest
    without a word. Nothing is added to a preview already cut at ``nrows``.
    """
    header = next((row for row in grid if any(c is not None for c in row)), None)
    if header is None or (nrows is not None and len(grid) >= nrows):
        return []
    found = []
    for number in range(2, len(names) + 2):
        name = f"{picked} ({number})"
        if name not in names:
            break
        rows = _rows(workbook, name, None, path)
        first = next((i for i, row in enumerate(rows) if any(c is not None for c in row)), None)
        if first is None or rows[first] != header:
            break  # not the same table: a sheet of its own
        found.append((name, rows[first + 1 :]))
    return found


def read(path: Path, name: str | None, kind: str, nrows: int | None) -> RawTable:
    """Read one sheet of a workbook (``name``; None: the one holding the ``kind`` list).

    Raises:
        ImportFileError: the workbook cannot be opened, has no sheets, or has no sheet ``name``.
    """
    workbook = _open(path)
    try:
        names = [str(n) for n in workbook.sheet_names]
        if not names:
            raise ImportFileError(_("{path} has no sheets.").format(path=path.name))
        if name is not None:
            if name not in names:
                raise missing_table_error(path, name, names)
            picked, reason = name, _("“{name}” was read, as chosen.").format(name=name)
        else:
            heights: dict[str, int] = {}

            def size(sheet: str) -> int:
                if sheet not in heights:
                    heights[sheet] = sum(
                        1 for r in _rows(workbook, sheet, None, path) if any(c is not None for c in r)
                    )
                return heights[sheet]

            picked, reason = pick_table(names, kind, size)
        grid = _rows(workbook, picked, nrows, path)
        more = _continuations(workbook, picked, names, grid, nrows, path)
        if more:
            reason = _("{reason} Its continuation sheets were read after it: {sheets}.").format(
                reason=reason, sheets=", ".join(f"“{sheet}”" for sheet, _sheet_rows in more)
            )
            for _name, rows in more:
                grid.extend(rows)
    finally:
        workbook.close()
    with path.open("rb") as fh:
        zipped = fh.read(2) == b"PK"
    fmt = _FORMATS.get(path.suffix.lower(), "xlsx" if zipped else "xls")
    return RawTable(name=picked, grid=grid, sheets=names, picked_reason=reason, format=fmt)
