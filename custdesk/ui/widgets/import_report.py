"""An import report on screen: the counts, every row that did not land as it was, and "Save report".

:class:`ReportView` is the wizard's last page and the body of :class:`ImportReportsDialog`
(File > Import reports…), which lists the reports kept in the data folder and opens any of them again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custdesk.i18n import N_, _
from custdesk.ui.formatting import format_date, format_number
from custdesk.ui.theme import fit_to_screen

if TYPE_CHECKING:
    from custdesk.io.import_engine import ImportReport

REPORT_FILTER = N_("Text table for Excel (*.csv);;CustDesk report (*.json)")
COUNTS = (
    ("created", N_("Created")),
    ("updated", N_("Updated")),
    ("skipped", N_("Skipped")),
    ("flagged", N_("Flagged for review")),
    ("unmatched", N_("Without a client")),
    ("duplicates", N_("Duplicates found")),
    ("possible_duplicates", N_("Possible duplicates")),
)
ACTION_NAMES = {
    "skipped": N_("skipped"),
    "flagged": N_("imported, flagged"),
    "unmatched": N_("skipped: no such client"),
    "duplicate": N_("duplicate"),
    "updated": N_("updated a card"),
    "dropped": N_("value left out"),
    "created": N_("created anyway"),
    "possible_duplicate": N_("imported: a possible duplicate"),
}
KIND_NAMES = {"clients": N_("clients"), "purchases": N_("purchases"), "history": N_("history")}


class ReportView(QWidget):
    """The counts of an import and its per-row problems (row, column, reason, what was done)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: ImportReport | None = None
        self.summary = QLabel()
        self.summary.setObjectName("importReportSummary")
        self.summary.setWordWrap(True)
        self.counts: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, (key, name) in enumerate(COUNTS):
            value = QLabel()
            value.setObjectName(f"importCount_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = value.font()
            font.setBold(True)
            value.setFont(font)
            grid.addWidget(QLabel(_(name)), i // 3, (i % 3) * 2)
            grid.addWidget(value, i // 3, (i % 3) * 2 + 1)
            self.counts[key] = value
        grid.setColumnStretch(6, 1)
        self.issues = QTableWidget(0, 4)
        self.issues.setObjectName("importReportIssues")
        self.issues.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Reason"), _("What was done")])
        self.issues.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.issues.verticalHeader().setVisible(False)
        self.issues.setWordWrap(False)
        header = self.issues.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.kept = QLabel()
        self.kept.setObjectName("importReportKept")
        self.kept.setWordWrap(True)
        self.kept.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(_("&Save report…"))
        self.save_button.setObjectName("importReportSave")
        self.save_button.clicked.connect(self._save_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(self.kept, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        layout.addWidget(self.issues, 1)
        layout.addLayout(bottom)

    def show_report(self, report: ImportReport) -> None:
        """Show ``report``."""
        self.report = report
        # The counts below say what happened; the sentence is for what they cannot say.
        notes = []
        if report.dry_run:
            notes.append(_("A trial run: nothing was written to the base."))
        if report.cancelled:
            notes.append(_("The import was cancelled: nothing was written to the base."))
        notes += [text for text in (report.region_reason, report.next_calls) if text]
        if report.journal_entry_id:
            notes.append(
                _("This import is journal entry {id}: the journal (Base → Journal) can undo it.").format(
                    id=format_number(report.journal_entry_id)
                )
            )
        self.summary.setText("\n".join(notes))
        self.summary.setVisible(bool(notes))
        for key, label in self.counts.items():
            label.setText(format_number(int(getattr(report, key, 0) or 0)))
        self.issues.setRowCount(len(report.issues))
        for r, issue in enumerate(report.issues):
            row = QTableWidgetItem(format_number(issue.row))
            row.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            reason = QTableWidgetItem(issue.reason)
            reason.setToolTip(issue.reason)
            action = _(ACTION_NAMES[issue.action]) if issue.action in ACTION_NAMES else issue.action
            for c, item in enumerate([row, QTableWidgetItem(issue.column), reason, QTableWidgetItem(action)]):
                self.issues.setItem(r, c, item)
        self.issues.resizeColumnToContents(0)
        self.issues.resizeColumnToContents(1)
        self.issues.resizeColumnToContents(3)
        self.issues.setColumnWidth(1, min(self.issues.columnWidth(1), 180))
        self.kept.setText(_("Kept as {path}").format(path=report.path) if report.path else "")
        self.save_button.setEnabled(True)

    def save(self, path: str) -> Path:
        """Save the report shown to ``path`` (.csv: one line per problem; .json: the whole report)."""
        from custdesk.io.exporters.report import write_report

        assert self.report is not None
        return write_report(self.report, path)

    def _save_clicked(self) -> None:
        from custdesk.core.errors import CustDeskError

        if self.report is None:
            return
        suggested = f"{Path(self.report.source).stem}-report.csv" if self.report.source else "report.csv"
        path, chosen = QFileDialog.getSaveFileName(self, _("Save report"), suggested, _(REPORT_FILTER))
        if not path:
            return
        if Path(path).suffix.lower() not in (".csv", ".json"):
            path += ".json" if "json" in chosen else ".csv"
        try:
            self.save(path)
        except CustDeskError as exc:
            QMessageBox.warning(self, _("Save report"), str(exc))


def _when(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    return _("{date} {time}").format(date=format_date(moment.date()), time=moment.strftime("%H:%M"))


def _report_path(entry: Any) -> str:
    return str(getattr(entry, "path", entry))


class ImportReportsDialog(QDialog):
    """The import reports kept in the data folder, newest first; choosing one shows it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from custdesk.io.import_reports import list_reports

        super().__init__(parent)
        self.setObjectName("importReportsDialog")
        self.setWindowTitle(_("Import reports"))
        fit_to_screen(self, 860, 520)
        self.list = QListWidget()
        self.list.setObjectName("importReportsList")
        self.view = ReportView()
        self.empty = QLabel(_("No import has been made yet."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.view)
        splitter.setSizes([260, 600])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        for entry in list_reports():
            self._add(entry)
        self.empty.setVisible(self.list.count() == 0)
        self.view.setVisible(self.list.count() > 0)
        self.list.currentRowChanged.connect(self._open_row)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _add(self, entry: Any) -> None:
        from custdesk.io.import_reports import load_report

        path = _report_path(entry)
        try:
            report = entry if hasattr(entry, "issues") else load_report(path)
        except Exception:  # a damaged report file is listed by its name
            item = QListWidgetItem(Path(path).name)
            item.setData(Qt.ItemDataRole.UserRole, None)
            self.list.addItem(item)
            return
        text = _("{when}\n{file} — {kind}").format(
            when=_when(report.started_at),
            file=Path(report.source).name,
            kind=_(KIND_NAMES.get(report.kind, report.kind)),
        )
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, report)
        self.list.addItem(item)

    def _open_row(self, row: int) -> None:
        item = self.list.item(row)
        report = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if report is not None:
            self.view.show_report(report)


__all__ = ["ImportReportsDialog", "ReportView"]
