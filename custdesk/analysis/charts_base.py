"""Charts of the base as it stands: the funnel (in the markers' colours), temperatures, geography.

Drawn on a given matplotlib ``Figure`` (no Qt, no pyplot); targets: ``("funnel", marker)``,
``("temperature", key)``, ``("region", region)`` and ``("city", region, city)``. Right to left
(``Formats.rtl``) the bars grow from the right with their names on the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from matplotlib.figure import Figure

from custdesk import i18n
from custdesk.analysis.chart_style import (
    LABEL_SIZE,
    MUTED_TEXT,
    NOTE_SIZE,
    TEMPERATURE_COLOURS,
    TEXT_COLOUR,
    Drawn,
    Formats,
    category_ticks,
    clients_axis,
    empty,
    single_axes,
    title,
)
from custdesk.analysis.distributions import Count, FunnelDistribution, GeoRow
from custdesk.core import vocab
from custdesk.i18n import _


def _outline_red_markers(patches: Sequence[Any], counts: Sequence[Count]) -> None:
    """Red markers' bars outlined in red and hatched: told apart by more than a shade of red."""
    for bar, c in zip(patches, counts, strict=True):
        marker = vocab.FUNNEL_BY_KEY.get(c.key)
        if marker is not None and marker.red:
            bar.set_hatch("///")
            bar.set_edgecolor(vocab.RED_OUTLINE)
            bar.set_linewidth(1.8)


def _one_decimal(value: Decimal) -> str:
    """A conversion as the funnel board writes it: always one decimal ("91.0"), the language's digits."""
    from babel.numbers import format_decimal

    text = format_decimal(value, format="#,##0.0", locale=i18n.babel_locale(), numbering_system="default")
    return i18n.native_digits(str(text))


def draw_funnel(fig: Figure, funnel: FunnelDistribution, fmt: Formats | None = None) -> Drawn:
    """Clients per funnel marker in the markers' own colours, with the conversion between stages."""
    fmt, ax, drawn = single_axes(fig, fmt)
    title(
        ax,
        _("Sales funnel"),
        _("Clients per marker; on the right, the share that reached the next stage"),
        fmt,
    )
    counts = list(funnel.counts)
    if not any(c.clients for c in counts):
        empty(ax, _("The base has no clients yet."), fmt)
        return drawn
    conversion_to = {c.to_stage: c for c in funnel.conversions}
    colours = [
        vocab.FUNNEL_BY_KEY[c.key].colour if c.key in vocab.FUNNEL_BY_KEY else "#999999" for c in counts
    ]
    bars = ax.barh(
        range(len(counts)),
        [c.clients for c in counts],
        color=colours,
        edgecolor="#616161",
        linewidth=0.6,
        height=0.72,
    )
    top = max(c.clients for c in counts)
    _outline_red_markers(bars.patches, counts)
    for i, (bar, c) in enumerate(zip(bars.patches, counts, strict=True)):
        if c.clients:
            drawn.add(bar, ("funnel", c.key))
        ax.text(
            c.clients + top * 0.01,
            i,
            fmt.count(c.clients),
            va="center",
            ha=fmt.start,
            fontsize=LABEL_SIZE,
            color=TEXT_COLOUR,
        )
        conv = conversion_to.get(c.key)
        percent = conv.percent if conv is not None else None
        if conv is not None and percent is not None:
            ax.text(
                -0.01 if fmt.rtl else 1.01,  # beyond the bars' far end, away from the markers' names
                i,
                fmt.say(
                    _("{share} of {stage} reached {next}"),
                    share=fmt.ltr(_("{value}%").format(value=_one_decimal(percent))),
                    stage=fmt.own(vocab.funnel_label(conv.from_stage)),
                    next=fmt.own(vocab.funnel_label(conv.to_stage)),
                ),
                transform=ax.get_yaxis_transform(),
                va="center",
                ha=fmt.start,
                fontsize=NOTE_SIZE,
                color=MUTED_TEXT,
            )
    category_ticks(
        ax,
        [
            # the letters on the swatch, in the interface language
            _("{marker} ({letter})").format(
                marker=vocab.funnel_label(c.key), letter=fmt.own(vocab.FUNNEL_BY_KEY[c.key].letter)
            )
            if c.key in vocab.FUNNEL_BY_KEY
            else c.key
            for c in counts
        ],
        fmt,
    )
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.12)
    clients_axis(ax, fmt, "x")
    return drawn


def draw_temperature(fig: Figure, counts: Sequence[Count], fmt: Formats | None = None) -> Drawn:
    """Clients per temperature: hot, warm, cold."""
    fmt, ax, drawn = single_axes(fig, fmt)
    title(
        ax,
        _("Temperature of the clients"),
        _("Hot: ready to buy now; warm: later; cold: indifferent"),
        fmt,
    )
    if not any(c.clients for c in counts):
        empty(ax, _("The base has no clients yet."), fmt)
        return drawn
    total = sum(c.clients for c in counts)
    bars = ax.bar(
        range(len(counts)),
        [c.clients for c in counts],
        color=[TEMPERATURE_COLOURS.get(c.key, "#999999") for c in counts],
        width=0.6,
    )
    top = max(c.clients for c in counts)
    for i, (bar, c) in enumerate(zip(bars.patches, counts, strict=True)):
        if c.clients:
            drawn.add(bar, ("temperature", c.key))
        ax.text(
            i,
            c.clients + top * 0.02,
            fmt.say(_("{count} ({share})"), count=fmt.count(c.clients), share=fmt.percent(c.clients / total)),
            ha="center",
            va="bottom",
            fontsize=LABEL_SIZE,
            color=TEXT_COLOUR,
        )
    category_ticks(ax, [vocab.label(vocab.TEMPERATURES, c.key) for c in counts], fmt, "x")
    ax.set_ylim(0, top * 1.18)
    clients_axis(ax, fmt)
    return drawn


def draw_geography(
    fig: Figure, rows: Sequence[GeoRow], fmt: Formats | None = None, *, top_n: int = 12
) -> Drawn:
    """Clients per region (or city) as horizontal bars, the largest ``top_n``, with their revenue."""
    fmt, ax, drawn = single_axes(fig, fmt)
    by_city = any(r.city is not None for r in rows)
    heading = _("Clients by city") if by_city else _("Clients by region")
    shown = list(rows[:top_n])
    rest = rows[top_n:]
    note = _("All-time revenue beside each bar")
    if rest:
        note = _("The {shown} largest of {total}; all-time revenue beside each bar").format(
            shown=fmt.count(len(shown)), total=fmt.count(len(rows))
        )
    title(ax, heading, note, fmt)
    if not shown:
        empty(ax, _("The base has no clients yet."), fmt)
        return drawn
    unknown = _("(not given)")
    names = [
        (
            _("{city}, {region}").format(city=fmt.own(r.city or unknown), region=fmt.own(r.region or unknown))
            if by_city
            else (r.region or unknown)
        )
        for r in shown
    ]
    bars = ax.barh(range(len(shown)), [r.clients for r in shown], color="#5C6BC0", height=0.7)
    top = max(r.clients for r in shown)
    for i, (bar, r) in enumerate(zip(bars.patches, shown, strict=True)):
        drawn.add(bar, ("city", r.region, r.city) if by_city else ("region", r.region))
        ax.text(
            r.clients + top * 0.01,
            i,
            fmt.say(_("{clients} · {revenue}"), clients=fmt.count(r.clients), revenue=fmt.amount(r.revenue)),
            va="center",
            ha=fmt.start,
            fontsize=NOTE_SIZE,
            color=TEXT_COLOUR,
        )
    category_ticks(ax, names, fmt)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.4)
    clients_axis(ax, fmt, "x")
    return drawn


__all__ = ["draw_funnel", "draw_geography", "draw_temperature"]
