"""The card's tab of the firm's own fields: one group per card section, an editor per field by kind.

The fields come from the catalogue (``custdesk.core.fields``, built when the card loads); each edit is
checked by the field's kind with :func:`custdesk.core.fields.canonical`, as the service checks it on save.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QVBoxLayout, QWidget

from custdesk.core import fields
from custdesk.core.fields import FieldSpec
from custdesk.i18n import _
from custdesk.ui.widgets.card_form import CardForm
from custdesk.ui.widgets.fields import number_text, two_column_page


class CustomPanel(CardForm):
    """The firm's own fields of a client card, grouped by section."""

    def __init__(self, region: Callable[[], str], kind: Callable[[], str], parent: QWidget | None = None):
        super().__init__(region, kind, parent)
        self.specs: dict[str, FieldSpec] = {}
        self._body = QWidget()
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.addWidget(self._body)

    def build(self, specs: Sequence[FieldSpec]) -> None:
        """Lay out one editor per custom field (called once, when the card has loaded)."""
        self.specs = {f.key: f for f in specs}
        self.fields.clear()
        sections: dict[str, QFormLayout] = {}
        groups: list[QGroupBox] = []
        for spec in specs:
            title = spec.section_title()
            if title not in sections:
                group = QGroupBox(title)
                sections[title] = QFormLayout(group)
                groups.append(group)
            label = spec.title() + (" *" if spec.required else "")
            sections[title].addRow(_("{field}:").format(field=label), self._editor(spec))
        left, right = QVBoxLayout(), QVBoxLayout()
        for i, group in enumerate(groups):
            (left if i % 2 == 0 else right).addWidget(group)
        left.addStretch(1)
        right.addStretch(1)
        page = QWidget()
        two_column_page(page, left, right)
        self._outer.replaceWidget(self._body, page)
        self._body.deleteLater()
        self._body = page

    def _editor(self, spec: FieldSpec) -> QWidget:
        key = spec.key
        if spec.kind in ("number", "money"):
            box = self.decimal_field(key)
            editor = box.editor
            assert isinstance(editor, QLineEdit)

            def show(value: Decimal | None) -> None:
                # As many places as the value has (a number), two for money; digits of the language.
                places = (
                    2 if spec.kind == "money" else max(0, -int(value.as_tuple().exponent)) if value else 0
                )
                editor.setText("" if value is None else number_text(value, places))

            self.fields[key].set = show
            return box
        if spec.kind == "date":
            return self.date_field(key, "")
        if spec.kind == "yesno":
            return self.combo_field(key, {"": "", "1": _("Yes"), "0": _("No")})
        if spec.kind == "choice":
            return self.combo_field(key, {"": "", **{c: c for c in spec.choices}})
        return self.line_field(key, max_length=fields.MAX_VALUE_LENGTH)

    def check(self, name: str) -> str | None:
        """Re-check one field by its kind and mark it."""
        f = self.fields[name]
        _text, message = fields.canonical(self.specs[name], f.get())
        f.box.mark(message)
        return message

    def set_texts(self, texts: dict[str, str]) -> None:
        """Show a card's stored values (``ClientCard.custom``)."""
        values: dict[str, Any] = {}
        for key, spec in self.specs.items():
            text = texts.get(key)
            if spec.kind in ("yesno", "choice", "text"):
                values[key] = text or ""
            else:
                values[key] = fields.python_value(spec, text)
        self.set_values(values)

    def texts(self) -> dict[str, Any]:
        """The values as typed, for ``ClientInput.custom`` (the service checks and normalises them)."""
        out: dict[str, Any] = {}
        for key, value in self.values().items():
            if isinstance(value, Decimal | date):
                out[key] = value
            else:
                out[key] = value if value not in ("", None) else None
        return out
