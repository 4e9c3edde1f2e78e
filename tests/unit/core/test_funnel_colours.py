"""The nine funnel markers stay apart for every reader: their fills differ clearly (CIEDE2000) with normal
vision and under simulated protanopia, deuteranopia (Machado 2009, full severity) and tritanopia
(Brettel 1997), the red ones carry a shape cue too, and each language has its own distinct letters."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

import pytest
from coloraide import Color

from custdesk import i18n
from custdesk.core import vocab

MIN_DELTA_E = 8.0  # CIEDE2000: beyond ~5 two swatches read as different colours at a glance
SIMULATIONS = {
    "normal": None,
    "protanopia": ("protan", "machado"),
    "deuteranopia": ("deutan", "machado"),
    "tritanopia": ("tritan", "brettel"),
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    yield
    i18n.set_language("en")


def _seen(colour: str, simulation: tuple[str, str] | None) -> Color:
    c = Color(colour)
    return c if simulation is None else c.filter(simulation[0], method=simulation[1])


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_every_two_fills_differ_under_the_common_deficiencies(vision: str) -> None:
    seen = {m.key: _seen(m.colour, SIMULATIONS[vision]) for m in vocab.FUNNEL_MARKERS}
    closest = min((seen[a].delta_e(seen[b], method="2000"), a, b) for a, b in combinations(seen, 2))
    assert closest[0] >= MIN_DELTA_E, closest


def test_the_old_colours_would_fail_this_check() -> None:
    """The check can fail: the previous palette's gold-green and gold merge under deuteranopia."""
    old = {"gold-green": "#A4B62B", "gold": "#D4A017", "green-red": "#C0392B", "gold-red": "#B03A2E"}
    deutan = SIMULATIONS["deuteranopia"]
    assert _seen(old["gold-green"], deutan).delta_e(_seen(old["gold"], deutan), method="2000") < MIN_DELTA_E
    assert Color(old["green-red"]).delta_e(old["gold-red"], method="2000") < MIN_DELTA_E


def test_red_markers_are_flagged_for_their_outline() -> None:
    assert {m.key for m in vocab.FUNNEL_MARKERS if m.red} == {"green-red", "gold-red", "platinum-red"}


@pytest.mark.parametrize("code", i18n.LANGUAGES)
def test_each_language_has_its_own_distinct_letters(code: str) -> None:
    i18n.set_language(code)
    letters = [m.letter for m in vocab.FUNNEL_MARKERS]
    assert len(set(letters)) == 9 and all(0 < len(t) <= 4 for t in letters)
    if code == "ru":
        assert all("\u0400" <= ch <= "\u04ff" for t in letters for ch in t)  # Cyrillic letters
    if code == "fa":
        assert all("\u0600" <= ch <= "\u06ff" or ch == "\u200c" for t in letters for ch in t)
    if code != "en":
        i18n.set_language("en")
        assert letters != [m.letter for m in vocab.FUNNEL_MARKERS]
