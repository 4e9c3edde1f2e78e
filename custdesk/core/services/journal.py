"""Reading the journal, and undoing what it records.

Every entry belongs to a user action (``audit.operation_id``; an entry written before actions were
grouped is an action of its own). :func:`undo` takes a whole action back, in one transaction, as a new
action of kind ``undo`` that names the one it undid (``audit.undoes``), so an undo can itself be undone:

- a field edit puts the old value back; when the field has changed since, :class:`UndoNeedsConfirmation`
  asks first (``force=True`` goes ahead);
- archive and restore undo each other;
- a merge (and anything else that kept row images in ``undo_data``) puts every row back exactly as it was,
  when the base still holds the rows as the action left them; otherwise :class:`UndoRefused` says what
  blocks it;
- an import (and a card, purchase or history entry made by hand) takes out what it made and puts back
  the fields it changed; rows later work touched block, :class:`UndoBlocked` lists them and
  ``partial=True`` undoes the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Date, DateTime, Integer, and_, or_, select
from sqlalchemy.orm import Session

from custdesk.core import rules
from custdesk.core.db import Database
from custdesk.core.dto import Change, ClientInput, EmailInput, PhoneInput
from custdesk.core.errors import CustDeskError, NotFoundError
from custdesk.core.models import AuditEntry, Client, Interaction, Money, Purchase, Reminder, UndoData
from custdesk.core.services import access, row_images
from custdesk.core.services._shared import (
    display_name,
    emails_text,
    phones_text,
    refresh_purchase_figures_many,
)
from custdesk.core.services.audit import _text, operation, record
from custdesk.core.validation import field_label
from custdesk.i18n import _, ngettext

KINDS = ("edit", "marker", "merge", "import", "export", "print", "archive", "restore", "undo")
_MODELS: dict[str, Any] = {
    "client": Client,
    "purchase": Purchase,
    "interaction": Interaction,
    "reminder": Reminder,
}
_TABLE_OF = {
    "client": "clients",
    "purchase": "purchases",
    "interaction": "interactions",
    "reminder": "reminders",
}
_CONTACT_FIELDS = ("phones", "emails", "tags")
_IN = 500


class UndoRefused(CustDeskError):
    """The action cannot be undone (already undone, nothing in the base to undo, or later work blocks it)."""


class UndoNeedsConfirmation(CustDeskError):
    """Fields the action changed have changed again since; undoing overwrites that (``force=True``)."""


class UndoBlocked(CustDeskError):
    """Later work touches part of the action; ``partial=True`` undoes the rest.

    Attributes:
        blockers: what blocks, one translated line each.
        safe: what can still be undone, one translated sentence.
    """

    def __init__(self, message: str, blockers: list[str], safe: str) -> None:
        super().__init__(message)
        self.blockers = blockers
        self.safe = safe


@dataclass(frozen=True)
class JournalEntry:
    """One journal entry as the journal window and ``custdesk-cli journal`` show it."""

    id: int
    at: datetime
    who: str
    kind: str  # one of KINDS, or the raw action for others
    action: str
    entity: str
    entity_id: int | None
    field: str
    old: str | None
    new: str | None
    operation_id: int | None
    undoes: int | None
    client_id: int | None
    client_name: str
    undone_by: int | None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data (English keys)."""
        data = dict(vars(self))
        data["at"] = self.at.isoformat(timespec="seconds")
        return data


@dataclass(frozen=True)
class UndoResult:
    """What an undo did.

    Attributes:
        entry_id: the undo's own first journal entry (undo it to redo).
        undone: the first entry of the action taken back.
        clients: the clients whose cards changed.
        message: one translated sentence for the user.
    """

    entry_id: int
    undone: int
    clients: tuple[int, ...]
    message: str

    def change(self) -> Change:
        """The change to announce to the views."""
        return Change("client", self.clients, extra={"undo": self.entry_id})


# --- Reading -------------------------------------------------------------------------------------------


def kind_of(action: str, field_name: str) -> str:
    """The journal kind of an entry (``edit``, ``marker``, ``merge``...)."""
    if action == "update" and field_name == "funnel":
        return "marker"
    if action in ("create", "update", "delete"):
        return "edit"
    return action


def _kind_filter(kind: str) -> ColumnElement[bool]:
    if kind == "marker":
        return and_(AuditEntry.action == "update", AuditEntry.field == "funnel")
    if kind == "edit":
        return and_(
            AuditEntry.action.in_(("create", "update", "delete")),
            or_(AuditEntry.action != "update", AuditEntry.field != "funnel"),
        )
    if kind == "undo":
        return AuditEntry.undoes.is_not(None)
    return AuditEntry.action == kind


def _client_filter(client_id: int) -> ColumnElement[bool]:
    parts = [and_(AuditEntry.entity == "client", AuditEntry.entity_id == client_id)]
    for entity, model in (("purchase", Purchase), ("interaction", Interaction), ("reminder", Reminder)):
        ids = select(model.id).where(model.client_id == client_id).scalar_subquery()
        parts.append(and_(AuditEntry.entity == entity, AuditEntry.entity_id.in_(ids)))
    return or_(*parts)


def undone_by(session: Session, head_id: int) -> int | None:
    """The undo (its first entry) that took the action ``head_id`` back and is not itself undone."""
    undos = select(AuditEntry.id).where(
        AuditEntry.undoes == head_id, AuditEntry.operation_id == AuditEntry.id
    )
    for uid in session.scalars(undos.order_by(AuditEntry.id.desc())):
        if undone_by(session, uid) is None:
            return uid
    return None


def list_entries(
    db: Database,
    *,
    client_id: int | None = None,
    who: str | None = None,
    kinds: tuple[str, ...] = (),
    since: date | None = None,
    until: date | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> list[JournalEntry]:
    """Journal entries, newest first.

    Args:
        db: the open base.
        client_id: only the entries of this card (its fields, purchases, history and reminders).
        who: only this person's entries.
        kinds: only these kinds (:data:`KINDS`); empty: all.
        since / until: only entries from / up to these days (inclusive).
        limit / offset: the page.
    """
    stmt = select(AuditEntry)
    if client_id is not None:
        stmt = stmt.where(_client_filter(client_id))
    if who:
        stmt = stmt.where(AuditEntry.who == who)
    if kinds:
        stmt = stmt.where(or_(*(_kind_filter(k) for k in kinds)))
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(since, time.min))
    if until is not None:
        stmt = stmt.where(AuditEntry.at < datetime.combine(until + timedelta(days=1), time.min))
    stmt = stmt.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    with db.session() as s:
        rows = list(s.scalars(stmt))
        client_of: dict[int, int | None] = {}
        for r in rows:
            if r.entity == "client":
                client_of[r.id] = r.entity_id
        for entity, model in (("purchase", Purchase), ("interaction", Interaction), ("reminder", Reminder)):
            ids = [r.entity_id for r in rows if r.entity == entity and r.entity_id is not None]
            owner: dict[int, int] = {}
            if ids:
                owner = {
                    int(i): int(c)
                    for i, c in s.execute(select(model.id, model.client_id).where(model.id.in_(ids)))
                }
            for r in rows:
                if r.entity == entity and r.entity_id is not None:
                    client_of[r.id] = owner.get(r.entity_id)
        cids = {c for c in client_of.values() if c is not None}
        names = (
            {c.id: display_name(c) for c in s.scalars(select(Client).where(Client.id.in_(cids)))}
            if cids
            else {}
        )
        heads = {r.operation_id or r.id for r in rows}
        with_undo = (
            set(s.scalars(select(AuditEntry.undoes).where(AuditEntry.undoes.in_(heads)))) if heads else set()
        )
        undone = {h: undone_by(s, h) for h in heads if h in with_undo}
        return [
            JournalEntry(
                id=r.id,
                at=r.at,
                who=r.who,
                kind=kind_of(r.action, r.field) if r.undoes is None else "undo",
                action=r.action,
                entity=r.entity,
                entity_id=r.entity_id,
                field=r.field,
                old=r.old,
                new=r.new,
                operation_id=r.operation_id,
                undoes=r.undoes,
                client_id=client_of.get(r.id),
                client_name=names.get(client_of.get(r.id) or 0, ""),
                undone_by=undone.get(r.operation_id or r.id),
            )
            for r in rows
        ]


def people(db: Database) -> list[str]:
    """Everyone the journal names, for the "who" filter."""
    with db.session() as s:
        return sorted(w for w in s.scalars(select(AuditEntry.who).distinct()) if w)


# --- Undo ----------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    images: list[row_images.Image] = field(default_factory=list)
    created: list[row_images.Image] = field(default_factory=list)
    fields: list[tuple[str, int, str, str | None, str | None]] = field(default_factory=list)
    toggles: list[tuple[int, bool]] = field(default_factory=list)  # (client, archived as it should be)
    blockers: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    clients: set[int] = field(default_factory=set)


def _client_label(session: Session, cid: int) -> str:
    client = session.get(Client, cid)
    name = display_name(client) if client is not None else ""
    return (
        _("the card of {name} (number {id})").format(name=name, id=cid)
        if name
        else _("the card number {id}").format(id=cid)
    )


def _row_label(session: Session, table: str, key: list[Any], row: dict[str, Any] | None) -> str:
    if table == "clients":
        return _client_label(session, int(key[0]))
    owner = (row or {}).get("client_id")
    card = _client_label(session, int(owner)) if owner is not None else ""
    if table == "purchases":
        return _("purchase number {id} of {card}").format(id=key[0], card=card)
    if table == "interactions":
        return _("history entry number {id} of {card}").format(id=key[0], card=card)
    if table == "reminders":
        return _("reminder number {id} of {card}").format(id=key[0], card=card)
    return _("a phone, e-mail or tag of {card}").format(card=card)


def _owner(image: row_images.Image) -> int | None:
    if image["t"] == "clients":
        return int(image["k"][0])
    for side in (image["a"], image["b"]):
        if side and side.get("client_id") is not None:
            return int(side["client_id"])
    return None


def _current_text(obj: Any, name: str) -> str | None:
    if name == "phones":
        return phones_text(obj.phones)
    if name == "emails":
        return emails_text(obj.emails)
    if name == "tags":
        return ", ".join(sorted(t.name for t in obj.tags))
    return _text(getattr(obj, name))


def _created_blockers(
    session: Session, head_id: int, table: str, ids: list[int], created: dict[str, set[int]]
) -> dict[int, str]:
    """Rows of ``ids`` (made by the action) that later work touched, with why."""
    entity = {v: k for k, v in _TABLE_OF.items()}[table]
    blocked: dict[int, str] = {}
    later = select(AuditEntry.entity_id, AuditEntry.id).where(
        AuditEntry.id > head_id,
        AuditEntry.entity == entity,
        or_(AuditEntry.operation_id.is_(None), AuditEntry.operation_id != head_id),
    )
    for start in range(0, len(ids), _IN):
        chunk = ids[start : start + _IN]
        for rid, eid in session.execute(later.where(AuditEntry.entity_id.in_(chunk))):
            blocked.setdefault(int(rid or 0), _("changed later (journal entry {id})").format(id=eid))
        if table != "clients":
            continue
        for model, name in (
            (Purchase, "purchases"),
            (Interaction, "interactions"),
            (Reminder, "reminders"),
        ):
            mine = created.get(name, set())
            for cid, rid in session.execute(
                select(model.client_id, model.id).where(model.client_id.in_(chunk))
            ):
                if rid not in mine:
                    blocked.setdefault(int(cid), _("has purchases, history or reminders added later"))
        merged = select(Client.merged_into_id).where(Client.merged_into_id.in_(chunk))
        for into in session.scalars(merged):
            blocked.setdefault(int(into or 0), _("another card was merged into it"))
        for cid in session.scalars(
            select(Client.id).where(Client.id.in_(chunk), Client.merged_into_id.is_not(None))
        ):
            blocked.setdefault(int(cid), _("it was merged into another card"))
    return blocked


def _plan(session: Session, head: AuditEntry, entries: list[AuditEntry], payload: dict[str, Any]) -> _Plan:
    plan = _Plan()
    images: list[row_images.Image] = payload.get("rows", [])
    now = row_images.current(session, images) if images else {}
    held = [im for im in images if row_images.holds_after(im, now)]
    bad_owners = {_owner(im) for im in images if not row_images.holds_after(im, now)}
    for im in images:
        if not row_images.holds_after(im, now):
            row = now.get((im["t"], tuple(im["k"])))
            plan.blockers.append(
                _("{what} was changed after this action").format(
                    what=_row_label(session, im["t"], im["k"], row or im["a"] or im["b"])
                )
            )
    plan.images = [im for im in held if _owner(im) is None or _owner(im) not in bad_owners]
    covered = {(im["t"], tuple(im["k"])) for im in images}
    for im in plan.images:
        owner = _owner(im)
        if owner is not None:
            plan.clients.add(owner)

    created: dict[str, set[int]] = {t: set(ids) for t, ids in payload.get("created", {}).items()}
    for e in entries:
        if e.action == "create" and e.entity in _TABLE_OF and e.entity_id is not None:
            created.setdefault(_TABLE_OF[e.entity], set()).add(e.entity_id)
    for table in ("purchases", "interactions", "reminders", "clients"):
        ids = sorted(i for i in created.get(table, set()) if (table, (i,)) not in covered)
        if not ids:
            continue
        blocked = _created_blockers(session, head.id, table, ids, created)
        for rid, why in sorted(blocked.items()):
            if len(plan.blockers) < 50:
                plan.blockers.append(
                    _("{what}: {why}").format(
                        what=_row_label(session, table, [rid], _owner_row(session, table, rid)), why=why
                    )
                )
            else:
                break
        if len(blocked) > 50:
            plan.blockers.append(
                ngettext("…and {n} more row", "…and {n} more rows", len(blocked) - 50).format(
                    n=len(blocked) - 50
                )
            )
        ok = [i for i in ids if i not in blocked]
        rows = row_images.full_rows(session, table, ok)
        if table == "clients":
            plan.clients.update(ok)
            rows = row_images.children_rows(session, ok) + rows
        else:
            plan.clients.update(int(r["a"]["client_id"]) for r in rows)
        plan.created.extend(rows)

    last: dict[tuple[str, int, str], list[AuditEntry]] = {}
    for e in entries:
        if e.entity_id is None or e.entity not in _MODELS or (e.undoes is None and e.action == "undo"):
            continue
        if (_TABLE_OF[e.entity], (e.entity_id,)) in covered or e.entity_id in created.get(
            _TABLE_OF[e.entity], set()
        ):
            continue
        if e.action == "update" and e.field:
            last.setdefault((e.entity, e.entity_id, e.field), []).append(e)
        elif e.action in ("archive", "restore") and e.entity == "client":
            client = session.get(Client, e.entity_id)
            if client is None or client.merged_into_id is not None:
                plan.blockers.append(
                    _("{what} no longer exists").format(what=_client_label(session, e.entity_id))
                )
                continue
            should_now = e.action == "archive"
            if client.archived != should_now:
                plan.changed.append(
                    (_("{what} was restored since") if should_now else _("{what} was archived since")).format(
                        what=_client_label(session, e.entity_id)
                    )
                )
            plan.toggles.append((e.entity_id, not should_now))
            plan.clients.add(e.entity_id)
    for (entity, eid, name), group in last.items():
        obj = session.get(_MODELS[entity], eid)
        model_table = row_images.TABLES[_TABLE_OF[entity]]
        known = name in model_table.c or (entity == "client" and name in _CONTACT_FIELDS)
        if not known:
            continue
        owner = eid if entity == "client" else getattr(obj, "client_id", None)
        label = (
            _client_label(session, eid)
            if entity == "client"
            else _row_label(session, _TABLE_OF[entity], [eid], {"client_id": owner})
        )
        if obj is None:
            plan.blockers.append(_("{what} no longer exists").format(what=label))
            continue
        old, new = group[0].old, group[-1].new
        if _current_text(obj, name) != new:
            plan.changed.append(
                _("{field} of {what} has changed since").format(field=field_label(name), what=label)
            )
        plan.fields.append((entity, eid, name, old, new))
        if owner is not None:
            plan.clients.add(int(owner))
    return plan


def _owner_row(session: Session, table: str, rid: int) -> dict[str, Any] | None:
    if table == "clients":
        return None
    model = _MODELS[{v: k for k, v in _TABLE_OF.items()}[table]]
    cid = session.scalar(select(model.client_id).where(model.id == rid))
    return {"client_id": cid}


def _parse_contacts(text: str | None) -> list[tuple[str, str, str, bool]]:
    """``phones_text``/``emails_text`` back into (value, extension, kind, primary)."""
    out = []
    for part in (text or "").split("; "):
        if not part:
            continue
        head, _sep, tail = part.rpartition(" (")
        flags = tail.rstrip(")").split(", ")
        value, _x, extension = head.partition(" x")
        out.append((value, extension, flags[0], "primary" in flags[1:]))
    return out


def _set_field(session: Session, entity: str, eid: int, name: str, text: str | None, who: str | None) -> None:
    from custdesk.core.services import clients as client_service

    obj = session.get(_MODELS[entity], eid)
    assert obj is not None  # the plan checked it exists
    now = datetime.now()
    before = _current_text(obj, name)
    if name == "phones":
        phones = tuple(PhoneInput(v, kind, primary, ext) for v, ext, kind, primary in _parse_contacts(text))
        client_service._set_contacts(obj, ClientInput(phones=phones), emails=False)
    elif name == "emails":
        emails = tuple(EmailInput(v, kind, primary) for v, _ext, kind, primary in _parse_contacts(text))
        client_service._set_contacts(obj, ClientInput(emails=emails), phones=False)
    elif name == "tags":
        obj.tags = client_service._tags_for(session, [t for t in (text or "").split(", ") if t])
    else:
        table = row_images.TABLES[_TABLE_OF[entity]]
        column = table.c[name]
        value: Any = None
        if isinstance(column.type, Boolean):
            value = text == "True"
        elif text is None:
            value = None if column.nullable else ""
        elif isinstance(column.type, Money):
            value = Decimal(text)
        elif isinstance(column.type, DateTime):
            value = datetime.fromisoformat(text)
        elif isinstance(column.type, Date):
            value = date.fromisoformat(text)
        elif isinstance(column.type, Integer):
            value = int(text)
        else:
            value = text
        setattr(obj, name, value)
        if entity == "client" and name == "funnel":
            obj.funnel_reason, obj.funnel_changed_at = rules.REASON_MANUAL, now
    if entity == "client":
        obj.updated_at = now
    record(session, "update", entity, eid, field=name, old=before, new=text, who=who, at=now)


def undo(
    db: Database, entry_id: int, *, force: bool = False, partial: bool = False, who: str | None = None
) -> UndoResult:
    """Undo the user action the journal entry ``entry_id`` belongs to, as a new journalled action.

    Args:
        db: the open base.
        entry_id: any entry of the action.
        force: undo fields that have changed since (after :class:`UndoNeedsConfirmation`).
        partial: undo what later work does not block (after :class:`UndoBlocked`).
        who: who is working (None: the current user).

    Raises:
        NotFoundError: there is no such entry.
        UndoRefused: already undone, nothing to undo, or (for a merge) later work blocks it.
        UndoNeedsConfirmation: fields changed since; call again with ``force=True``.
        UndoBlocked: later work blocks part of it; call again with ``partial=True``.
    """
    with db.session() as s:
        entry = s.get(AuditEntry, entry_id)
        if entry is None:
            raise NotFoundError(_("There is no journal entry number {id}.").format(id=entry_id))
        head_id = entry.operation_id or entry.id
        head = s.get(AuditEntry, head_id) or entry
        access.require(s, access.Permission.EDIT)
        if access.is_protected(s) and head.who != access.current(s).name:
            access.require(s, access.Permission.UNDO_OTHERS)  # another user's work: the owner's to undo
        by = undone_by(s, head_id)
        if by is not None:
            raise UndoRefused(
                _("This action was already undone (journal entry {id}); undo that entry to redo it.").format(
                    id=by
                )
            )
        if entry.operation_id is None:
            entries = [entry]
        else:
            entries = list(
                s.scalars(
                    select(AuditEntry).where(AuditEntry.operation_id == head_id).order_by(AuditEntry.id)
                )
            )
        kept = s.scalar(select(UndoData.payload).where(UndoData.entry_id == head_id))
        payload: dict[str, Any] = json.loads(kept) if kept else {}
        plan = _plan(s, head, entries, payload)
        actions = {e.action for e in entries}
        action = next((a for a in ("merge", "import", "undo") if a in actions), head.action)
        exact = action == "merge" or (
            action == "undo" and bool(payload.get("rows")) and not payload.get("created")
        )
        nothing = not (plan.images or plan.created or plan.fields or plan.toggles)
        if nothing and not plan.blockers:
            raise UndoRefused(_nothing_message(action))
        if plan.blockers and (exact or nothing):
            raise UndoRefused(
                _("This cannot be undone: later work changed what it touched.")
                + "\n"
                + "\n".join(plan.blockers)
            )
        if action == "import":
            plan.blockers.extend(plan.changed)
            plan.changed = []
        if plan.blockers and not partial:
            safe = _safe_sentence(plan)
            raise UndoBlocked(
                _("Part of this cannot be undone: later work changed it.")
                + "\n"
                + "\n".join(plan.blockers)
                + "\n"
                + safe,
                plan.blockers,
                safe,
            )
        if plan.changed and not force:
            raise UndoNeedsConfirmation(
                _("This has changed since:") + "\n" + "\n".join(plan.changed) + "\n" + _("Undo it anyway?")
            )
        if plan.blockers:  # partial: the changed fields of an import stay as they are
            blocked_text = set(plan.blockers)
            plan.fields = [f for f in plan.fields if not _is_blocked(s, f, blocked_text)]
        with operation(s, "undo", undoes=head_id, who=who) as op:
            summary = {"undoes": head_id, "action": action, "partial": bool(plan.blockers)}
            record(s, "undo", head.entity, head.entity_id, field=action, new=json.dumps(summary), who=who)
            purchases_of = {int(im["a"]["client_id"]) for im in plan.created if im["t"] == "purchases"}
            purchases_of |= {
                c for im in plan.images if im["t"] == "purchases" for c in [_owner(im)] if c is not None
            }
            if plan.images:
                op.undo_rows.extend(row_images.apply_before(s, plan.images))
            if plan.created:
                op.undo_rows.extend(row_images.apply_before(s, plan.created))
            for entity, eid, name, old, _new in plan.fields:
                _set_field(s, entity, eid, name, old, who)
            for cid, archived in plan.toggles:
                client = s.get(Client, cid)
                assert client is not None
                now = datetime.now()
                client.archived, client.archived_at, client.updated_at = (
                    archived,
                    now if archived else None,
                    now,
                )
                record(
                    s,
                    "archive" if archived else "restore",
                    "client",
                    cid,
                    field="archived",
                    old=not archived,
                    new=archived,
                    who=who,
                    at=now,
                )
            # Cards whose rows went back as they were have their figures already; the others are recounted.
            restored = {_owner(im) for im in plan.images if im["t"] == "clients"}
            live = sorted(c for c in purchases_of - restored if s.get(Client, c) is not None)
            if live:
                refresh_purchase_figures_many(s, live)
            s.flush()
            assert op.id is not None
            new_id = op.id
        message = _("Undone (journal entry {id}).").format(id=new_id)
        if plan.blockers:
            message = _("Undone, except what later work changed (journal entry {id}).").format(id=new_id)
        return UndoResult(new_id, head_id, tuple(sorted(plan.clients)), message)


def _is_blocked(
    session: Session, item: tuple[str, int, str, str | None, str | None], blocked: set[str]
) -> bool:
    entity, eid, name, _old, new = item
    obj = session.get(_MODELS[entity], eid)
    return obj is None or _current_text(obj, name) != new


def _safe_sentence(plan: _Plan) -> str:
    made = sum(1 for im in plan.created if im["t"] == "clients")
    other = sum(1 for im in plan.created if im["t"] in ("purchases", "interactions"))
    fields = sum(1 for f in plan.fields if True)
    return _(
        "The rest can be undone. Cards to take out: {clients}; purchases and history entries to take out: "
        "{rows}; fields to put back: {fields}; rows to put back: {rows_back}."
    ).format(clients=made, rows=other, fields=fields - len(plan.changed), rows_back=len(plan.images))


def _nothing_message(action: str) -> str:
    if action == "export":
        return _("An export cannot be undone: the file has left the base. Nothing in the base changed.")
    if action == "print":
        return _("Printing cannot be undone; nothing in the base changed.")
    return _("This journal entry records nothing that can be undone.")


__all__ = [
    "KINDS",
    "JournalEntry",
    "UndoBlocked",
    "UndoNeedsConfirmation",
    "UndoRefused",
    "UndoResult",
    "kind_of",
    "list_entries",
    "people",
    "undo",
    "undone_by",
]
