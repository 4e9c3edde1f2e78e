"""Plain ORM inserts of clients for the search and client list tests (no validation, no audit)."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

from sqlalchemy import Connection

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
