"""Users and access in the window: the users dialog turns protection on, the login dialog signs in,
the status bar names the user, switching user needs no restart, and a seller sees no profit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from custdesk.core.db import Database
from custdesk.core.dto import Change, ClientInput, EmailInput, PurchaseInput
from custdesk.core.services import access, clients, purchases, users
from custdesk.ui.dialogs.login_dialog import LoginDialog
from custdesk.ui.dialogs.users_dialog import UserForm, UsersDialog
from custdesk.ui.main_window import MainWindow
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.widgets.purchases_panel import PurchasesPanel

OWNER_PW, SELLER_PW = "owner-secret-1", "seller-secret-2"


@pytest.fixture(autouse=True)
def _signed_out() -> Iterator[None]:
    access.sign_in(None)
    yield
    access.sign_in(None)


@pytest.fixture
def window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> Iterator[MainWindow]:
    card = clients.create_client(db, ClientInput(name="Anna", emails=(EmailInput("anna@example.com"),)))
    purchases.add_purchase(
        db, card.id, PurchaseInput(date(2024, 3, 1), Decimal("100.00"), profit=Decimal("30.00"))
    )
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm={"currency": "USD", "phone_region": "US"})
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def _user_label(w: MainWindow) -> str:
    label = w.findChild(QLabel, "userLabel")
    assert label is not None
    return label.text()


def _fill_form_then_ok(qtbot: QtBot, name: str, password: str) -> None:
    def fill() -> None:
        form = next(x for x in QApplication.topLevelWidgets() if isinstance(x, UserForm) and x.isVisible())
        form.name.setText(name)
        form.password.setText(password)
        form.again.setText(password)
        form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)


def test_the_users_dialog_turns_protection_on_and_shows_the_key_once(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    assert _user_label(window).startswith("Computer account: ")
    dialog = UsersDialog(runner, db, bus, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.add_button.text() == "Turn protection on…")
    assert "Protection is off" in dialog.intro.text()
    keys: list[str] = []

    def close_key_box() -> None:
        box = next(
            (
                x
                for x in QApplication.topLevelWidgets()
                if isinstance(x, QMessageBox) and x.objectName() == "recoveryKeyBox" and x.isVisible()
            ),
            None,
        )
        if box is None:
            QTimer.singleShot(50, close_key_box)
            return
        keys.append(box.informativeText().split()[0])
        box.accept()

    _fill_form_then_ok(qtbot, "Olga", OWNER_PW)
    QTimer.singleShot(0, close_key_box)
    dialog.add_button.click()
    qtbot.waitUntil(lambda: bool(keys) and dialog.table.rowCount() == 1, timeout=10000)
    assert len(keys[0]) == 35 and users.is_protected(db)
    assert dialog.table.item(0, 0).text() == "Olga" and dialog.table.item(0, 1).text() == "owner"
    qtbot.waitUntil(lambda: _user_label(window) == "Signed in: Olga (owner)")
    dialog.close()


def test_login_then_switch_to_a_seller_without_restart(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    users.add_user(db, "Olga", "owner", OWNER_PW)
    users.add_user(db, "Sam", "seller", SELLER_PW)
    access.sign_in(None)
    login = LoginDialog(runner, db, window)
    qtbot.addWidget(login)
    login.name.setText("Sam")
    login.password.setText("wrong-password")
    login.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: login.message.text() == "Wrong user name or password.", timeout=10000)
    assert access.current(db) is access.NOBODY
    login.password.setText(SELLER_PW)
    login.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: login.result() == 1, timeout=10000)
    assert access.current(db).name == "Sam"
    bus.changed.emit(Change("user"))
    assert _user_label(window) == "Signed in: Sam (seller)"
    combo = window.findChild(QComboBox, "criterion")
    assert combo is not None and combo.findData("profit") < 0  # the seller cannot rank by profit
    assert not window.findChild(QAction, "actExportClients").isEnabled()
    assert not window.act_restore.isEnabled()
    panel = PurchasesPanel(runner, db)
    qtbot.addWidget(panel)
    assert panel.table.isColumnHidden(2)
    # Back to the owner: profit comes back, no restart.
    access.sign_in(users.authenticate(db, "Olga", OWNER_PW))
    bus.changed.emit(Change("user"))
    assert _user_label(window) == "Signed in: Olga (owner)" and combo.findData("profit") >= 0
    assert not PurchasesPanel(runner, db).table.isColumnHidden(2)
    assert window.findChild(QAction, "actExportClients").isEnabled() and window.act_restore.isEnabled()


def test_the_owner_is_warned_at_start_of_a_rewritten_journal(
    qtbot: QtBot, session: object, tmp_path: Path
) -> None:
    import sqlite3

    from custdesk.core.db import open_base
    from custdesk.ui.session import Session

    assert isinstance(session, Session)
    path = tmp_path / "shop.sqlite"
    with open_base(path, auto_backup=False) as db:
        for n in range(3):
            clients.create_client(db, ClientInput(name=f"C{n}", emails=(EmailInput(f"c{n}@example.com"),)))
    con = sqlite3.connect(path)
    con.execute("DELETE FROM audit WHERE chain_seq = 2")
    con.commit()
    con.close()
    session.open_path(path)

    def warned() -> QMessageBox | None:
        return next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.objectName() == "journalBrokenBox"
            ),
            None,
        )

    qtbot.waitUntil(lambda: warned() is not None, timeout=10000)
    box = warned()
    assert box is not None and "link 2" in box.text()
    box.close()
