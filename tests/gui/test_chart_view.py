"""A chart on its canvas is drawn again after the canvas changes width, so its labels fit the new size."""

from __future__ import annotations

from datetime import date

from matplotlib.figure import Figure
from pytestqt.qtbot import QtBot

from custdesk.analysis.chart_style import Drawn, Formats, bucket_ticks
from custdesk.analysis.period import Period, buckets
from custdesk.ui.widgets.analysis_chart import ChartView


def _months(fig: Figure) -> Drawn:
    fig.clear()
    ax = fig.add_subplot()
    items = buckets(Period(date(2025, 1, 1), date(2025, 12, 31)), "month")
    ax.bar(range(len(items)), [1] * len(items))
    bucket_ticks(ax, list(range(len(items))), items, Formats(rtl=False))
    return Drawn()


def _named(view: ChartView) -> int:
    return sum(1 for t in view.figure.axes[0].get_xticklabels() if t.get_text())


def test_labels_follow_the_width_after_a_resize(qtbot: QtBot) -> None:
    view = ChartView("testChart")
    qtbot.addWidget(view)
    view.resize(1200, 400)
    view.show()
    qtbot.waitExposed(view)
    view.draw(_months)
    qtbot.waitUntil(lambda: _named(view) == 12, timeout=5000)  # room for every month
    view.resize(300, 400)
    qtbot.waitUntil(lambda: 0 < _named(view) < 12, timeout=5000)  # drawn again: every second or third
    view.resize(1200, 400)
    qtbot.waitUntil(lambda: _named(view) == 12, timeout=5000)
