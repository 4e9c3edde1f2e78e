"""Purchases and history imports inside one session: find each row's client, insert, apply the rules.

A row finds its client by external id, else phone, else e-mail (a card merged into another leads to
that other card). After the rows are in, every affected client's figures are recomputed by
:func:`~custdesk.core.services._shared.refresh_purchase_figures_many` (the services' own definition),
and the funnel rules move the markers (``rules.after_purchase``; after history, ``rules.after_outcome``
in date order, and the last contact and next call).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from custdesk.core import rules
from custdesk.core.dto import ClientInput, InteractionInput, PurchaseInput
from custdesk.core.models import AuditEntry, Client, Email, Interaction, Phone, Purchase
from custdesk.core.services._shared import refresh_purchase_figures_many
from custdesk.core.services.history import CONTACT_KINDS
from custdesk.i18n import _
from custdesk.io.bulk import insert_rows
from custdesk.io.import_calls import after_activity, moved_text
from custdesk.io.import_engine import STATUS_BAD, STATUS_NEW, STATUS_UNMATCHED, ImportReport, RowIssue
from custdesk.io.import_rows import RowContext, history_row, purchase_row

PROGRESS_EVERY = 1000
CHUNK = 10000
_IN_CHUNK = 900  # ids per IN (...) (SQLite's bound-parameter limit is 999 on old builds)


@dataclass
class ActivityRow:
    """A purchase or history row and the client it belongs to."""

    row: int
    status: str
    data: PurchaseInput | InteractionInput | None
    client_id: int | None = None
    issues: list[RowIssue] = field(default_factory=list)
    match: str = ""


class ClientFinder:
    """Clients by external id, E.164 phone and e-mail key (merged cards lead to where they were merged)."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(Client.id, Client.external_id, Client.merged_into_id, Client.name, Client.organisation)
        )
        self.by_external: dict[str, int] = {}
        self.redirect: dict[int, int] = {}
        self.names: dict[int, str] = {}
        for cid, external_id, merged_into, name, organisation in rows:
            self.by_external[external_id] = cid
            self.names[cid] = name or organisation
            if merged_into is not None:
                self.redirect[cid] = merged_into
        self.by_phone: dict[str, int] = {}
        for cid, number in session.execute(select(Phone.client_id, Phone.number).order_by(Phone.client_id)):
            self.by_phone.setdefault(number, cid)
        self.by_email: dict[str, int] = {}
        for cid, key in session.execute(select(Email.client_id, Email.address_key).order_by(Email.client_id)):
            self.by_email.setdefault(key, cid)
        # Old sales sheets name the client ("Покупатель: Иванов Иван"): a name that is one live card's.
        self.by_name: dict[str, int] = {}
        for cid, name in self.names.items():
            if name and cid not in self.redirect:
                key = fold_name(name)
                self.by_name[key] = AMBIGUOUS if key in self.by_name else cid

    def find(self, key: tuple[str, str]) -> int | None:
        how, value = key
        table = {"external_id": self.by_external, "phone": self.by_phone, "email": self.by_email}.get(how, {})
        cid = table.get(value)
        if cid is None and how in ("external_id", "name"):  # a client column may hold names, not ids
            cid = self.by_name.get(fold_name(value))
            if cid == AMBIGUOUS:
                return None
        seen = 0
        while cid is not None and cid in self.redirect and seen < 100:
            cid, seen = self.redirect[cid], seen + 1
        return cid


def fold_name(text: str) -> str:
    """A client's name as a sales sheet's client column is matched: case, ``ё``/``е`` and spaces aside."""
    return " ".join(text.casefold().replace("ё", "е").split())


AMBIGUOUS = -1  # a name several live cards have: it says nobody


def _unmatched_reason(key: tuple[str, str], finder: ClientFinder | None = None) -> str:
    how, value = key
    if finder is not None and finder.by_name.get(fold_name(value)) == AMBIGUOUS:
        return _("Several clients are named {value}: give the client's external id, phone or e-mail.").format(
            value=value
        )
    if how == "external_id":
        return _("No client has the external id or the name {value}.").format(value=value)
    if how == "phone":
        return _("No client has the phone {value}.").format(value=value)
    return _("No client has the e-mail {value}.").format(value=value)


def plan_activity(
    session: Session, ctx: RowContext, kind: str, rows: range, tick: Any, total: int
) -> list[ActivityRow]:
    """Convert, validate and match the rows to clients."""
    finder = ClientFinder(session)
    convert = purchase_row if kind == "purchases" else history_row
    planned: list[ActivityRow] = []
    for done, i in enumerate(rows, 1):
        number = ctx.table.row_numbers[i]
        result = convert(ctx, number, ctx.table.rows[i])
        if done % PROGRESS_EVERY == 0:
            tick(done, total)
        cid = finder.find(result.client_key) if result.client_key else None
        value = result.value
        assert not isinstance(value, ClientInput)
        if value is None or result.issues:
            planned.append(ActivityRow(number, STATUS_BAD, value, cid, result.issues))
        elif cid is None:
            assert result.client_key is not None
            issue = RowIssue(number, "", "client", _unmatched_reason(result.client_key, finder), "unmatched")
            planned.append(ActivityRow(number, STATUS_UNMATCHED, value, None, [issue]))
        else:
            planned.append(ActivityRow(number, STATUS_NEW, value, cid, [], finder.names.get(cid, "")))
    return planned


def _journal(session: Session, entries: list[dict[str, Any]]) -> None:
    if entries:
        insert_rows(session.connection(), cast(Table, AuditEntry.__table__), entries)


def _next_calls_after_purchases(
    session: Session,
    figures: dict[int, Any],
    calls: dict[int, tuple[Any, ...]],
    conf: dict[str, Any],
    today: date,
) -> str:
    """Move each never-contacted client's next call to its last purchase plus its cycle, when ahead."""
    moves = []
    for cid, figure in figures.items():
        temperature, days, last_contact, planned = calls[cid]
        if last_contact is not None or figure.last_purchase_on is None:
            continue  # the last contact rules the cycle
        cycle = rules.call_cycle_days(temperature, days, conf)
        due = after_activity(figure.last_purchase_on, cycle, planned, today)
        if due != planned:
            moves.append({"cid": cid, "next_call": due})
    if moves:
        table = cast(Table, Client.__table__)
        stmt = update(table).where(table.c.id == bindparam("cid")).values(next_call_on=bindparam("next_call"))
        session.execute(stmt, moves)
    return moved_text(len(moves))


def write_purchases(
    session: Session, rows: list[ActivityRow], who: str, report: ImportReport, conf: dict[str, Any]
) -> None:
    """Insert the matched purchases, recompute the clients' figures and apply the funnel rule."""
    now = datetime.now()
    good = [r for r in rows if r.status == STATUS_NEW]
    values = []
    for r in good:
        assert isinstance(r.data, PurchaseInput)
        values.append(
            {
                "client_id": r.client_id,
                "purchased_on": r.data.purchased_on,
                "amount": r.data.amount,
                "profit": r.data.profit,
                "items": r.data.items,
                "document_no": r.data.document_no,
                "created_at": now,
            }
        )
    for start in range(0, len(values), CHUNK):
        insert_rows(session.connection(), cast(Table, Purchase.__table__), values[start : start + CHUNK])
    affected = sorted({r.client_id for r in good if r.client_id is not None})
    current: dict[int, tuple[str, int]] = {}
    calls: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(affected), _IN_CHUNK):
        ids = affected[start : start + _IN_CHUNK]
        stmt = select(
            Client.id,
            Client.funnel,
            Client.purchase_count,
            Client.temperature,
            Client.call_cycle_days,
            Client.last_contact_at,
            Client.next_call_on,
        ).where(Client.id.in_(ids))
        for cid, funnel, count, temperature, days, last_contact, next_call in session.execute(stmt):
            current[cid] = (funnel, int(count or 0))
            calls[cid] = (temperature, days, last_contact, next_call)
    figures = refresh_purchase_figures_many(session, affected, at=now)
    report.next_calls = _next_calls_after_purchases(session, figures, calls, conf, now.date())
    moved: list[dict[str, Any]] = []
    journal: list[dict[str, Any]] = []
    for cid, figure in figures.items():
        funnel, before = current[cid]
        change = rules.after_purchase(funnel, figure.count) if figure.count > before else None
        if change is None:
            continue
        moved.append({"cid": cid, "funnel": change[0], "reason": change[1]})
        journal.append(
            {
                "at": now,
                "who": who,
                "action": "update",
                "entity": "client",
                "entity_id": cid,
                "field": "funnel",
                "old": funnel,
                "new": change[0],
            }
        )
    if moved:
        table = cast(Table, Client.__table__)
        move = (
            update(table)
            .where(table.c.id == bindparam("cid"))
            .values(funnel=bindparam("funnel"), funnel_reason=bindparam("reason"), funnel_changed_at=now)
        )
        session.execute(move, moved)
    report.funnel_changes = len(journal)
    _journal(session, journal)
    report.created = len(good)


def write_history(
    session: Session, rows: list[ActivityRow], who: str, conf: dict[str, Any], report: ImportReport
) -> None:
    """Insert the matched history entries; move last contact, next call and funnel markers."""
    now = datetime.now()
    good = [r for r in rows if r.status == STATUS_NEW]
    values = []
    by_client: dict[int, list[InteractionInput]] = defaultdict(list)
    for r in good:
        assert isinstance(r.data, InteractionInput) and r.client_id is not None
        d = r.data
        values.append(
            {
                "client_id": r.client_id,
                "kind": d.kind,
                "occurred_at": d.occurred_at,
                "outcome": d.outcome,
                "text": d.text,
                "next_step": d.next_step,
                "duration_seconds": d.duration_seconds,
                "created_by": who,
                "created_at": now,
            }
        )
        by_client[r.client_id].append(d)
    for start in range(0, len(values), CHUNK):
        insert_rows(session.connection(), cast(Table, Interaction.__table__), values[start : start + CHUNK])
    journal = []
    moved = 0
    for start in range(0, len(by_client), _IN_CHUNK):
        ids = sorted(by_client)[start : start + _IN_CHUNK]
        for client in session.scalars(select(Client).where(Client.id.in_(ids))):
            entries = sorted(by_client[client.id], key=lambda e: e.occurred_at or now)
            contacts = [e.occurred_at for e in entries if e.kind in CONTACT_KINDS and e.occurred_at]
            if contacts and (client.last_contact_at is None or max(contacts) > client.last_contact_at):
                client.last_contact_at = max(contacts)
                cycle = rules.call_cycle_days(client.temperature, client.call_cycle_days, conf)
                due = after_activity(client.last_contact_at.date(), cycle, client.next_call_on, now.date())
                moved += due != client.next_call_on
                client.next_call_on = due
            for entry in entries:
                change = rules.after_outcome(client.funnel, client.purchase_count, entry.outcome)
                if change is not None:
                    journal.append(
                        {
                            "at": now,
                            "who": who,
                            "action": "update",
                            "entity": "client",
                            "entity_id": client.id,
                            "field": "funnel",
                            "old": client.funnel,
                            "new": change[0],
                        }
                    )
                    client.funnel, client.funnel_reason, client.funnel_changed_at = change[0], change[1], now
            client.updated_at = now
    session.flush()
    report.funnel_changes = len(journal)
    report.next_calls = moved_text(moved)
    _journal(session, journal)
    report.created = len(good)
