"""The ranked search of the client list: the kept order, what changes it, and agreement with SQL."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

import numpy as np
import pytest
from _search_data import add_client, add_varied_clients
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, delete, event, select, update
from sqlalchemy.pool import NullPool

from custdesk.core.db import Database
from custdesk.core.errors import CorruptBaseError
from custdesk.core.models import Client
from custdesk.core.services import client_list as cl
from custdesk.core.services import list_sql, ranked_search, search
from custdesk.core.services.client_list import ListQuery
from custdesk.core.services.clients import archive_client, restore_client

TODAY = date(2026, 3, 15)
SEARCHES = ["mill", "MILL", "mi", "m", "sm 2", "mill 1", "912", "9", "+7 912", "c1", "ller 3", "zz", "mill z"]


@pytest.fixture
def people(db: Database) -> list[int]:
    """Sixty clients with ties, gaps and archived ones in every sort column; about half are Millers."""
    return add_varied_clients(db, 60, "RS", archived=True)


def by_sql(db: Database, q: ListQuery, offset: int = 0, limit: int | None = None) -> tuple[int, list[int]]:
    """The count and a window of ``q`` the SQL way (what the list did before it ranked searches)."""
    with db.session() as s:
        terms = search.term_lookup(s.connection())
        dialect = db.engine.dialect.name
        total = list_sql.count_where(s, list_sql.conditions(q, dialect, terms=terms))
        return total, list_sql.window_ids(s, q, dialect, offset, limit)


def kept(db: Database) -> ranked_search.RankedSearch:
    return ranked_search.of(db)


@pytest.mark.parametrize("key", cl.SORT_KEYS)
@pytest.mark.parametrize("archived", ["active", "archived", "all"])
def test_every_search_lists_what_sql_lists(db: Database, people: list[int], key: str, archived: Any) -> None:
    for descending in (False, True):
        for text in SEARCHES:
            q = ListQuery(search=text, sort=key, descending=descending, archived=archived, today=TODAY)
            total, everyone = by_sql(db, q)
            assert cl._ranked(db, q) is not None
            assert cl.count(db, q) == total, text
            assert cl.page_ids(db, q, 0, 1000) == everyone, text
            middle = total // 2
            assert cl.page_ids(db, q, middle, 4) == everyone[middle : middle + 4]
            assert cl.page_ids(db, q, total, 4) == []
    assert total > 0 or key  # the loop ran


def test_the_order_is_read_once_and_again_only_after_a_change(db: Database, people: list[int]) -> None:
    ranked = kept(db)
    for text in ("m", "mi", "mil", "mill", "mill 1", "mill"):
        cl.count(db, ListQuery(search=text))
        cl.page_ids(db, ListQuery(search=text), 0, 10)
    assert ranked.orders_read == 1
    assert 0 < ranked.kept_bytes <= 16 * 61  # an id and a rank per client
    cl.count(db, ListQuery(search="mill", sort="city"))  # another order
    assert ranked.orders_read == 2
    cl.count(db, ListQuery(search="mill", sort="city"))
    assert ranked.orders_read == 2
    add_client(db, "Millerson")
    by_city = ListQuery(search="mill", sort="city")
    assert cl.count(db, by_city) == by_sql(db, by_city)[0]
    assert ranked.orders_read == 3


def test_every_change_is_seen_at_the_next_keystroke(db: Database, people: list[int]) -> None:
    q = ListQuery(search="mill")

    def agrees() -> list[int]:
        total, everyone = by_sql(db, q)
        assert cl.count(db, q) == total
        shown = cl.page_ids(db, q, 0, 1000)
        assert shown == everyone
        assert kept(db).size(list_sql.order_key(ListQuery())) is not None  # the whole list's count: kept
        assert cl.count(db, ListQuery()) == by_sql(db, ListQuery())[0]
        return shown

    before = agrees()
    newcomer = add_client(db, "Aaron Miller")  # sorts first
    assert agrees()[0] == newcomer
    archive_client(db, newcomer)
    assert newcomer not in agrees()
    restore_client(db, newcomer)
    assert agrees()[0] == newcomer
    with db.session() as s:
        s.execute(update(Client).where(Client.id == newcomer).values(name="Zed Miller"))  # now sorts last
    with db.session() as s:
        named = set(s.scalars(select(Client.id).where(Client.name > "")))
    assert [i for i in agrees() if i in named][-1] == newcomer  # the clients without a name come after
    with db.session() as s:
        s.execute(update(Client).where(Client.id == before[0]).values(name="Nobody"))  # no longer found
    assert before[0] not in agrees()
    with db.session() as s:
        s.execute(delete(Client).where(Client.id == newcomer))
    assert newcomer not in agrees()


def test_a_change_by_another_program_is_seen(db: Database, people: list[int]) -> None:
    q = ListQuery(search="miller")
    before = cl.count(db, q)
    if db.server is None:  # another program on the file
        raw = sqlite3.connect(db.path)
        try:
            with raw:
                raw.execute("UPDATE clients SET name = 'Aa Miller' WHERE name LIKE 'Smith%'")
        finally:
            raw.close()
    else:  # another seat on the server: a connection of its own
        other = create_engine(db.engine.url, poolclass=NullPool)
        try:
            with other.begin() as conn:
                conn.execute(update(Client).where(Client.name.like("Smith%")).values(name="Aa Miller"))
        finally:
            other.dispose()
    assert cl.count(db, q) == by_sql(db, q)[0] > before
    assert cl.page_ids(db, q, 0, 1000) == by_sql(db, q)[1]


def test_the_whole_list_is_counted_from_the_kept_order_only_while_it_is_current(
    db: Database, people: list[int]
) -> None:
    ranked = kept(db)
    key = list_sql.order_key(ListQuery())
    assert ranked.size(key) is None  # nothing kept yet: counted by SQL
    assert cl.count(db, ListQuery()) == by_sql(db, ListQuery())[0]
    cl.count(db, ListQuery(search="mill"))
    assert ranked.size(key) == by_sql(db, ListQuery())[0]
    assert ranked.size(list_sql.order_key(ListQuery(sort="city"))) is None
    add_client(db, "New")
    assert ranked.size(key) is None  # the base changed: counted by SQL again
    assert cl.count(db, ListQuery()) == by_sql(db, ListQuery())[0]


FILTERS: list[dict[str, Any]] = [
    {"vip_only": True},
    {"funnels": frozenset({"gold", "white"})},
    {"temperatures": frozenset({"hot"}), "birthday_this_month": True},
    {"city": "C1"},
    {"region": "nowhere"},
    {"overdue_call": True},
    {"call_due": True, "abc": frozenset({"A", "B"})},
    {"xyz": frozenset({"Z"}), "segment": frozenset({"loyal", "new"})},
    {"only_label": "Analysis: AX"},  # a label without ids filters nothing
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("archived", ["active", "all"])
def test_a_search_beside_filters_lists_what_sql_lists(
    db: Database, people: list[int], filters: dict[str, Any], archived: Any
) -> None:
    ranked = kept(db)
    for key in ("name", "phone", "funnel"):
        for text in SEARCHES:
            q = ListQuery(search=text, sort=key, archived=archived, today=TODAY, **filters)
            total, everyone = by_sql(db, q)
            assert cl._ranked(db, q) is not None
            assert (cl.count(db, q), cl.page_ids(db, q, 0, 1000)) == (total, everyone), (text, key)
            assert cl.page_ids(db, q, 1, 2) == everyone[1:3]
    assert ranked.orders_read == 3  # the order of each sort, read once whatever the filters


@pytest.mark.parametrize("filters", FILTERS)
def test_filters_alone_are_ranked_only_while_the_order_is_kept(
    db: Database, people: list[int], filters: dict[str, Any]
) -> None:
    ranked = kept(db)
    for key in ("name", "next_call"):
        for archived in ("active", "all"):
            q = ListQuery(sort=key, archived=archived, today=TODAY, **filters)
            if "only_label" in filters:  # filters nothing: the whole list, walked by SQL
                assert cl._ranked(db, q) is None
                continue
            assert cl._ranked(db, q) is None  # not kept: SQL lists it, the order is not read for it
            cl.prepare_search(db, q)
            assert cl._ranked(db, q) is not None
            total, everyone = by_sql(db, q)
            assert (cl.count(db, q), cl.page_ids(db, q, 0, 1000)) == (total, everyone), (key, archived)
            assert cl.page_ids(db, q, 2, 3) == everyone[2:5]
    assert ranked.orders_read == (0 if "only_label" in filters else 4)


def test_the_clients_of_an_analysis_figure_beside_a_search(db: Database, people: list[int]) -> None:
    some = frozenset(people[::3])
    q = ListQuery(search="mill", only_ids=some, only_label="Analysis: AX", today=TODAY)
    total, everyone = by_sql(db, q)
    assert 0 < total < len(some)
    assert (cl.count(db, q), cl.page_ids(db, q, 0, 100)) == (total, everyone)
    assert set(everyone) <= some


def test_the_filters_clients_are_read_once_while_typing(db: Database, people: list[int]) -> None:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for text in ("m", "mi", "mil", "mill"):
            q = ListQuery(search=text, vip_only=True)
            cl.page_ids(db, q, 0, 10, total=cl.count(db, q))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    reading_vip = [sql for sql in statements if "clients.vip" in sql]
    assert len(reading_vip) == 1


def test_prepare_search_reads_the_order_the_first_keystroke_needs(db: Database, people: list[int]) -> None:
    ranked = kept(db)
    cl.prepare_search(db, ListQuery(sort="phone", descending=True))
    assert ranked.orders_read == 1
    cl.count(db, ListQuery(search="m", sort="phone", descending=True))
    assert ranked.orders_read == 1
    cl.prepare_search(db, ListQuery(sort="phone", descending=True, vip_only=True))  # the same order
    assert ranked.orders_read == 1
    cl.prepare_search(db, ListQuery(sort="city"))
    assert ranked.orders_read == 2


def test_the_cli_list_ranks_too(db: Database, people: list[int]) -> None:
    expected = by_sql(db, ListQuery(search="mill"))[1]
    assert [c.id for c in cl.list_clients(db, search="mill")] == expected
    assert [c.id for c in cl.list_clients(db, search="mill", limit=3, offset=2)] == expected[2:5]
    everyone = by_sql(db, ListQuery(search="mill", archived="all"))[1]
    assert [c.id for c in cl.list_clients(db, search="mill", include_archived=True)] == everyone


def test_closing_the_base_gives_the_kept_connection_back(db: Database, people: list[int]) -> None:
    cl.count(db, ListQuery(search="mill"))
    pool = db.engine.pool
    assert pool.checkedout() == 1  # type: ignore[attr-defined]
    kept(db).close()
    assert pool.checkedout() == 0  # type: ignore[attr-defined]
    assert kept(db).kept_bytes == 0
    assert cl.count(db, ListQuery(search="mill")) == by_sql(db, ListQuery(search="mill"))[0]  # opens again
    db.close()
    assert pool.checkedout() == 0  # type: ignore[attr-defined]


def test_the_ids_of_an_ordered_statement_keep_their_order(db: Database, people: list[int]) -> None:
    """``group_concat`` over an ordered subquery keeps its order (SQLite's ticket #2942): every order."""
    for key in cl.SORT_KEYS:
        for descending in (False, True):
            plain = ListQuery(sort=key, descending=descending, archived="all")
            with db.engine.connect() as conn:
                parts = [
                    ranked_search._ids_of(conn, st)
                    for st in list_sql.order_statements(plain, db.engine.dialect.name)
                ]
            joined = np.concatenate(parts)
            assert joined.tolist() == by_sql(db, plain)[1], (key, descending)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(1, 10**12), unique=True, max_size=60),
    st.lists(st.integers(-5, 10**12), max_size=80),
    st.booleans(),
)
def test_ranks_of_found_ids_dense_or_sparse(order: list[int], found: list[int], dense: bool) -> None:
    if dense:  # ids as a base numbers its clients: from 1 up, few gaps
        order = [i % 200 + 1 for i in order]
        order = list(dict.fromkeys(order))
        found = [i % 220 - 5 for i in found]
    kept_order = ranked_search._Order.of(np.array(order, dtype=np.int64))
    dense_enough = not order or max(order) <= 8 * len(order) + 65536  # else a 4 TB array for id 10**12
    assert (kept_order.positions is None) == dense_enough
    expected = sorted({order.index(i) for i in found if i in order})
    assert kept_order.ranks(np.array(found, dtype=np.int64)).tolist() == expected


def test_a_window_is_a_slice_of_the_ranked_list() -> None:
    found = ranked_search.Found(np.array([7, 5, 9, 1], dtype=np.int64), np.array([0, 2, 3], dtype=np.int64))
    assert found.count == 3
    assert found.window(0, 10) == [7, 9, 1]
    assert found.window(1, 1) == [9]
    assert found.window(-4, 2) == [7, 9]
    assert found.window(2, None) == [1]
    assert found.window(5, 3) == []


@pytest.mark.sqlite_only  # a damaged page of the SQLite file
def test_a_base_damaged_while_open_is_reported_as_damaged(db: Database, people: list[int]) -> None:
    """A damaged page met by the ranked search reads as the base's error, not a driver's."""
    cl.count(db, ListQuery(search="mill"))
    ranked_search.of(db).close()  # no page of the index left in its cache
    raw = sqlite3.connect(db.path)
    try:
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
        (root,) = raw.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'client_search_data'"
        ).fetchone()
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    finally:
        raw.close()
    with open(db.path, "r+b") as f:  # the index's first page: garbage
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)
    with pytest.raises(CorruptBaseError, match="is damaged"):
        cl.count(db, ListQuery(search="miller"))
