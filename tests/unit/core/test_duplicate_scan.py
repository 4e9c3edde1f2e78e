"""The duplicate finder over the whole base: a file with planted near-duplicates is imported, the
planted groups are found (and few others), best first with their reasons; "not duplicates" is remembered;
cards an import made as possible duplicates come first."""

from __future__ import annotations

from pathlib import Path

import pytest

from custdesk.core.db import Database
from custdesk.core.services import clients, settings
from custdesk.core.services.duplicate_scan import mark_not_duplicates, organisation_key, scan
from custdesk.io.import_engine import ImportOptions, run_import
from custdesk.io.importers import read_source
from custdesk.io.mapping import suggest_mapping
from tests.unit.io._import_data import write_xlsx

# Twelve distinct clients and five planted near-duplicates of some of them.
ROWS: list[list[object]] = [
    ["Код", "ФИО", "Организация", "Телефон", "E-mail", "Город"],
    ["1", "Иванов Иван Петрович", "", "+7 912 345-67-89", "", "Москва"],
    ["2", "Петрова Анна Сергеевна", "", "+7 912 111-22-33", "anna.petrova@example.ru", "Тверь"],
    ["3", "Фёдоров Алексей", "", "+7 913 000-00-01", "", "Казань"],
    ["4", "Смирнова Ольга", "", "+7 913 000-00-02", "", "Самара"],
    ["5", "", "ООО «Ромашка»", "+7 495 100-00-00", "", "Москва"],
    ["6", "Кузнецов Дмитрий", "", "+7 913 000-00-03", "", "Пермь"],
    ["7", "Соколова Мария", "", "+7 913 000-00-04", "maria@example.ru", "Омск"],
    ["8", "Волков Андрей", "", "+7 913 000-00-05", "", "Томск"],
    ["9", "Новиков Сергей", "", "+7 913 000-00-06", "", "Москва"],
    ["10", "Морозова Елена", "", "+7 913 000-00-07", "", "Тверь"],
    ["11", "Лебедев Павел", "", "+7 913 000-00-08", "", "Казань"],
    ["12", "Иванова Иванна", "", "+7 913 000-00-09", "", "Сочи"],
    # planted: the phone in another spelling
    ["101", "Иванов И. П.", "", "8 (912) 345 67 89", "", "Подольск"],
    # planted: the e-mail in capitals
    ["102", "Анна Петрова", "", "+7 999 000-00-01", "ANNA.PETROVA@EXAMPLE.RU", "Клин"],
    # planted: ё written as е, same city
    ["103", "Федоров Алексей", "", "+7 999 000-00-02", "", "казань"],
    # planted: a typo in the surname, same city
    ["104", "Смирнава Ольга", "", "+7 999 000-00-03", "", "Самара"],
    # planted: the organisation without quotes, the legal form after
    ["105", "", "Ромашка ООО", "+7 499 200-00-00", "", "Химки"],
]
PLANTED = [{"1", "101"}, {"2", "102"}, {"3", "103"}, {"4", "104"}, {"5", "105"}]


@pytest.fixture
def base(db: Database, tmp_path: Path) -> tuple[Database, dict[int, str]]:
    settings.set_values(db, {"phone_region": "RU"})
    path = write_xlsx(tmp_path / "planted.xlsx", {"S": ROWS})
    table = read_source(path, kind="clients")
    mapping = suggest_mapping("clients", table)
    mapping.columns["Организация"] = "organisation"
    run_import(db, table, mapping, ImportOptions(duplicates="create"))
    with db.session() as s:
        from sqlalchemy import select

        from custdesk.core.models import Client

        codes = {cid: ext for cid, ext in s.execute(select(Client.id, Client.external_id))}
    return db, codes


def test_organisation_key_ignores_quotes_and_legal_form() -> None:
    assert organisation_key("ООО «Ромашка»") == organisation_key("Ромашка, ООО") == "ромашка"
    assert organisation_key('"Acme" Ltd.') == organisation_key("ACME") == "acme"


def test_the_planted_groups_are_found_and_few_others(base: tuple[Database, dict[int, str]]) -> None:
    db, codes = base
    groups = scan(db)
    found = [{codes[i] for i in g.ids} for g in groups]
    for planted in PLANTED:
        assert planted in found, planted
    assert len(found) <= len(PLANTED) + 1  # few others
    by_code = {frozenset(codes[i] for i in g.ids): g for g in groups}
    assert "phone" in by_code[frozenset({"1", "101"})].reasons
    assert "email" in by_code[frozenset({"2", "102"})].reasons
    assert by_code[frozenset({"3", "103"})].reasons == ("name-city",)
    assert by_code[frozenset({"4", "104"})].reasons == ("name-city",)
    assert by_code[frozenset({"5", "105"})].reasons == ("organisation",)
    scores = [g.score for g in groups if not g.marked]
    assert scores == sorted(scores, reverse=True)
    assert "the same phone" in by_code[frozenset({"1", "101"})].reason_text()


def test_not_duplicates_are_not_offered_again(base: tuple[Database, dict[int, str]]) -> None:
    db, codes = base
    group = next(g for g in scan(db) if {codes[i] for i in g.ids} == {"4", "104"})
    mark_not_duplicates(db, group.ids)
    assert all(set(g.ids) != set(group.ids) for g in scan(db))
    assert len(scan(db)) >= len(PLANTED) - 1


def test_merged_cards_are_not_found(base: tuple[Database, dict[int, str]]) -> None:
    db, codes = base
    group = next(g for g in scan(db) if {codes[i] for i in g.ids} == {"5", "105"})
    clients.merge_clients(db, group.ids[0], group.ids[1])
    assert all(group.ids[1] not in g.ids for g in scan(db))


def test_possible_duplicates_marked_by_an_import_come_first(db: Database, tmp_path: Path) -> None:
    settings.set_values(db, {"phone_region": "RU"})
    rows: list[list[object]] = [
        ["Код", "ФИО", "Телефон", "E-mail", "Город"],
        ["1", "Орлов Олег", "+7 912 000-00-01", "", "Москва"],
        ["2", "Орлов Олег", "+7 912 000-00-02", "", "Москва"],  # same name and city, other id
    ]
    from custdesk.core.dto import ClientInput, PhoneInput

    for city in ("Тула", "Орёл"):  # typed by hand, sharing a phone: a surer group (score 100)
        clients.create_client(
            db, ClientInput(name="Белов Борис", city=city, phones=(PhoneInput("+79120000003"),))
        )
    path = write_xlsx(tmp_path / "p.xlsx", {"S": rows})
    table = read_source(path, kind="clients")
    report = run_import(db, table, suggest_mapping("clients", table), ImportOptions(duplicates="create"))
    assert report.possible_duplicates >= 1
    groups = scan(db)
    assert groups[0].marked and groups[0].score < groups[1].score
