"""Translation and locale formatting for every layer (no Qt here).

Use ``_("text")`` for a message and ``ngettext(singular, plural, n)`` for a count; ``N_`` marks a
string for extraction where it is translated later (tables of names). Never build a sentence by
concatenation: use one format string with named fields.
"""

from __future__ import annotations

import gettext as _gettext
import locale as _locale
import os
from datetime import date, datetime
from decimal import Decimal

from custdesk.paths import LOCALE_DIR

DOMAIN = "custdesk"
LANGUAGES = ("en", "ru", "fi", "fa")
RTL_LANGUAGES = frozenset({"fa"})

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"
_jalali: bool | None = None  # None: the Persian (Jalali) calendar for Persian, the Gregorian otherwise


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the count ``n``."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in a context (for words with several meanings)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def _windows_locale(ui: bool) -> str:
    """The Windows user's locale as ``ru_RU`` (``ui``: the display language, else the formats), or ""."""
    if os.name != "nt":
        return ""
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        lcid = kernel32.GetUserDefaultUILanguage() if ui else kernel32.GetUserDefaultLCID()
        return str(_locale.windows_locale.get(int(lcid), ""))
    except (AttributeError, OSError, ValueError):
        return ""


def system_language() -> str:
    """The language of the system locale, when it is one CustDesk speaks, else English."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
            if code not in ("", "c", "posix"):
                return "en"
    try:  # Windows has no LANG: ask for the display language (getlocale() says "Russian_Russia" there)
        loc = _windows_locale(ui=True) or _locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    code = loc.split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def system_region(default: str = "US") -> str:
    """The country of the system locale (``RU`` for ``ru_RU.UTF-8``), for the default phone region."""
    for var in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        value = os.environ.get(var, "")
        parts = value.split(".")[0].split("_")
        if len(parts) == 2 and len(parts[1]) == 2:
            return parts[1].upper()
    try:
        loc = _windows_locale(ui=False) or _locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    parts = loc.split("_")
    if len(parts) == 2 and len(parts[1]) == 2:
        return parts[1].upper()
    return default


def set_language(code: str | None) -> str:
    """Switch every layer to ``code`` (None: the system language); returns the language in force."""
    global _translation, _language
    code = (code or system_language()).lower()
    if code not in LANGUAGES:
        code = "en"
    _language = code
    _translation = _load_translation(code)
    return code


def _load_translation(code: str) -> _gettext.NullTranslations:
    """The catalog of ``code``: its compiled .mo, or its .po compiled in memory when the .mo is missing
    or older (a source checkout, a translator's edit); English is the source language."""
    if code == "en":
        return _gettext.NullTranslations()
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    try:
        fresh = mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime)
        if fresh or not po.is_file():
            return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True)
        import io

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as f:
            catalog = read_po(f)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        return _gettext.GNUTranslations(buffer)
    except (OSError, ValueError) as exc:  # an unreadable catalog: English rather than no application
        import logging

        logging.getLogger("custdesk.i18n").warning("cannot load the %s translation: %s", code, exc)
        return _gettext.NullTranslations()


def current_language() -> str:
    """The language in force."""
    return _language


def is_rtl(code: str | None = None) -> bool:
    """Whether the language is written right to left."""
    return (code or _language) in RTL_LANGUAGES


def babel_locale() -> str:
    """The Babel locale name for the current language."""
    return {"en": "en_US", "ru": "ru_RU", "fi": "fi_FI", "fa": "fa_IR"}.get(_language, "en_US")


# Persian is written with Persian digits (as QLocale("fa_IR") writes them). Babel formats numbers with
# the locale's default numbering system's symbols (Persian "٬" and "٫") but always with Latin digits, so
# format_number, format_money, format_date and format_datetime convert the digits for these languages.
_NATIVE_DIGITS = {"fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")}


def native_digits(text: str) -> str:
    """``text`` with its Latin digits written in the current language's digits (Persian: ۰-۹)."""
    table = _NATIVE_DIGITS.get(_language)
    return text.translate(table) if table else text


def set_jalali(on: bool | None) -> None:
    """Show dates in the Persian (Jalali) calendar (None: when the language is Persian)."""
    global _jalali
    _jalali = on


def uses_jalali() -> bool:
    """Whether dates are shown in the Persian (Jalali) calendar."""
    return _language == "fa" if _jalali is None else _jalali


def gregorian_to_jalali(value: date) -> tuple[int, int, int]:
    """(year, month, day) of a date in the Persian (Jalali, solar Hijri) calendar."""
    import jdatetime

    day = jdatetime.date.fromgregorian(date=value)
    return day.year, day.month, day.day


def _format_jalali(value: date) -> str:
    """A date in the Jalali calendar, in the order and digits of the language's short format."""
    import re

    from babel.dates import get_date_format

    year, month, day = gregorian_to_jalali(value)
    pattern = get_date_format("short", locale=babel_locale()).pattern
    digits = _NATIVE_DIGITS.get(_language, {})

    def field(match: re.Match[str]) -> str:
        token = match.group(0)
        number = {"y": year, "M": month, "d": day}[token[0]]
        width = 2 if token in ("MM", "dd") else 1
        return str(number).zfill(width).translate(digits)

    return re.sub(r"y+|M+|d+", field, pattern.replace("'", ""))


def format_date(value: date | None) -> str:
    """A date in the current language's short format (empty for None), Jalali when chosen."""
    if value is None:
        return ""
    if uses_jalali():
        return _format_jalali(value)
    from babel.dates import format_date as _fd

    return native_digits(str(_fd(value, format="short", locale=babel_locale())))


def format_time(value: datetime) -> str:
    """A time of day in the current language's short format and digits (``10:14``, ``۱۰:۱۴``)."""
    from babel.dates import format_time as _ft

    return native_digits(str(_ft(value, format="short", locale=babel_locale())))


def format_datetime(value: datetime | None) -> str:
    """A date and time (empty for None): the date as :func:`format_date` writes it (Jalali when chosen),
    then the time; the same words as the interface's ``custdesk.ui.formatting.format_datetime``."""
    if value is None:
        return ""
    # TRANSLATORS: a date and a time of day, e.g. "22.11.2026 10:14"; keep both fields.
    return _("{date} {time}").format(date=format_date(value.date()), time=format_time(value))


def format_number(value: int | Decimal) -> str:
    """A number with the current language's grouping, decimal sign and digits."""
    from babel.numbers import format_decimal

    text = format_decimal(value, locale=babel_locale(), numbering_system="default")
    return native_digits(str(text))


def format_money(value: Decimal | None, currency: str) -> str:
    """An amount of money in ``currency`` (ISO 4217) as the current language writes it (its digits)."""
    if value is None:
        return ""
    from babel.numbers import format_currency

    text = format_currency(value, currency, locale=babel_locale(), numbering_system="default")
    return native_digits(str(text))


def month_name(value: date, *, short: bool = False) -> str:
    """The name of ``value``'s (Gregorian) month standing alone, as a heading or a table row says it.

    CLDR's stand-alone forms through Babel: nominative in Russian and Finnish ("декабрь", "joulukuu"),
    never the genitive a full date uses ("декабря"). ``short``: the abbreviated form ("дек.", "Dec").
    """
    from babel.dates import get_month_names

    names = get_month_names("abbreviated" if short else "wide", context="stand-alone", locale=babel_locale())
    return str(names[value.month])


def month_and_year(value: date, *, short: bool = False) -> str:
    """A month with its year ("декабрь 2025", "December 2025"), its name standing alone."""
    # TRANSLATORS: a month standing alone and its year, e.g. "December 2025"; keep both fields.
    return _("{month} {year}").format(
        month=month_name(value, short=short), year=native_digits(str(value.year))
    )
