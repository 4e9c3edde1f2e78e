"""Growth of the base per month, quarter or year (DOMAIN.md, "Other views").

Definitions (our rules, where DOMAIN.md names the figure only), for each bucket of the window:

- ``new_buyers``: clients whose first purchase ever falls in the bucket (the firm gained a buyer);
  ``new_cards``: clients who came in the bucket's part of the window (by ``client_since``, the date an
  imported old base gave, else by the card's ``created_at``).
- ``active``: clients with a purchase in the bucket.
- ``lapsed``: clients who bought before the bucket but not in it.
- ``one_time_share``: of the clients who bought at least once up to the bucket's end, the share with
  exactly one purchase up to then (0 without buyers).
- ``retention``: of the clients active in the previous bucket, the share active in this one (None for
  the first bucket or when none was active).

Merged cards are left out of ``new_cards`` (they are duplicates of another card). Purchases are counted,
not amounts: a return is a purchase row too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from sqlalchemy import func, select

from custdesk.analysis.period import Bucket, Period, bucket_ordinal, buckets, check_bucket_size
from custdesk.analysis.scan import index_of, window_rows
from custdesk.core.db import Database
from custdesk.core.models import Client, Purchase


@dataclass(frozen=True)
class GrowthRow:
    """The figures of one bucket (see the module docstring)."""

    bucket: Bucket
    new_buyers: int
    new_cards: int
    active: int
    lapsed: int
    one_time_share: float
    retention: float | None


def base_growth(db: Database, period: Period, size: str) -> list[GrowthRow]:
    """Growth figures for every bucket of ``period`` (month, quarter or year)."""
    bucket = check_bucket_size(size)
    all_buckets = buckets(period, bucket)
    first = all_buckets[0].ordinal
    k = len(all_buckets)
    with db.session() as s:
        before = s.execute(
            select(Purchase.client_id, func.count())
            .where(Purchase.purchased_on < period.start)
            .group_by(Purchase.client_id)
        ).all()
        rows = window_rows(s, period, bucket, [Purchase.client_id])
        start = datetime.combine(period.start, time.min)
        end = datetime.combine(period.end + timedelta(days=1), time.min)
        created: list[date | datetime] = [
            since
            for since in s.execute(
                select(Client.client_since).where(
                    Client.merged_into_id.is_(None),
                    Client.client_since >= period.start,
                    Client.client_since <= period.end,
                )
            ).scalars()
            if since is not None
        ] + list(
            s.execute(
                select(Client.created_at).where(
                    Client.merged_into_id.is_(None),
                    Client.client_since.is_(None),
                    Client.created_at >= start,
                    Client.created_at < end,
                )
            ).scalars()
        )
    ids = np.unique(np.concatenate((np.array([c for c, _n in before], np.int64), rows.table[:, 0])))
    n = ids.size
    prior = np.zeros(n, np.int64)
    if before:
        prior[index_of(ids, np.array([c for c, _n in before], np.int64))] = [cnt for _c, cnt in before]
    who = index_of(ids, rows.table[:, 0]) if n else np.zeros(0, np.int64)
    counts = np.bincount(who * k + rows.bucket, minlength=n * k).reshape(n, k)
    cumulative = prior[:, None] + np.cumsum(counts, axis=1)  # purchases up to each bucket's end
    cards = np.zeros(k, np.int64)
    for c in created:
        pos = bucket_ordinal(c.year, c.month, bucket) - first
        if 0 <= pos < k:
            cards[pos] += 1
    result = []
    for j, b in enumerate(all_buckets):
        active = counts[:, j] > 0
        up_to_before = cumulative[:, j] - counts[:, j]
        buyers = int((cumulative[:, j] >= 1).sum())
        retention = None
        if j > 0:
            was_active = counts[:, j - 1] > 0
            retention = float((was_active & active).sum() / was_active.sum()) if was_active.any() else None
        result.append(
            GrowthRow(
                bucket=b,
                new_buyers=int((active & (up_to_before == 0)).sum()),
                new_cards=int(cards[j]),
                active=int(active.sum()),
                lapsed=int(((up_to_before >= 1) & ~active).sum()),
                one_time_share=float((cumulative[:, j] == 1).sum() / buyers) if buyers else 0.0,
                retention=retention,
            )
        )
    return result


__all__ = ["GrowthRow", "base_growth"]
