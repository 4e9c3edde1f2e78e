"""The funnel board: a bar per funnel marker with its colour, letter and count, the conversion between
neighbouring stages, the red markers beside their stages, and the temperatures.

A window opened from View → Funnel board (not a main tab): the owner looks at it now and then, not all
day, and as a separate window it can stay open beside the client list; a click on a bar (or Space on
the focused bar) filters the list to that marker and brings the list to the front, so the board and the
clients behind a figure are seen together. The conversion is defined in
:mod:`custdesk.core.services.funnel`. The board reloads while it is open whenever the base changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.services import funnel
from custdesk.core.services.funnel import FunnelBoard
from custdesk.core.vocab import FUNNEL_BY_KEY, TEMPERATURES, funnel_label, label
from custdesk.i18n import _, ngettext
from custdesk.ui import theme
from custdesk.ui.formatting import format_number, ui_locale
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.theme import fit_to_screen
from custdesk.ui.widgets.flow_layout import FlowLayout
from custdesk.ui.widgets.funnel_delegate import paint_swatch, swatch_width

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow

BOARD_ENTITIES = frozenset({"client", "interaction", "purchase", "base"})
RELOAD_DELAY_MS = 300


def percent_text(value: Decimal | None) -> str:
    """A conversion as :func:`funnel.conversion_percent` rounds it, in the language ("—" without)."""
    if value is None:
        return "—"
    return _("{value}%").format(value=ui_locale().toString(float(value), "f", 1))


class MarkerBar(QAbstractButton):
    """One marker: its swatch with the letter, its name, a bar as long as its share, and the count."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.marker = FUNNEL_BY_KEY[key]
        self.count = 0
        self.scale = 1
        self.setObjectName(f"bar-{key}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(
            _("{marker}: {meaning}. Click to see these clients in the list.").format(
                marker=funnel_label(key), meaning=_(self.marker.meaning)
            )
        )
        self.setAccessibleName(funnel_label(key))

    def set_count(self, count: int, scale: int) -> None:
        """The count to show and the largest count of the board (the full bar length)."""
        self.count, self.scale = count, max(scale, 1)
        self.setAccessibleDescription(format_number(count))
        self.update()

    def count_text(self) -> str:
        return format_number(self.count)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(320, metrics.height() + 14)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, self.fontMetrics().height() + 14)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.rect().adjusted(1, 1, -1, -1)
        pal = self.palette()
        if self.underMouse() or self.hasFocus():
            painter.setPen(pal.color(QPalette.ColorRole.Highlight))
            painter.setBrush(pal.color(QPalette.ColorRole.AlternateBase))
            painter.drawRoundedRect(r, 4, 4)
        metrics = self.fontMetrics()
        swatch_w = max(swatch_width(metrics), 38)
        swatch = QRect(r.left() + 4, r.top() + 3, swatch_w, r.height() - 6)
        paint_swatch(painter, swatch, QColor(self.marker.colour), self.marker.letter, self.marker.red)
        name_w = metrics.horizontalAdvance("platinum-red") + 16
        name_rect = QRect(swatch.right() + 8, r.top(), name_w, r.height())
        painter.setPen(pal.color(QPalette.ColorRole.WindowText))
        elided = metrics.elidedText(funnel_label(self.key), Qt.TextElideMode.ElideRight, name_w)
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
        count_w = metrics.horizontalAdvance("000,000") + 8
        count_rect = QRect(r.right() - count_w, r.top(), count_w - 4, r.height())
        painter.drawText(
            count_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self.count_text()
        )
        track = QRect(
            name_rect.right() + 4, r.top() + 5, count_rect.left() - name_rect.right() - 12, r.height() - 10
        )
        if track.width() > 4:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pal.color(QPalette.ColorRole.Midlight))
            painter.drawRoundedRect(track, 3, 3)
            if self.count:
                filled = QRect(track)
                filled.setWidth(max(3, round(track.width() * self.count / self.scale)))
                colour = QColor(self.marker.colour)
                painter.setPen(colour.darker(130))
                painter.setBrush(colour)
                painter.drawRoundedRect(filled, 3, 3)
        painter.end()


class FunnelBoardWidget(QWidget):
    """The board's contents: stages with conversions, red markers beside, temperatures."""

    marker_clicked = Signal(str)
    temperature_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board: FunnelBoard | None = None
        self.summary = QLabel()
        self.summary.setObjectName("boardSummary")
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)
        self.bars: dict[str, MarkerBar] = {}
        self.conversions: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(0)
        head_stage = QLabel(_("Stages of the funnel"))
        head_red = QLabel(_("Stopped at this stage (red)"))
        for head in (head_stage, head_red):
            theme.make_hint(head)
            head.setWordWrap(True)
        grid.addWidget(head_stage, 0, 0)
        grid.addWidget(head_red, 0, 1)
        row = 1
        for i, key in enumerate(funnel.STAGES):
            if i:
                conv = QLabel()
                conv.setObjectName(f"conversion-{key}")
                conv.setIndent(54)
                conv.setWordWrap(True)  # long in some languages: a second line, not a wider window
                grid.addWidget(conv, row, 0)
                self.conversions[key] = conv
                row += 1
            grid.addWidget(self._bar(key), row, 0)
            red = funnel.RED_OF.get(key)
            if red:
                grid.addWidget(self._bar(red), row, 1)
            row += 1
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        self.temperature_buttons: dict[str, QPushButton] = {}
        temps = FlowLayout()
        temps.addWidget(QLabel(_("Temperature:")))
        for key in TEMPERATURES:
            button = QPushButton()
            button.setObjectName(f"temperature-{key}")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _checked=False, k=key: self.temperature_clicked.emit(k))
            temps.addWidget(button)
            self.temperature_buttons[key] = button
        temps.addStretch(1)
        note = QLabel(
            _("{rule} Click a bar to see its clients in the list.").format(rule=_(funnel.CONVERSION_RULE))
        )
        note.setObjectName("boardNote")
        note.setWordWrap(True)
        theme.make_hint(note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addLayout(temps)
        layout.addWidget(note)
        layout.addStretch(1)

    def _bar(self, key: str) -> MarkerBar:
        bar = MarkerBar(key)
        bar.clicked.connect(lambda _checked=False, k=key: self.marker_clicked.emit(k))
        self.bars[key] = bar
        return bar

    def show_board(self, board: FunnelBoard) -> None:
        """Show ``board``'s figures."""
        self.board = board
        self.summary.setText(
            ngettext(
                "Funnel of {count} active client", "Funnel of {count} active clients", board.total
            ).format(count=format_number(board.total))
        )
        scale = max(board.counts.values(), default=0)
        for key, bar in self.bars.items():
            bar.set_count(board.counts[key], scale)
        previous = funnel.STAGES[0]
        for stage in board.stages[1:]:
            self.conversions[stage.key].setText(
                _("↓ {percent} of the clients who reached {previous} also reached {stage}").format(
                    percent=percent_text(stage.conversion_percent),
                    previous=funnel_label(previous),
                    stage=funnel_label(stage.key),
                )
            )
            previous = stage.key
        for key, button in self.temperature_buttons.items():
            button.setText(
                _("{temperature}: {count}").format(
                    temperature=label(TEMPERATURES, key), count=format_number(board.temperatures[key])
                )
            )
        self._reserve_wrapped_lines()

    def _reserve_wrapped_lines(self) -> None:
        # A grid gives a word-wrapped label one line's height: its second line would run under the next
        # row. Each conversion line is kept as tall as its text needs at its present width.
        for conv in self.conversions.values():
            needed = conv.heightForWidth(conv.width()) if conv.width() > conv.indent() else -1
            if needed > 0:  # -1: no text yet, nothing to reserve
                conv.setMinimumHeight(needed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reserve_wrapped_lines()


class FunnelBoardDialog(QDialog):
    """The board in its own window, reloaded while open when the base changes."""

    def __init__(
        self, runner: TaskRunner, db: Database, bus: ChangeBus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("funnelBoard")
        self.runner, self.db, self.bus = runner, db, bus
        self.setWindowTitle(_("Funnel board"))
        self.setModal(False)
        self.board_widget = FunnelBoardWidget()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.board_widget)
        layout.addWidget(buttons)
        fit_to_screen(self, 780, 440)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RELOAD_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        bus.changed.connect(self._on_change)
        self.reload()

    def reload(self) -> None:
        """Read the board again."""
        self.runner.run(funnel.board, self.db, on_done=self._show)

    def _show(self, board: FunnelBoard) -> None:
        if shiboken6.isValid(self):
            self.board_widget.show_board(board)
            self._fit_height()

    def _fit_height(self) -> None:
        """Grow to the height the texts now need at this width (wrapped conversion lines take two), as far
        as the screen allows."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = self.width()
        if layout.hasHeightForWidth():
            needed = layout.totalHeightForWidth(width)
        else:
            needed = layout.totalSizeHint().height()
        if needed > self.height():
            fit_to_screen(self, width, needed)

    def _on_change(self, change: Change) -> None:
        if shiboken6.isValid(self) and self.isVisible() and change.entity in BOARD_ENTITIES:
            self._timer.start()


def show_clients(
    window: MainWindow, *, funnels: tuple[str, ...] = (), temperatures: tuple[str, ...] = ()
) -> None:
    """Filter the client list to these markers (or temperatures) and bring it to the front."""
    if window.search.text():
        window.search.clear()
    window.filters.set_funnels(funnels, temperatures)
    window.filters_dock.show()
    window.show_client_list()
    window.raise_()
    window.activateWindow()


def install(window: MainWindow) -> None:
    """View → Funnel board (Ctrl+Shift+B): the board in its own window, one per main window."""
    holder: dict[str, FunnelBoardDialog] = {}

    def open_board() -> FunnelBoardDialog:
        dialog = holder.get("board")
        if dialog is None or not shiboken6.isValid(dialog):
            dialog = FunnelBoardDialog(window.runner, window.db, window.bus, window)
            dialog.board_widget.marker_clicked.connect(lambda key: show_clients(window, funnels=(key,)))
            dialog.board_widget.temperature_clicked.connect(
                lambda key: show_clients(window, temperatures=(key,))
            )
            holder["board"] = dialog
        else:
            dialog.reload()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    act = QAction(_("Funnel &board…"), window)
    act.setObjectName("actFunnelBoard")
    act.setShortcut(QKeySequence("Ctrl+Shift+B"))
    act.setStatusTip(_("Clients per funnel marker and the conversion between stages"))
    act.triggered.connect(open_board)
    window.addAction(act)
    window.view_menu.addSeparator()
    window.view_menu.addAction(act)
    window.open_funnel_board = open_board  # type: ignore[attr-defined]

    from custdesk.ui.widgets.funnel_legend import legend_button

    window.funnel_legend_button = legend_button(window)  # type: ignore[attr-defined]
    window.statusBar().addPermanentWidget(window.funnel_legend_button)  # type: ignore[attr-defined]
