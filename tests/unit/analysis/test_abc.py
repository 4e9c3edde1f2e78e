"""ABC by revenue and by profit, exactly as DOMAIN.md defines it (S_prev / T < 0.80, ties by id, C, D)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custdesk.analysis.abc import abc_classes, abc_codes
from custdesk.analysis.parameters import parse_thresholds
from custdesk.core.db import Database
from custdesk.core.errors import ValidationFailed
from tests.unit.analysis._sales import add_purchases, analyse, classes, make_clients


def test_the_client_that_crosses_80_percent_is_a(db: Database) -> None:
    ids = make_clients(db, 4)
    # Values 60, 25, 10, 5 of T = 100: S_prev = 0, 60, 85, 95.
    add_purchases(
        db,
        ids,
        [
            (0, "2024-03-01", "60.00"),
            (1, "2024-03-02", "25.00"),
            (2, "2024-03-03", "10.00"),
            (3, "2024-03-04", "5.00"),
        ],
    )
    a = analyse(db, "2024-01-01", "2024-12-31")
    # 60 % before client 2 (< 80 %: A, it crosses 80 %); 85 % before client 3 (B);
    # 95 % before client 4: not < 95 %, so C.
    assert classes(a, ids, "abc") == ["A", "A", "B", "C"]


def test_a_share_exactly_at_the_threshold_is_the_next_class(db: Database) -> None:
    ids = make_clients(db, 3)
    add_purchases(
        db, ids, [(0, "2024-03-01", "80.00"), (1, "2024-03-01", "15.00"), (2, "2024-03-01", "5.00")]
    )
    # S_prev of the second client is exactly 80 % (not < 80 %): B; the third has exactly 95 %: C.
    assert classes(analyse(db, "2024-01-01", "2024-12-31"), ids, "abc") == ["A", "B", "C"]


def test_ties_are_ordered_by_client_id(db: Database) -> None:
    ids = make_clients(db, 3)
    # Equal values 40, 40 and 20: the lower id comes first. S_prev: 0 (A), 40 (A), 80 (B).
    add_purchases(
        db, ids, [(2, "2024-05-01", "40.00"), (1, "2024-05-01", "40.00"), (0, "2024-05-01", "20.00")]
    )
    a = analyse(db, "2024-01-01", "2024-12-31", abc_thresholds=(Fraction(1, 2), Fraction(9, 10)))
    # With A below 50 %: client 2 (lower id) has S_prev 0 -> A; client 3 has S_prev 40 % -> A;
    # client 1 has 80 % -> B.
    assert classes(a, ids, "abc") == ["B", "A", "A"]
    a = analyse(db, "2024-01-01", "2024-12-31", abc_thresholds=(Fraction(2, 5), Fraction(9, 10)))
    # A below 40 %: of the tied pair only the lower id (S_prev 0) is A; the other has exactly 40 %: B.
    assert classes(a, ids, "abc") == ["B", "A", "B"]


def test_no_purchase_in_the_window_is_d_and_edges_count(db: Database) -> None:
    ids = make_clients(db, 4)
    add_purchases(
        db,
        ids,
        [
            (0, "2024-01-01", "10.00"),  # on the first day: counts
            (1, "2024-12-31", "10.00"),  # on the last day: counts
            (2, "2023-12-31", "500.00"),  # the day before: D
            (2, "2025-01-01", "500.00"),  # the day after: D
        ],
    )
    a = analyse(db, "2024-01-01", "2024-12-31")
    assert classes(a, ids, "abc") == ["A", "A", "D", "D"]  # client 4 never bought: D
    assert [t.clients for t in a.totals()["abc"]] == [2, 0, 0, 2]


def test_profit_not_positive_is_c(db: Database) -> None:
    ids = make_clients(db, 4)
    add_purchases(
        db,
        ids,
        [
            (0, "2024-02-01", "100.00", "30.00"),
            (1, "2024-02-01", "100.00", "0.00"),  # zero profit: C
            (2, "2024-02-01", "100.00", "-5.00"),  # a loss: C
            (3, "2024-02-01", "100.00", None),  # profit unknown: counts as 0, C
        ],
    )
    a = analyse(db, "2024-01-01", "2024-12-31", criterion="profit")
    assert classes(a, ids, "abc") == ["A", "C", "C", "C"]
    # By revenue the four are equal: S_prev 0, 25, 50 and 75 % are all below 80 %.
    assert classes(analyse(db, "2024-01-01", "2024-12-31"), ids, "abc") == ["A", "A", "A", "A"]


def test_revenue_not_positive_is_c(db: Database) -> None:
    ids = make_clients(db, 2)
    add_purchases(
        db, ids, [(0, "2024-02-01", "50.00"), (1, "2024-02-01", "20.00"), (1, "2024-02-02", "-20.00")]
    )
    assert classes(analyse(db, "2024-01-01", "2024-12-31"), ids, "abc") == ["A", "C"]


def test_thresholds_are_checked() -> None:
    assert parse_thresholds("0.80,0.95", "abc") == (Fraction(4, 5), Fraction(19, 20))
    for bad in ("0.95,0.80", "0.8", "a,b", "0,0.5", "0.5,1.5"):
        with pytest.raises(ValidationFailed):
            parse_thresholds(bad, "abc")


values_st = st.dictionaries(st.integers(1, 10_000), st.integers(-500, 5_000), min_size=1, max_size=40)


@settings(max_examples=80, deadline=None)
@given(values_st)
def test_classes_partition_the_clients_and_follow_the_value(values: dict[int, int]) -> None:
    found = abc_classes(values)
    assert set(found) == set(values) and set(found.values()) <= {"A", "B", "C"}
    order = "ABC"
    positive = {c: v for c, v in values.items() if v > 0}
    if positive:
        best = max(positive.items(), key=lambda kv: (kv[1], -kv[0]))[0]
        assert found[best] == "A"  # the first client always has S_prev = 0
    for c, v in values.items():
        if v <= 0:
            assert found[c] == "C"
    # Monotone: a client worth more never gets a worse class.
    for c1, v1 in values.items():
        for c2, v2 in values.items():
            if v1 > v2:
                assert order.index(found[c1]) <= order.index(found[c2])
    # The A clients bring at least 80 % of the positive total (they include the crossing client).
    total = sum(positive.values())
    if total:
        a_sum = sum(v for c, v in positive.items() if found[c] == "A")
        assert a_sum * 5 >= total * 4


@settings(max_examples=60, deadline=None)
@given(values_st, st.lists(st.booleans(), min_size=40, max_size=40))
def test_every_client_gets_exactly_one_class(values: dict[int, int], bought: list[bool]) -> None:
    ids = np.array(list(values), np.int64)
    vals = np.array(list(values.values()), np.int64)
    mask = np.array(bought[: ids.size])
    codes = abc_codes(ids, vals, mask)
    assert codes.size == ids.size
    assert ((codes == 3) == ~mask).all()  # D exactly for the clients without a purchase
