"""A list longer than one Excel sheet comes back whole: CustDesk's export continues it on "Purchases (2)"
and so on, and the import reads those sheets after the first (reading only the first dropped the rest
without a word). A sheet that only looks like a continuation, with another header, stays out."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from custdesk.io.importers import spreadsheet

HEADER = ["External id", "Date", "Amount"]


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()


def test_continuation_sheets_are_read_after_the_first(tmp_path: Path) -> None:
    path = tmp_path / "purchases.xlsx"
    first = [[f"K-{i}", "2024-01-02", i] for i in range(5)]
    second = [[f"K-{i}", "2024-01-03", i] for i in range(5, 8)]
    _book(
        path,
        {
            "Purchases": [HEADER, *first],
            "Purchases (2)": [HEADER, *second],
            "Purchases (3)": [["Note"], ["not the same table"]],
            "Clients": [["Name"], ["Anna"]],
        },
    )
    table = spreadsheet.read(path, None, "purchases", None)
    assert table.name == "Purchases"
    ids = [row[0] for row in table.grid[1:]]
    assert ids == [f"K-{i}" for i in range(8)]  # every row, once, in order; the header only once
    assert "“Purchases (2)”" in table.picked_reason and "Purchases (3)" not in table.picked_reason


def test_a_preview_cut_short_reads_no_continuation(tmp_path: Path) -> None:
    path = tmp_path / "purchases.xlsx"
    _book(path, {"Purchases": [HEADER, ["K-1", "2024-01-02", 1]], "Purchases (2)": [HEADER, ["K-2", "x", 2]]})
    assert len(spreadsheet.read(path, None, "purchases", 2).grid) == 2
    assert len(spreadsheet.read(path, None, "purchases", None).grid) == 3
