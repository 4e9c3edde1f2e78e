"""The first pages of the import wizard: the file (and sheet or table) and what it holds.

Each page reads and writes the wizard's shared :class:`ImportState` (``self.wizard().state``); reading the
file runs on the base worker, never on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from custdesk.i18n import N_, _, ngettext
from custdesk.ui.formatting import format_number

if TYPE_CHECKING:
    from custdesk.io.import_engine import ImportPreview, ImportReport
    from custdesk.io.importers.base import SourceTable
    from custdesk.io.mapping import ColumnMapping

FILE_FILTER = N_(
    "Client lists (*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.vcf *.mdb *.accdb);;"
    "Spreadsheets (*.xlsx *.xlsm *.xls *.ods);;Text tables (*.csv *.txt);;Contacts (*.vcf);;"
    "Access bases (*.mdb *.accdb);;All files (*)"
)
SAMPLE_ROWS = 5
KIND_TEXTS = {
    "clients": (N_("Clients"), N_("One row per client: names, phones, e-mails, addresses, notes.")),
    "purchases": (
        N_("Purchases"),
        N_("One row per purchase: the client, the date, the amount; returns as negative amounts."),
    ),
    "history": (
        N_("History of contacts"),
        N_("One row per call, meeting or note: the client, the date, what was said and the outcome."),
    ),
}
ERROR_STYLE = "color: #B3261E;"


@dataclass
class ImportState:
    """What the wizard's pages have chosen and found so far."""

    path: str = ""
    sheet: str | None = None  # None: the sheet CustDesk picks
    kind: str = "clients"
    kind_chosen: bool = False  # the user picked the kind (no more guessing)
    table: SourceTable | None = None
    table_kind: str = ""  # the kind the table was read for (the automatic sheet depends on it)
    mapping: ColumnMapping | None = None
    duplicates: str = "skip"
    bad_rows: str = "flag"  # the rule: nothing entered is lost; a row with problems lands flagged
    region: str | None = None  # the phones' country; None: the firm's, or the one the file fits far better
    preview: ImportPreview | None = None
    report: ImportReport | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    own_fields: dict[str, str] = field(default_factory=dict)  # the base's own fields: name -> kind


def guess_kind(table: SourceTable) -> str:
    """What a table most likely holds, from its sheet name and headers (clients when unsure)."""
    from custdesk.io.importers.base import LIST_NAMES
    from custdesk.io.mapping import field_for_header

    folded = " ".join(table.name.casefold().replace("_", " ").split())
    for kind in ("purchases", "history"):
        if folded in LIST_NAMES[kind]:
            return kind
    if any(field_for_header("purchases", h) in ("amount", "profit") for h in table.headers):
        return "purchases"
    if any(field_for_header("history", h) in ("outcome", "next_step") for h in table.headers):
        return "history"
    return "clients"


def cell_text(value: object) -> str:
    """A source cell as the wizard shows it."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat()).replace("T00:00:00", "").replace("T", " ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _state(page: QWizardPage) -> ImportState:
    state: ImportState = page.wizard().state  # type: ignore[attr-defined]
    return state


def _read(path: str, sheet: str | None, kind: str) -> SourceTable:
    from custdesk.io.importers.base import read_source

    return read_source(path, sheet=sheet, kind=kind)


class FilePage(QWizardPage):
    """Choose the file, and the sheet or table (CustDesk's choice shown, with why)."""

    table_read = Signal()  # a reading finished (or failed)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("importFilePage")
        self.setTitle(_("Choose the file"))
        self.setSubTitle(
            _("A spreadsheet, a text table, contacts from a phone or mail program, or an Access base.")
        )
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(_("The file with your old client base"))
        self.path_edit.editingFinished.connect(self._path_edited)
        browse = QPushButton(_("&Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("importSheet")
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.reason = QLabel()
        self.reason.setObjectName("importPickedReason")
        self.reason.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setObjectName("importFacts")
        self.facts.setWordWrap(True)
        self.sample = QTableWidget()
        self.sample.setObjectName("importSample")
        self.sample.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.sample.verticalHeader().setVisible(False)
        file_label = QLabel(_("&File:"))
        file_label.setBuddy(self.path_edit)
        form = QFormLayout()
        form.addRow(file_label, row)
        form.addRow(_("&Sheet or table:"), self.sheet_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.reason)
        layout.addWidget(self.facts)
        layout.addWidget(self.sample, 1)
        self._reading = False
        self._shown_key: tuple[str, str | None, str] | None = None

    # --- reading -----------------------------------------------------------------------------------

    def read(self, path: str, sheet: str | None = None) -> None:
        """Read ``path`` (its ``sheet``; None: CustDesk picks) on the worker and show what it holds."""
        state = _state(self)
        state.path, state.sheet = path, sheet
        state.table, state.mapping, state.preview, state.region = None, None, None, None
        if not path:
            self._show_error("")
            return
        self._reading = True
        self.completeChanged.emit()
        self.reason.setText(_("Reading the file…"))
        self.reason.setStyleSheet("")
        key = (path, sheet, state.kind)
        self.wizard().runner.run(  # type: ignore[attr-defined]
            _read,
            path,
            sheet,
            state.kind,
            on_done=lambda table: self._read_done(key, table),
            on_error=lambda exc: self._read_failed(key, exc),
            label=_("Reading {name}…").format(name=Path(path).name),
        )

    def _current(self, key: tuple[str, str | None, str]) -> bool:
        state = _state(self)
        return key == (state.path, state.sheet, state.kind)

    def _read_done(self, key: tuple[str, str | None, str], table: SourceTable) -> None:
        if not self._current(key):
            return
        state = _state(self)
        self._reading = False
        state.table, state.table_kind = table, key[2]
        if not state.kind_chosen:
            state.kind = guess_kind(table)
        self._show_table(table)
        self.completeChanged.emit()
        self.table_read.emit()

    def _read_failed(self, key: tuple[str, str | None, str], exc: BaseException) -> None:
        from custdesk.core.errors import CustDeskError

        if not self._current(key):
            return
        self._reading = False
        if not isinstance(exc, CustDeskError):
            from custdesk.ui.tasks import show_error

            show_error(self, exc)
        self._show_error(str(exc) if isinstance(exc, CustDeskError) else "")
        self.completeChanged.emit()
        self.table_read.emit()

    def _show_error(self, message: str) -> None:
        self.sheet_combo.clear()
        self.reason.setText(message)
        self.reason.setStyleSheet(ERROR_STYLE)
        self.facts.clear()
        self.sample.clear()
        self.sample.setRowCount(0)
        self.sample.setColumnCount(0)

    def _show_table(self, table: SourceTable) -> None:
        state = _state(self)
        self.sheet_combo.clear()
        self.sheet_combo.addItem(_("Automatic: {name}").format(name=table.name), None)
        if len(table.sheets) > 1:
            for name in table.sheets:
                self.sheet_combo.addItem(name, name)
        if state.sheet is not None:
            self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findData(state.sheet)))
        self.sheet_combo.setEnabled(len(table.sheets) > 1)
        self.reason.setStyleSheet("")
        self.reason.setText(
            table.picked_reason
            if state.sheet is None
            else _("“{name}” was read: you chose it.").format(name=table.name)
        )
        facts = [
            ngettext("{count} row of data", "{count} rows of data", table.total_rows).format(
                count=format_number(table.total_rows)
            ),
            ngettext("{count} column", "{count} columns", len(table.headers)).format(
                count=format_number(len(table.headers))
            ),
        ]
        if table.header_row:
            facts.append(_("headers in row {row}").format(row=format_number(table.header_row)))
        if table.encoding:
            facts.append(_("text encoding {encoding}").format(encoding=table.encoding))
        if table.delimiter:
            shown = {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}.get(
                table.delimiter, table.delimiter
            )
            facts.append(_("columns separated by {delimiter}").format(delimiter=shown))
        self.facts.setText(_("; ").join(facts))
        self.sample.clear()
        self.sample.setColumnCount(len(table.headers))
        self.sample.setHorizontalHeaderLabels(table.headers)
        rows = table.rows[:SAMPLE_ROWS]
        self.sample.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.sample.setItem(r, c, QTableWidgetItem(cell_text(value)))
        self.sample.resizeColumnsToContents()
        header = self.sample.horizontalHeader()
        for c in range(len(table.headers)):
            header.resizeSection(c, min(header.sectionSize(c), 220))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    # --- slots --------------------------------------------------------------------------------------

    def _path_edited(self) -> None:
        path = self.path_edit.text().strip()
        if path != _state(self).path:
            self.read(path)

    def _browse(self) -> None:
        start = _state(self).path or str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(self, _("Import from a file"), start, _(FILE_FILTER))
        if path:
            self.path_edit.setText(path)
            self.read(path)

    def _sheet_chosen(self, index: int) -> None:
        self.read(_state(self).path, self.sheet_combo.itemData(index))

    def isComplete(self) -> bool:
        return not self._reading and _state(self).table is not None


class KindPage(QWizardPage):
    """What the file holds: clients, purchases or the history of contacts."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("importKindPage")
        self.setTitle(_("What does the file hold?"))
        self.setSubTitle(
            _("Import clients first: purchases and history are added to clients already in the base.")
        )
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        self.buttons: dict[str, QRadioButton] = {}
        for kind, (name, description) in KIND_TEXTS.items():
            button = QRadioButton(_(name))
            button.setObjectName(f"importKind_{kind}")
            note = QLabel(_(description))
            note.setWordWrap(True)
            note.setContentsMargins(24, 0, 0, 8)
            note.setStyleSheet("color: palette(mid);")
            self.group.addButton(button)
            self.buttons[kind] = button
            button.toggled.connect(lambda on, k=kind: on and self._chosen(k))
            layout.addWidget(button)
            layout.addWidget(note)
        self.sheet_note = QLabel()
        self.sheet_note.setObjectName("importKindSheetNote")
        self.sheet_note.setWordWrap(True)
        layout.addWidget(self.sheet_note)
        layout.addStretch(1)
        self._initialising = False

    def initializePage(self) -> None:
        state = _state(self)
        self._initialising = True
        self.buttons[state.kind].setChecked(True)
        self._initialising = False
        self._show_sheet()

    def _chosen(self, kind: str) -> None:
        if self._initialising:
            return
        state = _state(self)
        state.kind, state.kind_chosen = kind, True
        state.mapping = None
        if state.sheet is None and state.table is not None and kind != state.table_kind:
            # The sheet CustDesk picks depends on what is wanted ("Sales" for purchases).
            self.wizard().page_file.read(state.path, None)  # type: ignore[attr-defined]
            self.sheet_note.setText(_("Reading the file…"))
        self.completeChanged.emit()

    def table_read(self) -> None:
        """The file page read the table again (for another kind): show which sheet, and why."""
        self._show_sheet()
        self.completeChanged.emit()

    def _show_sheet(self) -> None:
        table = _state(self).table
        if table is None:
            self.sheet_note.setText(self.wizard().page_file.reason.text())  # type: ignore[attr-defined]
            return
        self.sheet_note.setText(table.picked_reason if len(table.sheets) > 1 else "")

    def isComplete(self) -> bool:
        return _state(self).table is not None


__all__ = ["FilePage", "ImportState", "KindPage", "cell_text", "guess_kind"]
