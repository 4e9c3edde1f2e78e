"""Analysis windows and calendar buckets (DOMAIN.md, "Analysis": periods and XYZ buckets).

A :class:`Period` is a window of days ``[start, end]``, both days inclusive: the presets "the last 1, 3
or 5 years ending on a day" (:meth:`Period.last_years`) or any custom window (:meth:`Period.custom`).

A bucket size is ``"month"``, ``"quarter"`` or ``"year"``. :func:`buckets` lists every calendar bucket
that intersects a window, including the first and last ones the window cuts: a window from 15 March to
10 May has the month buckets March, April and May. Each bucket has an *ordinal* (months since year 0,
quarters since year 0, or the year) so that "the same bucket a year earlier" is a subtraction
(:func:`ordinals_per_year`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from custdesk.core.errors import FieldError, ValidationFailed
from custdesk.i18n import _

BucketSize = Literal["month", "quarter", "year"]
BUCKET_SIZES: tuple[BucketSize, ...] = ("month", "quarter", "year")
PRESET_YEARS: tuple[int, ...] = (1, 3, 5)


def refuse(field: str, message: str) -> ValidationFailed:
    """A :class:`ValidationFailed` naming one field of the analysis parameters (``field`` in English)."""
    return ValidationFailed([FieldError(field, message)])


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Period:
    """A window of days, ``start`` and ``end`` both inclusive (only purchases dated inside count).

    Attributes:
        start: the first day of the window.
        end: the last day of the window; also the as-of date of RFM recency.
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise refuse(
                "period",
                _("The analysis period starts on {start} after it ends on {end}.").format(
                    start=self.start.isoformat(), end=self.end.isoformat()
                ),
            )

    @classmethod
    def last_years(cls, years: int, ending: date) -> Period:
        """The last ``years`` years ending on ``ending`` (1 year ending 2026-11-22: 2025-11-23..2026-11-22).

        Args:
            years: how many years (the presets are 1, 3 and 5; any positive number is accepted).
            ending: the last day of the window (usually today).
        """
        if years <= 0:
            raise refuse("period", _("An analysis period must cover at least one year."))
        return cls(_years_before(ending, years) + timedelta(days=1), ending)

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        """Any window ``[start, end]``, both days inclusive (refused when ``start`` is after ``end``)."""
        return cls(start, end)

    @property
    def days(self) -> int:
        """The number of days in the window."""
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        """True when ``day`` lies inside the window (edges included)."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Bucket:
    """One calendar bucket (a month, quarter or year), whole, even where the window cuts it.

    Attributes:
        size: ``"month"``, ``"quarter"`` or ``"year"``.
        ordinal: a number that grows by one per bucket (see :func:`bucket_ordinal`).
        start: the first day of the calendar bucket.
        end: the last day of the calendar bucket.
        key: a stable text key: ``"2024-03"``, ``"2024-Q1"`` or ``"2024"``.
    """

    size: BucketSize
    ordinal: int
    start: date
    end: date
    key: str


def check_bucket_size(size: str) -> BucketSize:
    """``size`` when it is a bucket size, else :class:`ValidationFailed`."""
    for known in BUCKET_SIZES:
        if size == known:
            return known
    raise refuse("bucket", _("Unknown bucket size {size!r}: use month, quarter or year.").format(size=size))


def bucket_ordinal(year: int, month: int, size: BucketSize) -> int:
    """The ordinal of the bucket holding a day of ``year``/``month``: consecutive buckets differ by one."""
    if size == "month":
        return year * 12 + month - 1
    if size == "quarter":
        return year * 4 + (month - 1) // 3
    return year


def ordinals_per_year(size: BucketSize) -> int:
    """How many buckets make a year (12, 4 or 1): ordinal minus this is the same bucket a year earlier."""
    return {"month": 12, "quarter": 4, "year": 1}[size]


def bucket_of_ordinal(ordinal: int, size: BucketSize) -> Bucket:
    """The calendar bucket with this ordinal."""
    if size == "month":
        year, month0 = divmod(ordinal, 12)
        first_month, months, key = month0 + 1, 1, f"{year:04d}-{month0 + 1:02d}"
    elif size == "quarter":
        year, q0 = divmod(ordinal, 4)
        first_month, months, key = 3 * q0 + 1, 3, f"{year:04d}-Q{q0 + 1}"
    else:
        year, first_month, months, key = ordinal, 1, 12, f"{ordinal:04d}"
    start = date(year, first_month, 1)
    next_month = first_month + months
    after = date(year + 1, 1, 1) if next_month > 12 else date(year, next_month, 1)
    return Bucket(size, ordinal, start, after - timedelta(days=1), key)


def bucket_of(day: date, size: BucketSize) -> Bucket:
    """The calendar bucket holding ``day``."""
    return bucket_of_ordinal(bucket_ordinal(day.year, day.month, size), size)


def buckets(period: Period, size: BucketSize) -> list[Bucket]:
    """Every calendar bucket intersecting ``period``, in order (empty ones too; the cut edges too)."""
    first = bucket_ordinal(period.start.year, period.start.month, size)
    last = bucket_ordinal(period.end.year, period.end.month, size)
    return [bucket_of_ordinal(n, size) for n in range(first, last + 1)]


__all__ = [
    "BUCKET_SIZES",
    "PRESET_YEARS",
    "Bucket",
    "BucketSize",
    "Period",
    "bucket_of",
    "bucket_of_ordinal",
    "bucket_ordinal",
    "buckets",
    "check_bucket_size",
    "ordinals_per_year",
    "refuse",
]
