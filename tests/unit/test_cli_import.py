"""``custdesk-cli import``: the JSON report, dry runs, saved mappings, and bad files that change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custdesk.cli import main
from custdesk.core.db import open_base
from custdesk.core.services import settings
from custdesk.core.services.client_list import list_clients
from tests.unit.io._import_data import CLIENT_ROWS, FIXTURES, file_hash, write_text, write_xlsx


@pytest.fixture
def base(empty_base_file: Path) -> Path:
    with open_base(empty_base_file, auto_backup=False) as db:
        settings.set_values(db, {"phone_region": "RU"})
    return empty_base_file


def _clients(base: Path) -> list[str]:
    with open_base(base, auto_backup=False) as db:
        return sorted(c.name for c in list_clients(db))


def test_import_prints_the_report_as_json(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", {"Notes": [["x", "y"]], "Клиенты": [["Клиенты"], *CLIENT_ROWS]})
    assert main(["import", str(path), "--db", str(base), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["created"] == 3 and report["sheet"] == "Клиенты" and report["header_row"] == 2
    assert "its name says it holds the list" in report["picked_reason"]
    assert report["mapping"]["columns"]["ФИО"] == "name"
    assert Path(report["path"]).is_file()
    assert _clients(base) == ["Иванов Иван", "Петрова Анна", "Сидоров Пётр"]


def test_text_output_names_sheet_columns_counts_and_problems(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_text(tmp_path / "c.csv", "Имя;Телефон\nАнна;12\nБорис;+7 912 345-67-89\n", "cp1251")
    assert main(["import", str(path), "--db", str(base), "--dry-run"]) == 0  # every client lands
    out = capsys.readouterr().out
    assert "2 rows created." in out and "1 row imported flagged for review." in out
    assert main(["import", str(path), "--db", str(base), "--bad-rows", "skip"]) == 1  # a row was left out
    out = capsys.readouterr().out
    assert "encoding cp1251" in out and "Телефон → Phone" in out
    assert "1 row created." in out and "1 row skipped." in out
    assert "The phone number 12 is too short" in out or "“12”" in out


def test_dry_run_writes_nothing(base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = file_hash(base)
    path = write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS})
    assert main(["import", str(path), "--db", str(base), "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 3
    assert file_hash(base) == before and _clients(base) == []


def test_save_and_reuse_a_mapping(base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = write_text(tmp_path / "odd.csv", "Кто;Как связаться\nАнна;+7 912 345-67-89\n")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"kind": "clients", "columns": {"Кто": "name", "Как связаться": "phone"}}))
    saved = tmp_path / "saved.json"
    code = main(
        [
            "import",
            str(odd),
            "--db",
            str(base),
            "--mapping",
            str(mapping),
            "--save-mapping",
            str(saved),
            "--json",
        ]
    )
    assert code == 0 and json.loads(capsys.readouterr().out)["created"] == 1
    assert json.loads(saved.read_text(encoding="utf-8"))["columns"] == {
        "Кто": "name",
        "Как связаться": "phone",
    }


def test_duplicates_and_bad_rows_options(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS})
    main(["import", str(path), "--db", str(base), "--json"])
    capsys.readouterr()
    assert main(["import", str(path), "--db", str(base), "--duplicates", "update", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["updated"] == 3
    assert main(["import", str(path), "--db", str(base), "--duplicates", "skip", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["skipped"] == 3


def test_bad_rows_flagged_from_a_libreoffice_file(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lo = FIXTURES / "clients-libreoffice.xlsx"
    assert main(["import", str(lo), "--db", str(base), "--bad-rows", "flag", "--json"]) == 1  # one duplicate
    report = json.loads(capsys.readouterr().out)
    assert (report["created"], report["flagged"], report["skipped"]) == (4, 2, 1)


def test_purchases_from_the_command_line(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", str(write_xlsx(tmp_path / "c.xlsx", {"S": CLIENT_ROWS})), "--db", str(base), "--json"])
    capsys.readouterr()
    sales = write_text(
        tmp_path / "s.csv",
        "Телефон;Дата;Сумма\n+7 912 345-67-89;01.02.2024;100\n+7 900 000-00-00;01.02.2024;5\n",
    )
    assert main(["import", str(sales), "--db", str(base), "--kind", "purchases", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["created"], report["unmatched"]) == (1, 1)
    assert report["issues"][0]["action"] == "unmatched"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut.xlsx", None, "is damaged or is not a spreadsheet"),
        ("garbage.csv", bytes(range(256)) * 20, "is damaged or is not really a .csv file"),
        ("empty.csv", b"", "is empty"),
        ("header.csv", "ФИО;Телефон\n".encode(), "no rows of data"),
        ("nothing.xlsx", "EMPTY", "is empty: there is nothing to import"),
    ],
)
def test_a_bad_file_gives_a_clear_message_and_leaves_the_base_untouched(
    base: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | str | None,
    message: str,
) -> None:
    path = tmp_path / name
    if content is None:
        whole = write_xlsx(tmp_path / "whole.xlsx", {"S": CLIENT_ROWS}).read_bytes()
        path.write_bytes(whole[:300])
    elif content == "EMPTY":
        write_xlsx(path, {"Clients": []})
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    before = file_hash(base)
    assert main(["import", str(path), "--db", str(base)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert file_hash(base) == before


def test_a_bad_file_does_not_even_create_a_new_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new.sqlite"
    bad = write_text(tmp_path / "h.csv", "Name;Phone\n")
    assert main(["import", str(bad), "--db", str(target)]) == 2
    assert not target.exists()


def test_a_mapping_without_a_name_column_is_refused(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_text(tmp_path / "p.csv", "Телефон;Город\n+7 912 345-67-89;Тверь\n")
    before = file_hash(base)
    assert main(["import", str(path), "--db", str(base)]) == 2
    assert "No column is mapped to Full name" in capsys.readouterr().err
    assert file_hash(base) == before


def test_extra_columns_become_own_fields_said_line_by_line_and_in_json(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["ФИО", "Телефон", "Скидочная карта", "Пусто"], ["Анна", "+79121112233", "0004512", None]]
    path = write_xlsx(tmp_path / "c.xlsx", {"S": rows})
    assert main(["import", str(path), "--db", str(base), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Скидочная карта → New own field “Скидочная карта” (text)" in out
    assert "Пусто → not imported: the column is empty" in out
    assert main(["fields", "--db", str(base), "--json"]) == 0  # a trial run makes no field
    assert json.loads(capsys.readouterr().out) == []
    assert main(["import", str(path), "--db", str(base), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    columns = {c["column"]: c for c in report["columns"]}
    assert columns["Скидочная карта"]["field"] == "own:Скидочная карта"
    assert (columns["Скидочная карта"]["kind"], columns["Скидочная карта"]["how"]) == ("text", "new")
    assert columns["Пусто"]["field"] is None and columns["Пусто"]["how"] == "empty"
    assert report["own_fields"] == [
        {"column": "Скидочная карта", "name": "Скидочная карта", "kind": "text", "new": True}
    ]
    assert main(["clients", "--db", str(base), "--json"]) == 0
    assert "0004512" in capsys.readouterr().out
