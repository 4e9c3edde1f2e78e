"""Base > Fields…: the firm defines its own client fields (name, kind, card section, required, list column).

Every change goes through ``custdesk.core.services.custom_fields`` on the base worker and is announced as
a ``custom_field`` change, so open lists and cards can rebuild what they show. Renaming keeps the values;
removing asks first, naming how many clients hold a value, and keeps those values in the journal.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from custdesk.core import fields
from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.errors import ValidationFailed
from custdesk.core.fields import FieldSpec
from custdesk.core.services import custom_fields
from custdesk.i18n import _, ngettext
from custdesk.ui.tasks import ChangeBus, TaskRunner, show_error
from custdesk.ui.widgets.fields import FORM_STYLE, error_label, guarded


class FieldsDialog(QDialog):
    """Define, change, order and remove the firm's own client fields."""

    def __init__(
        self, runner: TaskRunner, db: Database, bus: ChangeBus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.db, self.bus = runner, db, bus
        self.specs: list[FieldSpec] = []
        self.editing: FieldSpec | None = None
        self.setWindowTitle(_("The firm's own fields"))
        self.setStyleSheet(FORM_STYLE)
        self.resize(760, 460)

        self.list = QListWidget()
        self.list.setObjectName("fieldList")
        self.add_button = QPushButton(_("&Add field"))
        self.remove_button = QPushButton(_("&Remove…"))
        self.up_button = QPushButton(_("Move &up"))
        self.down_button = QPushButton(_("Move do&wn"))
        left = QVBoxLayout()
        left.addWidget(QLabel(_("Fields, in card order:")))
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        for b in (self.add_button, self.remove_button):
            row.addWidget(b)
        left.addLayout(row)
        row = QHBoxLayout()
        for b in (self.up_button, self.down_button):
            row.addWidget(b)
        left.addLayout(row)

        self.name = QLineEdit()
        self.name.setObjectName("fieldName")
        self.name.setMaxLength(fields.MAX_NAME_LENGTH)
        self.name.setPlaceholderText(_("e.g. Discount card"))
        self.kind = QComboBox()
        self.kind.setObjectName("fieldKind")
        for key, text in fields.KINDS.items():
            self.kind.addItem(_(text), key)
        self.section = QComboBox()
        self.section.setObjectName("fieldSection")
        self.section.setEditable(True)
        self.choices = QPlainTextEdit()
        self.choices.setObjectName("fieldChoices")
        self.choices.setPlaceholderText(_("One choice a line"))
        self.choices.setTabChangesFocus(True)
        self.choices_label = QLabel(_("Choices:"))
        self.required = QCheckBox(_("Required: a card is not saved without it"))
        self.list_column = QCheckBox(_("Show as a column of the client list"))
        self.save_button = QPushButton(_("&Save field"))
        self.save_button.setObjectName("saveField")
        self.error = error_label()
        self.error.setObjectName("fieldError")

        self.editor = QGroupBox(_("Field"))
        form = QFormLayout(self.editor)
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Kind:"), self.kind)
        form.addRow(_("Card section:"), self.section)
        form.addRow(self.choices_label, self.choices)
        form.addRow("", self.required)
        form.addRow("", self.list_column)
        form.addRow("", self.error)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        form.addRow(save_row)
        hint = QLabel(_("Renaming a field keeps its values. A removed field's values stay in the journal."))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.editor)
        right.addWidget(hint)
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(close)

        self.list.currentRowChanged.connect(self._selected)
        self.add_button.clicked.connect(self.new_field)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.save_button.clicked.connect(self.save)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.loaded = False
        self.reload()

    # --- loading ------------------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Read the definitions again (after a change), keeping ``select_id`` selected."""
        self.runner.run(
            custom_fields.list_fields, self.db, on_done=guarded(self, lambda s: self._show(s, select_id))
        )

    def _show(self, specs: list[FieldSpec], select_id: int | None) -> None:
        self.specs = specs
        self.list.blockSignals(True)
        self.list.clear()
        for spec in specs:
            text = _("{name} — {kind}").format(name=spec.label, kind=_(fields.KINDS[spec.kind]))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, spec.field_id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        default = _(fields.DEFAULT_SECTION)
        others = sorted({s.section_title() for s in specs} - {default}, key=str.casefold)
        sections = [default, *others]
        current = self.section.currentText()
        self.section.clear()
        self.section.addItems(sections)
        self.section.setEditText(current or sections[0])
        row = next((i for i, s in enumerate(specs) if s.field_id == select_id), 0 if specs else -1)
        if row >= 0:
            self.list.setCurrentRow(row)
            self._selected(row)
        else:
            self.new_field()
        self.loaded = True

    def _selected(self, row: int) -> None:
        if not 0 <= row < len(self.specs):
            return
        spec = self.specs[row]
        self.editing = spec
        self.editor.setTitle(_("Field: {name}").format(name=spec.label))
        self.name.setText(spec.label)
        self.kind.setCurrentIndex(max(self.kind.findData(spec.kind), 0))
        self.section.setEditText(spec.section_title())
        self.choices.setPlainText("\n".join(spec.choices))
        self.required.setChecked(spec.required)
        self.list_column.setChecked(spec.list_column)
        self._kind_changed()
        self._mark(None)
        self.remove_button.setEnabled(True)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(row < len(self.specs) - 1)

    def new_field(self) -> None:
        """Start a new field (Add field)."""
        self.editing = None
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.editor.setTitle(_("New field"))
        self.name.clear()
        self.kind.setCurrentIndex(0)
        self.section.setEditText(_(fields.DEFAULT_SECTION))
        self.choices.clear()
        self.required.setChecked(False)
        self.list_column.setChecked(False)
        self._kind_changed()
        self._mark(None)
        for b in (self.remove_button, self.up_button, self.down_button):
            b.setEnabled(False)
        self.name.setFocus()

    def _kind_changed(self) -> None:
        choice = self.kind.currentData() == "choice"
        self.choices.setVisible(choice)
        self.choices_label.setVisible(choice)

    def _mark(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    # --- changing -----------------------------------------------------------------------------------

    def _section_value(self) -> str:
        text = " ".join(self.section.currentText().split())
        return fields.DEFAULT_SECTION if text in ("", _(fields.DEFAULT_SECTION)) else text

    def save(self) -> None:
        """Store the field being edited (a new one is added after the others)."""
        options = {
            "name": self.name.text(),
            "kind": self.kind.currentData(),
            "section": self._section_value(),
            "required": self.required.isChecked(),
            "list_column": self.list_column.isChecked(),
            "choices": self.choices.toPlainText().splitlines(),
        }
        if self.editing is None:
            self.runner.run(
                custom_fields.create_field,
                self.db,
                on_done=guarded(self, self._changed),
                on_error=guarded(self, self._refused),
                **options,
            )
        else:
            self.runner.run(
                custom_fields.update_field,
                self.db,
                self.editing.field_id,
                on_done=guarded(self, self._changed),
                on_error=guarded(self, self._refused),
                **options,
            )

    def _changed(self, change: Change) -> None:
        self.bus.changed.emit(change)
        self.reload(change.ids[0] if change.ids else None)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationFailed):
            self._mark(str(exc))
        else:
            show_error(self, exc)

    def _move(self, step: int) -> None:
        if self.editing is None or self.editing.field_id is None:
            return
        self.runner.run(
            custom_fields.move_field,
            self.db,
            self.editing.field_id,
            step,
            on_done=guarded(self, self._changed),
        )

    def remove(self) -> None:
        """Remove the selected field after a question naming how many clients hold a value."""
        spec = self.editing
        if spec is None or spec.field_id is None:
            return
        self.runner.run(
            custom_fields.value_count,
            self.db,
            spec.field_id,
            on_done=guarded(self, lambda n: self._ask_remove(spec, n)),
        )

    def _ask_remove(self, spec: FieldSpec, count: int) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Remove a field"),
            _("Remove the field {name}?").format(name=spec.label),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            ngettext(
                "{count} client holds a value of it. The value is kept in the journal.",
                "{count} clients hold a value of it. The values are kept in the journal.",
                count,
            ).format(count=count)
            if count
            else _("No client holds a value of it.")
        )
        remove = box.addButton(_("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("removeFieldQuestion")

        def answered() -> None:
            if box.clickedButton() is remove and spec.field_id is not None:
                self.runner.run(
                    custom_fields.remove_field, self.db, spec.field_id, on_done=guarded(self, self._removed)
                )

        box.finished.connect(lambda _r: answered())
        self.remove_box = box
        box.open()

    def _removed(self, change: Change) -> None:
        self.bus.changed.emit(change)
        self.editing = None
        self.reload()
