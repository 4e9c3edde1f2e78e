"""Editors of a client's phones and e-mails: rows of (value, kind, primary, remove) plus an Add button.

Each row is checked as it is typed (``validation.field_error("phones[0]", ...)``) and marks itself; an
empty row is not an error (it is dropped on save). Exactly one row is primary (a radio button group).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from custdesk.core import validation
from custdesk.core.dto import EmailInput, PhoneInput
from custdesk.core.vocab import EMAIL_KINDS, PHONE_KINDS, label
from custdesk.i18n import _
from custdesk.ui.widgets.fields import error_label, mark


class _ContactRow:
    """The widgets of one phone or e-mail."""

    def __init__(self, kinds: dict[str, str], placeholder: str, with_extension: bool) -> None:
        self.value = QLineEdit()
        self.value.setPlaceholderText(placeholder)
        self.extension = QLineEdit() if with_extension else None
        if self.extension is not None:
            self.extension.setPlaceholderText(_("ext."))
            self.extension.setMaximumWidth(56)
        self.kind = QComboBox()
        for key in kinds:
            self.kind.addItem(label(kinds, key), key)
        self.primary = QRadioButton(_("primary"))
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip(_("Remove"))
        self.error = error_label()

    def widgets(self) -> list[QWidget]:
        items: list[QWidget] = [self.value]
        if self.extension is not None:
            items.append(self.extension)
        items += [self.kind, self.primary, self.remove, self.error]
        return items


class ContactsEditor(QWidget):
    """Rows of phones or e-mails; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(
        self,
        list_name: str,
        kinds: dict[str, str],
        placeholder: str,
        add_text: str,
        region: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.list_name = list_name  # "phones" or "emails", as ValidationFailed names the items
        self._kinds = kinds
        self._placeholder = placeholder
        self._region = region
        self.rows: list[_ContactRow] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(0, 1)
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(self._add_clicked)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._grid)
        outer.addWidget(self.add_button, 0)
        self._group.buttonToggled.connect(lambda _b, _on: self.changed.emit())

    # --- rows -------------------------------------------------------------------------------------

    def _add_clicked(self) -> None:
        row = self.add_row()
        row.value.setFocus()

    def add_row(
        self, value: str = "", kind: str | None = None, primary: bool = False, extension: str = ""
    ) -> _ContactRow:
        """Append a row (the first row is primary)."""
        row = _ContactRow(self._kinds, self._placeholder, with_extension=self.list_name == "phones")
        row.value.setText(value)
        if row.extension is not None:
            row.extension.setText(extension)
        if kind is not None:
            index = row.kind.findData(kind)
            row.kind.setCurrentIndex(max(index, 0))
        self._group.addButton(row.primary)
        self.rows.append(row)
        self._relayout()
        for widget in row.widgets():
            if widget is not row.error:
                widget.show()  # at once, not at the layout's queued show: focus may go there now
        row.primary.setChecked(primary or len(self.rows) == 1)
        row.value.textChanged.connect(lambda _t, r=row: self._row_edited(r))
        if row.extension is not None:
            row.extension.textChanged.connect(lambda _t: self.changed.emit())
        row.kind.currentIndexChanged.connect(lambda _i: self.changed.emit())
        row.remove.clicked.connect(lambda _c=False, r=row: self.remove_row(r))
        self.changed.emit()
        return row

    def remove_row(self, row: _ContactRow) -> None:
        """Drop a row; the first remaining row becomes primary when the primary one went."""
        was_primary = row.primary.isChecked()
        self._group.removeButton(row.primary)
        for widget in row.widgets():
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self.rows.remove(row)
        self._relayout()
        if was_primary and self.rows:
            self.rows[0].primary.setChecked(True)
        self._recheck_all()
        self.changed.emit()

    def _relayout(self) -> None:
        for index, row in enumerate(self.rows):
            col = 0
            line = index * 2
            self._grid.addWidget(row.value, line, col)
            col += 1
            if row.extension is not None:
                self._grid.addWidget(row.extension, line, col)
                col += 1
            self._grid.addWidget(row.kind, line, col)
            self._grid.addWidget(row.primary, line, col + 1)
            self._grid.addWidget(row.remove, line, col + 2)
            self._grid.addWidget(row.error, line + 1, 0, 1, col + 3)

    def clear(self) -> None:
        """Remove every row without announcing each."""
        for row in list(self.rows):
            self._group.removeButton(row.primary)
            for widget in row.widgets():
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self.rows.clear()

    # --- checks -----------------------------------------------------------------------------------

    def item_field(self, index: int) -> str:
        """The field name of row ``index`` as ValidationFailed names it (``phones[0]``)."""
        return f"{self.list_name}[{index}]"

    def _row_edited(self, row: _ContactRow) -> None:
        self._check(row)
        self.changed.emit()

    def _check(self, row: _ContactRow) -> None:
        text = row.value.text()
        index = self.rows.index(row)
        message = (
            validation.field_error(self.item_field(index), text, self._region()) if text.strip() else None
        )
        mark(row.value, message, row.error)

    def _recheck_all(self) -> None:
        for row in self.rows:
            self._check(row)

    def mark_item(self, index: int, message: str | None) -> None:
        """Show a message from a full validation on row ``index``."""
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            mark(row.value, message, row.error)

    def first_invalid(self) -> QWidget | None:
        """The first row marked as refused."""
        return next((r.value for r in self.rows if r.value.property("invalid")), None)

    # --- values -----------------------------------------------------------------------------------

    def phones(self) -> tuple[PhoneInput, ...]:
        """The rows as phones, in order (empty rows kept: the validation drops them)."""
        return tuple(
            PhoneInput(
                r.value.text(),
                r.kind.currentData(),
                r.primary.isChecked(),
                r.extension.text().strip() if r.extension is not None else "",
            )
            for r in self.rows
        )

    def emails(self) -> tuple[EmailInput, ...]:
        """The rows as e-mails, in order."""
        return tuple(
            EmailInput(r.value.text(), r.kind.currentData(), r.primary.isChecked()) for r in self.rows
        )

    def set_phones(self, phones: tuple[tuple[str, str, bool, str], ...]) -> None:
        """Show ``(display number, kind, primary, extension)`` rows (one empty row when none)."""
        self.clear()
        for number, kind, primary, extension in phones:
            self.add_row(number, kind, primary, extension)
        if not self.rows:
            self.add_row()

    def set_emails(self, emails: tuple[tuple[str, str, bool], ...]) -> None:
        """Show ``(address, kind, primary)`` rows (one empty row when none)."""
        self.clear()
        for address, kind, primary in emails:
            self.add_row(address, kind, primary)
        if not self.rows:
            self.add_row()


def phones_editor(region: Callable[[], str], parent: QWidget | None = None) -> ContactsEditor:
    """An editor of phones."""
    return ContactsEditor("phones", PHONE_KINDS, _("Phone number"), _("Add phone"), region, parent)


def emails_editor(region: Callable[[], str], parent: QWidget | None = None) -> ContactsEditor:
    """An editor of e-mail addresses."""
    return ContactsEditor("emails", EMAIL_KINDS, _("name@example.com"), _("Add e-mail"), region, parent)
