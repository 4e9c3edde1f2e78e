"""How the analysis charts look and write their numbers: colours, fonts, and locale-aware formatters.

No Qt and no pyplot: the charts draw on a ``matplotlib.figure.Figure`` the caller owns. Every number,
amount of money, share and date on a chart goes through :class:`Formats`, which defaults to the
formatters of :mod:`custdesk.i18n` (Babel, the interface language) and can be given others (the GUI passes
QLocale-based ones so the charts read as the rest of the window).

Colours carry meaning and stay the same on every chart: the ABC classes from green (A) to grey (D), this
period in a deep blue beside a year earlier in a light blue, the growth figures new = green, active =
blue, lapsed = red, the funnel markers in their own colours (``custdesk.core.vocab``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from custdesk import i18n
from custdesk.analysis.period import Bucket
from custdesk.i18n import _, ngettext

ABC_COLOURS: dict[str, str] = {"A": "#2E7D32", "B": "#F9A825", "C": "#EF6C00", "D": "#9E9E9E"}
XYZ_COLOURS: dict[str, str] = {"X": "#1565C0", "Y": "#42A5F5", "Z": "#B0BEC5"}
NOW_COLOUR = "#1565C0"
BEFORE_COLOUR = "#A7C7E7"
PLAN_COLOUR = "#CFD8DC"
FULFILMENT_COLOUR = "#E65100"
GROWTH_COLOURS: dict[str, str] = {"new": "#2E7D32", "active": "#1565C0", "lapsed": "#C62828"}
SHARE_COLOURS: dict[str, str] = {"one_time": "#6A1B9A", "retention": "#00838F"}
TEMPERATURE_COLOURS: dict[str, str] = {"hot": "#D84315", "warm": "#F9A825", "cold": "#1E88E5"}
GUIDE_COLOUR = "#757575"
GRID_COLOUR = "#E0E0E0"
TEXT_COLOUR = "#212121"
MUTED_TEXT = "#616161"
# RFM segments from the best to the most slipping away, each coloured by what the owner should do.
SEGMENT_ORDER: tuple[str, ...] = (
    "champions",
    "loyal",
    "potential loyalist",
    "new",
    "promising",
    "need attention",
    "about to sleep",
    "at risk",
    "can't lose them",
    "hibernating",
)
SEGMENT_COLOURS: dict[str, str] = {
    "champions": "#1B5E20",
    "loyal": "#388E3C",
    "potential loyalist": "#66BB6A",
    "new": "#26A69A",
    "promising": "#80CBC4",
    "need attention": "#FBC02D",
    "about to sleep": "#FFA000",
    "at risk": "#E53935",
    "can't lose them": "#B71C1C",
    "hibernating": "#9E9E9E",
}
TITLE_SIZE = 13.0
LABEL_SIZE = 10.5
TICK_SIZE = 9.5
NOTE_SIZE = 9.0


def _babel_money_compact(value: float, currency: str) -> str:
    from babel.numbers import format_compact_currency

    return str(format_compact_currency(value, currency, locale=i18n.babel_locale(), fraction_digits=1))


def _babel_number_compact(value: float) -> str:
    from babel.numbers import format_compact_decimal

    return str(format_compact_decimal(value, locale=i18n.babel_locale(), fraction_digits=1))


def _babel_month(day: date) -> str:
    from babel.dates import format_skeleton

    return str(format_skeleton("MMM", day, locale=i18n.babel_locale()))


@dataclass(frozen=True)
class Formats:
    """The formatters a chart writes with (defaults: :mod:`custdesk.i18n`, the interface language).

    Attributes:
        currency: the firm's currency (ISO 4217).
        number: an integer or exact decimal, grouped ("12,345").
        money: an exact amount with its currency ("$12,345.60").
        compact_money: an axis tick of money ("$12.3K"); a float is fine here (a tick is not a sum).
        compact_number: an axis tick of a count ("1.2K").
        month_name: the short name of a date's month ("Mar").
        day: a date ("3/14/24").
    """

    currency: str = "USD"
    number: Callable[[int | Decimal], str] = i18n.format_number
    money: Callable[[Decimal], str] | None = None
    compact_money: Callable[[float], str] | None = None
    compact_number: Callable[[float], str] = _babel_number_compact
    month_name: Callable[[date], str] = _babel_month
    day: Callable[[date | None], str] = i18n.format_date

    def amount(self, value: Decimal) -> str:
        """An amount of money, exact."""
        if self.money is not None:
            return self.money(value)
        return i18n.format_money(value, self.currency)

    def tick_money(self, value: float) -> str:
        """A money axis tick, short."""
        if self.compact_money is not None:
            return self.compact_money(value)
        return _babel_money_compact(value, self.currency)

    def percent(self, share: float, digits: int = 0) -> str:
        """A share (0.8234) as a percentage ("82 %" or with ``digits`` decimals "82.3 %")."""
        value = Decimal(repr(round(share * 100, digits))).quantize(Decimal(1).scaleb(-digits))
        return _("{value} %").format(value=self.number(value))

    def bucket(self, b: Bucket, *, with_year: bool = True) -> str:
        """A month, quarter or year as a tick label: "Mar 2024", "Q1 2024", "2024"."""
        year = str(b.start.year)
        if b.size == "year":
            return year
        name = (
            self.month_name(b.start)
            if b.size == "month"
            else _("Q{quarter}").format(quarter=(b.start.month - 1) // 3 + 1)
        )
        if not with_year:
            return name
        return _("{period} {year}").format(period=name, year=year)


def style_axes(ax: Axes, *, grid_axis: str = "y") -> None:
    """Light grid behind the data, no top and right frame, readable ticks."""
    ax.set_axisbelow(True)
    if grid_axis:
        ax.grid(axis=grid_axis, color=GRID_COLOUR, linewidth=0.8)  # type: ignore[arg-type]
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=TICK_SIZE, colors=TEXT_COLOUR)
    ax.xaxis.label.set_fontsize(LABEL_SIZE)
    ax.yaxis.label.set_fontsize(LABEL_SIZE)


def money_axis(ax: Axes, fmt: Formats, axis: str = "y") -> None:
    """Money ticks in the compact locale form on ``axis``."""
    formatter = FuncFormatter(lambda v, _pos: fmt.tick_money(float(v)))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def count_axis(ax: Axes, fmt: Formats, axis: str = "y") -> None:
    """Whole-number ticks with grouping (no "0.5 clients")."""
    from matplotlib.ticker import MaxNLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(integer=True, nbins=6))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(int(v)) if v >= 0 else ""))


def percent_axis(ax: Axes, fmt: Formats, axis: str = "y") -> None:
    """A 0..1 share axis written as percentages."""
    formatter = FuncFormatter(lambda v, _pos: fmt.percent(float(v)))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def title(ax: Axes, text: str, subtitle: str = "") -> None:
    """A bold title over the axes, with a muted subtitle line below it."""
    ax.set_title(text, fontsize=TITLE_SIZE, fontweight="bold", color=TEXT_COLOUR, loc="left", pad=18)
    if subtitle:
        ax.text(
            0.0,
            1.01,
            subtitle,
            transform=ax.transAxes,
            fontsize=NOTE_SIZE,
            color=MUTED_TEXT,
            ha="left",
            va="bottom",
        )


def text_colour_on(hex_colour: str) -> str:
    """Black or white, whichever reads on a fill of ``hex_colour``."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(hex_colour)
    return "#FFFFFF" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else TEXT_COLOUR


def empty(ax: Axes, message: str) -> None:
    """An axes with nothing to show: a sentence in its middle, no ticks."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=LABEL_SIZE, color=MUTED_TEXT, wrap=True)


def bucket_ticks(ax: Axes, positions: Sequence[float], items: Sequence[Bucket], fmt: Formats) -> None:
    """Tick labels for a run of buckets that never crowd: every month labelled only when few.

    Months: at most about 18 labels; with more, only the quarters' first months, the year written under
    January (and under the first label). Quarters: the year under Q1. Years: the year.
    """
    if not items:
        return
    size = items[0].size
    labels: list[str] = []
    step = 1
    if size == "month" and len(items) > 18:
        step = 3
    first_shown = True
    for b in items:
        show = size != "month" or step == 1 or (b.start.month - 1) % step == 0
        if not show:
            labels.append("")
            continue
        new_year = b.start.month == 1 or first_shown
        label = fmt.bucket(b, with_year=False)
        if size != "year" and new_year:
            label = f"{label}\n{b.start.year}"
        labels.append(label)
        first_shown = False
    ax.set_xticks(positions)
    ax.set_xticklabels(labels, fontsize=TICK_SIZE)
    ax.tick_params(axis="x", length=3)


Target = tuple[Any, ...]
"""What a click on a chart element means, e.g. ``("cell", "A", "X")``; the GUI turns it into clients."""


@dataclass
class Drawn:
    """What a drawn chart offers to clicks: targets by artist (a list: one target per point of a line)."""

    targets: dict[Artist, Target | list[Target]] = field(default_factory=dict)

    def add(self, artist: Artist, target: Target | list[Target], radius: float | None = None) -> None:
        """Make ``artist`` pickable and remember what it stands for."""
        artist.set_picker(radius if radius is not None else True)
        self.targets[artist] = target

    def target_of(self, artist: Artist, index: int | None = None) -> Target | None:
        """The target of a picked artist (``index``: the picked point of a line)."""
        target = self.targets.get(artist)
        if isinstance(target, list):
            return target[index] if index is not None and 0 <= index < len(target) else None
        return target


def clients_text(n: int, fmt: Formats) -> str:
    """ "1 client" / "1,234 clients" in the interface language."""
    return ngettext("{count} client", "{count} clients", n).format(count=fmt.number(n))


__all__ = [
    "ABC_COLOURS",
    "BEFORE_COLOUR",
    "FULFILMENT_COLOUR",
    "GROWTH_COLOURS",
    "NOW_COLOUR",
    "SEGMENT_COLOURS",
    "SEGMENT_ORDER",
    "TEMPERATURE_COLOURS",
    "Drawn",
    "Formats",
    "Target",
    "bucket_ticks",
    "clients_text",
    "count_axis",
    "empty",
    "money_axis",
    "percent_axis",
    "style_axes",
    "text_colour_on",
    "title",
]
