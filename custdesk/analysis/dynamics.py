"""Sales dynamics: revenue and buying clients per month, quarter or year, beside a year earlier.

Each bucket of the window is compared with the same bucket a year earlier *cut the same way*: the
comparison window is the analysis window shifted back one year, so a month the window cuts at the 22nd
is compared with the same month a year earlier up to its 22nd. Changes are Decimal shares (0.25 = +25 %),
None where the year-earlier figure is zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from custdesk.analysis._sums import revenue_per_bucket
from custdesk.analysis.clients import cents_to_money
from custdesk.analysis.period import Bucket, BucketSize, Period, bucket_of, buckets, check_bucket_size
from custdesk.core.db import Database

MIN_YEARS = 3


@dataclass(frozen=True)
class DynamicsRow:
    """One bucket: its revenue and buyers, and the same bucket a year earlier."""

    bucket: Bucket
    revenue: Decimal
    buyers: int
    revenue_year_ago: Decimal
    buyers_year_ago: int
    revenue_change: Decimal | None
    buyers_change: Decimal | None


def _change(now: Decimal | int, before: Decimal | int) -> Decimal | None:
    if not before:
        return None
    return ((Decimal(now) - Decimal(before)) / Decimal(before)).quantize(Decimal("0.0001"))


def _shift_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def dynamics_period(end: date, size: BucketSize, years: int = MIN_YEARS) -> Period:
    """The last ``years`` years ending on ``end``, widened back to the start of its first bucket."""
    last = Period.last_years(years, end)
    return Period(bucket_of(last.start, size).start, end)


def sales_dynamics(
    db: Database, size: str, end: date, years: int = MIN_YEARS, period: Period | None = None
) -> list[DynamicsRow]:
    """Revenue and buying clients per bucket, each beside the same bucket a year earlier.

    Args:
        db: the open base.
        size: ``"month"``, ``"quarter"`` or ``"year"``.
        end: the last day shown (usually today).
        years: how many years back (at least 3 per DOMAIN.md; fewer is refused to 3).
        period: an explicit window instead of ``years`` before ``end``.
    """
    bucket = check_bucket_size(size)
    window = period or dynamics_period(end, bucket, max(years, MIN_YEARS))
    earlier = Period(_shift_back(window.start), _shift_back(window.end))
    with db.session() as s:
        now = revenue_per_bucket(s, window, bucket)
        before = revenue_per_bucket(s, earlier, bucket)
    per_year = {"month": 12, "quarter": 4, "year": 1}[bucket]
    rows = []
    for b in buckets(window, bucket):
        revenue, buyers = now.get(b.ordinal, (0, 0))
        revenue_ago, buyers_ago = before.get(b.ordinal - per_year, (0, 0))
        rows.append(
            DynamicsRow(
                b,
                cents_to_money(revenue),
                buyers,
                cents_to_money(revenue_ago),
                buyers_ago,
                _change(revenue, revenue_ago),
                _change(buyers, buyers_ago),
            )
        )
    return rows


__all__ = ["MIN_YEARS", "DynamicsRow", "dynamics_period", "sales_dynamics"]
