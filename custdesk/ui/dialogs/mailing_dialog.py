"""An e-mail mailing to a set of clients: the template, a preview per client, who is left out and why,
then send (off the GUI thread, with progress and cancel), open a few letters in the mail program
(mailto), or export a mail-merge file.

Every decision is the service's (``custdesk.core.services.mailings``): the dialog plans on the base
worker, shows the plan, and sends it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.services import settings
from custdesk.core.services.mail_templates import Template, list_templates, parse_template, save_template
from custdesk.core.services.mail_transport import SmtpSettings, SmtpTransport, smtp_password
from custdesk.core.services.mailings import (
    Audience,
    MailingPlan,
    MailingReport,
    plan_mailing,
    send_mailing,
)
from custdesk.i18n import _, ngettext
from custdesk.ui.formatting import format_number, isolate_text
from custdesk.ui.tasks import Cancelled, ChangeBus, TaskRunner, show_error
from custdesk.ui.theme import fit_to_screen

# More letters than this are sent by CustDesk or exported, not opened one by one in the mail program.
MAILTO_MAX = 10
FIELDS_HINT = (
    '{{ name }}, {{ first_name }}, {{ organisation }}, {{ city }}, {{ discount }}, {{ fields["…"] }}'
)
DEFAULT_BODY = "{{ first_name or display_name }},\n\n\n{{ firm }}\n"


def recipients_text(n: int) -> str:
    """ "3 letters" for the heading of the list."""
    return ngettext("Letters: {n}", "Letters: {n}", n).format(n=format_number(n))


def left_out_text(n: int) -> str:
    """ "Left out: 2"."""
    return ngettext("Left out: {n}", "Left out: {n}", n).format(n=format_number(n))


def report_text(report: MailingReport) -> str:
    """What a sent mailing did, in one paragraph."""
    parts = [
        ngettext("{n} letter sent.", "{n} letters sent.", len(report.sent)).format(
            n=format_number(len(report.sent))
        )
    ]
    if report.failed:
        parts.append(
            ngettext("{n} letter failed.", "{n} letters failed.", len(report.failed)).format(
                n=format_number(len(report.failed))
            )
        )
    if report.cancelled:
        parts.append(
            ngettext(
                "Cancelled: {n} letter not sent.", "Cancelled: {n} letters not sent.", len(report.not_sent)
            ).format(n=format_number(len(report.not_sent)))
        )
    if report.failed or report.cancelled:
        parts.append(_("Running the same mailing again sends only to the clients it did not reach."))
    return " ".join(parts)


def birthday_template() -> Template:
    """A birthday greeting in the interface language (the owner edits it before sending)."""
    return Template(
        subject=_("Happy birthday, {{ first_name or display_name }}!"),
        body=_(
            "Dear {{ first_name or display_name }},\n\n"
            "happy birthday from all of us at {{ firm }}! As our gift, you get a 10% discount on your next "
            "purchase this month.\n\n"
            "Best wishes,\n{{ firm }}\n"
        ),
        name=_("Birthday greeting"),
    )


class MailingDialog(QDialog):
    """Write, preview and send a mailing to ``audience`` (named ``label``)."""

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        bus: ChangeBus,
        audience: Audience,
        label: str,
        parent: QWidget | None = None,
        *,
        template: Template | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.bus, self.audience = runner, db, bus, audience
        self.plan: MailingPlan | None = None
        self.templates: list[Template] = []
        self.setWindowTitle(_("E-mail mailing"))
        self.setObjectName("mailingDialog")
        fit_to_screen(self, 1000, 700)

        heading = QLabel(_("To: {who}").format(who=label))
        heading.setObjectName("mailingHeading")
        heading.setWordWrap(True)
        self.template_choice = QComboBox()
        self.template_choice.setObjectName("templateChoice")
        self.template_choice.activated.connect(self._template_chosen)
        open_file = QPushButton(_("Open a template file…"))
        open_file.clicked.connect(self.open_template_file)
        self.save_template_button = QPushButton(_("Keep in the base…"))
        self.save_template_button.clicked.connect(self.keep_template)
        choose = QHBoxLayout()
        choose.addWidget(self.template_choice, 1)
        choose.addWidget(open_file)
        choose.addWidget(self.save_template_button)

        self.subject = QLineEdit()
        self.subject.setObjectName("mailingSubject")
        self.body = QPlainTextEdit(DEFAULT_BODY)
        self.body.setObjectName("mailingBody")
        self.html = QCheckBox(_("The text is HTML"))
        hint = QLabel(_("Fields: {fields}").format(fields=isolate_text(FIELDS_HINT)))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.override = QCheckBox()
        self.override.setObjectName("overrideGap")
        self.override.setToolTip(_("The owner's decision; it is written into the journal."))
        self.preview_button = QPushButton(_("Preview"))
        self.preview_button.setObjectName("mailingPreview")
        self.preview_button.clicked.connect(self.preview)

        form = QFormLayout()
        form.addRow(_("Template:"), choose)
        form.addRow(_("Subject:"), self.subject)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.body, 1)
        editor_layout.addWidget(hint)
        editor_layout.addWidget(self.html)
        editor_layout.addWidget(self.override)
        editor_layout.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeading)

        self.recipients_label = QLabel(recipients_text(0))
        self.recipients = QListWidget()
        self.recipients.setObjectName("mailingRecipients")
        self.recipients.currentRowChanged.connect(self._show_letter)
        self.letter = QTextBrowser()
        self.letter.setObjectName("mailingLetter")
        self.left_out_label = QLabel(left_out_text(0))
        self.left_out = QListWidget()
        self.left_out.setObjectName("mailingLeftOut")
        lists = QWidget()
        lists_layout = QVBoxLayout(lists)
        lists_layout.setContentsMargins(0, 0, 0, 0)
        lists_layout.addWidget(self.recipients_label)
        lists_layout.addWidget(self.recipients, 2)
        lists_layout.addWidget(self.left_out_label)
        lists_layout.addWidget(self.left_out, 1)
        preview = QSplitter(Qt.Orientation.Vertical)
        preview.addWidget(lists)
        preview.addWidget(self.letter)

        split = QSplitter()
        split.addWidget(editor)
        split.addWidget(preview)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)

        self.send_button = QPushButton(_("Send…"))
        self.send_button.setObjectName("mailingSend")
        self.send_button.clicked.connect(self.send)
        self.mailto_button = QPushButton(_("Open in the mail program"))
        self.mailto_button.setObjectName("mailingMailto")
        self.mailto_button.setToolTip(
            _("Opens each letter in your mail program (up to {n} letters); you send them from there.").format(
                n=MAILTO_MAX
            )
        )
        self.mailto_button.clicked.connect(self.open_in_mail_program)
        self.export_button = QPushButton(_("Export for mail merge…"))
        self.export_button.setObjectName("mailingExport")
        self.export_button.clicked.connect(self.export_merge)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.mailto_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.status = QLabel()
        self.status.setObjectName("mailingStatus")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        for w in (self.subject, self.body):
            (w.textChanged).connect(self._edited)
        self.html.toggled.connect(self._edited)
        self.override.toggled.connect(self._edited)
        self._set_gap_text(7)
        if template is not None:
            self.set_template(template)
        self._update_buttons()
        self.runner.run(_load, self.db, on_done=self._loaded)

    # --- templates ------------------------------------------------------------------------------------

    def _loaded(self, loaded: tuple[list[Template], dict[str, Any]]) -> None:
        if not shiboken6.isValid(self):
            return
        self.templates, conf = loaded
        self._set_gap_text(int(conf.get("mailing_min_gap_days", 7)))
        self.template_choice.clear()
        self.template_choice.addItem(_("(a new letter)"), None)
        for t in self.templates:
            self.template_choice.addItem(t.name, t.name)

    def _set_gap_text(self, days: int) -> None:
        self.override.setText(
            ngettext(
                "Also mail clients mailed less than {n} day ago",
                "Also mail clients mailed less than {n} days ago",
                days,
            ).format(n=format_number(days))
        )

    def _template_chosen(self, index: int) -> None:
        name = self.template_choice.itemData(index)
        template = next((t for t in self.templates if t.name == name), None)
        if template is not None:
            self.set_template(template)

    def set_template(self, template: Template) -> None:
        """Put ``template`` in the editor."""
        self.subject.setText(template.subject)
        self.body.setPlainText(template.body)
        self.html.setChecked(template.is_html)

    def template(self) -> Template:
        """The template as edited.

        Raises:
            TemplateError: it has a mistake.
        """
        text = f"Subject: {self.subject.text()}\n\n{self.body.toPlainText()}"
        return parse_template(
            text, name=str(self.template_choice.currentData() or ""), is_html=self.html.isChecked()
        )

    def open_template_file(self) -> None:
        """Read a template file (``Subject: …``, a blank line, the text)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Open a template"), "", _("Templates (*.txt *.html *.htm);;All files (*)")
        )
        if not path:
            return
        from pathlib import Path

        from custdesk.core.services.mail_templates import read_template_file

        try:
            template = read_template_file(Path(path))
        except Exception as exc:
            show_error(self, exc)
            return
        self.set_template(template)

    def keep_template(self) -> None:
        """Keep the letter in the base as a template, under a name."""
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(
            self,
            _("Keep the template"),
            _("Name of the template:"),
            text=str(self.template_choice.currentText()),
        )
        if not ok or not name.strip():
            return
        try:
            template = self.template()
        except Exception as exc:
            show_error(self, exc)
            return
        named = Template(template.subject, template.body, template.is_html, name.strip())

        def done(_result: object) -> None:
            self.runner.run(_load, self.db, on_done=self._loaded)
            self.status.setText(_("The template {name} is kept in the base.").format(name=named.name))

        self.runner.run(save_template, self.db, named, on_done=done)

    # --- preview --------------------------------------------------------------------------------------

    def _edited(self, *_args: object) -> None:
        if self.plan is not None:
            self.plan = None
            self.status.setText(_("The letter changed: preview it again before sending."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.plan.recipients) if self.plan is not None else 0
        self.send_button.setEnabled(count > 0)
        self.export_button.setEnabled(count > 0)
        self.mailto_button.setEnabled(0 < count <= MAILTO_MAX)

    def preview(self) -> None:
        """Merge the letter for every client and show who gets what and who is left out."""
        try:
            template = self.template()
        except Exception as exc:
            show_error(self, exc)
            return
        self.preview_button.setEnabled(False)

        def done(plan: MailingPlan) -> None:
            if shiboken6.isValid(self):
                self.preview_button.setEnabled(True)
                self.show_plan(plan)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.preview_button.setEnabled(True)
                show_error(self, exc)

        self.runner.run(
            plan_mailing,
            self.db,
            template,
            self.audience,
            override_gap=self.override.isChecked(),
            on_done=done,
            on_error=failed,
            label=_("Preparing the letters…"),
        )

    def show_plan(self, plan: MailingPlan) -> None:
        """Show ``plan``: the letters (the first one open) and the clients left out with the reason."""
        self.plan = plan
        self.recipients.clear()
        for r in plan.recipients:
            item = QListWidgetItem(_("{name} <{email}>").format(name=r.name, email=r.address))
            item.setData(Qt.ItemDataRole.UserRole, r.client_id)
            self.recipients.addItem(item)
        self.left_out.clear()
        for e in plan.left_out:
            self.left_out.addItem(_("{name}: {reason}").format(name=e.name, reason=e.message))
        self.recipients_label.setText(recipients_text(len(plan.recipients)))
        self.left_out_label.setText(left_out_text(len(plan.left_out)))
        if plan.recipients:
            self.recipients.setCurrentRow(0)
        else:
            self.letter.clear()
        self.status.setText("")
        self._update_buttons()

    def _show_letter(self, row: int) -> None:
        if self.plan is None or not 0 <= row < len(self.plan.recipients):
            self.letter.clear()
            return
        r = self.plan.recipients[row]
        from html import escape

        subject, to = escape(_("Subject:")), escape(_("To:"))
        head = (
            f"<p><b>{subject}</b> {escape(r.subject)}<br>"
            f"<b>{to}</b> {escape(isolate_text(r.name))} &lt;{escape(r.address)}&gt;</p><hr>"
        )
        body = r.body if r.is_html else f"<div style='white-space: pre-wrap'>{escape(r.body)}</div>"
        self.letter.setHtml(head + body)

    # --- sending --------------------------------------------------------------------------------------

    def send(self) -> None:
        """Ask, then send the previewed letters on the base worker, with progress and cancel."""
        plan = self.plan
        if plan is None or not plan.recipients:
            return
        answer = QMessageBox.question(
            self,
            _("Send the mailing"),
            ngettext(
                "Send {n} letter now through the firm's mail server?",
                "Send {n} letters now through the firm's mail server?",
                len(plan.recipients),
            ).format(n=format_number(len(plan.recipients))),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.send_button.setEnabled(False)

        def done(report: MailingReport) -> None:
            self.bus.changed.emit(report.change)
            if not shiboken6.isValid(self):
                return
            self.status.setText(report_text(report))
            box = QMessageBox(
                QMessageBox.Icon.Warning if report.failed else QMessageBox.Icon.Information,
                _("E-mail mailing"),
                report_text(report),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("mailingReport")
            if report.failed:
                box.setDetailedText(
                    "\n".join(
                        _("{name} <{email}>: {reason}").format(
                            name=f.recipient.name, email=f.recipient.address, reason=f.reason
                        )
                        for f in report.failed
                    )
                )
            box.open()
            self.preview()

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self._update_buttons()
                show_error(self, exc)

        self.runner.run(
            _send,
            self.db,
            plan,
            on_done=done,
            on_error=failed,
            label=_("Sending the letters…"),
            with_progress=True,
        )

    def open_in_mail_program(self) -> None:
        """Open each letter (a few at most) in the mail program through mailto: links."""
        if self.plan is None or not 0 < len(self.plan.recipients) <= MAILTO_MAX:
            return
        for r in self.plan.recipients:
            url = f"mailto:{quote(r.address, safe='@')}?subject={quote(r.subject)}&body={quote(r.body)}"
            if not QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.StrictMode)):
                QMessageBox.information(
                    self,
                    _("E-mail mailing"),
                    _("No mail program is set up on this computer to open the letters."),
                )
                return
        self.status.setText(
            _(
                "The letters are open in your mail program. CustDesk writes a letter into the client's "
                "history only when it sends the letter itself."
            )
        )

    def export_merge(self) -> None:
        """Save the letters as a mail-merge file (.xlsx or .csv)."""
        plan = self.plan
        if plan is None or not plan.recipients:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export for mail merge"), "mailing.xlsx", _("Excel workbook (*.xlsx);;CSV (*.csv)")
        )
        if not path:
            return
        from custdesk.io.exporters.mail_merge import export_mail_merge

        def done(target: object) -> None:
            if shiboken6.isValid(self):
                self.status.setText(_("Saved: {path}").format(path=target))

        self.runner.run(export_mail_merge, self.db, plan, path, on_done=done)


def _load(db: Database) -> tuple[list[Template], dict[str, Any]]:
    """The templates kept in the base and the firm's settings (on the worker)."""
    return list_templates(db), settings.get_all(db)


def _send(db: Database, plan: MailingPlan, progress: Any) -> MailingReport:
    """Send through the firm's server (on the worker); Cancel stops between letters, keeping the report."""
    conf = settings.get_all(db)
    smtp = SmtpSettings.from_firm(conf)
    state = {"done": 0}
    total = len(plan.recipients)

    def cancelled() -> bool:
        try:
            progress(state["done"], total)
        except Cancelled:
            return True
        return False

    def moved(done: int, _total: int) -> None:
        state["done"] = done

    return send_mailing(
        db,
        plan,
        SmtpTransport(smtp, smtp_password(smtp)),
        sender=smtp.sender,
        sender_name=smtp.sender_name,
        progress=moved,
        cancelled=cancelled,
    )
