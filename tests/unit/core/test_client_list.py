"""The client list: filters, every sort key both ways, windows of ids, rows and positions."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _search_data import add_client, add_varied_clients, insert_raw_client
from alembic import command
from sqlalchemy import delete, event, insert, select, update

from custdesk.core import vocab
from custdesk.core.db import Database, alembic_config, make_engine
from custdesk.core.models import Client, Phone
from custdesk.core.services import client_list as cl
from custdesk.core.services import list_sql, search
from custdesk.core.services.client_list import ListQuery

TODAY = date(2026, 3, 15)


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    """Six clients with values (and gaps) in every sortable column."""
    spec: dict[str, dict[str, Any]] = {
        "anna": dict(
            name="Anna",
            organisation="Zeta",
            city="Oulu",
            region="North",
            funnel="gold",
            temperature="cold",
            next_call_on=date(2026, 3, 10),
            last_purchase_on=date(2025, 1, 1),
            revenue_total=Decimal("100.50"),
            purchase_count=2,
            birthday=date(1980, 3, 2),
            phones=("+358401111111",),
            emails=("anna@zeta.fi",),
            abc_class="B",
            xyz_class="Y",
            rfm_segment="loyal",
        ),
        "boris": dict(
            name="Борис",
            organisation="",
            city="Москва",
            region="Центр",
            funnel="white",
            temperature="hot",
            next_call_on=date(2026, 3, 15),
            revenue_total=Decimal(0),
            vip=True,
            phones=("+79120000000", "+79990000000"),
            abc_class="D",
        ),
        "carl": dict(
            name="Carl",
            organisation="Alfa",
            city="",
            funnel="platinum-red",
            temperature="warm",
            next_call_on=None,
            last_purchase_on=date(2026, 2, 1),
            revenue_total=Decimal("9999.99"),
            purchase_count=7,
            birthday=date(1990, 3, 30),
            abc_class="A",
            xyz_class="Z",
            rfm_segment="champions",
        ),
        "dora": dict(
            name="",
            organisation="Beta",
            kind="organisation",
            city="Oulu",
            region="North",
            funnel="gold",
            temperature="hot",
            next_call_on=date(2026, 4, 1),
            revenue_total=Decimal("100.50"),
            phones=("+358402222222",),
        ),
        "eve": dict(
            name="Eve",
            organisation="Alfa",
            city="Helsinki",
            funnel="green",
            temperature="warm",
            next_call_on=date(2026, 3, 10),
            last_purchase_on=date(2025, 1, 1),
            revenue_total=Decimal(5),
            birthday=date(2000, 4, 1),
            phones=("+358401111111",),
            abc_class="C",
            xyz_class="X",
            rfm_segment="hibernating",
        ),
        "gone": dict(
            name="Archived Ann", archived=True, funnel="gold", phones=("+358403333333",), abc_class="A"
        ),
    }
    return {key: add_client(db, **values) for key, values in spec.items()}


def order(db: Database, ids: dict[str, int], **kw: Any) -> list[str]:
    names = {v: k for k, v in ids.items()}
    q = ListQuery(today=TODAY, **kw)
    got = cl.page_ids(db, q, 0, 100)
    assert len(got) == cl.count(db, q)
    return [names[i] for i in got]


SORTS: dict[str, list[str]] = {
    # ascending order; clients without a value last (by id); ties by id
    "name": ["anna", "carl", "eve", "boris", "dora"],
    "organisation": ["carl", "eve", "dora", "anna", "boris"],
    "phone": ["anna", "eve", "dora", "boris", "carl"],
    "city": ["eve", "anna", "dora", "boris", "carl"],
    "funnel": ["boris", "eve", "anna", "dora", "carl"],
    "temperature": ["boris", "dora", "carl", "eve", "anna"],
    "next_call": ["anna", "eve", "boris", "dora", "carl"],
    "last_purchase": ["anna", "eve", "carl", "boris", "dora"],
    "revenue": ["boris", "eve", "anna", "dora", "carl"],
    "abc": ["carl", "anna", "eve", "boris", "dora"],
    "xyz": ["eve", "anna", "carl", "boris", "dora"],
    "segment": ["carl", "anna", "eve", "boris", "dora"],  # best first: champions, loyal, hibernating
}
MISSING: dict[str, int] = {  # how many clients at the end of the ascending order have no value
    "name": 1,
    "organisation": 1,
    "phone": 1,
    "city": 1,
    "funnel": 0,
    "temperature": 0,
    "next_call": 1,
    "last_purchase": 2,
    "revenue": 0,
    "abc": 1,
    "xyz": 2,
    "segment": 2,
}


def test_every_sort_key_is_tested() -> None:
    assert set(SORTS) == set(cl.SORT_KEYS)


@pytest.mark.parametrize("key", cl.SORT_KEYS)
def test_sort_both_directions_missing_values_last(db: Database, ids: dict[str, int], key: str) -> None:
    ascending = SORTS[key]
    assert order(db, ids, sort=key) == ascending
    cut = len(ascending) - MISSING[key]
    expected_desc = list(reversed(ascending[:cut])) + list(reversed(ascending[cut:]))
    assert order(db, ids, sort=key, descending=True) == expected_desc


def test_funnel_sorts_in_canonical_order(db: Database) -> None:
    made = {key: add_client(db, f"client {key}", funnel=key) for key in reversed(vocab.FUNNEL_KEYS)}
    odd = add_client(db, "from an import", funnel="purple")
    got = cl.page_ids(db, ListQuery(sort="funnel"), 0, 50)
    assert got == [made[k] for k in vocab.FUNNEL_KEYS] + [odd]
    got = cl.page_ids(db, ListQuery(sort="funnel", descending=True), 0, 50)
    assert got == [made[k] for k in reversed(vocab.FUNNEL_KEYS)] + [odd]


def test_archived_filter(db: Database, ids: dict[str, int]) -> None:
    assert "gone" not in order(db, ids)
    assert order(db, ids, archived="archived") == ["gone"]
    assert order(db, ids, archived="all") == ["anna", "gone", "carl", "eve", "boris", "dora"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"funnels": frozenset({"gold"})}, {"anna", "dora"}),
        ({"funnels": frozenset({"gold", "green"})}, {"anna", "dora", "eve"}),
        ({"temperatures": frozenset({"hot"})}, {"boris", "dora"}),
        ({"temperatures": frozenset({"hot", "cold"})}, {"anna", "boris", "dora"}),
        ({"vip_only": True}, {"boris"}),
        ({"region": "North"}, {"anna", "dora"}),
        ({"city": "Oulu"}, {"anna", "dora"}),
        ({"region": "North", "city": "Helsinki"}, set()),
        ({"overdue_call": True}, {"anna", "eve"}),
        ({"call_due": True}, {"anna", "eve", "boris"}),
        ({"birthday_this_month": True}, {"anna", "carl"}),
        ({"search": "oulu"}, {"anna", "dora"}),
        ({"search": "9120"}, {"boris"}),
        ({"search": "Alfa", "funnels": frozenset({"green"})}, {"eve"}),
        ({"search": "ann", "archived": "all"}, {"anna", "gone"}),
        ({"abc": frozenset({"A"})}, {"carl"}),
        ({"abc": frozenset({"A"}), "archived": "all"}, {"carl", "gone"}),
        ({"abc": frozenset({"B", "D"})}, {"anna", "boris"}),
        ({"xyz": frozenset({"X", "Y"})}, {"anna", "eve"}),
        ({"segment": frozenset({"loyal", "hibernating"})}, {"anna", "eve"}),
        ({"abc": frozenset({"A", "B"}), "xyz": frozenset({"Z"})}, {"carl"}),
    ],
)
def test_filters(
    db: Database, ids: dict[str, int], search_path: str, filters: dict[str, Any], expected: set[str]
) -> None:
    assert set(order(db, ids, **filters)) == expected


def test_only_ids_shows_exactly_those_clients(db: Database, ids: dict[str, int]) -> None:
    wanted = frozenset({ids["anna"], ids["eve"], ids["gone"]})
    assert set(order(db, ids, only_ids=wanted)) == {"anna", "eve"}  # archived stays out unless asked
    assert order(db, ids, only_ids=wanted, archived="all", sort="name") == ["anna", "gone", "eve"]
    assert order(db, ids, only_ids=frozenset()) == []
    assert set(order(db, ids, only_ids=wanted, funnels=frozenset({"green"}))) == {"eve"}
    q = ListQuery(only_ids=wanted, only_label="Analysis: AX", today=TODAY)
    assert cl.position_of(db, q, ids["eve"]) == 1 and cl.position_of(db, q, ids["carl"]) is None


def test_only_ids_beyond_the_variable_limit_of_sqlite(db: Database, ids: dict[str, int]) -> None:
    # 250,000 ids would be far past SQLite's 32,766 variables if each were a parameter.
    many = frozenset(range(1, 250_001)) - {ids["boris"]}
    q = ListQuery(only_ids=many, sort="revenue", today=TODAY)
    assert cl.count(db, q) == 4
    assert order(db, ids, only_ids=many) == ["anna", "carl", "eve", "dora"]
    assert cl.page_ids(db, q, 0, 10) == [ids[n] for n in ("eve", "anna", "dora", "carl")]


def test_rows_carry_the_stored_classes(db: Database, ids: dict[str, int]) -> None:
    got = cl.rows(db, [ids["carl"], ids["dora"]])
    carl, dora = got[ids["carl"]], got[ids["dora"]]
    assert (carl.abc_class, carl.xyz_class, carl.rfm_segment) == ("A", "Z", "champions")
    assert (dora.abc_class, dora.xyz_class, dora.rfm_segment) == (None, None, None)


def test_windows_are_consistent_with_count(db: Database) -> None:
    for i in range(23):
        add_client(db, f"Client {i:02d}" if i % 4 else "", city=f"C{i % 3}" if i % 5 else "")
    for sort in ("name", "city", "funnel", "revenue"):
        for descending in (False, True):
            q = ListQuery(sort=sort, descending=descending)
            n = cl.count(db, q)
            whole = cl.page_ids(db, q, 0, 1000)
            assert len(whole) == n == 23
            windows = [cl.page_ids(db, q, offset, 5) for offset in range(0, n, 5)]
            assert [i for w in windows for i in w] == whole
            assert cl.page_ids(db, q, 7, 9) == whole[7:16]
            assert cl.page_ids(db, q, n, 5) == []
            assert cl.page_ids(db, q, 3, 0) == []
            for row, client_id in enumerate(whole):
                assert cl.position_of(db, q, client_id) == row


@pytest.mark.parametrize("key", cl.SORT_KEYS)
def test_position_of_every_sort(db: Database, ids: dict[str, int], key: str) -> None:
    for descending in (False, True):
        q = ListQuery(sort=key, descending=descending, today=TODAY)
        for row, client_id in enumerate(cl.page_ids(db, q, 0, 100)):
            assert cl.position_of(db, q, client_id) == row
    assert cl.position_of(db, ListQuery(sort=key), ids["gone"]) is None
    assert cl.position_of(db, ListQuery(sort=key), 10**9) is None


def test_rows_show_everything_a_row_needs(db: Database, ids: dict[str, int]) -> None:
    got = cl.rows(db, [ids["boris"], ids["carl"], 10**9])
    assert set(got) == {ids["boris"], ids["carl"]}
    boris = got[ids["boris"]]
    assert boris.phone == "+79120000000"  # the primary one
    assert boris.email is None
    assert boris.vip and boris.temperature == "hot" and boris.city == "Москва" and boris.region == "Центр"
    carl = got[ids["carl"]]
    assert carl.revenue_total == Decimal("9999.99")
    assert carl.purchase_count == 7
    assert carl.last_purchase_on == date(2026, 2, 1)
    assert carl.birthday == date(1990, 3, 30)
    assert carl.phone is None
    assert cl.rows(db, [ids["dora"]])[ids["dora"]].display_name == "Beta"
    assert cl.rows(db, []) == {}


def test_rows_primary_is_the_marked_one(db: Database) -> None:
    client_id = add_client(db, "X", phones=("+79120000001", "+79120000002"))
    with db.session() as s:
        s.execute(update(Phone).where(Phone.client_id == client_id).values(is_primary=Phone.position == 1))
    assert cl.rows(db, [client_id])[client_id].phone == "+79120000002"


def test_list_clients_for_the_cli(db: Database, ids: dict[str, int]) -> None:
    everyone = cl.list_clients(db)
    assert [c.id for c in everyone] == [ids[k] for k in SORTS["name"]]
    assert [c.name for c in cl.list_clients(db, limit=2, offset=1)] == ["Carl", "Eve"]
    found = cl.list_clients(db, search="zeta")
    assert len(found) == 1
    anna = found[0]
    assert (anna.phone, anna.email, anna.city, anna.funnel, anna.next_call) == (
        "+358401111111",
        "anna@zeta.fi",
        "Oulu",
        "gold",
        date(2026, 3, 10),
    )
    assert len(cl.list_clients(db, include_archived=True)) == 6


def test_facets(db: Database, ids: dict[str, int]) -> None:
    assert cl.regions(db) == ["North", "Центр"]
    assert cl.cities(db) == ["Helsinki", "Oulu", "Москва"]
    assert cl.cities(db, region="North") == ["Oulu"]


def test_bad_query_values_are_refused() -> None:
    with pytest.raises(ValueError):
        ListQuery(sort="shoe size")
    with pytest.raises(ValueError):
        dataclasses.replace(ListQuery(), archived="deleted")  # type: ignore[arg-type]


# --- Derived columns (migration 0003), the two list plans, birthday ranges, planner statistics ---------


def derived(db: Database, client_id: int) -> tuple[str, int | None]:
    with db.session() as s:
        row = s.execute(select(Client.primary_phone, Client.birthday_md).where(Client.id == client_id)).one()
    return row[0], row[1]


def test_primary_phone_follows_every_phone_write(db: Database) -> None:
    a = add_client(db, "A", phones=("+79120000001", "+79120000002"))
    b = add_client(db, "B")
    assert derived(db, a)[0] == "+79120000001"
    assert derived(db, b)[0] == ""
    with db.session() as s:  # the other phone marked primary
        s.execute(update(Phone).where(Phone.client_id == a).values(is_primary=Phone.position == 1))
    assert derived(db, a)[0] == "+79120000002"
    with db.session() as s:  # renumbered
        s.execute(update(Phone).where(Phone.number == "+79120000002").values(number="+79120000009"))
    assert derived(db, a)[0] == "+79120000009"
    with db.session() as s:  # moved to another client, as a merge does
        s.execute(update(Phone).where(Phone.number == "+79120000009").values(client_id=b))
    assert derived(db, a)[0] == "+79120000001"  # none marked: the first by position
    assert derived(db, b)[0] == "+79120000009"
    with db.session() as s:
        s.execute(delete(Phone).where(Phone.client_id == a))
        s.add(Phone(client_id=b, number="+70000000000", is_primary=False, position=5))
    assert derived(db, a)[0] == ""
    assert derived(db, b)[0] == "+79120000009"
    with db.session() as s:  # a writer copying a stale value is put right
        s.execute(update(Client).where(Client.id == b).values(primary_phone="+1"))
    assert derived(db, b)[0] == "+79120000009"


def test_birthday_key_follows_the_birthday(db: Database) -> None:
    a = add_client(db, "A", birthday=date(1980, 12, 31))
    assert derived(db, a)[1] == 1231
    assert derived(db, add_client(db, "B"))[1] is None
    with db.session() as s:
        s.execute(update(Client).where(Client.id == a).values(birthday=date(2000, 2, 29)))
    assert derived(db, a)[1] == 229
    with db.session() as s:
        s.execute(update(Client).where(Client.id == a).values(birthday_md=101))  # a stale write
    assert derived(db, a)[1] == 229
    with db.session() as s:
        s.execute(update(Client).where(Client.id == a).values(birthday=None))
    assert derived(db, a)[1] is None


@pytest.mark.sqlite_only  # SQLite's triggers (the server keeps its own, migration 0010)
def test_bulk_load_suspends_and_recomputes_the_derived_columns(db: Database) -> None:
    now = datetime(2026, 1, 1)
    with db.engine.begin() as conn, search.bulk_load(conn):
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert not any(n.startswith(search.DERIVED_TRIGGER_PREFIX) for n in names)
        conn.execute(
            insert(Client),
            [
                {"id": 900 + i, "external_id": f"L-{i}", "birthday": date(1990, 1 + i, 2)}
                | {"created_at": now, "updated_at": now}
                for i in range(3)
            ],
        )
        conn.execute(insert(Phone), [{"client_id": 901, "number": "+79125550000", "position": 0}])
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert len([n for n in names if n.startswith(search.DERIVED_TRIGGER_PREFIX)]) == 6
    assert [derived(db, 900 + i) for i in range(3)] == [("", 102), ("+79125550000", 202), ("", 302)]
    assert cl.page_ids(db, ListQuery(sort="phone"), 0, 1) == [901]


def test_migration_fills_the_derived_columns_of_existing_clients(empty_base_file: Path) -> None:
    engine = make_engine(empty_base_file)
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
            insert_raw_client(conn, id=7, external_id="M-7", name="Old", birthday="1970-06-05")
            conn.exec_driver_sql(
                "INSERT INTO phones (client_id, kind, number, extension, is_primary, position) "
                "VALUES (7, 'mobile', '+79127770000', '', 1, 0)"
            )
            command.upgrade(cfg, "head")
            row = conn.exec_driver_sql("SELECT primary_phone, birthday_md FROM clients WHERE id = 7").one()
            assert tuple(row) == ("+79127770000", 605)
            found = conn.exec_driver_sql("SELECT rowid FROM client_search WHERE client_search MATCH '7770'")
            assert list(found.scalars()) == [7]  # the search triggers outlived the downgrade
    finally:
        engine.dispose()


@pytest.fixture
def crowd(db: Database) -> list[int]:
    """Forty clients with gaps and ties in every sort column, most of them found by "Mill"."""
    return add_varied_clients(db, 40, "CR")


@pytest.fixture(params=["ranked", "sql"])
def search_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a searched list is read: ranked in the kept order (the default on SQLite), or by SQL."""
    if request.param == "sql":
        monkeypatch.setattr(cl, "_ranked", lambda db, q: None)
    return str(request.param)


@pytest.mark.parametrize("key", cl.SORT_KEYS)
@pytest.mark.parametrize(
    "narrowing",
    [
        {"search": "mill"},  # FTS
        {"search": "mi"},  # index ranges of name starts
        {"search": "mill 1"},  # FTS and a short word checked per client
        {"vip_only": True},
        {"temperatures": frozenset({"hot"}), "birthday_this_month": True},
    ],
)
def test_sorting_the_matches_and_walking_the_sort_order_agree(
    db: Database,
    crowd: list[int],
    monkeypatch: pytest.MonkeyPatch,
    search_path: str,
    key: str,
    narrowing: dict[str, Any],
) -> None:
    for descending in (False, True):
        everyone = cl.page_ids(db, ListQuery(sort=key, descending=descending, today=TODAY), 0, 100)
        q = ListQuery(sort=key, descending=descending, today=TODAY, **narrowing)
        with db.session() as s:
            shown = set(s.scalars(select(Client.id).where(*list_sql.conditions(q, db.engine.dialect.name))))
        expected = [i for i in everyone if i in shown]  # the order of the whole list, NULLs last, ties by id
        assert 0 < len(expected) < len(everyone)
        for bound in (0, 10**6):  # walk the sort index / sort the matches
            monkeypatch.setattr(list_sql, "sort_bound", lambda span, clients, bound=bound: bound)
            assert cl.page_ids(db, q, 0, 100) == expected
            size = len(expected) // 2 + 1  # two windows: one across the segments' boundary as a rule
            assert cl.page_ids(db, q, 0, size) + cl.page_ids(db, q, size, size) == expected
            assert cl.page_ids(db, q, len(expected), 3) == []


@pytest.mark.sqlite_only  # SQLite's planner and statistics
def test_the_plans_run_the_sql_they_mean(
    db: Database, crowd: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    monkeypatch.setattr(cl, "_ranked", lambda db, q: None)  # the SQL way of listing a search
    try:
        cl.page_ids(db, ListQuery(search="mill"), 0, 10)
        assert any("CROSS JOIN clients" in sql for sql in statements)  # the matches are read first
        statements.clear()
        monkeypatch.setattr(list_sql, "sort_bound", lambda span, clients: 0)
        cl.page_ids(db, ListQuery(search="mill"), 0, 10)
        walked = [sql for sql in statements if "ORDER BY" in sql]
        assert walked and all("clients.id + " in sql and "CROSS JOIN" not in sql for sql in walked)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_the_sort_bound_grows_with_the_window() -> None:
    assert list_sql.sort_bound(100, 100_000) == cl.FEW_MATCHES
    assert list_sql.sort_bound(20_100, 100_000) > 15_000
    assert list_sql.sort_bound(80_100, 100_000) > list_sql.sort_bound(20_100, 100_000) * 3 // 2


@pytest.mark.parametrize("narrowing", [{"search": "mill"}, {"search": "mill 1"}, {"vip_only": True}])
def test_a_count_given_to_page_ids_changes_no_window(
    db: Database,
    crowd: list[int],
    monkeypatch: pytest.MonkeyPatch,
    search_path: str,
    narrowing: dict[str, Any],
) -> None:
    q = ListQuery(today=TODAY, **narrowing)
    total = cl.count(db, q)
    assert 0 < total < len(crowd)
    for bound in (0, 10**6):  # walk the sort index / sort the matches
        monkeypatch.setattr(list_sql, "sort_bound", lambda span, clients, bound=bound: bound)
        for offset, limit in ((0, 100), (3, 5), (total - 1, 10)):
            expected = cl.page_ids(db, q, offset, limit)
            assert cl.page_ids(db, q, offset, limit, total=total) == expected
        assert cl.page_ids(db, q, total, 10, total=total) == []


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 12, 20), date(2027, 1, 10), {"dec25", "jan05"}),
        (date(2026, 3, 1), date(2026, 3, 31), {"mar01", "mar31"}),
        (date(2027, 2, 1), date(2027, 2, 28), {"feb29"}),  # no 29 February in 2027: counted on the 28th
        (date(2028, 2, 1), date(2028, 2, 28), set()),  # 2028 has one
        (date(2026, 1, 1), date(2026, 12, 31), {"dec25", "jan05", "mar01", "mar31", "feb29"}),
        (date(2026, 5, 1), date(2026, 4, 1), set()),
    ],
)
def test_birthday_between(db: Database, first: date, last: date, expected: set[str]) -> None:
    days = {
        "dec25": date(1980, 12, 25),
        "jan05": date(1990, 1, 5),
        "mar01": date(1970, 3, 1),
        "mar31": date(1971, 3, 31),
        "feb29": date(1972, 2, 29),
    }
    ids = {add_client(db, name, birthday=day): name for name, day in days.items()}
    add_client(db, "none")
    for dialect in ("sqlite", "other"):
        with db.session() as s:
            got = set(s.scalars(select(Client.id).where(cl.birthday_between(first, last, dialect=dialect))))
        assert {ids[i] for i in got} == expected, dialect


def test_birthday_this_month_includes_29_february(db: Database) -> None:
    leapling = add_client(db, "L", birthday=date(2000, 2, 29))
    add_client(db, "M", birthday=date(2000, 3, 1))
    assert cl.page_ids(db, ListQuery(birthday_this_month=True, today=date(2027, 2, 10)), 0, 10) == [leapling]


@pytest.mark.sqlite_only  # SQLite's planner and statistics
def test_statistics_are_gathered_once_and_again_for_a_new_index(db: Database) -> None:
    for i in range(3):
        add_client(db, f"S{i}")
    with db.engine.begin() as conn:
        assert not search.has_statistics(conn)
        assert not search.ensure_statistics(conn)  # too few clients: no statistics to mislead later
        assert search.analyse(conn, min_clients=1)
        assert search.has_statistics(conn)
        conn.exec_driver_sql("CREATE INDEX ix_test_later ON clients (archived, postcode)")
        assert not search.has_statistics(conn)  # an index of a later migration has none
        assert search.analyse(conn, min_clients=1)
        assert search.has_statistics(conn)
        conn.exec_driver_sql("DROP INDEX ix_test_later")
