"""The audit journal: every change to the base, export and print, with who and when.

Entries written inside :func:`operation` are grouped: each carries ``operation_id``, the id of the action's
first entry, so the journal shows one user action (an edit, a merge, an import, a bulk edit) as one line
and :mod:`custdesk.core.services.journal` undoes it as a whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from custdesk.core.models import AuditEntry, UndoData
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
    op = session.info.get(_OPERATION)
    if isinstance(op, Operation):
        op.join(session, entry)
    return entry


_OPERATION = "custdesk.audit.operation"


@dataclass
class Operation:
    """One user action being journalled: its first entry, and what undoing it needs.

    Attributes:
        kind: what the action is (``edit``, ``merge``, ``import``, ``bulk_edit``, ``undo``...).
        undoes: the first entry of the action this one takes back (an undo), else None.
        head: the action's first entry (None until one is written).
        undo_rows: rows the action changed, as :mod:`custdesk.core.services.journal` images.
        created: ids of rows the action made, by table (``clients``, ``purchases``, ``interactions``).
    """

    kind: str
    undoes: int | None = None
    head: AuditEntry | None = None
    undo_rows: list[dict[str, Any]] = field(default_factory=list)
    created: dict[str, list[int]] = field(default_factory=dict)

    @property
    def id(self) -> int | None:
        """The operation's id: its first entry's id (None before any entry)."""
        return self.head.id if self.head is not None else None

    def join(self, session: Session, entry: AuditEntry) -> None:
        """Make ``entry`` part of this operation (the first one becomes its head)."""
        if self.head is None:
            session.flush()
            entry.operation_id = entry.id
            self.head = entry
        else:
            entry.operation_id = self.head.id
        entry.undoes = self.undoes

    def claim_bulk_entries(self, session: Session) -> None:
        """Adopt entries written past :func:`record` (bulk inserts) since the head, in this transaction."""
        if self.head is None:
            return
        session.flush()
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.id > self.head.id, AuditEntry.operation_id.is_(None))
            .values(operation_id=self.head.id, undoes=self.undoes)
        )


@contextmanager
def operation(
    session: Session,
    kind: str,
    summary: Any = None,
    *,
    undoes: int | None = None,
    who: str | None = None,
) -> Iterator[Operation]:
    """Group every journal entry written in the block as one user action, undone as a whole.

    Wrap a bulk edit (or any action of several changes) in it, in the action's own transaction::

        with db.session() as s, audit.operation(s, "bulk_edit", {"clients": 120, "field": "city"}):
            for client in chosen:
                ...  # change the field
                audit.record(s, "update", "client", client.id, field="city", old=old, new=new)

    Args:
        session: the action's transaction.
        kind: what the action is; with ``summary`` given, a first entry ``kind`` on ``base`` is written
            that names it (the journal's line for the action; ``summary`` is kept as JSON).
        summary: JSON-ready data describing the action, or None (no entry of its own).
        undoes: for an undo, the first entry of the action it takes back.
        who: who is working (None: the current user).

    An operation opened inside another joins the outer one.
    """
    outer = session.info.get(_OPERATION)
    if isinstance(outer, Operation):
        yield outer
        return
    op = Operation(kind, undoes=undoes)
    session.info[_OPERATION] = op
    try:
        if summary is not None:
            record(
                session, kind, "base", None, field=kind, new=json.dumps(summary, ensure_ascii=False), who=who
            )
        yield op
        if op.head is not None and (op.undo_rows or op.created):
            payload = {"rows": op.undo_rows, "created": op.created}
            session.add(UndoData(entry_id=op.head.id, kind=op.kind, payload=json.dumps(payload)))
            session.flush()
    finally:
        session.info.pop(_OPERATION, None)


def current_operation(session: Session) -> Operation | None:
    """The operation open in ``session``, if any."""
    op = session.info.get(_OPERATION)
    return op if isinstance(op, Operation) else None


def entries_for(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    """The journal of one record, oldest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(stmt))
