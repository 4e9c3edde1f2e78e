"""The funnel marker in a table cell: a colour swatch carrying the marker's letters.

Colour alone fails colour-blind users, so the letters (the interface language's) are always drawn on the
swatch in a colour that contrasts with it, and a red marker's swatch has a thick red outline and red
hatching, a shape cue beside the shade; the tooltip names the marker's meaning.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from custdesk.core.vocab import FUNNEL_MARKERS, RED_OUTLINE
from custdesk.ui.models.client_table import FunnelColourRole


def text_colour_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(background.redF()) + 0.7152 * channel(background.greenF())
    lum += 0.0722 * channel(background.blueF())
    return QColor("#000000") if lum > 0.35 else QColor("#FFFFFF")


def _red_colours() -> frozenset[str]:
    return frozenset(m.colour.upper() for m in FUNNEL_MARKERS if m.red)


def paint_swatch(
    painter: QPainter, rect: QRect, colour: QColor, letter: str, red: bool | None = None
) -> None:
    """A rounded swatch of ``colour`` with ``letter`` centred on it; a red marker's (``red``; None: told
    by its colour) outlined in red and hatched."""
    if red is None:
        red = colour.name().upper() in _red_colours()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = rect.adjusted(0, 0, -1, -1)
    painter.setPen(QPen(colour.darker(140), 1))
    painter.setBrush(colour)
    painter.drawRoundedRect(box, 4, 4)
    if red:
        outline = QColor(RED_OUTLINE)
        hatch = QColor(outline)
        hatch.setAlpha(150)
        painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(box, 4, 4)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(outline, 2.5))
        painter.drawRoundedRect(rect.adjusted(1, 1, -2, -2), 4, 4)
    font = painter.font()
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(text_colour_on(colour))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)
    painter.restore()


def swatch_width(metrics: QFontMetrics) -> int:
    """The width of a swatch that holds the widest letters of the interface language (drawn bold: a
    fifth wider than ``metrics`` measures them)."""
    widest = max(metrics.horizontalAdvance(m.letter) for m in FUNNEL_MARKERS)
    return max(widest * 6 // 5 + 12, metrics.horizontalAdvance("WWW") + 8, 30)


class FunnelDelegate(QStyledItemDelegate):
    """Paints the funnel column as a swatch with the marker's letter."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        colour = index.data(FunnelColourRole)
        letter = index.data(Qt.ItemDataRole.DisplayRole) or ""
        # The background (selection, hover, alternate rows) as the style draws it, without the text.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget: QWidget | None = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not isinstance(colour, QColor):
            return
        r: QRect = option.rect  # type: ignore[attr-defined]
        metrics = painter.fontMetrics()
        width = swatch_width(metrics)
        height = min(r.height() - 6, metrics.height() + 4)
        swatch = QRect(0, 0, width, height)
        swatch.moveCenter(r.center())
        paint_swatch(painter, swatch, colour, str(letter))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        width = swatch_width(option.fontMetrics) + 16  # type: ignore[attr-defined]
        return QSize(max(base.width(), width), base.height())
