"""Purchases: the client's figures kept in step, the funnel by purchases, returns, exact money."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientCard, ClientInput, PhoneInput, PurchaseInput, PurchaseTotals
from custdesk.core.errors import NotFoundError, ValidationFailed
from custdesk.core.models import AuditEntry, Client
from custdesk.core.services import clients, purchases, settings

D = date(2024, 3, 1)


@pytest.fixture
def card(db: Database) -> ClientCard:
    settings.set_values(db, {"phone_region": "RU"})
    return clients.create_client(db, ClientInput(name="Олег", phones=(PhoneInput("+7 912 345 67 89"),)))


def buy(db: Database, client_id: int, days: int, amount: str, **values: object) -> int:
    data = PurchaseInput(D + timedelta(days=days), Decimal(amount), **values)  # type: ignore[arg-type]
    return purchases.add_purchase(db, client_id, data, who="seller").id


def test_first_purchase_gold_third_platinum(db: Database, card: ClientCard) -> None:
    buy(db, card.id, 0, "100")
    after = clients.get_client(db, card.id)
    assert (after.funnel, after.funnel_reason, after.purchase_count) == ("gold", "rule:first-purchase", 1)
    buy(db, card.id, 1, "100")
    assert clients.get_client(db, card.id).funnel == "gold"
    buy(db, card.id, 2, "100")
    after = clients.get_client(db, card.id)
    assert (after.funnel, after.funnel_reason, after.purchase_count) == ("platinum", "rule:third-purchase", 3)
    with db.session() as s:
        funnel = [(e.old, e.new) for e in s.scalars(select(AuditEntry).where(AuditEntry.field == "funnel"))]
    assert funnel == [("white", "gold"), ("gold", "platinum")]


def test_returns_and_zero_amounts_do_not_count(db: Database, card: ClientCard) -> None:
    buy(db, card.id, 0, "1000.50", profit=Decimal("200.10"))
    buy(db, card.id, 5, "-300.25", items="returned one")
    buy(db, card.id, 6, "0")
    after = clients.get_client(db, card.id)
    assert after.purchase_count == 1
    assert after.revenue_total == Decimal("700.25")
    assert after.last_purchase_on == D  # the return is later but is no purchase
    assert after.funnel == "gold"
    assert purchases.purchase_totals(db, card.id) == PurchaseTotals(
        count=1, total=Decimal("700.25"), profit=Decimal("200.10"), first=D, last=D, average=Decimal("700.25")
    )


def test_money_stays_exact(db: Database, card: ClientCard) -> None:
    for _ in range(10):
        buy(db, card.id, 0, "0.10")
    buy(db, card.id, 0, "0.20")
    totals = purchases.purchase_totals(db, card.id)
    assert totals.total == Decimal("1.20") and isinstance(totals.total, Decimal)
    assert totals.average == Decimal("0.11")
    assert totals.profit is None
    with db.session() as s:
        assert s.get(Client, card.id).revenue_total == Decimal("1.20")  # type: ignore[union-attr]


def test_empty_totals(db: Database, card: ClientCard) -> None:
    assert purchases.purchase_totals(db, card.id) == PurchaseTotals(0, Decimal(0), None, None, None, None)


def test_bad_purchases_are_refused(db: Database, card: ClientCard) -> None:
    with pytest.raises(TypeError):
        purchases.add_purchase(db, card.id, PurchaseInput(D, 10.5))  # type: ignore[arg-type]
    bad = PurchaseInput(
        date.today() + timedelta(days=1), Decimal("1.005"), profit=Decimal("1e20"), document_no="x" * 65
    )
    with pytest.raises(ValidationFailed) as exc:
        purchases.add_purchase(db, card.id, bad)
    assert [e.field for e in exc.value.errors] == ["purchased_on", "amount", "profit", "document_no"]
    assert "two decimal places" in str(exc.value)
    assert purchases.list_purchases(db, card.id) == []
    with pytest.raises(NotFoundError):
        purchases.add_purchase(db, 999, PurchaseInput(D, Decimal(1)))


def test_update_and_delete_keep_figures_and_journal(db: Database, card: ClientCard) -> None:
    first = buy(db, card.id, 0, "100")
    second = buy(db, card.id, 10, "50", document_no="INV-2")
    updated = purchases.update_purchase(
        db, second, PurchaseInput(D + timedelta(days=12), Decimal("75.5"), document_no="INV-2")
    )
    assert updated.amount == Decimal("75.50")
    after = clients.get_client(db, card.id)
    assert (after.revenue_total, after.last_purchase_on) == (Decimal("175.50"), D + timedelta(days=12))

    gone = purchases.delete_purchase(db, second, who="boss")
    assert gone.id == second
    after = clients.get_client(db, card.id)
    assert (after.purchase_count, after.revenue_total, after.last_purchase_on) == (1, Decimal("100.00"), D)
    assert [p.id for p in purchases.list_purchases(db, card.id)] == [first]

    with db.session() as s:
        rows = list(
            s.scalars(
                select(AuditEntry).where(AuditEntry.entity == "purchase", AuditEntry.entity_id == second)
            )
        )
    assert [(r.action, r.field) for r in rows] == [
        ("create", ""),
        ("update", "purchased_on"),
        ("update", "amount"),
        ("delete", ""),
    ]
    assert (rows[2].old, rows[2].new) == ("50.00", "75.50")
    deleted = json.loads(rows[3].old or "")
    assert deleted == {
        "client_id": card.id,
        "purchased_on": "2024-03-13",
        "amount": "75.50",
        "profit": None,
        "items": "",
        "document_no": "INV-2",
    }
    with pytest.raises(NotFoundError):
        purchases.delete_purchase(db, second)


def test_list_newest_first(db: Database, card: ClientCard) -> None:
    ids = [buy(db, card.id, days, "10") for days in (5, 0, 9)]
    assert [p.id for p in purchases.list_purchases(db, card.id)] == [ids[2], ids[0], ids[1]]
