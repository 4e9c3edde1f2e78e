"""The funnel board (counts, conversion between stages, temperatures) and the automatic marker rules
as the services apply them: purchases, refusals, end of cooperation and renewed interest."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, InteractionInput, PhoneInput, PurchaseInput
from custdesk.core.models import AuditEntry, Client
from custdesk.core.services import clients, funnel, history, purchases

T = datetime(2025, 1, 1, 9, 0)
T0 = datetime(2024, 3, 1, 10, 0)


def add_many(db: Database, marker: str, n: int, *, temperature: str = "warm", archived: bool = False) -> None:
    with db.session() as s:
        for i in range(n):
            s.add(
                Client(
                    external_id=f"{marker}-{i}-{archived}",
                    name=f"{marker} {i}",
                    funnel=marker,
                    temperature=temperature,
                    archived=archived,
                    created_at=T,
                    updated_at=T,
                )
            )


# --- the board --------------------------------------------------------------------------------------------


def test_board_counts_per_marker_and_conversion_between_stages(db: Database) -> None:
    for marker, n in [
        ("white", 10),
        ("green", 6),
        ("yellow", 4),
        ("gold-green", 3),
        ("gold", 5),
        ("platinum", 2),
        ("green-red", 4),
        ("gold-red", 3),
        ("platinum-red", 1),
    ]:
        add_many(db, marker, n)
    add_many(db, "gold", 50, archived=True)  # archived: not counted
    b = funnel.board(db)
    assert b.total == 38 and b.counts["gold"] == 5 and b.counts["platinum-red"] == 1
    # reached: platinum 2+1, gold 5+2+3+1, gold-green 3+11, yellow 4+14, green 6+18+4, white all.
    reached = {s.key: s.reached for s in b.stages}
    assert reached == {
        "white": 38,
        "green": 28,
        "yellow": 18,
        "gold-green": 14,
        "gold": 11,
        "platinum": 3,
    }
    conversions = {s.key: s.conversion for s in b.stages}
    assert conversions == {
        "white": None,
        "green": Fraction(28, 38),
        "yellow": Fraction(18, 28),
        "gold-green": Fraction(14, 18),
        "gold": Fraction(11, 14),
        "platinum": Fraction(3, 11),
    }
    gold = b.stage("gold")
    assert (gold.count, gold.red, gold.red_count) == (5, "gold-red", 3)
    assert b.stage("yellow").red is None
    assert b.stage("platinum").conversion_percent == Decimal("27.3")  # 3 / 11, one decimal, half up


def test_board_of_an_empty_base_and_unknown_values(db: Database) -> None:
    b = funnel.board(db)
    assert b.total == 0 and all(s.conversion is None for s in b.stages)
    assert b.temperatures == {"hot": 0, "warm": 0, "cold": 0}
    add_many(db, "blue", 2, temperature="lukewarm")  # from an old import
    add_many(db, "green", 1, temperature="hot")
    b = funnel.board(db)
    assert (b.total, b.other, b.other_temperature) == (3, 2, 2)
    assert b.stage("green").conversion == Fraction(1, 1)
    assert b.temperatures == {"hot": 1, "warm": 0, "cold": 0}


def test_temperature_counts(db: Database) -> None:
    add_many(db, "white", 3, temperature="hot")
    add_many(db, "gold", 2, temperature="cold")
    add_many(db, "gold", 4, temperature="cold", archived=True)
    assert funnel.board(db).temperatures == {"hot": 3, "warm": 0, "cold": 2}


# --- the rules through the services -----------------------------------------------------------------------


@pytest.fixture
def cid(db: Database) -> int:
    return clients.create_client(db, ClientInput(name="Olga", phones=(PhoneInput("+1 202 555 0199"),))).id


def buy(db: Database, client_id: int, n: int) -> None:
    for i in range(n):
        purchases.add_purchase(
            db, client_id, PurchaseInput(date(2024, 1, 1) + timedelta(days=i), Decimal(50))
        )


def state(db: Database, client_id: int) -> tuple[str, str]:
    card = clients.get_client(db, client_id)
    return card.funnel, card.funnel_reason


def test_first_purchase_gives_gold_the_third_platinum(db: Database, cid: int) -> None:
    assert state(db, cid) == ("white", "")
    buy(db, cid, 1)
    assert state(db, cid) == ("gold", "rule:first-purchase")
    buy(db, cid, 1)
    assert state(db, cid) == ("gold", "rule:first-purchase")
    buy(db, cid, 1)
    assert state(db, cid) == ("platinum", "rule:third-purchase")
    with db.session() as s:
        changes = s.scalars(
            select(AuditEntry.new).where(AuditEntry.field == "funnel", AuditEntry.entity_id == cid)
        ).all()
    assert changes == ["gold", "platinum"]


@pytest.mark.parametrize(
    ("bought", "outcome", "red"),
    [
        (0, "refused", "green-red"),
        (2, "refused", "gold-red"),
        (0, "ended", "green-red"),
        (1, "ended", "gold-red"),
        (3, "ended", "platinum-red"),
    ],
)
def test_refusal_and_end_of_cooperation_turn_red_by_the_history(
    db: Database, cid: int, bought: int, outcome: str, red: str
) -> None:
    buy(db, cid, bought)
    history.add_interaction(db, cid, InteractionInput(kind="meeting", occurred_at=T0, outcome=outcome))
    reason = "rule:refused" if outcome == "refused" else "rule:ended"
    assert state(db, cid) == (red, reason)
    assert clients.get_client(db, cid).funnel_changed_at is not None


def test_end_of_cooperation_recorded_as_a_note_also_turns_red(db: Database, cid: int) -> None:
    buy(db, cid, 3)
    history.add_interaction(db, cid, InteractionInput(kind="note", occurred_at=T0, outcome="ended"))
    assert state(db, cid) == ("platinum-red", "rule:ended")


@pytest.mark.parametrize(
    ("bought", "outcome", "after"),
    [
        (0, "interested", "gold-green"),
        (0, "mailing-ok", "yellow"),
        (2, "interested", "gold"),
        (4, "asked-info", "platinum"),
    ],
)
def test_renewed_interest_leaves_red(db: Database, cid: int, bought: int, outcome: str, after: str) -> None:
    buy(db, cid, bought)
    history.add_interaction(db, cid, InteractionInput(occurred_at=T0, outcome="ended"))
    assert state(db, cid)[0].endswith("-red")
    history.add_interaction(db, cid, InteractionInput(occurred_at=T0 + timedelta(days=20), outcome=outcome))
    assert state(db, cid) == (after, "rule:interest")


def test_a_plain_contact_keeps_red_and_a_new_purchase_leaves_it(db: Database, cid: int) -> None:
    buy(db, cid, 1)
    history.add_interaction(db, cid, InteractionInput(occurred_at=T0, outcome="refused"))
    history.add_interaction(
        db, cid, InteractionInput(occurred_at=T0 + timedelta(days=9), outcome="no-answer")
    )
    assert state(db, cid) == ("gold-red", "rule:refused")
    buy(db, cid, 1)
    assert state(db, cid) == ("gold", "rule:first-purchase")


def test_a_marker_set_by_hand_is_kept_with_its_reason_until_a_rule_moves_it(db: Database, cid: int) -> None:
    clients.set_funnel(db, cid, "yellow", who="maria")
    assert state(db, cid) == ("yellow", "manual")
    history.add_interaction(db, cid, InteractionInput(occurred_at=T0, outcome="presentation"))
    assert state(db, cid) == ("yellow", "manual")  # never back to green
    buy(db, cid, 1)
    assert state(db, cid) == ("gold", "rule:first-purchase")
    board = funnel.board(db)
    assert board.counts["gold"] == 1 and board.stage("gold").reached == 1
