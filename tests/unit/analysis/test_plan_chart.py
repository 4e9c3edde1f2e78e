"""The plan chart as the owner reads it: fulfilment labels never overlap, however many months and
however close their values, and the month under way is marked as such (its fulfilment to date)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from custdesk.analysis import charts
from custdesk.analysis.period import Period, buckets
from custdesk.analysis.plan import PlanMonth, plan_vs_actual, set_plan
from custdesk.core.db import Database
from tests.unit.analysis._sales import add_purchases, make_clients


@pytest.fixture
def fig() -> Iterator[Figure]:
    figure = Figure(figsize=(8, 5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield figure


def _months(n: int, *, today: date | None = None) -> list[PlanMonth]:
    """``n`` months from January 2024, each with a plan of 1000 and a fulfilment near 100 %."""
    period = Period(date(2024, 1, 1), date(2030, 12, 31))
    result = []
    for i, b in enumerate(list(buckets(period, "month"))[:n]):
        actual = Decimal(1000 + (i % 3))  # 100 %, 100.1 %, 100.2 %: the labels would sit on each other
        days = (b.end - b.start).days + 1
        passed = days if today is None else min(days, max(0, (today - b.start).days + 1))
        result.append(PlanMonth(b.start, Decimal(1000), actual, actual / 10, days, passed))
    return result


def _labels(figure: Figure) -> list[Annotation]:
    figure.canvas.draw()
    return [a for ax in figure.axes for a in ax.texts if isinstance(a, Annotation)]


@pytest.mark.parametrize(("count", "width"), [(6, 8), (12, 8), (12, 5), (36, 8), (36, 12)])
def test_fulfilment_labels_never_overlap(fig: Figure, count: int, width: float) -> None:
    fig.set_figwidth(width)
    charts.draw_plan(fig, _months(count))
    shown = [a for a in _labels(fig) if a.get_visible()]
    boxes = [a.get_window_extent() for a in shown]
    frame = fig.axes[0].get_window_extent()
    assert all(frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 for b in boxes)  # inside the plot
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    assert shown, "at least some months keep their label"


def test_a_year_of_months_keeps_every_label(fig: Figure) -> None:
    charts.draw_plan(fig, _months(12))
    labels = _labels(fig)
    assert len(labels) == 12 and all(a.get_visible() for a in labels)


def test_the_month_under_way_is_partial_and_prorated(fig: Figure) -> None:
    today = date(2024, 3, 10)  # 10 of March's 31 days have passed
    months = _months(4, today=today)
    march, april = months[2], months[3]
    assert march.partial and not march.future and april.future
    march = PlanMonth(march.month, Decimal(1000), Decimal(200), Decimal(20), march.days, march.days_passed)
    # 200 against 1000 * 10 / 31 = 322.58: 62% to date, not the 20% of the whole month
    assert march.prorated_plan == Decimal("322.58")
    assert march.fulfilment_to_date == (Decimal(200) / Decimal("322.58") * 100).quantize(Decimal("0.01"))
    months[2] = march
    charts.draw_plan(fig, months)
    texts = [a.get_text() for a in _labels(fig)]
    assert "62% to date" in texts
    assert "20%" not in texts
    assert len(texts) == 3  # April, still to come, has no fulfilment point
    ax = fig.axes[0]
    notes = ax.get_xlabel().replace("\n", " ")  # under the axis, wrapped
    assert "Under way: March 2024, 10 of 31 days; fulfilment to date" in notes.replace("\n", " ")
    actual_bars = ax.patches[4:]
    assert actual_bars[2].get_hatch() and not actual_bars[1].get_hatch()


def test_plan_vs_actual_counts_the_days_passed(db: Database) -> None:
    ids = make_clients(db, 1)
    add_purchases(db, ids, [(0, "2026-11-03", "300.00"), (0, "2026-12-02", "100.00")])
    set_plan(db, date(2026, 11, 1), Decimal(1000))
    set_plan(db, date(2026, 12, 1), Decimal(3100))
    nov, dec, jan = plan_vs_actual(db, date(2026, 11, 1), date(2027, 1, 1), today=date(2026, 12, 7))
    assert not nov.partial and nov.fulfilment == Decimal("30.00") and nov.days_passed == 30
    assert dec.partial and dec.days_passed == 7 and dec.prorated_plan == Decimal("700.00")
    assert dec.fulfilment_to_date == Decimal("14.29")
    assert jan.future and jan.days_passed == 0


@pytest.mark.parametrize("code", ["en", "ru", "fa"])
def test_the_month_under_way_note_stays_on_a_narrow_chart(fig: Figure, code: str) -> None:
    from custdesk import i18n

    i18n.set_language(code)
    try:
        fig.set_figwidth(5.6)  # the plan chart beside its table at 1280 px
        charts.draw_plan(fig, _months(12, today=date(2024, 12, 7)))
        fig.canvas.draw()
        edge = fig.bbox
        for text in [fig.axes[0].xaxis.label, *fig.axes[0].texts]:
            box = text.get_window_extent()
            assert edge.x0 - 1 <= box.x0 and box.x1 <= edge.x1 + 1, (text.get_text(), box, edge)
        assert fig.axes[0].get_xlabel()
    finally:
        i18n.set_language("en")
