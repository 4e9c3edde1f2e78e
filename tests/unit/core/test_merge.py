"""Merging two cards: field choices, united contacts, moved history and purchases, both snapshots kept."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientCard, ClientInput, EmailInput, InteractionInput, PhoneInput, PurchaseInput
from custdesk.core.errors import CustDeskError
from custdesk.core.models import AuditEntry
from custdesk.core.services import clients, history, purchases, reminders, settings


@pytest.fixture(autouse=True)
def _russian_firm(db: Database) -> None:
    settings.set_values(db, {"phone_region": "RU"})


def make(db: Database, name: str, phone: str, email: str = "", **values: object) -> ClientCard:
    emails = (EmailInput(email),) if email else ()
    return clients.create_client(
        db, ClientInput(name=name, phones=(PhoneInput(phone),), emails=emails, **values)
    )  # type: ignore[arg-type]


@pytest.fixture
def pair(db: Database) -> tuple[ClientCard, ClientCard]:
    keep = make(db, "Иван Петров", "8 912 345-67-89", "ivan@example.com", city="Москва", tags=("vip",))
    other = make(
        db,
        "Петров Иван",
        "+7 921 000 00 00",
        "IVAN@example.com",
        street="Тверская",
        notes="prefers mornings",
        city="Moscow",
        tags=("opt", "vip"),
    )
    today = date.today()
    purchases.add_purchase(db, keep.id, PurchaseInput(today - timedelta(days=30), Decimal("100.10")))
    purchases.add_purchase(db, other.id, PurchaseInput(today - timedelta(days=20), Decimal("200.20")))
    purchases.add_purchase(db, other.id, PurchaseInput(today - timedelta(days=10), Decimal("300.30")))
    history.add_interaction(
        db, keep.id, InteractionInput(occurred_at=datetime.now() - timedelta(days=40), text="k")
    )
    history.add_interaction(
        db, other.id, InteractionInput(occurred_at=datetime.now() - timedelta(days=5), text="o")
    )
    reminders.add_reminder(db, other.id, "call", today + timedelta(days=3), "call back")
    return clients.get_client(db, keep.id), clients.get_client(db, other.id)


def test_merge_moves_history_and_purchases(db: Database, pair: tuple[ClientCard, ClientCard]) -> None:
    keep, other = pair
    merged = clients.merge_clients(db, keep.id, other.id, {"city": "other"}, who="boss")

    assert merged.city == "Moscow"  # chosen
    assert merged.name == "Иван Петров"  # kept by default
    assert merged.street == "Тверская"  # empty on the kept card: taken from the other
    assert merged.notes == "prefers mornings"
    assert [(p.number, p.is_primary) for p in merged.phones] == [
        ("+79123456789", True),
        ("+79210000000", False),
    ]
    assert [e.address for e in merged.emails] == ["ivan@example.com"]  # same address, other case
    assert merged.tags == ("opt", "vip")

    assert [i.text for i in history.list_interactions(db, keep.id)] == ["o", "k"]
    assert history.list_interactions(db, other.id) == []
    assert len(purchases.list_purchases(db, keep.id)) == 3
    assert [r.text for r in reminders.list_reminders(db, keep.id)] == ["call back"]

    assert merged.purchase_count == 3
    assert merged.revenue_total == Decimal("600.60")
    assert merged.last_purchase_on == date.today() - timedelta(days=10)
    assert merged.funnel == "platinum"  # three purchases once joined
    assert merged.funnel_reason == "merge"
    assert merged.last_contact_at == other.last_contact_at
    assert merged.next_call_on == (other.last_contact_at + timedelta(days=14)).date()  # type: ignore[operator]

    gone = clients.get_client(db, other.id)
    assert gone.archived and gone.merged_into_id == keep.id


def test_merge_keeps_both_originals_in_the_journal(db: Database, pair: tuple[ClientCard, ClientCard]) -> None:
    keep, other = pair
    clients.merge_clients(db, keep.id, other.id, who="boss")
    with db.session() as s:
        entries = list(
            s.scalars(select(AuditEntry).where(AuditEntry.action == "merge").order_by(AuditEntry.id))
        )
    assert [(e.entity_id, e.field, e.who) for e in entries] == [
        (keep.id, "kept", "boss"),
        (other.id, "merged_into", "boss"),
    ]
    kept_before = json.loads(entries[0].old or "")
    other_before = json.loads(entries[1].old or "")
    assert kept_before["name"] == "Иван Петров" and kept_before["purchase_count"] == 1
    assert [p["number"] for p in kept_before["phones"]] == ["+79123456789"]
    assert other_before["name"] == "Петров Иван" and other_before["notes"] == "prefers mornings"
    assert other_before["revenue_total"] == "500.50"
    assert json.loads(entries[0].new or "")["purchase_count"] == 3
    assert entries[1].new == str(keep.id)


def test_merged_cards_are_no_duplicates_and_cannot_be_restored(
    db: Database, pair: tuple[ClientCard, ClientCard]
) -> None:
    keep, other = pair
    clients.merge_clients(db, keep.id, other.id)
    matches = clients.find_duplicates(db, ClientInput(phones=(PhoneInput("+7 921 000 00 00"),)))
    assert [m.client_id for m in matches] == [keep.id]  # the number now lives on the kept card
    with pytest.raises(CustDeskError, match="merged into the card of Иван Петров"):
        clients.restore_client(db, other.id)
    with pytest.raises(CustDeskError, match="already merged"):
        clients.merge_clients(db, keep.id, other.id)


def test_merge_refuses_nonsense(db: Database, pair: tuple[ClientCard, ClientCard]) -> None:
    keep, other = pair
    with pytest.raises(CustDeskError, match="itself"):
        clients.merge_clients(db, keep.id, keep.id)
    with pytest.raises(ValueError):
        clients.merge_clients(db, keep.id, other.id, {"city": "both"})
    with pytest.raises(ValueError):
        clients.merge_clients(db, keep.id, other.id, {"funnel": "other"})
    assert not clients.get_client(db, other.id).archived


def test_a_red_marker_follows_the_joined_purchases(db: Database) -> None:
    keep = make(db, "A", "+7 912 111 11 11")
    other = make(db, "B", "+7 912 222 22 22")
    purchases.add_purchase(db, other.id, PurchaseInput(date.today(), Decimal(10)))
    history.add_interaction(db, keep.id, InteractionInput(kind="note", outcome="refused"))
    assert clients.get_client(db, keep.id).funnel == "green-red"
    merged = clients.merge_clients(db, keep.id, other.id)
    # The refusal is the latest marker change; with one purchase joined it is gold-red.
    assert merged.funnel == "gold-red"
