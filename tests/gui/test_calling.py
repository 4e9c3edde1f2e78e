"""Calling from the PC: the phone goes to the tel: handler (one registered here with Qt's own
QDesktopServices.setUrlHandler, as a softphone registers with the system) and the contact log opens with
the call timer running; without any handler the number is copied and a message says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, QPoint, QSettings, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients, settings
from custdesk.ui.dialogs import client_card
from custdesk.ui.dialogs.client_card import ClientCardDialog
from custdesk.ui.main_window import MainWindow
from custdesk.ui.models.client_table import COLUMN_INDEX
from custdesk.ui.tasks import ChangeBus, TaskRunner


class Softphone(QObject):
    """What a softphone receives."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def dial(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def softphone() -> Iterator[Softphone]:
    phone = Softphone()
    QDesktopServices.setUrlHandler("tel", phone, "dial")
    try:
        yield phone
    finally:
        QDesktopServices.unsetUrlHandler("tel")


@pytest.fixture
def cid(db: Database) -> int:
    settings.set_values(db, {"phone_region": "FI"})
    return clients.create_client(db, ClientInput(name="Aino", phones=(PhoneInput("040 123 4567"),))).id


@pytest.fixture
def window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path, cid: int
) -> Iterator[MainWindow]:
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm={"currency": "EUR", "phone_region": "FI"})
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.model.total == 1 and not w.model.loading, timeout=5000)
    yield w
    for card in list(client_card._open_cards.values()):
        if shiboken6.isValid(card):
            card._closing_ok = True
            card.close()
    client_card._open_cards.clear()


def _card() -> ClientCardDialog | None:
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, ClientCardDialog) and w.isVisible()), None
    )


def test_a_click_on_a_phone_in_the_list_dials_and_opens_the_contact_log(
    qtbot: QtBot, window: MainWindow, softphone: Softphone
) -> None:
    index = window.model.index(0, COLUMN_INDEX["phone"])
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert softphone.urls == ["tel:+358401234567"]
    qtbot.waitUntil(lambda: _card() is not None and _card().is_loaded, timeout=5000)  # type: ignore[union-attr]
    card = _card()
    assert card is not None
    qtbot.waitUntil(lambda: card.tabs.currentWidget() is card.history, timeout=5000)
    assert card.history.timer.running


def test_the_cards_call_button(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, cid: int, softphone: Softphone
) -> None:
    card = ClientCardDialog(runner, db, bus, cid)  # deleted on close
    card.show()
    qtbot.waitUntil(lambda: card.is_loaded and card.call_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(card.call_button, Qt.MouseButton.LeftButton)
    assert softphone.urls == ["tel:+358401234567"]
    assert card.tabs.currentWidget() is card.history and card.history.timer.running
    card._closing_ok = True
    card.close()
    client_card._open_cards.clear()


@pytest.mark.qt_log_ignore("does not support QPlatformServices::openUrl")
def test_without_a_phone_program_the_number_is_copied_and_said(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, cid: int
) -> None:
    card = ClientCardDialog(runner, db, bus, cid)  # deleted on close
    card.show()
    qtbot.waitUntil(lambda: card.is_loaded and card.call_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(card.call_button, Qt.MouseButton.LeftButton)
    box = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "noSoftphone"
    )
    assert "+358401234567 is copied" in box.text()
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text() == "+358401234567"
    box.close()
    assert card.history.timer.running  # the call is recorded all the same, dialled by hand
    card._closing_ok = True
    card.close()
    client_card._open_cards.clear()


def test_a_click_on_a_phone_in_today_dials(
    qtbot: QtBot, window: MainWindow, db: Database, cid: int, softphone: Softphone
) -> None:
    from datetime import date

    from custdesk.core.services.calendar import move_call
    from custdesk.ui.today_view import COL

    move_call(db, cid, date.today())
    view = window.today_view  # type: ignore[attr-defined]
    window.show_tab(view)
    view.reload("change")
    qtbot.waitUntil(lambda: view.lists is not None and view.lists.today_count == 1, timeout=5000)
    row = view.sections["today"].child(0)
    rect = view.tree.visualItemRect(row)
    x = view.tree.header().sectionViewportPosition(COL["phone"]) + 10
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, rect.center().y()))
    assert softphone.urls == ["tel:+358401234567"]
    qtbot.waitUntil(lambda: _card() is not None and _card().history.timer.running, timeout=5000)  # type: ignore[union-attr]
