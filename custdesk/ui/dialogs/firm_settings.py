"""The firm's settings kept in the base: name, phone region, currency, call cycle, backups, what a
printed card shows, and the mail server mailings go through (its password in the OS keyring, with a
button that tests the connection).

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
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.services import settings
from custdesk.core.services.mail_transport import (
    SmtpSettings,
    check_connection,
    smtp_password,
    store_smtp_password,
)
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

        self.tabs = QTabWidget()
        general = QWidget()
        general_layout = QVBoxLayout(general)
        for group in (firm, work, safety, printed):
            general_layout.addWidget(group)
        general_layout.addStretch(1)
        self.tabs.addTab(general, _("Firm and work"))
        self.tabs.addTab(self._mail_tab(), _("E-mail"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self._password_shown = ""
        self.runner.run(_load, self.db, on_done=self._show)

    def _mail_tab(self) -> QWidget:
        tab = QWidget()
        tab.setObjectName("mailTab")
        server = QGroupBox(_("Mail server for mailings"))
        form = QFormLayout(server)
        self.smtp_host = QLineEdit()
        self.smtp_host.setObjectName("smtpHost")
        self.smtp_host.setPlaceholderText("smtp.example.com")
        self.smtp_port = QSpinBox()
        self.smtp_port.setObjectName("smtpPort")
        self.smtp_port.setRange(1, 65535)
        self.smtp_security = QComboBox()
        self.smtp_security.setObjectName("smtpSecurity")
        for key, text in (
            ("starttls", _("STARTTLS (port 587)")),
            ("ssl", _("SSL/TLS (port 465)")),
            ("none", _("None (a local relay only)")),
        ):
            self.smtp_security.addItem(text, key)
        self.smtp_user = QLineEdit()
        self.smtp_user.setObjectName("smtpUser")
        self.smtp_password = QLineEdit()
        self.smtp_password.setObjectName("smtpPassword")
        self.smtp_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.smtp_password.setToolTip(_("Kept in the computer's password store, never in the base."))
        self.smtp_sender = QLineEdit()
        self.smtp_sender.setObjectName("smtpSender")
        self.smtp_sender.setPlaceholderText("shop@example.com")
        form.addRow(_("Server:"), self.smtp_host)
        form.addRow(_("Port:"), self.smtp_port)
        form.addRow(_("Security:"), self.smtp_security)
        form.addRow(_("Login:"), self.smtp_user)
        form.addRow(_("Password:"), self.smtp_password)
        form.addRow(_("Sender's address:"), self.smtp_sender)
        self.test_button = QPushButton(_("Test the connection"))
        self.test_button.setObjectName("smtpTest")
        self.test_button.clicked.connect(self._test)
        self.test_result = QLabel()
        self.test_result.setObjectName("smtpTestResult")
        self.test_result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(self.test_result)
        rules = QGroupBox(_("Mailing rules"))
        rules_form = QFormLayout(rules)
        self.mailing_gap = QSpinBox()
        self.mailing_gap.setObjectName("mailingGap")
        self.mailing_gap.setRange(0, 90)
        self.mailing_gap.setSuffix(_(" days"))
        self.mailing_gap.setToolTip(_("A client mailed more recently is left out of the next mailing."))
        rules_form.addRow(_("At most one mailing to a client in:"), self.mailing_gap)
        layout = QVBoxLayout(tab)
        layout.addWidget(server)
        layout.addWidget(rules)
        layout.addStretch(1)
        return tab

    def smtp_settings(self) -> SmtpSettings:
        """The mail server as the form says it."""
        return SmtpSettings(
            host=self.smtp_host.text().strip(),
            port=self.smtp_port.value(),
            security=str(self.smtp_security.currentData()),
            user=self.smtp_user.text().strip(),
            sender=self.smtp_sender.text().strip(),
            sender_name=self.firm_name.text().strip(),
        )

    def _test(self) -> None:
        self.test_button.setEnabled(False)
        self.test_result.setText(_("Connecting…"))

        def done(_result: object) -> None:
            if shiboken6.isValid(self):
                self.test_button.setEnabled(True)
                self.test_result.setText(_("The server answered and accepted the login."))

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.test_button.setEnabled(True)
                self.test_result.setText(str(exc))

        self.runner.run(
            check_connection,
            self.smtp_settings(),
            self.smtp_password.text(),
            on_done=done,
            on_error=failed,
            label=_("Connecting to the mail server…"),
        )

    def _show(self, loaded: tuple[dict[str, Any], str]) -> None:
        if not shiboken6.isValid(self):
            return
        values, password = loaded
        self.smtp_host.setText(str(values.get("smtp_host", "")))
        self.smtp_port.setValue(int(values.get("smtp_port", 587)))
        self.smtp_security.setCurrentIndex(max(self.smtp_security.findData(values.get("smtp_security")), 0))
        self.smtp_user.setText(str(values.get("smtp_user", "")))
        self.smtp_sender.setText(str(values.get("smtp_sender", "")))
        self.smtp_password.setText(password)
        self._password_shown = password
        self.mailing_gap.setValue(int(values.get("mailing_min_gap_days", 7)))
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
            "smtp_host": self.smtp_host.text().strip(),
            "smtp_port": self.smtp_port.value(),
            "smtp_security": self.smtp_security.currentData(),
            "smtp_user": self.smtp_user.text().strip(),
            "smtp_sender": self.smtp_sender.text().strip(),
            "mailing_min_gap_days": self.mailing_gap.value(),
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

        password = self.smtp_password.text()
        keep = password if password != self._password_shown else None
        self.runner.run(_save, self.db, values, keep, on_done=done, on_error=failed)


def _load(db: Database) -> tuple[dict[str, Any], str]:
    """The settings, and the mail server's password from the OS keyring (on the worker)."""
    values = settings.get_all(db)
    return values, smtp_password(SmtpSettings.from_firm(values))


def _save(db: Database, values: dict[str, Any], password: str | None) -> None:
    """Store the settings; a changed password goes to the OS keyring, never into the base."""
    settings.set_values(db, values)
    if password is not None:
        store_smtp_password(SmtpSettings.from_firm(values), password)
