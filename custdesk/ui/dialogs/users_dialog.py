"""File > Users and access…: turn protection on, add and remove users, change passwords.

Without users the dialog explains protection and offers to add the owner (the first user turns it on
and must be an owner); the recovery key is then shown once, to be written down. Every change runs on the
base worker through :mod:`custdesk.core.services.users`, which also refuses what the signed-in user's
role may not do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.services import access, users
from custdesk.i18n import _, ngettext
from custdesk.ui.formatting import ui_locale
from custdesk.ui.tasks import ChangeBus, TaskRunner

ROLE_HELP = {
    "owner": lambda: _("Owner: everything."),
    "seller": lambda: _(
        "Seller: cards, history, calls, reminders and purchases; no profit, no export, a few cards in print."
    ),
    "viewer": lambda: _("Viewer: reads and runs the analysis; changes and exports nothing."),
}


class UserForm(QDialog):
    """A new user (name, role, password twice) or a new password for one (``name`` given)."""

    def __init__(self, parent: QWidget | None, *, first: bool, name: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userForm")
        self.setWindowTitle(_("New password for {name}").format(name=name) if name else _("Add a user"))
        form = QFormLayout()
        self.name = QLineEdit(name or "")
        self.name.setObjectName("userName")
        self.role = QComboBox()
        self.role.setObjectName("userRole")
        for role in ("owner",) if first else ("seller", "viewer", "owner"):
            self.role.addItem(access.role_label(role), role)
        self.role_help = QLabel()
        self.role_help.setWordWrap(True)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.password, self.again = QLineEdit(), QLineEdit()
        self.password.setObjectName("userPassword")
        self.again.setObjectName("userPasswordAgain")
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        if name is None:
            form.addRow(_("Name:"), self.name)
            form.addRow(_("Role:"), self.role)
            form.addRow("", self.role_help)
        form.addRow(_("Password:"), self.password)
        form.addRow(_("Again:"), self.again)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if first:
            note = QLabel(_("The first user is the owner: you. Protection is on once you are added."))
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self._role_changed()

    def _role_changed(self) -> None:
        self.role_help.setText(ROLE_HELP[str(self.role.currentData())]())

    def _check(self) -> None:
        if not self.name.text().strip():
            self.message.setText(_("A user needs a name."))
        elif self.password.text() != self.again.text():
            self.message.setText(_("The two passwords differ."))
        elif len(self.password.text()) < users.MIN_PASSWORD:
            self.message.setText(
                ngettext(
                    "A password needs at least {n} character.",
                    "A password needs at least {n} characters.",
                    users.MIN_PASSWORD,
                ).format(n=users.MIN_PASSWORD)
            )
        else:
            self.accept()


class UsersDialog(QDialog):
    """The users of the open base and what to do with them."""

    def __init__(
        self, runner: TaskRunner, db: Database, bus: ChangeBus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.runner, self.db, self.bus = runner, db, bus
        self.setWindowTitle(_("Users and access"))
        self.intro = QLabel()
        self.intro.setObjectName("usersIntro")
        self.intro.setWordWrap(True)
        self.intro.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([_("User"), _("Role"), _("Added")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addUser")
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setObjectName("removeUser")
        self.password_button = QPushButton(_("Change password…"))
        self.password_button.setObjectName("changePassword")
        self.add_button.clicked.connect(self.add_user)
        self.remove_button.clicked.connect(self.remove_user)
        self.password_button.clicked.connect(self.change_password)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        row = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.password_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(620, 420)
        self.rows: list[users.UserInfo] = []
        self.reload()

    def reload(self) -> None:
        self.runner.run(users.list_users, self.db, on_done=self._show)

    def _show(self, rows: list[users.UserInfo]) -> None:
        self.rows = rows
        locale = ui_locale()
        self.table.setRowCount(len(rows))
        for r, info in enumerate(rows):
            added = locale.toString(info.created_at.date(), locale.FormatType.ShortFormat)
            for c, text in enumerate((info.name, access.role_label(info.role), added)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if rows:
            self.intro.setText(
                _(
                    "Protection is on: whoever opens this base signs in, and each role may do only its part. "
                    "The journal names the signed-in user."
                )
            )
            self.add_button.setText(_("Add a user…"))
        else:
            self.intro.setText(
                _(
                    "Protection is off: anyone at this computer works as the owner, and the journal "
                    "names the computer's account. Add yourself as the owner to turn it on; then add "
                    "sellers and viewers."
                )
            )
            self.add_button.setText(_("Turn protection on…"))
        self.table.setVisible(bool(rows))
        owner = access.allows(self.db, access.Permission.USERS)
        self.add_button.setEnabled(owner)
        self._update_buttons()

    def _selected(self) -> users.UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self._selected()
        owner = access.allows(self.db, access.Permission.USERS)
        me = access.current(self.db).name
        self.remove_button.setEnabled(owner and chosen is not None)
        self.password_button.setEnabled(chosen is not None and (owner or chosen.name == me))

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, _("Users and access"), str(exc))

    def _changed(self, _result: object = None) -> None:
        self.bus.changed.emit(Change("user"))
        self.reload()

    def add_user(self) -> None:
        first = not self.rows
        form = UserForm(self, first=first)
        if not form.exec():
            return
        self.runner.run(
            users.add_user,
            self.db,
            form.name.text(),
            str(form.role.currentData()),
            form.password.text(),
            on_done=self._added,
            on_error=self._failed,
        )

    def _added(self, result: tuple[Change, users.Protection | None]) -> None:
        _change, protection = result
        if protection is not None:
            show_recovery_key(self, protection.recovery_key)
        self._changed()

    def remove_user(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        answer = QMessageBox.question(
            self, _("Users and access"), _("Remove the user {name}?").format(name=chosen.name)
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.runner.run(users.remove_user, self.db, chosen.name, on_done=self._changed, on_error=self._failed)

    def change_password(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        form = UserForm(self, first=False, name=chosen.name)
        if not form.exec():
            return
        self.runner.run(
            users.set_password,
            self.db,
            chosen.name,
            form.password.text(),
            on_done=self._changed,
            on_error=self._failed,
        )


def show_recovery_key(parent: QWidget, key: str) -> None:
    """Show the recovery key once, selectable, with what it is for."""
    box = QMessageBox(parent)
    box.setObjectName("recoveryKeyBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("Recovery key"))
    box.setText(_("Protection is on. Write down the recovery key; it is shown only now:"))
    box.setInformativeText(
        _(
            "{key}\n\nKeep it away from the computer. With it, and only with it, a forgotten owner "
            "password can be replaced."
        ).format(key=key)
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


__all__ = ["UserForm", "UsersDialog", "show_recovery_key"]
