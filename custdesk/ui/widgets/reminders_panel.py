"""The Reminders tab of the client card: what to do for the client and when; add, complete, snooze.

Open reminders come first by due day (overdue ones in red); "Show done" adds the completed ones.
Snoozing moves a reminder to tomorrow, in three days or in a week.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from PySide6.QtCore import QDate, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTimeEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.errors import ValidationFailed
from custdesk.core.services import reminders
from custdesk.core.services.reminders import ReminderDTO
from custdesk.core.vocab import REMINDER_KINDS, label
from custdesk.i18n import _
from custdesk.ui.formatting import ui_locale
from custdesk.ui.tasks import TaskRunner, show_error
from custdesk.ui.widgets.fields import (
    ERROR_COLOUR,
    date_edit,
    date_text,
    datetime_text,
    error_label,
    guarded,
    qdate_to_date,
)


class RemindersPanel(QWidget):
    """The client's reminders; ``reminders_changed`` after a change."""

    reminders_changed = Signal()

    def __init__(self, runner: TaskRunner, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.db = runner, db
        self.client_id: int | None = None
        self.items: list[ReminderDTO] = []

        self.kind = QComboBox()
        for key in REMINDER_KINDS:
            self.kind.addItem(label(REMINDER_KINDS, key), key)
        self.due = date_edit(QDate.currentDate().addDays(1))
        self.timed = QCheckBox(_("at"))
        self.timed.setObjectName("reminder_timed")
        self.timed.setToolTip(_("The time of day the reminder is due at."))
        self.at = QTimeEdit(QTime(10, 0))
        self.at.setObjectName("reminder_time")
        self.at.setDisplayFormat(ui_locale().timeFormat(QLocale.FormatType.ShortFormat))
        self.at.setEnabled(False)
        # A time reads left to right in every language (Qt would swap the hour and minute sections).
        self.at.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.timed.toggled.connect(self.at.setEnabled)
        self.text = QLineEdit()
        self.text.setObjectName("reminder_text")
        self.text.setPlaceholderText(_("What to do, e.g. offer the spring catalogue"))
        self.add_button = QPushButton(_("Add reminder"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_reminder)
        self.error = error_label()
        self.text.textChanged.connect(lambda _t: self.error.setVisible(False))

        form_group = QGroupBox(_("New reminder"))
        form = QVBoxLayout(form_group)
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(QLabel(_("on")))
        row.addWidget(self.due)
        row.addWidget(self.timed)
        row.addWidget(self.at)
        row.addWidget(self.text, 1)
        row.addWidget(self.add_button)
        form.addLayout(row)
        form.addWidget(self.error)

        self.tree = QTreeWidget()
        self.tree.setObjectName("reminders_tree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([_("Due"), _("Kind"), _("What to do"), _("Status")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self._selection_changed)

        self.complete_button = QPushButton(_("Done"))
        self.complete_button.setAutoDefault(False)
        self.complete_button.clicked.connect(self.complete_selected)
        self.snooze_button = QToolButton()
        self.snooze_button.setText(_("Snooze"))
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.snooze_button)
        for days, text in ((1, _("until tomorrow")), (3, _("for three days")), (7, _("for a week"))):
            action = menu.addAction(text)
            action.triggered.connect(lambda _c=False, d=days: self.snooze_selected(d))
        self.snooze_button.setMenu(menu)
        self.show_done = QCheckBox(_("Show done"))
        self.show_done.toggled.connect(lambda _on: self.reload())
        actions = QHBoxLayout()
        actions.addWidget(self.complete_button)
        actions.addWidget(self.snooze_button)
        actions.addStretch(1)
        actions.addWidget(self.show_done)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(form_group)
        layout.addLayout(actions)
        layout.addWidget(self.tree, 1)
        self.set_client(None)

    def set_client(self, client_id: int | None) -> None:
        """Show the reminders of ``client_id`` (None: a new client)."""
        self.client_id = client_id
        self.add_button.setEnabled(client_id is not None)
        self.show_items([])
        self.reload()

    def reload(self) -> None:
        """Fetch the reminders again."""
        if self.client_id is None:
            return
        self.runner.run(
            reminders.list_reminders,
            self.db,
            self.client_id,
            include_done=self.show_done.isChecked(),
            on_done=guarded(self, self.show_items),
        )

    def show_items(self, items: Sequence[ReminderDTO]) -> None:
        """Show ``items`` (open ones by due day)."""
        self.items = sorted(
            items,
            key=lambda r: (
                r.done_at is not None,
                r.due_on,
                r.due_time is not None,
                r.due_time or time.min,
                r.id,
            ),
        )
        self.tree.clear()
        today = date.today()
        for r in self.items:
            if r.done_at is not None:
                status = _("done on {date}").format(date=date_text(r.done_at))
            elif r.due_on < today:
                status = _("overdue")
            elif r.due_on == today:
                status = _("today")
            else:
                status = _("open")
            due = datetime_text(r.due_at) if r.due_at is not None else date_text(r.due_on)
            item = QTreeWidgetItem([due, label(REMINDER_KINDS, r.kind), r.text, status])
            item.setData(0, Qt.ItemDataRole.UserRole, r.id)
            if r.done_at is None and r.due_on < today:
                for col in range(4):
                    item.setForeground(col, QBrush(QColor(ERROR_COLOUR)))
            elif r.done_at is not None:
                for col in range(4):
                    item.setForeground(col, QBrush(QColor("#888888")))
            self.tree.addTopLevelItem(item)
        if not self.items and self.client_id is not None:
            empty = QTreeWidgetItem(["", "", _("No open reminders."), ""])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(empty)
        self._selection_changed()

    def selected(self) -> ReminderDTO | None:
        """The selected reminder."""
        items = self.tree.selectedItems()
        if not items:
            return None
        rid = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((r for r in self.items if r.id == rid), None)

    def _selection_changed(self) -> None:
        r = self.selected()
        self.complete_button.setEnabled(r is not None and r.done_at is None)
        self.snooze_button.setEnabled(r is not None)

    def add_reminder(self) -> None:
        """Add the form's reminder."""
        if self.client_id is None:
            return
        self.runner.run(
            reminders.add_reminder,
            self.db,
            self.client_id,
            str(self.kind.currentData()),
            qdate_to_date(self.due.date()),
            self.text.text().strip(),
            at=time(self.at.time().hour(), self.at.time().minute()) if self.timed.isChecked() else None,
            on_done=guarded(self, self._added),
            on_error=guarded(self, self._failed),
        )

    def _added(self, _r: object) -> None:
        self.text.clear()
        self._changed(None)

    def complete_selected(self) -> None:
        """Mark the selected reminder done."""
        r = self.selected()
        if r is not None:
            self.runner.run(
                reminders.complete_reminder,
                self.db,
                r.id,
                on_done=guarded(self, self._changed),
                on_error=guarded(self, self._failed),
            )

    def snooze_selected(self, days: int) -> None:
        """Move the selected reminder ``days`` from today."""
        r = self.selected()
        if r is not None:
            self.runner.run(
                reminders.snooze_reminder,
                self.db,
                r.id,
                date.today() + timedelta(days=days),
                on_done=guarded(self, self._changed),
                on_error=guarded(self, self._failed),
            )

    def _changed(self, _r: object) -> None:
        self.reload()
        self.reminders_changed.emit()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationFailed):
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        show_error(self, exc)
