"""Proposed XYZ thresholds: from the distribution of the buyers' cv (terciles, rounded down to 5 %), they
split monthly buyers into three groups where the textbook 10 %/25 % make almost everyone Z."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import numpy as np

from custdesk.analysis.parameters import AnalysisParameters
from custdesk.analysis.period import Period
from custdesk.analysis.report import build_report
from custdesk.analysis.xyz import propose_thresholds, xyz_codes
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, make_clients


def _monthly_base(db: Database) -> None:
    """30 buyers over 2024: 10 every month, 10 every quarter, 10 once: no one is X with 10 %/25 %."""
    ids = make_clients(db, 30)
    sales = []
    for n in range(10):
        sales += [(n, f"2024-{m:02d}-05", str(100 + n * 7)) for m in range(1, 13) if (m + n) % 5]
        sales += [(10 + n, f"2024-{m:02d}-10", "300.00") for m in (1, 4, 7, 10)[: 2 + n % 3]]
        sales.append((20 + n, f"2024-{1 + n:02d}-15", "900.00"))
    add_purchases(db, ids, sales)


def test_proposal_is_terciles_rounded_down_to_five_percent() -> None:
    cv = np.array([0.3, 0.41, 0.5, 1.02, 1.2, 1.3, 2.0, 2.5, 3.0, 3.3, np.nan, 9.0])
    bought = np.array([True] * 10 + [True, False])  # a buyer without a cv, and a non-buyer, are left out
    cells = np.zeros((12, 3))
    proposal = propose_thresholds(cells, bought, cv)
    assert proposal is not None
    values = cv[:10]
    x, y = np.quantile(values, 1 / 3), np.quantile(values, 2 / 3)
    assert proposal.thresholds == (
        Fraction(int(np.floor(x * 20)), 20),
        Fraction(int(np.floor(y * 20)), 20),
    )


def test_too_few_buyers_get_no_proposal() -> None:
    cv = np.array([0.5, 1.0, 2.0])
    assert propose_thresholds(np.zeros((3, 12)), np.ones(3, bool), cv) is None


def test_monthly_report_proposes_thresholds_that_fit(db: Database) -> None:
    _monthly_base(db)
    params = AnalysisParameters(Period(date(2024, 1, 1), date(2024, 12, 31)), bucket="month")
    report = build_report(db, params)
    totals = {t.name: t.clients for t in report.analysis.totals()["xyz"]}
    assert totals["X"] == 0 and totals["Z"] >= 25  # the textbook thresholds: almost everyone Z
    proposal = report.xyz_proposal
    assert proposal is not None
    assert min(proposal.x, proposal.y, proposal.z) >= 5  # three groups, none of them empty or near it
    assert proposal.x + proposal.y + proposal.z == 30
    # the counts are what the analysis gives with those thresholds in force
    applied = build_report(
        db, AnalysisParameters(params.period, bucket="month", xyz_thresholds=proposal.thresholds)
    )
    again = {t.name: t.clients for t in applied.analysis.totals()["xyz"]}
    assert (again["X"], again["Y"], again["Z"]) == (proposal.x, proposal.y, proposal.z)
    assert applied.xyz_proposal is None  # nothing left to propose: it is in force
    codes, _cv = xyz_codes(report.analysis.scan.cells, report.analysis.scan.bought, proposal.thresholds)
    assert int((codes == 0).sum()) == proposal.x


def test_yearly_buckets_get_no_proposal(db: Database) -> None:
    _monthly_base(db)
    params = AnalysisParameters(Period(date(2022, 1, 1), date(2024, 12, 31)), bucket="year")
    assert build_report(db, params).xyz_proposal is None


def test_many_buyers_at_the_highest_cv_stay_z() -> None:
    """Over 12 months a client who bought in one month has cv = sqrt(11): when most buyers did, the top
    tercile is that value, and the proposal must still leave them Z (not make everyone Y)."""
    once = [[0.0] * 11 + [100.0]] * 50
    steady = [[100.0 + (i % 7) * 10 * (m % 2) for m in range(12)] for i in range(20)]
    lumpy = [[300.0 if m % (2 + i % 4) == 0 else 0.0 for m in range(12)] for i in range(20)]
    cells = np.array(once + steady + lumpy)
    bought = np.ones(len(cells), bool)
    _codes, cv = xyz_codes(cells, bought)
    proposal = propose_thresholds(cells, bought, cv)
    assert proposal is not None
    assert proposal.z >= 50 and proposal.x > 0 and proposal.y > 0
