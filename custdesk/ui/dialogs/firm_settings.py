"""The firm's settings kept in the base: name, phone region, currency, call cycle, backups, and what a
printed card shows.

Read and written through ``custdesk.core.services.settings`` on the base worker; a save announces a
``setting`` change so the list re-formats phones and money.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
import shiboken6
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.services import settings
from custdesk.core.services.settings import REGION_CURRENCY
from custdesk.core.validation import country_name
from custdesk.i18n import _
from custdesk.io.cards import PRINT_PARTS, hidden_parts
from custdesk.ui.tasks import ChangeBus, TaskRunner

DAY_FIELDS = (
    ("call_cycle_hot_days", 1, 365),
    ("call_cycle_warm_days", 1, 365),
    ("call_cycle_cold_days", 1, 730),
    ("min_contact_gap_days", 0, 60),
    ("prolongation_days_ahead", 0, 365),
)


class FirmSettingsDialog(QDialog):
    """Edit the settings that belong to the firm's data."""

    def __init__(
        self, runner: TaskRunner, db: Database, bus: ChangeBus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.bus = runner, db, bus
        self.setWindowTitle(_("Firm settings"))
        self.setMinimumWidth(460)

        self.firm_name = QLineEdit()
        self.region = QComboBox()
        regions = sorted(phonenumbers.SUPPORTED_REGIONS, key=lambda r: country_name(r).casefold())
        for code in regions:
            self.region.addItem(f"{country_name(code)} ({code})", code)
        self.currency = QComboBox()
        self.currency.setEditable(True)
        for code in sorted(set(REGION_CURRENCY.values())):
            self.currency.addItem(code)
        firm = QGroupBox(_("Firm"))
        firm_form = QFormLayout(firm)
        firm_form.addRow(_("Firm name:"), self.firm_name)
        firm_form.addRow(_("Phone numbers of:"), self.region)
        firm_form.addRow(_("Currency:"), self.currency)

        labels = {
            "call_cycle_hot_days": _("Call a hot client every:"),
            "call_cycle_warm_days": _("Call a warm client every:"),
            "call_cycle_cold_days": _("Call a cold client every:"),
            "min_contact_gap_days": _("Ask before a contact sooner than:"),
            "prolongation_days_ahead": _("Remind of a contract's end ahead by:"),
        }
        self.days: dict[str, QSpinBox] = {}
        work = QGroupBox(_("Call cycle"))
        work_form = QFormLayout(work)
        for key, low, high in DAY_FIELDS:
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setSuffix(_(" days"))
            work_form.addRow(labels[key], spin)
            self.days[key] = spin
        self.call_budget = QSpinBox()
        self.call_budget.setObjectName("callBudget")
        self.call_budget.setRange(1, 240)
        self.call_budget.setSuffix(_(" minutes"))
        self.call_budget.setToolTip(_("The call timer in the contact log turns red past this time."))
        work_form.addRow(_("Time budget of a call:"), self.call_budget)
        self.backup_keep = QSpinBox()
        self.backup_keep.setRange(1, 365)
        safety = QGroupBox(_("Backups"))
        safety_form = QFormLayout(safety)
        safety_form.addRow(_("Daily backups to keep:"), self.backup_keep)
        printed = QGroupBox(_("A printed card shows"))
        printed.setObjectName("printedCard")
        grid = QGridLayout(printed)
        self.print_parts: dict[str, QCheckBox] = {}
        for i, (key, text) in enumerate(PRINT_PARTS.items()):
            box = QCheckBox(_(text))
            box.setObjectName(f"print-{key}")
            grid.addWidget(box, i // 2, i % 2)
            self.print_parts[key] = box

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.setEnabled(False)

        layout = QVBoxLayout(self)
        for group in (firm, work, safety, printed):
            layout.addWidget(group)
        layout.addWidget(self.buttons)
        self.runner.run(settings.get_all, self.db, on_done=self._show)

    def _show(self, values: dict[str, Any]) -> None:
        if not shiboken6.isValid(self):
            return
        self.firm_name.setText(str(values.get("firm_name", "")))
        index = self.region.findData(values.get("phone_region"))
        self.region.setCurrentIndex(max(index, 0))
        self.currency.setCurrentText(str(values.get("currency", "")))
        for key, spin in self.days.items():
            spin.setValue(int(values.get(key, spin.minimum())))
        self.backup_keep.setValue(int(values.get("backup_keep", 10)))
        self.call_budget.setValue(int(values.get("call_budget_minutes", 10)))
        hidden = hidden_parts(values)
        for key, box in self.print_parts.items():
            box.setChecked(key not in hidden)
        self.buttons.setEnabled(True)

    def values(self) -> dict[str, Any]:
        """What the form says, as settings."""
        out: dict[str, Any] = {
            "firm_name": self.firm_name.text().strip(),
            "phone_region": self.region.currentData(),
            "currency": self.currency.currentText().strip().upper() or "USD",
            "backup_keep": self.backup_keep.value(),
            "call_budget_minutes": self.call_budget.value(),
            "card_print_hidden": [key for key, box in self.print_parts.items() if not box.isChecked()],
        }
        out.update({key: spin.value() for key, spin in self.days.items()})
        return out

    def _save(self) -> None:
        self.buttons.setEnabled(False)

        values = self.values()

        def done(_result: object) -> None:
            self.bus.changed.emit(Change("setting", fields=tuple(values)))
            if shiboken6.isValid(self):
                self.accept()

        def failed(exc: BaseException) -> None:
            from custdesk.ui.tasks import show_error

            if not shiboken6.isValid(self):
                show_error(None, exc)
                return
            self.buttons.setEnabled(True)
            show_error(self, exc)

        self.runner.run(settings.set_values, self.db, values, on_done=done, on_error=failed)
