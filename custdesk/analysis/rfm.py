"""RFM scores and segments (DOMAIN.md, "RFM"), exactly as defined there.

Scored clients: those with a purchase in the window; the as-of date is the window's end.
Recency = days from the last purchase in the window to the as-of date (fewer is better), Frequency =
purchases in the window, Monetary = revenue in the window (more is better).
``score = 1 + floor(5 * w / n)`` with ``w`` the number of scored clients strictly worse: equal values get
equal scores. The segment comes from the R and F scores by the first matching row of :data:`SEGMENT_RULES`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custdesk.i18n import N_

# (R scores, F scores, segment), first match wins: DOMAIN.md's table, in its order.
SEGMENT_RULES: tuple[tuple[frozenset[int], frozenset[int], str], ...] = (
    (frozenset({1, 2}), frozenset({1, 2}), "hibernating"),
    (frozenset({1, 2}), frozenset({3, 4}), "at risk"),
    (frozenset({1, 2}), frozenset({5}), "can't lose them"),
    (frozenset({3}), frozenset({1, 2}), "about to sleep"),
    (frozenset({3}), frozenset({3}), "need attention"),
    (frozenset({3, 4}), frozenset({4, 5}), "loyal"),
    (frozenset({4}), frozenset({1}), "promising"),
    (frozenset({5}), frozenset({1}), "new"),
    (frozenset({4, 5}), frozenset({2, 3}), "potential loyalist"),
    (frozenset({5}), frozenset({4, 5}), "champions"),
)
# Every segment once, in a stable order (codes in arrays are positions here).
SEGMENTS: tuple[str, ...] = tuple(dict.fromkeys(name for _r, _f, name in SEGMENT_RULES))
# The names as people read them: translate with ``_(SEGMENT_LABELS[name])``.
SEGMENT_LABELS: dict[str, str] = {
    "hibernating": N_("hibernating"),
    "at risk": N_("at risk"),
    "can't lose them": N_("can't lose them"),
    "about to sleep": N_("about to sleep"),
    "need attention": N_("need attention"),
    "loyal": N_("loyal"),
    "promising": N_("promising"),
    "new": N_("new"),
    "potential loyalist": N_("potential loyalist"),
    "champions": N_("champions"),
}


def segment_of(r: int, f: int) -> str:
    """The segment of the R and F scores (1..5 each)."""
    for rs, fs, name in SEGMENT_RULES:
        if r in rs and f in fs:
            return name
    raise ValueError(f"no segment for R={r}, F={f}")


# SEGMENT_CODE[r][f]: the code of the segment (positions in SEGMENTS); index 0 unused.
SEGMENT_CODE = np.full((6, 6), -1, np.int8)
for _r in range(1, 6):
    for _f in range(1, 6):
        SEGMENT_CODE[_r, _f] = SEGMENTS.index(segment_of(_r, _f))


def scores(values: npt.NDArray[np.int64], *, higher_is_better: bool) -> npt.NDArray[np.int8]:
    """``1 + floor(5 * w / n)`` for each value, ``w`` the number of values strictly worse."""
    n = values.size
    if n == 0:
        return np.zeros(0, np.int8)
    ordered = np.sort(values)
    if higher_is_better:
        worse = np.searchsorted(ordered, values, side="left")
    else:
        worse = n - np.searchsorted(ordered, values, side="right")
    return (1 + (5 * worse) // n).astype(np.int8)


def score_list(values: list[int], *, higher_is_better: bool) -> list[int]:
    """:func:`scores` for a plain list (examples and tests)."""
    return [int(s) for s in scores(np.array(values, np.int64), higher_is_better=higher_is_better)]


__all__ = [
    "SEGMENTS",
    "SEGMENT_CODE",
    "SEGMENT_LABELS",
    "SEGMENT_RULES",
    "score_list",
    "scores",
    "segment_of",
]
