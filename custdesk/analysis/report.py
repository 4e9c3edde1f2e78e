"""Everything the analysis tab shows, computed in one go, and the clients behind any figure of it.

:func:`build_report` runs on the GUI's base worker (with progress and cancel): ABC, XYZ and RFM of every
client (:func:`analyze_clients`), the matrix, the Pareto curve, sales dynamics over at least three years
ending with the window, plan vs actual for the window's months, growth of the base, the funnel,
temperatures and geography. The result is a frozen :class:`AnalysisReport`; the Excel and PDF exports
write it as it is, so what is exported is what was shown.

:func:`clients_of` answers a click: the ids behind a chart's :data:`~custdesk.analysis.chart_style.Target`
(a class, a matrix cell, a segment, the top of the Pareto curve, the buyers of some days, the new buyers,
the lapsed), or None for targets the client list filters by itself (funnel marker, temperature, place).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, select

from custdesk.analysis.clients import ClientAnalysis, analyze_clients
from custdesk.analysis.distributions import (
    Count,
    FunnelDistribution,
    GeoRow,
    funnel_distribution,
    geography,
    temperature_distribution,
)
from custdesk.analysis.dynamics import MIN_YEARS, DynamicsRow, dynamics_period, sales_dynamics
from custdesk.analysis.growth import GrowthRow, base_growth
from custdesk.analysis.matrix import AbcXyzMatrix, abc_xyz_matrix
from custdesk.analysis.parameters import AnalysisParameters
from custdesk.analysis.pareto import ParetoCurve, pareto_curve
from custdesk.analysis.period import BucketSize, Period
from custdesk.analysis.plan import PlanMonth, plan_vs_actual
from custdesk.analysis.xyz import ThresholdProposal, propose_thresholds
from custdesk.core.db import Database
from custdesk.core.models import Client, Purchase

Progress = Callable[[int, int], None]
Target = tuple[Any, ...]  # as in custdesk.analysis.chart_style (no matplotlib here)
STEPS = 10


@dataclass(frozen=True)
class AnalysisReport:
    """One computed analysis with every view of it (see the module docstring).

    Attributes:
        parameters: window, criterion, bucket and thresholds in force.
        analysis: ABC, XYZ and RFM per client.
        matrix: the ABC × XYZ matrix.
        pareto: the Pareto curve of the window's buyers.
        dynamics: per bucket of ``dynamics_window``, beside a year earlier.
        dynamics_window: at least three years ending with the analysis window.
        plan: plan, actual and fulfilment per month of the window.
        growth: growth of the base per bucket of the window.
        funnel, temperature, regions, cities: the base as it stands (not archived clients).
        currency: the firm's currency.
    """

    parameters: AnalysisParameters
    analysis: ClientAnalysis
    matrix: AbcXyzMatrix
    pareto: ParetoCurve
    dynamics: list[DynamicsRow]
    dynamics_window: Period
    plan: list[PlanMonth]
    growth: list[GrowthRow]
    funnel: FunnelDistribution
    temperature: tuple[Count, ...]
    regions: list[GeoRow]
    cities: list[GeoRow]
    currency: str
    xyz_proposal: ThresholdProposal | None = None  # thresholds that fit the data (monthly, quarterly)


def dynamics_window_of(period: Period, size: BucketSize) -> Period:
    """At least three years ending with ``period`` (longer when the window itself is longer)."""
    years = max(MIN_YEARS, -(-period.days // 365))
    return dynamics_period(period.end, size, years)


def build_report(
    db: Database,
    parameters: AnalysisParameters,
    progress: Progress | None = None,
    *,
    currency: str = "USD",
) -> AnalysisReport:
    """Compute the analysis and every view of it (reads only; ``progress`` may raise to cancel).

    A user whose role sees no profit (a seller) gets the report without profit, and may not rank
    clients by it.

    Raises:
        AccessDenied: nobody signed in to a protected base, or a profit criterion for a seller.
    """
    from custdesk.core.services import access

    access.require(db, access.Permission.ANALYSE)
    sees_profit = access.allows(db, access.Permission.SEE_PROFIT)
    if parameters.criterion == "profit" and not sees_profit:
        access.require(db, access.Permission.SEE_PROFIT)

    def step(n: int) -> None:
        if progress is not None:
            progress(n, STEPS)

    def inner(done: int, total: int) -> None:  # analyze_clients' own 4 steps are our first 4
        step(min(done, 4))

    analysis = analyze_clients(db, parameters, inner, with_profit=sees_profit)
    period, size = parameters.period, parameters.bucket
    matrix = abc_xyz_matrix(analysis)
    proposal = None
    if parameters.bucket != "year":  # the textbook thresholds were made for yearly data
        proposal = propose_thresholds(analysis.scan.cells, analysis.scan.bought, analysis.cv)
        if proposal is not None and proposal.thresholds == tuple(parameters.xyz_thresholds):
            proposal = None  # already in force
    curve = pareto_curve(analysis)
    step(5)
    window = dynamics_window_of(period, size)
    dynamics = sales_dynamics(db, size, period.end, period=window)
    step(6)
    plan = plan_vs_actual(db, period.start, period.end)
    step(7)
    growth = base_growth(db, period, size)
    step(8)
    funnel = funnel_distribution(db)
    temperature = temperature_distribution(db)
    step(9)
    regions = geography(db)
    cities = geography(db, by_city=True)
    step(10)
    return AnalysisReport(
        parameters,
        analysis,
        matrix,
        curve,
        dynamics,
        window,
        plan,
        growth,
        funnel,
        temperature,
        regions,
        cities,
        currency,
        proposal,
    )


def _ids(db: Database, stmt: object) -> list[int]:
    with db.session() as s:
        return sorted(int(i) for i in s.scalars(stmt))  # type: ignore[call-overload]


def buyers_between(db: Database, first: date, last: date) -> list[int]:
    """Clients with a purchase dated from ``first`` to ``last`` (both included)."""
    return _ids(db, select(Purchase.client_id).where(Purchase.purchased_on.between(first, last)).distinct())


def new_buyers_between(db: Database, first: date, last: date) -> list[int]:
    """Clients whose first purchase ever is dated from ``first`` to ``last``."""
    first_day = func.min(Purchase.purchased_on)
    return _ids(
        db,
        select(Purchase.client_id).group_by(Purchase.client_id).having(first_day.between(first, last)),
    )


def lapsed_in(db: Database, first: date, last: date) -> list[int]:
    """Clients who bought before ``first`` but not from ``first`` to ``last``."""
    later = exists().where(and_(Purchase.client_id == Client.id, Purchase.purchased_on.between(first, last)))
    before = exists().where(and_(Purchase.client_id == Client.id, Purchase.purchased_on < first))
    return _ids(db, select(Client.id).where(before, ~later))


def clients_of(db: Database, report: AnalysisReport, target: Target) -> list[int] | None:
    """The ids of the clients behind ``target``; None for a target the list filters by itself.

    Targets: ``("abc", c)``, ``("xyz", c)``, ``("cell", a, x)``, ``("segment", name)``, ``("top", n)``,
    ``("bought", first, last)``, ``("new_buyers", first, last)``, ``("lapsed", first, last)``,
    ``("region", region)``, ``("city", region, city)``; None for ``("funnel", …)`` and ``("temperature", …)``.
    """
    kind = target[0]
    a = report.analysis
    if kind == "abc":
        return a.client_ids_where(abc=target[1])
    if kind == "xyz":
        return a.client_ids_where(xyz=target[1])
    if kind == "cell":
        return a.client_ids_where(abc=target[1], xyz=target[2])
    if kind == "segment":
        return a.client_ids_where(segment=target[1])
    if kind == "top":
        return sorted(report.pareto.ordered_ids[: int(target[1])])
    if kind == "bought":
        return buyers_between(db, target[1], target[2])
    if kind == "new_buyers":
        return new_buyers_between(db, target[1], target[2])
    if kind == "lapsed":
        return lapsed_in(db, target[1], target[2])
    if kind in ("region", "city"):  # as geography counts them: clients not archived
        where = [Client.archived.is_(False), Client.region == target[1]]
        if kind == "city":
            where.append(Client.city == target[2])
        return _ids(db, select(Client.id).where(*where))
    return None


__all__ = [
    "AnalysisReport",
    "build_report",
    "buyers_between",
    "clients_of",
    "dynamics_window_of",
    "lapsed_in",
    "new_buyers_between",
]
