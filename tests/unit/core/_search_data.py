"""Plain ORM inserts of clients for the search and client list tests (no validation, no audit)."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

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
