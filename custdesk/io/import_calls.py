"""When imported clients are next called, so that an import does not flood the Today list.

Importing 2,000 clients used to put 2,000 calls on today's list. Instead (DOMAIN.md, "Moving the old
base in"): a new client's first call is spread over its first call cycle, day by day in the order of the
file (:func:`spread`); a purchases or history import then moves each client's next call to its last
purchase or contact in the file plus the cycle, when that day is still ahead (a day already past would
put the client back on today's list: the spread day stays).
"""

from __future__ import annotations

from datetime import date, timedelta

from custdesk.i18n import ngettext


class Spreader:
    """Hands out first-call days over each call cycle, evenly, in the order asked."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.counts: dict[int, int] = {}

    def day(self, cycle_days: int) -> date:
        """The next first-call day for a client with a cycle of ``cycle_days`` days."""
        cycle = max(1, cycle_days)
        k = self.counts.get(cycle, 0)
        self.counts[cycle] = k + 1
        return self.today + timedelta(days=k % cycle)

    def summary(self) -> str:
        """How the first calls were spread (translated; "" when no client was)."""
        total = sum(self.counts.values())
        if not total:
            return ""
        longest = max(self.counts)
        per_day = max(-(-n // c) for c, n in self.counts.items())  # the busiest day of any cycle
        return ngettext(
            "The first call of the {n} new client is spread over its call cycle ({days} days from today, "
            "at most {per_day} a day), so that Today stays workable.",
            "The first calls of the {n} new clients are spread over their call cycles (up to {days} days "
            "from today, at most {per_day} a day), so that Today stays workable.",
            total,
        ).format(n=total, days=longest, per_day=per_day)


def after_activity(last: date | None, cycle_days: int, planned: date | None, today: date) -> date | None:
    """The next call once the file has shown the client's last purchase or contact ``last``.

    ``last`` plus the cycle when that day is today or later; otherwise the call already planned (the
    spread day), or today when none was.
    """
    if last is not None:
        due = last + timedelta(days=cycle_days)
        if due >= today:
            return due
    return planned if planned is not None and planned >= today else today


def moved_text(moved: int) -> str:
    """The report's line on next calls moved by a purchases or history import ("" when none)."""
    if not moved:
        return ""
    return ngettext(
        "{n} client's next call now follows the last purchase or contact in the file plus the call cycle.",
        "{n} clients' next calls now follow the last purchase or contact in the file plus the call cycle.",
        moved,
    ).format(n=moved)


__all__ = ["Spreader", "after_activity", "moved_text"]
