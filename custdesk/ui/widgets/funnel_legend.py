"""The legend of the funnel markers, a click away from the list: each swatch as the list draws it (its
letters in the interface language, the red ones outlined and hatched), its name and what it means."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QToolButton, QWidget

from custdesk.core.vocab import FUNNEL_MARKERS, funnel_label
from custdesk.i18n import _
from custdesk.ui.widgets.funnel_delegate import paint_swatch, swatch_width


def swatch_pixmap(key: str, widget: QWidget) -> QPixmap:
    """The marker's swatch as the list paints it, at the widget's font size."""
    marker = next(m for m in FUNNEL_MARKERS if m.key == key)
    metrics = widget.fontMetrics()
    size = QSize(swatch_width(metrics), metrics.height() + 6)
    ratio = widget.devicePixelRatioF()
    pixmap = QPixmap(size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setFont(widget.font())
    paint_swatch(painter, QRect(QPoint(0, 0), size), QColor(marker.colour), marker.letter, marker.red)
    painter.end()
    return pixmap


class FunnelLegend(QFrame):
    """A pop-up table of the nine markers: swatch, name, meaning."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("funnelLegend")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        title = QLabel(_("Funnel markers"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        grid.addWidget(title, 0, 0, 1, 3)
        self.rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for row, marker in enumerate(FUNNEL_MARKERS, start=1):
            swatch = QLabel()
            swatch.setObjectName(f"legendSwatch-{marker.key}")
            swatch.setPixmap(swatch_pixmap(marker.key, self))
            name = QLabel(funnel_label(marker.key))
            meaning = QLabel(_(marker.meaning))
            meaning.setStyleSheet("color: palette(placeholder-text);")
            grid.addWidget(swatch, row, 0)
            grid.addWidget(name, row, 1)
            grid.addWidget(meaning, row, 2)
            self.rows[marker.key] = (swatch, name, meaning)
        note = QLabel(_("Red markers are outlined in red and hatched: the client stopped at that stage."))
        note.setWordWrap(True)
        grid.addWidget(note, len(FUNNEL_MARKERS) + 1, 0, 1, 3)

    def show_at(self, point: QPoint) -> None:
        """Show the legend with its corner at ``point`` (global), kept on the screen."""
        self.adjustSize()
        screen = self.screen().availableGeometry() if self.screen() else None
        x, y = point.x(), point.y()
        if screen is not None:
            x = max(screen.left(), min(x, screen.right() - self.width()))
            if y + self.height() > screen.bottom():
                y = max(screen.top(), y - self.height())
        self.move(x, y)
        self.show()


def legend_button(parent: QWidget) -> QToolButton:
    """A flat button that opens the legend above itself (for the list's status bar)."""
    button = QToolButton(parent)
    button.setObjectName("funnelLegendButton")
    button.setText(_("Marker legend"))
    button.setToolTip(_("What the funnel markers' colours and letters mean"))
    button.setAutoRaise(True)
    button.setIcon(swatch_pixmap("gold", button))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    holder: dict[str, FunnelLegend] = {}

    def show_legend() -> None:
        legend = holder.get("legend")
        if legend is None:
            legend = holder["legend"] = FunnelLegend(button)
        legend.adjustSize()
        legend.show_at(button.mapToGlobal(QPoint(0, -legend.sizeHint().height())))

    button.clicked.connect(show_legend)
    button.show_legend = show_legend  # type: ignore[attr-defined]
    return button
