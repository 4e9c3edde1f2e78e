"""The Today view's work list: calls overdue and due, birthdays this week, contracts to prolong.

:func:`due` reads the four lists for a day; :func:`log_call` and :func:`snooze` are the two things a
seller does to a row besides opening the card. Archived (and merged) clients never appear.

Rules (DOMAIN.md; the ones marked *our rule* are CustDesk's choice):

- **Overdue calls**: active clients whose ``next_call_on`` is before the day; the longest overdue first.
- **Calls today**: ``next_call_on`` equals the day; hot clients first, then warm, then cold.
- **Birthdays**: the 7 days from the day on (the day itself and the six after it), across the year's end.
  *Our rule*: a client born on 29 February celebrates on 28 February in a year that is not a leap year.
- **Prolongations**: ``contract_end`` from the day to the day plus the firm setting
  ``prolongation_days_ahead`` (30 by default), both edges included; the soonest first.

Each list is limited to ``limit`` entries (the counts are always complete) so that a base of 100,000
clients imported without any contact history still opens its Today view at once. The queries are index
range scans: ``(archived, next_call_on)`` for calls and ``(archived, birthday_md)`` for birthdays, where
``birthday_md`` is month * 100 + day kept by migration 0003.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, extract, func, select
from sqlalchemy.orm import Session

from custdesk.core.db import Database
from custdesk.core.dto import InteractionDTO, InteractionInput
from custdesk.core.errors import FieldError, ValidationFailed
from custdesk.core.models import Client, Phone
from custdesk.core.services import history
from custdesk.core.services._shared import firm_settings, load_client
from custdesk.core.services.audit import record
from custdesk.i18n import _

BIRTHDAY_WINDOW_DAYS = 7
DEFAULT_LIMIT = 200
REASONS = ("overdue", "today", "birthday", "prolongation")
_TEMPERATURE_RANK = case({"hot": 0, "warm": 1, "cold": 2}, value=Client.temperature, else_=3)


@dataclass(frozen=True)
class DueEntry:
    """One row of the Today view.

    Attributes:
        client_id: the client's number in the base.
        external_id: the client's stable id (spreadsheets, other programs).
        kind: ``person`` or ``organisation``.
        name: the person's name (the contact person of an organisation).
        organisation: the organisation's name.
        phone: the primary phone in E.164, ``None`` without one.
        reason: ``overdue``, ``today``, ``birthday`` or ``prolongation``.
        due_on: the day the entry is about: the next call, the day the birthday is celebrated in the
            window, or the contract's end.
        days: ``due_on`` minus the day of the list (negative: overdue by that many days).
        temperature: ``hot``, ``warm`` or ``cold``.
        funnel: the funnel marker.
        next_call_on: the client's next call (any reason).
        last_contact_at: the last contact, ``None`` if never contacted.
        birthday: the date of birth (``None`` when not known).
        contract_no: the contract's number (may be empty).
        contract_end: the contract's end (``None`` when there is none).
    """

    client_id: int
    external_id: str
    kind: str
    name: str
    organisation: str
    phone: str | None
    reason: str
    due_on: date
    days: int
    temperature: str
    funnel: str
    next_call_on: date | None
    last_contact_at: datetime | None
    birthday: date | None
    contract_no: str
    contract_end: date | None

    @property
    def display_name(self) -> str:
        """The organisation for an organisation, else the person's name."""
        if self.kind == "organisation" and self.organisation:
            return self.organisation
        return self.name or self.organisation

    @property
    def age(self) -> int | None:
        """The age the client reaches on ``due_on`` (birthday entries; ``None`` without a year)."""
        if self.birthday is None or self.reason != "birthday":
            return None
        return self.due_on.year - self.birthday.year


@dataclass(frozen=True)
class DueList:
    """The four lists of the Today view for the day ``on``, each with its complete count."""

    on: date
    overdue: tuple[DueEntry, ...]
    today: tuple[DueEntry, ...]
    birthdays: tuple[DueEntry, ...]
    prolongations: tuple[DueEntry, ...]
    overdue_count: int
    today_count: int
    birthday_count: int
    prolongation_count: int
    prolongation_days_ahead: int

    @property
    def calls_count(self) -> int:
        """Calls to make: overdue plus due today."""
        return self.overdue_count + self.today_count

    @property
    def birthdays_today(self) -> tuple[DueEntry, ...]:
        """The birthdays celebrated on the day itself."""
        return tuple(e for e in self.birthdays if e.days == 0)

    @property
    def total(self) -> int:
        """Every entry of the four lists (a client may be in more than one)."""
        return self.calls_count + self.birthday_count + self.prolongation_count

    def section(self, reason: str) -> tuple[DueEntry, ...]:
        """The list for ``reason`` (one of :data:`REASONS`)."""
        return {
            "overdue": self.overdue,
            "today": self.today,
            "birthday": self.birthdays,
            "prolongation": self.prolongations,
        }[reason]

    def count(self, reason: str) -> int:
        """The complete count for ``reason`` (one of :data:`REASONS`)."""
        return {
            "overdue": self.overdue_count,
            "today": self.today_count,
            "birthday": self.birthday_count,
            "prolongation": self.prolongation_count,
        }[reason]


@dataclass(frozen=True)
class CallLogged:
    """What :func:`log_call` stored and what it changed on the client."""

    interaction: InteractionDTO
    next_call_on: date | None
    funnel: str
    funnel_changed: bool


# --- reading ---------------------------------------------------------------------------------------------


def celebrated_on(birthday_md: int, year: int) -> date:
    """The day a birthday of month-day key ``birthday_md`` (``1231``) is celebrated in ``year``.

    Our rule: 29 February is celebrated on 28 February in a year that is not a leap year.
    """
    month, day = divmod(birthday_md, 100)
    if (month, day) == (2, 29) and not calendar.isleap(year):
        day = 28
    return date(year, month, day)


def birthday_keys(on: date, days: int = BIRTHDAY_WINDOW_DAYS) -> dict[int, date]:
    """The month-day keys celebrated in the ``days`` days from ``on``, each with its day.

    The window may cross the year's end (27 December + 7 days reaches 2 January). On 28 February of a
    year that is not a leap year both ``228`` and ``229`` are celebrated (our rule).
    """
    keys: dict[int, date] = {}
    for offset in range(days):
        day = on + timedelta(days=offset)
        keys[day.month * 100 + day.day] = day
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            keys[229] = day
    return keys


def _birthday_md(dialect: str) -> Any:
    """The month-day key as SQL: the column kept by triggers on SQLite, computed elsewhere."""
    if dialect == "sqlite":
        return Client.birthday_md
    return extract("month", Client.birthday) * 100 + extract("day", Client.birthday)


def _primary_phone(dialect: str) -> Any:
    if dialect == "sqlite":
        return func.nullif(Client.primary_phone, "")
    return (
        select(Phone.number)
        .where(Phone.client_id == Client.id)
        .order_by(Phone.is_primary.desc(), Phone.position, Phone.id)
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )


def _fetch(
    s: Session,
    dialect: str,
    where: Sequence[ColumnElement[bool]],
    order: Sequence[Any],
    limit: int | None,
) -> list[Any]:
    stmt = (
        select(
            Client.id,
            Client.external_id,
            Client.kind,
            Client.name,
            Client.organisation,
            _primary_phone(dialect).label("phone"),
            Client.temperature,
            Client.funnel,
            Client.next_call_on,
            Client.last_contact_at,
            Client.birthday,
            _birthday_md(dialect).label("md"),
            Client.contract_no,
            Client.contract_end,
        )
        .where(Client.archived.is_(False), *where)
        .order_by(*order, Client.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(s.execute(stmt))


def _count(s: Session, where: Sequence[ColumnElement[bool]]) -> int:
    return int(s.scalar(select(func.count(Client.id)).where(Client.archived.is_(False), *where)) or 0)


def _entry(row: Any, reason: str, due_on: date, on: date) -> DueEntry:
    return DueEntry(
        client_id=row.id,
        external_id=row.external_id,
        kind=row.kind,
        name=row.name,
        organisation=row.organisation,
        phone=row.phone or None,
        reason=reason,
        due_on=due_on,
        days=(due_on - on).days,
        temperature=row.temperature,
        funnel=row.funnel,
        next_call_on=row.next_call_on,
        last_contact_at=row.last_contact_at,
        birthday=row.birthday,
        contract_no=row.contract_no,
        contract_end=row.contract_end,
    )


def due(db: Database, on: date | None = None, *, limit: int | None = DEFAULT_LIMIT) -> DueList:
    """The Today view's four lists for the day ``on`` (default: today).

    Args:
        db: the open base.
        on: the day the lists are for.
        limit: at most this many entries per list (``None``: all); the counts are complete.

    Returns:
        Overdue calls (longest overdue first), calls due on the day (hot first), birthdays in the 7 days
        from ``on`` (soonest first; 29 February on 28 February in a common year), and contracts ending
        within ``prolongation_days_ahead`` days of ``on`` (edges included; soonest first).
    """
    on = on or date.today()
    dialect = db.engine.dialect.name
    with db.session() as s:
        ahead = int(firm_settings(s)["prolongation_days_ahead"])
        overdue_where = [Client.next_call_on < on]
        today_where = [Client.next_call_on == on]
        keys = birthday_keys(on)
        md = _birthday_md(dialect)
        birthday_where = [md.in_(sorted(keys))]
        last_day = on + timedelta(days=ahead)
        prolong_where = [Client.contract_end >= on, Client.contract_end <= last_day]

        overdue = [
            _entry(r, "overdue", r.next_call_on, on)
            for r in _fetch(s, dialect, overdue_where, [Client.next_call_on, _TEMPERATURE_RANK], limit)
        ]
        today = [
            _entry(r, "today", on, on)
            for r in _fetch(s, dialect, today_where, [_TEMPERATURE_RANK, Client.name], limit)
        ]
        # Few rows: a week of birthdays. Sorted here by the day each is celebrated in the window.
        birthdays = sorted(
            (
                _entry(r, "birthday", keys[int(r.md)], on)
                for r in _fetch(s, dialect, birthday_where, [], None)
            ),
            key=lambda e: (e.due_on, e.display_name.casefold(), e.client_id),
        )
        prolongations = [
            _entry(r, "prolongation", r.contract_end, on)
            for r in _fetch(s, dialect, prolong_where, [Client.contract_end], limit)
        ]

        def counted(entries: list[DueEntry], where: list[ColumnElement[bool]]) -> int:
            # A list shorter than the limit is complete: no second scan to count it.
            return _count(s, where) if limit is not None and len(entries) >= limit else len(entries)

        return DueList(
            on=on,
            overdue=tuple(overdue),
            today=tuple(today),
            birthdays=tuple(birthdays[:limit] if limit is not None else birthdays),
            prolongations=tuple(prolongations),
            overdue_count=counted(overdue, overdue_where),
            today_count=counted(today, today_where),
            birthday_count=len(birthdays),
            prolongation_count=counted(prolongations, prolong_where),
            prolongation_days_ahead=ahead,
        )


# --- acting on a row -------------------------------------------------------------------------------------


def log_call(
    db: Database,
    client_id: int,
    outcome: str,
    text: str = "",
    *,
    who: str | None = None,
    confirm_too_soon: bool = False,
) -> CallLogged:
    """Log a call made now from the Today view: a history entry through the history service.

    The call becomes the last contact and schedules the next call by the client's cycle (its override,
    else the default of its temperature); its outcome applies the funnel rules (a refusal or an end of
    cooperation turns the client red by its history, renewed interest leaves red).

    Args:
        db: the open base.
        client_id: the client called.
        outcome: a key of ``vocab.OUTCOMES`` (``reached``, ``no-answer``, ``refused``, ...).
        text: an optional note.
        who: who called (None: the current user).
        confirm_too_soon: the seller confirmed a call sooner than the minimum gap.

    Returns:
        The stored entry with the client's new next call and marker.

    Raises:
        NotFoundError: there is no such client.
        ValidationFailed: the outcome is not one of the list.
        TooSoonError: the call is sooner than the minimum gap and was not confirmed (nothing stored).
    """
    with db.session() as s:
        before = load_client(s, client_id).funnel
    entry = history.add_interaction(
        db,
        client_id,
        InteractionInput(kind="call", outcome=outcome, text=text),
        who=who,
        confirm_too_soon=confirm_too_soon,
    )
    with db.session() as s:
        client = load_client(s, client_id)
        return CallLogged(entry, client.next_call_on, client.funnel, client.funnel != before)


def snooze(db: Database, client_id: int, to: date, *, who: str | None = None) -> date:
    """Move the client's next call to ``to`` (journalled as a change of ``next_call_on``).

    The cycle is not changed: the next logged contact schedules by it again.

    Raises:
        NotFoundError: there is no such client.
        ValidationFailed: ``to`` is in the past (field ``next_call_on``).
    """
    if not isinstance(to, date) or isinstance(to, datetime):
        raise ValidationFailed([FieldError("next_call_on", _("Choose the day of the next call."))])
    if to < date.today():
        raise ValidationFailed(
            [FieldError("next_call_on", _("The next call cannot be in the past; choose today or later."))]
        )
    with db.session() as s:
        client = load_client(s, client_id)
        if client.next_call_on != to:
            now = datetime.now()
            record(
                s,
                "update",
                "client",
                client.id,
                field="next_call_on",
                old=client.next_call_on,
                new=to,
                who=who,
                at=now,
            )
            client.next_call_on = to
            client.updated_at = now
        return to


__all__ = [
    "BIRTHDAY_WINDOW_DAYS",
    "REASONS",
    "CallLogged",
    "DueEntry",
    "DueList",
    "birthday_keys",
    "celebrated_on",
    "due",
    "log_call",
    "snooze",
]
