"""Charts over time: sales dynamics beside a year earlier, plan vs actual, growth of the base.

Drawn on a given matplotlib ``Figure`` (no Qt, no pyplot); see :mod:`custdesk.analysis.charts` for the
:class:`~custdesk.analysis.chart_style.Drawn` result and the targets a click opens:
``("bought", first_day, last_day)`` (the clients with a purchase in those days), ``("new_buyers", …)``
(whose first purchase ever falls in them) and ``("lapsed", …)`` (who bought before, not in them).
Time runs left to right in every language; right to left (``Formats.rtl``) only the text reads right.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from custdesk import i18n
from custdesk.analysis.chart_style import (
    BEFORE_COLOUR,
    FULFILMENT_COLOUR,
    GROWTH_COLOURS,
    GUIDE_COLOUR,
    LABEL_SIZE,
    NOTE_SIZE,
    NOW_COLOUR,
    PLAN_COLOUR,
    SHARE_COLOURS,
    TEXT_COLOUR,
    Drawn,
    Formats,
    axis_labels,
    bucket_ticks,
    count_axis,
    empty,
    legend,
    money_axis,
    percent_axis,
    single_axes,
    style_axes,
    title,
)
from custdesk.analysis.dynamics import DynamicsRow
from custdesk.analysis.growth import GrowthRow
from custdesk.analysis.period import Bucket, bucket_of
from custdesk.analysis.plan import PlanMonth
from custdesk.i18n import _

SIZE_WORDS: dict[str, tuple[Callable[[], str], Callable[[], str]]] = {
    "month": (lambda: _("Sales by month"), lambda: _("each month beside the same month a year earlier")),
    "quarter": (
        lambda: _("Sales by quarter"),
        lambda: _("each quarter beside the same quarter a year earlier"),
    ),
    "year": (lambda: _("Sales by year"), lambda: _("each year beside the year before")),
}


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _days(b: Bucket, start: date | None, until: date | None) -> tuple[date, date]:
    """The bucket's days inside the window (a first or last bucket the window cuts)."""
    first = max(b.start, start) if start else b.start
    last = min(b.end, until) if until else b.end
    return first, last


def draw_dynamics(
    fig: Figure,
    rows: Sequence[DynamicsRow],
    fmt: Formats | None = None,
    *,
    start: date | None = None,
    until: date | None = None,
) -> Drawn:
    """Revenue (top) and buying clients (bottom) per bucket, each beside the same bucket a year earlier.

    Args:
        fig: the figure to draw on.
        rows: from :func:`custdesk.analysis.dynamics.sales_dynamics`.
        fmt: formatters.
        start: the window's first day (a cut first bucket opens only its days).
        until: the window's last day.
    """
    fmt = fmt or Formats()
    fig.clear()
    drawn = Drawn()
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    size = rows[0].bucket.size if rows else "month"
    heading, sub = SIZE_WORDS[size]
    title(top, heading(), sub(), fmt)
    if not rows:
        empty(top, _("No periods to show."), fmt)
        bottom.set_visible(False)
        return drawn
    xs = list(range(len(rows)))
    w = 0.4
    before = top.bar(
        [x - w / 2 for x in xs], [float(r.revenue_year_ago) for r in rows], w, color=BEFORE_COLOUR
    )
    now = top.bar([x + w / 2 for x in xs], [float(r.revenue) for r in rows], w, color=NOW_COLOUR)
    b_before = bottom.bar([x - w / 2 for x in xs], [r.buyers_year_ago for r in rows], w, color=BEFORE_COLOUR)
    b_now = bottom.bar([x + w / 2 for x in xs], [r.buyers for r in rows], w, color=NOW_COLOUR)
    for i, r in enumerate(rows):
        first, last = _days(r.bucket, start, until)
        earlier = (_year_back(first), _year_back(last))
        for bar in (now.patches[i], b_now.patches[i]):
            drawn.add(bar, ("bought", first, last))
        for bar in (before.patches[i], b_before.patches[i]):
            drawn.add(bar, ("bought", *earlier))
    legend(
        top,
        fmt,
        [now, before],
        [_("This period"), _("A year earlier")],
        loc="upper left",
        ncol=2,
        frameon=False,
        fontsize=NOTE_SIZE,
    )
    axis_labels(top, fmt, y=_("Revenue"))
    money_axis(top, fmt)
    style_axes(top)
    axis_labels(bottom, fmt, y=_("Buying clients"))
    count_axis(bottom, fmt)
    style_axes(bottom)
    bucket_ticks(bottom, xs, [r.bucket for r in rows], fmt)
    top.set_xlim(-0.6, len(rows) - 0.4)
    return drawn


def draw_plan(fig: Figure, months: Sequence[PlanMonth], fmt: Formats | None = None) -> Drawn:
    """Plan and actual revenue per month as bars, fulfilment % as a line over them (100 % dashed)."""
    fmt, ax, drawn = single_axes(fig, fmt)
    title(
        ax,
        _("Plan vs actual"),
        _("Grey: the plan · blue: actual revenue · orange: fulfilment"),
        fmt,
    )
    under_way = next((m for m in months if m.partial and m.fulfilment_to_date is not None), None)
    if under_way is not None:  # the month under way says so under the axis, centred and wrapped
        note = _(
            "Under way: {month}, {passed} of {days} days; fulfilment to date, against the prorated plan."
        ).format(
            month=fmt.own(i18n.month_and_year(under_way.month)),
            passed=fmt.count(under_way.days_passed),
            days=fmt.count(under_way.days),
        )
        width = fig.get_figwidth() * 72 * 0.8  # points: four fifths of the chart, centred under it
        lines = textwrap.wrap(note, max(20, int(width / (NOTE_SIZE * 0.68))), break_long_words=False)
        ax.set_xlabel(
            fmt.line("\n".join(lines)), fontsize=NOTE_SIZE, color=FULFILMENT_COLOUR, linespacing=1.3
        )
    if not months:
        empty(ax, _("No months to show."), fmt)
        return drawn
    xs = list(range(len(months)))
    w = 0.4
    ax.bar(
        [x - w / 2 for x in xs], [float(m.plan or 0) for m in months], w, color=PLAN_COLOUR, label=_("Plan")
    )
    actual = ax.bar(
        [x + w / 2 for x in xs], [float(m.actual) for m in months], w, color=NOW_COLOUR, label=_("Actual")
    )
    for m, bar in zip(months, actual.patches, strict=True):
        drawn.add(bar, ("bought", m.month, bucket_of(m.month, "month").end))
    money_axis(ax, fmt)
    axis_labels(ax, fmt, y=_("Revenue"))
    style_axes(ax)
    buckets = [bucket_of(m.month, "month") for m in months]
    bucket_ticks(ax, xs, buckets, fmt)
    twin = ax.twinx()
    # Past months at their fulfilment; the month under way at its fulfilment to date (against the plan
    # prorated to the days passed), drawn hollow and labelled as such; months to come are not plotted.
    points = [
        (x, float(m.fulfilment) / 100)
        for x, m in zip(xs, months, strict=True)
        if m.fulfilment is not None and not m.partial and not m.future
    ]
    partial = [
        (x, m) for x, m in zip(xs, months, strict=True) if m.partial and m.fulfilment_to_date is not None
    ]
    for m, bar in zip(months, actual.patches, strict=True):
        if m.partial:
            bar.set_hatch("///")
            bar.set_alpha(0.6)
    labels: list[Text] = []
    if points or partial:
        if points:
            twin.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                color=FULFILMENT_COLOUR,
                marker="o",
                linewidth=2,
            )
        for x, share in points:
            labels.append(_fulfilment_label(twin, fmt.percent(share), x, share))
        for x, m in partial:
            share = float(m.fulfilment_to_date or 0) / 100
            twin.plot(
                [x],
                [share],
                linestyle="none",
                marker="o",
                markersize=8,
                markerfacecolor="white",
                markeredgecolor=FULFILMENT_COLOUR,
                markeredgewidth=2,
            )
            labels.append(
                _fulfilment_label(twin, fmt.say(_("{percent} to date"), percent=fmt.percent(share)), x, share)
            )
        twin.axhline(1.0, color=GUIDE_COLOUR, linestyle="--", linewidth=1)
        shares = [p[1] for p in points] + [float(m.fulfilment_to_date or 0) / 100 for _x, m in partial]
        highest = max(1.2, max(shares) * 1.2)
        twin.set_ylim(0, highest)
    else:
        twin.set_ylim(0, 1.2)
        ax.text(
            0.5,
            0.95,
            fmt.line(_("No plan entered for these months: type the plan in the table beside the chart.")),
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=NOTE_SIZE,
            color=TEXT_COLOUR,
        )
    percent_axis(twin, fmt)
    twin.set_ylabel(fmt.line(_("Fulfilment")), color=FULFILMENT_COLOUR, fontsize=LABEL_SIZE)
    twin.spines["top"].set_visible(False)
    twin.tick_params(labelsize=9.5, colors=FULFILMENT_COLOUR)
    # No legend box over the bars: the subtitle names the colours.
    highest_money = max([float(m.actual) for m in months] + [float(m.plan or 0) for m in months] + [1.0])
    ax.set_ylim(0, highest_money * 1.12)
    ax.set_xlim(-0.6, len(months) - 0.4)
    separate_labels(fig, labels)
    return drawn


def _fulfilment_label(ax: Axes, text: str, x: float, share: float) -> Text:
    return ax.annotate(
        text,
        (x, share),
        textcoords="offset points",
        xytext=(0, 7),
        ha="center",
        va="bottom",
        fontsize=NOTE_SIZE,
        color=FULFILMENT_COLOUR,
        fontweight="bold",
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
    )


def separate_labels(fig: Figure, labels: Sequence[Text]) -> None:
    """Lay point labels out so that no two overlap: each goes above its point, else below it, else (no
    room either side) it is hidden, its value still in the table beside the chart and under the pointer.

    Measured on the laid-out figure, so it holds for the size the chart is drawn at (the view draws it
    again when its width changes).
    """
    if not labels:
        return
    fig.draw_without_rendering()
    placed: list[Bbox] = []
    for label in labels:  # a label at the plot's edge is kept inside it (not over the axis' ticks)
        frame = label.axes.get_window_extent() if label.axes is not None else None
        box = label.get_window_extent()
        if frame is not None and box.x1 > frame.x1:
            label.set_horizontalalignment("right")
        elif frame is not None and box.x0 < frame.x0:
            label.set_horizontalalignment("left")
    for label in sorted(labels, key=lambda t: t.xy[0]):  # type: ignore[attr-defined]
        above: tuple[tuple[int, int], Literal["bottom", "top"]] = ((0, 7), "bottom")
        below: tuple[tuple[int, int], Literal["bottom", "top"]] = ((0, -9), "top")
        for offset, va in (above, below):
            label.set_position(offset)
            label.set_verticalalignment(va)
            box = label.get_window_extent().expanded(1.04, 1.1)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
        else:
            label.set_visible(False)


def draw_growth(
    fig: Figure,
    rows: Sequence[GrowthRow],
    fmt: Formats | None = None,
    *,
    start: date | None = None,
    until: date | None = None,
) -> Drawn:
    """New, active and lapsed clients per bucket as bars; one-time share and retention as lines below."""
    fmt = fmt or Formats()
    fig.clear()
    drawn = Drawn()
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    title(
        top,
        _("Growth of the base"),
        _("New: first purchase ever; active: bought in the period; lapsed: bought before, not in it"),
        fmt,
    )
    if not rows:
        empty(top, _("No periods to show."), fmt)
        bottom.set_visible(False)
        return drawn
    xs = list(range(len(rows)))
    w = 0.27
    series = (
        ("new", _("New buyers"), [r.new_buyers for r in rows], -w, "new_buyers"),
        ("active", _("Active"), [r.active for r in rows], 0.0, "bought"),
        ("lapsed", _("Lapsed"), [r.lapsed for r in rows], w, "lapsed"),
    )
    for key, label, values, offset, kind in series:
        bars = top.bar([x + offset for x in xs], values, w, color=GROWTH_COLOURS[key], label=label)
        for r, bar in zip(rows, bars.patches, strict=True):
            if bar.get_height() > 0:
                drawn.add(bar, (kind, *_days(r.bucket, start, until)))
    legend(
        top,
        fmt,
        loc="upper left",
        ncol=3,
        frameon=False,
        fontsize=NOTE_SIZE,
    )
    axis_labels(top, fmt, y=_("Clients"))
    count_axis(top, fmt)
    style_axes(top)
    one_time = [r.one_time_share for r in rows]
    bottom.plot(
        xs,
        one_time,
        color=SHARE_COLOURS["one_time"],
        marker="o",
        markersize=4,
        linewidth=2,
        label=_("One-time buyers"),
    )
    kept = [(x, r.retention) for x, r in zip(xs, rows, strict=True) if r.retention is not None]
    if kept:
        bottom.plot(
            [k[0] for k in kept],
            [k[1] for k in kept],
            color=SHARE_COLOURS["retention"],
            marker="s",
            markersize=4,
            linewidth=2,
            label=_("Retention from the period before"),
        )
    bottom.set_ylim(0, 1.05)
    percent_axis(bottom, fmt)
    axis_labels(bottom, fmt, y=_("Share"))
    legend(
        bottom,
        fmt,
        loc="lower left",
        ncol=2,
        frameon=False,
        fontsize=NOTE_SIZE,
    )
    style_axes(bottom)
    bucket_ticks(bottom, xs, [r.bucket for r in rows], fmt)
    top.set_xlim(-0.6, len(rows) - 0.4)
    return drawn


__all__ = ["draw_dynamics", "draw_growth", "draw_plan"]
