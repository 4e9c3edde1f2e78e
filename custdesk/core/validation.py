"""Validation of what a person types into a client card: phones, e-mails and required fields.

Phones are checked with ``phonenumbers`` against the firm's default region (a number written with a
leading ``+`` or ``00`` may be foreign) and stored in E.164; e-mails are checked for syntax only with
``email-validator`` (no network). Every message is translated, names the field and says why.

The GUI calls :func:`field_error` while the user types; the services call :func:`validate_client`,
which returns the normalised input or raises :class:`ValidationFailed` listing every problem.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from custdesk.core.dto import CARD_FIELDS, ClientInput, EmailInput, PhoneInput
from custdesk.core.errors import FieldError, ValidationFailed
from custdesk.core.models import Client, Tag
from custdesk.core.vocab import CLIENT_KINDS, EMAIL_KINDS, PHONE_KINDS, TEMPERATURES
from custdesk.i18n import N_, _, babel_locale

# How each card field is called in messages (and in the merge dialog).
FIELD_LABELS: dict[str, str] = {
    "kind": N_("Kind"),
    "name": N_("Name"),
    "organisation": N_("Organisation"),
    "tax_id": N_("Tax ID"),
    "registration_no": N_("Registration number"),
    "bank_details": N_("Bank details"),
    "country": N_("Country"),
    "region": N_("Region"),
    "city": N_("City"),
    "district": N_("District"),
    "street": N_("Street"),
    "building": N_("Building"),
    "postcode": N_("Postcode"),
    "birthday": N_("Birthday"),
    "source": N_("Source"),
    "vip": N_("VIP"),
    "buying_particulars": N_("Buying particulars"),
    "preferred_products": N_("Preferred products"),
    "usual_volume": N_("Usual volume"),
    "deal_terms": N_("Deal terms"),
    "discount_percent": N_("Discount"),
    "payment_terms": N_("Payment terms"),
    "delivery_terms": N_("Delivery terms"),
    "contract_no": N_("Contract number"),
    "contract_end": N_("Contract end"),
    "competitor": N_("Competitor"),
    "competitor_advantage": N_("Competitor's advantage"),
    "notes": N_("Notes"),
    "temperature": N_("Temperature"),
    "call_cycle_days": N_("Call cycle"),
    "phones": N_("Phones"),
    "emails": N_("E-mails"),
    "tags": N_("Tags"),
    "external_id": N_("External ID"),
}

_Contact = TypeVar("_Contact", PhoneInput, EmailInput)

_CENT = Decimal("0.01")
MAX_CALL_CYCLE_DAYS = 3650  # ten years: longer is a typing error (and would overflow date arithmetic)
_TAG_MAX = int(getattr(Tag.__table__.c.name.type, "length", None) or 64)
_EXTENSION_MAX = 16
_ITEM_RE = re.compile(r"^(?P<list>phones|emails)\[(?P<index>\d+)\]$")
# An extension written after the number: "ext. 12", "x12", "доб. 12", "#12".
_EXTENSION_RE = re.compile(r"\s*(?:ext\.?|extension|x|доб\.?|#)\s*(?P<ext>\d{1,7})\s*$", re.IGNORECASE)
_PHONE_CHARS_RE = re.compile(r"^\+?[\d\s().\-/\u00a0]*$")


def field_label(name: str) -> str:
    """The translated name of a card field (the name itself when unknown)."""
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name


# Countries whose English name takes "the" in a sentence ("too short for the United States").
_ENGLISH_WITH_THE = frozenset(
    {"AE", "BS", "CD", "CF", "CG", "DO", "FK", "FO", "GB", "GM", "KM", "KY", "MH", "MV", "NL", "PH", "SB"}
    | {"SC", "TC", "US", "VA", "VG", "VI", "MP", "UM", "CK", "CC", "CX", "BV", "HM", "IO", "TF"}
)


def country_name(region: str) -> str:
    """The name of a country (ISO 3166 alpha-2) in the interface language."""
    try:
        from babel import Locale

        return str(Locale.parse(babel_locale()).territories.get(region.upper(), region))
    except Exception:  # an unknown locale or region only costs the nicer name
        return region


def country_in_sentence(region: str) -> str:
    """The country's name as a sentence uses it: "the United States" in English, the name otherwise."""
    name = country_name(region)
    if babel_locale().split("_")[0] == "en" and region.upper() in _ENGLISH_WITH_THE:
        return f"the {name}"
    return name


def _max_length(name: str) -> int | None:
    column = Client.__table__.c.get(name)
    length = getattr(column.type, "length", None) if column is not None else None
    return int(length) if length else None


_SINGLE_LINE = frozenset(name for name in CARD_FIELDS if _max_length(name) is not None)
_TEXT_FIELDS = tuple(name for name in CARD_FIELDS if name not in {"kind", "temperature"})


# --- Phones -----------------------------------------------------------------------------------------


def split_extension(raw: str) -> tuple[str, str]:
    """Split ``"+7 912 345-67-89 ext. 12"`` into the number and the extension (``""`` when none)."""
    match = _EXTENSION_RE.search(raw)
    if match is None or match.start() == 0:
        return raw.strip(), ""
    return raw[: match.start()].strip(), match.group("ext")


def _parse_phone(raw: str, region: str) -> tuple[phonenumbers.PhoneNumber | None, str | None]:
    """The parsed number, or None and the translated reason."""
    number, _ext = split_extension(raw)
    if not number:
        return None, _("The phone number is empty.")
    if not _PHONE_CHARS_RE.match(number):
        return None, _(
            "“{number}” is not a phone number: it may hold only digits, spaces and + ( ) - ."
        ).format(number=raw.strip())
    if not re.sub(r"\D", "", number):
        return None, _("The phone number is empty.")
    if number.startswith("00"):
        # The international prefix of most of the world, also where the region's own prefix differs.
        number = "+" + number[2:]
    try:
        parsed = phonenumbers.parse(number, region.upper() or None)
    except NumberParseException as exc:
        region_name = country_in_sentence(region)
        if exc.error_type == NumberParseException.TOO_LONG:
            message = _("The phone number {number} is too long for {country}.")
        elif exc.error_type in (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD):
            message = _("The phone number {number} is too short for {country}.")
        elif exc.error_type == NumberParseException.INVALID_COUNTRY_CODE and not number.startswith("+"):
            message = _(
                "The phone number {number} has no country code; write it with + and the country code."
            )
        elif exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            message = _("The country code of the phone number {number} is not known.")
        else:
            message = _("“{number}” is not a phone number.")
        return None, message.format(number=raw.strip(), country=region_name)
    if phonenumbers.is_valid_number(parsed):
        return parsed, None
    number_region = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    country = country_in_sentence(number_region if number_region not in ("ZZ", "001") else region)
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        message = _("The country code of the phone number {number} is not known.")
    elif reason == ValidationResult.TOO_SHORT:
        message = _("The phone number {number} is too short for {country}.")
    elif reason == ValidationResult.TOO_LONG:
        message = _("The phone number {number} is too long for {country}.")
    else:
        message = _("{number} is not a valid phone number for {country}.")
    return None, message.format(number=raw.strip(), country=country)


def phone_error(raw: str, region: str) -> str | None:
    """Why ``raw`` is not a phone number of the firm's ``region`` (or a foreign one with +/00).

    Args:
        raw: the number as typed; an extension after it (``ext. 12``) is allowed.
        region: the firm's default region (ISO 3166 alpha-2, e.g. ``"RU"``).

    Returns:
        The translated reason, or None when the number is valid.
    """
    return _parse_phone(raw, region)[1]


def normalise_phone(raw: str, region: str) -> str:
    """The number in E.164 (``+79123456789``), without any extension.

    Raises:
        ValueError: the number is not valid; the message is the translated reason.
    """
    parsed, error = _parse_phone(raw, region)
    if parsed is None:
        raise ValueError(error)
    return str(phonenumbers.format_number(parsed, PhoneNumberFormat.E164))


@functools.lru_cache(maxsize=8192)
def format_phone(e164: str, region: str) -> str:
    """A stored number for people: national format for a number of ``region``, else international.

    Remembers the last 8,192 numbers (some 60 µs each to format): a list shows the same rows again as it
    is scrolled, refreshed and searched.
    """
    try:
        parsed = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    if not phonenumbers.is_valid_number(parsed):
        return e164
    fmt = (
        PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(parsed) == region.upper()
        else PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(parsed, fmt))


# --- E-mails ----------------------------------------------------------------------------------------


def email_error(address: str) -> str | None:
    """Why ``address`` is not a well-formed e-mail address (syntax only), or None when it is."""
    text = address.strip()
    if not text:
        return _("The e-mail address is empty.")
    if "@" not in text:
        return _("{address} is not an e-mail address: it has no @ sign.").format(address=text)
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return _("{address} is not a well-formed e-mail address.").format(address=text)
    return None


def normalise_email(address: str) -> str:
    """The address stripped, with its domain in lower case.

    Raises:
        ValueError: the address is not well formed; the message is the translated reason.
    """
    error = email_error(address)
    if error is not None:
        raise ValueError(error)
    return str(validate_email(address.strip(), check_deliverability=False).normalized)


def email_key(address: str) -> str:
    """The form used to find duplicate addresses (lower case)."""
    return address.strip().lower()


# --- Single fields ----------------------------------------------------------------------------------


def _after_colon(reason: str) -> str:
    """A sentence continued after a colon: its first letter in lower case ("Phone 1: the number…")."""
    return reason[:1].lower() + reason[1:]


def _phone_message(position: int, reason: str) -> str:
    return _("Phone {position}: {reason}").format(position=position, reason=_after_colon(reason))


def _email_message(position: int, reason: str) -> str:
    return _("E-mail {position}: {reason}").format(position=position, reason=_after_colon(reason))


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool | float):
        raise TypeError("use Decimal for percentages, never float")
    try:
        return Decimal(str(value).strip().replace(",", ".")) if str(value).strip() else None
    except InvalidOperation:
        raise ValueError(value) from None


def _value_error(name: str, value: Any, *, kind: str = "person", today: date | None = None) -> str | None:
    """The error of one plain card field (not phones or e-mails), or None."""
    label = field_label(name)
    if name == "kind":
        if value not in CLIENT_KINDS:
            return _("{field}: choose a person or an organisation.").format(field=label)
        return None
    if name == "temperature":
        if value not in TEMPERATURES:
            return _("{field}: choose hot, warm or cold.").format(field=label)
        return None
    if name == "name":
        if kind != "organisation" and not str(value or "").strip():
            return _("{field} is required: enter the client's name.").format(field=label)
    elif name == "organisation":
        if kind == "organisation" and not str(value or "").strip():
            return _("{field} is required for an organisation: enter its name.").format(field=label)
    elif name == "country":
        text = str(value or "").strip()
        if text and not (len(text) == 2 and text.isascii() and text.isalpha()):
            return _("{field}: enter the two-letter country code (ISO 3166), like RU or FI.").format(
                field=label
            )
    elif name == "birthday":
        if value is not None and value > (today or date.today()):
            return _("{field} cannot be in the future.").format(field=label)
    elif name == "discount_percent":
        try:
            number = _as_decimal(value)
        except ValueError:
            return _("{field}: enter a number from 0 to 100.").format(field=label)
        if number is not None and (not number.is_finite() or not Decimal(0) <= number <= Decimal(100)):
            return _("{field} must be from 0 to 100%.").format(field=label)
        if number is not None and number != number.quantize(_CENT):
            return _("{field}: at most two decimal places.").format(field=label)
    elif name == "call_cycle_days":
        if value is None or value == "":
            return None
        try:
            days = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            return _("{field}: enter a whole number of days.").format(field=label)
        if isinstance(value, bool) or not 1 <= days <= MAX_CALL_CYCLE_DAYS:
            return _("{field} must be from 1 to {max} days.").format(field=label, max=MAX_CALL_CYCLE_DAYS)
    if isinstance(value, str):
        limit = _max_length(name)
        if limit is not None and len(value.strip()) > limit:
            return _("{field} is too long: at most {max} characters.").format(field=label, max=limit)
    return None


def field_error(field: str, value: Any, region: str, *, kind: str = "person") -> str | None:
    """The error of one field while the user types, or None when it is fine so far.

    Args:
        field: a card field name (``"name"``, ``"birthday"``...), ``"phone"``/``"email"`` or an item
            of a list (``"phones[0]"``, ``"emails[1]"``), as :class:`ValidationFailed` names them.
        value: what the widget holds (text, a date, a Decimal, an int).
        region: the firm's default phone region.
        kind: the client's kind, which decides whether the name or the organisation is required.

    Returns:
        The translated message, naming the field, or None.
    """
    item = _ITEM_RE.match(field)
    if item is not None:
        position = int(item.group("index")) + 1
        if item.group("list") == "phones":
            reason = phone_error(str(value or ""), region)
            return _phone_message(position, reason) if reason else None
        reason = email_error(str(value or ""))
        return _email_message(position, reason) if reason else None
    if field == "phone":
        return phone_error(str(value or ""), region)
    if field == "email":
        return email_error(str(value or ""))
    if field == "external_id":
        if len(str(value or "").strip()) > 64:
            return _("{field} is too long: at most {max} characters.").format(
                field=field_label(field), max=64
            )
        return None
    return _value_error(field, value, kind=kind)


# Card fields whose text :func:`_value_error` checks only for length (the limit: None = any length), and
# the two of which one is required by the card's kind: what :func:`text_field_ok` answers quickly.
_LENGTH_ONLY: dict[str, int | None] = {
    name: _max_length(name)
    for name in CARD_FIELDS
    if name
    not in {
        "kind",
        "temperature",
        "name",
        "organisation",
        "country",
        "birthday",
        "discount_percent",
        "call_cycle_days",
    }
}
_REQUIRED_BY_KIND: dict[str, tuple[str, int | None]] = {
    "name": ("person", _max_length("name")),
    "organisation": ("organisation", _max_length("organisation")),
}


def text_field_ok(field: str, value: str, *, kind: str = "person") -> bool:
    """Whether :func:`field_error` surely finds nothing wrong with the text ``value`` of a card field.

    A quick answer for imports of many rows, where most values are fine and few repeat: True only when
    ``field_error(field, value, region, kind=kind)`` is None (for any region); False when it may not
    be, and then :func:`field_error` gives the message. Fields other than the card's plain text fields,
    ``name`` and ``organisation`` always get False.
    """
    if value.__class__ is not str:
        return False
    limit = _LENGTH_ONLY.get(field, -1)
    if limit != -1:
        return limit is None or len(value.strip()) <= limit
    rule = _REQUIRED_BY_KIND.get(field)
    if rule is None:
        return False
    text = value.strip()
    required = kind == "organisation" if rule[0] == "organisation" else kind != "organisation"
    return (bool(text) or not required) and (rule[1] is None or len(text) <= rule[1])


# --- The whole card ---------------------------------------------------------------------------------


def _clean_text(name: str, value: str) -> str:
    # Single-line fields get their inner runs of spaces collapsed; multi-line text keeps its lines.
    return " ".join(value.split()) if name in _SINGLE_LINE else value.strip()


def _phones(data: ClientInput, region: str, errors: list[FieldError]) -> tuple[PhoneInput, ...]:
    result: list[PhoneInput] = []
    seen: dict[str, int] = {}
    for index, phone in enumerate(data.phones):
        field = f"phones[{index}]"
        if not phone.number.strip() and not phone.extension.strip():
            continue  # an empty row of the editor
        parsed, reason = _parse_phone(phone.number, region)
        if parsed is None:
            errors.append(FieldError(field, _phone_message(index + 1, reason or "")))
            continue
        number = str(phonenumbers.format_number(parsed, PhoneNumberFormat.E164))
        _rest, typed_ext = split_extension(phone.number)
        extension = phone.extension.strip() or typed_ext
        if phone.kind not in PHONE_KINDS:
            errors.append(FieldError(field, _phone_message(index + 1, _("Choose the kind of the phone."))))
        if extension and (not extension.isdigit() or len(extension) > _EXTENSION_MAX):
            errors.append(FieldError(field, _phone_message(index + 1, _("An extension is up to 16 digits."))))
        key = f"{number};{extension}"
        if key in seen:
            errors.append(
                FieldError(
                    field,
                    _phone_message(
                        index + 1,
                        _("The same number is already phone {position}.").format(position=seen[key]),
                    ),
                )
            )
            continue
        seen[key] = index + 1
        result.append(replace(phone, number=number, extension=extension))
    return _one_primary(result)


def _emails(data: ClientInput, errors: list[FieldError]) -> tuple[EmailInput, ...]:
    result: list[EmailInput] = []
    seen: dict[str, int] = {}
    for index, email in enumerate(data.emails):
        field = f"emails[{index}]"
        if not email.address.strip():
            continue
        reason = email_error(email.address)
        if reason is not None:
            errors.append(FieldError(field, _email_message(index + 1, reason)))
            continue
        address = normalise_email(email.address)
        if email.kind not in EMAIL_KINDS:
            errors.append(
                FieldError(field, _email_message(index + 1, _("Choose the kind of the e-mail address.")))
            )
        key = email_key(address)
        if key in seen:
            errors.append(
                FieldError(
                    field,
                    _email_message(
                        index + 1,
                        _("The same address is already e-mail {position}.").format(position=seen[key]),
                    ),
                )
            )
            continue
        seen[key] = index + 1
        result.append(replace(email, address=address))
    return _one_primary(result)


def _one_primary(items: list[_Contact]) -> tuple[_Contact, ...]:
    """Exactly one item marked primary: the first marked one, else the first."""
    if not items:
        return ()
    first = next((i for i, item in enumerate(items) if item.is_primary), 0)
    return tuple(replace(item, is_primary=(i == first)) for i, item in enumerate(items))


def _tags(data: ClientInput, errors: list[FieldError]) -> tuple[str, ...]:
    tags: list[str] = []
    for tag in data.tags:
        text = " ".join(tag.split())
        if not text or text in tags:
            continue
        if len(text) > _TAG_MAX:
            errors.append(
                FieldError(
                    "tags",
                    _("Tag “{tag}” is too long: at most {max} characters.").format(tag=text, max=_TAG_MAX),
                )
            )
            continue
        tags.append(text)
    return tuple(tags)


def validate_client(
    data: ClientInput, *, region: str, require_contact: bool = True, today: date | None = None
) -> ClientInput:
    """Check a client card and return it normalised.

    Phones come back in E.164 (an extension typed after a number moves to ``extension``), e-mails
    stripped with a lower-case domain, text stripped, the country code upper-case, tags without
    repeats, and exactly one primary phone and one primary e-mail when there are any. Empty phone and
    e-mail rows are dropped.

    Args:
        data: the card as typed.
        region: the firm's default phone region.
        require_contact: whether a phone or an e-mail is required (a setting of the firm).
        today: the date birthdays are compared with (tests pass one).

    Raises:
        ValidationFailed: listing every problem, each with its field (``name``, ``phones[0]``...).
    """
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for name in CARD_FIELDS:
        value = getattr(data, name)
        if isinstance(value, str) and name in _TEXT_FIELDS:
            value = _clean_text(name, value)
        if name == "country":
            value = value.upper()
        if name == "discount_percent" and value is not None and not isinstance(value, Decimal):
            value = _as_decimal(value)
        message = _value_error(name, value, kind=data.kind, today=today)
        if message is not None:
            errors.append(FieldError(name, message))
        elif name == "discount_percent" and value is not None:
            value = value.quantize(_CENT)  # as the base stores it, so a journal shows "5.00" both ways
        values[name] = value
    phones = _phones(data, region, errors)
    emails = _emails(data, errors)
    tags = _tags(data, errors)
    external_id = (data.external_id or "").strip() or None
    if external_id is not None and len(external_id) > 64:
        errors.append(
            FieldError(
                "external_id",
                _("{field} is too long: at most {max} characters.").format(
                    field=field_label("external_id"), max=64
                ),
            )
        )
    had_contact = any(p.number.strip() for p in data.phones) or any(e.address.strip() for e in data.emails)
    if require_contact and not had_contact:
        errors.append(
            FieldError("contact", _("Enter at least one phone or e-mail, so that the client can be reached."))
        )
    if errors:
        raise ValidationFailed(errors)
    return ClientInput(
        **values,
        phones=phones,
        emails=emails,
        tags=tags,
        external_id=external_id,
        client_since=data.client_since,
        custom=data.custom,  # the firm's own fields: checked against the base's catalogue by the service
    )


__all__ = [
    "FIELD_LABELS",
    "MAX_CALL_CYCLE_DAYS",
    "country_name",
    "email_error",
    "email_key",
    "field_error",
    "field_label",
    "format_phone",
    "normalise_email",
    "normalise_phone",
    "phone_error",
    "split_extension",
    "text_field_ok",
    "validate_client",
]


@functools.lru_cache(maxsize=512)
def _line_patterns(country_code: int) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The mobile and fixed-line patterns of a calling code's main country (libphonenumber's metadata)."""
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region, None) if region != "ZZ" else None
    if metadata is None:
        return None, None

    def pattern(desc: object) -> re.Pattern[str] | None:
        text = getattr(desc, "national_number_pattern", None)
        return re.compile(text) if text else None

    return pattern(metadata.mobile), pattern(metadata.fixed_line)


def line_kind(e164: str) -> str:
    """``"mobile"`` or ``"fixed"`` for a number in E.164 whose country tells them apart; ``""`` where it
    cannot (North American numbers are both, unknown codes neither)."""
    digits = e164.lstrip("+")
    for length in (1, 2, 3):
        code = int(digits[:length] or 0)
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            mobile, fixed = _line_patterns(code)
            national = digits[length:]
            is_mobile = bool(mobile and mobile.fullmatch(national))
            is_fixed = bool(fixed and fixed.fullmatch(national))
            if is_mobile != is_fixed:
                return "mobile" if is_mobile else "fixed"
            return ""
    return ""


def region_of(e164: str) -> str:
    """The main country (ISO 3166 code) of a number in E.164 (``+79123456789`` -> ``RU``; ``""``: none)."""
    digits = e164.lstrip("+")
    for length in (1, 2, 3):
        code = int(digits[:length] or 0)
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            region = phonenumbers.region_code_for_country_code(code)
            return "" if region == "ZZ" else str(region)
    return ""
