"""Validation of phones, e-mails and whole client cards: what is refused, why, and what is stored."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from custdesk.core import validation
from custdesk.core.dto import ClientInput, EmailInput, PhoneInput
from custdesk.core.errors import ValidationFailed
from custdesk.core.validation import (
    email_error,
    field_error,
    format_phone,
    normalise_email,
    normalise_phone,
    phone_error,
    split_extension,
    validate_client,
)

REGIONS = ("RU", "FI", "US")


def _examples() -> list[tuple[str, str]]:
    found = []
    for region in REGIONS:
        for kind in vars(PhoneNumberType).values():
            if not isinstance(kind, int):
                continue
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None and phonenumbers.is_valid_number(number):
                found.append((region, phonenumbers.format_number(number, PhoneNumberFormat.E164)))
    return sorted(set(found))


EXAMPLES = _examples()


def _errors(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.message for e in exc.value.errors}


# --- Phones ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("8 912 345-67-89", "RU", "+79123456789"),
        ("+7 (912) 345-67-89", "RU", "+79123456789"),
        ("9123456789", "RU", "+79123456789"),
        ("040 123 4567", "FI", "+358401234567"),
        ("00358 40 1234567", "RU", "+358401234567"),  # foreign, with the 00 prefix
        ("+358 40 1234567", "US", "+358401234567"),
        ("(201) 555-0123", "US", "+12015550123"),
    ],
)
def test_valid_phones_are_stored_in_e164(raw: str, region: str, e164: str) -> None:
    assert phone_error(raw, region) is None
    assert normalise_phone(raw, region) == e164


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("12", "too short for Russia"),
        ("8 912 ABC 67 89", "not a phone number"),
        ("+999 123 4567", "country code"),
        ("8 912 345-67-89-12-34", "not a valid phone number for Russia"),
        ("8 912 345-67-89-12-34-56-78-90", "too long"),
    ],
)
def test_invalid_phones_say_why(raw: str, words: str) -> None:
    message = phone_error(raw, "RU")
    assert message is not None and words in message
    with pytest.raises(ValueError, match=words):
        normalise_phone(raw, "RU")


def test_a_number_of_another_country_without_plus_is_refused() -> None:
    # A Finnish mobile written nationally is not a Russian number.
    assert phone_error("040 123 4567", "RU") is not None


def test_extension_is_split_off() -> None:
    assert split_extension("+7 912 345-67-89 доб. 12") == ("+7 912 345-67-89", "12")
    assert split_extension("(201) 555-0123 ext. 7") == ("(201) 555-0123", "7")
    assert phone_error("(201) 555-0123 x7", "US") is None


def test_format_phone_national_for_the_region_international_otherwise() -> None:
    assert format_phone("+79123456789", "RU") == "8 (912) 345-67-89"
    assert format_phone("+79123456789", "FI") == "+7 912 345-67-89"
    assert format_phone("+358401234567", "FI") == "040 1234567"
    assert format_phone("not a number", "RU") == "not a number"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    example=st.sampled_from(EXAMPLES),
    fmt=st.sampled_from(["e164", "international", "national", "00", "spaced"]),
)
def test_example_numbers_round_trip(example: tuple[str, str], fmt: str) -> None:
    region, e164 = example
    parsed = phonenumbers.parse(e164)
    if fmt == "e164":
        raw = e164
    elif fmt == "international":
        raw = phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
    elif fmt == "national":
        raw = phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
    elif fmt == "00":
        raw = "00" + e164[1:]
    else:
        raw = " ".join(e164)
    assert normalise_phone(raw, region) == e164
    assert normalise_phone(format_phone(e164, region), region) == e164


@settings(max_examples=60, deadline=None)
@given(example=st.sampled_from(EXAMPLES), firm=st.sampled_from(REGIONS))
def test_international_numbers_pass_in_any_firm_region(example: tuple[str, str], firm: str) -> None:
    _region, e164 = example
    international = phonenumbers.format_number(phonenumbers.parse(e164), PhoneNumberFormat.INTERNATIONAL)
    assert normalise_phone(international, firm) == e164


@settings(max_examples=200, deadline=None)
@given(
    garbage=st.one_of(
        st.text(st.characters(categories=["L", "P", "S", "Zs"]), max_size=30),
        st.text("0123456789", max_size=4),
        st.builds(
            lambda a, b: a + "q" + b, st.text("0123456789 +", max_size=12), st.text("0123456789", max_size=8)
        ),
    ),
    region=st.sampled_from(REGIONS),
)
def test_garbage_never_passes(garbage: str, region: str) -> None:
    assert phone_error(garbage, region) is not None
    # A blank row is no phone at all (the card editor's empty rows are dropped): give it some garbage.
    data = ClientInput(name="Ivan", phones=(PhoneInput(garbage if garbage.strip() else "x"),))
    with pytest.raises(ValidationFailed) as exc:
        validate_client(data, region=region)
    (error,) = exc.value.errors
    assert error.field == "phones[0]"
    assert error.message.startswith("Phone 1:")


# --- E-mails -----------------------------------------------------------------------------------------


def test_emails_syntax_only() -> None:
    assert normalise_email("  Ivan.Petrov@Example.COM ") == "Ivan.Petrov@example.com"
    # No network: an unknown domain is fine as long as it is well formed.
    assert email_error("ivan@no-such-domain-custdesk-test.ru") is None
    assert email_error("ivan@пример.рф") is None


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("", "empty"),
        ("ivan.example.com", "no @ sign"),
        ("ivan@", "not a well-formed"),
        ("a..b@c.com", "not a well"),
    ],
)
def test_bad_emails_say_why(address: str, words: str) -> None:
    message = email_error(address)
    assert message is not None and words in message
    with pytest.raises(ValueError):
        normalise_email(address)


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(exclude_characters="@"), max_size=40))
def test_an_address_without_at_never_passes(text: str) -> None:
    assert email_error(text) is not None


# --- Whole cards ------------------------------------------------------------------------------------


def test_validate_client_normalises() -> None:
    data = ClientInput(
        name="  Иван   Петров ",
        city=" Москва ",
        notes="  line one\n  line two  ",
        country="ru",
        phones=(
            PhoneInput("8 912 345-67-89 доб. 12"),
            PhoneInput(""),  # an empty row of the editor
            PhoneInput("+358 40 1234567", kind="work", is_primary=True),
            PhoneInput("+7 921 000-00-00", is_primary=True),
        ),
        emails=(EmailInput(" Ivan@Example.COM "), EmailInput("second@example.com")),
        tags=(" vip ", "vip", "", "opt"),
    )
    clean = validate_client(data, region="RU")
    assert clean.name == "Иван Петров"
    assert clean.city == "Москва"
    assert clean.notes == "line one\n  line two"
    assert clean.country == "RU"
    assert [(p.number, p.extension, p.is_primary) for p in clean.phones] == [
        ("+79123456789", "12", False),
        ("+358401234567", "", True),
        ("+79210000000", "", False),
    ]
    assert [(e.address, e.is_primary) for e in clean.emails] == [
        ("Ivan@example.com", True),
        ("second@example.com", False),
    ]
    assert clean.tags == ("vip", "opt")


def test_every_problem_is_listed_with_its_field() -> None:
    data = ClientInput(
        kind="robot",
        name="",
        birthday=date.today() + timedelta(days=1),
        discount_percent=Decimal("150"),
        temperature="lukewarm",
        call_cycle_days=0,
        country="Russia",
        phones=(PhoneInput("+7 912 345-67-89"), PhoneInput("12345")),
        emails=(EmailInput("ok@example.com"), EmailInput("broken@")),
        postcode="1" * 30,
    )
    with pytest.raises(ValidationFailed) as exc:
        validate_client(data, region="RU")
    errors = _errors(exc)
    assert set(errors) == {
        "kind",
        "name",
        "birthday",
        "discount_percent",
        "temperature",
        "call_cycle_days",
        "country",
        "phones[1]",
        "emails[1]",
        "postcode",
    }
    assert "Name is required" in errors["name"]
    assert errors["birthday"] == "Birthday cannot be in the future."
    assert "Discount" in errors["discount_percent"] and "100" in errors["discount_percent"]
    assert "Call cycle" in errors["call_cycle_days"]
    assert errors["phones[1]"].startswith("Phone 2:")
    assert errors["emails[1]"].startswith("E-mail 2:")
    assert "Postcode is too long" in errors["postcode"]
    assert str(exc.value).count("\n") == len(errors) - 1  # the dialog shows every message


def test_a_way_to_reach_the_client_is_required_by_default() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_client(ClientInput(name="Ivan"), region="RU")
    assert list(_errors(exc)) == ["contact"]
    assert "phone or e-mail" in _errors(exc)["contact"]
    assert validate_client(ClientInput(name="Ivan"), region="RU", require_contact=False).name == "Ivan"


def test_an_organisation_needs_its_name_not_a_person() -> None:
    data = ClientInput(kind="organisation", emails=(EmailInput("info@firm.ru"),))
    with pytest.raises(ValidationFailed) as exc:
        validate_client(data, region="RU")
    assert list(_errors(exc)) == ["organisation"]
    ok = validate_client(
        ClientInput(kind="organisation", organisation="ООО Ромашка", emails=data.emails), region="RU"
    )
    assert ok.organisation == "ООО Ромашка"


def test_the_same_phone_twice_is_refused() -> None:
    data = ClientInput(name="Ivan", phones=(PhoneInput("8 912 345-67-89"), PhoneInput("+79123456789")))
    with pytest.raises(ValidationFailed) as exc:
        validate_client(data, region="RU")
    assert _errors(exc) == {"phones[1]": "Phone 2: the same number is already phone 1."}


def test_discount_with_more_than_two_places_is_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_client(
            ClientInput(name="Ivan", discount_percent=Decimal("5.125")), region="RU", require_contact=False
        )
    assert list(_errors(exc)) == ["discount_percent"]


@pytest.mark.parametrize(
    ("field", "value", "bad"),
    [
        ("phones[0]", "8 912 345-67-89", False),
        ("phones[2]", "12", True),
        ("phone", "abc", True),
        ("emails[0]", "x@y", True),
        ("email", "x@y.ru", False),
        ("name", "", True),
        ("name", "Ivan", False),
        ("birthday", date.today() + timedelta(days=3), True),
        ("birthday", date(1980, 5, 1), False),
        ("discount_percent", "12,5", False),
        ("discount_percent", "-1", True),
        ("discount_percent", "abc", True),
        ("call_cycle_days", "0", True),
        ("call_cycle_days", "30", False),
        ("call_cycle_days", None, False),
        ("temperature", "hot", False),
        ("temperature", "boiling", True),
        ("kind", "organisation", False),
        ("country", "FI", False),
        ("country", "Finland", True),
        ("city", "x" * 101, True),
    ],
)
def test_field_error_while_typing(field: str, value: object, bad: bool) -> None:
    message = field_error(field, value, "RU")
    assert (message is not None) is bad
    if message is not None and field.startswith("phones["):
        position = int(field[7:-1]) + 1
        assert message.startswith(f"Phone {position}:")


def test_field_error_required_name_depends_on_kind() -> None:
    assert field_error("name", "", "RU", kind="organisation") is None
    assert field_error("organisation", "", "RU", kind="organisation") is not None
    assert field_error("organisation", "", "RU", kind="person") is None


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("+79123456789", "mobile"),
        ("+73422123456", "fixed"),  # Perm
        ("+358401234567", "mobile"),
        ("+35898765432", "fixed"),  # Helsinki
        ("+989121234567", "mobile"),
        ("+982188776655", "fixed"),  # Tehran
        ("+12025550147", ""),  # North American numbers do not say
    ],
)
def test_line_kind_tells_mobiles_from_landlines_where_the_country_does(number: str, kind: str) -> None:
    assert validation.line_kind(number) == kind
