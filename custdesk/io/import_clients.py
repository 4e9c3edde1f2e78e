"""The clients import inside one session: plan every row (validate, find duplicates), then write.

Planning is pure Python over a :class:`~custdesk.core.services.duplicates.DuplicateIndex` of the base
(the one definition of a duplicate, shared with the card editor). Writing puts the new cards in by
``executemany`` (with the search index rebuilt once for a big import), and updates the existing cards a
``duplicates=update`` import matched with the card editor's own
:func:`~custdesk.core.services.clients.update_in` (each changed field journalled).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from custdesk.core import rules
from custdesk.core.dto import CARD_FIELDS, ClientInput
from custdesk.core.models import AuditEntry, Client, Email, Phone, Tag, client_tags
from custdesk.core.services import clients, search
from custdesk.core.services._shared import card_to_dto
from custdesk.core.services.audit import current_user
from custdesk.core.services.duplicates import DuplicateIndex
from custdesk.core.storage.bulk import reserve_ids
from custdesk.core.validation import email_key
from custdesk.i18n import N_, _
from custdesk.io.bulk import insert_rows, insert_tuples
from custdesk.io.import_calls import Spreader
from custdesk.io.import_engine import (
    REVIEW_TAG,
    STATUS_BAD,
    STATUS_DUPLICATE,
    STATUS_FLAGGED,
    STATUS_NEW,
    STATUS_UPDATE,
    ImportOptions,
    ImportReport,
    RowIssue,
)
from custdesk.io.import_rows import RowContext, client_row, new_external_id
from custdesk.io.mapping import field_label

PROGRESS_EVERY = 500
BULK_LOAD_FROM = 2000  # new cards from which the search index is rebuilt once instead of by triggers
CHUNK = 5000


@dataclass
class PlannedRow:
    """What will happen to one row: its status, its card, and the card it matched."""

    row: int
    status: str
    data: ClientInput | None
    issues: list[RowIssue] = field(default_factory=list)
    target: int | None = None  # the client updated (negative: a card made earlier in this import)
    match: str = ""
    funnel: str = ""  # the marker the row names ("": a new lead is white)


@dataclass
class ClientPlan:
    """Every row's fate, and the cards to make and to update."""

    rows: list[PlannedRow] = field(default_factory=list)
    creates: list[PlannedRow] = field(default_factory=list)
    updates: dict[int, list[PlannedRow]] = field(default_factory=dict)
    own: dict[int, dict[str, str]] = field(default_factory=dict)  # file row -> own-field values


def _flagged(data: ClientInput, issues: list[RowIssue]) -> ClientInput:
    reasons = "\n".join(f"- {i.reason}" for i in issues)
    note = _("Imported with problems, to be checked:\n{reasons}").format(reasons=reasons)
    kept = [i for i in issues if i.value]
    if kept:
        values = "\n".join(
            _("- {column}: {value}").format(column=i.column or field_label(i.field), value=i.value)
            for i in dict((i.column, i) for i in kept).values()
        )
        kept_note = _("From the import (values that could not be stored in their fields):\n{values}")
        note += "\n\n" + kept_note.format(values=values)
    notes = f"{data.notes}\n\n{note}".strip()
    return replace(data, notes=notes, tags=(*data.tags, REVIEW_TAG))


# Why two cards were matched, as the report says it (the index's keys are English words).
_REASONS = {
    "external_id": N_("the same external id"),
    "phone": N_("the same phone"),
    "email": N_("the same e-mail"),
    "name-city": N_("the same name and city"),
}


def _match_text(
    index: DuplicateIndex, found: dict[int, list[str]], *, possible: bool = False
) -> tuple[int, str]:
    target = min(found, key=lambda cid: (cid < 0, abs(cid)))  # a card of the base before one of the file
    why = ", ".join(_(_REASONS[r]) if r in _REASONS else r for r in found[target])
    name = index.display.get(target, "")
    if possible and target < 0:
        text = _("Possibly the same client as row {row} of this file ({name}): {reasons}.").format(
            row=-target, name=name, reasons=why
        )
    elif possible:
        text = _("Possibly the same client as {name} (number {id}) in the base: {reasons}.").format(
            name=name, id=target, reasons=why
        )
    elif target < 0:
        text = _("Same as row {row} of this file ({name}): {reasons}.").format(
            row=-target, name=name, reasons=why
        )
    else:
        text = _("Already in the base as {name} (number {id}): {reasons}.").format(
            name=name, id=target, reasons=why
        )
    return target, text


def file_has_external_ids(ctx: RowContext) -> bool:
    """Whether the file's rows carry external ids (then only an external id makes two rows one client)."""
    columns = [i for _h, i in ctx.columns.get("external_id", ())]
    return any(row[i] not in (None, "") for row in ctx.table.rows for i in columns)


def same_client(
    index: DuplicateIndex, data: ClientInput, found: dict[int, list[str]], keyed: bool
) -> dict[int, list[str]]:
    """Of the cards ``found`` alike, those that are the same client as ``data`` by the import's rule.

    The same external id, unless the card has another name and no phone or e-mail of the row (a "№"
    column numbers the rows of each file from 1: number 1 of another file is not the same client); or,
    only when the file has no external ids (``keyed`` False), the same normalised phone or e-mail
    together with the same name. Anything else alike (the same name and city, a shared e-mail or phone
    under another name or external id) is a possible duplicate.
    """
    same: dict[int, list[str]] = {}
    for cid, reasons in found.items():
        shares_contact = "phone" in reasons or "email" in reasons
        if "external_id" in reasons:
            if shares_contact or index.same_name(cid, data):
                same[cid] = reasons
        elif not keyed and shares_contact and index.same_name(cid, data):
            same[cid] = reasons
    return same


def plan_clients(
    session: Session, ctx: RowContext, options: ImportOptions, rows: range, tick: Any, total: int
) -> ClientPlan:
    """Convert, validate and match the rows ``rows`` of the table against the base and each other."""
    index = DuplicateIndex.load(session)
    plan = ClientPlan()
    table = ctx.table
    keyed = file_has_external_ids(ctx)
    for done, i in enumerate(rows, 1):
        number = table.row_numbers[i]
        result = client_row(ctx, number, table.rows[i])
        data = result.value
        assert data is None or isinstance(data, ClientInput)
        if result.own:
            plan.own[number] = result.own
        if done % PROGRESS_EVERY == 0:
            tick(done, total)
        if data is None or (result.issues and not ctx.flag):
            plan.rows.append(
                PlannedRow(number, STATUS_BAD, data, [replace(x, action="skipped") for x in result.issues])
            )
            continue
        issues = list(result.issues)
        if issues:
            data = _flagged(data, issues)
        found = index.matches(data)
        same = same_client(index, data, found, keyed) if found else {}
        # A card that shares only the external id, under another name and with other contacts, is
        # another client (its number is taken, below), not a possible duplicate.
        found = {cid: why for cid, why in found.items() if cid in same or why != ["external_id"]}
        if same and options.duplicates != "create":
            target, text = _match_text(index, same)
            if options.duplicates == "skip":
                planned = PlannedRow(
                    number,
                    STATUS_DUPLICATE,
                    data,
                    [*issues, RowIssue(number, "", "", text, "duplicate")],
                    target,
                    text,
                )
                plan.rows.append(planned)
                continue
            planned = PlannedRow(
                number,
                STATUS_UPDATE,
                data,
                [*issues, RowIssue(number, "", "", text, "updated")],
                target,
                text,
            )
            plan.rows.append(planned)
            plan.updates.setdefault(target, []).append(planned)
            index.add(target, data)
            continue
        extra: list[RowIssue] = []
        if same:
            _target, text = _match_text(index, same)
            extra.append(RowIssue(number, "", "", text, "created"))
        elif found:
            _target, text = _match_text(index, found, possible=True)
            extra.append(RowIssue(number, "", "", text, "possible_duplicate"))
        if data.external_id and data.external_id in index.external_ids:
            fresh = new_external_id()
            extra.append(
                RowIssue(
                    number,
                    "",
                    "external_id",
                    _("The external id {value} is taken; the card got {new}.").format(
                        value=data.external_id, new=fresh
                    ),
                    "created",
                )
            )
            data = replace(data, external_id=fresh)
        status = STATUS_FLAGGED if issues else STATUS_NEW
        planned = PlannedRow(number, status, data, issues + extra, funnel=result.funnel)
        plan.rows.append(planned)
        plan.creates.append(planned)
        index.add(-number, data)  # a card of this file is known by its row number until it has an id
    return plan


def _tag_ids(session: Session, names: set[str]) -> dict[str, int]:
    if not names:
        return {}
    ids: dict[str, int] = {
        n: i for n, i in session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(names)))
    }
    missing = sorted(names - set(ids))
    if missing:
        session.execute(insert(Tag), [{"name": n} for n in missing])
        ids.update({n: i for n, i in session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(missing)))})
    return ids


def write_clients(
    session: Session,
    plan: ClientPlan,
    conf: dict[str, Any],
    report: ImportReport,
    who: str,
    tick: Any,
    done: int,
    total: int,
) -> None:
    """Make the planned cards and update the matched ones, in the session's transaction."""
    now = datetime.now()
    spreader = Spreader(now.date())
    had = int(session.scalar(select(func.count(Client.id))) or 0)
    new_ids = reserve_ids(session.connection(), cast(Table, Client.__table__), len(plan.creates))
    ids: dict[int, int] = {-planned.row: new for planned, new in zip(plan.creates, new_ids, strict=True)}
    # A row matched to a card made earlier in this file updates that card before it is written.
    for target, planned_rows in list(plan.updates.items()):
        if target < 0:
            base = next(p for p in plan.creates if -p.row == target)
            for planned in planned_rows:
                assert base.data is not None and planned.data is not None
                base.data = merge_inputs(base.data, planned.data)
            del plan.updates[target]
    connection = session.connection()
    big = len(plan.creates) >= BULK_LOAD_FROM
    tag_ids = _tag_ids(session, {t for p in plan.creates if p.data for t in p.data.tags})
    manager = search.bulk_load(connection, client_indexes=len(plan.creates) >= had) if big else _nothing()
    with manager:
        for start in range(0, len(plan.creates), CHUNK):
            chunk = plan.creates[start : start + CHUNK]
            _insert_cards(session, chunk, ids, conf, spreader, now, tag_ids, who, report)
            done += len(chunk)
            tick(done, total)
    for target, planned_rows in plan.updates.items():
        _update_card(session, target, planned_rows, conf, who, now)
    report.created_ids = [ids[-p.row] for p in plan.creates]
    report.next_calls = spreader.summary()


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _fresh_external_ids(count: int) -> Iterator[str]:
    """``count`` new external ids, as :func:`new_external_id` makes them, from one draw of random bytes."""
    pool = secrets.token_hex(16 * count)
    return (pool[i : i + 32] for i in range(0, len(pool), 32))


def _primary_phone(data: ClientInput) -> str:
    """The number the list shows: the primary phone, else the first; "" without phones."""
    for phone in data.phones:
        if phone.is_primary:
            return phone.number
    return data.phones[0].number if data.phones else ""


_CARD_VALUES = itemgetter(*CARD_FIELDS)
_CLIENT_COLUMNS = (
    *CARD_FIELDS,
    "id",
    "external_id",
    "funnel",
    "funnel_reason",
    "funnel_changed_at",
    "purchase_count",
    "archived",
    "created_at",
    "updated_at",
    "next_call_on",
    # The derived list columns, as migration 0003's triggers keep them: set here, a bulk load's refresh
    # finds nothing to write.
    "primary_phone",
    "birthday_md",
    "client_since",
)
_PHONE_COLUMNS = ("client_id", "kind", "number", "extension", "is_primary", "position")
_EMAIL_COLUMNS = ("client_id", "kind", "address", "address_key", "is_primary", "position")
_JOURNAL_COLUMNS = ("at", "who", "action", "entity", "entity_id", "field", "old", "new")


def _insert_cards(
    session: Session,
    chunk: list[PlannedRow],
    ids: dict[int, int],
    conf: dict[str, Any],
    spreader: Spreader,
    now: datetime,
    tag_ids: dict[str, int],
    who: str,
    report: ImportReport,
) -> None:
    """Insert the chunk's cards, their phones, e-mails and tags, and a journal entry for each."""
    clients: list[tuple[Any, ...]] = []
    phones: list[tuple[Any, ...]] = []
    emails: list[tuple[Any, ...]] = []
    tags: list[dict[str, Any]] = []
    journal: list[tuple[Any, ...]] = []
    source = json.dumps(report.source, ensure_ascii=False)
    cycles: dict[tuple[str, int | None], int] = {}
    fresh = _fresh_external_ids(sum(1 for p in chunk if p.data is None or not p.data.external_id))
    for planned in chunk:
        data = planned.data
        assert data is not None
        cid = ids[-planned.row]
        fields = vars(data)  # a dataclass's fields, read without a getattr per field
        cycle_key = (data.temperature, data.call_cycle_days)
        cycle = cycles.get(cycle_key)
        if cycle is None:
            cycle = cycles[cycle_key] = rules.call_cycle_days(data.temperature, data.call_cycle_days, conf)
        next_call = spreader.day(cycle)
        birthday = data.birthday
        funnel = planned.funnel
        clients.append(
            (
                *_CARD_VALUES(fields),
                cid,
                data.external_id or next(fresh),
                funnel or "white",
                rules.REASON_IMPORT if funnel else "",
                now if funnel else None,
                0,
                False,
                now,
                now,
                next_call,
                _primary_phone(data),
                birthday.month * 100 + birthday.day if birthday else None,
                data.client_since,
            )
        )
        for pos, p in enumerate(data.phones):
            phones.append((cid, p.kind, p.number, p.extension, p.is_primary, pos))
        for pos, e in enumerate(data.emails):
            emails.append((cid, e.kind, e.address, email_key(e.address), e.is_primary, pos))
        if data.tags:
            tags.extend({"client_id": cid, "tag_id": tag_ids[t]} for t in dict.fromkeys(data.tags))
        journal.append(
            (now, who, "create", "client", cid, "", None, f'{{"import": {source}, "row": {planned.row}}}')
        )
    connection = session.connection()
    insert_tuples(connection, cast(Table, Client.__table__), _CLIENT_COLUMNS, clients)
    insert_tuples(connection, cast(Table, Phone.__table__), _PHONE_COLUMNS, phones)
    insert_tuples(connection, cast(Table, Email.__table__), _EMAIL_COLUMNS, emails)
    insert_rows(connection, client_tags, tags)
    insert_tuples(connection, cast(Table, AuditEntry.__table__), _JOURNAL_COLUMNS, journal)


def merge_inputs(old: ClientInput, new: ClientInput) -> ClientInput:
    """``old`` with every non-empty value of ``new`` over it; phones, e-mails, tags added, notes appended."""
    values: dict[str, Any] = {}
    defaults = ClientInput()
    for name in CARD_FIELDS:
        value = getattr(new, name)
        if name == "notes":
            values[name] = old.notes if not value or value in old.notes else f"{old.notes}\n\n{value}".strip()
        elif name == "kind":
            values[name] = old.kind
        elif value not in (None, "") and value != getattr(defaults, name):
            values[name] = value
        else:
            values[name] = getattr(old, name)
    numbers = {(p.number, p.extension) for p in old.phones}
    phones = list(old.phones) + [
        replace(p, is_primary=False) for p in new.phones if (p.number, p.extension) not in numbers
    ]
    keys = {email_key(e.address) for e in old.emails}
    emails = list(old.emails) + [
        replace(e, is_primary=False) for e in new.emails if email_key(e.address) not in keys
    ]
    if phones and not any(p.is_primary for p in phones):
        phones[0] = replace(phones[0], is_primary=True)
    if emails and not any(e.is_primary for e in emails):
        emails[0] = replace(emails[0], is_primary=True)
    return ClientInput(
        **values,
        phones=tuple(phones),
        emails=tuple(emails),
        tags=tuple(dict.fromkeys((*old.tags, *new.tags))),
        external_id=old.external_id,
        client_since=old.client_since or new.client_since,
    )


def _update_card(
    session: Session,
    client_id: int,
    planned_rows: list[PlannedRow],
    conf: dict[str, Any],
    who: str,
    now: datetime,
) -> None:
    client = session.get(Client, client_id)
    if client is None:  # pragma: no cover - the index was read in this transaction
        return
    merged = card_to_dto(client, str(conf["phone_region"])).to_input()
    for planned in planned_rows:
        assert planned.data is not None
        merged = merge_inputs(merged, planned.data)
    clients.update_in(session, client, merged, conf=conf, who=who, at=now)
    if client.client_since is None and merged.client_since is not None:
        client.client_since = merged.client_since  # the old base knows when the client came
    session.flush()


def who_of(options: ImportOptions) -> str:
    """Who the journal names for the import."""
    return options.who if options.who is not None else current_user()


__all__ = ["ClientPlan", "PlannedRow", "merge_inputs", "plan_clients", "who_of", "write_clients"]
