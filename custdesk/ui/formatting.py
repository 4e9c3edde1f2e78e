"""Numbers, money and dates for people, through QLocale (the language's digits, grouping and order).

Money stays exact: the amount is never turned into a float. The digits, signs, grouping and currency
pattern are read from QLocale once per locale (:class:`custdesk.ui.locale_numbers.LocaleNumbers`); the
amount is written with them, beside the currency's symbol for the interface language.

In a right-to-left interface (Persian) a cell or label lays its text out right to left: a phone number
or a Latin name in it would have its brackets, signs and final full stop moved to the wrong end
("(281) 487-7236" shown as "487-7236 (281)"). :func:`isolate_phone` and :func:`isolate_text` wrap such
text in Unicode bidi isolates (as the printed card does, :mod:`custdesk.io.print_html`); in a
left-to-right interface they return the text unchanged.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from PySide6.QtCore import QCalendar, QDate, QLocale, QTime
from PySide6.QtWidgets import QDateTimeEdit

from custdesk import i18n
from custdesk.i18n import _
from custdesk.ui.locale_numbers import LocaleNumbers

_QT_LOCALES = {"en": "en_US", "ru": "ru_RU", "fi": "fi_FI", "fa": "fa_IR"}
# Unicode bidi isolates: left to right, first strong (the text's own direction), and their end.
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
RLM = "\u200f"  # the right-to-left mark: starts a line right to left
_ASCII_DIGITS = "0123456789"


def ui_locale() -> QLocale:
    """The QLocale of the interface language."""
    return QLocale(_QT_LOCALES.get(i18n.current_language(), "en_US"))


@lru_cache(maxsize=32)
def _currency_symbol(currency: str, language: str) -> str:
    try:
        from babel.numbers import get_currency_symbol

        return str(get_currency_symbol(currency, locale=i18n.babel_locale()))
    except Exception:  # an unknown code: show the code itself
        return currency


def currency_symbol(currency: str) -> str:
    """The symbol of ``currency`` (ISO 4217) in the interface language ("$", "₽"; the code if unknown)."""
    return _currency_symbol(currency, i18n.current_language())


def isolate_phone(text: str) -> str:
    """A phone number (or an e-mail, an id) kept left to right inside right-to-left text.

    Returns ``text`` unchanged in a left-to-right interface and for empty text.
    """
    return f"{LRI}{text}{PDI}" if text and i18n.is_rtl() else text


def isolate_text(text: str) -> str:
    """Free text from the base (a name, an organisation, a city) laid out in its own direction inside
    right-to-left text, so that "Smith & Whitehead Co." keeps its full stop at its end.

    Returns ``text`` unchanged in a left-to-right interface and for empty text.
    """
    return f"{FSI}{text}{PDI}" if text and i18n.is_rtl() else text


def isolate_label(text: str) -> str:
    """The whole text of a label that is free text from the base (a client's name in the card's head).

    A ``QLabel`` aligns its text by the text's own direction: a Russian or English name in a Persian
    window would sit at the left. In a right-to-left interface the name is isolated (its own direction)
    after a right-to-left mark, so the label starts it at the right like the rest of the window.
    """
    return f"{RLM}{FSI}{text}{PDI}" if text and i18n.is_rtl() else text


def native_digits(text: str, locale: QLocale | None = None) -> str:
    """``text`` with its ASCII digits written in the locale's digits (a clock ``01:05`` in Persian)."""
    zero = (locale or ui_locale()).zeroDigit()
    if zero == "0" or len(zero) != 1:
        return text
    return text.translate(str.maketrans(_ASCII_DIGITS, "".join(chr(ord(zero) + i) for i in range(10))))


def format_number(value: int, locale: QLocale | None = None) -> str:
    """An integer with the locale's grouping and digits."""
    return (locale or ui_locale()).toString(int(value))


@lru_cache(maxsize=16)
def _numbers(name: str) -> LocaleNumbers:
    """How the locale ``name`` writes numbers, read from QLocale once (on the GUI thread)."""
    return LocaleNumbers.capture(QLocale(name))


def format_decimal(value: Decimal, locale: QLocale | None = None, places: int = 2) -> str:
    """An exact decimal with ``places`` decimals, grouped, in the locale's digits."""
    return _numbers((locale or ui_locale()).name()).decimal_text(value, places)


def format_money(value: Decimal | None, currency: str, locale: QLocale | None = None) -> str:
    """An amount of money in ``currency`` (ISO 4217) as the interface language writes it: the number
    exact (never a float), beside the currency's symbol where QLocale places it for the language."""
    if value is None:
        return ""
    return _numbers((locale or ui_locale()).name()).money(value, currency_symbol(currency))


def to_qdate(value: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(value.year, value.month, value.day)


def calendar() -> QCalendar:
    """The calendar dates are shown in: the Persian (Jalali) one when chosen (the default for Persian)."""
    if i18n.uses_jalali():
        return QCalendar(QCalendar.System.Jalali)
    return QCalendar(QCalendar.System.Gregorian)


_SECTION = re.compile(r"([dMyhHmsapAP])\1*")


def _reversed_format(fmt: str) -> str:
    """A display format with its fields and separators in reverse order (``yyyy/M/d`` → ``d/M/yyyy``)."""
    tokens, last = [], 0
    for match in _SECTION.finditer(fmt):
        tokens.append(fmt[last : match.start()])
        tokens.append(match.group(0))
        last = match.end()
    tokens.append(fmt[last:])
    return "".join(reversed(tokens))


def apply_calendar(edit: QDateTimeEdit) -> None:
    """Make a date editor show and pick dates in the interface's calendar, language and digits.

    In a right-to-left window Qt shows the fields of a date editor in reverse order (``۱/۹/۱۴۰۵`` for
    ``yyyy/M/d``), unlike every other date of the interface; the editor is given its format reversed so
    that it shows the language's order. Calling this again keeps the order.
    """
    edit.setLocale(ui_locale())
    if edit.isRightToLeft():
        wanted = str(edit.property("languageFormat") or edit.displayFormat())
        edit.setProperty("languageFormat", wanted)
        edit.setDisplayFormat(_reversed_format(wanted))
    value = edit.dateTime()
    edit.setCalendar(calendar())
    edit.setDateTime(value)  # Qt re-reads the date only when it is set again after the calendar
    popup = edit.calendarWidget()
    if popup is not None:
        popup.setCalendar(calendar())
        popup.setSelectedDate(edit.date())


def _format_in_calendar(value: QDate, loc: QLocale, cal: QCalendar) -> str:
    """A date in ``cal`` in the locale's short order and digits, with a 4-digit year.

    Built from the parts: PySide6 does not bind ``QLocale.toString(QDate, str, QCalendar)``, and the short
    format of some languages has a 2-digit year, which is ambiguous in another calendar.
    """
    parts = cal.partsFromDate(value)
    pattern = loc.dateFormat(QLocale.FormatType.ShortFormat)

    def number(n: int, width: int) -> str:
        text = loc.toString(int(n)).replace(loc.groupSeparator(), "")
        return loc.zeroDigit() * max(0, width - len(text)) + text

    def field(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] == "y":
            return number(parts.year, 4)
        n = parts.month if token[0] == "M" else parts.day
        return number(n, 2 if len(token) == 2 else 1)

    return re.sub(r"y+|M{1,2}|d{1,2}", field, pattern.replace("'", ""))


def format_date(value: date | None, locale: QLocale | None = None) -> str:
    """A date in the language's short format (empty for None), in the Jalali calendar when chosen."""
    if value is None:
        return ""
    loc = locale or ui_locale()
    if i18n.uses_jalali():
        return _format_in_calendar(to_qdate(value), loc, calendar())
    return loc.toString(to_qdate(value), QLocale.FormatType.ShortFormat)


def format_time(value: datetime, locale: QLocale | None = None) -> str:
    """A time of day in the language's short format and digits (``10:14``, ``۱۰:۱۴``)."""
    loc = locale or ui_locale()
    return loc.toString(QTime(value.hour, value.minute, value.second), QLocale.FormatType.ShortFormat)


def format_datetime(value: datetime | None, locale: QLocale | None = None) -> str:
    """A date and time in the language's short formats (empty for None), the date in the Jalali calendar
    when chosen: the date as :func:`format_date` writes it, then the time."""
    if value is None:
        return ""
    # TRANSLATORS: a date and a time of day, e.g. "22.11.2026 10:14"; keep both fields.
    return _("{date} {time}").format(date=format_date(value.date(), locale), time=format_time(value, locale))
