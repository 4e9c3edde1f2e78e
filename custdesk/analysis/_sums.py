"""Revenue and buying clients per calendar bucket, summed in SQL (shared by dynamics and plan)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, case, extract, func, literal, select, type_coerce
from sqlalchemy.orm import Session

from custdesk.analysis.period import BucketSize, Period, bucket_ordinal
from custdesk.core.models import Purchase


def _bucket_key(size: BucketSize) -> Any:
    month = extract("month", Purchase.purchased_on)
    if size == "month":
        return month
    if size == "quarter":
        return case((month <= 3, 1), (month <= 6, 4), (month <= 9, 7), else_=10)
    return None


def revenue_per_bucket(session: Session, period: Period, size: BucketSize) -> dict[int, tuple[int, int]]:
    """``{bucket ordinal: (revenue in cents, number of buying clients)}`` for the buckets with purchases.

    Dialect-neutral: the bucket is grouped by ``EXTRACT(year)`` and the month (or the first month of the
    quarter), the revenue summed as the integer cents column (exact).
    """
    year = extract("year", Purchase.purchased_on)
    key = _bucket_key(size)
    amount_cents = type_coerce(Purchase.amount, BigInteger)  # integer cents: the sum stays exact
    groups = [year] if key is None else [year, key]
    stmt = (
        select(
            year,
            literal(1) if key is None else key,
            func.sum(amount_cents),
            func.count(func.distinct(Purchase.client_id)),
        )
        .where(Purchase.purchased_on.between(period.start, period.end))
        .group_by(*groups)
    )
    result: dict[int, tuple[int, int]] = {}
    for y, m, revenue, buyers in session.execute(stmt):
        result[bucket_ordinal(int(y), int(m), size)] = (int(revenue or 0), int(buyers))
    return result
