"""ABC analysis (DOMAIN.md, "ABC (scale)"), exactly as defined there.

1. Clients with a positive criterion value in the window are sorted by value descending, ties by client
   id ascending; ``T`` is the sum of their values and ``S_prev`` the sum of the values before a client.
2. A if ``S_prev / T < a``; else B if ``S_prev / T < b``; else C (the client crossing ``a`` is A).
3. Clients with purchases in the window whose value is not positive are C.
4. D: clients without a purchase in the window.

The comparisons are exact: values are integer cents and thresholds fractions, and ``S_prev / T < p / q``
is decided as ``S_prev < ceil(p * T / q)`` in Python integers, found by a binary search over the
cumulative sums (which grow strictly, all values being positive).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt

from custdesk.analysis.parameters import DEFAULT_ABC_THRESHOLDS, Thresholds

ABC_CLASSES: tuple[str, ...] = ("A", "B", "C", "D")
A, B, C, D = 0, 1, 2, 3  # codes in the arrays


def _limit(total: int, share: Fraction) -> int:
    """The least integer S with S / total >= share: ``S_prev < limit`` is ``S_prev / total < share``."""
    return -((-share.numerator * total) // share.denominator)


def abc_codes(
    client_ids: npt.NDArray[np.int64],
    values: npt.NDArray[np.int64],
    bought: npt.NDArray[np.bool_],
    thresholds: Thresholds = DEFAULT_ABC_THRESHOLDS,
) -> npt.NDArray[np.int8]:
    """The ABC class code (0 A, 1 B, 2 C, 3 D) of every client.

    Args:
        client_ids: the clients (any order; ties are broken by these ids).
        values: each client's criterion value in the window, integer cents.
        bought: whether each client has a purchase in the window.
        thresholds: the A and B shares (exact fractions).
    """
    codes = np.full(client_ids.size, D, np.int8)
    codes[bought] = C
    positive = np.flatnonzero(bought & (values > 0))
    if positive.size == 0:
        return codes
    order = positive[np.lexsort((client_ids[positive], -values[positive]))]
    sorted_values = values[order]
    before = np.concatenate(([0], np.cumsum(sorted_values)[:-1]))  # S_prev
    total = int(sorted_values.sum())
    a_count = int(np.searchsorted(before, _limit(total, thresholds[0]), side="left"))
    b_count = int(np.searchsorted(before, _limit(total, thresholds[1]), side="left"))
    codes[order[:a_count]] = A
    codes[order[a_count:b_count]] = B
    return codes


def abc_classes(values: dict[int, int], thresholds: Thresholds = DEFAULT_ABC_THRESHOLDS) -> dict[int, str]:
    """ABC classes of a few clients given as ``{client_id: value in cents}`` (all of them buyers).

    A convenience over :func:`abc_codes` for small inputs and examples; clients absent from ``values``
    are D by definition and are not listed.
    """
    ids = np.array(list(values), np.int64)
    vals = np.array(list(values.values()), np.int64)
    codes = abc_codes(ids, vals, np.ones(ids.size, bool), thresholds)
    return {int(i): ABC_CLASSES[int(c)] for i, c in zip(ids, codes, strict=True)}


__all__ = ["ABC_CLASSES", "abc_classes", "abc_codes"]
