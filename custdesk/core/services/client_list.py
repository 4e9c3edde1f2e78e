"""The client list: what a view shows of it, counted, in windows of ids and as rows (no Qt).

A view of the list (the GUI's table model, the CLI) describes what it shows with a :class:`ListQuery`,
asks :func:`count` for the number of rows, :func:`page_ids` for the ids of a window of rows in order, and
:func:`rows` for what those rows show. Nothing ever loads the whole base. The orders (clients without a
value last, ties by id) and the filters are SQL, in ``list_sql``.

A search is listed by rank on SQLite (``ranked_search``): the order of the list without search and
filters, read by ``list_sql``'s segments, is kept until the base changes, and each keystroke only reads
the ids the search index finds and places them in it (beside the clients the filters keep, read once
while the user types). Filters without a search are listed so too while that order is kept. Other
lists, and other dialects, are listed by ``list_sql``: the matches sorted when they are few, the sort
order walked when they are many.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from custdesk.core.db import Database, translate_db_error
from custdesk.core.dto import ClientSummary
from custdesk.core.models import Client, Email, Phone
from custdesk.core.services import ranked_search
from custdesk.core.services import search as search_service
from custdesk.core.services.list_sql import (
    FEW_MATCHES,
    SEGMENT_ORDER,
    SORT_KEYS,
    TEMPERATURE_ORDER,
    ListQuery,
    birthday_between,
    birthday_in_month,
    conditions,
    count_where,
    only_clients,
    order_key,
    order_segments,
    order_statements,
    primary_of,
    unsearched,
    window_ids,
)

_CHUNK = 500  # ids per IN (...) query


@dataclass(frozen=True)
class ClientRow:
    """Everything one row of the client list shows (money as Decimal, the primary phone in E.164)."""

    id: int
    external_id: str
    kind: str
    name: str
    organisation: str
    phone: str | None
    email: str | None
    city: str
    region: str
    funnel: str
    temperature: str
    vip: bool
    next_call_on: date | None
    last_purchase_on: date | None
    revenue_total: Decimal
    purchase_count: int
    archived: bool
    birthday: date | None
    abc_class: str | None = None
    xyz_class: str | None = None
    rfm_segment: str | None = None

    @property
    def display_name(self) -> str:
        """The organisation for an organisation, else the person's name."""
        if self.kind == "organisation" and self.organisation:
            return self.organisation
        return self.name or self.organisation

    def to_summary(self) -> ClientSummary:
        """The row as the CLI's :class:`ClientSummary`."""
        return ClientSummary(
            id=self.id,
            external_id=self.external_id,
            name=self.name,
            organisation=self.organisation,
            phone=self.phone,
            email=self.email,
            city=self.city,
            funnel=self.funnel,
            temperature=self.temperature,
            next_call=self.next_call_on,
            last_purchase_on=self.last_purchase_on,
            revenue_total=self.revenue_total,
            archived=self.archived,
        )


def _dialect(db: Database) -> str:
    return db.engine.dialect.name


def _ranked(db: Database, q: ListQuery) -> ranked_search.Found | None:
    """The clients of a searched or filtered list placed in the list's kept order (``ranked_search``).

    The kept order is that of the list without search and filters; filters are the ids of the clients
    they keep (read by the filters' indexes, once while the user types), a search the ids the search
    index finds, and the list is the clients found by both. A search reads the order if it is not kept;
    filters alone use it only when it is (after a search, or as ``prepare_search`` left it), else SQL
    lists them. ``None`` where SQL lists them instead: nothing searched or filtered, the order not kept
    for filters alone, another dialect, or a base without the search index.
    """
    dialect = _dialect(db)
    if dialect not in ("sqlite", "postgresql"):
        return None
    searched = bool(q.search.strip())
    plain = unsearched(q)
    filtered = dataclasses.replace(q, search="", only_label="")
    if not searched and filtered == plain:
        return None  # the whole list: walked by SQL as fast
    narrowing = None
    if filtered != plain:
        narrowing = (filtered, lambda: select(Client.id).where(*conditions(filtered, dialect)))

    def matching(connection: Connection) -> ranked_search.Statement | None:
        if not search_service.has_index(connection):
            return None
        return search_service.matching_ids(
            q.search, terms=search_service.term_lookup(connection), dialect=connection.dialect.name
        )

    with _kept_order(db) as kept:
        return kept.find(
            order_key(plain),
            lambda: order_statements(plain, dialect),
            q.search if searched else None,
            matching if searched else None,
            narrowing,
            read_order=searched,
        )


@contextmanager
def _kept_order(db: Database) -> Iterator[ranked_search.RankedSearch]:
    """The base's kept list order (``ranked_search.of``); driver errors in the block as the base's."""
    try:
        yield ranked_search.of(db)
    except DBAPIError as exc:
        raise translate_db_error(exc, db.path) from exc


def prepare_search(db: Database, q: ListQuery) -> None:
    """Read and keep the order searches of the list ``q`` will use (SQLite bases).

    For a view to call on its worker after showing an unsearched list, so the first keystroke finds the
    order ready: some 20-50 ms at 100,000 clients, read again only after the base changes.
    """
    plain = unsearched(q)
    dialect = _dialect(db)
    if dialect not in ("sqlite", "postgresql"):
        return
    with _kept_order(db) as kept:
        kept.prepare(order_key(plain), lambda: order_statements(plain, dialect))


def count(db: Database, q: ListQuery) -> int:
    """The number of clients ``q`` shows."""
    found = _ranked(db, q)
    if found is not None:
        return found.count
    if q == unsearched(q) and _dialect(db) in ("sqlite", "postgresql"):  # the whole list: kept while searched
        with _kept_order(db) as kept:
            size = kept.size(order_key(q))
        if size is not None:
            return size
    with db.session() as s:
        return count_where(s, conditions(q, _dialect(db), terms=search_service.term_lookup(s.connection())))


def page_ids(db: Database, q: ListQuery, offset: int, limit: int, *, total: int | None = None) -> list[int]:
    """The ids of the rows ``offset`` to ``offset + limit - 1`` of the list, in order.

    Args:
        db: the open base.
        q: the list.
        offset: the first row wanted.
        limit: at most this many rows.
        total: :func:`count` of ``q`` if the caller has just made it (a view counts first to size its
            scroll bar): it spares a count when choosing how to read the window. It must be the count
            of the base as it is now; ``None``: counted as needed.
    """
    if limit <= 0:
        return []
    found = _ranked(db, q)
    if found is not None:
        return found.window(offset, limit)
    with db.session() as s:
        return window_ids(s, q, _dialect(db), offset, limit, total)


def _row_columns() -> list[Any]:
    return [
        Client.id,
        Client.external_id,
        Client.kind,
        Client.name,
        Client.organisation,
        primary_of(Phone.number, Phone).label("phone"),
        primary_of(Email.address, Email).label("email"),
        Client.city,
        Client.region,
        Client.funnel,
        Client.temperature,
        Client.vip,
        Client.next_call_on,
        Client.last_purchase_on,
        Client.revenue_total,
        Client.purchase_count,
        Client.archived,
        Client.birthday,
        Client.abc_class,
        Client.xyz_class,
        Client.rfm_segment,
    ]


def _rows(s: Session, ids: Sequence[int]) -> dict[int, ClientRow]:
    out: dict[int, ClientRow] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        for r in s.execute(select(*_row_columns()).where(Client.id.in_(chunk))):
            out[r.id] = ClientRow(*r)
    return out


def rows(db: Database, ids: Sequence[int]) -> dict[int, ClientRow]:
    """What the rows of the clients ``ids`` show, by id (ids that do not exist are left out)."""
    if not ids:
        return {}
    with db.session() as s:
        return _rows(s, ids)


def position_of(db: Database, q: ListQuery, client_id: int) -> int | None:
    """The row index of the client ``client_id`` in the list ``q`` (``None``: not shown by ``q``)."""
    dialect = _dialect(db)
    with db.session() as s:
        base = conditions(q, dialect, terms=search_service.term_lookup(s.connection()))
        if s.scalar(select(Client.id).where(Client.id == client_id, *base)) is None:
            return None
        preceding = 0
        for seg in order_segments(q, dialect):
            if s.scalar(select(Client.id).where(Client.id == client_id, seg.where)) is None:
                preceding += count_where(s, [*base, seg.where])
                continue
            value = None if seg.key is None else s.scalar(select(seg.key).where(Client.id == client_id))
            return preceding + count_where(s, [*base, seg.where, seg.before(value, client_id)])
    return None  # pragma: no cover - the segments cover every client


def list_clients(
    db: Database,
    *,
    search: str | None = None,
    include_archived: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[ClientSummary]:
    """Clients in name order, for ``custdesk-cli clients`` (the JSON keys are in issue 2).

    Args:
        db: the open base.
        search: search text as typed in the GUI's search box (``None``: every client).
        include_archived: list archived clients too.
        limit: at most this many clients (``None``: all).
        offset: skip this many first.
    """
    q = ListQuery(search=search or "", archived="all" if include_archived else "active")
    ranked = _ranked(db, q)
    with db.session() as s:
        ids = (
            ranked.window(offset, limit)
            if ranked is not None
            else window_ids(s, q, _dialect(db), offset, limit)
        )
        found = _rows(s, ids)
    return [found[i].to_summary() for i in ids if i in found]


def regions(db: Database) -> list[str]:
    """The regions that occur in the base (for the region filter), sorted, without the empty one."""
    with db.session() as s:
        return list(
            s.scalars(select(Client.region).where(Client.region > "").distinct().order_by(Client.region))
        )


def cities(db: Database, region: str | None = None) -> list[str]:
    """The cities that occur in the base (in ``region`` if given), sorted, without the empty one."""
    stmt = select(Client.city).where(Client.city > "")
    if region is not None:
        stmt = stmt.where(Client.region == region)
    with db.session() as s:
        return list(s.scalars(stmt.distinct().order_by(Client.city)))


__all__ = [
    "FEW_MATCHES",
    "SEGMENT_ORDER",
    "SORT_KEYS",
    "TEMPERATURE_ORDER",
    "ClientRow",
    "ListQuery",
    "birthday_between",
    "birthday_in_month",
    "cities",
    "count",
    "list_clients",
    "only_clients",
    "page_ids",
    "position_of",
    "prepare_search",
    "regions",
    "rows",
]
