"""The Today lists and the two row actions: calls, birthdays (year end, 29 February), prolongations."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.errors import NotFoundError, TooSoonError, ValidationFailed
from custdesk.core.models import AuditEntry, Client, Interaction, Phone
from custdesk.core.services import clients, history, settings, today

ON = date(2025, 6, 10)
T = datetime(2025, 1, 1, 9, 0)


def add(db: Database, name: str, **values: Any) -> int:
    """An active client made by a plain insert (the triggers fill birthday_md and primary_phone)."""
    phone = values.pop("phone", None)
    with db.session() as s:
        c = Client(external_id=f"X-{name}", name=name, created_at=T, updated_at=T, **values)
        if phone:
            c.phones.append(Phone(number=phone, is_primary=True))
        s.add(c)
        s.flush()
        return c.id


def names(entries: tuple[today.DueEntry, ...]) -> list[str]:
    return [e.name for e in entries]


# --- calls ------------------------------------------------------------------------------------------------


def test_overdue_and_today_split_with_the_client_fields(db: Database) -> None:
    a = add(db, "Ann", next_call_on=ON - timedelta(days=3), phone="+12025550101", temperature="cold")
    add(db, "Bob", next_call_on=ON - timedelta(days=1), temperature="hot")
    add(db, "Cid", next_call_on=ON, temperature="warm")
    add(db, "Dan", next_call_on=ON, temperature="hot")
    add(db, "Eve", next_call_on=ON + timedelta(days=1))
    add(db, "Fay", next_call_on=ON - timedelta(days=5), archived=True)
    add(db, "Gus", next_call_on=None)
    lists = today.due(db, ON)
    assert names(lists.overdue) == ["Ann", "Bob"]  # the longest overdue first; archived Fay left out
    assert names(lists.today) == ["Dan", "Cid"]  # hot before warm
    assert (lists.overdue_count, lists.today_count, lists.calls_count) == (2, 2, 4)
    ann = lists.overdue[0]
    assert (ann.client_id, ann.external_id, ann.phone, ann.reason) == (a, "X-Ann", "+12025550101", "overdue")
    assert (ann.due_on, ann.days, ann.temperature) == (ON - timedelta(days=3), -3, "cold")
    assert lists.today[0].phone is None and lists.today[0].days == 0


def test_limit_keeps_complete_counts(db: Database) -> None:
    for i in range(7):
        add(db, f"Late {i}", next_call_on=ON - timedelta(days=10 - i))
    lists = today.due(db, ON, limit=3)
    assert names(lists.overdue) == ["Late 0", "Late 1", "Late 2"]
    assert lists.overdue_count == 7
    assert len(today.due(db, ON, limit=None).overdue) == 7


# --- birthdays --------------------------------------------------------------------------------------------


def test_birthdays_today_and_this_week(db: Database) -> None:
    add(db, "Today", birthday=date(1980, 6, 10))
    add(db, "Sixth day", birthday=date(1990, 6, 16))
    add(db, "Eighth day", birthday=date(1990, 6, 17))
    add(db, "Yesterday", birthday=date(1990, 6, 9))
    add(db, "Archived", birthday=date(1990, 6, 11), archived=True)
    lists = today.due(db, ON)
    assert names(lists.birthdays) == ["Today", "Sixth day"]
    assert names(lists.birthdays_today) == ["Today"]
    first = lists.birthdays[0]
    assert (first.reason, first.due_on, first.days, first.age) == ("birthday", ON, 0, 45)
    assert lists.birthdays[1].due_on == date(2025, 6, 16) and lists.birthdays[1].days == 6


def test_birthdays_across_the_year_end(db: Database) -> None:
    on = date(2025, 12, 28)  # the window is 28 December 2025 to 3 January 2026
    add(db, "Dec 27", birthday=date(1970, 12, 27))
    add(db, "Dec 28", birthday=date(1970, 12, 28))
    add(db, "Dec 31", birthday=date(1970, 12, 31))
    add(db, "Jan 1", birthday=date(1970, 1, 1))
    add(db, "Jan 3", birthday=date(1970, 1, 3))
    add(db, "Jan 4", birthday=date(1970, 1, 4))
    lists = today.due(db, on)
    assert names(lists.birthdays) == ["Dec 28", "Dec 31", "Jan 1", "Jan 3"]
    assert [e.due_on for e in lists.birthdays][2:] == [date(2026, 1, 1), date(2026, 1, 3)]
    assert lists.birthdays[2].age == 56  # the age reached in the new year


def test_29_february_is_celebrated_on_28_february_in_a_common_year(db: Database) -> None:
    add(db, "Leapling", birthday=date(2000, 2, 29))
    add(db, "Feb 28", birthday=date(1999, 2, 28))
    common = today.due(db, date(2025, 2, 25))
    assert [(e.name, e.due_on) for e in common.birthdays] == [
        ("Feb 28", date(2025, 2, 28)),
        ("Leapling", date(2025, 2, 28)),
    ]
    assert names(today.due(db, date(2025, 2, 28)).birthdays_today) == ["Feb 28", "Leapling"]
    assert names(today.due(db, date(2025, 3, 1)).birthdays) == []  # it was yesterday
    leap = today.due(db, date(2028, 2, 25))
    assert [(e.name, e.due_on) for e in leap.birthdays] == [
        ("Feb 28", date(2028, 2, 28)),
        ("Leapling", date(2028, 2, 29)),
    ]
    assert names(today.due(db, date(2028, 3, 1)).birthdays) == []
    assert today.celebrated_on(229, 2027) == date(2027, 2, 28)


def test_a_changed_birthday_moves_the_entry(db: Database) -> None:
    cid = add(db, "Moved", birthday=date(1980, 1, 1))
    assert names(today.due(db, ON).birthdays) == []
    with db.session() as s:
        s.get(Client, cid).birthday = date(1980, 6, 12)  # type: ignore[union-attr]
    assert names(today.due(db, ON).birthdays) == ["Moved"]


# --- prolongations ----------------------------------------------------------------------------------------


def test_prolongation_window_includes_both_edges(db: Database) -> None:
    add(db, "Ended yesterday", contract_end=ON - timedelta(days=1))
    add(db, "Ends today", contract_end=ON, contract_no="K-1")
    add(db, "Ends day 30", contract_end=ON + timedelta(days=30))
    add(db, "Ends day 31", contract_end=ON + timedelta(days=31))
    add(db, "Archived", contract_end=ON + timedelta(days=2), archived=True)
    lists = today.due(db, ON)
    assert names(lists.prolongations) == ["Ends today", "Ends day 30"]
    assert (lists.prolongations[0].contract_no, lists.prolongations[1].days) == ("K-1", 30)
    assert lists.prolongation_days_ahead == 30

    settings.set_values(db, {"prolongation_days_ahead": 31})
    assert names(today.due(db, ON).prolongations) == ["Ends today", "Ends day 30", "Ends day 31"]
    settings.set_values(db, {"prolongation_days_ahead": 0})
    assert names(today.due(db, ON).prolongations) == ["Ends today"]


# --- logging a call and snoozing --------------------------------------------------------------------------


@pytest.fixture
def anna(db: Database) -> int:
    card = clients.create_client(
        db, ClientInput(name="Anna", temperature="warm", phones=(PhoneInput("+1 202 555 0101"),))
    )
    return card.id


def test_log_call_stores_a_call_and_reschedules_by_the_cycle(db: Database, anna: int) -> None:
    result = today.log_call(db, anna, "reached", "Wants the spring catalogue", who="maria")
    assert result.next_call_on == date.today() + timedelta(days=14)  # warm: 14 days
    with db.session() as s:
        row = s.scalars(select(Interaction).where(Interaction.client_id == anna)).one()
        assert (row.kind, row.outcome, row.text, row.created_by) == (
            "call",
            "reached",
            "Wants the spring catalogue",
            "maria",
        )
        journal = s.scalars(select(AuditEntry).where(AuditEntry.entity == "interaction")).all()
        assert [e.who for e in journal] == ["maria"]
    card = clients.get_client(db, anna)
    assert card.next_call_on == date.today() + timedelta(days=14)
    assert card.last_contact_at is not None and card.last_contact_at.date() == date.today()
    assert today.due(db, date.today()).today_count == 0


def test_log_call_follows_the_override_and_the_temperature(db: Database, anna: int) -> None:
    data = clients.get_client(db, anna).to_input()
    clients.update_client(db, anna, ClientInput(**{**data.__dict__, "call_cycle_days": 5}))
    assert today.log_call(db, anna, "reached").next_call_on == date.today() + timedelta(days=5)

    other = clients.create_client(
        db, ClientInput(name="Hot", temperature="hot", phones=(PhoneInput("+1 202 555 0102"),))
    )
    settings.set_values(db, {"call_cycle_hot_days": 4})
    assert today.log_call(db, other.id, "no-answer").next_call_on == date.today() + timedelta(days=4)


def test_log_call_sooner_than_the_minimum_gap_asks_first(db: Database, anna: int) -> None:
    today.log_call(db, anna, "reached")
    with pytest.raises(TooSoonError) as exc:
        today.log_call(db, anna, "reached", "again")
    assert exc.value.gap_days == 2
    with db.session() as s:
        assert len(s.scalars(select(Interaction)).all()) == 1  # nothing stored
    today.log_call(db, anna, "reached", "again", confirm_too_soon=True)
    with db.session() as s:
        assert len(s.scalars(select(Interaction)).all()) == 2
    settings.set_values(db, {"min_contact_gap_days": 0})
    today.log_call(db, anna, "reached")  # no gap: no question


def test_log_call_outcome_applies_the_funnel_rules(db: Database, anna: int) -> None:
    result = today.log_call(db, anna, "refused")
    assert (result.funnel, result.funnel_changed) == ("green-red", True)
    assert clients.get_client(db, anna).funnel_reason == "rule:refused"
    with pytest.raises(ValidationFailed):
        today.log_call(db, anna, "no-such-outcome", confirm_too_soon=True)
    with pytest.raises(NotFoundError):
        today.log_call(db, 9999, "reached")


def test_snooze_moves_the_next_call_and_journals_it(db: Database, anna: int) -> None:
    before = clients.get_client(db, anna).next_call_on
    to = date.today() + timedelta(days=7)
    assert today.snooze(db, anna, to, who="maria") == to
    assert clients.get_client(db, anna).next_call_on == to
    with db.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.field == "next_call_on", AuditEntry.entity_id == anna)
        ).one()
        assert (entry.old, entry.new, entry.who) == (
            before.isoformat() if before else None,
            to.isoformat(),
            "maria",
        )
    today.snooze(db, anna, to)  # the same day again: nothing to journal
    with db.session() as s:
        assert len(s.scalars(select(AuditEntry).where(AuditEntry.field == "next_call_on")).all()) == 1
    assert [e.client_id for e in today.due(db, to).today] == [anna]


def test_snooze_refuses_a_day_in_the_past(db: Database, anna: int) -> None:
    with pytest.raises(ValidationFailed) as exc:
        today.snooze(db, anna, date.today() - timedelta(days=1))
    assert exc.value.errors[0].field == "next_call_on"
    assert clients.get_client(db, anna).next_call_on == date.today()
    history.list_interactions(db, anna)  # the client is untouched and readable
