"""A clients import's columns that no built-in field takes become the firm's own fields."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from custdesk.core.db import Database
from custdesk.core.errors import CustDeskError
from custdesk.core.models import AuditEntry, CustomField
from custdesk.core.services import custom_fields
from custdesk.core.services.client_list import list_clients
from custdesk.io.import_engine import ImportOptions, preview, run_import
from custdesk.io.importers import read_source
from custdesk.io.mapping import BY_NEW, BY_OWN, ColumnMapping, mapping_line, own_target, suggest_mapping
from tests.unit.io._import_data import base_state, set_region, write_xlsx

HEADERS = ["ФИО", "Телефон", "Скидочная карта", "Бонусы", "Дата анкеты", "Рассылка", "Строка", "Пусто"]
ROWS = [
    ["Иванов Иван", "+79123456789", "0004512", 120, date(2024, 3, 1), "да", 1, None],
    ["Петрова Анна", "+79121112233", "0000077", 35.5, date(2023, 11, 20), "нет", 2, None],
    ["Сидоров Пётр", "+79125556677", "0012000", 0, date(2025, 1, 9), "да", 3, None],
]


@pytest.fixture
def ru(db: Database) -> Database:
    set_region(db, "RU")
    return db


def _own(db: Database) -> dict[str, str]:
    return {s.label: s.kind for s in custom_fields.list_fields(db)}


def _mapping(db: Database, table: object) -> ColumnMapping:
    return suggest_mapping("clients", table, _own(db))  # type: ignore[arg-type]


def _workbook(tmp_path: Path, rows: list[list[object]] = ROWS) -> Path:
    return write_xlsx(tmp_path / "c.xlsx", {"Клиенты": [HEADERS, *rows]})


def test_four_extra_columns_become_four_fields_with_leading_zeros_kept_and_kinds_guessed(
    ru: Database, tmp_path: Path
) -> None:
    table = read_source(_workbook(tmp_path))
    mapping = _mapping(ru, table)
    assert mapping.own_columns() == {
        "Скидочная карта": ("Скидочная карта", "text"),
        "Бонусы": ("Бонусы", "number"),
        "Дата анкеты": ("Дата анкеты", "date"),
        "Рассылка": ("Рассылка", "yesno"),
    }
    assert {h: mapping.reasons[h] for h in mapping.own_columns()} == dict.fromkeys(
        mapping.own_columns(), BY_NEW
    )
    assert (
        mapping_line(mapping, "Скидочная карта") == "Скидочная карта → New own field “Скидочная карта” (text)"
    )
    # The row numbers and the empty column are left out, each with its reason.
    assert mapping.left_out == {"Строка": "row_numbers", "Пусто": "empty"}
    assert mapping_line(mapping, "Пусто") == "Пусто → not imported: the column is empty"
    assert mapping_line(mapping, "Строка") == "Строка → not imported: the column only numbers the rows"

    report = run_import(ru, table, mapping, ImportOptions(who="anna"))
    assert (report.created, report.skipped, report.issues) == (3, 0, [])
    assert _own(ru) == {
        "Скидочная карта": "text",
        "Бонусы": "number",
        "Дата анкеты": "date",
        "Рассылка": "yesno",
    }
    assert [o["new"] for o in report.own_fields] == [True] * 4
    ids = {r.name: r.id for r in list_clients(ru)}
    values = custom_fields.named_values(ru, [ids["Иванов Иван"], ids["Петрова Анна"]])
    assert values[ids["Иванов Иван"]] == {
        "Скидочная карта": "0004512",
        "Бонусы": "120",
        "Дата анкеты": "2024-03-01",
        "Рассылка": "1",
    }
    assert values[ids["Петрова Анна"]]["Скидочная карта"] == "0000077"
    assert values[ids["Петрова Анна"]]["Бонусы"] == "35.5"
    with ru.session() as s:  # journalled as the import's work
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.field == "Скидочная карта")))
    assert {(e.entity, e.who) for e in entries} == {("custom_field", "anna"), ("client", "anna")}


def test_reimporting_the_same_file_reuses_the_fields(ru: Database, tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    first = read_source(path)
    run_import(ru, first, _mapping(ru, first), ImportOptions())
    ids = [f.field_id for f in custom_fields.list_fields(ru)]
    again = read_source(path)
    mapping = _mapping(ru, again)
    assert {mapping.reasons[h] for h in mapping.own_columns()} == {BY_OWN}
    assert mapping_line(mapping, "Бонусы") == "Бонусы → own field “Бонусы” (number)"
    report = run_import(ru, again, mapping, ImportOptions(duplicates="update"))
    assert report.updated == 3 and [f.field_id for f in custom_fields.list_fields(ru)] == ids
    assert [o["new"] for o in report.own_fields] == [False] * 4


def test_a_header_naming_an_own_field_in_other_case_and_spaces_fills_it(ru: Database, tmp_path: Path) -> None:
    custom_fields.create_field(ru, "Размер одежды", "text")
    table = read_source(write_xlsx(tmp_path / "c.xlsx", {"S": [["Name", " размер  ОДЕЖДЫ "], ["Anna", "M"]]}))
    mapping = _mapping(ru, table)
    assert mapping.columns[table.headers[1]] == own_target("Размер одежды")
    run_import(ru, table, mapping, ImportOptions())
    assert len(custom_fields.list_fields(ru)) == 1
    client = list_clients(ru)[0].id
    assert custom_fields.named_values(ru, [client])[client] == {"Размер одежды": "M"}


@pytest.mark.sqlite_only  # the bad base is made with a SQLite trigger, and compared byte for byte
@pytest.mark.parametrize("failure", ["cancel", "bad_base"])
def test_a_failed_import_leaves_no_field_behind(ru: Database, tmp_path: Path, failure: str) -> None:
    table = read_source(_workbook(tmp_path))
    mapping = _mapping(ru, table)
    before = base_state(ru)
    if failure == "bad_base":
        with ru.engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TRIGGER no_values BEFORE INSERT ON client_field_values "
                "BEGIN SELECT RAISE(ABORT, 'no'); END"
            )
        before = base_state(ru)

    def progress(done: int, total: int) -> None:
        if failure == "cancel" and done >= total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt if failure == "cancel" else (CustDeskError, IntegrityError)):
        run_import(ru, table, mapping, ImportOptions(), progress)
    assert base_state(ru) == before
    with ru.session() as s:
        assert list(s.scalars(select(CustomField))) == []


def test_a_value_that_does_not_fit_the_kind_is_a_row_issue(ru: Database, tmp_path: Path) -> None:
    rows = [[*r[:3], r[3] if i else "сто", *r[4:]] for i, r in enumerate(ROWS)]
    rows += [["Ещё один", "+79120000001", "0000001", 7, date(2024, 1, 1), "да", 4, None]]
    table = read_source(_workbook(tmp_path, rows))
    mapping = _mapping(ru, table)
    mapping.set("Бонусы", own_target("Бонусы"), "number")  # the user insists: numbers
    shown = preview(ru, table, mapping, ImportOptions())
    assert [(i.row, i.column) for r in shown.rows for i in r.issues] == [(2, "Бонусы")]
    report = run_import(ru, table, mapping, ImportOptions(bad_rows="flag"))
    assert [(i.row, i.column, i.action, i.value) for i in report.issues] == [(2, "Бонусы", "flagged", "сто")]
    ivanov = next(r.id for r in list_clients(ru) if r.name == "Иванов Иван")
    assert custom_fields.named_values(ru, [ivanov])[ivanov]["Бонусы"] is None


def test_guessed_kinds_keep_values_exact_and_yes_no_only_when_certain(ru: Database, tmp_path: Path) -> None:
    rows = [["Name", "Артикул", "Флаг", "Ответ"], ["A", "0012", 1, "да"], ["B", "12", 0, "может быть"]]
    table = read_source(write_xlsx(tmp_path / "c.xlsx", {"S": rows}))
    mapping = _mapping(ru, table)
    assert mapping.kinds == {"Артикул": "text", "Флаг": "number", "Ответ": "text"}


def test_the_mapping_with_own_fields_is_saved_and_loaded(ru: Database, tmp_path: Path) -> None:
    table = read_source(_workbook(tmp_path))
    mapping = _mapping(ru, table)
    mapping.set("Бонусы", own_target("Баллы"), "money")
    mapping.set("Рассылка", None)
    mapping.save(tmp_path / "map.json")
    loaded = ColumnMapping.load(tmp_path / "map.json").for_table(table)
    assert loaded.columns == mapping.columns and loaded.own_columns()["Бонусы"] == ("Баллы", "money")
    data = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
    assert data["kinds"]["Бонусы"] == "money" and "Рассылка" not in data["columns"]
    run_import(ru, table, loaded, ImportOptions())
    assert _own(ru) == {"Скидочная карта": "text", "Баллы": "money", "Дата анкеты": "date"}


def test_other_imports_make_no_own_fields(ru: Database, tmp_path: Path) -> None:
    rows = [["Телефон клиента", "Дата", "Сумма", "Склад"], ["+79123456789", "2024-01-01", "100", "Север"]]
    table = read_source(write_xlsx(tmp_path / "p.xlsx", {"S": rows}), kind="purchases")
    assert suggest_mapping("purchases", table).own_columns() == {}
