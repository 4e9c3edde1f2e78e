"""Helpers the client, history, purchase, reminder and merge services use inside a session they opened.

They never open a transaction themselves: the public services each open exactly one.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from custdesk.core.dto import CARD_FIELDS, ClientCard, EmailDTO, PhoneDTO
from custdesk.core.errors import NotFoundError
from custdesk.core.models import Client, Purchase, Setting
from custdesk.core.services.audit import record
from custdesk.core.services.settings import DEFAULTS
from custdesk.core.validation import format_phone
from custdesk.i18n import _

_IN_CHUNK = 900  # ids per IN (...): old SQLite builds allow 999 bound parameters


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
        client_since=client.client_since,
        version=client.version or 1,
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


@dataclasses.dataclass(frozen=True)
class PurchaseFigures:
    """What a client's purchases add up to, as the card keeps it."""

    count: int
    revenue: Decimal
    last_purchase_on: date | None


def purchase_figures(session: Session, ids: Iterable[int]) -> dict[int, PurchaseFigures]:
    """The purchase figures of the clients ``ids`` from their purchases, in grouped queries.

    A purchase counts when its amount is positive (returns and zero corrections do not); the revenue
    sums every amount; the last purchase is the latest date with a positive amount. A client without
    purchases gets zeros.
    """
    positive = Purchase.amount > 0
    wanted = list(dict.fromkeys(ids))
    out = {cid: PurchaseFigures(0, Decimal(0), None) for cid in wanted}
    for start in range(0, len(wanted), _IN_CHUNK):
        rows = session.execute(
            select(
                Purchase.client_id,
                func.count(case((positive, 1))),
                func.sum(Purchase.amount),
                func.max(case((positive, Purchase.purchased_on))),
            )
            .where(Purchase.client_id.in_(wanted[start : start + _IN_CHUNK]))
            .group_by(Purchase.client_id)
        )
        for cid, count, total, last in rows:
            last_on = date.fromisoformat(last) if isinstance(last, str) else last
            out[cid] = PurchaseFigures(int(count or 0), total if total is not None else Decimal(0), last_on)
    return out


def refresh_purchase_figures(session: Session, client: Client) -> None:
    """Recompute the client's purchase count, revenue and last purchase from its purchases.

    The figures are :func:`purchase_figures`'.
    """
    session.flush()
    figures = purchase_figures(session, [client.id])[client.id]
    client.purchase_count = figures.count
    client.revenue_total = figures.revenue
    client.last_purchase_on = figures.last_purchase_on


def refresh_purchase_figures_many(
    session: Session, ids: Iterable[int], *, at: datetime | None = None
) -> dict[int, PurchaseFigures]:
    """:func:`refresh_purchase_figures` for many clients at once (an import of purchases).

    The figures are computed in grouped queries and written in one ``executemany``; clients loaded in
    the session are updated too. ``at``, when given, becomes the clients' ``updated_at``.

    Returns:
        The new figures by client id.
    """
    session.flush()
    figures = purchase_figures(session, ids)
    if not figures:
        return figures
    table = cast(Table, Client.__table__)
    values: dict[str, Any] = {
        "purchase_count": bindparam("p_count"),
        "revenue_total": bindparam("p_revenue", type_=Client.revenue_total.type),
        "last_purchase_on": bindparam("p_last", type_=Client.last_purchase_on.type),
    }
    if at is not None:
        values["updated_at"] = at
    session.execute(
        update(table).where(table.c.id == bindparam("p_id")).values(**values),
        [
            {"p_id": cid, "p_count": f.count, "p_revenue": f.revenue, "p_last": f.last_purchase_on}
            for cid, f in figures.items()
        ],
    )
    for cid, f in figures.items():
        client = session.identity_map.get(identity_key(Client, cid))
        if isinstance(client, Client):
            set_committed_value(client, "purchase_count", f.count)
            set_committed_value(client, "revenue_total", f.revenue)
            set_committed_value(client, "last_purchase_on", f.last_purchase_on)
            if at is not None:
                set_committed_value(client, "updated_at", at)
    return figures


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
