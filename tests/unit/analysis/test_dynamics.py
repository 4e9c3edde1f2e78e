"""Sales dynamics: revenue and buyers per bucket beside the same bucket a year earlier, at least 3 years."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from custdesk.analysis.dynamics import sales_dynamics
from custdesk.analysis.period import Period
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, make_clients


def test_months_beside_a_year_earlier(db: Database) -> None:
    ids = make_clients(db, 2)
    add_purchases(
        db,
        ids,
        [
            (0, "2023-03-05", "100.00"),
            (1, "2023-03-25", "50.00"),
            (0, "2024-03-05", "120.00"),
            (0, "2024-04-01", "10.00"),  # April 2023 had nothing: no change figure
        ],
    )
    rows = sales_dynamics(db, "month", date(2024, 4, 30), period=Period(date(2024, 3, 1), date(2024, 4, 30)))
    march, april = rows
    assert march.bucket.key == "2024-03"
    assert (march.revenue, march.buyers) == (Decimal("120.00"), 1)
    assert (march.revenue_year_ago, march.buyers_year_ago) == (Decimal("150.00"), 2)
    assert march.revenue_change == Decimal("-0.2000") and march.buyers_change == Decimal("-0.5000")
    assert april.revenue_year_ago == Decimal("0.00") and april.revenue_change is None


def test_a_cut_month_is_compared_with_the_same_days_a_year_earlier(db: Database) -> None:
    ids = make_clients(db, 1)
    add_purchases(
        db, ids, [(0, "2023-03-10", "30.00"), (0, "2023-03-25", "70.00"), (0, "2024-03-10", "40.00")]
    )
    rows = sales_dynamics(db, "month", date(2024, 3, 15), period=Period(date(2024, 3, 1), date(2024, 3, 15)))
    assert rows[0].revenue_year_ago == Decimal("30.00")  # 25 March 2023 lies after the cut


def test_default_span_is_three_years_in_quarters_and_years(db: Database) -> None:
    ids = make_clients(db, 1)
    add_purchases(db, ids, [(0, "2021-02-01", "5.00"), (0, "2022-02-01", "7.00"), (0, "2024-11-30", "9.00")])
    quarters = sales_dynamics(db, "quarter", date(2024, 11, 30))
    assert quarters[0].bucket.key == "2021-Q4" and quarters[-1].bucket.key == "2024-Q4"
    assert len(quarters) == 13
    years = sales_dynamics(db, "year", date(2024, 11, 30))
    assert [r.bucket.key for r in years] == ["2021", "2022", "2023", "2024"]
    assert years[1].revenue == Decimal("7.00") and years[1].revenue_year_ago == Decimal("5.00")
    assert years[1].revenue_change == Decimal("0.4000")
