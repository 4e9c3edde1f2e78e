"""The client list in SQL: what it shows (:class:`ListQuery`), its filters, its orders, windows of ids.

Order: every sort key puts clients without a value (no next call, no phone, an empty city) last in both
directions; ties are broken by the client id in the direction of the sort, so a descending list is the
ascending one reversed, apart from the clients without a value. Funnel markers sort in the canonical
order of DOMAIN.md, temperatures hot, warm, cold.

To stay fast at 100,000 clients each order is a chain of *segments* (the clients with a value, ordered
by it; then those without), each of them a range scan of an ``(archived, column)`` index; a window that
spans two segments reads from both. The funnel and temperature orders have one segment per value. A
list narrowed by filters or a search is read by sorting its clients when they are few, and by walking
the sort order when they are many (:func:`window_ids`).

``client_list`` is the service the views call: it lists searches and filters by rank where it can
(``ranked_search``), in the orders this module reads, and by this module otherwise.
"""

from __future__ import annotations

import calendar
import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Join,
    Numeric,
    Select,
    and_,
    case,
    cast,
    exists,
    extract,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import True_

from custdesk.core import vocab
from custdesk.core.models import Client, ClientFieldValue, Email, Phone
from custdesk.core.services import search as search_service

ArchivedFilter = Literal["active", "archived", "all"]
SORT_KEYS: tuple[str, ...] = (
    "name",
    "organisation",
    "phone",
    "city",
    "funnel",
    "temperature",
    "next_call",
    "last_purchase",
    "revenue",
    "abc",
    "xyz",
    "segment",
)
TEMPERATURE_ORDER: tuple[str, ...] = ("hot", "warm", "cold")
# RFM segments (stored by custdesk.analysis.store) sort best first, as the analysis tab lists them.
SEGMENT_ORDER: tuple[str, ...] = vocab.RFM_SEGMENT_ORDER

# A list narrowed (by a search or filters) to at most this many clients is listed by sorting those
# clients (about 1 ms per 1,000 on SQLite) rather than by walking the sort order until a window of them
# has passed (which reads the whole list when they are rare). From the 100,000-client demo base
# (tests/benchmarks/bench_list.py); see _few_matches.
FEW_MATCHES = 5000
# Reading a client's row by its id costs about this many entries of a walked sort index (bench_list.py:
# 'ова' at 2,000 and 15,000 of 16,555 matches, 'gmail' at 5,000 of 9,296 walk faster than they sort).
_SEEK_COST = 8


@dataclass(frozen=True)
class ListQuery:
    """What the client list shows: the search text, the filters and the order.

    Attributes:
        search: the search box's text (see ``custdesk.core.services.search``); empty: no search.
        funnels: show only these funnel markers (empty: all).
        temperatures: show only these temperatures (empty: all).
        vip_only: only VIP clients.
        region: only this region (exact; ``None``: any).
        city: only this city (exact; ``None``: any).
        overdue_call: only clients whose next call was due before ``today``.
        call_due: only clients whose next call is due ``today`` or earlier.
        birthday_this_month: only clients whose birthday falls in the month of ``today``.
        archived: ``"active"`` (the default), ``"archived"`` or ``"all"``.
        sort: one of :data:`SORT_KEYS`.
        descending: sort in descending order (clients without a value stay last).
        today: the day "overdue" and "this month" refer to.
        abc: only clients whose stored ABC class is one of these (empty: all).
        xyz: only clients whose stored XYZ class is one of these (empty: all).
        segment: only clients whose stored RFM segment (English name) is one of these (empty: all).
        only_ids: only these clients (the clients behind a figure of the analysis); None: no such limit.
        only_label: what ``only_ids`` are, shown with the list ("Analysis: AX — 123 clients").
        custom: the firm's own fields narrowing the list, as ``(field id, "contains" or "equals", text)``:
            the stored value holds the text (any letter case for ASCII) or is exactly the stored text.
    """

    search: str = ""
    funnels: frozenset[str] = frozenset()
    temperatures: frozenset[str] = frozenset()
    vip_only: bool = False
    region: str | None = None
    city: str | None = None
    overdue_call: bool = False
    call_due: bool = False
    birthday_this_month: bool = False
    archived: ArchivedFilter = "active"
    sort: str = "name"
    descending: bool = False
    today: date = field(default_factory=date.today)
    abc: frozenset[str] = frozenset()
    xyz: frozenset[str] = frozenset()
    segment: frozenset[str] = frozenset()
    only_ids: frozenset[int] | None = None
    only_label: str = ""
    custom: tuple[tuple[int, str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.sort not in SORT_KEYS and custom_sort_field(self.sort) is None:
            raise ValueError(f"unknown sort key {self.sort!r}; expected one of {SORT_KEYS}")
        if self.archived not in ("active", "archived", "all"):
            raise ValueError(f"unknown archived filter {self.archived!r}")


def primary_of(column: Any, model: type[Phone] | type[Email]) -> Any:
    """The client's primary phone or e-mail (the first one when none is marked), as a subquery."""
    return (
        select(column)
        .where(model.client_id == Client.id)
        .order_by(model.is_primary.desc(), model.position, model.id)
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class Segment:
    """A run of the order: the clients matching ``where``, ordered by ``key`` (if any) then id."""

    where: ColumnElement[bool]
    key: Any = None
    descending: bool = False

    def order_by(self) -> list[Any]:
        cols = [] if self.key is None else [self.key.desc() if self.descending else self.key.asc()]
        cols.append(Client.id.desc() if self.descending else Client.id.asc())
        return cols

    def before(self, value: Any, client_id: int) -> ColumnElement[bool]:
        """The clients of this segment that come before the client ``client_id`` whose key is ``value``."""
        if self.descending:
            id_before: ColumnElement[bool] = Client.id > client_id
            if self.key is None:
                return id_before
            return or_(self.key > value, and_(self.key == value, id_before))
        id_before = Client.id < client_id
        if self.key is None:
            return id_before
        return or_(self.key < value, and_(self.key == value, id_before))


def custom_sort_field(sort: str) -> tuple[int, bool] | None:
    """The ``custom_fields.id`` a sort key names, and whether it sorts as a number: ``cf<id>`` (text,
    dates: ISO text sorts as dates) or ``cfn<id>`` (numbers, money); None for a built-in key."""
    for prefix, numeric in (("cfn", True), ("cf", False)):
        rest = sort[len(prefix) :]
        if sort.startswith(prefix) and rest.isdigit():
            return int(rest), numeric
    return None


def custom_sort_key(field_id: int, kind: str) -> str:
    """The sort key of a custom field's list column."""
    return f"cfn{field_id}" if kind in ("number", "money") else f"cf{field_id}"


def custom_value_condition(field_id: int, how: str, text: str) -> ColumnElement[bool]:
    """Clients whose value of the custom field ``field_id`` contains ``text`` or equals it exactly."""
    value = ClientFieldValue.value
    if how == "contains":
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        holds: ColumnElement[bool] = or_(
            value.contains(text, autoescape=True), func.lower(value).like(pattern, escape="\\")
        )
    else:
        holds = value == text
    return exists().where(
        ClientFieldValue.client_id == Client.id, ClientFieldValue.field_id == field_id, holds
    )


def _custom_segments(field_id: int, numeric: bool, d: bool) -> list[Segment]:
    """A custom field's order: the clients with a value (a lookup of the (client, field) key), then those
    without."""
    value = (
        select(ClientFieldValue.value)
        .where(ClientFieldValue.client_id == Client.id, ClientFieldValue.field_id == field_id)
        .correlate(Client)
        .scalar_subquery()
    )
    key: Any = cast(value, Numeric(38, 10)) if numeric else value
    has = exists().where(ClientFieldValue.client_id == Client.id, ClientFieldValue.field_id == field_id)
    return [Segment(has, key, d), Segment(~has, None, d)]


def order_segments(q: ListQuery, dialect: str) -> list[Segment]:
    d = q.descending
    custom = custom_sort_field(q.sort)
    if custom is not None:
        return _custom_segments(custom[0], custom[1], d)
    text_columns = {"name": Client.name, "organisation": Client.organisation, "city": Client.city}
    if q.sort in text_columns:
        text_col = text_columns[q.sort]
        return [Segment(text_col > "", text_col, d), Segment(text_col == "", None, d)]
    if q.sort in ("next_call", "last_purchase"):
        day = Client.next_call_on if q.sort == "next_call" else Client.last_purchase_on
        return [Segment(day.is_not(None), day, d), Segment(day.is_(None), None, d)]
    if q.sort == "revenue":
        return [Segment(true(), Client.revenue_total, d)]
    if q.sort in ("abc", "xyz"):
        cls = Client.abc_class if q.sort == "abc" else Client.xyz_class
        return [Segment(cls.is_not(None), cls, d), Segment(cls.is_(None), None, d)]
    if q.sort == "segment":
        seg = Client.rfm_segment
        named = [
            Segment(seg == value, None, d) for value in (reversed(SEGMENT_ORDER) if d else SEGMENT_ORDER)
        ]
        other = Segment(and_(seg.is_not(None), seg.not_in(SEGMENT_ORDER)), seg, d)
        return [*named, other, Segment(seg.is_(None), None, d)]
    if q.sort == "phone":
        if dialect == "sqlite":  # kept in step by triggers (migration 0003)
            return [
                Segment(Client.primary_phone > "", Client.primary_phone, d),
                Segment(Client.primary_phone == "", None, d),
            ]
        has_phone = exists().where(Phone.client_id == Client.id)
        return [Segment(has_phone, primary_of(Phone.number, Phone), d), Segment(~has_phone, None, d)]
    col, order = (
        (Client.funnel, vocab.FUNNEL_KEYS) if q.sort == "funnel" else (Client.temperature, TEMPERATURE_ORDER)
    )
    valued = [Segment(col == value, None, d) for value in (reversed(order) if d else order)]
    return [*valued, Segment(col.not_in(order), col, d)]  # values from elsewhere (an import) last


def _birthday_key(dialect: str) -> Any:
    """Month * 100 + day of the birthday: the indexed column on SQLite (triggers keep it), else computed."""
    if dialect == "sqlite":
        return Client.birthday_md
    return extract("month", Client.birthday) * 100 + extract("day", Client.birthday)


def birthday_in_month(month: int, *, dialect: str = "sqlite") -> ColumnElement[bool]:
    """Clients whose birthday falls in ``month`` (1-12), 29 February included in any year."""
    key = _birthday_key(dialect)
    return and_(key >= month * 100 + 1, key <= month * 100 + 31)


def birthday_between(first: date, last: date, *, dialect: str = "sqlite") -> ColumnElement[bool]:
    """Clients whose birthday falls on a day from ``first`` to ``last`` (both included).

    The range may cross the year's end (25 December to 7 January); a year or more finds every client
    with a birthday. A 29 February birthday counts in a year without one when the range ends on
    28 February. On SQLite this is one or two ranges of the ``(archived, birthday_md)`` index.

    Args:
        first: the first day.
        last: the last day (before ``first``: no client).
        dialect: the SQLAlchemy dialect name of the base.
    """
    if last < first:
        return false()
    key = _birthday_key(dialect)
    if (last - first).days >= 365:
        return key.is_not(None)  # type: ignore[no-any-return]
    low = first.month * 100 + first.day
    high = last.month * 100 + last.day
    if (last.month, last.day) == (2, 28) and not calendar.isleap(last.year):
        high = 229
    if first.year == last.year:
        return and_(key >= low, key <= high)
    return or_(key >= low, key <= high)


def only_clients(ids: frozenset[int], dialect: str) -> ColumnElement[bool]:
    """Clients whose id is in ``ids``, however many: one bound parameter, never one per id.

    SQLite reads the ids from a JSON array (``json_each``), PostgreSQL from an array parameter; other
    dialects get an expanding ``IN``.
    """
    wanted = sorted(ids)
    if not wanted:
        return false()
    if dialect == "sqlite":
        values = func.json_each(json.dumps(wanted)).table_valued("value")
        return Client.id.in_(select(values.c.value))
    if dialect == "postgresql":
        from sqlalchemy import ARRAY, Integer, any_, bindparam

        return Client.id == any_(bindparam("only_ids", wanted, type_=ARRAY(Integer)))
    return Client.id.in_(wanted)


def conditions(
    q: ListQuery,
    dialect: str,
    *,
    checks: bool = True,
    driving: bool = True,
    terms: search_service.TermLookup | None = None,
) -> list[ColumnElement[bool]]:
    """The list's conditions; without ``checks``, a search's per-client checks are left out.

    Not ``driving``: a search is written so SQLite does not start from its ids (for walking a sort index).
    ``terms``: the search index's vocabulary (:func:`search_service.term_lookup` on the session's
    connection), which lets the index answer short words too.
    """
    where: list[ColumnElement[bool]] = []
    if q.archived == "active":
        where.append(Client.archived == false())
    elif q.archived == "archived":
        where.append(Client.archived == true())
    if q.funnels:
        where.append(Client.funnel.in_(sorted(q.funnels)))
    if q.temperatures:
        where.append(Client.temperature.in_(sorted(q.temperatures)))
    if q.vip_only:
        where.append(Client.vip == true())
    if q.region is not None:
        where.append(Client.region == q.region)
    if q.city is not None:
        where.append(Client.city == q.city)
    if q.overdue_call:
        where.append(Client.next_call_on < q.today)
    if q.call_due:
        where.append(Client.next_call_on <= q.today)
    if q.birthday_this_month:
        where.append(birthday_in_month(q.today.month, dialect=dialect))
    if q.abc:
        where.append(Client.abc_class.in_(sorted(q.abc)))
    if q.xyz:
        where.append(Client.xyz_class.in_(sorted(q.xyz)))
    if q.segment:
        where.append(Client.rfm_segment.in_(sorted(q.segment)))
    if q.only_ids is not None:
        where.append(only_clients(q.only_ids, dialect))
    for field_id, how, text in q.custom:
        where.append(custom_value_condition(field_id, how, text))
    if q.search.strip():
        indexed, per_client = search_service.match_parts(
            q.search, dialect=dialect, driving=driving, terms=terms
        )
        parts = [indexed, per_client] if checks else [indexed]
        where.extend(part for part in parts if not isinstance(part, True_))  # true(): nothing to check
    return where


def count_where(s: Session, where: Iterable[ColumnElement[bool]]) -> int:
    return int(s.scalar(select(func.count()).select_from(Client).where(*where)) or 0)


def unsearched(q: ListQuery) -> ListQuery:
    """The list ``q`` without its search and filters: only which clients (archived or not) and the order."""
    return ListQuery(archived=q.archived, sort=q.sort, descending=q.descending, today=q.today)


def order_key(plain: ListQuery) -> tuple[str, str, bool]:
    return (plain.archived, plain.sort, plain.descending)


def order_statements(plain: ListQuery, dialect: str = "sqlite") -> list[Select[Any]]:
    """Statements whose ids, one after the other, are the unsearched list ``plain`` in order."""
    where = conditions(plain, dialect)
    return [
        select(Client.id).where(*where, seg.where).order_by(*seg.order_by())
        for seg in order_segments(plain, dialect)
    ]


class _DrivingJoin(Join):
    """An inner join whose left side SQLite reads first: ``CROSS JOIN`` fixes the order of its loops.

    Left alone, SQLite lists a search by walking the sort index and checking each client against the
    matches, since that needs no sort; with few matches that walk reads most of the base.
    """

    inherit_cache = True


@compiles(_DrivingJoin, "sqlite")
def _compile_driving_join(element: _DrivingJoin, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLCompiler.visit_join with another keyword; the FROM linter is told of the join as there.
    linter = kw.get("from_linter")
    if linter is not None:
        linter.edges.update(itertools.product(element.left._from_objects, element.right._from_objects))
    kw["asfrom"] = True
    left = element.left._compiler_dispatch(compiler, **kw)
    right = element.right._compiler_dispatch(compiler, **kw)
    del kw["asfrom"]
    assert element.onclause is not None
    return f"{left} CROSS JOIN {right} ON {element.onclause._compiler_dispatch(compiler, **kw)}"


def sort_bound(span: int, clients: int) -> int:
    """The most matches worth sorting for a window ending ``span`` rows down a base of ``clients``.

    Walking reads about ``span * clients / matches`` entries of a covering sort index, sorting reads
    every match's row of ``clients`` (a seek each, about :data:`_SEEK_COST` times the price of an index
    entry on the 100,000-client demo base): sorting pays when ``matches ** 2 < span * clients / cost``.
    """
    return max(FEW_MATCHES, math.isqrt(span * clients // _SEEK_COST))


def _sorted_matches(
    s: Session,
    where: list[ColumnElement[bool]],
    indexed: list[ColumnElement[bool]],
    segments: list[Segment],
    offset: int,
    limit: int | None,
    total: int | None = None,
) -> list[int] | None:
    """A window of a narrowed list by sorting its clients, or ``None`` when there are too many to sort.

    Walking the sort index reads about ``(offset + limit) * clients / matches`` clients to fill a window;
    sorting reads the matches once, by the best index for the filters (the search index, a city, a date
    range), so it wins when they are few: up to :data:`FEW_MATCHES`, more for a window far down. The
    clients the ``indexed`` conditions find (``where`` without a search's per-client checks) are counted
    up to that bound; if they are within it, the clients of ``where`` are read first (a ``CROSS JOIN``
    fixes that order) and sorted by segment, key and id.

    A ``total`` (the list's count, as the caller just had it) spares the count when it decides: more
    than the bound, the indexed clients are too; without per-client checks it is their number.
    """
    clients = int(s.scalar(select(func.max(Client.id))) or 0)
    bound = sort_bound(offset + (clients if limit is None else limit), clients)
    if total is not None and total > bound:
        return None
    if total is None or len(indexed) != len(where):
        probe = select(Client.id).where(*indexed).limit(bound + 1).subquery()
        if int(s.scalar(select(func.count()).select_from(probe)) or 0) > bound:
            return None
    found = select(Client.id).where(*where).subquery("found")
    order: list[Any] = []
    if len(segments) > 1:
        order.append(case(*((seg.where, rank) for rank, seg in enumerate(segments)), else_=len(segments)))
    descending = segments[0].descending
    key = next((seg.key for seg in segments if seg.key is not None), None)
    if key is not None:  # constant within the segments that have no key of their own
        order.append(key.desc() if descending else key.asc())
    order.append(Client.id.desc() if descending else Client.id.asc())
    stmt = (
        select(Client.id)
        .select_from(_DrivingJoin(found, Client.__table__, Client.id == found.c.id))
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    return [int(i) for i in s.scalars(stmt)]


def window_ids(
    s: Session, q: ListQuery, dialect: str, offset: int, limit: int | None, total: int | None = None
) -> list[int]:
    terms = search_service.term_lookup(s.connection())
    base = conditions(q, dialect, terms=terms)
    segments = order_segments(q, dialect)
    offset = max(0, offset)
    if total is not None and limit is not None and offset >= total:
        return []  # past the end of the list the caller just counted
    narrowed = len(base) > (0 if q.archived == "all" else 1)
    if narrowed and dialect == "sqlite":
        indexed = conditions(q, dialect, checks=False, terms=terms)
        found = _sorted_matches(s, base, indexed, segments, offset, limit, total)
        if found is not None:
            return found
        # Many matches: walk the sort index, do not sort them.
        walk = conditions(q, dialect, driving=False, terms=terms)
    else:
        walk = base
    out: list[int] = []
    for seg in segments:
        want = None if limit is None else limit - len(out)
        stmt: Select[Any] = (
            select(Client.id).where(*walk, seg.where).order_by(*seg.order_by()).limit(want).offset(offset)
        )
        got = [int(i) for i in s.scalars(stmt)]
        if got:
            out.extend(got)
            offset = 0
        elif offset:
            offset -= count_where(s, [*base, seg.where])  # the window starts past this segment
        if limit is not None and len(out) >= limit:
            break
    return out


__all__ = [
    "FEW_MATCHES",
    "SEGMENT_ORDER",
    "SORT_KEYS",
    "TEMPERATURE_ORDER",
    "ArchivedFilter",
    "ListQuery",
    "Segment",
    "birthday_between",
    "birthday_in_month",
    "conditions",
    "count_where",
    "only_clients",
    "order_key",
    "order_segments",
    "order_statements",
    "primary_of",
    "sort_bound",
    "unsearched",
    "window_ids",
]
