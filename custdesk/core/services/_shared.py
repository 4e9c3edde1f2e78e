"""Helpers the client, history, purchase, reminder and merge services use inside a session they opened.

They never open a transaction themselves: the public services each open exactly one.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from custdesk.core.dto import CARD_FIELDS, ClientCard, EmailDTO, PhoneDTO
from custdesk.core.errors import NotFoundError
from custdesk.core.models import Client, Purchase, Setting
from custdesk.core.services.audit import record
from custdesk.core.services.settings import DEFAULTS
from custdesk.core.validation import format_phone
from custdesk.i18n import _


def firm_settings(session: Session) -> dict[str, Any]:
    """Every setting of the base, read in ``session``'s transaction (stored values over defaults)."""
    values = dict(DEFAULTS)
    for row in session.scalars(select(Setting)):
        if row.key in DEFAULTS:
            values[row.key] = json.loads(row.value)
    return values


def load_client(session: Session, client_id: int) -> Client:
    """The client ``client_id``.

    Raises:
        NotFoundError: there is no such client in the base.
    """
    client = session.get(Client, client_id)
    if client is None:
        raise NotFoundError(_("There is no client with the number {id} in this base.").format(id=client_id))
    return client


def card_to_dto(client: Client, region: str) -> ClientCard:
    """A client row as a :class:`ClientCard`, phones formatted for the firm's ``region``."""
    values = {name: getattr(client, name) for name in CARD_FIELDS}
    return ClientCard(
        id=client.id,
        external_id=client.external_id,
        **values,
        funnel=client.funnel,
        funnel_changed_at=client.funnel_changed_at,
        funnel_reason=client.funnel_reason,
        last_contact_at=client.last_contact_at,
        next_call_on=client.next_call_on,
        purchase_count=client.purchase_count,
        revenue_total=client.revenue_total,
        last_purchase_on=client.last_purchase_on,
        archived=client.archived,
        archived_at=client.archived_at,
        merged_into_id=client.merged_into_id,
        created_at=client.created_at,
        updated_at=client.updated_at,
        phones=tuple(
            PhoneDTO(p.id, p.number, format_phone(p.number, region), p.kind, p.is_primary, p.extension)
            for p in sorted(client.phones, key=lambda p: p.position)
        ),
        emails=tuple(
            EmailDTO(e.id, e.address, e.kind, e.is_primary)
            for e in sorted(client.emails, key=lambda e: e.position)
        ),
        tags=tuple(sorted(t.name for t in client.tags)),
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def card_json(card: ClientCard) -> str:
    """The whole card as JSON: the snapshot the audit journal keeps (merge, create)."""
    return json.dumps(dataclasses.asdict(card), default=_json_default, ensure_ascii=False)


def refresh_purchase_figures(session: Session, client: Client) -> None:
    """Recompute the client's purchase count, revenue and last purchase from its purchases.

    A purchase counts when its amount is positive (returns and zero corrections do not); the revenue
    sums every amount; the last purchase is the latest date with a positive amount.
    """
    session.flush()
    positive = Purchase.amount > 0
    row = session.execute(
        select(
            func.count(case((positive, 1))),
            func.sum(Purchase.amount),
            func.max(case((positive, Purchase.purchased_on))),
        ).where(Purchase.client_id == client.id)
    ).one()
    client.purchase_count = int(row[0] or 0)
    client.revenue_total = row[1] if row[1] is not None else Decimal(0)
    last = row[2]
    client.last_purchase_on = date.fromisoformat(last) if isinstance(last, str) else last


def phones_text(phones: Iterable[Any]) -> str:
    """Phones joined for the journal: ``+79123456789 x12 (mobile, primary)``."""
    parts = []
    for p in phones:
        number = f"{p.number} x{p.extension}" if p.extension else p.number
        flags = f"{p.kind}, primary" if p.is_primary else p.kind
        parts.append(f"{number} ({flags})")
    return "; ".join(parts)


def emails_text(emails: Iterable[Any]) -> str:
    return "; ".join(
        f"{e.address} ({e.kind}, primary)" if e.is_primary else f"{e.address} ({e.kind})" for e in emails
    )


def apply_funnel(
    session: Session, client: Client, change: tuple[str, str] | None, *, who: str | None, at: datetime
) -> None:
    """Apply a marker change a rule gave (``None``: none), with its reason, time and journal entry."""
    if change is None:
        return
    marker, reason = change
    record(
        session, "update", "client", client.id, field="funnel", old=client.funnel, new=marker, who=who, at=at
    )
    client.funnel, client.funnel_reason, client.funnel_changed_at = marker, reason, at


def display_name(client: Client) -> str:
    """The organisation for an organisation, else the person's name."""
    if client.kind == "organisation" and client.organisation:
        return client.organisation
    return client.name or client.organisation


def fold(text: str) -> str:
    """A name or city compared without case and extra spaces (``ё`` counts as ``е``)."""
    return " ".join(text.casefold().replace("ё", "е").split())
