"""The Purchases tab of the client card: the client's purchases, add/edit/delete, and the totals.

Amounts are ``Decimal`` end to end: typed in the locale's style, parsed exactly, shown right-aligned
through :mod:`custdesk.ui.formatting`. The small form dialog :class:`PurchaseDialog` adds or edits one.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
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
    QWidget,
)

from custdesk.core.db import Database
from custdesk.core.dto import PurchaseDTO, PurchaseInput, PurchaseTotals
from custdesk.core.errors import ValidationFailed
from custdesk.core.services import access, purchases
from custdesk.i18n import _, ngettext
from custdesk.ui.formatting import isolate_phone, isolate_text
from custdesk.ui.tasks import TaskRunner, show_error
from custdesk.ui.widgets.fields import (
    FORM_STYLE,
    FieldBox,
    date_edit,
    date_text,
    guarded,
    money_text,
    number_text,
    parse_decimal,
    qdate_to_date,
    required_label,
)

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class PurchaseDialog(QDialog):
    """Add or edit one purchase: date, amount, profit, what was bought, document number."""

    def __init__(self, currency: str, purchase: PurchaseDTO | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Edit purchase") if purchase else _("New purchase"))
        self.setStyleSheet(FORM_STYLE)
        self.date = date_edit()
        self.amount = FieldBox(QLineEdit())
        self.profit = FieldBox(QLineEdit())
        self.items = QLineEdit()
        self.document_no = QLineEdit()
        for box in (self.amount, self.profit):
            edit = box.editor
            assert isinstance(edit, QLineEdit)
            edit.setAlignment(RIGHT)
            edit.textChanged.connect(lambda _t: self._check())
        self.amount.editor.setObjectName("amount")
        self.profit.editor.setObjectName("profit")
        self.items.setObjectName("items")
        self.document_no.setObjectName("document_no")
        form = self.form = QFormLayout(self)
        form.addRow(_("Date:"), self.date)
        form.addRow(QLabel(required_label(_("Amount, {currency}:").format(currency=currency))), self.amount)
        form.addRow(_("Profit, {currency}:").format(currency=currency), self.profit)
        form.addRow(_("What was bought:"), self.items)
        form.addRow(_("Document no.:"), self.document_no)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        if purchase is not None:
            d = purchase.purchased_on
            self.date.setDate(QDate(d.year, d.month, d.day))
            self.amount.editor.setText(number_text(purchase.amount))  # type: ignore[attr-defined]
            if purchase.profit is not None:
                self.profit.editor.setText(number_text(purchase.profit))  # type: ignore[attr-defined]
            self.items.setText(purchase.items)
            self.document_no.setText(purchase.document_no)
        self._check()
        self.setMinimumWidth(380)

    def hide_profit(self) -> None:
        """No profit field for a user who sees no profit (a seller): the service keeps the stored one."""
        self.form.setRowVisible(self.profit, False)

    def _parse(self, box: FieldBox, required: bool) -> tuple[Decimal | None, str | None]:
        text = box.editor.text()  # type: ignore[attr-defined]
        try:
            value = parse_decimal(text)
        except ValueError:
            return None, _("“{text}” is not an amount.").format(text=text.strip())
        if value is None and required:
            return None, _("Enter the amount.")
        if value is not None and value != value.quantize(Decimal("0.01")):
            return None, _("At most two decimal places.")
        return value, None

    def _check(self) -> bool:
        amount_error = self._parse(self.amount, True)[1]
        profit_error = self._parse(self.profit, False)[1]
        typed = bool(self.amount.editor.text().strip())  # type: ignore[attr-defined]
        self.amount.mark(amount_error if typed else None)
        self.profit.mark(profit_error)
        ok = amount_error is None and profit_error is None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def accept(self) -> None:
        """Close only with a valid purchase."""
        if self._check():
            super().accept()

    def value(self) -> PurchaseInput:
        """The purchase as entered."""
        amount = self._parse(self.amount, True)[0]
        assert amount is not None
        return PurchaseInput(
            purchased_on=qdate_to_date(self.date.date()),
            amount=amount,
            profit=self._parse(self.profit, False)[0],
            items=self.items.text().strip(),
            document_no=self.document_no.text().strip(),
        )


class PurchasesPanel(QWidget):
    """The purchases table with its buttons and totals; ``purchases_changed`` after a change."""

    purchases_changed = Signal()
    COLUMNS = ("date", "amount", "profit", "items", "document_no")

    def __init__(self, runner: TaskRunner, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.db = runner, db
        self.client_id: int | None = None
        self.currency = "USD"
        self.rows: list[PurchaseDTO] = []
        self.totals: PurchaseTotals | None = None

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("purchases_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.add_button = QPushButton(_("Add purchase…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete"))
        self.add_button.clicked.connect(self.add_purchase)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        for b in (self.add_button, self.edit_button, self.delete_button):
            b.setAutoDefault(False)

        self.totals_label = QLabel()
        self.totals_label.setObjectName("purchase_totals")
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals_label)
        self._set_headers()
        self.show_profit(access.allows(db, access.Permission.SEE_PROFIT))
        self.set_client(None)

    def show_profit(self, shown: bool) -> None:
        """Show or hide the profit column (a seller sees no profit; the service sends none either)."""
        self.table.setColumnHidden(2, not shown)

    def _set_headers(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                _("Date"),
                _("Amount, {currency}").format(currency=self.currency),
                _("Profit, {currency}").format(currency=self.currency),
                _("What was bought"),
                _("Document no."),
            ]
        )
        for col in (1, 2):
            item = self.table.horizontalHeaderItem(col)
            if item is not None:
                item.setTextAlignment(RIGHT)

    def set_currency(self, currency: str) -> None:
        """The firm's currency (ISO 4217)."""
        self.currency = currency
        self._set_headers()

    # --- loading ----------------------------------------------------------------------------------

    def set_client(self, client_id: int | None) -> None:
        """Show the purchases of ``client_id`` (None: a new client)."""
        self.client_id = client_id
        self.add_button.setEnabled(client_id is not None)
        if client_id is None:
            self.show_rows([], None)
            self.totals_label.setText(_("Save the card first to record purchases."))
        else:
            self.reload()

    def reload(self) -> None:
        """Fetch the purchases and the totals again."""
        if self.client_id is None:
            return
        cid = self.client_id

        def fetch() -> tuple[list[PurchaseDTO], PurchaseTotals]:
            return purchases.list_purchases(self.db, cid), purchases.purchase_totals(self.db, cid)

        self.runner.run(fetch, on_done=guarded(self, lambda r: self.show_rows(*r)))

    def show_rows(self, rows: Sequence[PurchaseDTO], totals: PurchaseTotals | None) -> None:
        """Show purchases (newest first) and totals."""
        self.rows = sorted(rows, key=lambda p: (p.purchased_on, p.id), reverse=True)
        self.totals = totals
        self.table.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            cells = (
                date_text(p.purchased_on),
                number_text(p.amount),
                number_text(p.profit) if p.profit is not None else "",
                isolate_text(p.items),
                isolate_phone(p.document_no),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (1, 2):
                    item.setTextAlignment(RIGHT)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, p.id)
                self.table.setItem(r, c, item)
        self._show_totals()
        self._selection_changed()

    def _show_totals(self) -> None:
        t = self.totals
        if t is None or t.count == 0:
            self.totals_label.setText(_("No purchases yet.") if self.client_id is not None else "")
            return
        parts = [
            ngettext("<b>{n}</b> purchase", "<b>{n}</b> purchases", t.count).format(n=number_text(t.count)),
            _("total <b>{total}</b>").format(total=money_text(t.total, self.currency)),
            _("average {average}").format(average=money_text(t.average, self.currency)),
            _("last on {date}").format(date=date_text(t.last)),
        ]
        if t.profit is not None:
            parts.insert(2, _("profit {profit}").format(profit=money_text(t.profit, self.currency)))
        self.totals_label.setText(" · ".join(parts))

    # --- actions ----------------------------------------------------------------------------------

    def selected(self) -> PurchaseDTO | None:
        """The purchase of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def add_purchase(self) -> None:
        """Ask for a new purchase and store it."""
        if self.client_id is None:
            return
        dialog = PurchaseDialog(self.currency, None, self)
        if self.table.isColumnHidden(2):
            dialog.hide_profit()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.runner.run(
                purchases.add_purchase,
                self.db,
                self.client_id,
                dialog.value(),
                on_done=guarded(self, self._stored),
                on_error=guarded(self, self._failed),
            )

    def edit_selected(self) -> None:
        """Edit the selected purchase."""
        purchase = self.selected()
        if purchase is None:
            return
        dialog = PurchaseDialog(self.currency, purchase, self)
        if self.table.isColumnHidden(2):
            dialog.hide_profit()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.runner.run(
                purchases.update_purchase,
                self.db,
                purchase.id,
                dialog.value(),
                on_done=guarded(self, self._stored),
                on_error=guarded(self, self._failed),
            )

    def delete_selected(self) -> None:
        """Delete the selected purchase after a confirmation (a wrongly entered one)."""
        purchase = self.selected()
        if purchase is None:
            return
        answer = QMessageBox.question(
            self,
            _("Delete purchase"),
            _(
                "Delete the purchase of {date} for {amount}? Use this only for a purchase entered by mistake."
            ).format(
                date=date_text(purchase.purchased_on), amount=money_text(purchase.amount, self.currency)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.runner.run(
                purchases.delete_purchase,
                self.db,
                purchase.id,
                on_done=guarded(self, self._stored),
                on_error=guarded(self, self._failed),
            )

    def _stored(self, _result: object) -> None:
        self.reload()
        self.purchases_changed.emit()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationFailed):
            QMessageBox.warning(self, _("Purchase not saved"), str(exc))
            return
        show_error(self, exc)
