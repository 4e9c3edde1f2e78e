"""Growth of the base: new buyers and cards, active, lapsed, one-time share, retention; distributions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from custdesk.analysis.distributions import funnel_distribution, geography, temperature_distribution
from custdesk.analysis.growth import base_growth
from custdesk.analysis.period import Period
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, make_clients


def test_growth_by_hand(db: Database) -> None:
    ids = make_clients(db, 3)
    make_clients(db, 1, created_at=datetime(2024, 2, 14, 10, 0))
    add_purchases(
        db,
        ids,
        [
            (0, "2023-12-01", "10"),  # bought before the window
            (0, "2024-02-03", "10"),
            (1, "2024-01-05", "10"),
            (1, "2024-02-05", "10"),
            (1, "2024-02-06", "10"),
            (2, "2024-03-31", "10"),
        ],
    )
    jan, feb, mar = base_growth(db, Period(date(2024, 1, 1), date(2024, 3, 31)), "month")
    assert (jan.new_buyers, jan.active, jan.lapsed, jan.retention) == (1, 1, 1, None)
    assert jan.one_time_share == 1.0  # clients 1 and 2 have one purchase each so far
    assert (feb.new_buyers, feb.active, feb.lapsed, feb.retention) == (0, 2, 0, 1.0)
    assert feb.new_cards == 1 and jan.new_cards == 3  # the helper creates cards on 1 January 2024
    assert feb.one_time_share == 0.0  # client 1 has 2, client 2 has 3
    assert (mar.new_buyers, mar.active, mar.lapsed, mar.retention) == (1, 1, 2, 0.0)
    assert mar.one_time_share == 1 / 3


def test_distributions(db: Database) -> None:
    make_clients(
        db, 2, funnel="gold", temperature="hot", region="North", city="A", revenue_total=Decimal("5")
    )
    make_clients(db, 1, funnel="gold-red", temperature="cold", region="North", city="B")
    make_clients(db, 1, funnel="white", region="South", city="C")
    make_clients(db, 1, funnel="platinum", archived=True)
    funnel = funnel_distribution(db)
    counts = {c.key: c.clients for c in funnel.counts}
    assert counts["gold"] == 2 and counts["gold-red"] == 1 and counts["platinum"] == 0
    to_gold = next(c for c in funnel.conversions if c.to_stage == "gold")
    assert (to_gold.reached_from, to_gold.reached_to, to_gold.rate) == (3, 3, 1.0)
    first = funnel.conversions[0]
    assert (first.reached_from, first.reached_to) == (4, 3)
    assert [(t.key, t.clients) for t in temperature_distribution(db)] == [
        ("hot", 2),
        ("warm", 1),
        ("cold", 1),
    ]
    regions = geography(db)
    assert [(g.region, g.clients, g.revenue) for g in regions] == [
        ("North", 3, Decimal("10.00")),
        ("South", 1, Decimal("0.00")),
    ]
    assert len(geography(db, by_city=True)) == 3
