"""Small building blocks of the card forms: marked fields, an optional date, locale formatting.

A refused field carries the dynamic property ``invalid`` (the stylesheet in :data:`FORM_STYLE` gives it a
red border) and its reason as a tooltip; a :class:`FieldBox` also shows the reason in a label under the
field. Numbers, money and dates go through :mod:`custdesk.ui.formatting` (QLocale; money exact).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from custdesk.i18n import _
from custdesk.ui import formatting

T = TypeVar("T")

ERROR_COLOUR = "#C0392B"

FORM_STYLE = f"""
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"],
QDateEdit[invalid="true"], QSpinBox[invalid="true"] {{
    border: 1px solid {ERROR_COLOUR};
    border-radius: 2px;
    background: rgba(192, 57, 43, 0.12);  /* a red tint over the palette: light or dark */
    padding: 1px 2px;
}}
QLabel[role="error"] {{ color: {ERROR_COLOUR}; }}
QLabel[role="hint"] {{ color: palette(placeholder-text); }}
QLabel[over="true"] {{ color: {ERROR_COLOUR}; font-weight: bold; }}
"""


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def mark(widget: QWidget, message: str | None, label: QLabel | None = None) -> None:
    """Mark ``widget`` as refused with ``message`` (None: clear the mark)."""
    invalid = bool(message)
    if bool(widget.property("invalid")) != invalid:
        widget.setProperty("invalid", invalid)
        repolish(widget)
    widget.setToolTip(message or "")
    if label is not None:
        if invalid:
            label.setText(message or "")
            # Once a reason was shown, its room stays when it goes: the fields below do not jump
            # under the cursor while the owner corrects this one.
            policy = label.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            label.setSizePolicy(policy)
        label.setVisible(invalid)


def error_label() -> QLabel:
    """A hidden red label that shows the reason a field was refused."""
    label = QLabel()
    label.setProperty("role", "error")
    label.setWordWrap(True)
    # Never squeezed below its lines: when its room is kept after it went, the room is all of it.
    policy = label.sizePolicy()
    policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
    label.setSizePolicy(policy)
    label.setVisible(False)
    return label


def required_label(text: str) -> str:
    """A form label with the red asterisk of a required field (rich text)."""
    return f'{text}&nbsp;<span style="color:{ERROR_COLOUR}">*</span>'


class FieldBox(QWidget):
    """A field with its error label underneath; ``mark(message)`` marks both."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    def mark(self, message: str | None) -> None:
        """Show ``message`` as the reason the field is refused (None: valid)."""
        mark(self.editor, message, self.error)

    @property
    def message(self) -> str:
        """The reason shown now (empty when valid)."""
        return self.error.text() if self.error.isVisibleTo(self) else ""


class OptionalDateEdit(QWidget):
    """A date that may be absent: a check box switches the date editor on ("no date" when off)."""

    changed = Signal()

    def __init__(self, check_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(check_text)
        self.edit = date_edit()
        self.edit.setVisible(False)  # no date: no misleading greyed date either
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        layout.addStretch(0)
        self.check.toggled.connect(self.edit.setVisible)
        self.check.toggled.connect(lambda _on: self.changed.emit())
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.setFocusProxy(self.check)

    def value(self) -> date | None:
        """The date, or None when the check box is off."""
        if not self.check.isChecked():
            return None
        return qdate_to_date(self.edit.date())

    def set_value(self, value: date | None) -> None:
        """Show ``value`` (None: no date)."""
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))


def date_edit(value: QDate | None = None) -> QDateEdit:
    """A date editor with a calendar, in the interface language's short format with a 4-digit year, its
    digits and its calendar (the Persian one when chosen)."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    fmt = formatting.ui_locale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy")
    edit.setDisplayFormat(fmt)
    edit.setDate(value or QDate.currentDate())
    formatting.apply_calendar(edit)
    return edit


def qdate_to_date(value: QDate) -> date:
    """A QDate as a Python date."""
    return date(value.year(), value.month(), value.day())


def date_text(value: date | datetime | None) -> str:
    """A date in the interface language's short format (empty for None)."""
    if value is None:
        return ""
    return formatting.format_date(value.date() if isinstance(value, datetime) else value)


def datetime_text(value: datetime | None) -> str:
    """A date and time in the interface language's short format and calendar (empty for None)."""
    return formatting.format_datetime(value)


def number_text(value: Decimal | int, places: int = 2) -> str:
    """A number with the locale's grouping and decimal sign, exact (no float on the way)."""
    if isinstance(value, int):
        return formatting.format_number(value)
    return formatting.format_decimal(value, places=places)


def money_text(value: Decimal | None, currency: str) -> str:
    """An amount of money in ``currency`` as the interface language writes it (empty for None)."""
    return formatting.format_money(value, currency)


def parse_decimal(text: str) -> Decimal | None:
    """A number typed by a person in the locale's style (``1 234,50`` or ``1234.50``); None when empty.

    Raises:
        ValueError: the text is not a number.
    """
    loc = formatting.ui_locale()
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not cleaned:
        return None
    group = loc.groupSeparator()
    point = loc.decimalPoint()
    if group and group != point:
        cleaned = cleaned.replace(group, "")
    cleaned = cleaned.replace(point, ".").replace(",", ".").replace(loc.negativeSign(), "-")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(_("Not a number.")) from exc
    if not value.is_finite():
        raise ValueError(_("Not a number."))
    return value


def hint_label(text: str) -> QLabel:
    """A grey explanatory label."""
    label = QLabel(text)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def guarded(widget: QWidget, fn: Callable[[T], None]) -> Callable[[T], None]:
    """``fn`` that does nothing once ``widget`` is gone (a result may arrive after a window closed)."""

    def call(value: T) -> None:
        if shiboken6.isValid(widget):
            fn(value)

    return call


def two_column_page(owner: QWidget, left: QLayout, right: QLayout) -> None:
    """Lay ``owner`` (a tab of the card) out as two equal columns in a frameless scroll area."""
    inner = QWidget()
    columns = QHBoxLayout(inner)
    columns.addLayout(left, 1)
    columns.addLayout(right, 1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(inner)
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
