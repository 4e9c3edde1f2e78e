"""The funnel board: active clients per funnel marker, the conversion between stages, temperatures.

The canonical stages (DOMAIN.md) are white → green → yellow → gold-green → gold → platinum. The red
markers are the red variants of three of them: green-red of green, gold-red of gold, platinum-red of
platinum; the board shows each beside its stage.

**Conversion** (our rule, exact): a client has *reached* stage ``i`` when its marker is stage ``i`` or a
later stage, or the red variant of stage ``i`` or of a later stage (a gold-red client reached white,
green, yellow, gold-green and gold). The conversion from stage ``i`` to stage ``i + 1`` is
``reached(i + 1) / reached(i)``: the share of the clients that reached stage ``i`` who also reached
stage ``i + 1``. It is ``None`` when no client reached stage ``i``. Every active client has reached
white, so ``reached(white)`` is the number of active clients with a known marker.

The same definition and rounding serve the funnel board and Analysis → Funnel: the conversion is shown
as a percentage with one decimal, rounded half up (:func:`conversion_percent`), and both views say what
it is in the one sentence :data:`CONVERSION_RULE`.

Only active clients count (archived and merged cards do not). A marker that is not one of the nine (a
value from an old import) is counted in ``other`` and takes no part in the conversion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import func, select

from custdesk.core.db import Database
from custdesk.core.models import Client
from custdesk.core.vocab import FUNNEL_KEYS, TEMPERATURES
from custdesk.i18n import N_

STAGES: tuple[str, ...] = ("white", "green", "yellow", "gold-green", "gold", "platinum")
# The red variant of a stage, shown beside it, and the stage a red marker counts as having reached.
RED_OF: dict[str, str] = {"green": "green-red", "gold": "gold-red", "platinum": "platinum-red"}
STAGE_OF_RED: dict[str, str] = {red: stage for stage, red in RED_OF.items()}
# What the conversion figures are, in one sentence, wherever they are shown (translate with ``_()``).
CONVERSION_RULE = N_(
    "Conversion: of the clients who reached a stage, the share who also reached the next one; a client at a "
    "later stage or at a red marker counts as having passed the stages before it (green-red: green), and "
    "the share is rounded to one decimal."
)


def conversion_percent(conversion: Fraction | None) -> Decimal | None:
    """A conversion as a percentage with one decimal, rounded half up (the one rounding every view uses)."""
    if conversion is None:
        return None
    exact = Decimal(conversion.numerator * 100) / Decimal(conversion.denominator)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Stage:
    """One canonical stage of the board.

    Attributes:
        key: the marker of the stage.
        count: active clients with this marker now.
        red: the key of the stage's red variant (``None`` for white, yellow, gold-green).
        red_count: active clients with the red variant now.
        reached: active clients that reached this stage (see the module docstring).
        conversion: ``reached`` of this stage over ``reached`` of the previous one (``None`` for white,
            or when no client reached the previous stage).
    """

    key: str
    count: int
    red: str | None
    red_count: int
    reached: int
    conversion: Fraction | None

    @property
    def conversion_percent(self) -> Decimal | None:
        """The conversion as shown: a percentage with one decimal (:func:`conversion_percent`)."""
        return conversion_percent(self.conversion)


@dataclass(frozen=True)
class FunnelBoard:
    """The board: per marker counts, the stages with their conversions, temperature counts."""

    counts: dict[str, int]  # every one of the nine markers, 0 when none
    stages: tuple[Stage, ...]
    temperatures: dict[str, int]  # hot, warm, cold, 0 when none
    total: int  # active clients
    other: int  # active clients with a marker that is not one of the nine
    other_temperature: int  # active clients with an unknown temperature

    def stage(self, key: str) -> Stage:
        """The stage ``key`` (one of :data:`STAGES`)."""
        return next(s for s in self.stages if s.key == key)


def reached_counts(counts: dict[str, int]) -> dict[str, int]:
    """How many clients reached each stage, from the counts per marker (see the module docstring)."""
    reached: dict[str, int] = {}
    for i, key in enumerate(STAGES):
        later = STAGES[i:]
        reached[key] = sum(counts.get(k, 0) for k in later)
        reached[key] += sum(counts.get(red, 0) for red, stage in STAGE_OF_RED.items() if stage in later)
    return reached


def board(db: Database) -> FunnelBoard:
    """The funnel board of the active clients (two grouped index scans).

    Returns:
        Counts per marker, the six stages with their red variants and conversions, and the number of
        hot, warm and cold clients.
    """
    with db.session() as s:
        active = Client.archived.is_(False)
        by_marker: dict[str, int] = {
            str(key): int(n)
            for key, n in s.execute(
                select(Client.funnel, func.count(Client.id)).where(active).group_by(Client.funnel)
            )
        }
        by_temperature: dict[str, int] = {
            str(key): int(n)
            for key, n in s.execute(
                select(Client.temperature, func.count(Client.id)).where(active).group_by(Client.temperature)
            )
        }
    counts = {key: int(by_marker.get(key, 0)) for key in FUNNEL_KEYS}
    other = sum(int(n) for key, n in by_marker.items() if key not in counts)
    reached = reached_counts(counts)
    stages = []
    for i, key in enumerate(STAGES):
        red = RED_OF.get(key)
        previous = reached[STAGES[i - 1]] if i else 0
        conversion = Fraction(reached[key], previous) if i and previous else None
        stages.append(Stage(key, counts[key], red, counts[red] if red else 0, reached[key], conversion))
    temperatures = {key: int(by_temperature.get(key, 0)) for key in TEMPERATURES}
    return FunnelBoard(
        counts=counts,
        stages=tuple(stages),
        temperatures=temperatures,
        total=sum(counts.values()) + other,
        other=other,
        other_temperature=sum(int(n) for key, n in by_temperature.items() if key not in temperatures),
    )


__all__ = [
    "CONVERSION_RULE",
    "RED_OF",
    "STAGES",
    "STAGE_OF_RED",
    "FunnelBoard",
    "Stage",
    "board",
    "conversion_percent",
    "reached_counts",
]
