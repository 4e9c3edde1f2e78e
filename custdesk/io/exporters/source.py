"""What an export reads from the base: the clients of a list or a selection, their purchases, history.

Reads go in chunks of client ids with SQLAlchemy Core (no ORM objects), each chunk in its own short
transaction, so exporting 100,000 clients neither holds the base nor fills the memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select

from custdesk.core import fields as catalogue
from custdesk.core.db import Database
from custdesk.core.fields import FieldSpec
from custdesk.core.models import Client, Email, Interaction, Phone, Purchase, Tag, client_tags
from custdesk.core.services import client_list, custom_fields
from custdesk.core.services.client_list import ListQuery
from custdesk.io.exporters.columns import (
    CLIENT_COLUMNS,
    HISTORY_COLUMNS,
    PURCHASE_COLUMNS,
    Column,
    ExportTable,
    contact_columns,
)

CHUNK = 500  # client ids per query
Progress = Callable[[int, int], None]


def client_ids(
    db: Database, *, query: ListQuery | None = None, ids: Sequence[int] | None = None
) -> list[int]:
    """The ids of the clients to export, in list order: ``ids`` when given (a selection), else the
    clients ``query`` shows (default: every active client in name order)."""
    if ids is not None:
        return list(dict.fromkeys(int(i) for i in ids))
    q = query or ListQuery()
    total = client_list.count(db, q)
    return client_list.page_ids(db, q, 0, total) if total else []


def ids_of_rows(db: Database, query: ListQuery, ranges: Sequence[tuple[int, int]]) -> list[int]:
    """The ids of the rows ``top`` to ``bottom`` (inclusive) of each range of the list ``query`` shows,
    in list order (a selection in the client list, whose rows need not all be loaded)."""
    ids: list[int] = []
    for top, bottom in sorted(ranges):
        ids += client_list.page_ids(db, query, top, bottom - top + 1)
    return list(dict.fromkeys(ids))


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _most_contacts(db: Database, ids: Sequence[int]) -> tuple[int, int]:
    """The largest number of phones and of e-mails one of the clients has."""
    phones = emails = 0
    with db.session() as s:
        for chunk in _chunks(ids):
            for model in (Phone, Email):
                stmt = (
                    select(func.count())
                    .select_from(model)
                    .where(model.client_id.in_(chunk))
                    .group_by(model.client_id)
                    .order_by(func.count().desc())
                    .limit(1)
                )
                most = int(s.scalar(stmt) or 0)
                if model is Phone:
                    phones = max(phones, most)
                else:
                    emails = max(emails, most)
    return phones, emails


def _phone_text(number: str, extension: str) -> str:
    return f"{number} x{extension}" if extension else number


# The card fields after the contact columns, in CLIENT_COLUMNS order (funnel and tags handled apart).


def _ordered_contacts(rows: Sequence[Any]) -> list[Any]:
    """Contacts with the primary first, the rest in their card order."""
    return sorted(rows, key=lambda r: (not r.is_primary, r.position, r.id))


def client_records(db: Database, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    """Each client as a dict: every card field, ``phones`` and ``emails`` (primary first, as rows with
    ``number``/``extension``/``kind`` and ``address``/``kind``) and ``tags``; in the order of ``ids``."""
    for chunk in _chunks(ids):
        with db.session() as s:
            found = {
                r.id: dict(r._mapping)
                for r in s.execute(select(*Client.__table__.columns).where(Client.id.in_(chunk)))
            }
            phones: dict[int, list[Any]] = {}
            for p in s.execute(select(*Phone.__table__.columns).where(Phone.client_id.in_(chunk))):
                phones.setdefault(p.client_id, []).append(p)
            emails: dict[int, list[Any]] = {}
            for e in s.execute(select(*Email.__table__.columns).where(Email.client_id.in_(chunk))):
                emails.setdefault(e.client_id, []).append(e)
            tags: dict[int, list[str]] = {}
            stmt = select(client_tags.c.client_id, Tag.name).join(Tag, Tag.id == client_tags.c.tag_id)
            for client_id, name in s.execute(stmt.where(client_tags.c.client_id.in_(chunk))):
                tags.setdefault(client_id, []).append(name)
            custom = custom_fields.values_in(s, chunk)
        for client_id in chunk:
            record = found.get(client_id)
            if record is None:  # archived away or merged since the list was read: nothing to write
                continue
            record["phones"] = _ordered_contacts(phones.get(client_id, []))
            record["emails"] = _ordered_contacts(emails.get(client_id, []))
            record["tags"] = sorted(tags.get(client_id, []))
            record["custom"] = custom.get(client_id, {})
            yield record


# How a custom field's values are written: money, dates and yes/no typed; numbers as stored (exact).
_CUSTOM_TYPES: dict[str, Any] = {"money": "money", "date": "date", "yesno": "bool"}


def custom_columns(specs: Sequence[FieldSpec]) -> tuple[Column, ...]:
    """The export columns of the firm's own fields: headed by the field's name, which imports back to it."""
    return tuple(Column(f.label, _CUSTOM_TYPES.get(f.kind, "text"), f.export_width) for f in specs)


def _custom_cells(record: dict[str, Any], specs: Sequence[FieldSpec]) -> list[Any]:
    texts = record.get("custom", {})
    cells: list[Any] = []
    for spec in specs:
        value = catalogue.python_value(spec, texts.get(spec.key))
        cells.append(texts.get(spec.key) if spec.kind == "number" else value)
    return cells


def _client_row(
    record: dict[str, Any], phones: int, emails: int, specs: Sequence[FieldSpec] = ()
) -> list[Any]:
    phone_cells = [(_phone_text(p.number, p.extension), p.kind) for p in record["phones"]]
    email_cells = [(e.address, e.kind) for e in record["emails"]]
    phone_cells += [("", "")] * (phones - len(phone_cells))
    email_cells += [("", "")] * (emails - len(email_cells))
    computed = {
        "phone": phone_cells[0][0],
        "email": email_cells[0][0],
        "phone_kind": phone_cells[0][1],
        "email_kind": email_cells[0][1],
        "tags": ", ".join(record["tags"]),
        "client_since": record.get("client_since") or record["created_at"].date(),
    }
    row: list[Any] = [computed.get(c.header, record.get(c.header)) for c in CLIENT_COLUMNS]
    row += _custom_cells(record, specs)
    for cells in (phone_cells[1:], email_cells[1:]):
        for text, kind in cells:
            row += [text, kind]
    return row


def clients_table(db: Database, ids: Sequence[int]) -> ExportTable:
    """The clients ``ids`` as an export table (the card, the firm's own fields, then ``phone_2`` …,
    ``email_2`` … columns)."""
    phones, emails = _most_contacts(db, ids)
    specs = custom_fields.list_fields(db)
    columns: tuple[Column, ...] = CLIENT_COLUMNS + custom_columns(specs) + contact_columns(phones, emails)
    rows = (_client_row(r, max(phones, 1), max(emails, 1), specs) for r in client_records(db, ids))
    return ExportTable("Clients", columns, rows, len(ids))


def _count_of(db: Database, model: type[Purchase] | type[Interaction], ids: Sequence[int]) -> int:
    total = 0
    with db.session() as s:
        for chunk in _chunks(ids):
            stmt = select(func.count()).select_from(model).where(model.client_id.in_(chunk))
            total += int(s.scalar(stmt) or 0)
    return total


def _rows_by_client(
    db: Database, ids: Sequence[int], model: type[Purchase] | type[Interaction], columns: Sequence[Any]
) -> Iterator[list[Any]]:
    """Rows of ``model`` for the clients ``ids`` (external id, then ``columns``): client by client in the
    order of ``ids``, each client's rows in the order of ``columns[0]`` (the date)."""
    for chunk in _chunks(ids):
        stmt = (
            select(model.client_id, Client.external_id, *columns)
            .join(Client, Client.id == model.client_id)
            .where(model.client_id.in_(chunk))
            .order_by(model.client_id, columns[0], model.id)
        )
        with db.session() as s:
            found: dict[int, list[list[Any]]] = {}
            for r in s.execute(stmt):
                found.setdefault(r[0], []).append(list(r[1:]))
        for client_id in chunk:
            yield from found.get(client_id, [])


def _purchase_rows(db: Database, ids: Sequence[int]) -> Iterator[list[Any]]:
    columns = (Purchase.purchased_on, Purchase.amount, Purchase.profit, Purchase.items, Purchase.document_no)
    return _rows_by_client(db, ids, Purchase, columns)


def purchases_table(db: Database, ids: Sequence[int]) -> ExportTable:
    """The purchases of the clients ``ids`` (client by client in the order of ``ids``, then by date)."""
    return ExportTable("Purchases", PURCHASE_COLUMNS, _purchase_rows(db, ids), _count_of(db, Purchase, ids))


def _history_rows(db: Database, ids: Sequence[int]) -> Iterator[list[Any]]:
    columns = (
        Interaction.occurred_at,
        Interaction.kind,
        Interaction.outcome,
        Interaction.text,
        Interaction.next_step,
        Interaction.duration_seconds,
    )
    return _rows_by_client(db, ids, Interaction, columns)


def history_table(db: Database, ids: Sequence[int]) -> ExportTable:
    """The history of the clients ``ids`` (client by client in the order of ``ids``, then by time)."""
    return ExportTable("History", HISTORY_COLUMNS, _history_rows(db, ids), _count_of(db, Interaction, ids))


__all__ = [
    "CHUNK",
    "client_ids",
    "client_records",
    "clients_table",
    "history_table",
    "ids_of_rows",
    "purchases_table",
]
