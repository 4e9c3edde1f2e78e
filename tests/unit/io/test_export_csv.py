"""Exports to .csv: UTF-8 with a BOM (Excel shows Cyrillic and Persian), formulas neutralised, ; for ru/fi."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from custdesk.core.db import Database
from custdesk.io.exporters import export_file
from custdesk.io.exporters.columns import Column, ExportTable
from custdesk.io.exporters.delimited import write_csv
from tests.unit.io._export_data import make_base


def _read(path: Path, delimiter: str = ",") -> list[list[str]]:
    return list(
        csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )


def test_clients_csv_has_a_bom_and_every_script(db: Database, tmp_path: Path) -> None:
    make_base(db)
    export_file(db, tmp_path / "c.csv", "clients")
    raw = (tmp_path / "c.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Иван Петров".encode() in raw and "مریم احمدی".encode() in raw
    assert b"\r\n" in raw
    rows = _read(tmp_path / "c.csv")
    header = rows[0]
    assert header[:10] == [
        "external_id", "name", "organisation", "phone", "email", "city", "region", "street", "birthday",
        "notes",
    ]  # fmt: skip
    ivan = dict(zip(header, next(r for r in rows if r[0] == "C-001"), strict=True))
    assert ivan["birthday"] == "1980-02-29"
    assert ivan["notes"] == "Любит кофе; звонить после 18:00,\nне раньше"  # the line break survives quoting
    assert ivan["phone"] == "'+79123456789" and ivan["phone_2"] == "'+74951234567"
    assert ivan["funnel"] == "gold" and ivan["vip"] == "yes"
    assert (ivan["phone_kind"], ivan["phone_2_kind"], ivan["email_2_kind"]) == ("mobile", "work", "personal")


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_like_text_gets_an_apostrophe(trigger: str, tmp_path: Path) -> None:
    table = ExportTable("T", [Column("notes"), Column("amount", "money")], iter([[f"{trigger}1+2", None]]), 1)
    write_csv(tmp_path / "f.csv", table)
    assert _read(tmp_path / "f.csv")[1][0] == f"'{trigger}1+2"


def test_returns_stay_numbers_and_semicolon_files_use_a_decimal_comma(db: Database, tmp_path: Path) -> None:
    make_base(db)
    export_file(db, tmp_path / "p.csv", "purchases")
    export_file(db, tmp_path / "p-ru.csv", "purchases", delimiter=";")
    comma = _read(tmp_path / "p.csv")
    assert ["C-001", "2024-03-09", "-234.50", "", "Возврат", ""] in comma  # a return is not neutralised
    assert ["C-003", "2024-01-15", "0.00", "", "'=1+2", ""] in comma
    semicolon = _read(tmp_path / "p-ru.csv", ";")
    assert semicolon[0] == ["client_external_id", "date", "amount", "profit", "items", "document_no"]
    assert ["C-001", "2024-03-05", "1234,50", "300,00", "Кофе, 2 кг", "INV-1"] in semicolon


def test_history_csv(db: Database, tmp_path: Path) -> None:
    make_base(db)
    export_file(db, tmp_path / "h.csv", "history")
    rows = _read(tmp_path / "h.csv")
    assert rows[0] == [
        "client_external_id",
        "date",
        "kind",
        "outcome",
        "text",
        "next_step",
        "duration_seconds",
    ]
    assert [
        "C-001",
        "2024-03-01 10:30",
        "call",
        "reached",
        "Спросил про скидку",
        "Перезвонить",
        "300",
    ] in rows
    assert ["C-004", "2024-01-02 09:05", "note", "", "'+ bring samples", "", ""] in rows
