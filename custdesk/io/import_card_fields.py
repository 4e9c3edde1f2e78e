"""The card fields beyond name and contacts, read from a row: what CustDesk's own export writes.

The special-data fields (discount, contract, competitor …), registration number and bank details, VIP,
temperature, call cycle and funnel marker, and the kind of each phone and e-mail (the ``phone_kind`` /
``phone_2_kind`` columns), so that an export imported into an empty base gives the same cards. Values
are read forgivingly (``yes``/``да``/``1`` for VIP, a marker's key or its name in the user's language);
what cannot be read becomes a row issue naming the column.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from custdesk.core.dto import ClientInput
from custdesk.core.models import Client
from custdesk.core.vocab import EMAIL_KINDS, FUNNEL_MARKERS, PHONE_KINDS, TEMPERATURES
from custdesk.i18n import _
from custdesk.io import parsing
from custdesk.io.mapping import contact_owner_key, field_label, kind_owner_key
from custdesk.io.mapping_words import PHONEKIND_WORDS

Found = dict[str, list[tuple[str, object]]]
Issue = Callable[[str, str, str], None]  # (header, field, reason)

TEXT_FIELDS = (
    "registration_no",
    "bank_details",
    "buying_particulars",
    "preferred_products",
    "usual_volume",
    "deal_terms",
    "payment_terms",
    "delivery_terms",
    "contract_no",
    "competitor",
    "competitor_advantage",
)
_YES = frozenset({"yes", "y", "true", "1", "x", "+", "да", "д", "kyllä", "k", "بله", "آری", "vip"})
_NO = frozenset({"no", "n", "false", "0", "-", "нет", "н", "ei", "خیر", "نه"})
_TEMPERATURE_WORDS = {
    "hot": ("hot", "горяч", "kuuma", "گرم"),
    "warm": ("warm", "тёпл", "тепл", "lämmin", "ولرم"),
    "cold": ("cold", "холод", "kylmä", "سرد"),
}


def _single_line(name: str) -> bool:
    column = Client.__table__.c.get(name)
    return column is not None and getattr(column.type, "length", None) is not None


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = _text(value).casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(_("“{value}” is neither yes nor no.").format(value=_text(value)))


def _days(value: object) -> int:
    text = _text(value)
    if not text.isdigit():
        raise ValueError(_("“{value}” is not a whole number of days.").format(value=text))
    return int(text)


def _temperature(value: object) -> str:
    key = _text(value).casefold()
    for name, words in _TEMPERATURE_WORDS.items():
        if key == name or key == _(TEMPERATURES[name]).casefold() or any(key.startswith(w) for w in words):
            return name
    raise ValueError(_("“{value}” is not hot, warm or cold.").format(value=_text(value)))


def funnel_marker(value: object) -> str:
    """A funnel marker's key from a cell: its key, letter, or name (English or the user's language).

    Raises:
        ValueError: the cell names no marker.
    """
    text = _text(value)
    key = text.casefold()
    for marker in FUNNEL_MARKERS:
        names = {
            marker.key,
            marker.letter.casefold(),
            marker.code.casefold(),
            LEGACY_LETTERS.get(marker.key, "").casefold() or marker.key,
            marker.name.casefold(),
            _(marker.name).casefold(),
        }
        if key in names:
            return marker.key
    raise ValueError(_("“{value}” is not a funnel marker.").format(value=text))


# The letters the markers carried before each language had its own (files exported then still hold them).
LEGACY_LETTERS = {"gold": "Au", "platinum": "Pt", "gold-red": "AuR", "platinum-red": "PtR"}


def _discount(value: object) -> Decimal:
    if isinstance(value, str):
        value = value.replace("%", "")
    return parsing.parse_money(value)


_READERS: dict[str, Callable[[object], Any]] = {
    "vip": _bool,
    "discount_percent": _discount,
    "temperature": _temperature,
    "call_cycle_days": _days,
}

# Every field read_card_fields() reads: a mapping with none of them needs no call.
READ_FIELDS = frozenset({*TEXT_FIELDS, *_READERS, "contract_end", "funnel"})


def read_card_fields(found: Found, values: dict[str, Any], issue: Issue, *, dayfirst: bool) -> str:
    """Put the further card fields of a row into ``values``; return its funnel marker ("" when none).

    Args:
        found: field -> the (header, cell) pairs of the row's filled cells.
        values: the card's values being gathered (changed in place).
        issue: called with (header, field, reason) for a value that cannot be read.
        dayfirst: how a date with slashes is read (see :func:`custdesk.io.parsing.parse_date`).
    """
    for fld in TEXT_FIELDS:
        pairs = found.get(fld)
        if not pairs:
            continue
        text = "\n".join(_text(v) for _h, v in pairs).strip()
        if _single_line(fld):
            text = " ".join(text.split())
        if text:
            values[fld] = text
    for fld, reader in _READERS.items():
        for header, value in found.get(fld, [])[:1]:
            try:
                values[fld] = reader(value)
            except ValueError as exc:
                issue(header, fld, f"{field_label(fld)}: {exc}")
    for header, value in found.get("contract_end", [])[:1]:
        try:
            values["contract_end"] = parsing.parse_date(value, dayfirst=dayfirst)
        except ValueError as exc:
            issue(header, "contract_end", f"{field_label('contract_end')}: {exc}")
    for header, value in found.get("funnel", [])[:1]:
        try:
            return funnel_marker(value)
        except ValueError as exc:
            issue(header, "funnel", str(exc))
    return ""


def kind_columns(columns: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    """Contact column header -> the index of the column that says its kind (``phone_2`` -> ``phone_2_kind``).

    A kind column goes with the phone (e-mail) column of the same name without ``kind``; one that names
    no such column goes with the first phone (e-mail) column that has none.
    """
    out: dict[str, int] = {}
    for contact, kind_field in (("phone", "phone_kind"), ("email", "email_kind")):
        owners = [h for h, _i in columns.get(contact, [])]
        by_key = {contact_owner_key(h): h for h in owners}
        loose: list[int] = []
        for header, index in columns.get(kind_field, []):
            owner = by_key.get(kind_owner_key(header))
            if owner is not None and owner not in out:
                out[owner] = index
            else:
                loose.append(index)
        for owner in owners:
            if loose and owner not in out:
                out[owner] = loose.pop(0)
    return out


def contact_kind(value: object, *, phone: bool) -> str:
    """A phone's (``phone``) or e-mail's kind from a cell: a kind's key or a word for it ("" when unknown)."""
    key = _text(value).casefold()
    kinds = PHONE_KINDS if phone else EMAIL_KINDS
    for name, label in kinds.items():
        if key in (name, _(label).casefold()):
            return name
    if phone:
        for name, words in PHONEKIND_WORDS:
            if any(w in key for w in words):
                return name
    return ""


_CLIENT_DEFAULTS = dict(ClientInput().__dict__)
assert not hasattr(ClientInput, "__post_init__"), "client_input() would skip it"


def client_input(values: dict[str, Any]) -> ClientInput:
    """``ClientInput(**values)``, made without the frozen dataclass's ``__init__``.

    That ``__init__`` sets its forty fields one by one through ``object.__setattr__``: a sixth of the
    time of a row of a 100,000-row import. The card is the same (a test holds it to that); names that
    are not fields raise as they would.
    """
    if not _CLIENT_DEFAULTS.keys() >= values.keys():
        raise TypeError(f"ClientInput has no fields {sorted(values.keys() - _CLIENT_DEFAULTS.keys())}")
    fields = _CLIENT_DEFAULTS.copy()  # the fields in their order, the values over the defaults
    fields.update(values)
    card = object.__new__(ClientInput)
    object.__setattr__(card, "__dict__", fields)
    return card


__all__ = [
    "READ_FIELDS",
    "TEXT_FIELDS",
    "client_input",
    "contact_kind",
    "funnel_marker",
    "kind_columns",
    "read_card_fields",
]
