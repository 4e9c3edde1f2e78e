"""The card's "Do not mail" flag: a check box, the day the client asked and the reason.

Ticking it asks for the day (today by default) and the reason, then saves at once through
``custdesk.core.services.mailings.set_do_not_mail`` on the base worker (like archiving, it is not part of
the card's Save); every mailing leaves such a client out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.services.mailings import DoNotMail, do_not_mail_of, set_do_not_mail
from custdesk.i18n import _
from custdesk.ui.tasks import TaskRunner, show_error
from custdesk.ui.widgets.fields import date_edit, date_text, guarded, qdate_to_date


class DoNotMailDialog(QDialog):
    """Ask when the client asked not to be mailed, and why."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Do not mail"))
        self.on = date_edit(QDate.currentDate())
        self.on.setObjectName("doNotMailOn")
        self.reason = QLineEdit()
        self.reason.setObjectName("doNotMailReason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(_("e.g. asked by phone"))
        intro = QLabel(_("{name} is left out of every mailing from now on.").format(name=name))
        intro.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(_("Asked on:"), self.on)
        form.addRow(_("Reason:"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> tuple[date, str]:
        """The day and the reason typed."""
        return qdate_to_date(self.on.date()), self.reason.text().strip()


def do_not_mail_text(flag: DoNotMail) -> str:
    """ "since 01.03.2025: asked by phone" beside the check box ("" when not flagged)."""
    if not flag.do_not_mail:
        return ""
    if flag.on is not None and flag.reason:
        return _("since {date}: {reason}").format(date=date_text(flag.on), reason=flag.reason)
    if flag.on is not None:
        return _("since {date}").format(date=date_text(flag.on))
    return flag.reason


class DoNotMailBox(QWidget):
    """The flag on a card; ``changed`` carries what was saved."""

    changed = Signal(object)

    def __init__(
        self, runner: TaskRunner, db: Database, name: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self._name = runner, db, name
        self.client_id: int | None = None
        self.check = QCheckBox(_("Do not mail"))
        self.check.setObjectName("doNotMail")
        self.check.setToolTip(_("The client asked not to get mailings: every mailing leaves it out."))
        self.detail = QLabel()
        self.detail.setObjectName("doNotMailDetail")
        self.detail.setProperty("role", "hint")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.detail, 1)
        self.check.clicked.connect(self._clicked)
        self.setEnabled(False)

    def set_client(self, client_id: int | None) -> None:
        """Show the flag of ``client_id`` (None: a new card, not saved yet)."""
        self.client_id = client_id
        self.setEnabled(client_id is not None)
        self.reload()

    def reload(self) -> None:
        """Read the flag again."""
        if self.client_id is None:
            self._show(DoNotMail(False))
            return
        self.runner.run(do_not_mail_of, self.db, self.client_id, on_done=guarded(self, self._show))

    def _show(self, flag: DoNotMail) -> None:
        self.check.setChecked(flag.do_not_mail)
        self.detail.setText(do_not_mail_text(flag))

    def _clicked(self, checked: bool) -> None:
        if self.client_id is None:
            return
        client_id = self.client_id
        if checked:
            dialog = DoNotMailDialog(self._name(), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                self.check.setChecked(False)
                return
            on, reason = dialog.value()
            work = lambda: set_do_not_mail(self.db, client_id, True, reason=reason, on=on)  # noqa: E731
        else:
            work = lambda: set_do_not_mail(self.db, client_id, False)  # noqa: E731

        def done(change: Change) -> None:
            self.reload()
            self.changed.emit(change)

        def failed(exc: BaseException) -> None:
            self.reload()
            show_error(self, exc)

        self.runner.run(work, on_done=guarded(self, done), on_error=guarded(self, failed))
