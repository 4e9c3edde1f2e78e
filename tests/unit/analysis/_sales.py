"""Helpers that make clients and purchases fast with plain Core inserts in one session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import insert

from custdesk.analysis.clients import ClientAnalysis, analyze_clients
from custdesk.analysis.parameters import AnalysisParameters
from custdesk.analysis.period import Period
from custdesk.core.db import Database
from custdesk.core.models import Client, Purchase

NOW = datetime(2024, 1, 1, 9, 0)

# A purchase: (client number, ISO day, amount) or (client number, ISO day, amount, profit).
Sale = tuple[int, str, str] | tuple[int, str, str, str | None]


def make_clients(db: Database, count: int, **columns: object) -> list[int]:
    """``count`` clients named C1..Cn; returns their ids in order."""
    with db.session() as s:
        start = s.query(Client).count()
        rows = [
            {
                "external_id": f"C{start + i + 1}",
                "name": f"Client {start + i + 1}",
                "created_at": columns.get("created_at", NOW),
                "updated_at": NOW,
                **{k: v for k, v in columns.items() if k != "created_at"},
            }
            for i in range(count)
        ]
        s.execute(insert(Client), rows)
        ids = [c.id for c in s.query(Client).order_by(Client.id).all()]
    return ids[start:]


def add_purchases(db: Database, ids: list[int], sales: Iterable[Sale]) -> None:
    """Purchases of ``ids[n]`` for each ``(n, day, amount[, profit])``."""
    rows = []
    for sale in sales:
        n, day, amount = sale[0], sale[1], sale[2]
        profit = sale[3] if len(sale) > 3 else None  # type: ignore[misc]
        rows.append(
            {
                "client_id": ids[n],
                "purchased_on": date.fromisoformat(day),
                "amount": Decimal(amount),
                "profit": None if profit is None else Decimal(profit),
                "created_at": NOW,
            }
        )
    if rows:
        with db.session() as s:
            s.execute(insert(Purchase), rows)


def analyse(db: Database, start: str, end: str, **kw: object) -> ClientAnalysis:
    """ABC/XYZ/RFM of the window ``[start, end]`` with parameters ``kw``, profits read too."""
    params = AnalysisParameters(Period(date.fromisoformat(start), date.fromisoformat(end)), **kw)  # type: ignore[arg-type]
    return analyze_clients(db, params, with_profit=True)


def classes(analysis: ClientAnalysis, ids: list[int], attr: str) -> list[object]:
    """The attribute ``attr`` of each client of ``ids`` in ``analysis``."""
    result = []
    for i in ids:
        row = analysis.client(i)
        assert row is not None
        result.append(getattr(row, attr))
    return result
