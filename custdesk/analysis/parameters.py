"""The parameters of a client analysis: window, criterion, bucket size and thresholds.

Thresholds are kept as exact fractions of the text the owner typed ("0.80" is 4/5), so the boundaries
of DOMAIN.md ("A if S_prev / T < 0.80", "X if cv <= 0.10") are decided in exact arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal

from custdesk.analysis.period import BucketSize, Period, check_bucket_size, refuse
from custdesk.i18n import N_, _

Criterion = Literal["revenue", "profit"]
CRITERIA: tuple[Criterion, ...] = ("revenue", "profit")
CRITERION_LABELS: dict[str, str] = {"revenue": N_("revenue"), "profit": N_("profit")}
BUCKET_LABELS: dict[str, str] = {"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}
DEFAULT_ABC_THRESHOLDS = (Fraction(4, 5), Fraction(19, 20))
DEFAULT_XYZ_THRESHOLDS = (Fraction(1, 10), Fraction(1, 4))

Thresholds = tuple[Fraction, Fraction]


def _fraction(value: Any) -> Fraction:
    if isinstance(value, Fraction):
        return value
    try:
        return Fraction(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(str(value)) from exc


def parse_thresholds(value: str | Sequence[Any], field: str) -> Thresholds:
    """Two thresholds from ``"0.80,0.95"`` or a pair of numbers, checked (``field``: abc or xyz).

    ABC thresholds are shares of the total: ``0 < first <= second <= 1``. XYZ thresholds are
    coefficients of variation: ``0 <= first <= second``.

    Raises:
        ValidationFailed: not two numbers, or out of order or range.
    """
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        first, second = (_fraction(p) for p in parts)
    except ValueError:
        raise refuse(
            field,
            _("Give two numbers separated by a comma, e.g. 0.80,0.95 (got {value!r}).").format(
                value=value if isinstance(value, str) else ",".join(map(str, value))
            ),
        ) from None
    if field == "abc" and not (0 < first <= second <= 1):
        raise refuse(
            field, _("ABC thresholds must be shares with 0 < first <= second <= 1 (e.g. 0.80,0.95).")
        )
    if field == "xyz" and not (0 <= first <= second):
        raise refuse(field, _("XYZ thresholds must satisfy 0 <= first <= second (e.g. 0.10,0.25)."))
    return first, second


def check_criterion(value: str) -> Criterion:
    """``value`` when it is ``"revenue"`` or ``"profit"``, else :class:`ValidationFailed`."""
    for known in CRITERIA:
        if value == known:
            return known
    raise refuse("criterion", _("Unknown criterion {value!r}: use revenue or profit.").format(value=value))


@dataclass(frozen=True)
class AnalysisParameters:
    """What a client analysis is computed for (shown beside the results and stored with the classes).

    Attributes:
        period: the window (both days inclusive); its end is the RFM as-of date.
        criterion: ABC by ``"revenue"`` (sum of amounts) or ``"profit"`` (sum of profits).
        bucket: XYZ buckets: ``"month"``, ``"quarter"`` or ``"year"``.
        abc_thresholds: A below the first share, B below the second (defaults 0.80, 0.95).
        xyz_thresholds: X up to the first cv, Y up to the second, both inclusive (defaults 0.10, 0.25).
    """

    period: Period
    criterion: Criterion = "revenue"
    bucket: BucketSize = "month"
    abc_thresholds: Thresholds = DEFAULT_ABC_THRESHOLDS
    xyz_thresholds: Thresholds = DEFAULT_XYZ_THRESHOLDS

    def __post_init__(self) -> None:
        check_criterion(self.criterion)
        check_bucket_size(self.bucket)
        object.__setattr__(self, "abc_thresholds", parse_thresholds(self.abc_thresholds, "abc"))
        object.__setattr__(self, "xyz_thresholds", parse_thresholds(self.xyz_thresholds, "xyz"))

    @classmethod
    def from_settings(
        cls, settings: dict[str, Any], period: Period, criterion: str = "revenue"
    ) -> AnalysisParameters:
        """Parameters with the firm's thresholds and bucket size (``custdesk.core.services.settings``)."""
        return cls(
            period=period,
            criterion=check_criterion(criterion),
            bucket=check_bucket_size(str(settings.get("xyz_bucket", "month"))),
            abc_thresholds=parse_thresholds(settings.get("abc_thresholds", [0.80, 0.95]), "abc"),
            xyz_thresholds=parse_thresholds(settings.get("xyz_thresholds", [0.10, 0.25]), "xyz"),
        )


def threshold_text(value: Fraction) -> str:
    """A threshold as a short decimal ("0.8", "0.95"), for JSON and storage."""
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return format(d.normalize(), "f")


__all__ = [
    "BUCKET_LABELS",
    "CRITERIA",
    "CRITERION_LABELS",
    "DEFAULT_ABC_THRESHOLDS",
    "DEFAULT_XYZ_THRESHOLDS",
    "AnalysisParameters",
    "Criterion",
    "Thresholds",
    "check_criterion",
    "parse_thresholds",
    "threshold_text",
]
