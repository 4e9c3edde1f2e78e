"""Rows of a client and its children as plain JSON, before and after an action, to undo it exactly.

An *image* is ``{"t": table, "k": primary key, "b": before, "a": after}``: ``b`` None for a row the
action made, ``a`` None for a row it removed, else the columns it changed with their values before and
after. Undoing applies ``b`` where the base still holds ``a`` (anything else is later work that blocks the
undo); the undo's own images are the same ones with ``b`` and ``a`` swapped, so an undo can be undone.
Values are kept as JSON (dates ISO, money as text) and turned back into the column's type when written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Table,
    and_,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from custdesk.core.models import (
    Client,
    Email,
    Interaction,
    Money,
    Phone,
    Purchase,
    Reminder,
    client_tags,
)

Image = dict[str, Any]
Key = tuple[Any, ...]

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        cast(Table, Client.__table__),
        cast(Table, Phone.__table__),
        cast(Table, Email.__table__),
        client_tags,
        cast(Table, Interaction.__table__),
        cast(Table, Purchase.__table__),
        cast(Table, Reminder.__table__),
    )
}
CHILD_TABLES = ("phones", "emails", "client_tags", "interactions", "purchases", "reminders")
_CHUNK = 500


def plain(value: Any) -> Any:
    """A column value as JSON keeps it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def typed(table: Table, column: str, value: Any) -> Any:
    """A JSON value back in the column's Python type."""
    if value is None:
        return None
    kind = table.c[column].type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Money):
        return Decimal(value)
    if isinstance(kind, Boolean):
        return bool(value)
    return value


def _pk(table: Table) -> list[str]:
    return [c.name for c in table.primary_key.columns]


def key_of(table: Table, row: dict[str, Any]) -> Key:
    return tuple(row[c] for c in _pk(table))


def _rows(session: Session, table: Table, column: str, ids: Sequence[int]) -> list[dict[str, Any]]:
    out = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in session.execute(select(table).where(table.c[column].in_(chunk))):
            out.append({k: plain(v) for k, v in row._mapping.items()})
    return out


def snapshot(
    session: Session, client_ids: Iterable[int], *, children: bool = True
) -> dict[tuple[str, Key], Any]:
    """Every row of the clients ``client_ids`` (and, with ``children``, of their children), by table and key.

    Clients merged into one of them are included (a merge re-points them).
    """
    session.flush()
    ids = sorted(set(client_ids))
    out: dict[tuple[str, Key], Any] = {}
    clients = TABLES["clients"]
    for row in _rows(session, clients, "id", ids) + _rows(session, clients, "merged_into_id", ids):
        out[("clients", key_of(clients, row))] = row
    if children:
        for name in CHILD_TABLES:
            table = TABLES[name]
            for row in _rows(session, table, "client_id", ids):
                out[(name, key_of(table, row))] = row
    return out


def diff(before: dict[tuple[str, Key], Any], after: dict[tuple[str, Key], Any]) -> list[Image]:
    """The images of what changed between two snapshots (changed columns only for a changed row)."""
    images: list[Image] = []
    for where in sorted(set(before) | set(after), key=lambda w: (w[0] != "clients", w[0], w[1])):
        b, a = before.get(where), after.get(where)
        if b == a:
            continue
        if b is not None and a is not None:
            cols = [c for c in a if a[c] != b.get(c)]
            b, a = {c: b.get(c) for c in cols}, {c: a[c] for c in cols}
        images.append({"t": where[0], "k": list(where[1]), "b": b, "a": a})
    return images


def full_rows(session: Session, table_name: str, ids: Sequence[int]) -> list[Image]:
    """Images of rows as they are now, as if the action made them (``b`` None): what deleting them undoes."""
    table = TABLES[table_name]
    return [
        {"t": table_name, "k": list(key_of(table, r)), "b": None, "a": r}
        for r in _rows(session, table, "id", ids)
    ]


def children_rows(session: Session, client_ids: Sequence[int]) -> list[Image]:
    """Images (``b`` None) of every child row of the clients ``client_ids``."""
    images: list[Image] = []
    for name in CHILD_TABLES:
        table = TABLES[name]
        for r in _rows(session, table, "client_id", client_ids):
            images.append({"t": name, "k": list(key_of(table, r)), "b": None, "a": r})
    return images


def _where_key(table: Table, key: Sequence[Any]) -> Any:
    return and_(*(table.c[c] == v for c, v in zip(_pk(table), key, strict=True)))


def current(session: Session, images: Sequence[Image]) -> dict[tuple[str, Key], dict[str, Any]]:
    """The rows the images name, as they are now (missing rows left out)."""
    session.flush()
    out: dict[tuple[str, Key], dict[str, Any]] = {}
    by_table: dict[str, list[Key]] = {}
    for im in images:
        by_table.setdefault(im["t"], []).append(tuple(im["k"]))
    for name, keys in by_table.items():
        table = TABLES[name]
        cols = _pk(table)
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            where: ColumnElement[bool] = (
                table.c[cols[0]].in_([k[0] for k in chunk])
                if len(cols) == 1
                else or_(*(_where_key(table, k) for k in chunk))
            )
            for row in session.execute(select(table).where(where)):
                data = {k: plain(v) for k, v in row._mapping.items()}
                out[(name, key_of(table, data))] = data
    return out


def holds_after(image: Image, now: dict[tuple[str, Key], dict[str, Any]]) -> bool:
    """Whether the base still holds the image's ``a`` (the row as the action left it)."""
    row = now.get((image["t"], tuple(image["k"])))
    if image["a"] is None:
        return row is None
    # When a card was last saved is bookkeeping, not later work: an edit undone since leaves it moved.
    return row is not None and all(row.get(c) == v for c, v in image["a"].items() if c != "updated_at")


def apply_before(session: Session, images: Sequence[Image]) -> list[Image]:
    """Write every image's ``b`` over its ``a``; returns the images of this change (``b``/``a`` swapped).

    Rows to bring back are inserted parents first; rows to take out are deleted children first.
    """
    session.flush()
    rank = {"clients": 0}
    inserts = sorted((i for i in images if i["a"] is None), key=lambda i: rank.get(i["t"], 1))
    deletes = sorted((i for i in images if i["b"] is None), key=lambda i: -rank.get(i["t"], 1))
    updates = [i for i in images if i["a"] is not None and i["b"] is not None]
    for im in inserts:
        table = TABLES[im["t"]]
        session.execute(insert(table).values({c: typed(table, c, v) for c, v in im["b"].items()}))
    # A client first put back with no merged_into_id and then re-pointed: updates after inserts.
    for im in updates:
        table = TABLES[im["t"]]
        values = {c: typed(table, c, v) for c, v in im["b"].items()}
        session.execute(update(table).where(_where_key(table, im["k"])).values(values))
    by_table: dict[str, list[Image]] = {}
    for im in deletes:
        by_table.setdefault(im["t"], []).append(im)
    for name in sorted(by_table, key=lambda n: -rank.get(n, 1)):
        table = TABLES[name]
        cols = _pk(table)
        rows = by_table[name]
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            if len(cols) == 1:
                session.execute(delete(table).where(table.c[cols[0]].in_([r["k"][0] for r in chunk])))
            else:
                session.execute(delete(table).where(or_(*(_where_key(table, r["k"]) for r in chunk))))
    session.expire_all()
    return [{"t": i["t"], "k": i["k"], "b": i["a"], "a": i["b"]} for i in images]


__all__ = [
    "CHILD_TABLES",
    "TABLES",
    "Image",
    "apply_before",
    "children_rows",
    "current",
    "diff",
    "full_rows",
    "holds_after",
    "plain",
    "snapshot",
    "typed",
]
