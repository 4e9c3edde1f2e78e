"""Who are you? The sign-in dialog of a protected base (at open, and File > Switch user…).

The password is checked on the base worker (Argon2 takes a moment); a wrong one, or a user locked out
after five wrong tries, is said in the dialog, which stays open. A forgotten owner password is replaced
with the recovery key: the dialog says how (``custdesk-cli users recover``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.services import access, users
from custdesk.i18n import _
from custdesk.ui.tasks import TaskRunner


class LoginDialog(QDialog):
    """Name and password; on success ``actor`` is the signed-in user (already signed in)."""

    def __init__(self, runner: TaskRunner, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.runner, self.db = runner, db
        self.actor: access.Actor | None = None
        self.setWindowTitle(_("Sign in to {base}").format(base=db.path.name))
        intro = QLabel(_("This base is protected. Who are you?"))
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("loginName")
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("User:"), self.name)
        form.addRow(_("Password:"), self.password)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        forgot = QLabel(
            _(
                "Forgot the owner password? Replace it with the recovery key you wrote down when protection "
                "was turned on: custdesk-cli users --db BASE recover NAME."
            )
        )
        forgot.setObjectName("loginForgot")
        forgot.setWordWrap(True)
        forgot.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        forgot.setStyleSheet("color: palette(placeholder-text);")
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(ok_cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign in"))
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(forgot)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        signed = access.signed_in()
        if signed is not None and signed.protected:
            self.name.setText(signed.name)
            self.password.setFocus()

    def _try(self) -> None:
        name, password = self.name.text().strip(), self.password.text()
        if not name:
            self.message.setText(_("Type your user name."))
            return
        self.buttons.setEnabled(False)
        self.message.setText(_("Checking…"))
        self.runner.run(
            users.authenticate, self.db, name, password, on_done=self._signed, on_error=self._refused
        )

    def _signed(self, actor: access.Actor) -> None:
        self.buttons.setEnabled(True)
        access.sign_in(actor)
        self.actor = actor
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        if isinstance(exc, access.AccessDenied):
            self.message.setText(str(exc))
        else:
            self.message.setText(_("The sign-in failed: {error}").format(error=exc))


def who_text(db: Database) -> str:
    """The status bar's words for who is working (reads the cached protection state, no SQL)."""
    actor = access.current(db)
    if actor is access.NOBODY:
        return _("Not signed in")
    if not actor.protected:
        return _("Computer account: {name} (no users set up)").format(name=actor.name)
    return _("Signed in: {name} ({role})").format(name=actor.name, role=access.role_label(actor.role))


__all__ = ["LoginDialog", "who_text"]
