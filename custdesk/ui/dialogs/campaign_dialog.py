"""A call campaign for a set of clients: its name and note, over how many working days with how many
calls a day; the days it gives are shown before anything is scheduled. And the list of campaigns with
their progress (called, reached, bought afterwards).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.services.campaigns import (
    CampaignPlan,
    CampaignProgress,
    create_campaign,
    list_campaigns,
    plan_campaign,
)
from custdesk.core.services.mailings import Audience
from custdesk.i18n import _, ngettext
from custdesk.ui.dialogs.mailing_dialog import left_out_text
from custdesk.ui.formatting import format_number
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.theme import fit_to_screen
from custdesk.ui.widgets.fields import date_text

PLAN_DELAY_MS = 300


def days_text(plan: CampaignPlan) -> str:
    """ "12 calls from 10.03.2026 to 14.03.2026"."""
    if not plan.calls:
        return _("No client to call.")
    last = max(c.due_on for c in plan.calls)
    return ngettext(
        "{n} call from {first} to {last}", "{n} calls from {first} to {last}", len(plan.calls)
    ).format(n=format_number(len(plan.calls)), first=date_text(plan.days[0]), last=date_text(last))


class CampaignDialog(QDialog):
    """Plan and schedule a call campaign for ``audience``."""

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        audience: Audience,
        label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.bus, self.audience = runner, db, bus, audience
        self.plan: CampaignPlan | None = None
        self.setWindowTitle(_("Call campaign"))
        self.setObjectName("campaignDialog")
        fit_to_screen(self, 640, 560)
        heading = QLabel(_("To: {who}").format(who=label))
        heading.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("campaignName")
        self.name.setMaxLength(200)
        self.note = QLineEdit()
        self.note.setObjectName("campaignNote")
        self.note.setPlaceholderText(_("e.g. offer the spring collection"))
        self.days = QSpinBox()
        self.days.setObjectName("campaignDays")
        self.days.setRange(1, 366)
        self.days.setValue(5)
        self.days.setSuffix(_(" working days"))
        self.per_day = QSpinBox()
        self.per_day.setObjectName("campaignPerDay")
        self.per_day.setRange(1, 1000)
        self.per_day.setValue(20)
        form = QFormLayout()
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Note for each call:"), self.note)
        form.addRow(_("Spread over:"), self.days)
        form.addRow(_("At most calls a day:"), self.per_day)
        self.summary = QLabel()
        self.summary.setObjectName("campaignSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("campaignDays")
        self.table.setHorizontalHeaderLabels([_("Day"), _("Calls")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.left_out = QLabel()
        self.left_out.setWordWrap(True)
        self.schedule_button = QPushButton(_("Schedule the calls"))
        self.schedule_button.setObjectName("campaignSchedule")
        self.schedule_button.setEnabled(False)
        self.schedule_button.clicked.connect(self.schedule)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.schedule_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.left_out)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PLAN_DELAY_MS)
        self._timer.timeout.connect(self.replan)
        for w in (self.name, self.note):
            w.textChanged.connect(self._edited)
        for spin in (self.days, self.per_day):
            spin.valueChanged.connect(self._edited)

    def _edited(self, *_args: object) -> None:
        self.schedule_button.setEnabled(False)
        self._timer.start()

    def replan(self) -> None:
        """Work out the days again (on the base worker)."""
        if not self.name.text().strip():
            self.summary.setText(_("Give the campaign a name, so that its progress can be followed."))
            return

        def done(plan: CampaignPlan) -> None:
            if shiboken6.isValid(self):
                self.show_plan(plan)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.plan = None
                self.table.setRowCount(0)
                self.summary.setText(str(exc))
                self.schedule_button.setEnabled(False)

        self.runner.run(
            plan_campaign,
            self.db,
            self.name.text(),
            self.audience,
            days=self.days.value(),
            per_day=self.per_day.value(),
            on_done=done,
            on_error=failed,
        )

    def show_plan(self, plan: CampaignPlan) -> None:
        """Show the calls per day and who is left out."""
        self.plan = plan
        counts = plan.per_day()
        self.table.setRowCount(len(counts))
        for r, (day, n) in enumerate(counts.items()):
            self.table.setItem(r, 0, QTableWidgetItem(date_text(day)))
            self.table.setItem(r, 1, QTableWidgetItem(format_number(n)))
        self.table.resizeColumnsToContents()
        self.summary.setText(days_text(plan))
        reasons = "; ".join(f"{e.name}: {e.message}" for e in plan.left_out[:5])
        self.left_out.setText(f"{left_out_text(len(plan.left_out))}. {reasons}" if plan.left_out else "")
        self.schedule_button.setEnabled(bool(plan.calls))

    def schedule(self) -> None:
        """Schedule the calls (one transaction) and say so."""
        plan = self.plan
        if plan is None:
            return
        self.schedule_button.setEnabled(False)

        def done(made: CampaignPlan) -> None:
            self.bus.changed.emit(made.change)
            if shiboken6.isValid(self):
                self.summary.setText(
                    _("Scheduled: {what}. Follow it in Client → Call campaigns.").format(what=days_text(made))
                )

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.summary.setText(str(exc))

        self.runner.run(
            create_campaign,
            self.db,
            plan,
            note=self.note.text(),
            per_day=self.per_day.value(),
            on_done=done,
            on_error=failed,
            label=_("Scheduling the calls…"),
        )


class CampaignsDialog(QDialog):
    """Every campaign with its progress."""

    COLUMNS = ("name", "days", "clients", "called", "reached", "bought")

    def __init__(self, runner: TaskRunner, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.db = runner, db
        self.setWindowTitle(_("Call campaigns"))
        self.setObjectName("campaignsDialog")
        fit_to_screen(self, 900, 480)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("campaignsTable")
        self.table.setHorizontalHeaderLabels(
            [_("Campaign"), _("Days"), _("Clients"), _("Called"), _("Reached"), _("Bought afterwards")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.runner.run(list_campaigns, self.db, on_done=self._show)

    def _show(self, rows: list[CampaignProgress]) -> None:
        if not shiboken6.isValid(self):
            return
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            name = f"{p.name} — {p.note}" if p.note else p.name
            texts = (
                name,
                _("{first} – {last}").format(first=date_text(p.first_day), last=date_text(p.last_day)),
                format_number(p.clients),
                _share(p.called, p.clients),
                _share(p.reached, p.clients),
                _share(p.bought, p.clients),
            )
            for c, text in enumerate(texts):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()


def _share(part: int, whole: int) -> str:
    """ "12 (40%)"."""
    if not whole:
        return format_number(part)
    share = _("{value}%").format(value=format_number(round(100 * part / whole)))
    return _("{n} ({share})").format(n=format_number(part), share=share)
