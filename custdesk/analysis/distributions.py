"""Distributions of the base: the funnel with conversions, temperatures, geography by region and city.

Counts are of the clients in the list's sense: not archived (``include_archived`` adds them). Revenue in
geography is each client's all-time revenue (the denormalised ``revenue_total``).

Funnel conversion: exactly the funnel board's (:mod:`custdesk.core.services.funnel`, our rule): along
the stages white → green → yellow → gold-green → gold → platinum, the conversion from a stage to the next
is the number of clients who reached the next stage or beyond over those who reached the stage or beyond;
a red marker counts as having reached the stage it is the red variant of (green-red green, gold-red gold,
platinum-red platinum). Shown with one decimal (``Conversion.percent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from sqlalchemy import ColumnElement, func, select, true

from custdesk.core import vocab
from custdesk.core.db import Database
from custdesk.core.models import Client
from custdesk.core.services import funnel

PROGRESS_STAGES: tuple[str, ...] = funnel.STAGES


@dataclass(frozen=True)
class Count:
    """How many clients carry a value (a funnel marker, a temperature)."""

    key: str
    clients: int


@dataclass(frozen=True)
class Conversion:
    """From one progress stage to the next: clients who reached each, and the share (None: none reached)."""

    from_stage: str
    to_stage: str
    reached_from: int
    reached_to: int
    rate: float | None

    @property
    def percent(self) -> Decimal | None:
        """The share as shown: a percentage with one decimal, rounded as the funnel board rounds it."""
        if self.rate is None or not self.reached_from:
            return None
        return funnel.conversion_percent(Fraction(self.reached_to, self.reached_from))


@dataclass(frozen=True)
class FunnelDistribution:
    """Clients per funnel marker (canonical order, then unknown markers) and stage conversions."""

    counts: tuple[Count, ...]
    conversions: tuple[Conversion, ...]


@dataclass(frozen=True)
class GeoRow:
    """One region (``city`` None) or one city of a region: its clients and their all-time revenue."""

    region: str
    city: str | None
    clients: int
    revenue: Decimal


def _scope(include_archived: bool) -> ColumnElement[bool]:
    return true() if include_archived else Client.archived.is_(False)


def _counts(db: Database, column: object, include_archived: bool) -> dict[str, int]:
    with db.session() as s:
        rows = s.execute(
            select(column, func.count()).where(_scope(include_archived)).group_by(column)  # type: ignore[call-overload]
        ).all()
    return {str(k): int(n) for k, n in rows}


def funnel_distribution(db: Database, *, include_archived: bool = False) -> FunnelDistribution:
    """Clients per funnel marker and the conversion between neighbouring progress stages."""
    found = _counts(db, Client.funnel, include_archived)
    keys = [*vocab.FUNNEL_KEYS, *sorted(set(found) - set(vocab.FUNNEL_KEYS))]
    counts = tuple(Count(k, found.get(k, 0)) for k in keys)
    reached = funnel.reached_counts(found)
    conversions = tuple(
        Conversion(a, b, reached[a], reached[b], reached[b] / reached[a] if reached[a] else None)
        for a, b in pairwise(PROGRESS_STAGES)
    )
    return FunnelDistribution(counts, conversions)


def temperature_distribution(db: Database, *, include_archived: bool = False) -> tuple[Count, ...]:
    """Clients per temperature: hot, warm, cold, then any other value found."""
    found = _counts(db, Client.temperature, include_archived)
    keys = [*vocab.TEMPERATURES, *sorted(set(found) - set(vocab.TEMPERATURES))]
    return tuple(Count(k, found.get(k, 0)) for k in keys)


def geography(db: Database, *, by_city: bool = False, include_archived: bool = False) -> list[GeoRow]:
    """Clients and all-time revenue per region, or per (region, city); most clients first."""
    columns = [Client.region, Client.city] if by_city else [Client.region]
    with db.session() as s:
        rows = s.execute(
            select(*columns, func.count(), func.sum(Client.revenue_total))
            .where(_scope(include_archived))
            .group_by(*columns)
        ).all()
    result = [
        GeoRow(
            region=r[0],
            city=r[1] if by_city else None,
            clients=int(r[-2]),
            revenue=r[-1] if isinstance(r[-1], Decimal) else Decimal("0.00"),
        )
        for r in rows
    ]
    result.sort(key=lambda g: (-g.clients, g.region, g.city or ""))
    return result


__all__ = [
    "PROGRESS_STAGES",
    "Conversion",
    "Count",
    "FunnelDistribution",
    "GeoRow",
    "funnel_distribution",
    "geography",
    "temperature_distribution",
]
