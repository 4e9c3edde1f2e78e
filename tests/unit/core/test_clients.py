"""Client cards in a real base: create, read, update, archive, restore, funnel by hand, duplicates."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput, InteractionInput, PhoneInput
from custdesk.core.errors import NotFoundError, ValidationFailed
from custdesk.core.models import AuditEntry, Client, Email, Phone, Tag
from custdesk.core.services import clients, settings, today
from custdesk.core.services.history import add_interaction


def ivan(**changes: object) -> ClientInput:
    values: dict[str, object] = {
        "name": "Иван Петров",
        "city": "Москва",
        "phones": (PhoneInput("8 912 345-67-89"),),
        "emails": (EmailInput("Ivan@Example.com"),),
    }
    values.update(changes)
    return ClientInput(**values)  # type: ignore[arg-type]


def audit(db: Database, entity: str = "client", entity_id: int | None = None) -> list[AuditEntry]:
    with db.session() as s:
        stmt = select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
        if entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == entity_id)
        return list(s.scalars(stmt))


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture(autouse=True)
def _russian_firm(db: Database) -> None:
    settings.set_values(db, {"phone_region": "RU"}, who="setup")


def test_create_stores_a_normalised_card(db: Database) -> None:
    card = clients.create_client(db, ivan(tags=("vip", "opt")), who="anna")
    assert card.id > 0
    assert card.name == "Иван Петров"
    assert [(p.number, p.display, p.is_primary) for p in card.phones] == [
        ("+79123456789", "8 (912) 345-67-89", True)
    ]
    assert card.emails[0].address == "Ivan@example.com"
    assert len(card.external_id) == 32 and int(card.external_id, 16) >= 0
    assert card.funnel == "white"
    assert card.next_call_on == date.today()  # a new lead is to be called
    assert card.purchase_count == 0 and card.revenue_total == Decimal(0)
    assert card.tags == ("opt", "vip")
    assert clients.get_client(db, card.id) == card
    with db.session() as s:
        assert s.scalars(select(Email.address_key)).all() == ["ivan@example.com"]

    (entry,) = audit(db, entity_id=card.id)
    assert (entry.action, entry.who) == ("create", "anna")
    assert json.loads(entry.new or "")["phones"][0]["number"] == "+79123456789"


def test_external_id_given_is_kept_and_must_be_unique(db: Database) -> None:
    card = clients.create_client(db, ivan(external_id=" crm-17 "))
    assert card.external_id == "crm-17"
    with pytest.raises(ValidationFailed) as exc:
        clients.create_client(db, ivan(name="", external_id="crm-17"))
    fields = [e.field for e in exc.value.errors]
    assert fields == ["name", "external_id"]  # every problem at once
    assert "External ID crm-17 already belongs to another client." in str(exc.value)
    assert count(db, Client) == 1


def test_failed_validation_leaves_the_base_unchanged(db: Database) -> None:
    before = count(db, AuditEntry)
    with pytest.raises(ValidationFailed) as exc:
        clients.create_client(
            db, ivan(phones=(PhoneInput("12"),), emails=(EmailInput("not-an-address"),), tags=("x",))
        )
    assert {e.field for e in exc.value.errors} == {"phones[0]", "emails[0]"}
    assert "Phone 1" in str(exc.value) and "E-mail 1" in str(exc.value)
    assert (count(db, Client), count(db, Phone), count(db, Email), count(db, Tag)) == (0, 0, 0, 0)
    assert count(db, AuditEntry) == before


def test_the_firm_settings_decide_region_and_required_contact(db: Database) -> None:
    with pytest.raises(ValidationFailed):
        clients.create_client(db, ClientInput(name="Matti", phones=(PhoneInput("040 123 4567"),)))
    settings.set_values(db, {"phone_region": "FI", "require_contact": False})
    card = clients.create_client(db, ClientInput(name="Matti", phones=(PhoneInput("040 123 4567"),)))
    assert card.phones[0].number == "+358401234567"
    assert card.phones[0].display == "040 1234567"
    assert clients.create_client(db, ClientInput(name="No contact")).phones == ()


def test_get_a_missing_client(db: Database) -> None:
    with pytest.raises(NotFoundError, match="no client with the number 999"):
        clients.get_client(db, 999)


def test_update_journals_each_changed_field(db: Database) -> None:
    card = clients.create_client(db, ivan())
    data = ivan(
        city="Санкт-Петербург",
        discount_percent=Decimal("5"),
        phones=(PhoneInput("8 912 345-67-89"), PhoneInput("+7 921 000 00 00", kind="work")),
        tags=("vip",),
    )
    updated = clients.update_client(db, card.id, data, who="boss")
    assert updated.city == "Санкт-Петербург"
    assert updated.discount_percent == Decimal("5.00")
    assert [p.number for p in updated.phones] == ["+79123456789", "+79210000000"]
    assert updated.external_id == card.external_id  # None in the input keeps it

    entries = [e for e in audit(db, entity_id=card.id) if e.action == "update"]
    by_field = {e.field: (e.old, e.new) for e in entries}
    assert set(by_field) == {"city", "discount_percent", "phones", "tags"}
    assert by_field["city"] == ("Москва", "Санкт-Петербург")
    assert by_field["discount_percent"] == (None, "5.00")
    assert by_field["phones"] == (
        "+79123456789 (mobile, primary)",
        "+79123456789 (mobile, primary); +79210000000 (work)",
    )
    assert by_field["tags"] == ("", "vip")
    assert {e.who for e in entries} == {"boss"}

    # Saving the same card again changes nothing and journals nothing.
    clients.update_client(db, card.id, updated.to_input())
    assert len([e for e in audit(db, entity_id=card.id) if e.action == "update"]) == 4


def test_update_refuses_bad_input_and_keeps_the_card(db: Database) -> None:
    card = clients.create_client(db, ivan())
    with pytest.raises(ValidationFailed) as exc:
        clients.update_client(db, card.id, ivan(name="  ", city="Тверь"))
    assert [e.field for e in exc.value.errors] == ["name"]
    assert clients.get_client(db, card.id) == card
    with pytest.raises(NotFoundError):
        clients.update_client(db, 12345, ivan())


def test_a_new_call_cycle_reschedules_the_next_call(db: Database) -> None:
    card = clients.create_client(db, ivan())
    talked = datetime(2024, 3, 1, 10, 0)
    add_interaction(db, card.id, InteractionInput(occurred_at=talked))
    assert clients.get_client(db, card.id).next_call_on == date(2024, 3, 15)  # warm: 14 days
    updated = clients.update_client(db, card.id, ivan(call_cycle_days=30))
    assert updated.next_call_on == date(2024, 3, 31)
    updated = clients.update_client(db, card.id, ivan(temperature="hot"))
    assert updated.next_call_on == date(2024, 3, 4)


def test_editing_the_card_keeps_a_snoozed_call(db: Database) -> None:
    card = clients.create_client(db, ivan())
    add_interaction(db, card.id, InteractionInput(occurred_at=datetime.now() - timedelta(days=1)))
    due = clients.get_client(db, card.id).next_call_on
    later = date.today() + timedelta(days=40)
    assert due is not None and due != later
    today.snooze(db, card.id, later)
    updated = clients.update_client(db, card.id, ivan(city="Тверь"))
    assert updated.city == "Тверь" and updated.next_call_on == later
    assert clients.get_client(db, card.id).next_call_on == later
    fields = [e.field for e in audit(db, entity_id=card.id) if e.action == "update"]
    assert fields.count("next_call_on") == 1  # the snooze; the edit did not reschedule
    updated = clients.update_client(db, card.id, ivan(city="Тверь", temperature="hot"))
    assert updated.next_call_on != later  # a new temperature schedules by its cycle again


def test_archive_and_restore(db: Database) -> None:
    card = clients.create_client(db, ivan())
    archived = clients.archive_client(db, card.id, who="anna")
    assert archived.archived and archived.archived_at is not None
    clients.archive_client(db, card.id)  # twice: nothing more
    restored = clients.restore_client(db, card.id, who="anna")
    assert not restored.archived and restored.archived_at is None
    assert count(db, Client) == 1  # nothing is deleted
    actions = [(e.action, e.old, e.new) for e in audit(db, entity_id=card.id)][1:]
    assert actions == [("archive", "False", "True"), ("restore", "True", "False")]


def test_set_funnel_by_hand(db: Database) -> None:
    card = clients.create_client(db, ivan())
    marked = clients.set_funnel(db, card.id, "yellow", who="anna")
    assert (marked.funnel, marked.funnel_reason) == ("yellow", "manual")
    assert marked.funnel_changed_at is not None
    (entry,) = [e for e in audit(db, entity_id=card.id) if e.field == "funnel"]
    assert (entry.old, entry.new) == ("white", "yellow")
    with pytest.raises(ValidationFailed) as exc:
        clients.set_funnel(db, card.id, "purple")
    assert exc.value.errors[0].field == "funnel"


def test_tags_are_shared_between_clients(db: Database) -> None:
    clients.create_client(db, ivan(tags=("vip",)))
    clients.create_client(
        db, ivan(name="Пётр", phones=(PhoneInput("+7 921 111 22 33"),), emails=(), tags=("vip",))
    )
    assert count(db, Tag) == 1


# --- Duplicates ---------------------------------------------------------------------------------------


def test_duplicate_by_phone_in_another_format(db: Database) -> None:
    card = clients.create_client(db, ivan())
    other = ClientInput(name="Someone", phones=(PhoneInput("+7 (912) 345 67 89"),))
    (match,) = clients.find_duplicates(db, other)
    assert (match.client_id, match.display_name, match.reasons) == (card.id, "Иван Петров", ("phone",))


def test_duplicate_by_email_in_another_case(db: Database) -> None:
    card = clients.create_client(db, ivan())
    (match,) = clients.find_duplicates(db, ClientInput(name="X", emails=(EmailInput("IVAN@example.COM"),)))
    assert (match.client_id, match.reasons) == (card.id, ("email",))


def test_duplicate_by_name_and_city_folded(db: Database) -> None:
    card = clients.create_client(db, ivan(name="Пётр  Иванов", city="Москва"))
    clients.create_client(
        db, ivan(name="Пётр Иванов", city="Тверь", phones=(PhoneInput("+7 921 111 22 33"),), emails=())
    )
    (match,) = clients.find_duplicates(db, ClientInput(name=" петр иванов ", city="МОСКВА"))
    assert (match.client_id, match.reasons) == (card.id, ("name-city",))
    assert clients.find_duplicates(db, ClientInput(name="Пётр Иванов")) == []  # no city, no match


def test_duplicate_all_reasons_exclude_and_invalid_input(db: Database) -> None:
    card = clients.create_client(db, ivan())
    (match,) = clients.find_duplicates(db, ivan())
    assert match.reasons == ("phone", "email", "name-city")
    assert clients.find_duplicates(db, ivan(), exclude_id=card.id) == []
    assert clients.find_duplicates(db, ClientInput(phones=(PhoneInput("garbage"),))) == []


def test_duplicate_of_an_organisation(db: Database) -> None:
    card = clients.create_client(
        db,
        ClientInput(
            kind="organisation", organisation="ООО «Ромашка»", city="Казань", emails=(EmailInput("a@b.ru"),)
        ),
    )
    (match,) = clients.find_duplicates(
        db, ClientInput(kind="organisation", organisation="ооо «ромашка»", city="казань")
    )
    assert (match.client_id, match.display_name) == (card.id, "ООО «Ромашка»")
