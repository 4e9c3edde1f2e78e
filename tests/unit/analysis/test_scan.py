"""The window scan: every purchase of the window read once, per day, into per-client figures."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from _sales import add_purchases, make_clients
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, update

from custdesk.analysis import scan
from custdesk.analysis.period import Period, bucket_ordinal
from custdesk.core.db import Database
from custdesk.core.models import Client, Purchase

WINDOW = Period(date(2024, 1, 15), date(2024, 6, 10))
DAYS = st.dates(min_value=date(2023, 12, 1), max_value=date(2024, 7, 1))
AMOUNTS = st.integers(min_value=-(10**13), max_value=10**13)  # cents, returns and very large sums too
SALES = st.lists(
    st.tuples(st.integers(0, 4), DAYS, AMOUNTS, st.none() | st.integers(min_value=-(10**9), max_value=10**9)),
    max_size=40,
)


def _cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


def _expected(ids: list[int], sales: list[tuple[int, date, int, int | None]]) -> dict[str, dict[int, object]]:
    revenue: dict[int, int] = defaultdict(int)
    profit: dict[int, int] = defaultdict(int)
    count: dict[int, int] = defaultdict(int)
    last: dict[int, int] = defaultdict(int)
    cells: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    first = bucket_ordinal(WINDOW.start.year, WINDOW.start.month, "month")
    for n, day, amount, prof in sales:
        if not WINDOW.start <= day <= WINDOW.end:
            continue
        who = ids[n]
        revenue[who] += amount
        profit[who] += prof or 0
        count[who] += 1
        last[who] = max(last[who], day.toordinal())
        cells[who][bucket_ordinal(day.year, day.month, "month") - first] += amount
    return {"revenue": revenue, "profit": profit, "count": count, "last": last, "cells": cells}  # type: ignore[dict-item]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(SALES)
def test_the_scan_sums_every_purchase_of_the_window_exactly(
    db: Database, sales: list[tuple[int, date, int, int | None]]
) -> None:
    with db.session() as s:
        s.execute(delete(Purchase))
        s.execute(delete(Client))
    ids = make_clients(db, 5)
    add_purchases(
        db, ids, [(n, d.isoformat(), _cents(a), None if p is None else _cents(p)) for n, d, a, p in sales]
    )
    want = _expected(ids, sales)
    with db.session() as s:
        got = scan.scan_window(s, WINDOW, "month")
    assert got.client_ids.tolist() == ids  # every client, buyer or not
    for i, who in enumerate(ids):
        assert got.revenue[i] == want["revenue"].get(who, 0)
        assert got.profit[i] == want["profit"].get(who, 0)
        assert got.purchases[i] == want["count"].get(who, 0)
        assert got.last_day[i] == want["last"].get(who, 0)
        cells = want["cells"].get(who, {})
        assert [int(v) for v in got.cells[i]] == [cells.get(b, 0) for b in range(got.cells.shape[1])]  # type: ignore[attr-defined]


def test_the_day_of_each_purchase_and_one_order_across_columns(db: Database) -> None:
    ids = make_clients(db, 3)
    add_purchases(
        db,
        ids,
        [
            (0, "2024-02-01", "1.00"),
            (1, "2024-02-01", "2.00"),
            (2, "2024-03-05", "3.00"),
            (0, "2024-06-10", "4.00"),
        ],
    )
    with db.session() as s:
        rows = scan.window_rows(s, WINDOW, "month", [Purchase.client_id, Purchase.amount])
        slow = scan._rows_one_by_one(
            s,
            Purchase.purchased_on.between(WINDOW.start, WINDOW.end),
            [Purchase.client_id, Purchase.amount],
            4,
        )
    by_day = sorted(zip(rows.day.tolist(), map(tuple, rows.table.tolist()), strict=True))
    assert by_day == [
        (date(2024, 2, 1).toordinal(), (ids[0], 100)),
        (date(2024, 2, 1).toordinal(), (ids[1], 200)),
        (date(2024, 3, 5).toordinal(), (ids[2], 300)),
        (date(2024, 6, 10).toordinal(), (ids[0], 400)),
    ]
    assert rows.bucket.tolist()[-1] == 5  # June is the sixth month of the window
    assert sorted(map(tuple, slow.tolist())) == sorted(map(tuple, rows.table.tolist()))


def test_text_that_is_not_integers_is_refused_by_the_fast_path() -> None:
    assert scan._parse_integers(["1 2", "-3"], 3) is not None
    assert scan._parse_integers(["1 2", "-3"], 3).tolist() == [1, 2, -3]  # type: ignore[union-attr]
    assert scan._parse_integers(["1 2.5 3"], 3) is None
    assert scan._parse_integers(["1 x 3"], 3) is None
    assert scan._parse_integers(["1 2"], 3) is None


def test_the_population_leaves_out_merged_cards_without_purchases(db: Database) -> None:
    ids = make_clients(db, 3)
    add_purchases(db, ids, [(2, "2024-02-01", "5.00")])
    with db.session() as s:
        s.execute(update(Client).where(Client.id.in_(ids[1:])).values(merged_into_id=ids[0]))
    with db.session() as s:
        got = scan.scan_window(s, WINDOW, "month")
    assert got.client_ids.tolist() == [ids[0], ids[2]]  # ids[1] was merged and bought nothing here
