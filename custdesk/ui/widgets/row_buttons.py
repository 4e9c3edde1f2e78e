"""Push buttons painted in a cell of an item view: one click on a row's button, hundreds of rows cheaply.

Each item of the column carries its buttons in :data:`ButtonsRole` as ``[(key, label), ...]``; a click on
one emits ``clicked(key, index)``. Real widgets per row (``setIndexWidget``) would cost a widget each and
steal the keyboard focus from the view; the view's own shortcuts act on the current row instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QWidget,
)

ButtonsRole = int(Qt.ItemDataRole.UserRole) + 40
_GAP = 6
_PADDING = 18


def button_rects(
    rect: QRect, metrics: QFontMetrics, buttons: list[tuple[str, str]]
) -> list[tuple[str, QRect]]:
    """Where each button of a cell goes: left to right, vertically centred in ``rect``."""
    height = min(rect.height() - 4, metrics.height() + 8)
    top = rect.top() + (rect.height() - height) // 2
    x = rect.left() + 4
    out = []
    for key, text in buttons:
        width = metrics.horizontalAdvance(text) + _PADDING
        out.append((key, QRect(x, top, width, height)))
        x += width + _GAP
    return out


class RowButtonsDelegate(QStyledItemDelegate):
    """Paints an item's buttons and reports which one was clicked."""

    clicked = Signal(str, QModelIndex)

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view

    @staticmethod
    def buttons(index: QModelIndex | QPersistentModelIndex) -> list[tuple[str, str]]:
        value = index.data(ButtonsRole)
        return list(value) if isinstance(value, list | tuple) else []

    def rect_of(self, index: QModelIndex, key: str) -> QRect | None:
        """The button ``key`` of ``index`` in viewport coordinates (None: the row has no such button)."""
        cell = self.view.visualRect(index)
        for k, r in button_rects(cell, self.view.fontMetrics(), self.buttons(index)):
            if k == key:
                return r
        return None

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget: QWidget | None = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = option.rect  # type: ignore[attr-defined]
        metrics: QFontMetrics = option.fontMetrics  # type: ignore[attr-defined]
        buttons = self.buttons(index)
        for (_key, text), (_same, r) in zip(buttons, button_rects(rect, metrics, buttons), strict=True):
            button = QStyleOptionButton()
            button.rect = r
            button.text = text
            button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
            button.fontMetrics = metrics
            button.palette = option.palette  # type: ignore[attr-defined]
            style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, widget)

    def editorEvent(self, event: QEvent, model, option, index) -> bool:  # type: ignore[no-untyped-def]
        released = event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent)
        if released and event.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            pos = event.position().toPoint()  # type: ignore[attr-defined]
            for key, r in button_rects(option.rect, option.fontMetrics, self.buttons(index)):
                if r.contains(pos):
                    self.clicked.emit(key, index)
                    return True
        return super().editorEvent(event, model, option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        metrics: QFontMetrics = option.fontMetrics  # type: ignore[attr-defined]
        buttons = self.buttons(index)
        width = sum(metrics.horizontalAdvance(t) + _PADDING + _GAP for _k, t in buttons) + 8
        return QSize(width, metrics.height() + 14)
