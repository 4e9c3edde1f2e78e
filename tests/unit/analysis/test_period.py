"""Analysis windows: presets ending on a day, custom windows, and the buckets that intersect them."""

from __future__ import annotations

from datetime import date

import pytest

from custdesk.analysis.period import Period, bucket_of, buckets
from custdesk.core.errors import ValidationFailed


def test_presets_end_on_the_day_and_cover_whole_years() -> None:
    assert Period.last_years(1, date(2026, 11, 22)) == Period(date(2025, 11, 23), date(2026, 11, 22))
    assert Period.last_years(3, date(2026, 11, 22)).start == date(2023, 11, 23)
    assert Period.last_years(5, date(2026, 11, 22)).days == 1826  # two leap days inside
    assert Period.last_years(1, date(2024, 2, 29)).start == date(2023, 3, 1)


def test_a_custom_window_is_inclusive_and_checked() -> None:
    p = Period.custom(date(2024, 3, 1), date(2024, 3, 1))
    assert p.days == 1 and p.contains(date(2024, 3, 1)) and not p.contains(date(2024, 3, 2))
    with pytest.raises(ValidationFailed, match="after it ends"):
        Period.custom(date(2024, 3, 2), date(2024, 3, 1))


def test_buckets_intersecting_a_window() -> None:
    p = Period(date(2023, 11, 15), date(2024, 5, 10))
    assert [b.key for b in buckets(p, "month")] == [
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
        "2024-05",
    ]
    assert [b.key for b in buckets(p, "quarter")] == ["2023-Q4", "2024-Q1", "2024-Q2"]
    assert [b.key for b in buckets(p, "year")] == ["2023", "2024"]
    feb = bucket_of(date(2024, 2, 10), "month")
    assert (feb.start, feb.end) == (date(2024, 2, 1), date(2024, 2, 29))
    q4 = bucket_of(date(2023, 12, 31), "quarter")
    assert (q4.start, q4.end) == (date(2023, 10, 1), date(2023, 12, 31))
