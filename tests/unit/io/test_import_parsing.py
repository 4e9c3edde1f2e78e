"""Reading the values of old spreadsheets: dates, money, phones, countries (with property tests)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdesk.io import parsing

TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31.12.2023", date(2023, 12, 31)),
        ("1.2.2023", date(2023, 2, 1)),
        ("31/12/23", date(2023, 12, 31)),
        ("5/6/85", date(1985, 6, 5)),
        ("2023-12-31", date(2023, 12, 31)),
        ("2023-12-31 14:05", date(2023, 12, 31)),
        ("2023/12/31", date(2023, 12, 31)),
        ("31-12-2023", date(2023, 12, 31)),
        (45291, date(2023, 12, 31)),  # an Excel serial number
        (45291.5, date(2023, 12, 31)),
        ("45291", date(2023, 12, 31)),
        (date(2020, 2, 29), date(2020, 2, 29)),
        (datetime(2020, 2, 29, 10, 30), date(2020, 2, 29)),
        ("۱۴۰۲-۰۱-۰۱", date(2023, 3, 21)),  # Persian digits and the Solar Hijri year: Nowruz 1402
    ],
)
def test_dates_in_the_forms_old_files_hold(cell: object, expected: date) -> None:
    assert parsing.parse_date(cell, today=TODAY) == expected


def test_a_month_first_date_is_read_when_the_day_cannot_be_first() -> None:
    assert parsing.parse_date("12/31/2023", today=TODAY) == date(2023, 12, 31)
    assert parsing.parse_date("02/03/2023", dayfirst=False, today=TODAY) == date(2023, 2, 3)


@pytest.mark.parametrize("dayfirst", [True, False])
def test_dates_with_dots_or_dashes_are_day_first_in_every_region(dayfirst: bool) -> None:
    # A US firm (dayfirst False) importing a Russian or Finnish file still reads 12.03.1975 as 12 March.
    assert parsing.parse_date("12.03.1975", dayfirst=dayfirst, today=TODAY) == date(1975, 3, 12)
    assert parsing.parse_date("01.02.03", dayfirst=dayfirst, today=TODAY) == date(2003, 2, 1)
    assert parsing.parse_date("12-03-1975", dayfirst=dayfirst, today=TODAY) == date(1975, 3, 12)
    assert parsing.parse_datetime("05.06.2024 14:30", dayfirst=dayfirst, today=TODAY) == datetime(
        2024, 6, 5, 14, 30
    )
    # Where only one reading is a date, that one is taken, whatever the separator.
    assert parsing.parse_date("03.25.2023", dayfirst=dayfirst, today=TODAY) == date(2023, 3, 25)


def test_dates_with_slashes_follow_the_region() -> None:
    assert parsing.parse_date("12/03/1975", dayfirst=True, today=TODAY) == date(1975, 3, 12)
    assert parsing.parse_date("12/03/1975", dayfirst=False, today=TODAY) == date(1975, 12, 3)  # the US
    assert parsing.parse_date("25/03/1975", dayfirst=False, today=TODAY) == date(1975, 3, 25)  # unambiguous
    assert parsing.parse_date("03/25/1975", dayfirst=True, today=TODAY) == date(1975, 3, 25)  # unambiguous
    with pytest.raises(ValueError, match="date"):
        parsing.parse_date("12.03/1975", today=TODAY)  # mixed separators are not a date


def test_excel_serials_before_the_phantom_leap_day() -> None:
    assert parsing.from_excel_serial(1).date() == date(1900, 1, 1)
    assert parsing.from_excel_serial(59).date() == date(1900, 2, 28)
    assert parsing.from_excel_serial(61).date() == date(1900, 3, 1)
    assert parsing.from_excel_serial(45291.75) == datetime(2023, 12, 31, 18, 0)


@pytest.mark.parametrize("cell", ["31.02.2023", "yesterday", "", "12", None, True, "2023-13-01"])
def test_what_is_not_a_date_says_so(cell: object) -> None:
    with pytest.raises(ValueError, match="date"):
        parsing.parse_date(cell, today=TODAY)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50 ₽", "1234.50"),
        ("1\u202f234.5", "1234.50"),
        ("1,234.56", "1234.56"),
        ("1.234,56 руб.", "1234.56"),
        ("1.234", "1234.00"),
        ("12,5", "12.50"),
        ("€ 99", "99.00"),
        ("$1,000,000", "1000000.00"),
        ("-150", "-150.00"),
        ("(150,00)", "-150.00"),
        ("150-", "-150.00"),
        ("−75 €", "-75.00"),
        ("۱۲٬۰۰۰ ریال", "12000.00"),
        ("0", "0.00"),
        ("0,5", "0.50"),
        ("1'234.50", "1234.50"),
        (1234.5, "1234.50"),
        (0.1 + 0.2, "0.30"),
        (-20, "-20.00"),
    ],
)
def test_money_with_spaces_commas_signs_and_negatives(cell: object, expected: str) -> None:
    assert parsing.parse_money(cell) == Decimal(expected)


@pytest.mark.parametrize("cell", ["abc", "", "1,2,3,4.5.6", "12.345,678", None, "--5"])
def test_what_is_not_money_says_so(cell: object) -> None:
    with pytest.raises(ValueError):
        parsing.parse_money(cell)


money = st.decimals(min_value=Decimal("-999999999"), max_value=Decimal("999999999"), places=2)


def _grouped(whole: int, sep: str) -> str:
    return f"{whole:,}".replace(",", sep)


@given(
    money,
    st.sampled_from([("\u00a0", ","), (" ", ","), (",", "."), (".", ","), ("", ".")]),
    st.sampled_from(["", " ₽", " руб.", "€", " EUR", "$"]),
    st.sampled_from(["minus", "brackets", "trailing"]),
)
def test_money_written_any_common_way_reads_back_exactly(
    amount: Decimal, seps: tuple[str, str], currency: str, negative_style: str
) -> None:
    thousands, decimal_sep = seps
    whole, cents = divmod(abs(amount) * 100, 100)
    text = f"{_grouped(int(whole), thousands)}{decimal_sep}{int(cents):02d}"
    if currency == "$":
        text = "$" + text
    else:
        text += currency
    if amount < 0:
        text = {"minus": f"-{text}", "brackets": f"({text})", "trailing": f"{text}-"}[negative_style]
    assert parsing.parse_money(text) == amount


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_read_back_in_every_format(day: date) -> None:
    today = date(2099, 12, 31)
    assert parsing.parse_date(day.strftime("%d.%m.%Y"), today=today) == day
    assert parsing.parse_date(day.isoformat(), today=today) == day
    assert parsing.parse_date(f"{day.day}/{day.month}/{day.year}", today=today) == day
    serial = (day - date(1899, 12, 30)).days
    assert parsing.parse_date(serial, today=today) == day


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2024, 6, 1)))
def test_two_digit_years_are_in_the_past_century_window(day: date) -> None:
    read = parsing.parse_date(day.strftime("%d.%m.%y"), today=TODAY)
    assert read.month == day.month and read.day == day.day
    assert read.year % 100 == day.year % 100
    assert TODAY.year - 100 < read.year <= TODAY.year


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("+7 912 345-67-89, 8 (912) 111-22-33", ["+7 912 345-67-89", "8 (912) 111-22-33"]),
        ("+7 912 345-67-89; 8 912 111 22 33", ["+7 912 345-67-89", "8 912 111 22 33"]),
        ("8 912 345-67-89 / 8 912 111-22-33", ["8 912 345-67-89", "8 912 111-22-33"]),
        ("+7 495 123-45-67 доб. 12", ["+7 495 123-45-67 доб. 12"]),
        ("+7 495 123-45-67, доб. 12", ["+7 495 123-45-67 доб. 12"]),
        ("+7 495 123-45-67\n+7 912 345-67-89", ["+7 495 123-45-67", "+7 912 345-67-89"]),
        ("0401234567 tai 0501234567", ["0401234567", "0501234567"]),
        (79123456789.0, ["79123456789"]),
        (401234567, ["401234567"]),
        (None, []),
    ],
)
def test_several_phones_in_one_cell(cell: object, expected: list[str]) -> None:
    assert parsing.split_phones(cell) == expected


@given(
    st.lists(st.integers(min_value=9_000_000_000, max_value=9_999_999_999), min_size=1, max_size=4),
    st.sampled_from([", ", "; ", " / ", "\n"]),
)
def test_split_phones_keeps_every_number(numbers: list[int], separator: str) -> None:
    cell = separator.join(f"+7 {n}" for n in numbers)
    assert parsing.split_phones(cell) == [f"+7 {n}" for n in numbers]


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("401234567", "FI", "+358401234567"),  # lost its leading zero in a number cell
        ("0401234567", "FI", "+358401234567"),
        ("358401234567", "FI", "+358401234567"),  # country code without +
        ("89123456789", "RU", "+79123456789"),
        ("9123456789", "RU", "+79123456789"),
        ("79123456789", "RU", "+79123456789"),
        ("9121234567", "IR", "+989121234567"),
        ("+7 495 123-45-67 доб. 12", "RU", "+74951234567"),
    ],
)
def test_phones_repaired_for_their_country(raw: str, region: str, expected: str) -> None:
    assert parsing.normalise_import_phone(raw, region) == expected


def test_a_phone_no_repair_saves_keeps_the_reason_for_the_number_as_written() -> None:
    with pytest.raises(ValueError, match="12345"):
        parsing.normalise_import_phone("12345", "RU")


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("FI", "FI"),
        ("fi", "FI"),
        ("Finland", "FI"),
        ("Suomi", "FI"),
        ("Финляндия", "FI"),
        ("Россия", "RU"),
        ("Venäjä", "RU"),
        ("ایران", "IR"),
        ("United States", "US"),
    ],
)
def test_country_cells_by_code_or_name_in_four_languages(cell: str, code: str) -> None:
    assert parsing.parse_country(cell) == code


def test_an_unknown_country_says_so() -> None:
    with pytest.raises(ValueError, match="Atlantis"):
        parsing.parse_country("Atlantis")


def test_content_sniffers() -> None:
    assert parsing.looks_like_phone("+7 912 345-67-89; 8 912 111-22-33")
    assert parsing.looks_like_phone(79123456789)
    assert not parsing.looks_like_phone("Москва")
    assert not parsing.looks_like_phone(12.5)
    assert parsing.looks_like_email("a@b.ru, c@d.fi")
    assert not parsing.looks_like_email("a@b")
    assert parsing.looks_like_date("31.12.2023") and parsing.looks_like_date(date(2020, 1, 1))
    assert not parsing.looks_like_date(45291)
    assert parsing.looks_like_money("1 234,50 ₽") and not parsing.looks_like_money("Тверь")
    assert parsing.column_letter(0) == "A" and parsing.column_letter(27) == "AB"


_FAST_REGIONS = ("RU", "FI", "US", "IR", "DE", "GB", "IT", "BR", "AR", "MX", "KZ", "FR", "SE", "UA", "JP")


def _written_forms() -> list[tuple[str, str]]:
    import random

    import phonenumbers
    from phonenumbers import PhoneNumberFormat

    rnd = random.Random(7)
    forms: list[tuple[str, str]] = []
    for region in _FAST_REGIONS:
        for kind in range(11):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
            national = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
            spaced = phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL)
            digits = "".join(c for c in national if c.isdigit())
            for written in (national, e164, "00" + e164[1:], digits, spaced):
                forms.append((written, region))
                chars = list(written)
                spot = rnd.randrange(len(chars))
                if chars[spot].isdigit():  # a typo: often still a number, sometimes of another kind
                    chars[spot] = str(rnd.randrange(10))
                forms.append(("".join(chars), rnd.choice(_FAST_REGIONS)))
    return forms


def test_the_quick_phone_reading_agrees_with_the_full_parse() -> None:
    from custdesk.core.validation import normalise_phone

    answered = 0
    for written, region in _written_forms():
        quick = parsing.fast_e164(written, region)
        if quick is None:
            continue  # the full parse decides
        answered += 1
        assert quick == normalise_phone(written, region), (written, region)
    assert answered > 200  # the quick path does serve the plain numbers
    assert parsing.fast_e164("8 912 345-67-89", "RU") == "+79123456789"
    assert parsing.fast_e164("+7 912 345-67-89 доб. 12", "RU") is None  # an extension: the full parse
    assert parsing.fast_e164("+39 06 1234 5678", "IT") is None  # Italy's leading zero: the full parse


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("۱۳۶۰/۰۲/۱۵", date(1981, 5, 5)),  # Persian digits, year first, as Iranian files write it
        ("1360/2/15", date(1981, 5, 5)),
        ("15/02/1360", date(1981, 5, 5)),  # day first
        ("1400-01-01", date(2021, 3, 21)),  # Nowruz 1400
        ("1403/12/30", date(2025, 3, 20)),  # the 30th of Esfand, in a leap year
    ],
)
def test_solar_hijri_dates_are_converted_to_the_gregorian_calendar(cell: str, expected: date) -> None:
    assert parsing.parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["1401/12/30", "1360/13/01", "1360/07/31"])
def test_a_day_that_does_not_exist_in_the_persian_calendar_is_not_a_date(cell: str) -> None:
    # 1401 is not a leap year; there is no 13th month; the months after the sixth have 30 days.
    with pytest.raises(ValueError, match="is not a date"):
        parsing.parse_date(cell)


def test_gregorian_years_stay_gregorian() -> None:
    assert parsing.parse_date("1999/12/31") == date(1999, 12, 31)
    assert parsing.parse_date("31.12.1899") == date(1899, 12, 31)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("UK", "GB"),  # not an ISO code, though every British file writes it
        ("England", "GB"),
        ("Великобритания", "GB"),
        ("Deutschland", "DE"),  # a neighbour's language
        ("Sverige", "SE"),
        ("Eesti", "EE"),
        ("fi", "FI"),
    ],
)
def test_countries_as_old_files_write_them(cell: str, code: str) -> None:
    assert parsing.parse_country(cell) == code


def test_two_letters_that_are_no_country_are_refused() -> None:
    with pytest.raises(ValueError, match="not a country"):
        parsing.parse_country("XX")
