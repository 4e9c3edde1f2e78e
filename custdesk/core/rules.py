"""The working rules of DOMAIN.md as pure functions: funnel transitions and the call cycle.

Services, the importer and the demo generator all call these, so a rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from custdesk.core.vocab import RED_MARKERS

# Stages a client moves forward through before and by buying (the red markers stand apart).
FORWARD_RANK: dict[str, int] = {
    "white": 0,
    "green": 1,
    "yellow": 2,
    "gold-green": 3,
    "gold": 4,
    "platinum": 5,
}
# The marker an interest outcome asks for, when no purchase decides it.
OUTCOME_MARKER: dict[str, str] = {
    "presentation": "green",
    "mailing-ok": "yellow",
    "asked-info": "gold-green",
    "interested": "gold-green",
}
REFUSAL_OUTCOMES = frozenset({"refused", "ended"})

# Why a marker changed: stored in Client.funnel_reason, shown translated on the card.
REASON_MANUAL = "manual"
REASON_FIRST_PURCHASE = "rule:first-purchase"
REASON_THIRD_PURCHASE = "rule:third-purchase"
REASON_REFUSED = "rule:refused"
REASON_ENDED = "rule:ended"
REASON_INTEREST = "rule:interest"
REASON_IMPORT = "import"
REASON_DEMO = "demo"
REASON_MERGE = "merge"


def marker_for_purchases(purchase_count: int) -> str | None:
    """The marker purchases alone give: gold from the first, platinum from the third."""
    if purchase_count >= 3:
        return "platinum"
    if purchase_count >= 1:
        return "gold"
    return None


def red_marker_for(purchase_count: int) -> str:
    """The red marker a refusal or an end of cooperation gives, by the client's history."""
    if purchase_count >= 3:
        return "platinum-red"
    if purchase_count >= 1:
        return "gold-red"
    return "green-red"


def after_purchase(current: str, purchase_count: int) -> tuple[str, str] | None:
    """The marker and reason after a purchase brought the count to ``purchase_count`` (None: unchanged).

    A purchase leaves red; it never moves a client back (platinum set by hand stays platinum).
    """
    target = marker_for_purchases(purchase_count)
    if target is None or target == current:
        return None
    if current in FORWARD_RANK and FORWARD_RANK[current] >= FORWARD_RANK[target]:
        return None
    reason = REASON_THIRD_PURCHASE if target == "platinum" else REASON_FIRST_PURCHASE
    return target, reason


def after_outcome(current: str, purchase_count: int, outcome: str) -> tuple[str, str] | None:
    """The marker and reason after a contact with ``outcome`` (None: unchanged).

    A refusal or end of cooperation turns the client red by its history; renewed interest leaves red
    (back to what the purchases give, or the stage the outcome names); an interest outcome moves a
    client forward through the pre-purchase stages, never back.
    """
    if outcome in REFUSAL_OUTCOMES:
        target = red_marker_for(purchase_count)
        if target == current:
            return None
        return target, REASON_REFUSED if outcome == "refused" else REASON_ENDED
    wanted = OUTCOME_MARKER.get(outcome)
    if wanted is None:
        return None
    by_purchases = marker_for_purchases(purchase_count)
    if current in RED_MARKERS:
        target = by_purchases or wanted
        return target, REASON_INTEREST
    if by_purchases is not None:
        return None  # a buying client's stage is set by purchases
    if FORWARD_RANK.get(current, 0) >= FORWARD_RANK[wanted]:
        return None
    return wanted, REASON_INTEREST


def call_cycle_days(temperature: str, override: int | None, settings: Mapping[str, Any]) -> int:
    """The client's call cycle: its own override, else the default of its temperature."""
    if override:
        return int(override)
    return int(settings.get(f"call_cycle_{temperature}_days", settings.get("call_cycle_warm_days", 14)))


def next_call_on(last_contact: date | datetime | None, cycle_days: int, created_on: date) -> date:
    """The next call: the last contact plus the cycle (a client never contacted is due from creation)."""
    start = last_contact.date() if isinstance(last_contact, datetime) else last_contact
    return start + timedelta(days=cycle_days) if start else created_on


def is_too_soon(last_contact: datetime | None, now: datetime, min_gap_days: int) -> bool:
    """Whether contacting now would be pestering: sooner than the minimum gap after the last contact."""
    if last_contact is None or min_gap_days <= 0:
        return False
    return (now.date() - last_contact.date()).days < min_gap_days
