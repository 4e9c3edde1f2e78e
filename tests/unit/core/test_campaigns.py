"""Call campaigns: the spread over working days, the calls-a-day limit, who is left out, the next calls and
reminders written in one transaction, and the progress (called, reached, bought afterwards)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput, InteractionInput, PhoneInput, PurchaseInput
from custdesk.core.models import AuditEntry, Reminder
from custdesk.core.services import clients, history, purchases, settings
from custdesk.core.services.campaigns import (
    CampaignError,
    campaign_progress,
    create_campaign,
    plan_campaign,
    spread,
    working_days,
)
from custdesk.core.services.mailings import Audience

FRIDAY = date(2025, 3, 7)


def test_working_days_skip_the_weekend_and_follow_the_setting() -> None:
    assert working_days(FRIDAY, 3, [0, 1, 2, 3, 4]) == [
        date(2025, 3, 7),
        date(2025, 3, 10),
        date(2025, 3, 11),
    ]
    # Saturday to Thursday (a shop in Iran): Friday is the day off.
    assert working_days(FRIDAY, 2, [5, 6, 0, 1, 2, 3]) == [date(2025, 3, 8), date(2025, 3, 9)]


@given(n=st.integers(0, 400), days=st.integers(1, 30), per_day=st.integers(1, 40))
def test_the_spread_is_even_and_never_over_the_limit(n: int, days: int, per_day: int) -> None:
    if n > days * per_day:
        return
    day_list = working_days(FRIDAY, days, [0, 1, 2, 3, 4])
    counts = Counter(spread(n, day_list, per_day))
    assert sum(counts.values()) == n
    assert all(c <= per_day for c in counts.values())
    per = [counts.get(d, 0) for d in day_list]
    assert max(per) - min(per) <= 1
    assert per == sorted(per, reverse=True)  # the first days get the one more


@pytest.fixture
def ids(db: Database) -> list[int]:
    settings.set_values(db, {"phone_region": "FI"})
    made = []
    for n in range(7):
        phones = (PhoneInput(f"040 123 45{n:02d}"),) if n != 6 else ()
        emails = (EmailInput(f"c{n}@example.org"),) if n == 6 else ()
        made.append(
            clients.create_client(db, ClientInput(name=f"Client {n}", phones=phones, emails=emails)).id
        )
    purchases.add_purchase(db, made[3], PurchaseInput(date(2025, 1, 10), Decimal("500.00")))
    return made


def test_a_campaign_spreads_its_calls_and_writes_the_next_calls(db: Database, ids: list[int]) -> None:
    plan = plan_campaign(
        db,
        "Spring",
        Audience(ids=tuple(ids)),
        days=3,
        per_day=2,
        first_day=FRIDAY,
        today=FRIDAY - timedelta(1),
    )
    assert plan.days == (date(2025, 3, 7), date(2025, 3, 10), date(2025, 3, 11))
    assert plan.per_day() == {date(2025, 3, 7): 2, date(2025, 3, 10): 2, date(2025, 3, 11): 2}
    assert plan.calls[0].client_id == ids[3]  # the one who bought is called first
    assert [(e.client_id, e.reason) for e in plan.left_out] == [(ids[6], "no-phone")]

    made = create_campaign(db, plan, note="offer the spring collection", per_day=2, who="anna")
    assert made.campaign_id is not None
    for call in plan.calls:
        assert clients.get_client(db, call.client_id).next_call_on == call.due_on
    with db.session() as s:
        texts = {r.client_id: (r.kind, r.due_on, r.text) for r in s.scalars(select(Reminder))}
        journal = s.scalars(select(AuditEntry).where(AuditEntry.entity == "campaign")).one()
    assert texts[ids[3]] == ("call", date(2025, 3, 7), "Campaign Spring: offer the spring collection")
    assert (journal.who, journal.field) == ("anna", "Spring")


def test_too_many_clients_for_the_days_is_refused_and_nothing_is_written(
    db: Database, ids: list[int]
) -> None:
    with pytest.raises(
        CampaignError, match=r"more clients \(6\) than calls that fit: 2 working days × 2 calls a day = 4\."
    ):
        plan_campaign(db, "Spring", Audience(ids=tuple(ids)), days=2, per_day=2, first_day=FRIDAY)
    with pytest.raises(CampaignError, match="name"):
        plan_campaign(db, "  ", Audience(ids=tuple(ids)), days=2, per_day=5)
    with pytest.raises(CampaignError, match="calls a day"):
        plan_campaign(db, "X", Audience(ids=tuple(ids)), days=2, per_day=0)
    plan = plan_campaign(db, "Spring", Audience(ids=tuple(ids)), days=3, per_day=2, first_day=FRIDAY)
    create_campaign(db, plan, per_day=2)
    with pytest.raises(CampaignError, match="already a campaign named Spring"):
        plan_campaign(db, "Spring", Audience(ids=tuple(ids)), days=3, per_day=2)


def test_progress_counts_called_reached_and_bought(db: Database, ids: list[int]) -> None:
    today = date.today()
    plan = plan_campaign(db, "Spring", Audience(ids=tuple(ids[:4])), days=2, per_day=2, first_day=today)
    made = create_campaign(db, plan, per_day=2)
    assert made.campaign_id is not None
    progress = campaign_progress(db, made.campaign_id)
    assert (progress.clients, progress.called, progress.reached, progress.bought) == (4, 0, 0, 0)
    now = datetime.now()
    history.add_interaction(
        db, ids[0], InteractionInput(occurred_at=now, outcome="reached"), confirm_too_soon=True
    )
    history.add_interaction(
        db, ids[1], InteractionInput(occurred_at=now, outcome="no-answer"), confirm_too_soon=True
    )
    purchases.add_purchase(db, ids[0], PurchaseInput(today, Decimal("80.00")))
    progress = campaign_progress(db, name="Spring")
    assert (progress.called, progress.reached, progress.bought, progress.revenue) == (
        2,
        1,
        1,
        Decimal("80.00"),
    )
