"""Test clients for the GUI tests, made with plain ORM inserts (fast, and independent of the card)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from custdesk.core.db import Database
from custdesk.core.models import Client, Phone

FUNNELS = ("white", "green", "gold", "platinum", "gold-red")
TEMPS = ("hot", "warm", "cold")
CITIES = ("Springfield", "Shelbyville", "Ogdenville")


def add_clients(db: Database, n: int, *, prefix: str = "Client") -> list[int]:
    """``n`` active clients named ``{prefix} 0001`` …, with varied funnel, city, revenue and calls."""
    now = datetime(2024, 1, 1, 12, 0)
    today = date.today()
    with db.session() as s:
        made = []
        for i in range(n):
            c = Client(
                external_id=f"{prefix}-{i}",
                name=f"{prefix} {i:04d}",
                organisation=f"Org {i % 7}",
                city=CITIES[i % 3],
                region="North" if i % 2 else "South",
                funnel=FUNNELS[i % 5],
                temperature=TEMPS[i % 3],
                vip=i % 10 == 0,
                revenue_total=Decimal(i * 10) + Decimal("0.50"),
                purchase_count=i % 4,
                next_call_on=today + timedelta(days=(i % 9) - 4),
                created_at=now,
                updated_at=now,
            )
            c.phones.append(Phone(number=f"+1202555{i % 10000:04d}", is_primary=True))
            s.add(c)
            made.append(c)
        s.flush()
        return [c.id for c in made]
