"""XYZ over every calendar bucket of the window (empty ones too), population stdev / mean, inclusive."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from custdesk.analysis.xyz import coefficient_of_variation, cv_at_most, xyz_class, xyz_codes
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, analyse, classes, make_clients


def test_steady_months_are_x_and_empty_months_count(db: Database) -> None:
    ids = make_clients(db, 3)
    add_purchases(
        db,
        ids,
        [
            (0, "2024-01-10", "100.00"),
            (0, "2024-02-10", "100.00"),
            (0, "2024-03-10", "100.00"),
            (1, "2024-01-10", "300.00"),  # one purchase, two empty months: [300, 0, 0]
        ],
    )
    a = analyse(db, "2024-01-01", "2024-03-31")
    assert classes(a, ids, "xyz") == ["X", "Z", None]
    cv = classes(a, ids, "cv")
    assert cv[0] == 0.0
    assert math.isclose(cv[1], statistics.pstdev([300, 0, 0]) / 100)  # sqrt(2) = 1.414...
    assert cv[2] is None


def test_thresholds_are_inclusive(db: Database) -> None:
    ids = make_clients(db, 3)
    add_purchases(
        db,
        ids,
        [
            (0, "2024-01-05", "110.00"),
            (0, "2024-02-05", "90.00"),  # mean 100, pstdev 10: cv = 0.10 -> X
            (1, "2024-01-05", "125.00"),
            (1, "2024-02-05", "75.00"),  # cv = 0.25 -> Y
            (2, "2024-01-05", "126.00"),
            (2, "2024-02-05", "74.00"),  # cv = 0.26 -> Z
        ],
    )
    a = analyse(db, "2024-01-01", "2024-02-29")
    assert classes(a, ids, "xyz") == ["X", "Y", "Z"]


def test_a_window_that_cuts_months_still_counts_the_whole_bucket_once(db: Database) -> None:
    ids = make_clients(db, 1)
    # Window 15 Jan - 10 Mar: buckets Jan, Feb, Mar (3); the purchases outside the window do not count.
    add_purchases(
        db,
        ids,
        [
            (0, "2024-01-14", "999.00"),
            (0, "2024-01-15", "50.00"),
            (0, "2024-02-20", "50.00"),
            (0, "2024-03-10", "50.00"),
            (0, "2024-03-11", "999.00"),
        ],
    )
    a = analyse(db, "2024-01-15", "2024-03-10")
    assert list(a.scan.bucket_ordinals) == [2024 * 12, 2024 * 12 + 1, 2024 * 12 + 2]
    assert classes(a, ids, "xyz") == ["X"] and classes(a, ids, "monetary")[0] == 150


def test_quarter_and_year_buckets(db: Database) -> None:
    ids = make_clients(db, 2)
    add_purchases(
        db,
        ids,
        [
            (0, "2023-11-20", "100.00"),
            (0, "2024-02-01", "100.00"),  # Q4 2023 and Q1 2024: steady
            (1, "2023-12-01", "200.00"),  # Q4 only: [200, 0] -> cv 1
        ],
    )
    q = analyse(db, "2023-11-15", "2024-02-10", bucket="quarter")
    assert q.scan.cells.shape[1] == 2
    assert classes(q, ids, "xyz") == ["X", "Z"]
    y = analyse(db, "2023-11-15", "2024-02-10", bucket="year")
    assert classes(y, ids, "xyz") == ["X", "Z"]
    m = analyse(db, "2023-11-15", "2024-02-10", bucket="month")  # Nov, Dec, Jan, Feb: [100, 0, 0, 100]
    assert m.scan.cells.shape[1] == 4 and classes(m, ids, "cv")[0] == 1.0


def test_mean_not_positive_is_z(db: Database) -> None:
    ids = make_clients(db, 1)
    add_purchases(db, ids, [(0, "2024-01-05", "10.00"), (0, "2024-02-05", "-10.00")])
    a = analyse(db, "2024-01-01", "2024-02-29")
    assert classes(a, ids, "xyz") == ["Z"] and classes(a, ids, "cv") == [None]


def test_exact_boundary_arithmetic() -> None:
    # cv of [11, 9] is exactly 1/10; float arithmetic may land a hair above it.
    assert cv_at_most([11, 9], Fraction(1, 10))
    assert not cv_at_most([11, 9], Fraction(99, 1000))
    assert xyz_class([1100, 900]) == "X"
    assert xyz_class([0, 0, 300]) == "Z"


buckets_st = st.lists(st.integers(0, 10**7), min_size=1, max_size=24)


@settings(max_examples=80, deadline=None)
@given(buckets_st)
def test_cv_is_pstdev_over_mean_and_the_class_matches_exact_arithmetic(values: list[int]) -> None:
    cells = np.array([values], np.float64)
    codes, cv = xyz_codes(cells, np.array([True]))
    if sum(values) == 0:
        assert codes[0] == 2 and math.isnan(cv[0])
        return
    expected = statistics.pstdev(values) / statistics.mean(values)
    assert math.isclose(cv[0], expected, rel_tol=1e-9, abs_tol=1e-12)
    assert coefficient_of_variation(values) is not None
    assert "XYZ"[codes[0]] == xyz_class(values)
