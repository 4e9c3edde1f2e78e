"""The columns of an export: their headers, what kind of value each holds, and formula neutralisation.

The headers are the English field names the importer maps to themselves, so that a file exported here
imports back into an empty base as the same clients, purchases and history. The first columns of each
kind are the ones issue 4 names (clients ``external_id, name, organisation, phone, email, city, region,
street, birthday, notes``; purchases ``client_external_id, date, amount, profit, items``; history
``client_external_id, date, kind, outcome, text``); the rest of the card follows them.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return)
as a formula. It looks at the value as it reads it, though: LibreOffice and Excel skip a leading NUL
(an .xlsx carries it as ``_x0000_``), other control characters, spaces, a byte-order mark and
zero-width characters, and read the full-width ``＝ ＋ － ＠`` of East Asian input methods as the
ASCII ones. :func:`is_formula_like` therefore judges the text after that invisible lead-in. Such text
is neutralised by every writer: the xlsx writer stores it as an explicit string cell marked with
Excel's quote prefix, the CSV writer puts an apostrophe before it (the value itself is kept, so the
importer gives it back unchanged).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

ValueType = Literal["text", "date", "datetime", "money", "percent", "int", "bool", "funnel"]

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), with the
# full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) a spreadsheet folds to them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"
# What a spreadsheet skips before it looks at the first character: control characters (NUL
# included), whitespace, the byte-order mark and the zero-width characters.
_ZERO_WIDTH = "\u180e\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (an English field name) and the type of its values."""

    header: str
    type: ValueType = "text"
    width: int = 14  # a sensible width in characters when the rows give no better idea


@dataclass
class ExportTable:
    """What a writer writes: a title, the columns, the rows (lazily) and how many rows there are.

    ``rows`` yields one list per row, values in column order: ``str``, ``Decimal`` (money), ``int``,
    ``bool``, ``date``, ``datetime`` or ``None`` (an empty cell).
    """

    title: str
    columns: Sequence[Column]
    rows: Iterator[list[Any]]
    total: int

    @property
    def headers(self) -> list[str]:
        """The header row."""
        return [c.header for c in self.columns]


CLIENT_COLUMNS: tuple[Column, ...] = (
    Column("external_id", width=34),
    Column("name", width=28),
    Column("organisation", width=26),
    Column("phone", width=17),
    Column("email", width=28),
    Column("city", width=16),
    Column("region", width=16),
    Column("street", width=24),
    Column("birthday", "date", 12),
    Column("notes", width=36),
    Column("kind", width=12),
    Column("country", width=8),
    Column("district", width=14),
    Column("building", width=10),
    Column("postcode", width=10),
    Column("tax_id", width=14),
    Column("registration_no", width=16),
    Column("bank_details", width=24),
    Column("source", width=14),
    Column("vip", "bool", 6),
    Column("buying_particulars", width=24),
    Column("preferred_products", width=24),
    Column("usual_volume", width=16),
    Column("deal_terms", width=24),
    Column("discount_percent", "percent", 10),
    Column("payment_terms", width=18),
    Column("delivery_terms", width=18),
    Column("contract_no", width=14),
    Column("contract_end", "date", 12),
    Column("competitor", width=18),
    Column("competitor_advantage", width=24),
    Column("funnel", "funnel", 13),
    Column("temperature", width=12),
    Column("call_cycle_days", "int", 8),
    Column("tags", width=20),
    Column("phone_kind", width=10),  # of the phone in ``phone``
    Column("email_kind", width=10),  # of the e-mail in ``email``
    Column("client_since", "date", 12),  # when the client came: as imported, else the card's creation
)

PURCHASE_COLUMNS: tuple[Column, ...] = (
    Column("client_external_id", width=34),
    Column("date", "date", 12),
    Column("amount", "money", 14),
    Column("profit", "money", 14),
    Column("items", width=40),
    Column("document_no", width=16),
)

HISTORY_COLUMNS: tuple[Column, ...] = (
    Column("client_external_id", width=34),
    Column("date", "datetime", 17),
    Column("kind", width=10),
    Column("outcome", width=14),
    Column("text", width=48),
    Column("next_step", width=32),
    Column("duration_seconds", "int", 10),
)


def contact_columns(phones: int, emails: int) -> tuple[Column, ...]:
    """The extra columns for a client's further phones and e-mails, each followed by its kind:
    ``phone_2``, ``phone_2_kind`` …, ``email_2``, ``email_2_kind`` ….

    Args:
        phones: the largest number of phones one exported client has.
        emails: the largest number of e-mails one exported client has.
    """
    extra: list[Column] = []
    for n in range(2, phones + 1):
        extra += [Column(f"phone_{n}", width=17), Column(f"phone_{n}_kind", width=10)]
    for n in range(2, emails + 1):
        extra += [Column(f"email_{n}", width=28), Column(f"email_{n}_kind", width=10)]
    return tuple(extra)


def _skipped(ch: str) -> bool:
    """Whether a spreadsheet passes over ``ch`` at the start of a cell."""
    return ch.isspace() or ch in _ZERO_WIDTH or unicodedata.category(ch) in ("Cc", "Cf")


def spreadsheet_start(text: str) -> str:
    """``text`` as a spreadsheet reads its start: without the invisible lead-in it passes over."""
    i = 0
    while i < len(text) and _skipped(text[i]):
        i += 1
    return text[i:]


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula.

    A tab or carriage return at the start counts by itself; otherwise the first character after the
    invisible lead-in (control characters, NUL, whitespace, BOM, zero-width characters) decides.
    """
    return text.startswith(FORMULA_TRIGGERS) or spreadsheet_start(text).startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """``text`` with an apostrophe before it when a spreadsheet would run it as a formula."""
    return QUOTE + text if is_formula_like(text) else text


__all__ = [
    "CLIENT_COLUMNS",
    "FORMULA_TRIGGERS",
    "HISTORY_COLUMNS",
    "PURCHASE_COLUMNS",
    "Column",
    "ExportTable",
    "ValueType",
    "contact_columns",
    "is_formula_like",
    "neutralise",
    "spreadsheet_start",
]
