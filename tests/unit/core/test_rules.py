"""The funnel and call-cycle rules of DOMAIN.md, checked case by case."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdesk.core import rules
from custdesk.core.services.settings import DEFAULTS
from custdesk.core.vocab import FUNNEL_KEYS, RED_MARKERS


@pytest.mark.parametrize(
    ("current", "count", "expected"),
    [
        ("white", 1, ("gold", rules.REASON_FIRST_PURCHASE)),
        ("gold-green", 1, ("gold", rules.REASON_FIRST_PURCHASE)),
        ("gold", 2, None),
        ("gold", 3, ("platinum", rules.REASON_THIRD_PURCHASE)),
        ("white", 3, ("platinum", rules.REASON_THIRD_PURCHASE)),
        ("platinum", 4, None),
        ("platinum", 1, None),  # set by hand: a purchase never moves a client back
        ("green-red", 1, ("gold", rules.REASON_FIRST_PURCHASE)),  # a new purchase leaves red
        ("gold-red", 2, ("gold", rules.REASON_FIRST_PURCHASE)),
        ("platinum-red", 5, ("platinum", rules.REASON_THIRD_PURCHASE)),
    ],
)
def test_after_purchase(current: str, count: int, expected: tuple[str, str] | None) -> None:
    assert rules.after_purchase(current, count) == expected


@pytest.mark.parametrize(
    ("count", "outcome", "expected"),
    [
        (0, "refused", ("green-red", rules.REASON_REFUSED)),
        (1, "refused", ("gold-red", rules.REASON_REFUSED)),
        (2, "ended", ("gold-red", rules.REASON_ENDED)),
        (3, "ended", ("platinum-red", rules.REASON_ENDED)),
        (7, "refused", ("platinum-red", rules.REASON_REFUSED)),
    ],
)
def test_refusal_turns_red_by_history(count: int, outcome: str, expected: tuple[str, str]) -> None:
    assert rules.after_outcome("gold", count, outcome) == expected


def test_refusal_when_already_that_red_changes_nothing() -> None:
    assert rules.after_outcome("gold-red", 1, "refused") is None


@pytest.mark.parametrize(
    ("current", "count", "outcome", "expected"),
    [
        ("green-red", 0, "interested", "gold-green"),
        ("green-red", 0, "presentation", "green"),
        ("gold-red", 2, "interested", "gold"),
        ("platinum-red", 4, "asked-info", "platinum"),
    ],
)
def test_renewed_interest_leaves_red(current: str, count: int, outcome: str, expected: str) -> None:
    assert rules.after_outcome(current, count, outcome) == (expected, rules.REASON_INTEREST)


@pytest.mark.parametrize(
    ("current", "outcome", "expected"),
    [
        ("white", "presentation", "green"),
        ("white", "mailing-ok", "yellow"),
        ("green", "asked-info", "gold-green"),
        ("gold-green", "presentation", None),  # never back
        ("white", "reached", None),
        ("white", "no-answer", None),
    ],
)
def test_interest_moves_a_lead_forward_only(current: str, outcome: str, expected: str | None) -> None:
    result = rules.after_outcome(current, 0, outcome)
    assert (result[0] if result else None) == expected


def test_interest_does_not_touch_a_buyer() -> None:
    assert rules.after_outcome("gold", 1, "asked-info") is None


@given(
    current=st.sampled_from(FUNNEL_KEYS),
    count=st.integers(min_value=0, max_value=50),
    outcome=st.sampled_from(
        [
            "",
            "reached",
            "no-answer",
            "interested",
            "presentation",
            "mailing-ok",
            "asked-info",
            "refused",
            "ended",
        ]
    ),
)
def test_rules_always_give_a_known_marker(current: str, count: int, outcome: str) -> None:
    for result in (
        rules.after_purchase(current, max(count, 1)),
        rules.after_outcome(current, count, outcome),
    ):
        if result is not None:
            marker, reason = result
            assert marker in FUNNEL_KEYS
            assert marker != current
            assert reason.startswith("rule:")
    if outcome in rules.REFUSAL_OUTCOMES:
        result = rules.after_outcome(current, count, outcome)
        assert (result[0] if result else current) in RED_MARKERS


def test_call_cycle_defaults_by_temperature_and_override() -> None:
    assert rules.call_cycle_days("hot", None, DEFAULTS) == 3
    assert rules.call_cycle_days("warm", None, DEFAULTS) == 14
    assert rules.call_cycle_days("cold", None, DEFAULTS) == 60
    assert rules.call_cycle_days("cold", 5, DEFAULTS) == 5
    assert rules.call_cycle_days("hot", None, {**DEFAULTS, "call_cycle_hot_days": 2}) == 2


def test_next_call_from_last_contact_or_creation() -> None:
    created = date(2026, 1, 10)
    assert rules.next_call_on(datetime(2026, 12, 25, 17, 30), 14, created) == date(2027, 1, 8)
    assert rules.next_call_on(date(2026, 2, 20), 14, created) == date(2026, 3, 6)
    assert rules.next_call_on(None, 14, created) == created


def test_minimum_gap() -> None:
    last = datetime(2026, 11, 20, 18, 0)
    assert rules.is_too_soon(last, datetime(2026, 11, 21, 9, 0), 2)
    assert not rules.is_too_soon(last, datetime(2026, 11, 22, 9, 0), 2)
    assert not rules.is_too_soon(None, datetime(2026, 11, 22), 2)
    assert not rules.is_too_soon(last, datetime(2026, 11, 20, 18, 5), 0)
