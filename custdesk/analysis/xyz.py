"""XYZ analysis (DOMAIN.md, "XYZ (regularity of buying)"), exactly as defined there.

For each client with a purchase in the window, over *every* calendar bucket intersecting the window
(months, quarters or years, empty ones counting as 0): ``cv = pstdev(bucket revenues) / mean(bucket
revenues)`` with the population standard deviation. X if ``cv <= x``, Y if ``cv <= y``, else Z; clients
without a purchase have no class.

Our rule where the definition is silent: a client whose mean bucket revenue is not positive (returns
outweigh purchases) has no defined cv and is Z.

Proposed thresholds (our rule, :func:`propose_thresholds`): the textbook 10 % and 25 % were made for
yearly buckets; with months (or quarters) almost every client comes out Z. From the cvs of the period's
buyers (defined ones) the proposal puts X at the first tercile and Y at the second, each rounded down to
a whole 5 %, so that the buyers fall into three groups of about a third each. Rounding down matters when
many buyers share the highest cv (over k monthly buckets every client who bought in one month only has
``cv = sqrt(k - 1)``): they stay Z instead of all becoming Y. It is only a proposal: the thresholds in
force are always the ones the owner applies.

The cv is computed in float64 (it is a ratio; the bucket revenues themselves are exact integers). A client
whose float cv lies within 1e-9 of a threshold is decided again in exact integer arithmetic:
``cv <= p/q`` is ``q**2 * (k * sum(v**2) - S**2) <= p**2 * S**2`` with ``S = sum(v)``, ``k`` buckets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from custdesk.analysis.parameters import DEFAULT_XYZ_THRESHOLDS, Thresholds

XYZ_CLASSES: tuple[str, ...] = ("X", "Y", "Z")
X, Y, Z, NO_CLASS = 0, 1, 2, -1
_NEAR = 1e-9


def coefficient_of_variation(bucket_revenues: Sequence[int]) -> float | None:
    """``pstdev / mean`` of the bucket revenues (None when the mean is not positive)."""
    k = len(bucket_revenues)
    total = sum(bucket_revenues)
    if k == 0 or total <= 0:
        return None
    mean = total / k
    return math.sqrt(sum((v - mean) ** 2 for v in bucket_revenues) / k) / mean


def cv_at_most(bucket_revenues: Sequence[int], threshold: Fraction) -> bool:
    """Exactly whether ``cv <= threshold`` for integer bucket revenues with a positive sum."""
    k = len(bucket_revenues)
    s = sum(bucket_revenues)
    q = sum(v * v for v in bucket_revenues)
    return threshold.denominator**2 * (k * q - s * s) <= threshold.numerator**2 * s * s


def xyz_codes(
    cells: npt.NDArray[np.float64],
    bought: npt.NDArray[np.bool_],
    thresholds: Thresholds = DEFAULT_XYZ_THRESHOLDS,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64]]:
    """The XYZ code (0 X, 1 Y, 2 Z, -1 none) and the cv (NaN when undefined) of every client.

    Args:
        cells: revenue per client (rows) and bucket (columns), integer cents held exactly in float64.
        bought: whether each client has a purchase in the window.
        thresholds: the X and Y limits of the cv (exact fractions, both inclusive).
    """
    n, k = cells.shape
    codes = np.full(n, NO_CLASS, np.int8)
    cv = np.full(n, np.nan)
    rows = np.flatnonzero(bought)
    if rows.size == 0 or k == 0:
        return codes, cv
    sub = cells[rows]
    total = sub.sum(axis=1)
    mean = total / k
    spread = np.sqrt(((sub - mean[:, None]) ** 2).sum(axis=1) / k)
    defined = total > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(defined, spread / np.where(defined, mean, 1.0), np.nan)
    x_limit, y_limit = (float(t) for t in thresholds)
    result = np.where(values <= x_limit, X, np.where(values <= y_limit, Y, Z)).astype(np.int8)
    result[~defined] = Z
    near = defined & (
        (np.abs(values - x_limit) <= _NEAR * max(1.0, x_limit))
        | (np.abs(values - y_limit) <= _NEAR * max(1.0, y_limit))
    )
    for i in np.flatnonzero(near):
        exact = [int(v) for v in sub[i]]
        result[i] = X if cv_at_most(exact, thresholds[0]) else Y if cv_at_most(exact, thresholds[1]) else Z
    codes[rows] = result
    cv[rows] = values
    return codes, cv


def xyz_class(bucket_revenues: Sequence[int], thresholds: Thresholds = DEFAULT_XYZ_THRESHOLDS) -> str:
    """The XYZ class of one client from its revenue in every bucket of the window (cents)."""
    if sum(bucket_revenues) <= 0:
        return "Z"
    if cv_at_most(bucket_revenues, thresholds[0]):
        return "X"
    return "Y" if cv_at_most(bucket_revenues, thresholds[1]) else "Z"


PROPOSAL_STEP = Fraction(1, 20)  # proposed thresholds are whole multiples of 5 %
PROPOSAL_MIN_BUYERS = 10  # fewer buyers with a defined cv: no proposal (too few to read a distribution)


@dataclass(frozen=True)
class ThresholdProposal:
    """XYZ thresholds that fit a period's data, and how many buyers each class would then hold."""

    thresholds: Thresholds
    x: int
    y: int
    z: int


def _step_down(value: float) -> Fraction:
    steps = math.floor(round(value / float(PROPOSAL_STEP), 9))
    return max(1, steps) * PROPOSAL_STEP


def propose_thresholds(
    cells: npt.NDArray[np.float64], bought: npt.NDArray[np.bool_], cv: npt.NDArray[np.float64]
) -> ThresholdProposal | None:
    """X and Y thresholds at the terciles of the buyers' cv, rounded down to 5 % (see the module docstring).

    Args:
        cells, bought: as for :func:`xyz_codes`.
        cv: the cv of every client (NaN when undefined), as :func:`xyz_codes` returns it.

    Returns:
        The proposal with the X, Y and Z counts it gives (decided exactly, as the analysis decides them),
        or None when fewer than :data:`PROPOSAL_MIN_BUYERS` buyers have a defined cv.
    """
    values = cv[bought & ~np.isnan(cv)]
    if values.size < PROPOSAL_MIN_BUYERS:
        return None
    x = _step_down(float(np.quantile(values, 1 / 3)))
    y = max(_step_down(float(np.quantile(values, 2 / 3))), x + PROPOSAL_STEP)
    codes, _cv = xyz_codes(cells, bought, (x, y))
    return ThresholdProposal(
        (x, y), int((codes == X).sum()), int((codes == Y).sum()), int((codes == Z).sum())
    )


__all__ = [
    "PROPOSAL_MIN_BUYERS",
    "XYZ_CLASSES",
    "ThresholdProposal",
    "coefficient_of_variation",
    "cv_at_most",
    "propose_thresholds",
    "xyz_class",
    "xyz_codes",
]
