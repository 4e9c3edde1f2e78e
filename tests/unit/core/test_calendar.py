"""The calendar: calls, campaign calls, reminders (with a time), birthdays and contract ends by day, and
moving a call to another day with the minimum-gap question."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, InteractionInput, PhoneInput
from custdesk.core.errors import TooSoonError, ValidationFailed
from custdesk.core.models import AuditEntry, CampaignCall
from custdesk.core.services import clients, history, reminders, settings
from custdesk.core.services.calendar import entries_between, move_call
from custdesk.core.services.campaigns import create_campaign, plan_campaign
from custdesk.core.services.mailings import Audience

TODAY = date.today()


@pytest.fixture
def ids(db: Database) -> list[int]:
    settings.set_values(db, {"phone_region": "FI", "min_contact_gap_days": 2})

    def add(name: str, **kw: object) -> int:
        return clients.create_client(
            db, ClientInput(name=name, phones=(PhoneInput("040 123 4567"),), **kw)
        ).id  # type: ignore[arg-type]

    return [
        add("Aino", birthday=date(1990, (TODAY + timedelta(days=2)).month, (TODAY + timedelta(days=2)).day)),
        add("Bertta", contract_end=TODAY + timedelta(days=3), contract_no="K-7"),
        add("Cecilia"),
    ]


def test_a_span_lists_each_kind_on_its_day(db: Database, ids: list[int]) -> None:
    plan = plan_campaign(
        db, "Spring", Audience(ids=(ids[2],)), days=1, per_day=5, first_day=TODAY + timedelta(1)
    )
    create_campaign(db, plan, note="offer", per_day=5)
    reminders.add_reminder(
        db, ids[1], "custom", TODAY + timedelta(days=1), "send the price list", at=time(15, 0)
    )
    span = entries_between(db, TODAY, TODAY + timedelta(days=6))
    found = {(e.day - TODAY).days: [] for e in span}
    for e in span:
        found[(e.day - TODAY).days].append((e.kind, e.name, e.text, e.at))
    assert ("campaign", "Cecilia", "Spring", None) in found[1]
    assert ("reminder", "Bertta", "send the price list", time(15, 0)) in found[1]
    assert ("birthday", "Aino", "", None) in found[2]
    assert ("contract", "Bertta", "K-7", None) in found[3]
    assert not any(
        kind == "reminder" and name == "Cecilia" for kind, name, _t, _a in found[1]
    )  # its own call


def test_dragging_a_call_asks_when_it_comes_too_soon_after_the_last_contact(
    db: Database, ids: list[int]
) -> None:
    history.add_interaction(db, ids[2], InteractionInput(occurred_at=datetime.now(), outcome="reached"))
    with pytest.raises(TooSoonError, match="less than 2 days ago"):
        move_call(db, ids[2], TODAY + timedelta(days=1))
    assert clients.get_client(db, ids[2]).next_call_on != TODAY + timedelta(days=1)
    move_call(db, ids[2], TODAY + timedelta(days=1), confirm_too_soon=True, who="anna")
    assert clients.get_client(db, ids[2]).next_call_on == TODAY + timedelta(days=1)
    move_call(db, ids[2], TODAY + timedelta(days=5))  # far enough: no question
    assert clients.get_client(db, ids[2]).next_call_on == TODAY + timedelta(days=5)
    with db.session() as s:
        moves = s.scalars(select(AuditEntry).where(AuditEntry.field == "next_call_on")).all()
    assert [m.who for m in moves][-2:] == ["anna", moves[-1].who]
    with pytest.raises(ValidationFailed):
        move_call(db, ids[2], TODAY - timedelta(days=1))


def test_a_campaign_call_moves_with_the_drag(db: Database, ids: list[int]) -> None:
    plan = plan_campaign(
        db, "Spring", Audience(ids=(ids[0],)), days=1, per_day=5, first_day=TODAY + timedelta(1)
    )
    create_campaign(db, plan, per_day=5)
    move_call(db, ids[0], TODAY + timedelta(days=4))
    with db.session() as s:
        assert s.scalars(select(CampaignCall.due_on)).one() == TODAY + timedelta(days=4)
    kinds = {
        (e.day, e.kind)
        for e in entries_between(db, TODAY, TODAY + timedelta(days=6))
        if e.client_id == ids[0]
    }
    assert (TODAY + timedelta(days=4), "campaign") in kinds
