"""The empty base's pointer to the import: shown over the Clients tab while the base has no clients.

A new owner who chose "Start an empty base" sees an empty list; the pointer says how to bring the old
Excel or Access base in, with a button that opens the import wizard. It goes as soon as a client exists
(it reads the list model's count without search and filters: no SQL of its own).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLabel, QPushButton, QVBoxLayout

from custdesk.i18n import _


class EmptyBasePointer(QFrame):
    """A note with a button, centred over a list's viewport while the base is empty."""

    def __init__(self, view: QAbstractItemView, open_import: Callable[[], None]) -> None:
        super().__init__(view.viewport())
        self.setObjectName("emptyBasePointer")
        self.view = view
        self.label = QLabel(
            _(
                "The base has no clients yet. Bring in your old base: an Excel or LibreOffice workbook, "
                "a CSV file, contacts from a phone or mail program, or an Access base. Nothing in it is "
                "lost, and you see what will land before anything is written."
            )
        )
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton(_("Bring my Excel / Access base…"))
        self.button.setObjectName("emptyBaseImport")
        self.button.clicked.connect(open_import)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignCenter)
        self.hide()
        view.viewport().installEventFilter(self)

    def set_empty(self, empty: bool) -> None:
        """Show the pointer while the base is empty."""
        self.setVisible(empty)
        if empty:
            self._place()

    def _place(self) -> None:
        area = self.view.viewport().rect()
        width = min(560, max(200, area.width() - 40))
        self.setFixedWidth(width)
        self.adjustSize()
        self.move(area.center().x() - width // 2, max(10, area.height() // 3 - self.height() // 2))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False


__all__ = ["EmptyBasePointer"]
