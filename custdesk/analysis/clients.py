"""ABC, XYZ and RFM of every client in one pass: :func:`analyze_clients` and its result.

The result, :class:`ClientAnalysis`, keeps numpy arrays aligned with ``client_ids`` (read-only by
convention) and answers in plain dataclasses: one client's classes (:meth:`ClientAnalysis.client`), all
of them (:meth:`ClientAnalysis.clients`), the totals of each class (:meth:`ClientAnalysis.totals`) and the
ids behind any count (:meth:`ClientAnalysis.client_ids`), so a chart or matrix cell opens its clients.

Money leaves here as ``Decimal`` (exact integer cents inside); the cv is a float (a ratio).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from custdesk.analysis.abc import ABC_CLASSES, abc_codes
from custdesk.analysis.parameters import AnalysisParameters
from custdesk.analysis.rfm import SEGMENT_CODE, SEGMENTS, scores
from custdesk.analysis.scan import WindowScan, scan_window
from custdesk.analysis.xyz import NO_CLASS, XYZ_CLASSES, xyz_codes
from custdesk.core.db import Database

Progress = Callable[[int, int], None]
STEPS = 4


def cents_to_money(cents: int) -> Decimal:
    """Integer cents as a Decimal amount with two places."""
    return Decimal(cents).scaleb(-2).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ClientClasses:
    """The classes and RFM figures of one client for one analysis.

    Attributes:
        client_id: the client.
        abc: ``"A"``, ``"B"``, ``"C"`` or ``"D"`` (D: no purchase in the window).
        xyz: ``"X"``, ``"Y"``, ``"Z"``, or None without a purchase in the window.
        cv: the coefficient of variation of the bucket revenues (None: no purchase or a mean <= 0).
        recency: days from the last purchase in the window to its end (None without a purchase).
        frequency: purchases in the window.
        monetary: revenue in the window.
        profit: profit in the window (unknown profits count as 0); None when the analysis did not
            read profits (the revenue criterion reads amounts only, for speed).
        r: the recency score 1..5 (None without a purchase); f and m likewise.
        segment: the RFM segment's English name from DOMAIN.md (None without a purchase).
    """

    client_id: int
    abc: str
    xyz: str | None
    cv: float | None
    recency: int | None
    frequency: int
    monetary: Decimal
    profit: Decimal | None
    r: int | None
    f: int | None
    m: int | None
    segment: str | None


@dataclass(frozen=True)
class ClassTotal:
    """How many clients a class holds and what they brought in the window (profit None: not read)."""

    name: str
    clients: int
    revenue: Decimal
    profit: Decimal | None


@dataclass(frozen=True)
class ClientAnalysis:
    """ABC, XYZ and RFM of every client of the population (see :class:`WindowScan`) for one window.

    Array attributes are aligned with ``client_ids``: ``abc`` codes index :data:`ABC_CLASSES`, ``xyz``
    codes :data:`XYZ_CLASSES` (-1: none), ``segment`` codes :data:`SEGMENTS` (-1: none); ``r``, ``f``,
    ``m`` are 0 for clients without a purchase; ``recency`` is -1 for them.
    """

    parameters: AnalysisParameters
    computed_at: datetime
    scan: WindowScan
    abc: npt.NDArray[np.int8]
    xyz: npt.NDArray[np.int8]
    cv: npt.NDArray[np.float64]
    recency: npt.NDArray[np.int64]
    r: npt.NDArray[np.int8]
    f: npt.NDArray[np.int8]
    m: npt.NDArray[np.int8]
    segment: npt.NDArray[np.int8]
    _position: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def client_ids(self) -> npt.NDArray[np.int64]:
        """Every client of the population, ascending."""
        return self.scan.client_ids

    @property
    def buyers(self) -> int:
        """The number of clients with a purchase in the window."""
        return int(self.scan.bought.sum())

    @property
    def revenue(self) -> Decimal:
        """The revenue of the window."""
        return cents_to_money(int(self.scan.revenue.sum()))

    def _row(self, i: int) -> ClientClasses:
        s = self.scan
        bought = bool(s.purchases[i] > 0)
        cv = float(self.cv[i])
        return ClientClasses(
            client_id=int(s.client_ids[i]),
            abc=ABC_CLASSES[int(self.abc[i])],
            xyz=XYZ_CLASSES[int(self.xyz[i])] if self.xyz[i] != NO_CLASS else None,
            cv=None if np.isnan(cv) else cv,
            recency=int(self.recency[i]) if bought else None,
            frequency=int(s.purchases[i]),
            monetary=cents_to_money(int(s.revenue[i])),
            profit=cents_to_money(int(s.profit[i])) if s.has_profit else None,
            r=int(self.r[i]) if bought else None,
            f=int(self.f[i]) if bought else None,
            m=int(self.m[i]) if bought else None,
            segment=SEGMENTS[int(self.segment[i])] if self.segment[i] >= 0 else None,
        )

    def client(self, client_id: int) -> ClientClasses | None:
        """The classes of one client (None when the client is not in the population)."""
        if not self._position:
            self._position.update((int(c), i) for i, c in enumerate(self.scan.client_ids))
        i = self._position.get(client_id)
        return None if i is None else self._row(i)

    def clients(self) -> list[ClientClasses]:
        """The classes of every client, by id."""
        return [self._row(i) for i in range(self.scan.client_ids.size)]

    def _mask(self, abc: str | None, xyz: str | None, segment: str | None) -> npt.NDArray[np.bool_]:
        mask = np.ones(self.scan.client_ids.size, bool)
        if abc is not None:
            mask &= self.abc == ABC_CLASSES.index(abc)
        if xyz is not None:
            mask &= self.xyz == XYZ_CLASSES.index(xyz)
        if segment is not None:
            mask &= self.segment == SEGMENTS.index(segment)
        return mask

    def client_ids_where(
        self, *, abc: str | None = None, xyz: str | None = None, segment: str | None = None
    ) -> list[int]:
        """The ids of the clients of a class, a matrix cell (``abc`` and ``xyz``) or a segment."""
        return [int(c) for c in self.scan.client_ids[self._mask(abc, xyz, segment)]]

    def total(
        self, *, abc: str | None = None, xyz: str | None = None, segment: str | None = None
    ) -> ClassTotal:
        """Clients, revenue and profit of a class, a matrix cell or a segment."""
        mask = self._mask(abc, xyz, segment)
        name = "".join(n for n in (abc, xyz) if n) or (segment or "")
        return ClassTotal(
            name=name,
            clients=int(mask.sum()),
            revenue=cents_to_money(int(self.scan.revenue[mask].sum())),
            profit=cents_to_money(int(self.scan.profit[mask].sum())) if self.scan.has_profit else None,
        )

    def totals(self) -> dict[str, list[ClassTotal]]:
        """The totals of each class: ``{"abc": [A, B, C, D], "xyz": [X, Y, Z], "segment": [...]}``."""
        return {
            "abc": [self.total(abc=c) for c in ABC_CLASSES],
            "xyz": [self.total(xyz=c) for c in XYZ_CLASSES],
            "segment": [self.total(segment=s) for s in SEGMENTS],
        }


def classify(
    scan: WindowScan, parameters: AnalysisParameters, progress: Progress | None = None
) -> ClientAnalysis:
    """ABC, XYZ and RFM of a scanned window (the computing half of :func:`analyze_clients`)."""
    bought = scan.bought
    values = scan.revenue if parameters.criterion == "revenue" else scan.profit
    abc = abc_codes(scan.client_ids, values, bought, parameters.abc_thresholds)
    if progress:
        progress(2, STEPS)
    xyz, cv = xyz_codes(scan.cells, bought, parameters.xyz_thresholds)
    if progress:
        progress(3, STEPS)
    n = scan.client_ids.size
    recency = np.full(n, -1, np.int64)
    r = np.zeros(n, np.int8)
    f = np.zeros(n, np.int8)
    m = np.zeros(n, np.int8)
    segment = np.full(n, -1, np.int8)
    rows = np.flatnonzero(bought)
    recency[rows] = parameters.period.end.toordinal() - scan.last_day[rows]
    r[rows] = scores(recency[rows], higher_is_better=False)
    f[rows] = scores(scan.purchases[rows], higher_is_better=True)
    m[rows] = scores(scan.revenue[rows], higher_is_better=True)
    segment[rows] = SEGMENT_CODE[r[rows], f[rows]]
    if progress:
        progress(4, STEPS)
    return ClientAnalysis(parameters, datetime.now(), scan, abc, xyz, cv, recency, r, f, m, segment)


def analyze_clients(
    db: Database,
    parameters: AnalysisParameters,
    progress: Progress | None = None,
    *,
    with_profit: bool | None = None,
) -> ClientAnalysis:
    """ABC, XYZ and RFM of every client for ``parameters`` (reads only).

    Args:
        db: the open base.
        parameters: window, criterion, bucket size and thresholds.
        progress: called with (done, total) steps; may raise to cancel (the GUI's Cancel).
        with_profit: read profits too (None: only for the profit criterion, which is faster).
    """
    read_profit = parameters.criterion == "profit" if with_profit is None else with_profit
    if progress:
        progress(0, STEPS)
    with db.session() as s:
        scan = scan_window(s, parameters.period, parameters.bucket, with_profit=read_profit)
    if progress:
        progress(1, STEPS)
    return classify(scan, parameters, progress)


__all__ = ["ClassTotal", "ClientAnalysis", "ClientClasses", "analyze_clients", "cents_to_money", "classify"]
