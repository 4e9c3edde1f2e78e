"""The firm's own fields in a real base: definitions, values checked by kind, rename, removal, journal."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from custdesk.core import fields
from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.errors import ValidationFailed
from custdesk.core.models import AuditEntry, ClientFieldValue
from custdesk.core.services import clients, custom_fields, settings


@pytest.fixture(autouse=True)
def _firm(db: Database) -> None:
    settings.set_values(db, {"phone_region": "RU"}, who="setup")


def _client(db: Database, **custom: object) -> int:
    data = ClientInput(name="Ольга", phones=(PhoneInput("+79123456789"),), custom=custom or None)
    return clients.create_client(db, data).id


def _field(db: Database, name: str, kind: str, **options: object) -> fields.FieldSpec:
    custom_fields.create_field(db, name, kind, **options)  # type: ignore[arg-type]
    return next(f for f in custom_fields.list_fields(db) if f.label == name)


def test_values_are_kept_as_typed_and_checked_by_kind(db: Database) -> None:
    card = _field(db, "Дисконтная карта", "text")
    size = _field(db, "Размер", "choice", choices=("S", "M", "L"))
    level = _field(db, "Бонусы", "number")
    since = _field(db, "Клиент клуба с", "date")
    cid = _client(db, **{card.key: "0004512", size.key: "M", level.key: "12,50", since.key: date(2024, 5, 1)})
    stored = clients.get_client(db, cid).custom
    assert stored == {card.key: "0004512", size.key: "M", level.key: "12.5", since.key: "2024-05-01"}
    assert custom_fields.client_custom_fields(db, cid) == {
        "Дисконтная карта": "0004512",
        "Размер": "M",
        "Бонусы": Decimal("12.5"),
        "Клиент клуба с": date(2024, 5, 1),
    }
    before = clients.get_client(db, cid)
    with pytest.raises(ValidationFailed) as refused:
        clients.update_client(
            db, cid, ClientInput(**{**_plain(before), "custom": {size.key: "XXL", level.key: "много"}})
        )
    assert {e.field for e in refused.value.errors} == {size.key, level.key}
    assert clients.get_client(db, cid).custom == stored  # nothing changed


def _plain(card: object) -> dict[str, object]:
    data = card.to_input()  # type: ignore[attr-defined]
    return {k: getattr(data, k) for k in data.__dataclass_fields__ if k != "custom"}


def test_a_required_field_refuses_an_empty_card(db: Database) -> None:
    required = _field(db, "Модель авто", "text", required=True)
    with pytest.raises(ValidationFailed) as refused:
        _client(db, **{required.key: " "})
    assert [e.field for e in refused.value.errors] == [required.key]
    assert "Модель авто" in refused.value.errors[0].message


def test_rename_keeps_values_and_journals_each_change(db: Database) -> None:
    size = _field(db, "Размер", "text")
    cid = _client(db, **{size.key: "M"})
    card = clients.get_client(db, cid)
    clients.update_client(db, cid, ClientInput(**{**_plain(card), "custom": {size.key: "L"}}), who="anna")
    custom_fields.update_field(db, size.field_id or 0, name="Размер одежды", kind="text")
    renamed = custom_fields.list_fields(db)[0]
    assert renamed.label == "Размер одежды" and renamed.key == size.key
    assert clients.get_client(db, cid).custom == {size.key: "L"}
    with db.session() as s:
        entries = list(
            s.scalars(select(AuditEntry).where(AuditEntry.field == "Размер").order_by(AuditEntry.id))
        )
    assert [(e.entity_id, e.old, e.new, e.who) for e in entries][-1] == (cid, "M", "L", "anna")


def test_a_kind_change_is_refused_when_values_do_not_fit(db: Database) -> None:
    code = _field(db, "Код", "text")
    _client(db, **{code.key: "A-17"})
    with pytest.raises(ValidationFailed):
        custom_fields.update_field(db, code.field_id or 0, name="Код", kind="number")
    assert custom_fields.list_fields(db)[0].kind == "text"


def test_removal_keeps_the_values_in_the_journal(db: Database) -> None:
    size = _field(db, "Размер", "text")
    first, second = _client(db, **{size.key: "M"}), _client(db, **{size.key: "XL"})
    assert custom_fields.value_count(db, size.field_id or 0) == 2
    custom_fields.remove_field(db, size.field_id or 0)
    assert custom_fields.list_fields(db) == []
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ClientFieldValue)) == 0
        kept = {
            (e.entity_id, e.old)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.field == "Размер", AuditEntry.new.is_(None))
            )
            if e.entity == "client"
        }
        definition = s.scalar(
            select(AuditEntry).where(AuditEntry.entity == "custom_field", AuditEntry.action == "delete")
        )
    assert kept == {(first, "M"), (second, "XL")}
    assert definition is not None and json.loads(definition.old or "{}")["name"] == "Размер"


def test_definitions_are_refused_with_a_reason(db: Database) -> None:
    _field(db, "Размер", "text")
    for name, kind, choices in (
        ("", "text", ()),
        ("размер", "text", ()),
        ("Уровень", "choice", ()),
        ("X", "colour", ()),
    ):
        with pytest.raises(ValidationFailed):
            custom_fields.create_field(db, name, kind, choices=choices)
    assert [f.label for f in custom_fields.list_fields(db)] == ["Размер"]


def test_kinds_are_guessed_from_content() -> None:
    assert fields.guess_kind(["0004512", "0004513"]) == "text"
    assert fields.guess_kind(["12", "7.5", ""]) == "number"
    assert fields.guess_kind(["2024-01-02", "2023-12-31"]) == "date"
    assert fields.guess_kind(["да", "нет", "да"]) == "yesno"
    assert fields.guess_kind(["Gold", "Silver"] * 6) == "choice"
    assert fields.guess_kind(["Toyota Corolla", "Lada Vesta", "Kia Rio"]) == "text"


def test_search_finds_text_values_as_you_type(db: Database, dialect: str) -> None:
    if dialect == "postgresql":
        pytest.xfail("own fields are not in the server's trigram search body yet (issue 20)")
    from custdesk.core.services import client_list
    from custdesk.core.services.client_list import ListQuery

    car = _field(db, "Модель авто", "text")
    level = _field(db, "Уровень", "choice", choices=("Платиновый", "Золотой"))
    points = _field(db, "Баллы", "number")
    first = _client(db, **{car.key: "Škoda Octavia", level.key: "Платиновый", points.key: "4512"})
    second = _client(db, **{car.key: "Lada Vesta"})

    def found(text: str) -> set[int]:
        q = ListQuery(search=text)
        return set(client_list.page_ids(db, q, 0, client_list.count(db, q)))

    assert found("octav") == {first}
    assert found("vesta") == {second}
    assert found("платин") == {first}
    assert found("Ольга octavia") == {first}
    assert found("4512") == set()  # numbers are not text: a phone-like query finds phones
    card = clients.get_client(db, second)
    clients.update_client(db, second, ClientInput(**{**_plain(card), "custom": {car.key: "Kia Rio"}}))
    assert found("vesta") == set() and found("kia rio") == {second}
    custom_fields.remove_field(db, car.field_id or 0)
    assert found("octav") == set()
