"""LocaleNumbers (numbers read from QLocale once, formatted without Qt on any thread) writes exactly what
QLocale writes, in every language and for any amount (the window's own formatting uses it); and the analysis
charts' formatters, which the base worker uses for a PDF, hold no Qt object."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLocale

from custdesk import i18n
from custdesk.ui import formatting
from custdesk.ui.locale_numbers import LocaleNumbers

LANGUAGES = ("en", "ru", "fi", "fa")
# Locales that group differently from ours (Indian 2-digit further groups, Spanish and Polish leave
# four-digit numbers whole): the capture must read what QLocale does, not assume groups of three.
OTHER_LOCALES = ("hi_IN", "es_ES", "pl_PL", "de_CH", "ar_EG", "ja_JP")
amounts = st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=2, allow_nan=False)


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=300, deadline=None)
@given(value=st.integers(min_value=-(10**15), max_value=10**15), amount=amounts)
def test_numbers_and_money_as_qlocale_writes_them(language: str, value: int, amount: Decimal) -> None:
    i18n.set_language(language)
    loc = formatting.ui_locale()
    numbers = LocaleNumbers.capture(loc)
    assert numbers.integer(value) == loc.toString(value)
    exact = amount + 0  # no negative zero
    assert numbers.decimal_text(exact) == loc.toString(float(exact), "f", 2)
    tenth = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    assert numbers.decimal_text(exact, places=1) == loc.toString(float(tenth), "f", 1)
    symbol = formatting.currency_symbol("EUR")
    assert numbers.money(abs(exact), symbol) == loc.toCurrencyString(float(abs(exact)), symbol, 2)
    # The window's own formatting is the same object's, read once per locale.
    assert formatting.format_decimal(exact, loc) == numbers.decimal_text(exact)
    assert formatting.format_money(exact, "EUR", loc) == numbers.money(exact, symbol)


@pytest.mark.parametrize("name", OTHER_LOCALES)
def test_grouping_is_read_from_the_locale(name: str) -> None:
    loc = QLocale(name)
    numbers = LocaleNumbers.capture(loc)
    for value in (0, 7, 999, 1000, 1234, 12345, 123456, 1234567, 123456789012, -1234, -(10**12)):
        assert numbers.integer(value) == loc.toString(value), (name, value)


def test_chart_formats_hold_no_qt_object() -> None:
    """What the worker draws charts with is plain Python: no QLocale (or any Qt object) inside."""
    from custdesk.ui.widgets.analysis_chart import qt_formats

    i18n.set_language("fa")
    fmt = qt_formats("USD")
    reachable = [
        cell.cell_contents
        for fn in (fmt.number, fmt.money)
        for cell in (fn.__closure__ or ())  # type: ignore[union-attr]
    ]
    reachable += [
        getattr(v, f.name) for v in reachable if dataclasses.is_dataclass(v) for f in dataclasses.fields(v)
    ]
    assert reachable and not [v for v in reachable if type(v).__module__.startswith(("PySide6", "shiboken6"))]
    assert fmt.amount(Decimal("1234.50")) == fmt.ltr(formatting.format_money(Decimal("1234.50"), "USD"))
