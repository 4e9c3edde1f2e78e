"""RFM: score = 1 + floor(5 * w / n) with w strictly worse, the as-of date is the window's end, segments."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custdesk.analysis.rfm import SEGMENTS, score_list, scores, segment_of
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, analyse, classes, make_clients

# DOMAIN.md's table written out per (R, F): first match, rows in the table's order.
EXPECTED = {
    (1, 1): "hibernating",
    (1, 2): "hibernating",
    (2, 1): "hibernating",
    (2, 2): "hibernating",
    (1, 3): "at risk",
    (1, 4): "at risk",
    (2, 3): "at risk",
    (2, 4): "at risk",
    (1, 5): "can't lose them",
    (2, 5): "can't lose them",
    (3, 1): "about to sleep",
    (3, 2): "about to sleep",
    (3, 3): "need attention",
    (3, 4): "loyal",
    (3, 5): "loyal",
    (4, 4): "loyal",
    (4, 5): "loyal",
    (4, 1): "promising",
    (5, 1): "new",
    (4, 2): "potential loyalist",
    (4, 3): "potential loyalist",
    (5, 2): "potential loyalist",
    (5, 3): "potential loyalist",
    (5, 4): "champions",
    (5, 5): "champions",
}


@pytest.mark.parametrize(("r", "f"), sorted(EXPECTED))
def test_segment_table(r: int, f: int) -> None:
    assert segment_of(r, f) == EXPECTED[(r, f)]


def test_scores_by_hand() -> None:
    assert score_list([1, 2, 3, 4, 5], higher_is_better=True) == [1, 2, 3, 4, 5]
    # Equal values, equal scores: w = 0, 0, 2 of n = 3 -> 1, 1, 1 + floor(10 / 3) = 4.
    assert score_list([10, 10, 20], higher_is_better=True) == [1, 1, 4]
    # Recency: fewer days is better; w = number with more days.
    assert score_list([0, 30, 30, 400], higher_is_better=False) == [4, 2, 2, 1]
    assert score_list([7], higher_is_better=True) == [1]  # one scored client: nobody is worse


def test_rfm_from_purchases(db: Database) -> None:
    ids = make_clients(db, 4)
    add_purchases(
        db,
        ids,
        [
            (0, "2024-06-30", "100.00"),  # bought on the as-of date: recency 0
            (1, "2024-06-01", "40.00"),
            (1, "2024-06-20", "60.00"),  # recency 10, 2 purchases
            (2, "2024-01-01", "500.00"),  # one purchase on the first day: recency 181
            (2, "2024-07-01", "900.00"),  # after the window: ignored
        ],
    )
    a = analyse(db, "2024-01-01", "2024-06-30")
    assert classes(a, ids, "recency") == [0, 10, 181, None]
    assert classes(a, ids, "frequency") == [1, 2, 1, 0]
    assert [str(x) for x in classes(a, ids, "monetary")] == ["100.00", "100.00", "500.00", "0.00"]
    # n = 3 scored. R: w = 2, 1, 0 -> 1 + floor(5w/3) = 4, 2, 1.
    assert classes(a, ids, "r") == [4, 2, 1, None]
    # F: values 1, 2, 1: w = 0, 2, 0 -> 1, 4, 1.
    assert classes(a, ids, "f") == [1, 4, 1, None]
    # M: 100, 100, 500: w = 0, 0, 2 -> 1, 1, 4 (equal values, equal scores).
    assert classes(a, ids, "m") == [1, 1, 4, None]
    assert classes(a, ids, "segment") == ["promising", "at risk", "hibernating", None]


value_lists = st.lists(st.integers(-1000, 1000), min_size=1, max_size=60)


@settings(max_examples=80, deadline=None)
@given(value_lists, st.booleans())
def test_scores_stay_in_1_to_5_and_follow_the_values(values: list[int], higher: bool) -> None:
    got = scores(np.array(values, np.int64), higher_is_better=higher)
    assert ((got >= 1) & (got <= 5)).all()
    for i, vi in enumerate(values):
        worse = sum(1 for v in values if (v < vi if higher else v > vi))
        assert got[i] == 1 + (5 * worse) // len(values)
        for j, vj in enumerate(values):
            if vi == vj:
                assert got[i] == got[j]
            elif (vi > vj) == higher:
                assert got[i] >= got[j]
    assert set(SEGMENTS) == set(EXPECTED.values())
