"""``custdesk-cli export``: the format from the extension, a clear refusal of a wrong one, a JSON summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from custdesk.cli import main
from custdesk.core.db import open_base
from custdesk.core.models import AuditEntry
from tests.unit.io._export_data import make_base


@pytest.fixture
def base(empty_base_file: Path) -> Path:
    with open_base(empty_base_file, auto_backup=False) as db:
        make_base(db)
    return empty_base_file


def test_export_clients_to_xlsx_prints_a_json_summary(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "clients.xlsx"
    target.parent.mkdir()
    assert main(["export", str(target), "--db", str(base), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["file"] == str(target) and summary["kind"] == "clients" and summary["rows"] == 4
    sheet = load_workbook(target).active
    assert sheet["A1"].value == "external_id" and sheet.max_row == 5
    with open_base(base, auto_backup=False) as db, db.session() as s:
        assert s.scalars(select(AuditEntry.entity).where(AuditEntry.action == "export")).all() == ["client"]


def test_export_purchases_of_found_clients_to_csv(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "p.csv"
    code = main(["export", str(target), "--db", str(base), "--kind", "purchases", "--search", "Петров"])
    assert code == 0
    assert "Exported 2 rows" in capsys.readouterr().out
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "client_external_id,date,amount,profit,items,document_no"
    assert [line.split(",")[0] for line in lines[1:]] == ["C-001", "C-001"]


def test_archived_clients_only_with_archived(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from custdesk.core.services.clients import archive_client

    with open_base(base, auto_backup=False) as db:
        with db.session() as s:
            from custdesk.core.models import Client

            client_id = s.scalars(select(Client.id).where(Client.external_id == "C-002")).one()
        archive_client(db, client_id)
    assert main(["export", str(tmp_path / "a.vcf"), "--db", str(base), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == 3
    assert main(["export", str(tmp_path / "b.vcf"), "--db", str(base), "--archived", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == 4
    assert "UID:C-002" in (tmp_path / "b.vcf").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "extra"), [("clients.xls", []), ("clients", []), ("history.vcf", ["--kind", "history"])]
)
def test_a_wrong_extension_is_a_clear_message_and_no_file(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, extra: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(out / name), "--db", str(base), *extra]) == 2
    err = capsys.readouterr().err
    assert name in err and ".xlsx" in err
    assert list(out.iterdir()) == []
