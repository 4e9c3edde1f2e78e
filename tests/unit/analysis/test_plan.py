"""The monthly sales plan: set, read, remove (journalled), and fulfilment against actual revenue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from custdesk.analysis.plan import get_plan, plan_vs_actual, set_plan
from custdesk.core.db import Database
from custdesk.core.errors import ValidationFailed
from custdesk.core.models import AuditEntry, SalesPlan
from tests.unit.analysis._sales import add_purchases, make_clients


def test_plan_and_fulfilment(db: Database) -> None:
    ids = make_clients(db, 1)
    add_purchases(
        db, ids, [(0, "2024-01-31", "150.00"), (0, "2024-02-01", "20.00"), (0, "2024-03-05", "1.00")]
    )
    set_plan(db, date(2024, 1, 17), Decimal("200.00"))  # any day names its month
    set_plan(db, date(2024, 2, 1), Decimal("0"))
    assert get_plan(db, date(2024, 1, 1)) == Decimal("200.00")
    months = plan_vs_actual(db, date(2024, 1, 1), date(2024, 3, 1))
    assert [(m.month, m.plan, m.actual, m.fulfilment) for m in months] == [
        (date(2024, 1, 1), Decimal("200.00"), Decimal("150.00"), Decimal("75.00")),
        (date(2024, 2, 1), Decimal("0.00"), Decimal("20.00"), None),
        (date(2024, 3, 1), None, Decimal("1.00"), None),
    ]


def test_changes_are_journalled_and_removable(db: Database) -> None:
    set_plan(db, date(2024, 5, 1), Decimal("10.00"), who="owner")
    set_plan(db, date(2024, 5, 1), Decimal("12.50"), who="owner")
    set_plan(db, date(2024, 5, 1), None, who="owner")
    with db.session() as s:
        assert s.scalars(select(SalesPlan)).all() == []
        journal = s.execute(
            select(AuditEntry.old, AuditEntry.new)
            .where(AuditEntry.entity == "sales_plan")
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(j) for j in journal] == [(None, "10.00"), ("10.00", "12.50"), ("12.50", None)]


def test_a_negative_plan_is_refused(db: Database) -> None:
    with pytest.raises(ValidationFailed):
        set_plan(db, date(2024, 5, 1), Decimal("-1"))
    assert get_plan(db, date(2024, 5, 1)) is None
