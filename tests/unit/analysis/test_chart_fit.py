"""Charts fit their labels to the figure's width: month names thinned, a long subtitle wrapped."""

from __future__ import annotations

from datetime import date

from matplotlib.figure import Figure

from custdesk.analysis.chart_style import Formats, bucket_ticks, title
from custdesk.analysis.period import Period, buckets


def _month_labels(width_inches: float, months: int = 13) -> list[str]:
    fig = Figure(figsize=(width_inches, 4), dpi=100)
    ax = fig.add_subplot()
    items = buckets(Period(date(2025, 11, 1), date(2029, 12, 31)), "month")[:months]
    bucket_ticks(ax, list(range(len(items))), items, Formats(rtl=False))
    return [t.get_text() for t in ax.get_xticklabels()]


def test_every_month_is_named_when_there_is_room() -> None:
    labels = _month_labels(16)
    assert len(labels) == 13 and all(labels)
    assert labels[0] == "Nov\n2025" and labels[2] == "Jan\n2026"


def test_a_narrow_chart_names_every_second_month() -> None:
    labels = _month_labels(4.5)
    assert len(labels) == 13
    named = [label for label in labels if label]
    assert 3 <= len(named) <= 7
    assert labels[0] == "" or labels[1] == ""  # never two neighbours named


def test_many_months_are_named_by_quarter_at_most() -> None:
    labels = _month_labels(30, months=36)
    assert sum(1 for label in labels if label) <= 12


def test_a_long_subtitle_wraps_inside_a_narrow_chart_and_stays_one_line_in_a_wide_one() -> None:
    text = "Grey: the plan · blue: the actual revenue · orange: the fulfilment of the plan, month by month"
    for width, lines in ((4.0, 2), (16.0, 1)):
        fig = Figure(figsize=(width, 4), dpi=100)
        ax = fig.add_subplot()
        title(ax, "Plan vs actual", text, Formats(rtl=False))
        subtitle = next(t for t in ax.texts if "Grey" in t.get_text())
        assert subtitle.get_text().count("\n") + 1 >= lines
        if lines == 1:
            assert "\n" not in subtitle.get_text()
        assert subtitle.get_text().replace("\n", " ") == text


def test_a_cyrillic_subtitle_is_wrapped_by_its_drawn_width_and_never_cut() -> None:
    """Cyrillic letters are wider than an average Latin one: lines are measured, so none runs past the
    figure's edge (the ABC × XYZ subtitle in Russian did)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    text = (
        "Строки — классы ABC по выручке, столбцы — классы XYZ по стабильности покупок; "
        "в ячейке число клиентов и их доля выручки за выбранный период"
    )
    for width in (5.0, 7.0, 9.0):
        fig = Figure(figsize=(width, 4), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        title(ax, "ABC × XYZ", text, Formats(rtl=False))
        subtitle = next(t for t in ax.texts if "Строки" in t.get_text())
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        assert subtitle.get_window_extent(renderer).x1 <= fig.bbox.width
        assert subtitle.get_text().replace("\n", " ") == text
