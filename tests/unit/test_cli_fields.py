"""``custdesk-cli fields`` lists the firm's own fields; ``clients --json`` carries each client's values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custdesk.cli import EXIT_OK, main
from custdesk.core.db import open_base
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients, custom_fields


@pytest.fixture
def base(empty_base_file: Path) -> Path:
    db = open_base(empty_base_file, auto_backup=False)
    try:
        custom_fields.create_field(db, "Discount card", "text", list_column=True)
        custom_fields.create_field(db, "Size", "choice", choices=("S", "M", "L"), required=True)
        card, size = (f.key for f in custom_fields.list_fields(db))
        phone = (PhoneInput("+12025550100"),)
        clients.create_client(db, ClientInput(name="Ann", phones=phone, custom={card: "0004512", size: "M"}))
        clients.create_client(db, ClientInput(name="Bob", phones=phone, custom={size: "L"}))
    finally:
        db.close()
    return empty_base_file


def test_fields_json_lists_the_definitions(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fields", "--db", str(base), "--json"]) == EXIT_OK
    listed = json.loads(capsys.readouterr().out)
    assert [(f["name"], f["kind"], f["required"], f["list_column"], f["choices"]) for f in listed] == [
        ("Discount card", "text", False, True, []),
        ("Size", "choice", True, False, ["S", "M", "L"]),
    ]


def test_fields_table_names_each_field(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fields", "--db", str(base)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Discount card" in out and "Choice from a list" in out and "2 fields" in out


def test_clients_json_carries_custom_fields(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clients", "--db", str(base), "--json"]) == EXIT_OK
    rows = {r["name"]: r["custom"] for r in json.loads(capsys.readouterr().out)}
    assert rows == {
        "Ann": {"Discount card": "0004512", "Size": "M"},
        "Bob": {"Discount card": None, "Size": "L"},
    }
