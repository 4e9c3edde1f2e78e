"""Calling from the PC: a phone number clicked in the list, in Today or on a card goes to the system's
``tel:`` (or ``callto:``) handler — MicroSIP, Zoom Phone, Teams, Skype… — and the client's contact log
opens with the call timer running, so the call is recorded as it happens. Where no program takes such
links, a message says so and the number is copied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QTreeWidgetItem, QWidget

from custdesk.core.db import Database
from custdesk.i18n import _
from custdesk.ui.tasks import ChangeBus, TaskRunner

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow

SCHEMES = ("tel", "callto")


def dial(number: str, parent: QWidget | None) -> bool:
    """Hand ``number`` (E.164) to the softphone; False (the number copied, a message shown) when no
    program takes ``tel:`` or ``callto:`` links."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if not digits:
        return False
    for scheme in SCHEMES:
        if QDesktopServices.openUrl(QUrl(f"{scheme}:{digits}")):
            return True
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(digits)
    box = QMessageBox(
        QMessageBox.Icon.Information,
        _("Call"),
        _(
            "No program on this computer takes phone calls from links (tel: or callto:), such as MicroSIP, "
            "Zoom Phone, Teams or Skype. The number {number} is copied: paste it into your phone."
        ).format(number=digits),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("noSoftphone")
    box.open()
    return False


def call_client(
    runner: TaskRunner, db: Database, bus: ChangeBus, client_id: int, number: str, parent: QWidget | None
) -> object:
    """Dial ``number`` and open the client's contact log (the card's History) with the call timer running.

    Returns the card.
    """
    from custdesk.ui.dialogs.client_card import open_client_card

    dial(number, parent)
    card = open_client_card(runner, db, bus, client_id, parent)

    def start() -> None:
        card.tabs.setCurrentWidget(card.history)
        if not card.history.timer.running:
            card.history.timer.button.setChecked(True)

    if card.is_loaded:
        start()
    else:
        card.loaded.connect(start)
    return card


def install(window: MainWindow) -> None:
    """A click on a phone in the client list or in Today calls it."""
    from custdesk.ui.models.client_table import COLUMN_INDEX

    def from_list(index: QModelIndex) -> None:
        if index.column() != COLUMN_INDEX["phone"]:
            return
        row = window.model.client_row(index.row())
        if row is not None and row.phone:
            call_client(window.runner, window.db, window.bus, row.id, row.phone, window)

    window.table.clicked.connect(from_list)
    view = getattr(window, "today_view", None)
    if view is not None:
        from custdesk.ui.today_view import COL, EntryRole

        def from_today(item: QTreeWidgetItem, column: int) -> None:
            entry = item.data(0, EntryRole)
            if column == COL["phone"] and entry is not None and getattr(entry, "phone", None):
                call_client(window.runner, window.db, window.bus, entry.client_id, entry.phone, window)

        view.tree.itemClicked.connect(from_today)
