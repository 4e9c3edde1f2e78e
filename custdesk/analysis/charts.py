"""Charts of the client analysis, drawn on a matplotlib ``Figure`` the caller owns (no Qt, no pyplot).

Every ``draw_*`` function clears the figure, draws one chart and returns a :class:`Drawn`: which artist
(bar, matrix cell, curve point) stands for which clients, as a :data:`Target` the GUI turns into a list
of clients (``("cell", "A", "X")``, ``("segment", "loyal")``, ``("bought", first_day, last_day)``...).
Artists with a target are pickable (``artist.get_picker()``), so a ``pick_event`` finds them.
In a right-to-left language (``Formats.rtl``) the charts are mirrored (see
:mod:`custdesk.analysis.chart_style`); their artists and targets stay the same.

This module holds the client charts (Pareto, ABC, XYZ, the ABC × XYZ matrix, RFM segments); the charts
over time are in :mod:`custdesk.analysis.charts_time` and the distributions of the base in
:mod:`custdesk.analysis.charts_base`; all are re-exported here. Colours and formatters:
:mod:`custdesk.analysis.chart_style`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from custdesk.analysis.chart_style import (
    ABC_COLOURS,
    GUIDE_COLOUR,
    LABEL_SIZE,
    MUTED_TEXT,
    NOTE_SIZE,
    SEGMENT_COLOURS,
    SEGMENT_ORDER,
    TEXT_COLOUR,
    XYZ_COLOURS,
    Drawn,
    Formats,
    Target,
    axis_labels,
    category_ticks,
    clients_axis,
    clients_text,
    column_heading,
    empty,
    legend,
    mirror_x,
    percent_axis,
    single_axes,
    style_axes,
    text_colour_on,
    title,
)
from custdesk.analysis.clients import ClassTotal
from custdesk.analysis.matrix import COLUMNS, ROWS, AbcXyzMatrix
from custdesk.analysis.pareto import ParetoCurve
from custdesk.analysis.rfm import SEGMENT_LABELS
from custdesk.i18n import _


def _share(part: Decimal, whole: Decimal) -> float:
    return float(part / whole) if whole > 0 else 0.0


# --- Pareto ---------------------------------------------------------------------------------------------


def draw_pareto(fig: Figure, curve: ParetoCurve, fmt: Formats | None = None) -> Drawn:
    """The Pareto curve with the 80/20 guide; a click on the curve opens the top clients up to that point."""
    fmt, ax, drawn = single_axes(fig, fmt)
    title(
        ax,
        _("Pareto curve: how much of the revenue the best clients bring"),
        _("Buyers ranked by revenue in the period; the dashed lines mark the 80/20 rule"),
        fmt,
    )
    if not curve.points:
        empty(ax, _("No purchases in the period: there is no curve to draw."), fmt)
        return drawn
    xs = [p.client_share for p in curve.points]
    ys = [p.revenue_share for p in curve.points]
    ax.fill_between(xs, ys, color="#BBDEFB", alpha=0.6, linewidth=0)
    ax.plot([0, 1], [0, 1], linestyle=":", color=GUIDE_COLOUR, linewidth=1)
    ax.text(
        0.84,
        0.74,
        fmt.line(_("if all clients\nbought equally")),
        color=MUTED_TEXT,
        fontsize=NOTE_SIZE,
        ha=fmt.start,
        va="top",
    )
    (line,) = ax.plot(xs, ys, color="#1565C0", linewidth=2.4, marker="o", markersize=0)
    drawn.add(line, [("top", p.clients) for p in curve.points], radius=6)
    ax.axvline(0.2, color=GUIDE_COLOUR, linestyle="--", linewidth=1)
    ax.axhline(0.8, color=GUIDE_COLOUR, linestyle="--", linewidth=1)
    top = curve.top20_share
    ax.plot([0.2], [top], marker="o", color="#E65100", markersize=8, zorder=5)
    top_clients = int(curve.buyers * 0.2)
    ax.annotate(
        fmt.say(
            _("Top 20% of buyers ({clients}) bring {share} of the revenue"),
            clients=fmt.count(top_clients),
            share=fmt.percent(top),
        ),
        xy=(0.2, top),
        xytext=(0.3, max(0.08, top - 0.5)),
        ha=fmt.start,
        fontsize=LABEL_SIZE,
        color=TEXT_COLOUR,
        arrowprops={"arrowstyle": "->", "color": GUIDE_COLOUR},
        bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": GUIDE_COLOUR, "lw": 0.8},
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    mirrored = mirror_x(ax, fmt)
    percent_axis(ax, fmt, "x")
    percent_axis(ax, fmt, "y")
    axis_labels(
        ax,
        fmt,
        x=_("Share of buying clients, best first ({buyers} buyers)").format(buyers=fmt.count(curve.buyers)),
        y=_("Share of revenue ({total})").format(total=fmt.amount(curve.revenue)),
    )
    style_axes(ax, grid_axis="both", mirrored=mirrored)
    return drawn


# --- ABC and XYZ ----------------------------------------------------------------------------------------


def draw_abc(fig: Figure, totals: Sequence[ClassTotal], fmt: Formats | None = None) -> Drawn:
    """Two 100 % bars: the share of clients and the share of revenue of each ABC class (D included)."""
    fmt, ax, drawn = single_axes(fig, fmt)
    title(
        ax,
        _("ABC: few clients bring most of the money"),
        _("D: clients without a purchase in the period"),
        fmt,
    )
    clients = sum(t.clients for t in totals)
    revenue = sum((t.revenue for t in totals), Decimal(0))
    if not clients:
        empty(ax, _("The base has no clients yet."), fmt)
        return drawn
    rows = [(_("Clients"), [t.clients / clients for t in totals]), (_("Revenue"), [])]
    rows[1] = (_("Revenue"), [_share(t.revenue, revenue) for t in totals])
    for y, (_label, shares) in enumerate(rows):
        left = 0.0
        for t, share in zip(totals, shares, strict=True):
            if share <= 0:
                continue
            bar = ax.barh(y, share, left=left, height=0.55, color=ABC_COLOURS.get(t.name, "#999999"))
            drawn.add(bar.patches[0], ("abc", t.name))
            if share >= 0.06:
                ax.text(
                    left + share / 2,
                    y,
                    f"{t.name}\n{fmt.percent(share)}",  # two lines: the class, its share
                    ha="center",
                    va="center",
                    fontsize=LABEL_SIZE,
                    fontweight="bold",
                    color=text_colour_on(ABC_COLOURS.get(t.name, "#999999")),
                )
            left += share
    category_ticks(ax, [r[0] for r in rows], fmt)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    mirrored = mirror_x(ax, fmt)
    percent_axis(ax, fmt, "x")
    style_axes(ax, grid_axis="", mirrored=mirrored)
    entries = [
        _("{cls}: {clients}, {revenue}").format(
            cls=fmt.ltr(t.name), clients=clients_text(t.clients, fmt), revenue=fmt.amount(t.revenue)
        )
        for t in totals
    ]
    handles = [Rectangle((0, 0), 1, 1, color=ABC_COLOURS.get(t.name, "#999999")) for t in totals]
    legend(
        ax,
        fmt,
        handles,
        entries,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=2,
        frameon=False,
        fontsize=NOTE_SIZE,
    )
    return drawn


def draw_xyz(fig: Figure, totals: Sequence[ClassTotal], note: str = "", fmt: Formats | None = None) -> Drawn:
    """Clients per XYZ class as bars, each with its revenue; ``note`` names the bucket and thresholds."""
    fmt, ax, drawn = single_axes(fig, fmt)
    title(ax, _("XYZ: how regularly clients buy"), note, fmt)
    if not any(t.clients for t in totals):
        empty(ax, _("No purchases in the period: no client has an XYZ class."), fmt)
        return drawn
    names = {"X": _("X — steady"), "Y": _("Y — varying"), "Z": _("Z — irregular")}
    bars = ax.bar(
        range(len(totals)),
        [t.clients for t in totals],
        color=[XYZ_COLOURS.get(t.name, "#999999") for t in totals],
        width=0.6,
    )
    top = max(t.clients for t in totals)
    for i, (bar, t) in enumerate(zip(bars.patches, totals, strict=True)):
        drawn.add(bar, ("xyz", t.name))
        ax.text(
            i,
            t.clients + top * 0.02,
            f"{clients_text(t.clients, fmt)}\n{fmt.amount(t.revenue)}",
            ha="center",
            va="bottom",
            fontsize=NOTE_SIZE,
            color=TEXT_COLOUR,
        )
    category_ticks(ax, [names.get(t.name, t.name) for t in totals], fmt, "x")
    ax.set_ylim(0, top * 1.25)
    clients_axis(ax, fmt)
    return drawn


# --- the ABC × XYZ matrix -------------------------------------------------------------------------------


def _cell(
    ax: Any,
    drawn: Drawn,
    xy: tuple[float, float],
    width: float,
    total: ClassTotal,
    share: float,
    target: Target,
    fmt: Formats,
    caption: str,
) -> None:
    from matplotlib import colormaps

    colour = (
        colormaps["Blues"](0.08 + 0.72 * min(1.0, share / 0.5)) if total.clients else (0.96, 0.96, 0.96, 1)
    )
    hex_colour = "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in colour[:3]))
    if target[0] == "abc":  # the D row: grey, the colour of D on every chart
        hex_colour = "#E0E0E0"
    rect = Rectangle(xy, width, 1, facecolor=hex_colour, edgecolor="white", linewidth=3)
    ax.add_patch(rect)
    if total.clients:
        drawn.add(rect, target)
    ink = text_colour_on(hex_colour)
    cx, cy = xy[0] + width / 2, xy[1] + 0.5
    ax.text(
        cx,
        cy - 0.24,
        fmt.line(caption),
        ha="center",
        va="center",
        fontsize=LABEL_SIZE + 1,
        fontweight="bold",
        color=ink,
    )
    ax.text(
        cx,
        cy + 0.02,
        clients_text(total.clients, fmt),
        ha="center",
        va="center",
        fontsize=LABEL_SIZE,
        color=ink,
    )
    if target[0] == "abc":  # the D row: no revenue to share out
        return
    ax.text(
        cx,
        cy + 0.26,
        fmt.say(
            _("{revenue} · {share}"),
            revenue=fmt.amount(total.revenue),
            share=fmt.percent(share, 1 if 0 < share < 0.01 else 0),
        ),
        ha="center",
        va="center",
        fontsize=NOTE_SIZE,
        color=ink,
    )


def draw_matrix(fig: Figure, matrix: AbcXyzMatrix, fmt: Formats | None = None) -> Drawn:
    """The ABC × XYZ matrix as a heat map of revenue: 3 × 3 cells and the D row, counts and revenue.

    Left to right the columns X, Y, Z with the rows' names on the left; right to left, mirrored.
    """
    fmt, ax, drawn = single_axes(fig, fmt)
    title(
        ax,
        _("ABC × XYZ: value and regularity of the clients"),
        _("Darker cells bring more of the revenue ({total}); click a cell to see its clients").format(
            total=fmt.amount(matrix.revenue)
        ),
        fmt,
    )
    for r, abc in enumerate(ROWS):
        for c, xyz in enumerate(COLUMNS):
            total = matrix.cell(abc, xyz)
            _cell(
                ax,
                drawn,
                (c, r),
                1,
                total,
                _share(total.revenue, matrix.revenue),
                ("cell", abc, xyz),
                fmt,
                abc + xyz,
            )
    d = matrix.d_row
    base = d.clients + sum(matrix.cell(a, x).clients for a in ROWS for x in COLUMNS)
    _cell(ax, drawn, (0, 3), 3, d, 0.0, ("abc", "D"), fmt, _("D — no purchase in the period"))
    if base:
        ax.text(
            1.5,
            3.88,
            fmt.say(
                _("{share} of the clients bought nothing in the period"), share=fmt.percent(d.clients / base)
            ),
            ha="center",
            va="center",
            fontsize=NOTE_SIZE,
            color=MUTED_TEXT,
        )
    column_names = {"X": _("X — steady"), "Y": _("Y — varying"), "Z": _("Z — irregular")}
    row_names = {"A": _("A — most revenue"), "B": _("B — middle"), "C": _("C — least"), "D": _("D")}
    ax.set_xlim(0, 3)
    for c, xyz in enumerate(COLUMNS):
        column_heading(ax, c + 0.5, -0.12, column_names[xyz], 1.0, fmt)
    ax.set_ylim(4, -0.4)
    mirror_x(ax, fmt)
    ax.set_xticks([])
    ax.set_yticks([0.5, 1.5, 2.5, 3.5])
    ax.set_yticklabels([fmt.line(row_names[a]) for a in (*ROWS, "D")], fontsize=LABEL_SIZE)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return drawn


# --- RFM ------------------------------------------------------------------------------------------------


def draw_segments(fig: Figure, totals: Sequence[ClassTotal], fmt: Formats | None = None) -> Drawn:
    """Clients per RFM segment as horizontal bars, best segments on top, each in its action's colour."""
    fmt, ax, drawn = single_axes(fig, fmt)
    title(
        ax,
        _("RFM segments: who is loyal, who is slipping away"),
        _("Clients who bought in the period, by recency and frequency of their purchases"),
        fmt,
    )
    by_name = {t.name: t for t in totals}
    names = [n for n in SEGMENT_ORDER if n in by_name] + [n for n in by_name if n not in SEGMENT_ORDER]
    if not any(by_name[n].clients for n in names):
        empty(ax, _("No purchases in the period: no client has an RFM segment."), fmt)
        return drawn
    counts = [by_name[n].clients for n in names]
    bars = ax.barh(
        range(len(names)), counts, color=[SEGMENT_COLOURS.get(n, "#999999") for n in names], height=0.7
    )
    top = max(counts)
    for i, (bar, n) in enumerate(zip(bars.patches, names, strict=True)):
        t = by_name[n]
        if t.clients:
            drawn.add(bar, ("segment", n))
        ax.text(
            t.clients + top * 0.01,
            i,
            fmt.say(_("{clients} · {revenue}"), clients=fmt.count(t.clients), revenue=fmt.amount(t.revenue)),
            va="center",
            ha=fmt.start,
            fontsize=NOTE_SIZE,
            color=TEXT_COLOUR,
        )
    category_ticks(ax, [_(SEGMENT_LABELS.get(n, n)) for n in names], fmt)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.35)
    clients_axis(ax, fmt, "x")
    return drawn


from custdesk.analysis.charts_base import draw_funnel, draw_geography, draw_temperature  # noqa: E402
from custdesk.analysis.charts_time import draw_dynamics, draw_growth, draw_plan  # noqa: E402

__all__ = [
    "Drawn",
    "Formats",
    "Target",
    "clients_text",
    "draw_abc",
    "draw_dynamics",
    "draw_funnel",
    "draw_geography",
    "draw_growth",
    "draw_matrix",
    "draw_pareto",
    "draw_plan",
    "draw_segments",
    "draw_temperature",
    "draw_xyz",
]
