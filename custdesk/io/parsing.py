"""Turning the cells of old spreadsheets into values: dates, money, phones, countries.

What such files hold: dates as ``31.12.2023``, ``31/12/23``, ISO or Excel serial numbers (and the
``date``/``datetime`` values python-calamine already made of date cells); money with spaces or
no-break spaces between thousands, a comma or a dot as the decimal separator, currency signs and words
(``₽``, ``руб.``, ``€``, ``$``, ``ریال``...), negatives written ``-5``, ``(5)`` or ``5-`` (returns);
several phones in one cell; phones stored as numbers that lost their leading zero; a country column
that says which country a phone belongs to. Every parser raises ``ValueError`` with a translated
reason when it cannot read a value.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from custdesk.core.validation import normalise_phone, split_extension
from custdesk.i18n import _
from custdesk.io.quick_phones import fast_e164

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 once Excel's phantom 1900-02-29 is allowed for
MAX_EXCEL_SERIAL = 2958465  # 9999-12-31
MIN_SERIAL_AS_DATE = 367  # below this a bare number is not taken for a date (1901-01-01)
_CENT = Decimal("0.01")
MAX_MONEY = Decimal("1000000000000")  # what a purchase may hold (core.services.purchases.MAX_AMOUNT)

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")  # Persian and Arabic-Indic digits
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009'’`]+")
_CURRENCY = re.compile(
    r"(?i)(?<![a-zа-я])(руб\.?|р\.|₽|rub|eur|euro|евро|€|usd|us\$|\$|долл\.?|£|gbp|ریال|﷼|تومان|rial|"
    r"irr|irt|kr|sek|₸|тг|kzt|₴|грн|uah|byn)(?![a-zа-я])"
)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")
_YMD = re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})([./\-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]{2,}$")
_PHONE_SPLIT = re.compile(r":::|[,;/\n\r|]+|\s{3,}|\s+(?:или|or|tai|یا)\s+", re.IGNORECASE)
_EXTENSION_START = re.compile(r"^\s*(?:доб\.?|ext\.?|extension|x|#)\s*\d", re.IGNORECASE)
# A cell holding one phone in ASCII digits and punctuation, which split_phones() gives back stripped.
_ONE_PLAIN_PHONE = re.compile(r"[+0-9() .\-]*")
_EXTENSION_LETTERS = re.compile(r"[xXдД#]")  # every extension split_extension() finds has one of them
_ONE_WORD = re.compile(r"[^,;\s]+")
_PHONE_TEXT = re.compile(r"^\+?[\d\s().\-\u00a0]{5,}(?:\s*(?:доб\.?|ext\.?|x|#)\s*\d{1,7})?$", re.IGNORECASE)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).translate(_DIGITS).strip()


# --- Dates ------------------------------------------------------------------------------------------


def from_excel_serial(serial: float) -> datetime:
    """The date and time of an Excel serial number (1900 date system).

    Raises:
        ValueError: the number is outside Excel's dates.
    """
    if not 1 <= serial <= MAX_EXCEL_SERIAL:
        raise ValueError(_("{value} is not a date.").format(value=serial))
    days = int(serial)
    if days < 61:  # before Excel's phantom 1900-02-29
        days += 1
    moment = datetime.combine(EXCEL_EPOCH, time()) + timedelta(days=days)
    seconds = round((serial - int(serial)) * 86400)
    return moment + timedelta(seconds=seconds)


def _two_digit_year(yy: int, today: date) -> int:
    return 2000 + yy if yy <= today.year % 100 else 1900 + yy


# Years a Persian file writes in the Solar Hijri calendar (1300 is 1921, 1499 is 2120); no client, purchase
# or contract of a Gregorian file is dated then.
JALALI_YEARS = range(1200, 1500)


def _day(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    """The moment of a written year, month and day: a Solar Hijri date (Iran's calendar) when the year is
    one (``1360/02/15`` is 5 May 1981), else a Gregorian one. Raises ValueError for a day that does not
    exist in its calendar."""
    if y in JALALI_YEARS:
        import jdatetime

        return datetime.combine(jdatetime.date(y, m, d).togregorian(), time(hh, mm, ss))
    return datetime(y, m, d, hh, mm, ss)


def parse_datetime(value: object, *, dayfirst: bool = True, today: date | None = None) -> datetime:
    """A date and time from a cell: a date/datetime, an Excel serial, or text in a common format.

    A year from 1200 to 1499 is a Solar Hijri one, as Iranian files write dates (``۱۳۶۰/۰۲/۱۵``, Persian
    digits or not): the date is converted to the Gregorian calendar.

    Text formats: ISO (``2023-12-31``, ``2023-12-31 14:05``), ``31.12.2023``, ``31.12.23``, ``31-12-2023``
    (with dots or dashes always day first: ``12.03.1975`` is 12 March whatever the region),
    ``31/12/2023`` (with slashes day first unless ``dayfirst`` is False, as in the US), ``2023/12/31``,
    each optionally followed by a time. Where the first number cannot be a month (``31/12``) or the
    second cannot (``12/31``), the date is read the only way it can be. A date alone is midnight.

    Raises:
        ValueError: the value is not a date (the message says so, translated).
    """
    today = today or date.today()
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, bool) or value is None:
        raise ValueError(_("The date is empty."))
    if isinstance(value, time):  # a spreadsheet's date cell before 1900-01-01 is read as a bare time
        if value == time():
            raise ValueError(
                _(
                    "The cell holds the spreadsheet's day zero (shown as 31.12.1899 or 0.1.1900), "
                    "not a real date."
                )
            )
        raise ValueError(_("The cell holds only a time ({time}), not a date.").format(time=value.isoformat()))
    if isinstance(value, int | float):
        return from_excel_serial(float(value))
    text = _text(value)
    if not text:
        raise ValueError(_("The date is empty."))
    try:
        match = _ISO.match(text)
        if match:
            y, m, d = (int(g) for g in match.group(1, 2, 3))
            hh, mm, ss = (int(g or 0) for g in match.group(4, 5, 6))
            return _day(y, m, d, hh, mm, ss)
        match = _YMD.match(text)
        if match:
            y, m, d = (int(g) for g in match.group(1, 2, 3))
            return _day(y, m, d)
        match = _DMY.match(text)
        if match:
            a, sep, b, year_text = int(match.group(1)), match.group(2), int(match.group(3)), match.group(4)
            y = int(year_text) if len(year_text) == 4 else _two_digit_year(int(year_text), today)
            # Dots (and dashes) are day-first the world over; only slashes are month-first in the US.
            first = dayfirst or sep != "/"
            day_first = first if a <= 12 and b <= 12 else a > 12
            d, m = (a, b) if day_first else (b, a)
            hh, mm, ss = (int(g or 0) for g in match.group(5, 6, 7))
            return _day(y, m, d, hh, mm, ss)
        if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
            return from_excel_serial(float(text))
    except ValueError:
        pass
    raise ValueError(_("“{value}” is not a date (write it as 31.12.2023 or 2023-12-31).").format(value=text))


_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")


def day_without_year(value: object) -> str:
    """A birthday written without its year (``--07-04`` or ``--0704``, as phones and Google Contacts
    save them) as "4 July" in the interface language; ``""`` when the value is not one."""
    match = _NO_YEAR.match(_text(value)) if isinstance(value, str) else None
    if match is None:
        return ""
    from babel.dates import format_skeleton

    from custdesk.i18n import babel_locale

    try:
        day = date(2000, int(match.group(1)), int(match.group(2)))  # 2000: 29 February exists
    except ValueError:
        return ""
    return str(format_skeleton("MMMMd", day, locale=babel_locale()))


def parse_date(value: object, *, dayfirst: bool = True, today: date | None = None) -> date:
    """A date from a cell (see :func:`parse_datetime`; the time is dropped).

    Raises:
        ValueError: the value is not a date.
    """
    if type(value) is date:  # a date cell, as python-calamine reads it: already the answer
        return value
    return parse_datetime(value, dayfirst=dayfirst, today=today).date()


def looks_like_date(value: object) -> bool:
    """Whether a cell looks like a date (a date value, or text in a date format; bare numbers do not)."""
    if isinstance(value, date):
        return True
    if not isinstance(value, str):
        return False
    text = _text(value)
    if not (_ISO.match(text) or _YMD.match(text) or _DMY.match(text)):
        return False
    try:
        parse_datetime(text)
    except ValueError:
        return False
    return True


# --- Money ------------------------------------------------------------------------------------------


def parse_money(value: object) -> Decimal:
    """An amount of money from a cell, as a Decimal with two places.

    Accepts numbers (a float from a spreadsheet is read through its shortest text, never computed
    with), and text with thousands separated by spaces, no-break spaces, apostrophes, dots or commas; a
    comma or a dot as the decimal separator (the last one when both appear; one separator followed by
    exactly three digits separates thousands); currency signs and words before or after; a minus before
    or after, or brackets, for a negative amount (a return).

    Raises:
        ValueError: the value is not an amount, or has more than two decimal places.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(_("The amount is empty."))
    if isinstance(value, int) and abs(value) < MAX_MONEY:
        return Decimal(value).quantize(_CENT)
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
        if not number.is_finite():
            raise ValueError(_("“{value}” is not an amount of money.").format(value=value))
        if abs(number) >= MAX_MONEY:
            raise ValueError(_("“{value}” is too large to be an amount of money.").format(value=value))
        rounded = number.quantize(_CENT)
        if abs(number - rounded) < Decimal("0.000001"):  # 0.1 + 0.2 stored by a spreadsheet formula
            number = rounded
    else:
        number = _money_text(str(value))
    if not number.is_finite():
        raise ValueError(_("“{value}” is not an amount of money.").format(value=value))
    if abs(number) >= MAX_MONEY:  # 29 digits would not even round to cents (decimal.InvalidOperation)
        raise ValueError(
            _("“{value}” is too large to be an amount of money.").format(value=str(value).strip()[:40])
        )
    if number != number.quantize(_CENT):
        raise ValueError(_("“{value}” has more than two decimal places.").format(value=value))
    return number.quantize(_CENT)


def _money_text(raw: str) -> Decimal:
    text = _text(raw).replace("٬", " ").replace("٫", ",").replace("−", "-").replace("–", "-")
    if not text:
        raise ValueError(_("The amount is empty."))
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    text = _CURRENCY.sub(" ", text)
    text = _SPACES.sub("", text)
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    elif text.endswith("-"):
        negative, text = not negative, text[:-1]
    text = text.lstrip("+")
    if not text or not _NUMBER.match(text):
        raise ValueError(_("“{value}” is not an amount of money.").format(value=raw.strip()))
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif dots + commas == 1:
        sep = "." if dots else ","
        whole, frac = text.split(sep)
        text = whole + frac if len(frac) == 3 and whole != "0" else f"{whole}.{frac}"
    elif dots + commas > 1:
        text = text.replace(".", "").replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“{value}” is not an amount of money.").format(value=raw.strip())) from None
    return -number if negative else number


def looks_like_money(value: object) -> bool:
    """Whether a cell looks like an amount of money (a number, or text that parses as one)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    if not isinstance(value, str):
        return False
    try:
        parse_money(value)
    except ValueError:
        return False
    return True


# --- Phones -----------------------------------------------------------------------------------------


def phone_text(value: object) -> str:
    """A phone cell as text: a number stored as a number loses its ``.0``, digits become ASCII."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def split_phones(value: object) -> list[str]:
    """The phones written in one cell, each with its extension (``доб. 12``, ``ext. 12``) kept on it.

    Phones are separated by ``,``, ``;``, ``/``, line breaks, ``|`` or the word "or"; a piece that is only
    an extension belongs to the phone before it.
    """
    if type(value) is str and _ONE_PLAIN_PHONE.fullmatch(value) and "   " not in value:
        text = value.strip()
        return [text] if text else []  # ASCII digits and punctuation: nothing to normalise or split
    return _split_phones_fully(value)


def _split_phones_fully(value: object) -> list[str]:
    """:func:`split_phones` of any cell (a test holds the quick answers to this)."""
    text = phone_text(value)
    if not text:
        return []
    phones: list[str] = []
    for piece in _PHONE_SPLIT.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if phones and _EXTENSION_START.match(piece):
            phones[-1] = f"{phones[-1]} {piece}"
        else:
            phones.append(piece)
    return phones


def phone_extension(piece: str) -> str:
    """The extension written after a phone (``доб. 12`` -> ``12``), "" when none: quick for plain numbers.

    The same as ``split_extension(piece)[1]`` (:func:`custdesk.core.validation.split_extension`).
    """
    return split_extension(piece)[1] if _EXTENSION_LETTERS.search(piece) else ""


def looks_like_phone(value: object) -> bool:
    """Whether a cell looks like one or more phone numbers (digits with phone punctuation, 6-15 digits)."""
    if isinstance(value, bool | date):
        return False
    if isinstance(value, float) and not value.is_integer():
        return False
    pieces = split_phones(value)
    if not pieces:
        return False
    for piece in pieces:
        digits = re.sub(r"\D", "", split_extension(piece)[0])
        if not _PHONE_TEXT.match(piece) or not 6 <= len(digits) <= 15:
            return False
    return True


def normalise_import_phone(raw: str, region: str) -> str:
    """A phone from an old file in E.164, repairing what spreadsheets do to numbers.

    Tried in order: the number as written (for ``region``); a number stored as a number that lost its
    leading zero (``401234567`` -> ``0401234567`` in Finland); a number written with its country code
    but without ``+`` (``358401234567``).

    Args:
        raw: one phone (see :func:`split_phones`), an extension after it allowed.
        region: the country the phone belongs to (the row's country column, else the firm's region).

    Raises:
        ValueError: no repair makes it a valid number; the message is the reason for the number as written.
    """
    return _normalise_cached(raw.strip(), region.upper())


@lru_cache(maxsize=4096)
def _normalise_cached(raw: str, region: str) -> str:
    fast = fast_e164(raw, region)
    if fast is not None:
        return fast
    try:
        return normalise_phone(raw, region)
    except ValueError as first:
        number, extension = split_extension(raw)
        digits = re.sub(r"[\s().\-\u00a0]", "", number)
        if digits.isdigit():
            suffix = f" ext. {extension}" if extension else ""
            for candidate in (f"0{digits}", f"+{digits}"):
                try:
                    return normalise_phone(candidate + suffix, region)
                except ValueError:
                    continue
        raise first


# --- E-mails ----------------------------------------------------------------------------------------


def split_emails(value: object) -> list[str]:
    """The e-mail addresses written in one cell (separated by ``,``, ``;``, spaces or line breaks)."""
    if value is None or isinstance(value, bool):
        return []
    if type(value) is str and _ONE_WORD.fullmatch(value) and "mailto:" not in value:
        return [value]  # one address, nothing around it: the usual cell
    return _split_emails_fully(value)


def _split_emails_fully(value: object) -> list[str]:
    """:func:`split_emails` of any cell but None and booleans (a test holds the quick answer to this)."""
    text = str(value).replace("mailto:", " ")
    return [p for p in re.split(r":::|[,;\s]+", text) if p]  # ":::" between addresses: Google Contacts


def looks_like_email(value: object) -> bool:
    """Whether a cell looks like one or more e-mail addresses."""
    pieces = split_emails(value) if isinstance(value, str) else []
    return bool(pieces) and all(_EMAIL.match(p) for p in pieces)


def looks_like_data(text: str) -> bool:
    """Whether a text cell looks like a value rather than a column title (a phone, e-mail, date, number)."""
    return (
        looks_like_email(text)
        or looks_like_date(text)
        or looks_like_phone(text)
        or bool(re.fullmatch(r"[\d\s.,\-+()₽$€]+", text))
    )


# --- Countries --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    # The interface languages first, then those old files from the neighbours are written in.
    for lang in ("en", "ru", "fi", "fa", "sv", "et", "de", "fr", "es", "it", "uk", "tr", "ar"):
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(name.casefold(), code)
    names.update({"россия": "RU", "рф": "RU", "russia": "RU", "suomi": "FI", "usa": "US", "сша": "US"})
    names.update({"uk": "GB", "iran": "IR", "ایران": "IR", "эстония": "EE", "финляндия": "FI"})
    for name in ("great britain", "britain", "england", "scotland", "wales", "northern ireland", "англия",
                 "шотландия", "englanti", "skotlanti", "انگلستان", "انگلیس", "بریتانیا"):  # fmt: skip
        names[name] = "GB"
    names.update({"holland": "NL", "голландия": "NL", "hollanti": "NL", "белоруссия": "BY"})
    return names


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    from babel import Locale

    codes = (str(c) for c in Locale.parse("en").territories)
    return frozenset(c for c in codes if len(c) == 2 and c.isalpha())


def parse_country(value: object) -> str:
    """The ISO 3166 alpha-2 code of a country cell: a code (``FI``; ``UK`` is ``GB``), or a name in the
    interface languages or a neighbour's (``Deutschland``, ``Sverige``, ``Великобритания``).

    Raises:
        ValueError: the cell names no known country.
    """
    text = " ".join(_text(value).split())
    if not text:
        raise ValueError(_("The country is empty."))
    code = _country_names().get(text.casefold())
    if code is None and len(text) == 2 and text.isascii() and text.isalpha():
        code = text.upper() if text.upper() in _country_codes() else None
    if code is None:
        raise ValueError(_("“{value}” is not a country CustDesk knows.").format(value=text))
    return code


__all__ = [
    "column_letter",
    "fast_e164",
    "from_excel_serial",
    "looks_like_data",
    "looks_like_date",
    "looks_like_email",
    "looks_like_money",
    "looks_like_phone",
    "normalise_import_phone",
    "parse_country",
    "parse_date",
    "parse_datetime",
    "parse_money",
    "phone_extension",
    "phone_text",
    "split_emails",
    "split_phones",
]
