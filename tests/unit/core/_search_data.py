"""Plain ORM inserts of clients for the search and client list tests (no validation, no audit)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy import Connection

from custdesk.core import vocab
from custdesk.core.db import Database
from custdesk.core.models import Client, Email, Phone

_serial = count(1)


def add_client(
    db: Database,
    name: str = "",
    *,
    phones: tuple[str, ...] = (),
    emails: tuple[str, ...] = (),
    **fields: Any,
) -> int:
    """Insert one client with its phones (E.164, the first primary) and e-mails; return its id."""
    now = datetime(2026, 1, 1, 12, 0)
    with db.session() as s:
        client = Client(external_id=f"T-{next(_serial)}", name=name, created_at=now, updated_at=now, **fields)
        client.phones = [Phone(number=p, is_primary=i == 0, position=i) for i, p in enumerate(phones)]
        client.emails = [
            Email(address=e, address_key=e.lower(), is_primary=i == 0, position=i)
            for i, e in enumerate(emails)
        ]
        s.add(client)
        s.flush()
        return client.id


def raw_client_row(**values: Any) -> dict[str, Any]:
    """A ``clients`` row for raw SQL on a base at an older revision (every text column empty)."""
    empty_text = (
        "organisation tax_id registration_no bank_details country region city district street "
        "building postcode source buying_particulars preferred_products usual_volume deal_terms "
        "payment_terms delivery_terms contract_no competitor competitor_advantage notes funnel_reason"
    )
    row: dict[str, Any] = dict.fromkeys(empty_text.split(), "") | {
        "kind": "person",
        "vip": 0,
        "funnel": "white",
        "temperature": "warm",
        "purchase_count": 0,
        "revenue_total": 0,
        "archived": 0,
        "created_at": "2026-01-01",
        "updated_at": "2026-01-01",
    }
    return row | values


def insert_raw_client(conn: Connection, **values: Any) -> None:
    """Insert :func:`raw_client_row` by plain SQL on ``conn``."""
    row = raw_client_row(**values)
    marks = ", ".join("?" * len(row))
    conn.exec_driver_sql(f"INSERT INTO clients ({', '.join(row)}) VALUES ({marks})", tuple(row.values()))


RFM_SEGMENTS = ("champions", "loyal", "new", "at risk", "hibernating", "something else")


def add_varied_clients(db: Database, n: int, prefix: str, *, archived: bool = False) -> list[int]:
    """``n`` clients with gaps and ties in every sort column, Millers and Smiths; return their ids.

    Odd ones are called Miller; every fourth has an e-mail at ``mill.fi``; with ``archived`` every
    tenth (from the fourth) is archived.
    """
    now = datetime(2026, 1, 1, 12, 0)
    with db.session() as s:
        clients = [
            Client(
                external_id=f"{prefix}-{i}",
                name="" if i % 9 == 0 else f"{'Miller' if i % 2 else 'Smith'} {i % 5}",
                organisation="" if i % 3 else f"Org {i % 4}",
                city="" if i % 7 == 0 else f"C{i % 3}",
                funnel=vocab.FUNNEL_KEYS[i % len(vocab.FUNNEL_KEYS)],
                temperature=("cold", "hot", "warm")[i % 3],
                next_call_on=None if i % 4 == 0 else date(2026, 3, 1 + i % 6),
                last_purchase_on=None if i % 5 == 0 else date(2025, 1 + i % 12, 1),
                revenue_total=Decimal(i % 3),
                vip=i % 3 == 0,
                birthday=date(1990, 3 if i % 2 else 4, 1 + i % 3),
                abc_class=None if i % 6 == 0 else "ABC"[i % 3],
                xyz_class=None if i % 8 == 0 else "XYZ"[i % 3],
                rfm_segment=None if i % 4 == 1 else RFM_SEGMENTS[i % len(RFM_SEGMENTS)],
                archived=archived and i % 10 == 3,
                phones=[] if i % 5 == 0 else [Phone(number=f"+7912000{i % 4:04d}", is_primary=True)],
                emails=[Email(address=f"s{i}@mill.fi", address_key=f"s{i}@mill.fi")] if i % 4 == 0 else [],
                created_at=now,
                updated_at=now,
            )
            for i in range(n)
        ]
        s.add_all(clients)
        s.flush()
        return [c.id for c in clients]
