"""The import wizard's mapping page: which column of the file fills which field of CustDesk.

One row per column of the file: its header, a few of its values, what its content looks like (phones,
e-mails, dates, money), the field it fills (CustDesk's suggestion pre-filled, changeable), and why the
suggestion was made. A mapping can be saved and loaded as JSON for the next file of the same shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from custdesk.i18n import N_, _
from custdesk.ui.widgets.import_pages import ERROR_STYLE, cell_text

if TYPE_CHECKING:
    from custdesk.io.importers.base import SourceTable
    from custdesk.io.mapping import ColumnMapping
    from custdesk.ui.widgets.import_pages import ImportState

MAPPING_FILTER = N_("Column mappings (*.json);;All files (*)")
SNIFF_SAMPLE = 50
LOOKS = (
    ("email", N_("e-mails")),
    ("date", N_("dates")),
    ("phone", N_("phones")),
    ("money", N_("amounts of money")),
)
COL_HEADER, COL_SAMPLE, COL_LOOKS, COL_FIELD, COL_WHY = range(5)


def looks_like(cells: list[object]) -> str:
    """What most of a column's cells look like, translated ("phones", "dates"…; "" for plain text)."""
    from custdesk.io import parsing

    tests = {
        "email": parsing.looks_like_email,
        "date": parsing.looks_like_date,
        "phone": parsing.looks_like_phone,
        "money": parsing.looks_like_money,
    }
    sample = [c for c in cells if c is not None and str(c).strip()][:SNIFF_SAMPLE]
    if not sample:
        return _("empty")
    for key, name in LOOKS:
        if sum(1 for c in sample if tests[key](c)) / len(sample) >= 0.6:
            return _(name)
    return _("text")


def _why(mapping: ColumnMapping, header: str) -> str:
    from custdesk.io.mapping import BY_CONTENT, BY_HEADER

    if header not in mapping.columns:
        return ""
    reason = mapping.reasons.get(header, "")
    if reason == BY_HEADER:
        return _("by its header")
    if reason == BY_CONTENT:
        return _("by its content")
    return _("your choice")


class MappingPage(QWizardPage):
    """Each source column → a field; the suggestion pre-filled; save and load a mapping."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("importMappingPage")
        self.setTitle(_("Match the columns"))
        self.setSubTitle(
            _("CustDesk suggests a field for each column of the file. Change what it got wrong.")
        )
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("importMappingTable")
        self.table.setHorizontalHeaderLabels(
            [_("Column of the file"), _("First values"), _("Looks like"), _("Goes to"), _("Why")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SAMPLE, QHeaderView.ResizeMode.Stretch)
        self.problems = QLabel()
        self.problems.setObjectName("importMappingProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        self.save_button = QPushButton(_("&Save this mapping…"))
        self.save_button.clicked.connect(self._save_clicked)
        self.load_button = QPushButton(_("&Load a mapping…"))
        self.load_button.clicked.connect(self._load_clicked)
        self.suggest_button = QPushButton(_("Suggest &again"))
        self.suggest_button.clicked.connect(self.suggest)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        buttons.addWidget(self.suggest_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        self.combos: dict[str, QComboBox] = {}

    @property
    def state(self) -> ImportState:
        """The wizard's shared state."""
        state: ImportState = self.wizard().state  # type: ignore[attr-defined]
        return state

    def initializePage(self) -> None:
        state = self.state
        if state.mapping is None or state.mapping.kind != state.kind:
            self.suggest()
        else:
            self._fill()

    def suggest(self) -> None:
        """Replace the mapping by CustDesk's suggestion for the table."""
        from custdesk.io.mapping import suggest_mapping

        table = self.state.table
        if table is None:
            return
        self.state.mapping = suggest_mapping(self.state.kind, table)
        self.state.region = None
        self.state.preview = None
        self._fill()

    def _fill(self) -> None:
        from custdesk.io.mapping import TARGET_FIELDS, field_label

        state = self.state
        table: SourceTable | None = state.table
        mapping = state.mapping
        if table is None or mapping is None:
            return
        self.table.setRowCount(len(table.headers))
        self.combos = {}
        for row, header in enumerate(table.headers):
            cells = [r[row] for r in table.rows[: SNIFF_SAMPLE * 4]]
            values = [cell_text(c) for c in cells if cell_text(c)][:3]
            self.table.setItem(row, COL_HEADER, QTableWidgetItem(header))
            sample = QTableWidgetItem(_(", ").join(values))
            sample.setToolTip("\n".join(values))
            self.table.setItem(row, COL_SAMPLE, sample)
            self.table.setItem(row, COL_LOOKS, QTableWidgetItem(looks_like(cells)))
            combo = QComboBox()
            combo.setObjectName(f"importField_{row}")
            combo.addItem(_("— not imported —"), "")
            for name in TARGET_FIELDS[state.kind]:
                combo.addItem(field_label(name), name)
            combo.setCurrentIndex(max(0, combo.findData(mapping.columns.get(header, ""))))
            combo.activated.connect(lambda _i, h=header, c=combo: self._chosen(h, c))
            self.table.setCellWidget(row, COL_FIELD, combo)
            self.combos[header] = combo
            self.table.setItem(row, COL_WHY, QTableWidgetItem(_why(mapping, header)))
        self.table.resizeColumnToContents(COL_HEADER)
        self.table.resizeColumnToContents(COL_LOOKS)
        self.table.setColumnWidth(COL_FIELD, 190)
        self.table.resizeColumnToContents(COL_WHY)
        self.table.setColumnWidth(COL_HEADER, min(self.table.columnWidth(COL_HEADER), 200))
        self._show_problems()

    def set_field(self, header: str, target: str | None) -> None:
        """Map the column ``header`` to ``target`` (None: not imported), as choosing it in its list does."""
        combo = self.combos[header]
        combo.setCurrentIndex(max(0, combo.findData(target or "")))
        self._chosen(header, combo)

    def _chosen(self, header: str, combo: QComboBox) -> None:
        mapping = self.state.mapping
        if mapping is None:
            return
        mapping.set(header, combo.currentData() or None)
        self.state.preview = None
        # A single-valued field taken by this column leaves the column that had it.
        for other, other_combo in self.combos.items():
            other_combo.setCurrentIndex(max(0, other_combo.findData(mapping.columns.get(other, ""))))
            row = list(self.combos).index(other)
            self.table.setItem(row, COL_WHY, QTableWidgetItem(_why(mapping, other)))
        self._show_problems()

    def _show_problems(self) -> None:
        mapping = self.state.mapping
        problems = mapping.problems() if mapping is not None else []
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        mapping = self.state.mapping
        return mapping is not None and not mapping.problems()

    # --- save and load ------------------------------------------------------------------------------

    def save_mapping(self, path: str) -> None:
        """Save the mapping as JSON to ``path``."""
        if self.state.mapping is not None:
            self.state.mapping.save(path)

    def load_mapping(self, path: str) -> None:
        """Load a saved mapping and apply it to this file's columns.

        Raises:
            ImportFileError: the file is not a mapping (the message says so).
        """
        from custdesk.io.mapping import ColumnMapping

        table = self.state.table
        if table is None:
            return
        loaded = ColumnMapping.load(path)
        if loaded.kind != self.state.kind:
            from custdesk.io.importers.base import ImportFileError

            raise ImportFileError(
                _("This mapping is for another kind of list; choose the kind it was saved for.")
            )
        self.state.mapping = loaded.for_table(table)
        self.state.preview = None
        self._fill()

    def _save_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the mapping"), "", _(MAPPING_FILTER))
        if not path:
            return
        if not path.lower().endswith(".json"):
            path += ".json"
        try:
            self.save_mapping(path)
        except OSError as exc:
            QMessageBox.warning(self, _("Save the mapping"), str(exc.strerror or exc))

    def _load_clicked(self) -> None:
        from custdesk.core.errors import CustDeskError

        path, _filter = QFileDialog.getOpenFileName(self, _("Load a mapping"), "", _(MAPPING_FILTER))
        if not path:
            return
        try:
            self.load_mapping(path)
        except CustDeskError as exc:
            QMessageBox.warning(self, _("Load a mapping"), str(exc))


__all__ = ["MappingPage", "looks_like"]
