"""File > Export clients… / purchases… / history…: which clients, which file, then the export.

The clients are those the list shows now (its search and filters) or the selected rows; the format comes
from the file type (.xlsx, .csv, .vcf). The export runs on the base worker with progress and Cancel, and
is written to the audit journal.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from custdesk.core.services.client_list import ListQuery
from custdesk.i18n import N_, _, ngettext
from custdesk.ui.formatting import format_number

if TYPE_CHECKING:
    from custdesk.core.db import Database
    from custdesk.io.exporters import ExportSummary
    from custdesk.ui.main_window import MainWindow
    from custdesk.ui.tasks import TaskRunner

TITLES = {
    "clients": N_("Export clients"),
    "purchases": N_("Export purchases"),
    "history": N_("Export history"),
}
FILTERS = {
    "xlsx": N_("Excel workbook (*.xlsx)"),
    "csv": N_("Text table for Excel (*.csv)"),
    "vcf": N_("Contacts for phones and mail programs (*.vcf)"),
}
DEFAULT_NAMES = {"clients": N_("clients"), "purchases": N_("purchases"), "history": N_("history")}
ERROR_STYLE = "color: #B3261E;"


def _export(
    db: Database,
    path: str,
    kind: str,
    query: ListQuery,
    ranges: list[tuple[int, int]] | None,
    delimiter: str,
    progress: Any = None,
) -> ExportSummary:
    """The export as the worker runs it: the selected rows' ids first, when a selection is exported."""
    from custdesk.io.exporters import export_file, source

    ids = source.ids_of_rows(db, query, ranges) if ranges is not None else None
    return export_file(db, path, kind, query=query, ids=ids, delimiter=delimiter, progress=progress)


class ExportDialog(QDialog):
    """Choose the clients (the list or the selection) and the file; Export runs it."""

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        kind: str,
        query: ListQuery,
        list_count: int,
        selection: list[tuple[int, int]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.kind, self.query = runner, db, kind, query
        self.selection = selection
        self.summary: ExportSummary | None = None
        self._confirmed = ""
        self.setObjectName("exportDialog")
        self.setWindowTitle(_(TITLES[kind]))
        self.setMinimumWidth(560)
        selected = sum(bottom - top + 1 for top, bottom in selection)
        what = {
            "clients": _("Which clients to export:"),
            "purchases": _("Whose purchases to export:"),
            "history": _("Whose history to export:"),
        }[kind]
        self.scope_list = QRadioButton(self._list_text(list_count))
        self.scope_list.setObjectName("exportScopeList")
        self.scope_selection = QRadioButton(
            ngettext("The &selected client ({count})", "The &selected clients ({count})", selected).format(
                count=format_number(selected)
            )
        )
        self.scope_selection.setObjectName("exportScopeSelection")
        self.scope_selection.setEnabled(selected > 0)
        group = QButtonGroup(self)
        group.addButton(self.scope_list)
        group.addButton(self.scope_selection)
        (self.scope_selection if selected > 1 else self.scope_list).setChecked(True)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("exportPath")
        self.path_edit.setText(str(Path.home() / f"{_(DEFAULT_NAMES[kind])}.xlsx"))
        self.path_edit.textChanged.connect(self._path_changed)
        browse = QPushButton(_("&Choose…"))
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        self.delimiter = QComboBox()
        self.delimiter.setObjectName("exportDelimiter")
        self.delimiter.addItem(_("comma (Excel in English)"), ",")
        self.delimiter.addItem(_("semicolon (Excel in Russian, Finnish…; decimal comma)"), ";")
        self.format_note = QLabel()
        self.format_note.setObjectName("exportFormatNote")
        self.format_note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("exportError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(_("&Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportRun")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        file_label = QLabel(_("&File:"))
        file_label.setBuddy(self.path_edit)
        form = QFormLayout()
        form.addRow(file_label, file_row)
        form.addRow(_("CSV &separator:"), self.delimiter)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(what))
        layout.addWidget(self.scope_list)
        layout.addWidget(self.scope_selection)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.format_note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._path_changed()

    def _list_text(self, count: int) -> str:
        shown = format_number(count)
        if self.query.search:
            return ngettext(
                "The clients the &list shows: “{search}” ({count})",
                "The clients the &list shows: “{search}” ({count})",
                count,
            ).format(search=self.query.search, count=shown)
        return ngettext(
            "The clients the &list shows ({count})", "The clients the &list shows ({count})", count
        ).format(count=shown)

    def _format(self) -> str | None:
        from custdesk.io.exporters import ExportError, export_format

        try:
            return export_format(self.path_edit.text().strip(), self.kind)
        except ExportError as exc:
            self.error.setText(str(exc))
            return None

    def _path_changed(self) -> None:
        self.error.clear()
        fmt = self._format() if self.path_edit.text().strip() else None
        self.delimiter.setEnabled(fmt == "csv")
        notes = {
            "xlsx": _("An Excel workbook: a frozen header row with filters, the funnel colours kept."),
            "csv": _("A text table (UTF-8): Excel, LibreOffice and other programs open it."),
            "vcf": _("vCard 3.0 contacts: names, phones, e-mails, addresses, birthdays and notes."),
        }
        self.format_note.setText(notes.get(fmt or "", ""))
        self.export_button.setEnabled(fmt is not None)

    def _browse(self) -> None:
        formats = ("xlsx", "csv", "vcf") if self.kind == "clients" else ("xlsx", "csv")
        filters = ";;".join(_(FILTERS[f]) for f in formats)
        path, chosen = QFileDialog.getSaveFileName(self, _(TITLES[self.kind]), self.path_edit.text(), filters)
        if not path:
            return
        if Path(path).suffix.lower() not in (".xlsx", ".csv", ".vcf"):
            fmt = next((f for f in formats if _(FILTERS[f]) == chosen), "xlsx")
            path = f"{path}.{fmt}"
        self._confirmed = path  # the file dialog asked about replacing it
        self.path_edit.setText(path)

    # --- the export ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Export to the chosen file (asks before replacing a file that was typed in)."""
        path = self.path_edit.text().strip()
        if self._format() is None:
            return
        target = Path(path).expanduser()
        if target.exists() and str(target) != self._confirmed:
            answer = QMessageBox.question(
                self, _(TITLES[self.kind]), _("{name} exists already. Replace it?").format(name=target.name)
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        ranges = self.selection if self.scope_selection.isChecked() else None
        self.export_button.setEnabled(False)
        self.runner.run(
            _export,
            self.db,
            str(target),
            self.kind,
            self.query,
            ranges,
            self.delimiter.currentData() or ",",
            with_progress=True,
            label=_("Exporting to {name}…").format(name=target.name),
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, summary: ExportSummary) -> None:
        self.summary = summary
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from custdesk.core.errors import CustDeskError
        from custdesk.ui.tasks import Cancelled, show_error

        self.export_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.error.setText(_("The export was cancelled; no file was written."))
        elif isinstance(exc, CustDeskError):
            self.error.setText(str(exc))
        else:
            show_error(self, exc)


def selected_ranges(window: MainWindow) -> list[tuple[int, int]]:
    """The selected rows of the client list as (top, bottom) ranges."""
    ranges = [(r.top(), r.bottom()) for r in window.table.selectionModel().selection()]
    return sorted(ranges)


def open_export_dialog(window: MainWindow, kind: str) -> ExportDialog:
    """Show the export dialog for ``kind`` over the main window's client list (non-modal)."""
    dialog = ExportDialog(
        window.runner,
        window.db,
        kind,
        window.model.query,
        window.model.total,
        selected_ranges(window),
        window,
    )

    def finished() -> None:
        if dialog.summary is not None:
            window.statusBar().showMessage(
                ngettext(
                    "Exported {rows} row to {path}.", "Exported {rows} rows to {path}.", dialog.summary.rows
                ).format(rows=format_number(dialog.summary.rows), path=dialog.summary.path),
                15000,
            )

    dialog.accepted.connect(finished)
    dialog.show()
    return dialog


__all__ = ["ExportDialog", "open_export_dialog", "selected_ranges"]
