"""The one catalogue of client fields: the built-in ones, described once, and the firm's own.

Each :class:`FieldSpec` says what a field is called (a gettext msgid for a built-in field, the firm's own
name for a custom one), its kind, the card section it sits in, its length limit, its export width, the
import headers that mean it, and where the printed card places it. :func:`catalogue` joins the firm's
custom fields (``custom_fields``) to the built-in ones at run time; the custom-field parts of the card
form, the list, search, export, import mapping, the printed card and the journal read it.

Custom values are stored as text in a canonical form (:func:`canonical`), the same on SQLite and
PostgreSQL: text as typed (``0004512`` stays ``0004512``), numbers and money as plain decimals with a
point, dates ISO (``2026-12-07``), yes/no as ``1``/``0``, a choice as its text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from custdesk.i18n import N_, _

# The kinds of a custom field, with their names in the interface.
KINDS: dict[str, str] = {
    "text": N_("Text"),
    "number": N_("Number"),
    "money": N_("Money"),
    "date": N_("Date"),
    "yesno": N_("Yes/no"),
    "choice": N_("Choice from a list"),
}
TEXT_KINDS = frozenset({"text", "choice"})  # what search as you type reads
MAX_VALUE_LENGTH = 1000  # client_field_values.value
MAX_NAME_LENGTH = 64  # custom_fields.name
MAX_CUSTOM_FIELDS = 200
DEFAULT_SECTION = N_("Own fields")
CUSTOM_KEY_PREFIX = "cf"

# Where the printed card places a field.
PRINT_GENERAL, PRINT_SPECIAL, PRINT_WORK, PRINT_NONE = "general", "special", "work", ""


@dataclass(frozen=True)
class FieldSpec:
    """One client field, built-in or the firm's own.

    Attributes:
        key: the field's key (a Client attribute; ``cf<id>`` for a custom field).
        label: a gettext msgid for a built-in field, the firm's name for a custom one (see :meth:`title`).
        kind: text, longtext, number, money, percent, date, yesno, choice, or an enumerated kind.
        section: the card section (a msgid for a built-in field, the firm's section name otherwise).
        max_length: the longest text the base keeps (None: no limit or not text).
        export_width: the column width of an export, in characters.
        synonyms: import headers that mean this field (besides its name; built-in ones: io.mapping_words).
        print_place: where the printed card shows it (``general``, ``special``, ``work``; '' not printed).
        field_id: the ``custom_fields.id`` of a custom field (None: built-in).
        choices: the choices of a choice field.
        required: whether the card refuses to save without it (custom fields; built-in: validation).
        list_column: whether the list offers it as a column.
    """

    key: str
    label: str
    kind: str
    section: str
    max_length: int | None = None
    export_width: int = 14
    synonyms: tuple[str, ...] = ()
    print_place: str = PRINT_NONE
    field_id: int | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    list_column: bool = False

    @property
    def custom(self) -> bool:
        """Whether the firm defined this field."""
        return self.field_id is not None

    def title(self) -> str:
        """The field's name in the interface language (a custom field's own name as the firm wrote it)."""
        return self.label if self.custom else _(self.label)

    def section_title(self) -> str:
        """The card section's name in the interface language."""
        return _(self.section) if not self.custom or self.section == DEFAULT_SECTION else self.section


_GENERAL, _ADDRESS, _BUYING, _TERMS, _COMPETITOR, _NOTES, _WORK = (
    N_("Client details"),
    N_("Address"),
    N_("Buying"),
    N_("Terms of the deal"),
    N_("Competitor"),
    N_("Notes"),
    N_("Working rules"),
)


def _b(key: str, label: str, kind: str, section: str, limit: int | None, width: int, place: str) -> FieldSpec:
    return FieldSpec(key, label, kind, section, limit, width, (), place)


# The built-in card fields, in card order (limits: the Client columns in models.py).
BUILTIN: tuple[FieldSpec, ...] = (
    _b("kind", N_("Kind"), "client_kind", _GENERAL, 16, 12, PRINT_GENERAL),
    _b("name", N_("Name"), "text", _GENERAL, 200, 28, PRINT_GENERAL),
    _b("organisation", N_("Organisation"), "text", _GENERAL, 200, 26, PRINT_GENERAL),
    _b("tax_id", N_("Tax ID"), "text", _GENERAL, 64, 14, PRINT_GENERAL),
    _b("registration_no", N_("Registration number"), "text", _GENERAL, 64, 16, PRINT_GENERAL),
    _b("bank_details", N_("Bank details"), "longtext", _GENERAL, None, 24, PRINT_GENERAL),
    _b("country", N_("Country"), "country", _ADDRESS, 2, 8, PRINT_GENERAL),
    _b("region", N_("Region"), "text", _ADDRESS, 100, 16, PRINT_GENERAL),
    _b("city", N_("City"), "text", _ADDRESS, 100, 16, PRINT_GENERAL),
    _b("district", N_("District"), "text", _ADDRESS, 100, 14, PRINT_GENERAL),
    _b("street", N_("Street"), "text", _ADDRESS, 200, 24, PRINT_GENERAL),
    _b("building", N_("Building"), "text", _ADDRESS, 50, 10, PRINT_GENERAL),
    _b("postcode", N_("Postcode"), "text", _ADDRESS, 20, 10, PRINT_GENERAL),
    _b("birthday", N_("Birthday"), "date", _GENERAL, None, 12, PRINT_GENERAL),
    _b("source", N_("Source"), "text", _GENERAL, 100, 14, PRINT_GENERAL),
    _b("vip", N_("VIP"), "yesno", _GENERAL, None, 6, PRINT_GENERAL),
    _b("buying_particulars", N_("Buying particulars"), "longtext", _BUYING, None, 24, PRINT_SPECIAL),
    _b("preferred_products", N_("Preferred products"), "longtext", _BUYING, None, 24, PRINT_SPECIAL),
    _b("usual_volume", N_("Usual volume"), "text", _BUYING, 200, 16, PRINT_SPECIAL),
    _b("deal_terms", N_("Deal terms"), "longtext", _TERMS, None, 24, PRINT_SPECIAL),
    _b("discount_percent", N_("Discount"), "percent", _TERMS, None, 10, PRINT_SPECIAL),
    _b("payment_terms", N_("Payment terms"), "text", _TERMS, 200, 18, PRINT_SPECIAL),
    _b("delivery_terms", N_("Delivery terms"), "text", _TERMS, 200, 18, PRINT_SPECIAL),
    _b("contract_no", N_("Contract number"), "text", _TERMS, 64, 14, PRINT_SPECIAL),
    _b("contract_end", N_("Contract end"), "date", _TERMS, None, 12, PRINT_SPECIAL),
    _b("competitor", N_("Competitor"), "text", _COMPETITOR, 200, 18, PRINT_SPECIAL),
    _b("competitor_advantage", N_("Competitor's advantage"), "longtext", _COMPETITOR, None, 24, "special"),
    _b("notes", N_("Notes"), "longtext", _NOTES, None, 36, PRINT_SPECIAL),
    _b("temperature", N_("Temperature"), "temperature", _WORK, 8, 12, PRINT_WORK),
    _b("call_cycle_days", N_("Call cycle"), "days", _WORK, None, 8, PRINT_WORK),
)
BUILTIN_KEYS = frozenset(f.key for f in BUILTIN)


def custom_key(field_id: int) -> str:
    """The catalogue key of the custom field with this id (``cf12``)."""
    return f"{CUSTOM_KEY_PREFIX}{field_id}"


def custom_spec(
    field_id: int,
    name: str,
    kind: str,
    section: str,
    *,
    required: bool = False,
    list_column: bool = False,
    choices: Iterable[str] = (),
) -> FieldSpec:
    """The catalogue entry of a custom field (as stored in ``custom_fields``)."""
    width = {"date": 12, "yesno": 8, "number": 12, "money": 14}.get(kind, max(12, min(len(name) + 4, 30)))
    return FieldSpec(
        key=custom_key(field_id),
        label=name,
        kind=kind,
        section=section or DEFAULT_SECTION,
        max_length=MAX_VALUE_LENGTH if kind == "text" else None,
        export_width=width,
        synonyms=(name,),
        print_place=PRINT_SPECIAL,
        field_id=field_id,
        choices=tuple(choices),
        required=required,
        list_column=list_column,
    )


def choices_from_json(text: str | None) -> tuple[str, ...]:
    """The choices kept in ``custom_fields.choices``."""
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return ()
    return tuple(str(i) for i in items) if isinstance(items, list) else ()


def catalogue(custom: Iterable[FieldSpec] = ()) -> tuple[FieldSpec, ...]:
    """The built-in fields followed by the firm's own (``custom_fields.custom_specs`` reads them)."""
    return BUILTIN + tuple(custom)


def by_key(fields: Iterable[FieldSpec]) -> dict[str, FieldSpec]:
    """The fields by key."""
    return {f.key: f for f in fields}


# --- values of custom fields ---------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError(value)
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        number = Decimal(text)
    if not number.is_finite():
        raise ValueError(value)
    return number


_YES = frozenset({"1", "yes", "y", "true", "да", "д", "kyllä", "k", "بله", "آری", "x", "+", "✓"})
_NO = frozenset({"0", "no", "n", "false", "нет", "н", "ei", "e", "خیر", "نه", "-"})


def canonical(spec: FieldSpec, value: Any) -> tuple[str | None, str | None]:
    """The stored text of ``value`` for a custom field, or the reason it is refused.

    Returns:
        ``(text, None)`` (text None: no value), or ``(None, message)``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec.required:
            return None, _("{field} is required.").format(field=spec.title())
        return None, None
    kind = spec.kind
    if kind == "text":
        text = str(value).strip()
        if len(text) > MAX_VALUE_LENGTH:
            return None, _("{field} is too long: at most {max} characters.").format(
                field=spec.title(), max=MAX_VALUE_LENGTH
            )
        return text, None
    if kind in ("number", "money"):
        try:
            number = _decimal(value)
        except (ValueError, InvalidOperation):
            return None, _("{field}: enter a number.").format(field=spec.title())
        if kind == "money":
            if number != number.quantize(Decimal("0.01")):
                return None, _("{field}: at most two decimal places.").format(field=spec.title())
            return str(number.quantize(Decimal("0.01"))), None
        text = format(number.normalize(), "f") if number != 0 else "0"
        return text, None
    if kind == "date":
        if isinstance(value, date):
            return value.isoformat(), None
        try:
            return date.fromisoformat(str(value).strip()).isoformat(), None
        except ValueError:
            return None, _("{field}: enter a date.").format(field=spec.title())
    if kind == "yesno":
        if isinstance(value, bool):
            return ("1" if value else "0"), None
        word = str(value).strip().casefold()
        if word in _YES:
            return "1", None
        if word in _NO:
            return "0", None
        return None, _("{field}: answer yes or no.").format(field=spec.title())
    if kind == "choice":
        text = str(value).strip()
        if text not in spec.choices:
            return None, _("{field}: choose one of: {choices}.").format(
                field=spec.title(), choices=", ".join(spec.choices)
            )
        return text, None
    return str(value), None


def python_value(spec: FieldSpec, text: str | None) -> Any:
    """A stored text as a Python value (Decimal, date, bool or str); None stays None."""
    if text is None:
        return None
    try:
        if spec.kind in ("number", "money"):
            return Decimal(text)
        if spec.kind == "date":
            return date.fromisoformat(text)
    except (ValueError, InvalidOperation):
        return text
    if spec.kind == "yesno":
        return text == "1"
    return text


def guess_kind(values: Iterable[str]) -> str:
    """The kind an import's column of texts most likely has; ``0004512`` (a leading zero) is text."""
    seen = [v.strip() for v in values if v is not None and str(v).strip()]
    if not seen:
        return "text"

    def all_are(test: Any) -> bool:
        return all(test(v) for v in seen)

    def is_number(v: str) -> bool:
        if len(v) > 1 and v[0] == "0" and v[1].isdigit():
            return False  # a code with leading zeros, kept as typed
        try:
            _decimal(v)
        except (ValueError, InvalidOperation):
            return False
        return True

    def is_date(v: str) -> bool:
        try:
            date.fromisoformat(v)
        except ValueError:
            return False
        return True

    if all_are(lambda v: v.casefold() in _YES | _NO) and not all_are(is_number):
        return "yesno"
    if all_are(is_date):
        return "date"
    if all_are(is_number):
        return "number"
    distinct = set(seen)
    if len(seen) >= 10 and len(distinct) <= max(2, len(seen) // 5) and len(distinct) <= 12:
        return "choice"
    return "text"
