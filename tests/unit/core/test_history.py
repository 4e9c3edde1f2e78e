"""The history of cooperation: the call cycle, funnel outcomes and the too-soon confirmation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from custdesk.core.db import Database
from custdesk.core.dto import ClientCard, ClientInput, InteractionInput, PhoneInput, PurchaseInput
from custdesk.core.errors import NotFoundError, TooSoonError, ValidationFailed
from custdesk.core.models import AuditEntry, Interaction
from custdesk.core.services import clients, history, purchases, settings

T0 = datetime(2024, 5, 6, 10, 30)


@pytest.fixture
def card(db: Database) -> ClientCard:
    settings.set_values(db, {"phone_region": "RU"})
    return clients.create_client(db, ClientInput(name="Анна", phones=(PhoneInput("+7 912 345 67 89"),)))


def interactions(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Interaction)) or 0)


def test_a_call_moves_the_last_contact_and_schedules_the_next(db: Database, card: ClientCard) -> None:
    entry = history.add_interaction(
        db,
        card.id,
        InteractionInput(occurred_at=T0, outcome="reached", text="  talked  ", duration_seconds=300),
        who="anna",
    )
    assert (entry.client_id, entry.kind, entry.text, entry.created_by) == (card.id, "call", "talked", "anna")
    after = clients.get_client(db, card.id)
    assert after.last_contact_at == T0
    assert after.next_call_on == date(2024, 5, 20)  # warm: 14 days
    with db.session() as s:
        (entry_audit,) = s.scalars(select(AuditEntry).where(AuditEntry.entity == "interaction")).all()
    assert entry_audit.action == "create" and entry_audit.entity_id == entry.id


def test_the_cycle_follows_temperature_override_and_settings(db: Database, card: ClientCard) -> None:
    settings.set_values(db, {"call_cycle_hot_days": 2})
    clients.update_client(
        db, card.id, ClientInput(name="Анна", temperature="hot", phones=(PhoneInput("+79123456789"),))
    )
    history.add_interaction(db, card.id, InteractionInput(occurred_at=T0))
    assert clients.get_client(db, card.id).next_call_on == date(2024, 5, 8)
    clients.update_client(
        db,
        card.id,
        ClientInput(name="Анна", temperature="hot", call_cycle_days=45, phones=(PhoneInput("+79123456789"),)),
    )
    assert clients.get_client(db, card.id).next_call_on == date(2024, 6, 20)


@pytest.mark.parametrize(
    ("bought", "red"), [(0, "green-red"), (1, "gold-red"), (2, "gold-red"), (3, "platinum-red")]
)
def test_a_refusal_turns_the_client_red_by_its_history(
    db: Database, card: ClientCard, bought: int, red: str
) -> None:
    for i in range(bought):
        purchases.add_purchase(db, card.id, PurchaseInput(date(2024, 1, 1) + timedelta(days=i), Decimal(100)))
    history.add_interaction(db, card.id, InteractionInput(occurred_at=T0, outcome="refused"))
    after = clients.get_client(db, card.id)
    assert (after.funnel, after.funnel_reason) == (red, "rule:refused")
    assert after.funnel_changed_at is not None


def test_renewed_interest_leaves_red(db: Database, card: ClientCard) -> None:
    history.add_interaction(db, card.id, InteractionInput(occurred_at=T0, outcome="ended"))
    assert clients.get_client(db, card.id).funnel == "green-red"
    history.add_interaction(
        db, card.id, InteractionInput(occurred_at=T0 + timedelta(days=30), outcome="presentation")
    )
    after = clients.get_client(db, card.id)
    assert (after.funnel, after.funnel_reason) == ("green", "rule:interest")


def test_too_soon_asks_for_confirmation(db: Database, card: ClientCard) -> None:
    history.add_interaction(db, card.id, InteractionInput(occurred_at=T0))
    with pytest.raises(TooSoonError) as exc:
        history.add_interaction(db, card.id, InteractionInput(occurred_at=T0 + timedelta(days=1)))
    assert exc.value.last_contact == T0 and exc.value.gap_days == 2
    assert "Анна" in str(exc.value) and "5/6/24" in str(exc.value) and "2 days" in str(exc.value)
    assert interactions(db) == 1  # nothing stored

    history.add_interaction(
        db, card.id, InteractionInput(occurred_at=T0 + timedelta(days=1)), confirm_too_soon=True
    )
    assert interactions(db) == 2
    assert clients.get_client(db, card.id).last_contact_at == T0 + timedelta(days=1)
    # After the gap there is no question.
    history.add_interaction(db, card.id, InteractionInput(occurred_at=T0 + timedelta(days=3)))


def test_no_question_for_notes_old_entries_or_a_zero_gap(db: Database, card: ClientCard) -> None:
    history.add_interaction(db, card.id, InteractionInput(occurred_at=T0))
    history.add_interaction(db, card.id, InteractionInput(kind="note", occurred_at=T0 + timedelta(hours=1)))
    history.add_interaction(
        db, card.id, InteractionInput(occurred_at=T0 - timedelta(days=20))
    )  # entered late
    after = clients.get_client(db, card.id)
    assert after.last_contact_at == T0  # neither the note nor the older call moved it
    assert after.next_call_on == date(2024, 5, 20)
    settings.set_values(db, {"min_contact_gap_days": 0})
    history.add_interaction(db, card.id, InteractionInput(occurred_at=T0 + timedelta(hours=2)))
    assert interactions(db) == 4


def test_list_newest_first_with_limit(db: Database, card: ClientCard) -> None:
    for days in (0, 10, 5):
        history.add_interaction(
            db, card.id, InteractionInput(kind="note", occurred_at=T0 + timedelta(days=days), text=str(days))
        )
    assert [e.text for e in history.list_interactions(db, card.id)] == ["10", "5", "0"]
    assert [e.text for e in history.list_interactions(db, card.id, limit=2)] == ["10", "5"]
    with pytest.raises(NotFoundError):
        history.list_interactions(db, 999)


def test_bad_entries_are_refused_with_their_fields(db: Database, card: ClientCard) -> None:
    bad = InteractionInput(
        kind="fax", outcome="maybe", occurred_at=datetime.now() + timedelta(days=2), duration_seconds=-5
    )
    with pytest.raises(ValidationFailed) as exc:
        history.add_interaction(db, card.id, bad)
    assert [e.field for e in exc.value.errors] == ["kind", "outcome", "occurred_at", "duration_seconds"]
    assert "future" in str(exc.value)
    assert interactions(db) == 0
    with pytest.raises(NotFoundError):
        history.add_interaction(db, 999, InteractionInput())


def test_an_old_refusal_entered_late_does_not_turn_a_later_buyer_red(db: Database, card: ClientCard) -> None:
    purchases.add_purchase(db, card.id, PurchaseInput(date(2024, 6, 1), Decimal(100)))
    assert clients.get_client(db, card.id).funnel == "gold"
    # Typed in today, but the refusal happened before the purchase: history only.
    history.add_interaction(db, card.id, InteractionInput(occurred_at=T0, outcome="refused"))
    assert clients.get_client(db, card.id).funnel == "gold"
    # A refusal after the purchase still counts.
    history.add_interaction(
        db, card.id, InteractionInput(occurred_at=datetime(2024, 7, 1, 9, 0), outcome="refused")
    )
    assert clients.get_client(db, card.id).funnel == "gold-red"


def test_an_entry_older_than_a_marker_set_by_hand_keeps_that_marker(db: Database, card: ClientCard) -> None:
    clients.set_funnel(db, card.id, "yellow")
    history.add_interaction(db, card.id, InteractionInput(occurred_at=T0, outcome="refused"))
    assert clients.get_client(db, card.id).funnel == "yellow"
    assert len(history.list_interactions(db, card.id)) == 1  # still in the history
