"""The printed card shows the firm's own fields that hold a value, under their sections, in the locale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from custdesk import i18n
from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients, custom_fields, settings
from custdesk.io.cards import card_html, load_card
from custdesk.io.print_html import esc


def test_own_fields_are_printed_under_their_sections(db: Database) -> None:
    settings.set_values(db, {"currency": "EUR"})
    custom_fields.create_field(db, "Discount card", "text", section="Loyalty")
    custom_fields.create_field(db, "Deposit", "money", section="Loyalty")
    custom_fields.create_field(db, "Member since", "date")
    custom_fields.create_field(db, "Car <model>", "text")
    card, deposit, since, _car = custom_fields.list_fields(db)
    values = {card.key: "0004512", deposit.key: "1500.50", since.key: "2024-05-01"}
    phone = (PhoneInput("+12025550100"),)
    cid = clients.create_client(db, ClientInput(name="Ann", phones=phone, custom=values)).id
    page = card_html(load_card(db, cid))
    assert "Loyalty" in page and "Own fields" in page
    assert "0004512" in page
    assert esc(i18n.format_money(Decimal("1500.50"), "EUR")) in page
    assert esc(i18n.format_date(date(2024, 5, 1))) in page
    assert page.index("Discount card") < page.index("Deposit")
    assert "Car &lt;model&gt;" not in page  # a field without a value leaves no row
