"""A layout that lays its items out in a row and wraps them onto the next line when the row is too narrow.

A row of controls whose words are long in some language (Russian, Finnish) would otherwise set the
minimum width of the whole window; here it only costs a line. It follows the layout direction (right to
left for Persian) and, like a box layout, takes ``addWidget``, ``addSpacing`` and ``addStretch`` (a
stretch pushes what follows it to the far end of its line).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QSpacerItem, QStyle, QWidget


class FlowLayout(QLayout):
    """Items left to right (right to left in RTL), wrapped onto as many lines as the width needs."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch_after: set[int] = set()  # indexes of items a stretch follows
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # --- QLayout ---------------------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        if 0 <= index < len(self._items):
            self._stretch_after = {i - (i > index) for i in self._stretch_after if i != index}
            return self._items.pop(index)
        return None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        # One line, as wide as everything side by side.
        width = sum(i.sizeHint().width() for i in self._items) + self._gap * max(0, len(self._items) - 1)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        # The widest single item: everything else may wrap.
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # --- box-layout habits -------------------------------------------------------------------------------

    def addSpacing(self, size: int) -> None:
        """A fixed gap (dropped where the line wraps)."""
        self.addItem(QSpacerItem(size, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))

    def addStretch(self, _stretch: int = 0) -> None:
        """What follows goes to the far end of the line it lands on."""
        self._stretch_after.add(len(self._items) - 1)

    # --- the work ----------------------------------------------------------------------------------------

    def _lines(self, width: int) -> list[list[int]]:
        lines: list[list[int]] = [[]]
        used = 0
        for index, item in enumerate(self._items):
            if item.isEmpty() and not isinstance(item, QSpacerItem):
                continue
            w = item.sizeHint().width()
            line = lines[-1]
            needed = w if not line else used + self._gap + w
            if line and needed > width:
                lines.append([])
                line, needed = lines[-1], w
            if isinstance(item, QSpacerItem) and not line:
                continue  # no gap at the start of a line
            line.append(index)
            used = needed
        return [line for line in lines if line]

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = area.y()
        parent = self.parentWidget()
        direction = parent.layoutDirection() if parent is not None else Qt.LayoutDirection.LeftToRight
        for line in self._lines(area.width()):
            height = max(self._items[i].sizeHint().height() for i in line)
            widths = [min(self._items[i].sizeHint().width(), area.width()) for i in line]
            spare = max(0, area.width() - sum(widths) - self._gap * (len(line) - 1))
            stretch_at = next((n for n, i in enumerate(line[:-1]) if i in self._stretch_after), None)
            x = area.x()
            for n, (index, w) in enumerate(zip(line, widths, strict=True)):
                item = self._items[index]
                if apply:
                    box = QRect(QPoint(x, y + (height - item.sizeHint().height()) // 2), QSize(w, height))
                    box.setHeight(item.sizeHint().height())
                    item.setGeometry(QStyle.visualRect(direction, area, box))
                x += w + self._gap
                if n == stretch_at:
                    x += spare
            y += height + self._gap
        return y - self._gap - rect.y() + m.bottom() if self._items else 0
