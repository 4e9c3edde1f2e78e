"""A small base for the export and round-trip tests, made with the services as a user would.

Clients in Latin, Cyrillic and Persian script, organisations, several phones and e-mails, birthdays,
notes with line breaks and characters vCard and CSV must escape, text that looks like a formula, and
purchases (returns included) and history for some of them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput, InteractionInput, PhoneInput, PurchaseInput
from custdesk.core.services import clients, history, purchases, settings

CLIENTS: tuple[ClientInput, ...] = (
    ClientInput(
        external_id="C-001",
        name="Иван Петров",
        city="Москва",
        region="Московская область",
        street="ул. Ленина, 5",
        country="RU",
        birthday=date(1980, 2, 29),
        notes="Любит кофе; звонить после 18:00,\nне раньше",
        vip=True,
        temperature="hot",
        call_cycle_days=10,
        discount_percent=Decimal("7.50"),
        contract_no="Д-17/2024",
        contract_end=date(2025, 6, 30),
        competitor="Кофейня №1",
        competitor_advantage="ближе к дому",
        buying_particulars="по пятницам",
        preferred_products="арабика",
        usual_volume="2 кг",
        deal_terms="-5% при самовывозе",
        payment_terms="наличные",
        delivery_terms="самовывоз",
        phones=(PhoneInput("+7 912 345-67-89", "mobile", True), PhoneInput("+7 495 123-45-67", "work")),
        emails=(EmailInput("ivan@example.ru", "work", True), EmailInput("ivan.p@mail.example", "personal")),
    ),
    ClientInput(
        external_id="C-002",
        name="مریم احمدی",
        city="تهران",
        country="IR",
        birthday=date(1992, 11, 3),
        phones=(PhoneInput("+98 912 123 4567", "mobile", True),),
        emails=(EmailInput("maryam@example.ir", "personal", True),),
    ),
    ClientInput(
        external_id="C-003",
        kind="organisation",
        name="Anna Virtanen",
        organisation="Kahvila Oy",
        city="Helsinki",
        street="Mannerheimintie 1",
        postcode="00100",
        country="FI",
        tax_id="1234567-8",
        registration_no="FI12345678",
        bank_details="FI21 1234 5600 0007 85\nNordea",
        temperature="cold",
        notes='=HYPERLINK("http://evil") pays late',
        phones=(PhoneInput("+358 40 123 4567", "mobile", True), PhoneInput("+358 9 123 4567", "fax")),
        emails=(EmailInput("anna@kahvila.fi", "work", True), EmailInput("anna@virtanen.fi", "other")),
    ),
    ClientInput(
        external_id="C-004",
        name="John Smith",
        city="Springfield",
        region="Illinois",
        source="-referral",
        notes="@home, +1 call back; a\\b",
        phones=(PhoneInput("+1 202 555 0143", "home", True),),
        emails=(EmailInput("john@example.com", "work", True),),
        tags=("wholesale",),
    ),
)


def make_base(db: Database) -> dict[str, int]:
    """Fill ``db`` with :data:`CLIENTS`, purchases and history; returns external id -> client id."""
    settings.set_values(db, {"phone_region": "US"})
    ids = {c.external_id or "": clients.create_client(db, c).id for c in CLIENTS}
    clients.set_funnel(db, ids["C-004"], "yellow")
    purchases.add_purchase(
        db,
        ids["C-001"],
        PurchaseInput(date(2024, 3, 5), Decimal("1234.50"), Decimal("300.00"), "Кофе, 2 кг", "INV-1"),
    )
    purchases.add_purchase(
        db, ids["C-001"], PurchaseInput(date(2024, 3, 9), Decimal("-234.50"), None, "Возврат")
    )
    purchases.add_purchase(db, ids["C-002"], PurchaseInput(date(2023, 12, 31), Decimal("99.99"), items="چای"))
    purchases.add_purchase(db, ids["C-003"], PurchaseInput(date(2024, 1, 15), Decimal("0.00"), items="=1+2"))
    history.add_interaction(
        db,
        ids["C-001"],
        InteractionInput(
            "call", datetime(2024, 3, 1, 10, 30), "reached", "Спросил про скидку", "Перезвонить", 300
        ),
    )
    history.add_interaction(
        db, ids["C-002"], InteractionInput("meeting", datetime(2024, 2, 20, 15, 0), "interested", "دیدار", "")
    )
    history.add_interaction(
        db, ids["C-004"], InteractionInput("note", datetime(2024, 1, 2, 9, 5), "", "+ bring samples", "")
    )
    return ids
