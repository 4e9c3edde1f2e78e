"""How the analysis charts look and write their numbers: colours, fonts, and locale-aware formatters.

No Qt and no pyplot: the charts draw on a ``matplotlib.figure.Figure`` the caller owns. Every number,
amount of money, share and date on a chart goes through :class:`Formats`, which defaults to the
formatters of :mod:`custdesk.i18n` (Babel, the interface language) and can be given others (the GUI passes
QLocale-based ones so the charts read as the rest of the window).

In a right-to-left language (Persian) the charts read right to left: every sentence and label starts
at the right (:meth:`Formats.line`, :meth:`Formats.say`), every number, amount, share and date inside it
is kept whole (:mod:`custdesk.analysis.chart_bidi`), titles are aligned right and the charts whose
categories run across (bars, the matrix) are mirrored (:func:`mirror_x`); time still runs left to right.

Colours carry meaning and stay the same on every chart: the ABC classes from green (A) to grey (D), this
period in a deep blue beside a year earlier in a light blue, the growth figures new = green, active =
blue, lapsed = red, the funnel markers in their own colours (``custdesk.core.vocab``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from custdesk import i18n
from custdesk.analysis.chart_bidi import isolate_ltr, isolate_own, right_to_left
from custdesk.analysis.period import Bucket
from custdesk.core.vocab import RFM_SEGMENT_ORDER
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
SEGMENT_ORDER: tuple[str, ...] = RFM_SEGMENT_ORDER
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
_CHAR_WIDTH = 0.62  # an average character of the chart fonts, in font sizes (DejaVu Sans, Vazirmatn)


def _babel_money_compact(value: float, currency: str) -> str:
    from babel.numbers import format_compact_currency

    text = format_compact_currency(
        value, currency, locale=i18n.babel_locale(), fraction_digits=1, numbering_system="default"
    )
    return i18n.native_digits(str(text))


def _babel_number_compact(value: float) -> str:
    from babel.numbers import format_compact_decimal

    text = format_compact_decimal(
        value, locale=i18n.babel_locale(), fraction_digits=1, numbering_system="default"
    )
    return i18n.native_digits(str(text))


def _babel_month(day: date) -> str:
    return i18n.month_name(day, short=True)  # CLDR's stand-alone form: a tick names the month alone


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
        rtl: whether the charts read right to left (default: the interface language's direction).

    The methods write for charts and labels: in a right-to-left language every amount, share and count
    they return is a left-to-right isolate, kept whole inside a Persian sentence; the plain callables
    (``number``, ``money``…) write the bare value.
    """

    currency: str = "USD"
    number: Callable[[int | Decimal], str] = i18n.format_number
    money: Callable[[Decimal], str] | None = None
    compact_money: Callable[[float], str] | None = None
    compact_number: Callable[[float], str] = _babel_number_compact
    month_name: Callable[[date], str] = _babel_month
    day: Callable[[date | None], str] = i18n.format_date
    rtl: bool = field(default_factory=i18n.is_rtl)

    # --- direction: every chart text goes through these in a right-to-left language -------------------

    def ltr(self, text: str) -> str:
        """A value kept whole and left to right inside right-to-left text (unchanged otherwise)."""
        return isolate_ltr(text, self.rtl)

    def own(self, text: str) -> str:
        """Free text (a name from the base, a translated word) inside a sentence, in its own direction."""
        return isolate_own(text, self.rtl)

    def line(self, text: str) -> str:
        """A label or sentence laid out in the chart's direction (right to left: starting at the right)."""
        return right_to_left(text, self.rtl)

    def say(self, template: str, **values: str) -> str:
        """A translated sentence with its fields filled, laid out in the chart's direction.

        The values come from the methods below (isolated) or :meth:`own`; the sentence is never built by
        concatenation.
        """
        return self.line(template.format(**values))

    @property
    def start(self) -> Literal["left", "right"]:
        """The horizontal alignment where a line of text starts: ``"left"``, or ``"right"`` in RTL."""
        return "right" if self.rtl else "left"

    # --- values ---------------------------------------------------------------------------------------

    def count(self, value: int | Decimal) -> str:
        """A count or number, grouped ("12,345"), kept whole in right-to-left text."""
        return self.ltr(self.number(value))

    def amount(self, value: Decimal) -> str:
        """An amount of money, exact, kept whole in right-to-left text."""
        if self.money is not None:
            return self.ltr(self.money(value))
        return self.ltr(i18n.format_money(value, self.currency))

    def tick_money(self, value: float) -> str:
        """A money axis tick, short ("$12.3K"; in Persian a number and a word, "۱۲٫۳ هزار $", which reads
        right to left: isolated in its own direction)."""
        if self.compact_money is not None:
            return self.own(self.compact_money(value))
        return self.own(_babel_money_compact(value, self.currency))

    def percent(self, share: float, digits: int = 0) -> str:
        """A share (0.8234) as a percentage: "82%" in English, "82 %" in Russian; with ``digits``
        decimals "82.3%"."""
        value = Decimal(repr(round(share * 100, digits))).quantize(Decimal(1).scaleb(-digits))
        return self.ltr(_("{value}%").format(value=self.number(value)))

    def bucket(self, b: Bucket, *, with_year: bool = True) -> str:
        """A month, quarter or year as a tick label: "Mar 2024", "Q1 2024", "2024" (the language's digits)."""
        year = i18n.native_digits(str(b.start.year))
        if b.size == "year":
            return year
        quarter = i18n.native_digits(str((b.start.month - 1) // 3 + 1))
        name = self.month_name(b.start) if b.size == "month" else _("Q{quarter}").format(quarter=quarter)
        if not with_year:
            return name
        return _("{period} {year}").format(period=name, year=year)


def style_axes(ax: Axes, *, grid_axis: str = "y", mirrored: bool = False) -> None:
    """Light grid behind the data, no top frame nor the frame opposite the value axis, readable ticks.

    ``mirrored``: the axes were mirrored by :func:`mirror_x` (their y axis is on the right).
    """
    ax.set_axisbelow(True)
    if grid_axis:
        ax.grid(axis=grid_axis, color=GRID_COLOUR, linewidth=0.8)  # type: ignore[arg-type]
    for side in ("top", "left" if mirrored else "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=TICK_SIZE, colors=TEXT_COLOUR)
    ax.xaxis.label.set_fontsize(LABEL_SIZE)
    ax.yaxis.label.set_fontsize(LABEL_SIZE)


def mirror_x(ax: Axes, fmt: Formats) -> bool:
    """In a right-to-left chart, mirror the axes: x grows to the left, the y axis and its labels on the
    right (as a spreadsheet draws a chart on a right-to-left sheet). Call after setting the x limits.

    Returns:
        Whether the axes were mirrored (pass it to :func:`style_axes`).
    """
    if not fmt.rtl:
        return False
    if not ax.xaxis_inverted():
        ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")
    return True


def money_axis(ax: Axes, fmt: Formats, axis: str = "y") -> None:
    """Money ticks in the compact locale form on ``axis``."""
    formatter = FuncFormatter(lambda v, _pos: fmt.tick_money(float(v)))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def single_axes(fig: Figure, fmt: Formats | None) -> tuple[Formats, Axes, Drawn]:
    """Start a chart of one axes on ``fig``: the formatters (the defaults if none), the cleared
    figure's axes and an empty :class:`Drawn`."""
    fig.clear()
    return fmt or Formats(), fig.add_subplot(), Drawn()


def clients_axis(ax: Axes, fmt: Formats, axis: str = "y") -> None:
    """Finish a chart of clients per category: ``axis`` counts the clients (and carries the grid), the
    axes mirrored in a right-to-left chart."""
    mirrored = mirror_x(ax, fmt)
    count_axis(ax, fmt, axis)
    axis_labels(ax, fmt, **{axis: _("Clients")})
    style_axes(ax, grid_axis=axis, mirrored=mirrored)


def count_axis(ax: Axes, fmt: Formats, axis: str = "y") -> None:
    """Whole-number ticks with grouping (no "0.5 clients")."""
    from matplotlib.ticker import MaxNLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(integer=True, nbins=6))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.count(int(v)) if v >= 0 else ""))


def percent_axis(ax: Axes, fmt: Formats, axis: str = "y") -> None:
    """A 0..1 share axis written as percentages."""
    formatter = FuncFormatter(lambda v, _pos: fmt.percent(float(v)))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _note_width(text: str, size: float = NOTE_SIZE) -> float:
    """How wide ``text`` is drawn at ``size`` (the note size), in points (measured with the chart font's
    metrics: Cyrillic letters are wider than Latin ones, Persian ones narrower)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    width, _height, _descent = TextToPath().get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return float(width)


def _wrap(text: str, room: float, size: float = NOTE_SIZE) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``room`` points (a word wider stays whole)."""
    if _note_width(text, size) <= room:
        return [text]
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and _note_width(candidate, size) <= room:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [text]


def _fit_lines(ax: Axes, text: str, rtl: bool) -> list[str]:
    """``text`` broken at spaces into lines that fit between the axes' start and the figure's far edge."""
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    box = ax.get_position()
    # Points, less a margin: measured unhinted at 72 dpi, text is drawn hinted at the figure's dpi, which
    # came out up to 2 % wider.
    room = fig.get_figwidth() * 72 * (box.x1 if rtl else 1.0 - box.x0) * 0.95
    if room < NOTE_SIZE * 12:
        return [text]
    return _wrap(text, room)


_HEADINGS = "_custdesk_headings"  # on an axes: [(Text, text, width in data units, formats)] for fit_titles


def column_heading(ax: Axes, x: float, y: float, text: str, width: float, fmt: Formats) -> None:
    """A heading centred over a column ``width`` data units wide, at (``x``, ``y``) in data units.

    Once the chart is laid out, :func:`fit_titles` wraps it at spaces when it is wider than its column,
    so neighbouring headings never run into each other (long Russian words on a narrow chart).
    """
    label = ax.text(x, y, fmt.line(text), ha="center", va="bottom", fontsize=LABEL_SIZE, color=TEXT_COLOUR)
    headings = getattr(ax, _HEADINGS, None)
    if headings is None:
        headings = []
        setattr(ax, _HEADINGS, headings)
    headings.append((label, text, width, fmt))


def _lay_out_headings(ax: Axes) -> None:
    """One size for all the headings of an axes, the largest at which each fits its column on one line
    (down to 70 %); a heading that does not fit even then is wrapped at spaces."""
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    left, right = ax.get_xlim()
    span = abs(right - left) or 1.0
    axes_points = fig.get_figwidth() * 72 * ax.get_position().width
    headings = getattr(ax, _HEADINGS, ())
    rooms = [axes_points * width / span * 0.92 for _label, _text, width, _fmt in headings]  # a gap
    size = LABEL_SIZE
    for (_label, text, _width, _fmt), room in zip(headings, rooms, strict=True):
        size = min(size, LABEL_SIZE * room / max(_note_width(text, LABEL_SIZE), 1.0))
    size = max(size, LABEL_SIZE * 0.7)
    for (label, text, _width, fmt), room in zip(headings, rooms, strict=True):
        label.set_fontsize(size)
        label.set_text(fmt.line("\n".join(_wrap(text, room, size))))


_TITLED = "_custdesk_title"  # on an axes: (title, subtitle, formats, the subtitle's Text) for fit_titles


def title(ax: Axes, text: str, subtitle: str, fmt: Formats) -> None:
    """A bold title over the axes, with a muted subtitle line below it, where a line starts (left, or
    right in a right-to-left language). The subtitle is wrapped to the room the axes leave; once the
    whole chart is drawn, :func:`fit_titles` wraps it again where the layout really put the axes."""
    note = None
    if subtitle:
        note = ax.text(
            1.0 if fmt.rtl else 0.0,
            1.01,
            "",
            transform=ax.transAxes,
            fontsize=NOTE_SIZE,
            color=MUTED_TEXT,
            ha=fmt.start,
            va="bottom",
        )
    setattr(ax, _TITLED, (text, subtitle, fmt, note))
    _lay_out_title(ax)


def _lay_out_title(ax: Axes) -> None:
    text, subtitle, fmt, note = getattr(ax, _TITLED)
    lines = _fit_lines(ax, subtitle, fmt.rtl) if subtitle else []
    pad = 18 + NOTE_SIZE * 1.25 * max(0, len(lines) - 1)  # points: the title stays above every line
    ax.set_title(
        fmt.line(text), fontsize=TITLE_SIZE, fontweight="bold", color=TEXT_COLOUR, loc=fmt.start, pad=pad
    )
    if note is not None:
        note.set_text(fmt.line("\n".join(lines)))


def fit_titles(fig: Figure) -> None:
    """Wrap the subtitles again where the figure's layout has put their axes.

    A chart's long labels (the matrix's row names, say) push its axes over when the layout runs, after
    the subtitle was wrapped for where the axes stood at first: its lines would run past the figure's
    edge. Called once a chart is drawn, before it is shown or saved; a figure without a layout engine
    keeps its first wrap.
    """
    titled = [ax for ax in fig.axes if getattr(ax, _TITLED, None) is not None]
    headed = [ax for ax in fig.axes if getattr(ax, _HEADINGS, None)]
    engine = fig.get_layout_engine()
    if engine is not None and titled:
        engine.execute(fig)
        for ax in titled:
            _lay_out_title(ax)
    for ax in headed:
        _lay_out_headings(ax)


def axis_labels(ax: Axes, fmt: Formats, *, x: str = "", y: str = "") -> None:
    """The names of the axes, laid out in the chart's direction."""
    if x:
        ax.set_xlabel(fmt.line(x))
    if y:
        ax.set_ylabel(fmt.line(y))


def category_ticks(
    ax: Axes, labels: Sequence[str], fmt: Formats, axis: str = "y", *, fontsize: float = LABEL_SIZE
) -> None:
    """Tick labels naming the categories 0, 1, 2… of ``axis`` (each laid out in the chart's direction)."""
    positions = range(len(labels))
    lines = [fmt.line(label) for label in labels]
    if axis == "y":
        ax.set_yticks(positions)
        ax.set_yticklabels(lines, fontsize=fontsize)
    else:
        ax.set_xticks(positions)
        ax.set_xticklabels(lines, fontsize=fontsize)


def legend(
    ax: Axes,
    fmt: Formats,
    handles: Sequence[Any] | None = None,
    labels: Sequence[str] | None = None,
    **kwargs: Any,
) -> Any:
    """A legend (of ``handles`` and ``labels``, else the labelled artists of ``ax``) whose entries read in
    the chart's direction: right to left, each swatch right of its label and the first column rightmost
    (when the columns are even)."""
    if handles is None or labels is None:
        handles, labels = ax.get_legend_handles_labels()
    handles, labels = list(handles), [fmt.line(label) for label in labels]
    if fmt.rtl:
        kwargs["markerfirst"] = False
        ncol = int(kwargs.get("ncol", 1))
        if ncol > 1 and (len(labels) <= ncol or len(labels) % ncol == 0):
            rows = max(1, -(-len(labels) // ncol))
            order = [i for c in reversed(range(0, len(labels), rows)) for i in range(c, c + rows)]
            handles, labels = [handles[i] for i in order], [labels[i] for i in order]
    return ax.legend(handles, labels, **kwargs)


def text_colour_on(hex_colour: str) -> str:
    """Black or white, whichever reads on a fill of ``hex_colour``."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(hex_colour)
    return "#FFFFFF" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else TEXT_COLOUR


def empty(ax: Axes, message: str, fmt: Formats) -> None:
    """An axes with nothing to show: a sentence in its middle, no ticks."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(
        0.5,
        0.5,
        fmt.line(message),
        ha="center",
        va="center",
        fontsize=LABEL_SIZE,
        color=MUTED_TEXT,
        wrap=True,
    )


_STEPS: dict[str, tuple[int, ...]] = {"month": (1, 2, 3, 6, 12), "quarter": (1, 2, 4), "year": (1, 2, 5, 10)}


def _bucket_shown(b: Bucket, index: int, step: int) -> bool:
    if step == 1:
        return True
    if b.size == "month":
        return (b.start.month - 1) % step == 0
    if b.size == "quarter":
        return ((b.start.month - 1) // 3) % step == 0
    return index % step == 0


def _bucket_labels(items: Sequence[Bucket], fmt: Formats, step: int) -> list[str]:
    labels: list[str] = []
    first_shown = True
    for index, b in enumerate(items):
        if not _bucket_shown(b, index, step):
            labels.append("")
            continue
        label = fmt.bucket(b, with_year=False)
        if b.size != "year" and (b.start.month == 1 or first_shown):
            label = f"{label}\n{i18n.native_digits(str(b.start.year))}"
        labels.append(label)
        first_shown = False
    return labels


def bucket_ticks(ax: Axes, positions: Sequence[float], items: Sequence[Bucket], fmt: Formats) -> None:
    """Tick labels for a run of buckets that never crowd: as many as the axes' width has room for.

    Every bucket is labelled when the labels fit side by side; otherwise every second, third (the
    quarters' first months), sixth or twelfth month, every second or fourth quarter, every second, fifth
    or tenth year, whichever is the first to fit; months are never all labelled beyond 18. The year is
    written under January or Q1 (and under the first label). Time runs left to right in every language
    (as business charts in Persian draw it).
    """
    if not items:
        return
    size = items[0].size
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    room = fig.get_figwidth() * fig.dpi * ax.get_position().width / len(items)
    char = TICK_SIZE * _CHAR_WIDTH * fig.dpi / 72
    steps = [s for s in _STEPS[size] if not (size == "month" and len(items) > 18 and s < 3)]
    labels: list[str] = []
    for step in steps:
        labels = _bucket_labels(items, fmt, step)
        widest = max((len(line) for label in labels for line in label.split("\n")), default=0)
        if (widest + 1) * char <= room * step:
            break
    ax.set_xticks(positions)
    ax.set_xticklabels([fmt.line(label) if label else "" for label in labels], fontsize=TICK_SIZE)
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
    """ "1 client" / "1,234 clients" in the interface language (a line in the chart's direction)."""
    return fmt.say(ngettext("{count} client", "{count} clients", n), count=fmt.count(n))


# --- dark windows ----------------------------------------------------------------------------------------

# The charts are drawn for a light window; on a dark one :func:`use_dark_scheme` recolours what carries no
# meaning (background, text, grid, guides, frames) and keeps every colour that does (classes, markers).
DARK_BACKGROUND = "#2B2B2B"
DARK_TEXT = "#E6E6E6"
DARK_MUTED_TEXT = "#B4B4B4"
DARK_GRID = "#474747"
DARK_GUIDE = "#A0A0A0"


def _luminance(colour: Any) -> float:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def _alpha(colour: Any) -> float:
    from matplotlib.colors import to_rgba

    return float(to_rgba(colour)[3])


def _same(colour: Any, hex_colour: str) -> bool:
    from matplotlib.colors import same_color, to_rgb

    try:
        return bool(same_color(to_rgb(colour), hex_colour))
    except (ValueError, TypeError):
        return False


def use_dark_scheme(figure: Figure, background: str = DARK_BACKGROUND) -> None:
    """Recolour a drawn chart for a dark window: a dark background, light text, dim grid and guides.

    Text written on a light fill (a value inside a light bar or matrix cell) stays dark, as
    :func:`text_colour_on` chose it; every fill that means something keeps its colour.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    figure.set_facecolor(background)
    figure.draw_without_rendering()  # the constrained layout puts every text where it will be drawn
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    light_fills = []
    for ax in figure.axes:
        ax.set_facecolor(background)
        for spine in ax.spines.values():
            spine.set_edgecolor(DARK_GUIDE)
        ax.tick_params(colors=DARK_TEXT, which="both")
        for patch in ax.patches:
            if (
                patch.get_visible()
                and _alpha(patch.get_facecolor()) > 0
                and _luminance(patch.get_facecolor()) >= 0.55
            ):
                light_fills.append(patch.get_window_extent(renderer))
            if _same(patch.get_edgecolor(), "white"):
                patch.set_edgecolor(background)  # the gaps between matrix cells
        for line in ax.get_lines():
            if _same(line.get_color(), GRID_COLOUR):
                line.set_color(DARK_GRID)
            elif _same(line.get_color(), GUIDE_COLOUR):
                line.set_color(DARK_GUIDE)
        legend = ax.get_legend()
        if legend is not None:
            legend.get_frame().set_facecolor(background)
            legend.get_frame().set_edgecolor(DARK_GRID)
    for artist in figure.findobj(Line2D):
        if _same(artist.get_color(), GRID_COLOUR):
            artist.set_color(DARK_GRID)
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text():
            continue
        box = text.get_bbox_patch()
        if isinstance(box, Patch) and _same(box.get_facecolor(), "white"):
            box.set_facecolor(background)
            box.set_edgecolor(DARK_GUIDE if _alpha(box.get_edgecolor()) > 0 else "none")
        else:
            middle = text.get_window_extent(renderer)
            x, y = (middle.x0 + middle.x1) / 2, (middle.y0 + middle.y1) / 2
            if any(fill.contains(x, y) for fill in light_fills):
                continue  # dark on a light bar or cell: as it was chosen
        colour = text.get_color()
        if _same(colour, MUTED_TEXT):
            text.set_color(DARK_MUTED_TEXT)
        elif _luminance(colour) < 0.35:
            text.set_color(DARK_TEXT)


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
    "axis_labels",
    "bucket_ticks",
    "category_ticks",
    "clients_text",
    "count_axis",
    "empty",
    "legend",
    "mirror_x",
    "money_axis",
    "percent_axis",
    "style_axes",
    "text_colour_on",
    "title",
    "use_dark_scheme",
]
