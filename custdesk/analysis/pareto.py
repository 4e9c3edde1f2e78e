"""The Pareto curve: cumulative share of revenue against cumulative share of clients (is it 80/20?).

The clients are those with a purchase in the window, ordered by revenue descending, ties by client id
(the ABC order by revenue). Point ``i`` says: the first ``i`` clients (``i / n`` of the buyers) brought
``cum_i / total`` of the revenue. Shares are floats (ratios); revenue is exact.
Our rule: a window whose total revenue is not positive has no curve (no points).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from custdesk.analysis.clients import ClientAnalysis, cents_to_money


@dataclass(frozen=True)
class ParetoPoint:
    """The first ``clients`` clients bring ``revenue``; both also as shares of the whole (0..1)."""

    clients: int
    client_share: float
    revenue: Decimal
    revenue_share: float


@dataclass(frozen=True)
class ParetoCurve:
    """The curve, thinned to at most ``max_points`` points (always the first and the last).

    Attributes:
        points: from ``(0, 0)`` to ``(n, total)``.
        buyers: the number of clients on the curve.
        revenue: the total revenue of the window.
        top20_share: the share of revenue the top 20 % of buyers bring (0 without buyers).
        ordered_ids: the buyers in curve order, so a stretch of the curve opens its clients.
        cumulative_cents: the revenue of the first ``i`` buyers for every ``i`` (0..n), in cents.
    """

    points: tuple[ParetoPoint, ...]
    buyers: int
    revenue: Decimal
    top20_share: float
    ordered_ids: tuple[int, ...]
    cumulative_cents: tuple[int, ...]

    def share_of_revenue(self, client_share: float) -> float:
        """The share of revenue the top ``client_share`` (0..1) of buyers bring (count rounded down)."""
        return _share(self.cumulative_cents, int(self.buyers * client_share))


def _share(cumulative: tuple[int, ...], first: int) -> float:
    total = cumulative[-1] if cumulative else 0
    return 0.0 if first <= 0 or total <= 0 else cumulative[min(first, len(cumulative) - 1)] / total


def pareto_curve(analysis: ClientAnalysis, max_points: int = 201) -> ParetoCurve:
    """The Pareto curve of ``analysis`` (its buyers by revenue)."""
    scan = analysis.scan
    rows = np.flatnonzero(scan.bought)
    order = rows[np.lexsort((scan.client_ids[rows], -scan.revenue[rows]))]
    revenue = scan.revenue[order]
    cumulative: tuple[int, ...] = (0, *np.cumsum(revenue).tolist())
    n, total = int(order.size), cumulative[-1]
    ids = tuple(int(i) for i in scan.client_ids[order])
    if n == 0 or total <= 0:
        return ParetoCurve((), n, cents_to_money(total), 0.0, ids, cumulative)
    picks = sorted({round(j * n / (max_points - 1)) for j in range(max_points)} | {0, n})
    points = tuple(ParetoPoint(i, i / n, cents_to_money(cumulative[i]), cumulative[i] / total) for i in picks)
    return ParetoCurve(points, n, cents_to_money(total), _share(cumulative, n // 5), ids, cumulative)


__all__ = ["ParetoCurve", "ParetoPoint", "pareto_curve"]
