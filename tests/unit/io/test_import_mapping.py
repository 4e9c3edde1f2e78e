"""Columns mapped by their headers in four languages and by what their cells hold; saved mappings."""

from __future__ import annotations

from pathlib import Path

import pytest

from custdesk.io.importers import ImportFileError, SourceTable
from custdesk.io.mapping import BY_CONTENT, BY_HEADER, ColumnMapping, suggest_mapping


def _table(headers: list[str], *rows: list[object]) -> SourceTable:
    return SourceTable("S", headers, [list(r) for r in rows] or [[None] * len(headers)], 1, ["S"], "")


@pytest.mark.parametrize(
    "headers",
    [
        ["ФИО", "Телефон", "E-mail", "Город", "Дата рождения", "Организация", "Примечание"],
        ["Name", "Phone", "Email", "City", "Birthday", "Company", "Notes"],
        ["Nimi", "Puhelin", "Sähköposti", "Kaupunki", "Syntymäpäivä", "Yritys", "Lisätiedot"],
        ["نام", "تلفن", "ایمیل", "شهر", "تاریخ تولد", "شرکت", "توضیحات"],
        ["name", "phone", "email", "city", "birthday", "organisation", "notes"],
    ],
)
def test_client_headers_in_four_languages(headers: list[str]) -> None:
    mapping = suggest_mapping("clients", _table(headers))
    assert [mapping.columns[h] for h in headers] == [
        "name",
        "phone",
        "email",
        "city",
        "birthday",
        "organisation",
        "notes",
    ]
    assert set(mapping.reasons.values()) == {BY_HEADER}


def test_english_field_names_map_to_themselves_for_every_kind() -> None:
    clients = [
        "external_id",
        "name",
        "organisation",
        "phone",
        "email",
        "city",
        "region",
        "street",
        "birthday",
        "notes",
    ]
    purchases = ["client_external_id", "date", "amount", "profit", "items"]
    history = ["client_external_id", "date", "kind", "outcome", "text"]
    for kind, headers in (("clients", clients), ("purchases", purchases), ("history", history)):
        mapping = suggest_mapping(kind, _table(headers))
        assert mapping.columns == {h: h for h in headers}


def test_purchases_headers_and_the_clients_phone() -> None:
    headers = ["Код клиента", "Телефон", "Дата", "Сумма", "Прибыль", "Товар", "№ документа"]
    mapping = suggest_mapping("purchases", _table(headers))
    assert list(mapping.columns.values()) == [
        "client_external_id",
        "client_phone",
        "date",
        "amount",
        "profit",
        "items",
        "document_no",
    ]
    finnish = suggest_mapping("purchases", _table(["Asiakasnumero", "Päivämäärä", "Summa", "Kate"]))
    assert list(finnish.columns.values()) == ["client_external_id", "date", "amount", "profit"]
    persian = suggest_mapping("purchases", _table(["کد مشتری", "تاریخ", "مبلغ", "سود"]))
    assert list(persian.columns.values()) == ["client_external_id", "date", "amount", "profit"]


def test_headers_are_compared_without_case_spaces_and_punctuation() -> None:
    mapping = suggest_mapping(
        "clients", _table(["  E-MAIL: ", "Ф.И.О.", "Тел.", "Zip/Postal Code", "ДАТА  РОЖДЕНИЯ"])
    )
    assert list(mapping.columns.values()) == ["email", "name", "phone", "postcode", "birthday"]


def test_name_parts_and_several_phone_columns() -> None:
    headers = ["Фамилия", "Имя", "Отчество", "Мобильный", "Рабочий телефон", "Факс"]
    mapping = suggest_mapping("clients", _table(headers))
    assert [mapping.columns[h] for h in headers] == [
        "last_name",
        "first_name",
        "middle_name",
        "phone",
        "phone",
        "phone",
    ]


def test_columns_without_telling_headers_are_mapped_by_content() -> None:
    table = _table(
        ["Колонка 1", "A", "B", "C", "D"],
        ["Иванов", "+7 912 345-67-89", "ivan@example.ru", "12.03.1985", "Москва"],
        ["Петров", "8 912 111 22 33", "petr@example.ru", "1.1.1990", "Тверь"],
    )
    mapping = suggest_mapping("clients", table)
    assert mapping.columns == {"A": "phone", "B": "email", "C": "birthday"}
    assert set(mapping.reasons.values()) == {BY_CONTENT}
    purchases = _table(["x", "y"], ["1 200,00 ₽", "01.02.2024"], ["300", "02.02.2024"])
    assert suggest_mapping("purchases", purchases).columns == {"x": "amount", "y": "date"}


def test_a_header_beats_content_and_the_first_column_of_a_meaning_wins() -> None:
    # Two columns may name a part of an address (Outlook's business and home city); the first one a row
    # fills is the card's, the other goes into its notes (see test_import_address_books).
    mapping = suggest_mapping("clients", _table(["Город", "City"], ["Москва", "Moscow"]))
    assert mapping.columns == {"Город": "city", "City": "city"}


def test_problems_name_what_is_missing() -> None:
    assert ColumnMapping("clients", {"Телефон": "phone"}).problems() == [
        "No column is mapped to Full name, Last name, First name, Organisation."
    ]
    purchase = ColumnMapping("purchases", {"Сумма": "amount"})
    assert len(purchase.problems()) == 2


def test_user_choices_replace_a_single_field_and_keep_multi_fields() -> None:
    mapping = ColumnMapping("clients", {"A": "name", "B": "phone"})
    mapping.set("C", "name")
    assert mapping.columns == {"B": "phone", "C": "name"}
    mapping.set("D", "phone")
    assert mapping.headers_for("phone") == ["B", "D"]
    mapping.set("B", None)
    assert mapping.columns == {"C": "name", "D": "phone"}
    with pytest.raises(ValueError):
        mapping.set("E", "amount")


def test_save_load_and_apply_to_another_file(tmp_path: Path) -> None:
    mapping = ColumnMapping("clients", {"ФИО": "name", "Моб.": "phone", "Почта": "email"})
    path = tmp_path / "map.json"
    mapping.save(path)
    loaded = ColumnMapping.load(path)
    assert loaded.kind == "clients" and loaded.columns == mapping.columns
    other = _table(["фио", "Почта", "Город"])
    assert loaded.for_table(other).columns == {"фио": "name", "Почта": "email"}


@pytest.mark.parametrize(
    "content",
    [
        '{"kind": "stars", "columns": {}}',
        "[1, 2]",
        "not json",
        '{"kind": "clients", "columns": {"A": "amount"}}',
    ],
)
def test_a_file_that_is_no_mapping_is_refused_clearly(tmp_path: Path, content: str) -> None:
    path = tmp_path / "map.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError, match="mapping"):
        ColumnMapping.load(path)
