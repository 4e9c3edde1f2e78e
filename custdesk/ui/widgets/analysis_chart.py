"""A chart of the analysis tab: a matplotlib figure on a Qt canvas, created only when first drawn.

matplotlib and its QtAgg backend cost about half a second to import, so nothing here imports them at
module level: :meth:`ChartView.draw` imports them the first time a chart is drawn (the analysis tab
draws only when it is shown). A click on a bar, a matrix cell or a point of a curve emits
``target_clicked`` with the chart's target (see :mod:`custdesk.analysis.chart_style`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from custdesk.i18n import _
from custdesk.ui.formatting import currency_symbol, ui_locale
from custdesk.ui.locale_numbers import LocaleNumbers
from custdesk.ui.theme import is_dark, make_hint, scheme_changed


def qt_formats(currency: str) -> Any:
    """Chart formatters that write numbers, money and shares as the rest of the window (QLocale).

    Made on the GUI thread; the charts may be drawn with them on the base worker (a PDF export), so the
    formatters hold what QLocale writes numbers with (:class:`LocaleNumbers`), never the QLocale itself.
    """
    from custdesk.analysis.chart_style import Formats

    numbers = LocaleNumbers.capture(ui_locale())
    symbol = currency_symbol(currency)

    def number(value: int | Decimal) -> str:
        if isinstance(value, int):
            return numbers.integer(value)
        exponent = value.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        return numbers.decimal_text(value, places=places)

    def money(value: Decimal) -> str:
        return numbers.money(value, symbol)

    return Formats(currency=currency, number=number, money=money)


class ChartView(QWidget):
    """One figure on a canvas; ``draw(fn, data…)`` clears it and lets ``fn`` draw on it."""

    target_clicked = Signal(object)  # a chart target tuple
    target_menu_requested = Signal(object, object)  # a chart target tuple, the global QPoint (right click)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.figure: Any = None
        self.canvas: Any = None
        self.drawn: Any = None
        self._last: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]] | None = None
        self._drawn_width = 0
        # A chart fits its labels to the figure's width when it is drawn (how many month names, where a
        # subtitle wraps): after the canvas changes width, it is drawn again once the resizing settles.
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(150)
        self._redraw.timeout.connect(self._draw_again)
        scheme_changed().connect(self._redraw.start)  # light or dark now: drawn again
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel(_("Press “Compute” to see this chart."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        make_hint(self.placeholder)
        self._layout.addWidget(self.placeholder)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(220)

    def _ensure_canvas(self) -> None:
        if self.canvas is not None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(8, 5), dpi=100, layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName(f"{self.objectName()}Canvas")
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.mpl_connect("pick_event", self._picked)
        self.canvas.mpl_connect("motion_notify_event", self._hover)
        self.canvas.mpl_connect("resize_event", self._resized)
        self.placeholder.hide()
        self._layout.addWidget(self.canvas)

    def draw(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Draw a chart: ``fn(figure, *args, **kwargs)`` returns what its artists stand for."""
        self._ensure_canvas()
        self._last = (fn, args, kwargs)
        self._drawn_width = int(self.canvas.width())
        self.drawn = fn(self.figure, *args, **kwargs)
        from custdesk.analysis.chart_style import fit_titles

        fit_titles(self.figure)
        if is_dark(self):  # the window is dark: so is the chart (its meaningful colours stay)
            from custdesk.analysis.chart_style import use_dark_scheme

            use_dark_scheme(self.figure, self.palette().color(QPalette.ColorRole.Window).name())
        self.canvas.draw_idle()

    def _resized(self, _event: Any) -> None:
        if self._last is not None and abs(int(self.canvas.width()) - self._drawn_width) > 8:
            self._redraw.start()

    def _draw_again(self) -> None:
        if self._last is not None and self.canvas is not None:
            fn, args, kwargs = self._last
            self.draw(fn, *args, **kwargs)

    def _picked(self, event: Any) -> None:
        if self.drawn is None:
            return
        index = None
        ind = getattr(event, "ind", None)
        if ind is not None and len(ind):
            index = int(ind[len(ind) // 2])
        target = self.drawn.target_of(event.artist, index)
        if target is None:
            return
        if getattr(getattr(event, "mouseevent", None), "button", None) == 3:  # the right button: a menu
            from PySide6.QtGui import QCursor

            self.target_menu_requested.emit(target, QCursor.pos())
            return
        self.target_clicked.emit(target)

    def _hover(self, event: Any) -> None:
        if self.drawn is None or event.inaxes is None:
            self.canvas.unsetCursor()
            return
        over = any(artist.contains(event)[0] for artist in self.drawn.targets)
        if over:
            self.canvas.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.canvas.unsetCursor()

    def widget_point_of(self, artist: Any, index: int | None = None) -> tuple[int, int]:
        """Where on the canvas (widget pixels) an artist's middle, or a line's point, is (for tests)."""
        self.canvas.draw()
        if index is not None:
            x, y = artist.get_xydata()[index]
            px, py = artist.axes.transData.transform((x, y))
        else:
            box = artist.get_window_extent()
            px, py = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        ratio = self.canvas.device_pixel_ratio or 1
        return round(px / ratio), round(self.canvas.height() - py / ratio)


__all__ = ["ChartView", "qt_formats"]
