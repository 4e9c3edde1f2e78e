"""An SMS list for the firm's SMS service: the clients' phones in E.164 with the text merged for each.

CustDesk has no SMS gateway; the dialog says so, previews the list and exports it (.xlsx or .csv).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.services.mailings import Audience, SmsList, plan_sms
from custdesk.i18n import _, ngettext
from custdesk.ui.dialogs.mailing_dialog import left_out_text
from custdesk.ui.formatting import format_number, isolate_phone, isolate_text
from custdesk.ui.tasks import TaskRunner, show_error
from custdesk.ui.theme import fit_to_screen


def phones_text(n: int) -> str:
    """ "Phones: 12" above the list."""
    return ngettext("Phones: {n}", "Phones: {n}", n).format(n=format_number(n))


class SmsDialog(QDialog):
    """Write the text, preview the list, export it."""

    def __init__(
        self, runner: TaskRunner, db: Database, audience: Audience, label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.audience = runner, db, audience
        self.sms: SmsList | None = None
        self.setWindowTitle(_("SMS list"))
        self.setObjectName("smsDialog")
        fit_to_screen(self, 820, 620)
        heading = QLabel(_("To: {who}").format(who=label))
        heading.setWordWrap(True)
        note = QLabel(
            _(
                "CustDesk has no SMS gateway: it exports the phones with the text for each client, and your "
                "SMS service sends them."
            )
        )
        note.setObjectName("smsNote")
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        self.text = QPlainTextEdit("{{ first_name or display_name }}, ")
        self.text.setObjectName("smsText")
        self.text.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.preview_button = QPushButton(_("Preview"))
        self.preview_button.clicked.connect(self.preview)
        self.rows_label = QLabel(phones_text(0))
        self.rows_label.setObjectName("smsCount")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("smsTable")
        self.table.setHorizontalHeaderLabels([_("Client"), _("Phone"), _("Text")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.left_out_label = QLabel(left_out_text(0))
        self.left_out = QListWidget()
        self.left_out.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setObjectName("smsExport")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        self.status = QLabel()
        self.status.setWordWrap(True)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(QLabel(_("Text:")))
        layout.addWidget(self.text)
        layout.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.rows_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.left_out_label)
        layout.addWidget(self.left_out)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.text.textChanged.connect(lambda: self.export_button.setEnabled(False))

    def preview(self) -> None:
        """Merge the text for every client."""

        def done(sms: SmsList) -> None:
            if shiboken6.isValid(self):
                self.show_list(sms)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                show_error(self, exc)

        self.runner.run(
            plan_sms, self.db, self.text.toPlainText(), self.audience, on_done=done, on_error=failed
        )

    def show_list(self, sms: SmsList) -> None:
        """Show the phones with their texts and who is left out."""
        self.sms = sms
        self.table.setRowCount(len(sms.rows))
        for r, row in enumerate(sms.rows):
            for c, text in enumerate((isolate_text(row.name), isolate_phone(row.phone), row.text)):
                item = QTableWidgetItem(text)
                if c == 1:  # a phone reads left to right in every language
                    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.left_out.clear()
        for e in sms.left_out:
            self.left_out.addItem(_("{name}: {reason}").format(name=e.name, reason=e.message))
        self.left_out_label.setText(left_out_text(len(sms.left_out)))
        self.rows_label.setText(phones_text(len(sms.rows)))
        self.export_button.setEnabled(bool(sms.rows))

    def export(self) -> None:
        """Save the list as .xlsx or .csv."""
        sms = self.sms
        if sms is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the SMS list"), "sms.xlsx", _("Excel workbook (*.xlsx);;CSV (*.csv)")
        )
        if not path:
            return
        from custdesk.io.exporters.mail_merge import export_sms_list

        def done(target: object) -> None:
            if shiboken6.isValid(self):
                self.status.setText(_("Saved: {path}").format(path=target))

        self.runner.run(export_sms_list, self.db, sms, path, on_done=done)
