"""Users and access in the window: File > Users and access…, File > Switch user…, who in the status bar.

Switching user needs no restart: the new user is signed in, the status bar says who, and a ``user``
change goes out on the bus so that views that show profit (or not) follow the new role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from custdesk.core.dto import Change
from custdesk.core.services import access
from custdesk.i18n import _
from custdesk.ui.dialogs.login_dialog import LoginDialog, who_text

if TYPE_CHECKING:
    from custdesk.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    """Add the menu items and the status bar's user label to ``window``."""
    label = QLabel()
    label.setObjectName("userLabel")
    window.statusBar().addPermanentWidget(label)
    window.user_label = label  # type: ignore[attr-defined]

    users_action = QAction(_("&Users and access…"), window)
    users_action.setObjectName("usersAction")
    switch_action = QAction(_("S&witch user…"), window)
    switch_action.setObjectName("switchUserAction")

    def refresh(change: Change | None = None) -> None:
        if change is not None and change.entity not in ("user",):
            return
        label.setText(who_text(window.db))
        switch_action.setEnabled(access.is_protected(window.db))
        _profit_criterion(window, access.allows(window.db, access.Permission.SEE_PROFIT))
        _role_actions(window)

    def open_users() -> None:
        from custdesk.ui.dialogs.users_dialog import UsersDialog

        UsersDialog(window.runner, window.db, window.bus, window).exec()

    def switch_user() -> None:
        dialog = LoginDialog(window.runner, window.db, window)
        if dialog.exec():
            window.bus.changed.emit(Change("user"))

    users_action.triggered.connect(open_users)
    switch_action.triggered.connect(switch_user)
    menu = window.file_menu
    menu.insertActions(window.act_settings, [users_action, switch_action])
    window.bus.changed.connect(refresh)
    refresh()


def _role_actions(window: MainWindow) -> None:
    """Grey out what the role may not do (the services refuse it anyway; this spares a refusal)."""
    from PySide6.QtWidgets import QPushButton

    rules = {
        "actExportClients": access.Permission.EXPORT,
        "actExportPurchases": access.Permission.EXPORT,
        "actExportHistory": access.Permission.EXPORT,
        "actImport": access.Permission.IMPORT,
    }
    for name, permission in rules.items():
        action = window.findChild(QAction, name)
        if action is not None:
            action.setEnabled(access.allows(window.db, permission))
    window.act_restore.setEnabled(access.allows(window.db, access.Permission.RESTORE))
    button = window.findChild(QPushButton, "exportButton")
    if button is not None:  # the analysis tab's Export…: it enables itself once computed, so hide it
        button.setVisible(access.allows(window.db, access.Permission.EXPORT))


def _profit_criterion(window: MainWindow, shown: bool) -> None:
    """The analysis offers ranking by profit only to a user who sees profit."""
    from PySide6.QtWidgets import QComboBox

    combo = window.findChild(QComboBox, "criterion")
    if combo is None:
        return
    at = combo.findData("profit")
    if shown and at < 0:
        combo.addItem(_("profit"), "profit")
    elif not shown and at >= 0:
        if combo.currentIndex() == at:
            combo.setCurrentIndex(combo.findData("revenue"))
        combo.removeItem(at)


__all__ = ["install"]
