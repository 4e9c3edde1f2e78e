"""Purchases (deals): add, edit, delete, list and total them, keeping the client's figures in step.

The client row carries a purchase count (purchases with a positive amount: returns and zero
corrections do not count), the revenue (the sum of every amount, returns included) and the date of the
last purchase with a positive amount; they change in the same transaction as the purchases. A new
purchase may move the funnel marker by ``rules.after_purchase`` (first: gold, third: platinum).
Money is ``Decimal`` end to end; a float is refused.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from custdesk.core import rules
from custdesk.core.db import Database
from custdesk.core.dto import PurchaseDTO, PurchaseInput, PurchaseTotals
from custdesk.core.errors import FieldError, NotFoundError, ValidationFailed
from custdesk.core.models import CENT, Client, Purchase
from custdesk.core.services import access
from custdesk.core.services._shared import apply_funnel, load_client, refresh_purchase_figures
from custdesk.core.services.audit import record
from custdesk.i18n import _

# Larger amounts are typing errors (and would not fit the integer minor units).
MAX_AMOUNT = Decimal("1000000000000")
_DOCUMENT_NO_MAX = 64
PURCHASE_FIELDS = ("purchased_on", "amount", "profit", "items", "document_no")


def _money_error(field: str, value: object, *, required: bool) -> str | None:
    if value is None:
        return _("Enter the amount of the purchase.") if required else None
    if isinstance(value, float):
        # A programming error, not a typing one: money must never pass through a float.
        raise TypeError(f"{field} must be a Decimal, never a float")
    if not isinstance(value, Decimal | int) or isinstance(value, bool):
        raise TypeError(f"{field} must be a Decimal")
    number = Decimal(value)
    if not number.is_finite() or abs(number) >= MAX_AMOUNT:
        if field == "amount":
            return _("The amount is not a sensible sum of money.")
        return _("The profit is not a sensible sum of money.")
    if number != number.quantize(CENT):
        if field == "amount":
            return _("The amount may have at most two decimal places.")
        return _("The profit may have at most two decimal places.")
    return None


def validate_purchase(data: PurchaseInput, *, today: date | None = None) -> list[FieldError]:
    """Every problem of a purchase, each naming its field (empty when it is fine).

    Raises:
        TypeError: an amount is a float (money never is).
    """
    errors: list[FieldError] = []
    if not isinstance(data.purchased_on, date):
        errors.append(FieldError("purchased_on", _("Enter the date of the purchase.")))
    elif data.purchased_on > (today or date.today()):
        errors.append(FieldError("purchased_on", _("The date of the purchase cannot be in the future.")))
    for field, required in (("amount", True), ("profit", False)):
        message = _money_error(field, getattr(data, field), required=required)
        if message is not None:
            errors.append(FieldError(field, message))
    if len(data.document_no.strip()) > _DOCUMENT_NO_MAX:
        errors.append(
            FieldError(
                "document_no",
                _("The document number is too long: at most {max} characters.").format(max=_DOCUMENT_NO_MAX),
            )
        )
    return errors


def _clean(data: PurchaseInput) -> PurchaseInput:
    errors = validate_purchase(data)
    if errors:
        raise ValidationFailed(errors)
    return PurchaseInput(
        purchased_on=data.purchased_on,
        amount=Decimal(data.amount).quantize(CENT),
        profit=Decimal(data.profit).quantize(CENT) if data.profit is not None else None,
        items=data.items.strip(),
        document_no=" ".join(data.document_no.split()),
    )


def _to_dto(row: Purchase) -> PurchaseDTO:
    return PurchaseDTO(
        id=row.id,
        client_id=row.client_id,
        purchased_on=row.purchased_on,
        amount=row.amount,
        profit=row.profit,
        items=row.items,
        document_no=row.document_no,
    )


def _shown(dto: PurchaseDTO, sees_profit: bool) -> PurchaseDTO:
    """The purchase as the acting user may see it: without profit for a seller."""
    return dto if sees_profit else dataclasses.replace(dto, profit=None)


def _json(row: Purchase) -> str:
    return json.dumps(
        {
            "client_id": row.client_id,
            "purchased_on": row.purchased_on.isoformat(),
            "amount": str(row.amount),
            "profit": str(row.profit) if row.profit is not None else None,
            "items": row.items,
            "document_no": row.document_no,
        },
        ensure_ascii=False,
    )


def _load(session: Session, purchase_id: int) -> Purchase:
    row = session.get(Purchase, purchase_id)
    if row is None:
        raise NotFoundError(
            _("There is no purchase with the number {id} in this base.").format(id=purchase_id)
        )
    return row


def _after_change(session: Session, client: Client, who: str | None, now: datetime) -> None:
    """Recompute the client's figures; a purchase that raised the count may move the marker."""
    before = client.purchase_count
    refresh_purchase_figures(session, client)
    if client.purchase_count > before:
        apply_funnel(
            session, client, rules.after_purchase(client.funnel, client.purchase_count), who=who, at=now
        )
    client.updated_at = now


def add_purchase(db: Database, client_id: int, data: PurchaseInput, *, who: str | None = None) -> PurchaseDTO:
    """Store a purchase of the client (a zero or negative amount is a return or a correction).

    Args:
        db: the open base.
        client_id: the client.
        data: the purchase; amounts are Decimal.
        who: who is working (None: the current user).

    Returns:
        The stored purchase.

    Raises:
        NotFoundError: there is no such client.
        ValidationFailed: a problem with ``purchased_on``, ``amount``, ``profit`` or ``document_no``.
        TypeError: an amount is a float.
    """
    clean = _clean(data)
    sees_profit = access.allows(db, access.Permission.SEE_PROFIT)
    if not sees_profit:  # a seller neither sees nor sets profit
        clean = dataclasses.replace(clean, profit=None)
    with db.session() as s:
        client = load_client(s, client_id)
        now = datetime.now()
        row = Purchase(
            client_id=client.id,
            purchased_on=clean.purchased_on,
            amount=clean.amount,
            profit=clean.profit,
            items=clean.items,
            document_no=clean.document_no,
            created_at=now,
        )
        s.add(row)
        s.flush()
        record(s, "create", "purchase", row.id, new=_json(row), who=who, at=now)
        _after_change(s, client, who, now)
        return _shown(_to_dto(row), sees_profit)


def update_purchase(
    db: Database, purchase_id: int, data: PurchaseInput, *, who: str | None = None
) -> PurchaseDTO:
    """Change a purchase; each changed field goes to the journal with its old and new value.

    Raises:
        NotFoundError: there is no such purchase.
        ValidationFailed: a problem with the input.
        TypeError: an amount is a float.
    """
    clean = _clean(data)
    sees_profit = access.allows(db, access.Permission.SEE_PROFIT)
    with db.session() as s:
        row = _load(s, purchase_id)
        now = datetime.now()
        if not sees_profit:  # a seller's form has no profit: the stored one stays
            clean = dataclasses.replace(clean, profit=row.profit)
        for field in PURCHASE_FIELDS:
            old, new = getattr(row, field), getattr(clean, field)
            if old != new:
                record(s, "update", "purchase", row.id, field=field, old=old, new=new, who=who, at=now)
                setattr(row, field, new)
        _after_change(s, load_client(s, row.client_id), who, now)
        return _shown(_to_dto(row), sees_profit)


def delete_purchase(db: Database, purchase_id: int, *, who: str | None = None) -> PurchaseDTO:
    """Delete a purchase entered by mistake; the journal keeps all its values.

    A marker the purchase gave stays (the funnel never moves back by itself).

    Returns:
        The purchase as it was.

    Raises:
        NotFoundError: there is no such purchase.
    """
    with db.session() as s:
        row = _load(s, purchase_id)
        gone = _to_dto(row)
        now = datetime.now()
        record(s, "delete", "purchase", row.id, old=_json(row), who=who, at=now)
        client = load_client(s, row.client_id)
        s.delete(row)
        _after_change(s, client, who, now)
        return _shown(gone, access.allows(db, access.Permission.SEE_PROFIT))


def list_purchases(db: Database, client_id: int) -> list[PurchaseDTO]:
    """The client's purchases, newest first.

    Raises:
        NotFoundError: there is no such client.
    """
    with db.session() as s:
        load_client(s, client_id)
        stmt = (
            select(Purchase)
            .where(Purchase.client_id == client_id)
            .order_by(Purchase.purchased_on.desc(), Purchase.id.desc())
        )
        rows = [_to_dto(row) for row in s.scalars(stmt)]
    sees_profit = access.allows(db, access.Permission.SEE_PROFIT)
    return [_shown(row, sees_profit) for row in rows]


def purchase_totals(db: Database, client_id: int) -> PurchaseTotals:
    """The client's purchases summed up.

    ``count``, ``first`` and ``last`` take purchases with a positive amount; ``total`` sums every
    amount (returns subtract); ``profit`` sums the known profits (None when none is known);
    ``average`` is the total per counted purchase (None without one).

    Raises:
        NotFoundError: there is no such client.
    """
    positive = Purchase.amount > 0
    with db.session() as s:
        load_client(s, client_id)
        count, total, profit, known, first, last = s.execute(
            select(
                func.count(case((positive, 1))),
                func.sum(Purchase.amount),
                func.sum(Purchase.profit),
                func.count(Purchase.profit),
                func.min(case((positive, Purchase.purchased_on))),
                func.max(case((positive, Purchase.purchased_on))),
            ).where(Purchase.client_id == client_id)
        ).one()
    total = total if total is not None else Decimal(0)
    return PurchaseTotals(
        count=int(count),
        total=total,
        profit=profit if known and access.allows(db, access.Permission.SEE_PROFIT) else None,
        first=_as_date(first),
        last=_as_date(last),
        average=(total / count).quantize(CENT) if count else None,
    )


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
