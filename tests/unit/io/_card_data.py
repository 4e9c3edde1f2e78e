"""Clients for the printing tests, made through the services (what a user would have typed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput, PhoneInput, PurchaseInput
from custdesk.core.models import Interaction
from custdesk.core.services import clients, purchases, settings

FIRM = 'Smith & Sons <Hardware> "Ltd"'
# Every printed field of the rich client, with the text a reader must find on paper.
RICH = ClientInput(
    kind="organisation",
    name="Mary O'Brien",
    organisation='Acme <Tools> & "Co"',
    tax_id="TAX-4455<1>",
    registration_no="REG&99",
    bank_details="Bank <North> & Co, acct 001",
    country="US",
    region="Illinois",
    city="Springfield",
    district="Downtown",
    street="Main St.",
    building="12",
    postcode="62701",
    birthday=date(1980, 5, 17),
    source="Trade fair <2024>",
    vip=True,
    buying_particulars="Buys in bulk & pays cash",
    preferred_products="Hammers <steel>",
    usual_volume="40 boxes",
    deal_terms="Net 30 & early-pay",
    discount_percent=Decimal("7.5"),
    payment_terms="30 days <net>",
    delivery_terms="Pickup & van",
    contract_no="C-2024/17",
    contract_end=date(2030, 3, 31),
    competitor="BigBox & More",
    competitor_advantage="Lower <prices>",
    notes='Call before 10 "sharp"\nPrefers e-mail',
    temperature="hot",
    call_cycle_days=5,
    phones=(PhoneInput("+12025550123", "work", True, "12"), PhoneInput("+12025550199", "mobile")),
    emails=(EmailInput("mary@acme.example", "work", True),),
    tags=("wholesale",),
)


def rich_client(db: Database, *, history: int = 12) -> int:
    """The rich client with three purchases and ``history`` entries ("Entry 000" oldest); its id."""
    settings.set_values(db, {"firm_name": FIRM, "currency": "USD", "phone_region": "US"})
    card = clients.create_client(db, RICH)
    for day, amount in (
        (date(2024, 1, 5), "120.00"),
        (date(2024, 6, 7), "80.50"),
        (date(2025, 2, 1), "310.25"),
    ):
        purchases.add_purchase(db, card.id, PurchaseInput(day, Decimal(amount), items="tools"))
    add_history(db, card.id, history)
    return card.id


def add_history(db: Database, client_id: int, n: int, *, words: int = 0) -> None:
    """``n`` history entries, "Entry 000" the oldest; ``words`` more words make an entry wrap."""
    start = datetime(2023, 1, 2, 9, 30)
    with db.session() as s:
        for i in range(n):
            s.add(
                Interaction(
                    client_id=client_id,
                    kind=("call", "meeting", "email", "visit")[i % 4],
                    occurred_at=start + timedelta(days=i),
                    outcome=("reached", "interested", "no-answer", "")[i % 4],
                    text=f"Entry {i:03d} <said> & agreed" + " more" * (words * (i % 3)),
                    next_step="Send prices" if i % 5 == 0 else "",
                    created_by="anna",
                    created_at=start,
                )
            )


def plain_client(db: Database, name: str, **values: object) -> int:
    """A client with a name, a phone and whatever else ``values`` give; its id."""
    values.setdefault("phones", (PhoneInput("+12025550111"),))
    data = ClientInput(name=name, **values)  # type: ignore[arg-type]
    return clients.create_client(db, data).id
