"""The audit journal: every change to the base, export and print, with who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from custdesk.core.models import AuditEntry
from custdesk.core.services import access  # journal_chain: each commit seals the entries

_current_user: str | None = None


def set_current_user(name: str | None) -> None:
    """Name the person working (None: the operating-system account)."""
    global _current_user
    _current_user = name


def current_user() -> str:
    """Who is working now, as the journal records it: the signed-in user, else the operating-system
    account (asked of the system: ``USER=someone`` in the environment changes nothing)."""
    signed_in = access.signed_in()
    if signed_in is not None:
        return signed_in.name
    if _current_user:
        return _current_user
    return access.os_account()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    field: str = "",
    old: Any = None,
    new: Any = None,
    who: str | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add one journal entry to the session's transaction.

    The entry is refused (:class:`~custdesk.core.services.access.AccessDenied`) when the user acting on a
    protected base may not make such a change; there its "who" is always the signed-in user.
    """
    actor = access.check_entry(session, action, entity, field)
    if actor.protected:
        who = actor.name
    entry = AuditEntry(
        at=at or datetime.now(),
        who=who if who is not None else current_user(),
        action=action,
        entity=entity,
        entity_id=entity_id,
        field=field,
        old=_text(old),
        new=_text(new),
    )
    session.add(entry)
    return entry


def entries_for(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    """The journal of one record, oldest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(stmt))
