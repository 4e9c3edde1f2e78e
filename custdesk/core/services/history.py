"""The history of cooperation: logging calls, meetings, e-mails, visits and notes, and reading them back.

Logging a contact moves the client's last contact and schedules the next call by its call cycle; its
outcome moves the funnel marker by ``rules.after_outcome``. A contact sooner than the firm's minimum gap
after the last one is pestering and raises :class:`TooSoonError` unless the seller confirmed it.

Notes and mailings are history too, but they are not a conversation with the client: they neither
move the last contact nor the next call, and are never "too soon".
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from custdesk.core import rules
from custdesk.core.db import Database
from custdesk.core.dto import InteractionDTO, InteractionInput
from custdesk.core.errors import FieldError, TooSoonError, ValidationFailed
from custdesk.core.models import Interaction
from custdesk.core.services._shared import apply_funnel, display_name, firm_settings, load_client
from custdesk.core.services.audit import current_user, record
from custdesk.core.vocab import INTERACTION_KINDS, OUTCOMES
from custdesk.i18n import _, format_date, ngettext

# Kinds of entry that are a contact with the client (they move the call cycle).
CONTACT_KINDS = frozenset({"call", "meeting", "email", "visit"})
# A clock a few minutes fast on another PC is no reason to refuse an entry.
_CLOCK_SLACK = timedelta(minutes=5)
MAX_DURATION_SECONDS = 24 * 3600


def _to_dto(row: Interaction) -> InteractionDTO:
    return InteractionDTO(
        id=row.id,
        client_id=row.client_id,
        kind=row.kind,
        occurred_at=row.occurred_at,
        outcome=row.outcome,
        text=row.text,
        next_step=row.next_step,
        duration_seconds=row.duration_seconds,
        created_by=row.created_by,
    )


def validate_interaction(data: InteractionInput, *, now: datetime | None = None) -> list[FieldError]:
    """Every problem of a history entry, each naming its field (empty when it is fine)."""
    now = now or datetime.now()
    errors: list[FieldError] = []
    if data.kind not in INTERACTION_KINDS:
        errors.append(FieldError("kind", _("Choose the kind of the entry: a call, a meeting, an e-mail...")))
    if data.outcome not in OUTCOMES:
        errors.append(FieldError("outcome", _("Choose the outcome of the contact from the list.")))
    if data.occurred_at is not None and data.occurred_at > now + _CLOCK_SLACK:
        errors.append(
            FieldError(
                "occurred_at", _("The date of the contact cannot be in the future; log it when it happens.")
            )
        )
    if data.duration_seconds is not None and not 0 <= data.duration_seconds <= MAX_DURATION_SECONDS:
        errors.append(FieldError("duration_seconds", _("The duration must be from 0 seconds to 24 hours.")))
    return errors


def too_soon_message(client_name: str, last_contact: datetime, gap_days: int) -> str:
    """The translated question shown before pestering a client."""
    return ngettext(
        "The last contact with {name} was on {date}, less than {days} day ago. "
        "Contacting the client again so soon is pestering; confirm to log it anyway.",
        "The last contact with {name} was on {date}, less than {days} days ago. "
        "Contacting the client again so soon is pestering; confirm to log it anyway.",
        gap_days,
    ).format(name=client_name, date=format_date(last_contact.date()), days=gap_days)


def add_interaction(
    db: Database,
    client_id: int,
    data: InteractionInput,
    *,
    who: str | None = None,
    confirm_too_soon: bool = False,
) -> InteractionDTO:
    """Log an entry of the client's history and apply the working rules.

    A contact (call, meeting, e-mail, visit) newer than the last one becomes the last contact and
    schedules the next call by the client's call cycle. The outcome may move the funnel marker
    (``rules.after_outcome``): a refusal turns the client red, renewed interest leaves red.

    Args:
        db: the open base.
        client_id: the client.
        data: the entry; ``occurred_at`` None means now.
        who: who is working (None: the current user); stored as the entry's author.
        confirm_too_soon: the seller confirmed a contact sooner than the minimum gap.

    Returns:
        The stored entry.

    Raises:
        NotFoundError: there is no such client.
        ValidationFailed: the entry has a problem (kind, outcome, occurred_at, duration_seconds).
        TooSoonError: the contact is sooner than ``min_contact_gap_days`` after the last one and was
            not confirmed; nothing was stored.
    """
    now = datetime.now()
    errors = validate_interaction(data, now=now)
    if errors:
        raise ValidationFailed(errors)
    occurred = data.occurred_at or now
    author = who if who is not None else current_user()
    with db.session() as s:
        conf = firm_settings(s)
        client = load_client(s, client_id)
        is_contact = data.kind in CONTACT_KINDS
        last = client.last_contact_at
        newer = last is None or occurred >= last
        gap = int(conf["min_contact_gap_days"])
        if is_contact and newer and not confirm_too_soon and rules.is_too_soon(last, occurred, gap):
            assert last is not None
            raise TooSoonError(
                too_soon_message(display_name(client), last, gap), last_contact=last, gap_days=gap
            )

        row = Interaction(
            client_id=client.id,
            kind=data.kind,
            occurred_at=occurred,
            outcome=data.outcome,
            text=data.text.strip(),
            next_step=data.next_step.strip(),
            duration_seconds=data.duration_seconds,
            created_by=author,
            created_at=now,
        )
        s.add(row)
        s.flush()
        entry = {"client_id": client.id, "kind": row.kind, "occurred_at": row.occurred_at.isoformat()}
        entry |= {"outcome": row.outcome, "text": row.text, "next_step": row.next_step}
        record(
            s, "create", "interaction", row.id, new=json.dumps(entry, ensure_ascii=False), who=author, at=now
        )
        if is_contact and newer:
            client.last_contact_at = occurred
            cycle = rules.call_cycle_days(client.temperature, client.call_cycle_days, conf)
            client.next_call_on = rules.next_call_on(occurred, cycle, client.created_at.date())
        # An entry typed in late, older than what has set the marker since (a purchase, or the seller by
        # hand), is history only: an old refusal must not turn a client who bought since then red.
        by_hand = client.funnel_changed_at if client.funnel_reason == rules.REASON_MANUAL else None
        marker_set = max(
            (d for d in (by_hand, _day_start(client.last_purchase_on)) if d is not None), default=None
        )
        if marker_set is None or occurred >= marker_set:
            change = rules.after_outcome(client.funnel, client.purchase_count, data.outcome)
            apply_funnel(s, client, change, who=author, at=now)
        client.updated_at = now
        return _to_dto(row)


def _day_start(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min) if day is not None else None


def list_interactions(db: Database, client_id: int, *, limit: int | None = None) -> list[InteractionDTO]:
    """The client's history, newest first (``limit``: at most that many entries).

    Raises:
        NotFoundError: there is no such client.
    """
    with db.session() as s:
        load_client(s, client_id)
        stmt = (
            select(Interaction)
            .where(Interaction.client_id == client_id)
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_to_dto(row) for row in s.scalars(stmt)]


__all__ = [
    "CONTACT_KINDS",
    "add_interaction",
    "list_interactions",
    "too_soon_message",
    "validate_interaction",
]
