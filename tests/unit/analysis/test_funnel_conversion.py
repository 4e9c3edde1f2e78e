"""One definition and one rounding of the funnel conversion: Analysis → Funnel and the funnel board show
the same figures for the same base, each with one decimal, and say what they are in the same sentence."""

from __future__ import annotations

import warnings
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from custdesk.analysis import charts
from custdesk.analysis.distributions import funnel_distribution
from custdesk.core.db import Database
from custdesk.core.services import funnel
from tests.unit.analysis._sales import make_clients

# Green-red is where the two views used to part: the board counted it as having reached green, the
# analysis only white. A mix where every stage has clients and every red marker is present.
MIX = {
    "white": 7,
    "green": 5,
    "yellow": 9,
    "gold-green": 4,
    "gold": 30,
    "platinum": 12,
    "green-red": 6,
    "gold-red": 3,
    "platinum-red": 2,
}


def test_analysis_and_board_agree_to_the_decimal(db: Database) -> None:
    for marker, n in MIX.items():
        make_clients(db, n, funnel=marker)
    make_clients(db, 4, funnel="green-red", archived=True)  # archived cards count in neither
    board = funnel.board(db)
    dist = funnel_distribution(db)
    from_board = {s.key: s.conversion_percent for s in board.stages[1:]}
    from_analysis = {c.to_stage: c.percent for c in dist.conversions}
    assert from_analysis == from_board
    # white → green by hand: 78 clients reached white; green or beyond (green-red included): 71
    assert from_board["green"] == Decimal("91.0")
    assert all(v is not None and v == v.quantize(Decimal("0.1")) for v in from_board.values())

    fig = Figure(figsize=(9, 5.5), dpi=80, layout="constrained")
    FigureCanvasAgg(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.draw_funnel(fig, dist)
        fig.canvas.draw()
    shown = [t.get_text() for t in fig.axes[0].texts]
    assert "91.0% of white reached green" in shown
    # 9 + 4 + 30 + 12 + 3 + 2 of the 71 that reached green: 60 / 71 = 84.507 → 84.5
    assert "84.5% of green reached yellow" in shown


def test_rounding_is_half_up_to_one_decimal() -> None:
    from fractions import Fraction

    assert funnel.conversion_percent(Fraction(1, 8)) == Decimal("12.5")
    assert funnel.conversion_percent(Fraction(1, 16)) == Decimal("6.3")  # 6.25: half up, not to even
    assert funnel.conversion_percent(None) is None
