"""The charts in Persian: mirrored where categories run across (the matrix, the bars), titles at the right,
every text marked to read right to left, clicks still opening the right clients; time still runs left to
right; in English no chart text carries a bidi mark."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from matplotlib.axes import Axes
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from custdesk import i18n
from custdesk.analysis import charts
from custdesk.analysis.chart_bidi import CONTROLS, LRI, PDI, RLM, bidi_layout
from custdesk.analysis.clients import ClassTotal
from custdesk.analysis.distributions import Conversion, Count, FunnelDistribution, GeoRow
from custdesk.analysis.dynamics import DynamicsRow
from custdesk.analysis.matrix import abc_xyz_matrix
from custdesk.analysis.period import Period, buckets
from custdesk.analysis.plan import PlanMonth
from custdesk.core import vocab
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, analyse, make_clients

pytestmark = pytest.mark.skipif(not bidi_layout(), reason="matplotlib without libraqm orders no text")


@pytest.fixture
def fig() -> Iterator[Figure]:
    figure = Figure(figsize=(9, 5.5), dpi=80, layout="constrained")
    FigureCanvasAgg(figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (a mark drawn as a box) or a layout warning fails
        yield figure
        figure.canvas.draw()


@pytest.fixture
def persian() -> None:
    i18n.set_language("fa")


def texts(figure: Figure) -> list[str]:
    figure.canvas.draw()  # tick labels are written when drawn
    found = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]  # type: ignore[arg-type]
    return [t for t in found if t]


def centre_x(artist: Any) -> float:
    box = artist.get_window_extent()
    return float((box.x0 + box.x1) / 2)


def total(name: str, clients: int, revenue: str) -> ClassTotal:
    return ClassTotal(name, clients, Decimal(revenue), None)


def reads_right_to_left(text: str) -> bool:
    """Every line starts with the right-to-left mark (values inside are isolates)."""
    return all(
        line.startswith(RLM) or set(line) <= CONTROLS | set("0123456789۰۱۲۳۴۵۶۷۸۹٬٫٪.,%$ \xa0\u200e")
        for line in text.split("\n")
        if line
    )


def assert_titled_at_the_right(ax: Axes) -> None:
    assert ax.get_title(loc="left") == "" and ax.get_title(loc="right").startswith(RLM)


def assert_bars_grow_from_the_right(fig: Figure) -> None:
    ax = fig.axes[0]
    right_edge = ax.get_window_extent().x1
    bars = [p for p in ax.patches if p.get_width() > 0]
    assert bars and ax.xaxis_inverted()
    for bar in bars:  # each bar starts at the right edge (0 is there) and grows to the left
        box = bar.get_window_extent()
        assert box.x1 == pytest.approx(right_edge, abs=1.5) and box.x0 < box.x1
    assert ax.yaxis.get_ticks_position() == "right"
    names = [t for t in ax.get_yticklabels() if t.get_text()]
    assert names and all(t.get_window_extent().x0 >= right_edge for t in names)  # names right of the bars
    assert all(t.get_text().startswith(RLM) for t in names)


def test_matrix_is_mirrored_and_its_cells_still_open_their_clients(
    db: Database, fig: Figure, persian: None
) -> None:
    ids = make_clients(db, 5)
    add_purchases(
        db,
        ids,
        [(0, "2024-01-10", "400.00"), (0, "2024-02-10", "400.00"), (1, "2024-01-10", "150.00")],
    )
    drawn = charts.draw_matrix(fig, abc_xyz_matrix(analyse(db, "2024-01-01", "2024-02-29")))
    fig.canvas.draw()
    ax = fig.axes[0]
    cells = {t: a for a, t in drawn.targets.items()}
    x_cell, z_cell = cells[("cell", "A", "X")], cells[("cell", "B", "Z")]
    assert centre_x(x_cell) > centre_x(z_cell)  # X rightmost, Z leftmost
    assert ax.yaxis.get_ticks_position() == "right"
    rows = ax.get_yticklabels()
    assert all(t.get_window_extent().x0 >= ax.get_window_extent().x1 - 1 for t in rows)  # names at right
    assert_titled_at_the_right(ax)
    # The money and the share of a cell are each kept whole; the sentence reads right to left.
    revenue = next(t for t in texts(fig) if "·" in t and "۸۰۰" in t)
    assert revenue.startswith(RLM) and revenue.count(LRI) == 2 and revenue.count(PDI) == 2
    # A click at the middle of the rightmost top cell opens the A-X clients.
    box = ax.get_window_extent()
    x = box.x1 - box.width / 6
    y = x_cell.get_window_extent().y0 + x_cell.get_window_extent().height / 2
    event = MouseEvent("button_press_event", fig.canvas, x, y)
    hit = [drawn.target_of(a) for a in drawn.targets if a.contains(event)[0]]
    assert hit == [("cell", "A", "X")]


def test_abc_starts_with_a_at_the_right(fig: Figure, persian: None) -> None:
    totals = [total("A", 1, "800"), total("B", 1, "150"), total("C", 2, "50"), total("D", 6, "0")]
    drawn = charts.draw_abc(fig, totals)
    fig.canvas.draw()
    bars = {t: a for a, t in list(drawn.targets.items())[:4]}  # the clients row
    xs = [centre_x(bars[("abc", c)]) for c in "ABCD"]
    assert xs == sorted(xs, reverse=True)
    legend = fig.axes[0].get_legend()
    entries = {t.get_text().split(":")[0].strip(RLM + LRI + PDI): t for t in legend.get_texts()}
    assert centre_x(entries["A"]) > centre_x(entries["C"])  # the first column is the rightmost
    assert all(reads_right_to_left(t.get_text()) for t in legend.get_texts())
    assert_titled_at_the_right(fig.axes[0])


def test_xyz_and_temperature_columns_run_from_the_right(fig: Figure, persian: None) -> None:
    drawn = charts.draw_xyz(fig, [total("X", 2, "100"), total("Y", 1, "10"), total("Z", 5, "40")], "ماهانه")
    fig.canvas.draw()
    bars = {t: a for a, t in drawn.targets.items()}
    assert centre_x(bars[("xyz", "X")]) > centre_x(bars[("xyz", "Y")]) > centre_x(bars[("xyz", "Z")])
    assert fig.axes[0].yaxis.get_ticks_position() == "right"
    assert_titled_at_the_right(fig.axes[0])
    drawn = charts.draw_temperature(fig, (Count("hot", 1), Count("warm", 3), Count("cold", 2)))
    fig.canvas.draw()
    bars = {t: a for a, t in drawn.targets.items()}
    assert centre_x(bars[("temperature", "hot")]) > centre_x(bars[("temperature", "cold")])
    assert any(t.startswith(RLM) and t.count(LRI) == 2 for t in texts(fig))  # "{count} ({share})"


def test_horizontal_bars_grow_from_the_right_with_values_on_their_left(fig: Figure, persian: None) -> None:
    totals = [total("champions", 2, "500"), total("hibernating", 4, "10")]
    charts.draw_segments(fig, totals)
    fig.canvas.draw()
    assert_bars_grow_from_the_right(fig)
    ax = fig.axes[0]
    values = [t for t in ax.texts if "·" in t.get_text()]
    assert values and all(t.get_ha() == "right" for t in values)
    for text, bar in zip(values, ax.patches, strict=True):  # each value just left of its bar
        assert text.get_window_extent().x1 <= bar.get_window_extent().x0 + 1

    counts = tuple(Count(k, n) for k, n in zip(vocab.FUNNEL_KEYS, (10, 8, 0, 0, 4, 2, 1, 0, 0), strict=True))
    drawn = charts.draw_funnel(fig, FunnelDistribution(counts, (Conversion("white", "green", 20, 16, 0.8),)))
    fig.canvas.draw()
    assert_bars_grow_from_the_right(fig)
    ax = fig.axes[0]
    note = next(t for t in ax.texts if "۸۰" in t.get_text() and "٪" in t.get_text())
    assert note.get_window_extent().x1 <= ax.get_window_extent().x0 + 1  # beyond the bars' far (left) end
    assert ("funnel", "white") in drawn.targets.values()

    rows = [GeoRow("North", "Oulu", 3, Decimal(5)), GeoRow("", "", 1, Decimal(0))]
    charts.draw_geography(fig, rows)
    fig.canvas.draw()
    assert_bars_grow_from_the_right(fig)
    assert fig.axes[0].get_yticklabels()[0].get_text() == f"{RLM}\u2068Oulu{PDI}، \u2068North{PDI}"


def test_pareto_is_mirrored(db: Database, fig: Figure, persian: None) -> None:
    from custdesk.analysis.pareto import pareto_curve

    ids = make_clients(db, 5)
    add_purchases(db, ids, [(i, "2024-03-01", str(v)) for i, v in enumerate((700, 100, 100, 50, 50))])
    drawn = charts.draw_pareto(fig, pareto_curve(analyse(db, "2024-01-01", "2024-12-31")))
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.xaxis_inverted() and ax.yaxis.get_ticks_position() == "right"
    line = next(iter(drawn.targets))
    xs = ax.transData.transform(line.get_xydata())[:, 0]  # type: ignore[attr-defined]
    assert xs[0] > xs[-1]  # the best clients start at the right
    annotation = next(t for t in ax.texts if "۷۰٪" in t.get_text())
    assert annotation.get_ha() == "right" and annotation.get_text().startswith(RLM)
    assert_titled_at_the_right(ax)


def test_time_runs_left_to_right_and_the_text_reads_right(fig: Figure, persian: None) -> None:
    window = Period(date(2024, 1, 1), date(2025, 12, 31))
    rows = [DynamicsRow(b, Decimal(100), 1, Decimal(50), 1, None, None) for b in buckets(window, "month")]
    charts.draw_dynamics(fig, rows)
    fig.canvas.draw()
    top, bottom = fig.axes
    assert not bottom.xaxis_inverted()
    ticks = [t for t in bottom.get_xticklabels() if t.get_text()]
    assert centre_x(ticks[0]) < centre_x(ticks[-1])  # January 2024 on the left
    assert ticks[0].get_text() == f"{RLM}ژانویه\n{RLM}۲۰۲۴"  # the year in Persian digits
    assert_titled_at_the_right(top)
    entries = {t.get_text(): t for t in top.get_legend().get_texts()}
    now, before = entries[RLM + i18n._("This period")], entries[RLM + i18n._("A year earlier")]
    assert centre_x(now) > centre_x(before)  # the first entry is the rightmost
    months = [PlanMonth(date(2026, 1, 1), Decimal("1000.00"), Decimal("800.00"), Decimal("80.00"))]
    charts.draw_plan(fig, months)
    assert_titled_at_the_right(fig.axes[0])
    assert f"{LRI}۸۰٪{PDI}" in texts(fig)


def test_english_charts_carry_no_bidi_marks(db: Database, fig: Figure) -> None:
    ids = make_clients(db, 3)
    add_purchases(db, ids, [(0, "2024-01-10", "400.00"), (1, "2024-02-10", "150.00")])
    charts.draw_matrix(fig, abc_xyz_matrix(analyse(db, "2024-01-01", "2024-02-29")))
    shown = texts(fig)
    charts.draw_funnel(
        fig,
        FunnelDistribution(
            (Count("white", 2), Count("green", 1)), (Conversion("white", "green", 2, 1, 0.5),)
        ),
    )
    shown += texts(fig)
    charts.draw_geography(fig, [GeoRow("North", "Oulu", 3, Decimal(5))])
    shown += texts(fig)
    assert shown and not any(set(t) & CONTROLS for t in shown)
    assert fig.axes[0].get_title(loc="left") == "Clients by city" and not fig.axes[0].xaxis_inverted()
