"""The analysis charts: each draws on a plain Figure without warnings, with the bars, points, labels and
click targets a small hand-made case calls for (no Qt, no pyplot)."""

from __future__ import annotations

import itertools
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from custdesk.analysis import charts
from custdesk.analysis.chart_style import ABC_COLOURS, Formats
from custdesk.analysis.clients import ClassTotal
from custdesk.analysis.distributions import Conversion, Count, FunnelDistribution, GeoRow
from custdesk.analysis.dynamics import DynamicsRow
from custdesk.analysis.growth import GrowthRow
from custdesk.analysis.matrix import abc_xyz_matrix
from custdesk.analysis.pareto import pareto_curve
from custdesk.analysis.period import Period, bucket_of, buckets
from custdesk.analysis.plan import PlanMonth
from custdesk.core import vocab
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, analyse, make_clients


@pytest.fixture
def fig() -> Iterator[Figure]:
    figure = Figure(figsize=(9, 5.5), dpi=80, layout="constrained")
    FigureCanvasAgg(figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning while drawing (overlaps, missing glyphs) fails
        yield figure
        figure.canvas.draw()  # lay out and render: constrained layout warns here when it cannot fit


def texts(figure: Figure) -> list[str]:
    found = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]  # type: ignore[arg-type]
    return [t for t in found if t]


def total(name: str, clients: int, revenue: str) -> ClassTotal:
    return ClassTotal(name, clients, Decimal(revenue), None)


def targets(drawn: charts.Drawn) -> list[Any]:
    return [t for t in drawn.targets.values() if not isinstance(t, list)]


def test_matrix_shows_counts_revenue_and_d_row_and_opens_cells(db: Database, fig: Figure) -> None:
    ids = make_clients(db, 5)
    add_purchases(
        db,
        ids,
        [
            (0, "2024-01-10", "400.00"),
            (0, "2024-02-10", "400.00"),  # AX
            (1, "2024-01-10", "150.00"),  # BZ
            (2, "2024-02-10", "50.00"),  # CZ
        ],
    )
    matrix = abc_xyz_matrix(analyse(db, "2024-01-01", "2024-02-29"))
    drawn = charts.draw_matrix(fig, matrix)
    shown = texts(fig)
    for caption in ("AX", "BZ", "CZ", "AY", "D — no purchase in the period"):
        assert caption in shown
    assert shown.count("1 client") == 3 and "2 clients" in shown  # D: clients 3 and 4
    assert {"$800.00 · 80%", "$150.00 · 15%", "$50.00 · 5%"} <= set(shown), shown
    # Only cells with clients open something; the D row opens class D.
    assert sorted(targets(drawn)) == [
        ("abc", "D"),
        ("cell", "A", "X"),
        ("cell", "B", "Z"),
        ("cell", "C", "Z"),
    ]
    ax_cell = next(a for a, t in drawn.targets.items() if t == ("cell", "A", "X"))
    empty_cells = [p for p in fig.axes[0].patches if p not in drawn.targets]
    assert isinstance(ax_cell, Rectangle) and ax_cell.get_picker()
    assert len(empty_cells) == 6 and all(to_hex(p.get_facecolor()) == "#f5f5f5" for p in empty_cells)


def test_pareto_curve_guides_and_top_share(db: Database, fig: Figure) -> None:
    ids = make_clients(db, 5)
    add_purchases(db, ids, [(i, "2024-03-01", str(v)) for i, v in enumerate((700, 100, 100, 50, 50))])
    curve = pareto_curve(analyse(db, "2024-01-01", "2024-12-31"))
    drawn = charts.draw_pareto(fig, curve)
    ax = fig.axes[0]
    line = next(a for a in drawn.targets)
    xs, ys = line.get_data()  # type: ignore[attr-defined]
    assert list(xs) == [0, 0.2, 0.4, 0.6, 0.8, 1.0] and ys[1] == pytest.approx(0.7)
    assert drawn.target_of(line, 1) == ("top", 1) and drawn.target_of(line, 5) == ("top", 5)
    guides = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert sorted(tuple(ln.get_xdata()) for ln in guides) == [(0, 1), (0.2, 0.2)]  # the 80% and 20% lines
    assert "Top 20% of buyers (1) bring 70% of the revenue" in texts(fig)
    assert ax.get_xticklabels()[1].get_text() == "20%"


def test_pareto_without_buyers_says_so(db: Database, fig: Figure) -> None:
    make_clients(db, 2)
    charts.draw_pareto(fig, pareto_curve(analyse(db, "2024-01-01", "2024-12-31")))
    assert "No purchases in the period: there is no curve to draw." in texts(fig)


def test_abc_bars_in_class_colours(fig: Figure) -> None:
    totals = [total("A", 1, "800"), total("B", 1, "150"), total("C", 2, "50"), total("D", 6, "0")]
    drawn = charts.draw_abc(fig, totals)
    bars = list(drawn.targets)
    # Clients row: A, B, C, D; revenue row: A, B, C (D has no revenue).
    assert [drawn.targets[b] for b in bars] == [("abc", c) for c in "ABCD"] + [("abc", c) for c in "ABC"]
    assert [to_hex(b.get_facecolor()).upper() for b in bars[:4]] == [ABC_COLOURS[c] for c in "ABCD"]
    assert [round(b.get_width(), 2) for b in bars] == [0.1, 0.1, 0.2, 0.6, 0.8, 0.15, 0.05]
    assert "D\n60%" in texts(fig) and "A: 1 client, $800.00" in texts(fig)


def test_xyz_bars_name_the_rule(fig: Figure) -> None:
    drawn = charts.draw_xyz(fig, [total("X", 2, "100"), total("Y", 0, "0"), total("Z", 5, "40")], "monthly")
    assert [b.get_height() for b in drawn.targets] == [2, 0, 5]
    assert "monthly" in texts(fig) and "5 clients\n$40.00" in texts(fig)


def test_segments_best_first_in_action_colours(fig: Figure) -> None:
    totals = [total("hibernating", 4, "10"), total("champions", 2, "500"), total("at risk", 0, "0")]
    drawn = charts.draw_segments(fig, totals)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["champions", "at risk", "hibernating"]
    assert sorted(targets(drawn)) == [("segment", "champions"), ("segment", "hibernating")]
    assert "2 · $500.00" in texts(fig)


def _rows(first: str, last: str, size: str) -> list[Any]:
    window = Period(date.fromisoformat(first), date.fromisoformat(last))
    return buckets(window, size)  # type: ignore[arg-type]


def test_dynamics_bars_beside_a_year_earlier_with_targets(fig: Figure) -> None:
    rows = [
        DynamicsRow(b, Decimal(100 * (i + 1)), i + 1, Decimal(50), 1, None, None)
        for i, b in enumerate(_rows("2024-01-01", "2026-12-31", "month"))
    ]
    drawn = charts.draw_dynamics(fig, rows, until=date(2026, 12, 20))
    top, bottom = fig.axes
    assert len(top.patches) == 72 and len(bottom.patches) == 72  # 36 months, now and a year earlier
    labels = [t.get_text() for t in bottom.get_xticklabels()]
    assert labels[0] == "Jan\n2024" and labels[1] == "" and labels[3] == "Apr" and labels[12] == "Jan\n2025"
    assert sum(1 for t in labels if t) == 12  # every third month: no crowding
    found = targets(drawn)
    assert ("bought", date(2026, 12, 1), date(2026, 12, 20)) in found  # the cut month: only its days
    assert ("bought", date(2023, 1, 1), date(2023, 1, 31)) in found  # a year earlier
    assert top.get_legend().get_texts()[0].get_text() == "This period"


@pytest.mark.parametrize(("size", "label"), [("quarter", "Q1\n2024"), ("year", "2024")])
def test_dynamics_by_quarter_and_year(fig: Figure, size: str, label: str) -> None:
    rows = [
        DynamicsRow(b, Decimal(10), 1, Decimal(0), 0, None, None)
        for b in _rows("2024-01-01", "2026-12-31", size)
    ]
    charts.draw_dynamics(fig, rows)
    assert fig.axes[1].get_xticklabels()[0].get_text() == label
    assert fig.axes[0].get_title(loc="left") == {"quarter": "Sales by quarter", "year": "Sales by year"}[size]


def test_plan_bars_and_fulfilment_line(fig: Figure) -> None:
    months = [
        PlanMonth(date(2026, 1, 1), Decimal("1000.00"), Decimal("800.00"), Decimal("80.00")),
        PlanMonth(date(2026, 2, 1), None, Decimal("500.00"), None),
        PlanMonth(date(2026, 3, 1), Decimal("1000.00"), Decimal("1250.00"), Decimal("125.00")),
    ]
    drawn = charts.draw_plan(fig, months)
    ax, twin = fig.axes
    assert [p.get_height() for p in ax.patches] == [1000, 0, 1000, 800, 500, 1250]
    line = twin.get_lines()[0]
    assert list(line.get_xdata()) == [0, 2] and list(line.get_ydata()) == [0.8, 1.25]
    assert "80%" in texts(fig) and "125%" in texts(fig)
    assert ("bought", date(2026, 2, 1), date(2026, 2, 28)) in targets(drawn)


def test_growth_bars_and_shares(fig: Figure) -> None:
    rows = [
        GrowthRow(b, 2, 3, 5, 1 + i, 0.5, None if i == 0 else 0.6)
        for i, b in enumerate(_rows("2026-01-01", "2026-03-31", "month"))
    ]
    drawn = charts.draw_growth(fig, rows, start=date(2026, 1, 10), until=date(2026, 3, 31))
    top, bottom = fig.axes
    assert [p.get_height() for p in top.patches] == [2, 2, 2, 5, 5, 5, 1, 2, 3]
    assert [t.get_text() for t in top.get_legend().get_texts()] == ["New buyers", "Active", "Lapsed"]
    assert ("new_buyers", date(2026, 1, 10), date(2026, 1, 31)) in targets(drawn)
    assert ("lapsed", date(2026, 3, 1), date(2026, 3, 31)) in targets(drawn)
    assert len(bottom.get_lines()) == 2 and list(bottom.get_lines()[1].get_xdata()) == [1, 2]


def test_funnel_in_the_markers_colours_with_conversions(fig: Figure) -> None:
    counts = tuple(Count(k, n) for k, n in zip(vocab.FUNNEL_KEYS, (10, 8, 0, 0, 4, 2, 1, 0, 0), strict=True))
    conversions = (Conversion("white", "green", 20, 16, 0.8),)
    drawn = charts.draw_funnel(fig, FunnelDistribution(counts, conversions))
    bars = fig.axes[0].patches
    assert [to_hex(b.get_facecolor()).upper() for b in bars] == [
        m.colour.upper() for m in vocab.FUNNEL_MARKERS
    ]
    assert ("funnel", "platinum") in targets(drawn) and ("funnel", "yellow") not in targets(drawn)
    assert "80.0% of white reached green" in texts(fig)  # one decimal, as the funnel board
    assert fig.axes[0].get_yticklabels()[4].get_text() == "gold (Go)"


def test_temperature_and_geography(fig: Figure) -> None:
    drawn = charts.draw_temperature(fig, (Count("hot", 1), Count("warm", 3), Count("cold", 0)))
    assert targets(drawn) == [("temperature", "hot"), ("temperature", "warm")]
    assert "3 (75%)" in texts(fig)
    rows = [GeoRow(f"Region {i}", None, 20 - i, Decimal(1000 * i)) for i in range(15)]
    drawn = charts.draw_geography(fig, rows, top_n=12)
    assert len(fig.axes[0].patches) == 12
    assert "The 12 largest of 15; all-time revenue beside each bar" in texts(fig)
    assert ("region", "Region 0") in targets(drawn) and "20 · $0.00" in texts(fig)
    cities = [GeoRow("North", "Oulu", 3, Decimal(5)), GeoRow("", "", 1, Decimal(0))]
    drawn = charts.draw_geography(fig, cities)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "Oulu, North",
        "(not given), (not given)",
    ]
    assert targets(drawn)[0] == ("city", "North", "Oulu")


def test_formats_are_used_for_money_and_shares(fig: Figure) -> None:
    fmt = Formats(currency="EUR", money=lambda d: f"EUR<{d}>", number=lambda n: f"#{n}")
    charts.draw_xyz(fig, [total("X", 2, "100.00")], "", fmt)
    assert "#2 clients\nEUR<100.00>" in texts(fig)


def test_persian_labels_draw_without_missing_glyphs() -> None:
    code = """
import warnings, os
warnings.simplefilter("error")
from custdesk import i18n
i18n.set_language("fa")
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg
from custdesk.analysis import charts
from custdesk.analysis.distributions import Count
fig = Figure(); FigureCanvasAgg(fig)
charts.draw_temperature(fig, (Count("hot", 1), Count("warm", 3), Count("cold", 2)))
fig.canvas.draw()
print(fig.axes[0].get_title(loc="right"))  # right to left: the title at the right
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() and not proc.stdout.isascii()  # translated, drawn without glyph warnings


def test_bucket_of_is_shared_with_the_charts() -> None:
    assert Formats().bucket(bucket_of(date(2024, 3, 5), "quarter")) == "Q1 2024"


@pytest.mark.parametrize("width", [5.5, 7.0])
def test_the_matrix_subtitle_fits_where_the_layout_puts_the_axes_in_russian(
    db: Database, width: float
) -> None:
    """The row names ("A — наибольшая выручка") push the matrix right when the layout runs; the subtitle,
    wrapped again there (fit_titles), never runs past the figure's edge, nor over the title."""
    from custdesk import i18n
    from custdesk.analysis.chart_style import fit_titles

    ids = make_clients(db, 3)
    add_purchases(db, ids, [(0, "2024-01-10", "1234567.89"), (1, "2024-02-10", "150.00")])
    matrix = abc_xyz_matrix(analyse(db, "2024-01-01", "2024-02-29"))
    i18n.set_language("ru")
    try:
        figure = Figure(figsize=(width, 4.4), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        charts.draw_matrix(figure, matrix, Formats(currency="RUB"))
        fit_titles(figure)
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        ax = figure.axes[0]
        subtitle = next(t for t in ax.texts if "Чем темнее" in t.get_text())
        box = subtitle.get_window_extent(renderer)
        assert box.x1 <= figure.bbox.width
        assert box.y1 <= ax.title.get_window_extent(renderer).y0 + 1  # below the title, not over it
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
@pytest.mark.parametrize("width", [6.5, 8.0, 9.0])
def test_the_matrix_column_headings_never_run_into_each_other(
    db: Database, language: str, width: float
) -> None:
    """«Y — колеблющиеся» and «Z — нерегулярные» are wider than a column of a narrow chart: once laid
    out, each heading is wrapped into its own column, so neighbours keep a gap, in every language."""
    from custdesk import i18n
    from custdesk.analysis.chart_style import fit_titles

    ids = make_clients(db, 3)
    add_purchases(db, ids, [(0, "2024-01-10", "1234567.89"), (1, "2024-02-10", "150.00")])
    matrix = abc_xyz_matrix(analyse(db, "2024-01-01", "2024-02-29"))
    i18n.set_language(language)
    try:
        # The last word of each heading, in the language: it is on the heading's last line.
        words = [i18n._(text).split()[-1] for text in ("X — steady", "Y — varying", "Z — irregular")]
        figure = Figure(figsize=(width, 4.4), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        charts.draw_matrix(figure, matrix, Formats(currency="RUB"))
        fit_titles(figure)
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        headings = [t for t in figure.axes[0].texts if any(w in t.get_text() for w in words)]
        assert len(headings) == 3, [t.get_text() for t in headings]
        boxes = sorted((t.get_window_extent(renderer) for t in headings), key=lambda b: b.x0)
        for left, right in itertools.pairwise(boxes):
            assert left.x1 < right.x0  # a gap between neighbouring headings
    finally:
        i18n.set_language("en")
