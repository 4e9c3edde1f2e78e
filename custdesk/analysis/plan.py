"""The sales plan per month and how it is met: plan, actual revenue, fulfilment %.

A plan is set for a calendar month (any day of it names the month) by the owner; setting it is a change
to the base, journalled in one transaction. Fulfilment is ``actual / plan * 100`` (Decimal, two places;
None without a plan or with a zero plan).

The current month is *partial*: only its days up to today have passed. Beside its fulfilment (actual
to date against the whole month's plan) it has a fulfilment *to date*: the actual against the plan
prorated to the days passed, ``actual / (plan * days_passed / days_in_month) * 100``, the figure that
says whether the month is on course.
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
    """One month: its plan (None: none set), actual revenue and fulfilment in per cent.

    ``days_passed`` of its ``days`` have passed (all of them for a past month, none for a future one);
    a month with some but not all days passed is :attr:`partial`.
    """

    month: date
    plan: Decimal | None
    actual: Decimal
    fulfilment: Decimal | None
    days: int = 31
    days_passed: int = 31

    @property
    def partial(self) -> bool:
        """Whether the month is under way: some, not all, of its days have passed."""
        return 0 < self.days_passed < self.days

    @property
    def future(self) -> bool:
        """Whether none of the month's days has passed yet."""
        return self.days_passed == 0

    @property
    def prorated_plan(self) -> Decimal | None:
        """The plan for the days passed: ``plan * days_passed / days`` (two places; None without a plan)."""
        if self.plan is None:
            return None
        return (self.plan * self.days_passed / self.days).quantize(Decimal("0.01"))

    @property
    def fulfilment_to_date(self) -> Decimal | None:
        """Actual against :attr:`prorated_plan`, in per cent (two places); None without a plan or days."""
        prorated = self.prorated_plan
        if not prorated:
            return None
        return (self.actual / prorated * 100).quantize(Decimal("0.01"))


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


def plan_vs_actual(
    db: Database, first_month: date, last_month: date, *, today: date | None = None
) -> list[PlanMonth]:
    """Plan, actual revenue and fulfilment for every month from ``first_month`` to ``last_month``.

    ``today`` (default: the real today) says how many days of each month have passed.
    """
    today = today or date.today()
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
        days = (b.end - b.start).days + 1
        passed = min(days, max(0, (today - b.start).days + 1))
        result.append(PlanMonth(b.start, plan, revenue, fulfilment, days, passed))
    return result


__all__ = ["PlanMonth", "get_plan", "plan_vs_actual", "set_plan"]
