"""The client list: filters, every sort key both ways, windows of ids, rows and positions."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from _search_data import add_client

from custdesk.core import vocab
from custdesk.core.db import Database
from custdesk.core.services import client_list as cl
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
        ),
        "gone": dict(name="Archived Ann", archived=True, funnel="gold", phones=("+358403333333",)),
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
    ],
)
def test_filters(db: Database, ids: dict[str, int], filters: dict[str, Any], expected: set[str]) -> None:
    assert set(order(db, ids, **filters)) == expected


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
    from sqlalchemy import update

    from custdesk.core.models import Phone

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
