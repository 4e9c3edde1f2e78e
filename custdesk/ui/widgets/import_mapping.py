"""The import wizard's mapping page: which column of the file fills which field of CustDesk.

One row per column of the file: its header, a few of its values, what its content looks like (phones,
e-mails, dates, money), the field it fills (CustDesk's suggestion pre-filled, changeable), and why the
suggestion was made. A mapping can be saved and loaded as JSON for the next file of the same shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
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
    from PySide6.QtWidgets import QWidget

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
# The kinds an import can make an own field of (a choice field needs its list: made in Base > Fields…).
OWN_KINDS = ("text", "number", "money", "date", "yesno")
EDIT_OWN = "\x00own"  # the combo item that renames the own field or changes its kind
OWN_KIND_ROLE = 0x0100 + 7  # Qt.UserRole + 7: the kind of an own field offered in a column's list


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
    from custdesk.io.mapping import BY_CONTENT, BY_HEADER, BY_NEW, BY_OWN, left_out_reason

    if header not in mapping.columns:
        return left_out_reason(mapping, header)
    reason = mapping.reasons.get(header, "")
    if reason == BY_HEADER:
        return _("by its header")
    if reason == BY_CONTENT:
        return _("by its content")
    if reason == BY_NEW:
        return _("no field of CustDesk fits")
    if reason == BY_OWN:
        return _("your own field of that name")
    return _("your choice")


def own_text(name: str, kind: str, *, new: bool) -> str:
    """How the mapping page names an own field a column fills (translated)."""
    from custdesk.io.mapping import kind_label

    if new:
        return _("New own field: {name} ({kind})").format(name=name, kind=kind_label(kind))
    return _("Own field: {name} ({kind})").format(name=name, kind=kind_label(kind))


class OwnFieldDialog(QDialog):
    """The name and kind of the own field a column fills."""

    def __init__(self, parent: QWidget | None, name: str, kind: str) -> None:
        super().__init__(parent)
        from custdesk.core.fields import KINDS, MAX_NAME_LENGTH

        self.setObjectName("importOwnFieldDialog")
        self.setWindowTitle(_("Own field"))
        self.name_edit = QLineEdit(name)
        self.name_edit.setMaxLength(MAX_NAME_LENGTH)
        self.kind_combo = QComboBox()
        for key in OWN_KINDS:
            self.kind_combo.addItem(_(KINDS[key]), key)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(
            lambda t: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(t.strip()))
        )
        form = QFormLayout(self)
        form.addRow(_("&Name:"), self.name_edit)
        form.addRow(_("&Kind:"), self.kind_combo)
        form.addRow(buttons)

    def values(self) -> tuple[str, str]:
        """The name and kind chosen."""
        return " ".join(self.name_edit.text().split()), str(self.kind_combo.currentData())


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
        self.state.mapping = suggest_mapping(self.state.kind, table, self.state.own_fields)
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
            self._own_items(combo, header)
            for name in TARGET_FIELDS[state.kind]:
                combo.addItem(field_label(name), name)
            combo.setCurrentIndex(max(0, combo.findData(mapping.columns.get(header, ""))))
            combo.activated.connect(lambda _i, h=header, c=combo: self._chosen(h, c))
            self.table.setCellWidget(row, COL_FIELD, combo)
            self.combos[header] = combo
            self.table.setItem(row, COL_WHY, QTableWidgetItem(_why(mapping, header)))
        self.table.resizeColumnToContents(COL_HEADER)
        self.table.resizeColumnToContents(COL_LOOKS)
        # Wide enough for the chosen field's name ("New own field: Скидочная карта (text)"), within reason.
        chosen = max((c.sizeHint().width() for c in self.combos.values()), default=190)
        self.table.setColumnWidth(COL_FIELD, max(190, min(chosen, 360)))
        self.table.resizeColumnToContents(COL_WHY)
        self.table.setColumnWidth(COL_HEADER, min(self.table.columnWidth(COL_HEADER), 200))
        self._show_problems()

    def _own_items(self, combo: QComboBox, header: str) -> None:
        """The own-field items of a column's list: its own field, the base's, and "rename or change"."""
        from custdesk.io.mapping import own_key, own_name, own_target

        state = self.state
        mapping = state.mapping
        if state.kind != "clients" or mapping is None:
            return
        known = {own_key(n): n for n in state.own_fields}
        target = mapping.columns.get(header, "")
        name = own_name(target)
        if name is not None and own_key(name) not in known:
            combo.addItem(own_text(name, mapping.kinds.get(header, "text"), new=True), target)
        elif name is None and " ".join(header.split()) and own_key(header) not in known:
            kind = mapping.kinds.get(header) or self._guessed_kind(header)
            combo.addItem(own_text(" ".join(header.split()), kind, new=True), own_target(header))
            combo.setItemData(combo.count() - 1, kind, OWN_KIND_ROLE)
        for existing, kind in state.own_fields.items():
            combo.addItem(own_text(existing, kind, new=False), own_target(existing))
            combo.setItemData(combo.count() - 1, kind, OWN_KIND_ROLE)
        combo.addItem(_("Own field: rename or change its kind…"), EDIT_OWN)
        combo.insertSeparator(combo.count())

    def _guessed_kind(self, header: str) -> str:
        from custdesk.io.mapping import own_field_for_column

        table = self.state.table
        if table is None or header not in table.headers:
            return "text"
        index = table.headers.index(header)
        _target, kind = own_field_for_column(header, [r[index] for r in table.rows], {})
        return kind if kind in OWN_KINDS else "text"

    def set_own(self, header: str, name: str, kind: str) -> None:
        """Make the column ``header`` fill the own field ``name`` of ``kind`` (new unless the base has it)."""
        from custdesk.io.mapping import own_key, own_target

        mapping = self.state.mapping
        if mapping is None or not name.strip():
            return
        for existing, existing_kind in self.state.own_fields.items():
            if own_key(existing) == own_key(name):
                name, kind = existing, existing_kind
        mapping.set(header, own_target(name), kind)
        self.state.preview = None
        self._fill()

    def edit_own(self, header: str) -> OwnFieldDialog:
        """The dialog that renames the column's own field or changes its kind (shown; applied on OK)."""
        from custdesk.io.mapping import own_name

        mapping = self.state.mapping
        target = mapping.columns.get(header, "") if mapping is not None else ""
        name = own_name(target) or " ".join(header.split())
        kind = (mapping.kinds.get(header) if mapping is not None else None) or self._guessed_kind(header)
        dialog = OwnFieldDialog(self, name, kind)
        dialog.accepted.connect(lambda: self.set_own(header, *dialog.values()))
        dialog.finished.connect(lambda _r: self._fill())
        dialog.open()
        return dialog

    def set_field(self, header: str, target: str | None) -> None:
        """Map the column ``header`` to ``target`` (None: not imported), as choosing it in its list does."""
        combo = self.combos[header]
        combo.setCurrentIndex(max(0, combo.findData(target or "")))
        self._chosen(header, combo)

    def _chosen(self, header: str, combo: QComboBox) -> None:
        mapping = self.state.mapping
        if mapping is None:
            return
        target = combo.currentData() or None
        if target == EDIT_OWN:
            self.edit_own(header)
            return
        kind = combo.currentData(OWN_KIND_ROLE)
        mapping.set(header, target, str(kind) if kind else None)
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


__all__ = ["MappingPage", "OwnFieldDialog", "looks_like", "own_text"]
