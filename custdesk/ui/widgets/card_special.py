"""The Special tab of the client card: how the client buys, the terms of the deal, the competitor, notes,
and the working rules (temperature is in the header; the call cycle override is here).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from custdesk.core.dto import SPECIAL_FIELDS, ClientCard
from custdesk.i18n import _
from custdesk.ui.widgets.card_form import CardForm
from custdesk.ui.widgets.fields import two_column_page


class SpecialPanel(CardForm):
    """Special data of a client card."""

    def __init__(self, region: Callable[[], str], kind: Callable[[], str], parent: QWidget | None = None):
        super().__init__(region, kind, parent)
        buying = QGroupBox(_("Buying"))
        form = QFormLayout(buying)
        form.addRow(
            _("Particulars:"), self.text_field("buying_particulars", _("What and how the client buys"))
        )
        form.addRow(_("Preferred products:"), self.text_field("preferred_products", lines=2))
        form.addRow(_("Usual volume:"), self.line_field("usual_volume", _("e.g. 20 boxes a month")))

        terms = QGroupBox(_("Terms of the deal"))
        form = QFormLayout(terms)
        form.addRow(_("Deal terms:"), self.text_field("deal_terms", lines=2))
        discount = self.decimal_field("discount_percent", _("0–100"))
        discount.editor.setMaximumWidth(90)
        form.addRow(_("Discount, %:"), discount)
        form.addRow(_("Payment terms:"), self.line_field("payment_terms", _("e.g. 14 days net")))
        form.addRow(_("Delivery terms:"), self.line_field("delivery_terms", _("e.g. pick-up, courier")))
        contract = QHBoxLayout()
        contract.addWidget(self.line_field("contract_no"), 1)
        contract.addWidget(QLabel(_("ends:")))
        contract.addWidget(self.date_field("contract_end", ""), 1)
        form.addRow(_("Contract no.:"), contract)

        competitor = QGroupBox(_("Competitor"))
        form = QFormLayout(competitor)
        form.addRow(_("Competitor:"), self.line_field("competitor", _("Whom the client chose instead")))
        form.addRow(_("Its advantage:"), self.text_field("competitor_advantage", lines=2))

        work = QGroupBox(_("Working rules"))
        form = QFormLayout(work)
        cycle = self.days_field("call_cycle_days", _("by temperature"))
        cycle.editor.setMaximumWidth(160)
        form.addRow(_("Call cycle:"), cycle)

        notes = QGroupBox(_("Notes"))
        notes_layout = QVBoxLayout(notes)
        notes_layout.addWidget(self.text_field("notes", _("Anything worth remembering"), lines=5))

        left = QVBoxLayout()
        left.addWidget(buying)
        left.addWidget(competitor)
        left.addWidget(notes)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(terms)
        right.addWidget(work)
        right.addStretch(1)
        two_column_page(self, left, right)

    def set_card(self, card: ClientCard | None) -> None:
        """Show a stored card (None: empty)."""
        names = (*SPECIAL_FIELDS, "call_cycle_days")
        values: dict[str, Any] = {n: (getattr(card, n) if card is not None else None) for n in names}
        self.set_values(values)
