"""The two small dialogs of the Today view: "Called…" (the outcome and a note) and "Snooze to…" (a day).

Both only collect a choice; the view runs the service and reports the result. The keyboard does
everything: the outcome list has the focus, Enter logs the call; the snooze dialog's quick choices
have mnemonics (Alt+T tomorrow, Alt+N next week).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.vocab import OUTCOMES, label
from custdesk.i18n import _
from custdesk.ui.formatting import apply_calendar, format_date, isolate_text, to_qdate, ui_locale

# The outcomes offered after a call, the usual ones first ("no outcome" makes no sense for a call made).
CALL_OUTCOMES: tuple[str, ...] = (
    "reached",
    "no-answer",
    "interested",
    "presentation",
    "mailing-ok",
    "asked-info",
    "refused",
    "ended",
)


class CallDialog(QDialog):
    """Log a call made to a client: the outcome and an optional note."""

    def __init__(self, client_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callDialog")
        self.setWindowTitle(_("Called {name}").format(name=client_name))
        self.setMinimumWidth(420)
        intro = QLabel(_("How did the call with {name} go?").format(name=isolate_text(client_name)))
        intro.setWordWrap(True)
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        for key in CALL_OUTCOMES:
            self.outcome.addItem(label(OUTCOMES, key), key)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(_("What was said, the next step (optional)"))
        form = QFormLayout()
        form.addRow(_("&Outcome:"), self.outcome)
        form.addRow(_("&Note:"), self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.log_button = self.buttons.addButton(_("&Log the call"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        hint = QLabel(_("The next call is scheduled by the client's call cycle."))
        hint.setProperty("role", "hint")
        hint.setEnabled(False)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.log_button.setDefault(True)  # once in the dialog: Enter logs the call
        self.outcome.setFocus(Qt.FocusReason.OtherFocusReason)

    def chosen_outcome(self) -> str:
        """The outcome's key (``reached``, ``refused``...)."""
        return str(self.outcome.currentData())

    def note_text(self) -> str:
        """The note as typed, trimmed."""
        return self.note.text().strip()


class SnoozeDialog(QDialog):
    """Move a client's next call: tomorrow, next week, or a day from the calendar."""

    def __init__(self, client_name: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snoozeDialog")
        self.today = today
        self.setWindowTitle(_("Snooze the call to {name}").format(name=client_name))
        self.setMinimumWidth(420)
        intro = QLabel(_("Call {name} on another day:").format(name=isolate_text(client_name)))
        intro.setWordWrap(True)
        tomorrow, next_week = today + timedelta(days=1), today + timedelta(days=7)
        self.tomorrow_button = QPushButton(_("&Tomorrow, {date}").format(date=format_date(tomorrow)))
        self.tomorrow_button.setObjectName("tomorrow")
        self.week_button = QPushButton(_("&Next week, {date}").format(date=format_date(next_week)))
        self.week_button.setObjectName("nextWeek")
        self.tomorrow_button.clicked.connect(lambda: self._choose(tomorrow))
        self.week_button.clicked.connect(lambda: self._choose(next_week))
        quick = QHBoxLayout()
        quick.addWidget(self.tomorrow_button)
        quick.addWidget(self.week_button)

        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("snoozeDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setLocale(ui_locale())
        self.date_edit.setDisplayFormat(ui_locale().dateFormat(QLocale.FormatType.ShortFormat))
        self.date_edit.setMinimumDate(to_qdate(today))
        self.date_edit.setDate(to_qdate(tomorrow))
        apply_calendar(self.date_edit)  # the Jalali calendar when chosen
        form = QFormLayout()
        form.addRow(_("Or pick a &day:"), self.date_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(quick)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _choose(self, day: date) -> None:
        self.date_edit.setDate(to_qdate(day))
        self.accept()

    def chosen_date(self) -> date:
        """The day chosen."""
        q: QDate = self.date_edit.date()
        return date(q.year(), q.month(), q.day())
