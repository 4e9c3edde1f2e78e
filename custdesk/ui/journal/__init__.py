"""The journal window, undo, and the duplicate finder: Base > Journal, Base > Find duplicates, and
Client > History of changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from custdesk.i18n import _

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow


def base_menu(window: MainWindow) -> QMenu:
    """The Base menu (made once, before Client; other features may add to it)."""
    found = window.menuBar().findChild(QMenu, "baseMenu")
    if isinstance(found, QMenu):
        return found
    menu = QMenu(_("&Base"), window)
    menu.setObjectName("baseMenu")
    window.menuBar().insertMenu(window.client_menu.menuAction(), menu)
    return menu


def open_journal(window: MainWindow, client_id: int | None = None) -> object:
    """Open the journal window (one card's history when ``client_id`` is given)."""
    from custdesk.ui.journal.journal_window import JournalWindow

    dialog = JournalWindow(window.runner, window.db, window.bus, client_id, parent=window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_duplicates(window: MainWindow) -> object:
    """Open the duplicate finder."""
    from custdesk.ui.journal.duplicates_window import DuplicatesWindow

    dialog = DuplicatesWindow(window.runner, window.db, window.bus, parent=window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def install(window: MainWindow) -> None:
    """Base > Journal…, Base > Find duplicates…, Client > History of changes…."""
    menu = base_menu(window)
    journal = QAction(_("&Journal…"), window)
    journal.setObjectName("actJournal")
    journal.triggered.connect(lambda: open_journal(window))
    duplicates = QAction(_("Find &duplicates…"), window)
    duplicates.setObjectName("actFindDuplicates")
    duplicates.triggered.connect(lambda: open_duplicates(window))
    menu.addActions([journal, duplicates])

    history = QAction(_("&History of changes…"), window)
    history.setObjectName("actClientHistory")

    def client_history() -> None:
        row = window.clients.current_row()
        client_id = window.model.client_id(row) if row is not None else None
        open_journal(window, client_id)

    history.triggered.connect(client_history)
    window.client_menu.addSeparator()
    window.client_menu.addAction(history)
