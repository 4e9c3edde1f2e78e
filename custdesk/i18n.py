"""Translation and locale formatting for every layer (no Qt here).

Use ``_("text")`` for a message and ``ngettext(singular, plural, n)`` for a count; ``N_`` marks a
string for extraction where it is translated later (tables of names). Never build a sentence by
concatenation: use one format string with named fields.
"""

from __future__ import annotations

import gettext as _gettext
import locale as _locale
import os
from datetime import date
from decimal import Decimal

from custdesk.paths import LOCALE_DIR

DOMAIN = "custdesk"
LANGUAGES = ("en", "ru", "fi", "fa")
RTL_LANGUAGES = frozenset({"fa"})

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


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
    try:
        loc = _locale.getlocale()[0] or ""
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
        loc = _locale.getlocale()[0] or ""
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
    _translation = _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True)
    return code


def current_language() -> str:
    """The language in force."""
    return _language


def is_rtl(code: str | None = None) -> bool:
    """Whether the language is written right to left."""
    return (code or _language) in RTL_LANGUAGES


def babel_locale() -> str:
    """The Babel locale name for the current language."""
    return {"en": "en_US", "ru": "ru_RU", "fi": "fi_FI", "fa": "fa_IR"}.get(_language, "en_US")


def format_date(value: date | None) -> str:
    """A date in the current language's short format (empty for None)."""
    if value is None:
        return ""
    from babel.dates import format_date as _fd

    return str(_fd(value, format="short", locale=babel_locale()))


def format_number(value: int | Decimal) -> str:
    """A number with the current language's grouping and decimal sign."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=babel_locale()))


def format_money(value: Decimal | None, currency: str) -> str:
    """An amount of money in ``currency`` (ISO 4217) as the current language writes it."""
    if value is None:
        return ""
    from babel.numbers import format_currency

    return str(format_currency(value, currency, locale=babel_locale()))
