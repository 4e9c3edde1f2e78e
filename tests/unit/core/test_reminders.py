"""Reminders of a client: add, list, complete, snooze."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientCard, ClientInput, EmailInput
from custdesk.core.errors import NotFoundError, ValidationFailed
from custdesk.core.models import AuditEntry
from custdesk.core.services import clients, reminders

TODAY = date.today()


@pytest.fixture
def card(db: Database) -> ClientCard:
    return clients.create_client(db, ClientInput(name="Liisa", emails=(EmailInput("liisa@example.fi"),)))


def test_add_list_complete(db: Database, card: ClientCard) -> None:
    later = reminders.add_reminder(db, card.id, "prolongation", TODAY + timedelta(days=30), "contract 12")
    sooner = reminders.add_reminder(
        db, card.id, "birthday", TODAY + timedelta(days=2), "  greet  ", who="anna"
    )
    assert sooner.text == "greet" and not sooner.done
    assert [r.id for r in reminders.list_reminders(db, card.id)] == [sooner.id, later.id]

    done = reminders.complete_reminder(db, sooner.id, who="anna")
    assert done.done and done.done_at is not None
    assert [r.id for r in reminders.list_reminders(db, card.id)] == [later.id]
    assert [r.id for r in reminders.list_reminders(db, card.id, include_done=True)] == [sooner.id, later.id]
    with db.session() as s:
        fields = [
            (e.action, e.field)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == sooner.id, AuditEntry.entity == "reminder")
            )
        ]
    assert fields == [("create", "due_on"), ("update", "done_at")]


def test_snooze_moves_and_reopens(db: Database, card: ClientCard) -> None:
    r = reminders.add_reminder(db, card.id, "call", TODAY, "call back")
    reminders.complete_reminder(db, r.id)
    moved = reminders.snooze_reminder(db, r.id, TODAY + timedelta(days=7))
    assert moved.due_on == TODAY + timedelta(days=7) and not moved.done
    with pytest.raises(ValidationFailed) as exc:
        reminders.snooze_reminder(db, r.id, TODAY - timedelta(days=1))
    assert exc.value.errors[0].field == "due_on"


def test_bad_reminders(db: Database, card: ClientCard) -> None:
    with pytest.raises(ValidationFailed) as exc:
        reminders.add_reminder(db, card.id, "party", TODAY, "")
    assert [e.field for e in exc.value.errors] == ["kind"]
    with pytest.raises(ValidationFailed) as exc:
        reminders.add_reminder(db, card.id, "custom", TODAY, "   ")
    assert [e.field for e in exc.value.errors] == ["text"]
    with pytest.raises(NotFoundError):
        reminders.add_reminder(db, 999, "call", TODAY, "")
    with pytest.raises(NotFoundError):
        reminders.complete_reminder(db, 999)
    assert reminders.list_reminders(db, card.id) == []


def test_a_reminder_may_carry_a_time_of_day(db: Database, card: ClientCard) -> None:
    from datetime import datetime, time

    whole_day = reminders.add_reminder(db, card.id, "call", TODAY, "any time")
    late = reminders.add_reminder(db, card.id, "call", TODAY, "after lunch", at=time(14, 30, 59))
    early = reminders.add_reminder(db, card.id, "custom", TODAY, "before opening", at=time(9, 5))
    assert (late.due_time, late.due_at) == (time(14, 30), datetime.combine(TODAY, time(14, 30)))
    assert whole_day.due_time is None and whole_day.due_at is None
    # On a day: the whole-day reminders first, then by the time.
    assert [r.id for r in reminders.list_reminders(db, card.id)] == [whole_day.id, early.id, late.id]
    assert [r.id for r in reminders.timed_reminders(db, TODAY, TODAY)] == [early.id, late.id]
    moved = reminders.snooze_reminder(db, late.id, TODAY + timedelta(days=1))
    assert (moved.due_on, moved.due_time) == (TODAY + timedelta(days=1), time(14, 30))
    reminders.complete_reminder(db, early.id)
    assert reminders.timed_reminders(db, TODAY, TODAY) == []
