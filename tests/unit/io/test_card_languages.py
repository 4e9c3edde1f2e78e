"""The printed card in Persian and Russian: dates through i18n.format_date (Jalali, Persian digits), money
and numbers in the language's digits, client text isolated, no italics in Persian."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal

from custdesk import i18n
from custdesk.core.db import Database
from custdesk.core.models import Client
from custdesk.io.cards import card_html, load_card
from custdesk.io.print_html import FSI, PDI, when
from tests.unit.io._card_data import rich_client

ASCII_DIGITS = re.compile(r"[0-9]")
CONTACT = datetime(2026, 11, 18, 10, 14)


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")
    i18n.set_jalali(None)


def _persian_card(db: Database) -> str:
    cid = rich_client(db, history=3)
    with db.session() as s:
        client = s.get(Client, cid)
        assert client is not None
        client.last_contact_at = CONTACT
    i18n.set_language("fa")
    return card_html(load_card(db, cid))


def _row(page: str, label: str) -> str:
    """The text of the card's row labelled ``label`` (markup left out)."""
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page) if label in r)
    return re.sub(r"<[^>]+>", " ", row)


def test_i18n_formats_use_persian_digits() -> None:
    i18n.set_language("fa")
    assert i18n.format_number(1234567) == "۱٬۲۳۴٬۵۶۷"
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    cldr = {"locale": "fa_IR", "numbering_system": "default"}
    assert i18n.format_number(Decimal("12.5")) == format_decimal(Decimal("12.5"), **cldr).translate(persian)
    money = i18n.format_money(Decimal("48584.19"), "USD")
    assert money == format_currency(Decimal("48584.19"), "USD", **cldr).translate(persian)
    assert "$" in money and not ASCII_DIGITS.search(money)
    assert i18n.format_datetime(CONTACT) == "۱۴۰۵/۸/۲۷ ۱۰:۱۴"  # Jalali, Persian digits
    i18n.set_jalali(False)
    assert i18n.format_datetime(CONTACT).startswith("۲۰۲۶/۱۱/۱۸")
    i18n.set_language("ru")
    assert i18n.format_money(Decimal("48584.19"), "USD") == format_currency(
        Decimal("48584.19"), "USD", locale="ru_RU"
    )
    assert i18n.format_datetime(CONTACT) == "18.11.2026 10:14"
    i18n.set_language("en")
    assert i18n.format_money(Decimal("-48584.19"), "USD") == "-$48,584.19"
    assert when(CONTACT) == i18n.format_datetime(CONTACT)


def test_persian_card_dates_money_and_numbers(db: Database) -> None:
    page = _persian_card(db)
    # The last contact and the history's dates: Jalali with Persian digits, like every other date.
    last_contact = _row(page, i18n._("Last contact"))
    assert "۱۴۰۵/۸/۲۷" in last_contact and "۱۰:۱۴" in last_contact
    assert not ASCII_DIGITS.search(last_contact)
    assert "2026" not in page and "2023/" not in page
    history = page[page.index(i18n._("Contact history")) :]
    assert "۱۴۰۱/۱۰/۱۲" in history  # 2023-01-02, the first entry
    # Money and counts in Persian digits: total 510.75, average 170.25, three purchases.
    purchases = page[page.index(i18n._("Purchases")) : page.index(i18n._("Contact history"))]
    assert "۵۱۰٫۷۵" in purchases and "۱۷۰٫۲۵" in purchases
    assert "۳" in _row(purchases, i18n._("Number of purchases"))
    assert "510.75" not in page and "$ 510" not in page
    # The client number under the name.
    assert i18n._("Client No. {number}").format(number="۱") in page
    # Persian has no italics; the English next step keeps its own direction.
    assert "<i>" not in page
    assert f"{FSI}Send prices{PDI}" in page


def test_english_card_keeps_latin_digits_and_italics(db: Database) -> None:
    cid = rich_client(db, history=1)
    with db.session() as s:
        client = s.get(Client, cid)
        assert client is not None
        client.last_contact_at = CONTACT
    page = card_html(load_card(db, cid))
    assert "11/18/26" in page and "10:14" in page
    assert "$510.75" in page
    assert "<i>Next step: Send prices</i>" in page
    assert FSI not in page


def test_russian_card_in_the_jalali_calendar_when_chosen(db: Database) -> None:
    cid = rich_client(db, history=0)
    i18n.set_language("ru")
    i18n.set_jalali(True)
    page = card_html(load_card(db, cid))
    assert "13.11.1403" in page and "01.02.2025" not in page  # the last purchase, 2025-02-01
    assert "510,75" in page


def test_dates_of_both_layers_agree() -> None:
    day = date(2026, 11, 22)
    for code in ("ru", "fi", "fa"):
        i18n.set_language(code)
        assert i18n.format_datetime(datetime(2026, 11, 22, 9, 5)).startswith(i18n.format_date(day))
