"""The sales plan per month and how it is met: plan, actual revenue, fulfilment %.

A plan is set for a calendar month (any day of it names the month) by the owner; setting it is a change
to the base, journalled in one transaction. Fulfilment is ``actual / plan * 100`` (Decimal, two places;
None without a plan or with a zero plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from custdesk.analysis._sums import revenue_per_bucket
from custdesk.analysis.clients import cents_to_money
from custdesk.analysis.period import Period, bucket_of, buckets, refuse
from custdesk.core.db import Database
from custdesk.core.models import SalesPlan
from custdesk.core.services.audit import record
from custdesk.i18n import _


@dataclass(frozen=True)
class PlanMonth:
    """One month: its plan (None: none set), actual revenue and fulfilment in per cent."""

    month: date
    plan: Decimal | None
    actual: Decimal
    fulfilment: Decimal | None


def _first_day(month: date) -> date:
    return month.replace(day=1)


def set_plan(db: Database, month: date, amount: Decimal | None, *, who: str | None = None) -> None:
    """Set (or with None remove) the plan of the month holding ``month``; journalled.

    Raises:
        ValidationFailed: a negative amount.
    """
    if amount is not None and amount < 0:
        raise refuse("amount", _("A sales plan cannot be negative."))
    key = _first_day(month)
    with db.session() as s:
        row = s.scalars(select(SalesPlan).where(SalesPlan.month == key)).one_or_none()
        old = row.amount if row is not None else None
        if old == amount:
            return
        if amount is None:
            assert row is not None
            s.delete(row)
        elif row is None:
            s.add(SalesPlan(month=key, amount=amount))
        else:
            row.amount = amount
        s.flush()
        record(s, "update", "sales_plan", None, field=key.isoformat(), old=old, new=amount, who=who)


def get_plan(db: Database, month: date) -> Decimal | None:
    """The plan of the month holding ``month`` (None when none is set)."""
    with db.session() as s:
        return s.scalars(select(SalesPlan.amount).where(SalesPlan.month == _first_day(month))).one_or_none()


def plan_vs_actual(db: Database, first_month: date, last_month: date) -> list[PlanMonth]:
    """Plan, actual revenue and fulfilment for every month from ``first_month`` to ``last_month``."""
    period = Period(_first_day(first_month), bucket_of(last_month, "month").end)
    with db.session() as s:
        plans = {
            m: a
            for m, a in s.execute(
                select(SalesPlan.month, SalesPlan.amount).where(
                    SalesPlan.month.between(period.start, period.end)
                )
            )
        }
        actual = revenue_per_bucket(s, period, "month")
    result = []
    for b in buckets(period, "month"):
        plan = plans.get(b.start)
        revenue = cents_to_money(actual.get(b.ordinal, (0, 0))[0])
        fulfilment = (revenue / plan * 100).quantize(Decimal("0.01")) if plan else None
        result.append(PlanMonth(b.start, plan, revenue, fulfilment))
    return result


__all__ = ["PlanMonth", "get_plan", "plan_vs_actual", "set_plan"]
