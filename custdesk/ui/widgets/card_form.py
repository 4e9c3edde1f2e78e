"""The common machinery of the card's form tabs: fields by name, checked while typing.

A panel registers each editor under its card field name (``name``, ``birthday``...) with how to read
and write its value. Every edit re-checks that one field with ``validation.field_error`` and marks it;
``mark_errors`` shows the result of a full validation (on save); ``changed`` fires on any edit so the
dialog can track unsaved changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from custdesk.core import validation
from custdesk.i18n import _
from custdesk.ui.widgets.fields import FieldBox, OptionalDateEdit, number_text, parse_decimal


@dataclass
class BoundField:
    """An editor bound to a card field."""

    name: str
    box: FieldBox
    get: Callable[[], Any]
    set: Callable[[Any], None]


class CardForm(QWidget):
    """A tab of card fields; subclasses build the layout with the ``*_field`` helpers."""

    changed = Signal()

    def __init__(self, region: Callable[[], str], kind: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self._region = region
        self._kind = kind
        self.fields: dict[str, BoundField] = {}
        self._loading = False

    # --- building ---------------------------------------------------------------------------------

    def _bind(
        self, name: str, editor: QWidget, get: Callable[[], Any], set_: Callable[[Any], None]
    ) -> FieldBox:
        box = FieldBox(editor)
        editor.setObjectName(name)
        self.fields[name] = BoundField(name, box, get, set_)
        return box

    def _edited(self, name: str) -> None:
        if self._loading:
            return
        self.check(name)
        self.changed.emit()

    def line_field(self, name: str, placeholder: str = "", max_length: int | None = None) -> FieldBox:
        """A one-line text field."""
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        if max_length:
            edit.setMaxLength(max_length)
        edit.textChanged.connect(lambda _t: self._edited(name))
        return self._bind(name, edit, edit.text, lambda v: edit.setText(v or ""))

    def text_field(self, name: str, placeholder: str = "", lines: int = 3) -> FieldBox:
        """A multi-line text field about ``lines`` lines high."""
        edit = QPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        height = edit.fontMetrics().lineSpacing() * lines + 12
        edit.setMinimumHeight(height)
        edit.setMaximumHeight(height + edit.fontMetrics().lineSpacing() * 2)
        edit.textChanged.connect(lambda: self._edited(name))
        return self._bind(name, edit, edit.toPlainText, lambda v: edit.setPlainText(v or ""))

    def date_field(self, name: str, check_text: str) -> FieldBox:
        """An optional date."""
        edit = OptionalDateEdit(check_text)
        edit.changed.connect(lambda: self._edited(name))
        return self._bind(name, edit, edit.value, edit.set_value)

    def decimal_field(self, name: str, placeholder: str = "") -> FieldBox:
        """A number typed in the locale's style, kept as Decimal (the value is the text until parsed)."""
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(lambda _t: self._edited(name))

        def get() -> Decimal | str | None:
            try:
                return parse_decimal(edit.text())
            except ValueError:
                return edit.text()  # the validation names it

        def set_(value: Decimal | None) -> None:
            if value is None:
                edit.setText("")
            else:
                text = number_text(value, 2)
                point = edit.locale().decimalPoint()
                if point in text:
                    text = text.rstrip("0").rstrip(point)
                edit.setText(text)

        return self._bind(name, edit, get, set_)

    def check_field(self, name: str, text: str) -> FieldBox:
        """A yes/no field."""
        box = QCheckBox(text)
        box.toggled.connect(lambda _on: self._edited(name))
        return self._bind(name, box, box.isChecked, lambda v: box.setChecked(bool(v)))

    def combo_field(self, name: str, items: dict[str, str]) -> FieldBox:
        """A choice among ``items`` (key: shown text)."""
        combo = QComboBox()
        for key, text in items.items():
            combo.addItem(text, key)
        combo.currentIndexChanged.connect(lambda _i: self._edited(name))
        return self._bind(
            name, combo, combo.currentData, lambda v: combo.setCurrentIndex(max(combo.findData(v), 0))
        )

    def days_field(self, name: str, default_text: str) -> FieldBox:
        """A number of days, 0 shown as ``default_text`` (None)."""
        spin = QSpinBox()
        spin.setRange(0, validation.MAX_CALL_CYCLE_DAYS)
        spin.setSpecialValueText(default_text)
        spin.setSuffix(_(" days"))
        spin.valueChanged.connect(lambda _v: self._edited(name))
        return self._bind(name, spin, lambda: spin.value() or None, lambda v: spin.setValue(v or 0))

    # --- values and checks ------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The field values, by card field name (text stays as typed; the services normalise)."""
        return {name: f.get() for name, f in self.fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Show stored values without counting them as edits."""
        self._loading = True
        try:
            for name, f in self.fields.items():
                if name in values:
                    f.set(values[name])
            for f in self.fields.values():
                f.box.mark(None)
        finally:
            self._loading = False

    def check(self, name: str) -> str | None:
        """Re-check one field and mark it; returns the message."""
        f = self.fields[name]
        message = validation.field_error(name, f.get(), self._region(), kind=self._kind())
        f.box.mark(message)
        return message

    def check_all(self) -> None:
        """Re-check every field (after the kind changed, for instance)."""
        for name in self.fields:
            self.check(name)

    def mark_errors(self, errors: dict[str, str]) -> None:
        """Show a full validation's messages; fields not named are cleared."""
        for name, f in self.fields.items():
            f.box.mark(errors.get(name))

    def first_invalid(self) -> QWidget | None:
        """The first field (in tab order of building) now marked as refused."""
        return next((f.box.editor for f in self.fields.values() if f.box.editor.property("invalid")), None)


def as_date(value: Any) -> date | None:
    """A value that is a date, or None."""
    return value if isinstance(value, date) else None
