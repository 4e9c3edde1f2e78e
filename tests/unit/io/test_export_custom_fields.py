"""The firm's own fields in exports: a column each, headed by the field's name, values kept exactly."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients, custom_fields
from custdesk.io.exporters import export_file


def _base(db: Database) -> None:
    for name, kind in (("Discount card", "text"), ("Deposit", "money"), ("Member since", "date")):
        custom_fields.create_field(db, name, kind)
    custom_fields.create_field(db, "Newsletter", "yesno")
    card, deposit, since, news = (f.key for f in custom_fields.list_fields(db))
    phone = (PhoneInput("+12025550100"),)
    values = {card: "0004512", deposit: "150.50", since: "2024-05-01", news: "1"}
    clients.create_client(db, ClientInput(name="Ann", phones=phone, custom=values))
    clients.create_client(db, ClientInput(name="Bob", phones=phone))


def test_xlsx_has_a_column_per_own_field(db: Database, tmp_path: Path) -> None:
    _base(db)
    export_file(db, tmp_path / "c.xlsx", "clients")
    sheet = load_workbook(tmp_path / "c.xlsx").active
    headers = [c.value for c in sheet[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    rows = {sheet.cell(r, col["name"]).value: r for r in range(2, 4)}
    ann, bob = rows["Ann"], rows["Bob"]
    assert sheet.cell(ann, col["Discount card"]).value == "0004512"  # text, the leading zeros kept
    assert sheet.cell(ann, col["Deposit"]).value == float(Decimal("150.50"))
    assert sheet.cell(ann, col["Member since"]).value.date() == date(2024, 5, 1)
    assert sheet.cell(ann, col["Newsletter"]).value is True
    assert [sheet.cell(bob, col[h]).value for h in ("Discount card", "Deposit", "Member since")] == [None] * 3


def test_csv_has_a_column_per_own_field(db: Database, tmp_path: Path) -> None:
    _base(db)
    export_file(db, tmp_path / "c.csv", "clients")
    with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {r["name"]: r for r in csv.DictReader(fh)}
    assert rows["Ann"]["Discount card"] == "0004512"
    assert rows["Ann"]["Member since"] == "2024-05-01"
    assert rows["Bob"]["Discount card"] == ""
