"""The Pareto curve: cumulative revenue share against client share, ending at 100 %."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custdesk.analysis.pareto import pareto_curve
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, analyse, make_clients


def test_curve_by_hand(db: Database) -> None:
    ids = make_clients(db, 6)
    add_purchases(db, ids, [(i, "2024-03-01", v) for i, v in enumerate(["50", "20", "10", "10", "10"])])
    curve = pareto_curve(analyse(db, "2024-01-01", "2024-12-31"))
    assert curve.buyers == 5 and curve.revenue == Decimal("100.00")
    assert [(p.clients, p.revenue_share) for p in curve.points] == [
        (0, 0.0),
        (1, 0.5),
        (2, 0.7),
        (3, 0.8),
        (4, 0.9),
        (5, 1.0),
    ]
    assert curve.top20_share == 0.5  # the top 20 % (1 of 5) bring half
    assert curve.share_of_revenue(0.4) == 0.7
    assert curve.ordered_ids[:2] == (ids[0], ids[1])  # ties (10, 10, 10) by id after


def test_no_buyers_no_curve(db: Database) -> None:
    make_clients(db, 2)
    curve = pareto_curve(analyse(db, "2024-01-01", "2024-12-31"))
    assert curve.points == () and curve.buyers == 0 and curve.top20_share == 0.0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(1, 100_000), min_size=1, max_size=30))
def test_shares_rise_to_100_percent(db: Database, cents: list[int]) -> None:
    from sqlalchemy import delete

    from custdesk.core.models import Client, Purchase

    with db.session() as s:
        s.execute(delete(Purchase))
        s.execute(delete(Client))
    ids = make_clients(db, len(cents))
    add_purchases(db, ids, [(i, "2024-05-05", str(Decimal(c) / 100)) for i, c in enumerate(cents)])
    curve = pareto_curve(analyse(db, "2024-01-01", "2024-12-31"), max_points=11)
    shares = [p.revenue_share for p in curve.points]
    assert shares[0] == 0.0 and math.isclose(shares[-1], 1.0)
    assert all(a <= b for a, b in itertools.pairwise(shares))
    assert curve.points[-1].client_share == 1.0
    assert curve.revenue == sum((Decimal(c) / 100 for c in cents), Decimal(0))
