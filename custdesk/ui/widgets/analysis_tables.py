"""The tables of the analysis tab: class summaries (ABC, XYZ, RFM, scores) and the editable sales plan.

Tables only show what the tab gives them; a click on a row of a class table asks for its clients
(``row_clicked`` with the row's target), and the plan table reports an edited month
(``plan_edited(month, amount or None)``) after checking the amount the owner typed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from custdesk.i18n import _, month_and_year
from custdesk.ui.formatting import native_digits, ui_locale

TargetRole = Qt.ItemDataRole.UserRole + 10
MonthRole = Qt.ItemDataRole.UserRole + 11
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SummaryTable(QTableWidget):
    """A small read-only table sized to its rows; a click on a row with a target emits it."""

    row_clicked = Signal(object)
    row_menu_requested = Signal(object, object)  # the row's target, the global QPoint (right click)

    def __init__(self, name: str, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(list(headers))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cellClicked.connect(self._clicked)
        self.cellActivated.connect(self._clicked)

    def set_rows(self, rows: Sequence[tuple[Sequence[str], Any]], numeric_from: int = 1) -> None:
        """Rows of texts with their targets (None: not clickable); numbers from column ``numeric_from``."""
        self.setRowCount(len(rows))
        for r, (texts, target) in enumerate(rows):
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c >= numeric_from:
                    item.setTextAlignment(RIGHT)
                if target is not None:
                    item.setData(TargetRole, target)
                    item.setToolTip(_("Click to see these clients in the list"))
                self.setItem(r, c, item)
        self.resizeColumnsToContents()
        height = self.horizontalHeader().height() + sum(self.rowHeight(r) for r in range(len(rows)))
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)
        width = sum(self.columnWidth(c) for c in range(self.columnCount()))
        self.setFixedWidth(width + 2 * self.frameWidth() + 2)

    def target_at(self, row: int) -> Any:
        """The target of ``row`` (None: not clickable)."""
        item = self.item(row, 0)
        return item.data(TargetRole) if item is not None else None

    def _menu(self, pos: Any) -> None:
        index = self.indexAt(pos)
        target = self.target_at(index.row()) if index.isValid() else None
        if target is not None:
            self.selectRow(index.row())
            self.row_menu_requested.emit(target, self.viewport().mapToGlobal(pos))

    def _clicked(self, row: int, _column: int) -> None:
        item = self.item(row, 0)
        target = item.data(TargetRole) if item is not None else None
        if target is not None:
            self.row_clicked.emit(target)


def parse_amount(text: str) -> Decimal | None:
    """An amount typed in the interface language ("12,500.50", "12 500,50"); empty: None.

    The cell's own text parses too, as a person edits it: currency signs, spaces of any width and the
    invisible direction marks of a right-to-left language are left out.

    Raises:
        ValueError: not an amount, or a negative one.
    """
    loc = ui_locale()
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Sc", "Cf", "Zs"))
    cleaned = kept.replace(loc.groupSeparator(), "")
    if not cleaned:
        return None
    cleaned = cleaned.replace(loc.decimalPoint(), ".")
    digits = str.maketrans("".join(loc.toString(i) for i in range(10)), "0123456789")
    try:
        value = Decimal(cleaned.translate(digits))
    except InvalidOperation:
        raise ValueError(text) from None
    if value < 0 or not value.is_finite():
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


class PlanTable(QTableWidget):
    """Months with their plan (editable), actual revenue and fulfilment."""

    plan_edited = Signal(object, object)  # date (first of the month), Decimal | None
    bad_amount = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("planTable")
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setHorizontalHeaderLabels([_("Month"), _("Plan"), _("Actual"), _("Fulfilment")])
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self._filling = False
        self.itemChanged.connect(self._changed)

    def set_months(self, months: Sequence[Any], money: Any, percent: Any) -> None:
        """Fill with ``PlanMonth`` rows; ``money(Decimal)`` and ``percent(Decimal)`` format the cells."""
        self._filling = True
        try:
            self.setRowCount(len(months))
            for r, m in enumerate(months):
                label = QTableWidgetItem(month_and_year(m.month))
                label.setFlags(Qt.ItemFlag.ItemIsEnabled)
                label.setData(MonthRole, m.month)
                plan = QTableWidgetItem("" if m.plan is None else money(m.plan))
                plan.setTextAlignment(RIGHT)
                plan.setToolTip(_("Type the plan of the month; empty removes it"))
                plan.setData(MonthRole, m.month)
                actual = QTableWidgetItem("" if m.future else money(m.actual))
                shown = m.fulfilment_to_date if m.partial else m.fulfilment
                fulfilment = QTableWidgetItem("")
                if shown is not None and not m.future:
                    text = percent(shown)
                    fulfilment.setText(_("{percent} to date").format(percent=text) if m.partial else text)
                    colour = "#2E7D32" if shown >= 100 else "#C62828"
                    fulfilment.setForeground(QBrush(QColor(colour)))
                if m.partial:
                    note = _(
                        "The month is under way: {passed} of {days} days; its fulfilment is to date, "
                        "against the plan prorated to those days."
                    ).format(passed=native_digits(str(m.days_passed)), days=native_digits(str(m.days)))
                    for item in (label, actual, fulfilment):
                        item.setToolTip(note)
                for item in (actual, fulfilment):
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    item.setTextAlignment(RIGHT)
                for c, item in enumerate((label, plan, actual, fulfilment)):
                    self.setItem(r, c, item)
            self.resizeColumnsToContents()
        finally:
            self._filling = False

    def row_of(self, month: date) -> int | None:
        """The row of a month."""
        for r in range(self.rowCount()):
            item = self.item(r, 0)
            if item is not None and item.data(MonthRole) == month:
                return r
        return None

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 1:
            return
        month = item.data(MonthRole)
        try:
            amount = parse_amount(item.text())
        except ValueError:
            self.bad_amount.emit(item.text())
            return
        self.plan_edited.emit(month, amount)


__all__ = ["PlanTable", "SummaryTable", "TargetRole", "parse_amount"]
