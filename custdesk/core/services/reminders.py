"""Reminders of a client: something to do on a day (a call, a birthday, a contract prolongation).

``ReminderInput`` and ``ReminderDTO`` live here rather than in ``dto.py`` because only this service and
the card's Reminders tab use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from custdesk.core.db import Database
from custdesk.core.errors import FieldError, NotFoundError, ValidationFailed
from custdesk.core.models import Reminder
from custdesk.core.services._shared import load_client
from custdesk.core.services.audit import record
from custdesk.core.vocab import REMINDER_KINDS
from custdesk.i18n import _


@dataclass(frozen=True)
class ReminderInput:
    """A reminder as entered."""

    kind: str
    due_on: date
    text: str = ""
    due_time: time | None = None


@dataclass(frozen=True)
class ReminderDTO:
    """A stored reminder; ``done_at`` is set once it is done."""

    id: int
    client_id: int
    kind: str
    due_on: date
    text: str
    done_at: datetime | None
    created_at: datetime
    due_time: time | None = None  # None: due the whole day

    @property
    def due_at(self) -> datetime | None:
        """When a reminder with a time of day is due (None: it has no time)."""
        return datetime.combine(self.due_on, self.due_time) if self.due_time is not None else None

    @property
    def done(self) -> bool:
        """Whether the reminder was completed."""
        return self.done_at is not None


def validate_reminder(data: ReminderInput) -> list[FieldError]:
    """Every problem of a reminder, each naming its field (empty when it is fine)."""
    errors: list[FieldError] = []
    if data.kind not in REMINDER_KINDS:
        errors.append(FieldError("kind", _("Choose the kind of the reminder from the list.")))
    if not isinstance(data.due_on, date):
        errors.append(FieldError("due_on", _("Enter the day of the reminder.")))
    if data.kind == "custom" and not data.text.strip():
        errors.append(FieldError("text", _("Write what the reminder is about.")))
    return errors


def _to_dto(row: Reminder) -> ReminderDTO:
    return ReminderDTO(
        row.id, row.client_id, row.kind, row.due_on, row.text, row.done_at, row.created_at, row.due_time
    )


def _order(r: ReminderDTO) -> tuple[date, bool, time, int]:
    """By day; on a day, the whole-day reminders first, then by the time."""
    return (r.due_on, r.due_time is not None, r.due_time or time.min, r.id)


def _load(session: Session, reminder_id: int) -> Reminder:
    row = session.get(Reminder, reminder_id)
    if row is None:
        raise NotFoundError(
            _("There is no reminder with the number {id} in this base.").format(id=reminder_id)
        )
    return row


def add_reminder(
    db: Database,
    client_id: int,
    kind: str,
    due_on: date,
    text: str = "",
    *,
    at: time | None = None,
    who: str | None = None,
) -> ReminderDTO:
    """Add a reminder to the client.

    Args:
        db: the open base.
        client_id: the client.
        kind: a key of ``vocab.REMINDER_KINDS`` (``call``, ``birthday``, ``prolongation``, ``custom``).
        due_on: the day it is due.
        text: what to do (required for a ``custom`` reminder).
        at: the time of day it is due at (None: the whole day); seconds are dropped.
        who: who is working (None: the current user).

    Raises:
        NotFoundError: there is no such client.
        ValidationFailed: a problem with ``kind``, ``due_on`` or ``text``.
    """
    data = ReminderInput(kind, due_on, text.strip(), at.replace(second=0, microsecond=0) if at else None)
    errors = validate_reminder(data)
    if errors:
        raise ValidationFailed(errors)
    with db.session() as s:
        client = load_client(s, client_id)
        now = datetime.now()
        row = Reminder(
            client_id=client.id,
            kind=data.kind,
            due_on=data.due_on,
            due_time=data.due_time,
            text=data.text,
            created_at=now,
        )
        s.add(row)
        s.flush()
        when = datetime.combine(row.due_on, row.due_time) if row.due_time is not None else row.due_on
        record(s, "create", "reminder", row.id, field="due_on", new=when, who=who, at=now)
        return _to_dto(row)


def list_reminders(db: Database, client_id: int, *, include_done: bool = False) -> list[ReminderDTO]:
    """The client's reminders by due day, earliest first (done ones only with ``include_done``).

    Raises:
        NotFoundError: there is no such client.
    """
    with db.session() as s:
        load_client(s, client_id)
        stmt = select(Reminder).where(Reminder.client_id == client_id)
        if not include_done:
            stmt = stmt.where(Reminder.done_at.is_(None))
        return sorted((_to_dto(row) for row in s.scalars(stmt)), key=_order)


def timed_reminders(db: Database, first: date, last: date) -> list[ReminderDTO]:
    """The open reminders with a time of day due from ``first`` to ``last`` (inclusive), by time (the
    notifications read these)."""
    with db.session() as s:
        stmt = select(Reminder).where(
            Reminder.done_at.is_(None),
            Reminder.due_time.is_not(None),
            Reminder.due_on >= first,
            Reminder.due_on <= last,
        )
        return sorted((_to_dto(row) for row in s.scalars(stmt)), key=_order)


def complete_reminder(db: Database, reminder_id: int, *, who: str | None = None) -> ReminderDTO:
    """Mark a reminder done (completing it twice changes nothing).

    Raises:
        NotFoundError: there is no such reminder.
    """
    with db.session() as s:
        row = _load(s, reminder_id)
        if row.done_at is None:
            now = datetime.now()
            row.done_at = now
            record(s, "update", "reminder", row.id, field="done_at", old=None, new=now, who=who, at=now)
        return _to_dto(row)


def snooze_reminder(db: Database, reminder_id: int, to: date, *, who: str | None = None) -> ReminderDTO:
    """Move a reminder to another day (not before today); a done reminder is open again.

    Raises:
        NotFoundError: there is no such reminder.
        ValidationFailed: ``to`` is before today (field ``due_on``).
    """
    if to < date.today():
        raise ValidationFailed(
            [FieldError("due_on", _("A reminder can be moved to today or a later day only."))]
        )
    with db.session() as s:
        row = _load(s, reminder_id)
        now = datetime.now()
        if row.due_on != to:
            record(s, "update", "reminder", row.id, field="due_on", old=row.due_on, new=to, who=who, at=now)
            row.due_on = to
        if row.done_at is not None:
            record(
                s, "update", "reminder", row.id, field="done_at", old=row.done_at, new=None, who=who, at=now
            )
            row.done_at = None
        return _to_dto(row)
