"""Client, purchase and history exports to .xlsx, read back with openpyxl: what Excel will show."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.models import AuditEntry
from custdesk.core.services.client_list import ListQuery
from custdesk.core.vocab import FUNNEL_BY_KEY
from custdesk.io.exporters import ExportError, export_file
from custdesk.io.exporters.columns import Column, ExportTable
from custdesk.io.exporters.xlsx import write_xlsx
from tests.unit.io._export_data import make_base


def _rows(sheet) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_clients_sheet_is_formatted_for_excel(db: Database, tmp_path: Path) -> None:
    make_base(db)
    summary = export_file(db, tmp_path / "clients.xlsx", "clients")
    assert (summary.rows, summary.format, summary.scope) == (4, "xlsx", "list")
    sheet = load_workbook(tmp_path / "clients.xlsx").active
    headers = [c.value for c in sheet[1]]
    assert headers[:10] == [
        "external_id", "name", "organisation", "phone", "email", "city", "region", "street", "birthday",
        "notes",
    ]  # fmt: skip
    assert {"funnel", "temperature", "tags", "phone_2", "email_2"} <= set(headers)
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headers)).column_letter}5"
    col = {h: i + 1 for i, h in enumerate(headers)}
    by_id = {sheet.cell(r, 1).value: r for r in range(2, 6)}
    ivan = by_id["C-001"]
    assert sheet.cell(ivan, col["name"]).value == "Иван Петров"
    birthday = sheet.cell(ivan, col["birthday"])
    assert (
        birthday.is_date
        and birthday.value == datetime(1980, 2, 29)
        and birthday.number_format == "yyyy-mm-dd"
    )
    assert sheet.cell(ivan, col["phone"]).value == "+79123456789"
    assert sheet.cell(ivan, col["phone_2"]).value == "+74951234567"
    assert sheet.cell(ivan, col["email_2"]).value == "ivan.p@mail.example"
    assert sheet.cell(by_id["C-002"], col["name"]).value == "مریم احمدی"
    # The funnel colour fills the funnel cell (the first purchase made Ivan gold).
    funnel = sheet.cell(ivan, col["funnel"])
    assert funnel.value == "gold"
    assert funnel.fill.fill_type == "solid"
    assert funnel.fill.fgColor.rgb.endswith(FUNNEL_BY_KEY["gold"].colour.lstrip("#").upper())
    widths = {h: sheet.column_dimensions[sheet.cell(1, i).column_letter].width for h, i in col.items()}
    assert 8 <= widths["birthday"] <= 20 and widths["notes"] > widths["vip"]


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t"])
def test_text_that_looks_like_a_formula_is_a_quoted_string_cell(trigger: str, tmp_path: Path) -> None:
    text = f"{trigger}SUM(A1:A9)"
    table = ExportTable("Clients", [Column("name"), Column("notes")], iter([["Plain", text]]), 1)
    write_xlsx(tmp_path / "f.xlsx", table)
    cell = load_workbook(tmp_path / "f.xlsx").active["B2"]
    assert cell.value == text  # exactly as stored, never evaluated
    assert cell.data_type == "s"  # a string cell, not a formula ("f")
    assert cell.quotePrefix  # Excel's apostrophe: stays text when someone edits the cell
    assert not load_workbook(tmp_path / "f.xlsx").active["A2"].quotePrefix


def test_purchases_have_money_cells_and_returns(db: Database, tmp_path: Path) -> None:
    make_base(db)
    export_file(db, tmp_path / "p.xlsx", "purchases")
    sheet = load_workbook(tmp_path / "p.xlsx").active
    rows = _rows(sheet)
    assert rows[0] == ["client_external_id", "date", "amount", "profit", "items", "document_no"]
    ivan = [r for r in rows if r[0] == "C-001"]
    assert [r[2] for r in ivan] == [1234.5, -234.5]
    assert ivan[0][1] == datetime(2024, 3, 5) and ivan[0][3] == 300 and ivan[0][5] == "INV-1"
    amount = next(c for c in sheet["C"] if c.value == -234.5)
    assert amount.data_type == "n" and amount.number_format == "#,##0.00"
    formula_like = next(c for c in sheet["E"] if c.value == "=1+2")
    assert formula_like.data_type == "s" and formula_like.quotePrefix


def test_history_dates_keep_the_time(db: Database, tmp_path: Path) -> None:
    make_base(db)
    export_file(db, tmp_path / "h.xlsx", "history")
    rows = _rows(load_workbook(tmp_path / "h.xlsx").active)
    assert rows[0][:5] == ["client_external_id", "date", "kind", "outcome", "text"]
    assert [
        "C-001",
        datetime(2024, 3, 1, 10, 30),
        "call",
        "reached",
        "Спросил про скидку",
        "Перезвонить",
        300,
    ] in rows


def test_a_selection_exports_those_clients_only_and_is_journalled(db: Database, tmp_path: Path) -> None:
    ids = make_base(db)
    summary = export_file(db, tmp_path / "sel.xlsx", "clients", ids=[ids["C-004"], ids["C-002"]], who="anna")
    assert summary.scope == "selection"
    rows = _rows(load_workbook(tmp_path / "sel.xlsx").active)
    assert [r[0] for r in rows[1:]] == ["C-004", "C-002"]
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.who, entry.entity, entry.field) == ("anna", "client", "xlsx")
    detail = json.loads(entry.new or "")
    assert detail["rows"] == 2 and detail["scope"] == "selection" and detail["file"].endswith("sel.xlsx")


def test_the_current_filter_is_what_is_exported(db: Database, tmp_path: Path) -> None:
    make_base(db)
    export_file(db, tmp_path / "f.xlsx", "purchases", query=ListQuery(search="Петров"))
    rows = _rows(load_workbook(tmp_path / "f.xlsx").active)
    assert {r[0] for r in rows[1:]} == {"C-001"}


def test_a_long_list_continues_on_a_second_sheet(tmp_path: Path) -> None:
    rows = iter([[f"C-{i}", date(2024, 1, 1)] for i in range(5)])
    table = ExportTable("Clients", [Column("external_id"), Column("birthday", "date")], rows, 5)
    assert write_xlsx(tmp_path / "big.xlsx", table, rows_per_sheet=3) == 5
    book = load_workbook(tmp_path / "big.xlsx")
    assert book.sheetnames == ["Clients", "Clients (2)"]
    assert [r[0] for r in _rows(book["Clients (2)"])] == ["external_id", "C-3", "C-4"]
    assert book["Clients (2)"].freeze_panes == "A2"


def test_cancel_leaves_no_file_and_no_journal_entry(db: Database, tmp_path: Path) -> None:
    make_base(db)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "c.xlsx"

    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        export_file(db, target, "clients", progress=progress)
    assert list(out.iterdir()) == []
    with db.session() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).first() is None


@pytest.mark.parametrize(
    ("name", "kind"), [("list.xls", "clients"), ("list.pdf", "clients"), ("p.vcf", "history")]
)
def test_a_wrong_extension_is_refused_before_anything_is_written(
    db: Database, tmp_path: Path, name: str, kind: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError, match=r"\.xlsx"):
        export_file(db, out / name, kind)
    assert list(out.iterdir()) == []
