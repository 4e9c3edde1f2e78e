"""Which column of a file fills which field: header synonyms, content sniffing, saved mappings.

:func:`suggest_mapping` maps each column of a :class:`~custdesk.io.importers.base.SourceTable` by its
header (synonyms in English, Russian, Finnish and Persian; the English field names always map to
themselves) and, for columns whose header says nothing, by what the cells look like (phones, e-mails,
dates, money). The user adjusts it in the wizard; :class:`ColumnMapping` is saved and loaded as JSON
(``--mapping MAP.json`` / ``--save-mapping``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from custdesk.i18n import N_, _
from custdesk.io.importers.base import ImportFileError
from custdesk.io.mapping_words import SYNONYMS

if TYPE_CHECKING:
    from custdesk.io.importers.base import SourceTable

# The fields each kind of import can fill, in the order the wizard shows them.
TARGET_FIELDS: dict[str, tuple[str, ...]] = {
    "clients": (
        "external_id", "name", "last_name", "first_name", "middle_name", "organisation", "kind",
        "phone", "email", "country", "region", "city", "district", "street", "building", "postcode",
        "birthday", "client_since", "tax_id", "source", "notes", "tags",
        # The rest of the card, as CustDesk's own export writes it.
        "registration_no", "bank_details", "vip", "buying_particulars", "preferred_products",
        "usual_volume", "deal_terms", "discount_percent", "payment_terms", "delivery_terms",
        "contract_no", "contract_end", "competitor", "competitor_advantage", "funnel", "temperature",
        "call_cycle_days", "phone_kind", "email_kind",
    ),
    "purchases": (
        "client_external_id", "client_phone", "client_email", "date", "amount", "profit", "items",
        "document_no",
    ),
    "history": (
        "client_external_id", "client_phone", "client_email", "date", "kind", "outcome", "text",
        "next_step", "duration_seconds",
    ),
}  # fmt: skip
# Fields several columns may fill (joined: phones and e-mails listed, notes and tags combined).
# Parts of an address several columns may name (Outlook's business, home and other addresses): the first
# one a row fills is taken.
ADDRESS_PARTS = frozenset({"city", "region", "district", "building", "postcode", "country"})
MULTI_FIELDS = frozenset(
    {"phone", "email", "phone_kind", "email_kind", "notes", "tags", "street", "items", "text", *ADDRESS_PARTS}
)
# A numbered contact column (``phone_2``, ``Телефон 2``) and its kind (``phone_2_kind``): the field a
# header without the number (and ``kind``) names, when that field is one of these.
_NUMBERED = re.compile(r"^(?P<base>.*?\D)\d+(?P<kind>kind)?$")
_KIND_SUFFIX = "kind"
_VALUE_SUFFIX, _TYPE_SUFFIX = "value", "type"  # Google Contacts' "Phone 1 - Value" / "Phone 1 - Type"
_CONTACT_FIELDS = {"phone": "phone_kind", "email": "email_kind"}
# A mapping that fills none of these cannot import its kind.
REQUIRED_ANY: dict[str, tuple[tuple[str, ...], ...]] = {
    "clients": (("name", "last_name", "first_name", "organisation"),),
    "purchases": (("client_external_id", "client_phone", "client_email"), ("date",), ("amount",)),
    "history": (("client_external_id", "client_phone", "client_email"), ("date",)),
}
FIELD_NAMES: dict[str, str] = {
    "external_id": N_("External ID"),
    "name": N_("Full name"),
    "last_name": N_("Last name"),
    "first_name": N_("First name"),
    "middle_name": N_("Middle name"),
    "organisation": N_("Organisation"),
    "kind": N_("Kind"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "country": N_("Country"),
    "region": N_("Region"),
    "city": N_("City"),
    "district": N_("District"),
    "street": N_("Street"),
    "building": N_("Building"),
    "postcode": N_("Postcode"),
    "birthday": N_("Birthday"),
    "client_since": N_("Client since"),
    "tax_id": N_("Tax ID"),
    "source": N_("Source"),
    "notes": N_("Notes"),
    "tags": N_("Tags"),
    "client_external_id": N_("Client's external id or name"),
    "client_phone": N_("Client's phone"),
    "client_email": N_("Client's e-mail"),
    "date": N_("Date"),
    "amount": N_("Amount"),
    "profit": N_("Profit"),
    "items": N_("What was bought"),
    "document_no": N_("Document number"),
    "outcome": N_("Outcome"),
    "text": N_("Text"),
    "next_step": N_("Next step"),
    "duration_seconds": N_("Duration, seconds"),
    "registration_no": N_("Registration number"),
    "bank_details": N_("Bank details"),
    "vip": N_("VIP"),
    "buying_particulars": N_("Buying particulars"),
    "preferred_products": N_("Preferred products"),
    "usual_volume": N_("Usual volume"),
    "deal_terms": N_("Deal terms"),
    "discount_percent": N_("Discount, %"),
    "payment_terms": N_("Payment terms"),
    "delivery_terms": N_("Delivery terms"),
    "contract_no": N_("Contract number"),
    "contract_end": N_("Contract ends"),
    "competitor": N_("Competitor"),
    "competitor_advantage": N_("Competitor's advantage"),
    "funnel": N_("Funnel marker"),
    "temperature": N_("Temperature"),
    "call_cycle_days": N_("Call cycle, days"),
    "phone_kind": N_("Phone kind"),
    "email_kind": N_("E-mail kind"),
}
# Why a column got its field.
BY_HEADER, BY_CONTENT, BY_USER, BY_NEW, BY_OWN = "header", "content", "user", "new", "own"
# A column is taken for a sniffed field when this share of its sampled cells looks like it.
SNIFF_SHARE = 0.6
SNIFF_SAMPLE = 50
MAPPING_FORMAT = 1
# A column mapped to one of the firm's own fields: ``own:`` and the field's name (made by the import
# when the base has no field of that name; its kind in :attr:`ColumnMapping.kinds`).
OWN_PREFIX = "own:"
# Why a column of a clients import was left out rather than made an own field.
LEFT_EMPTY, LEFT_NO_HEADER, LEFT_ROW_NUMBERS, LEFT_TAKEN = "empty", "no_header", "row_numbers", "taken"
LEFT_OUT_REASONS = {
    LEFT_TAKEN: N_("an earlier column fills the same field"),
    LEFT_EMPTY: N_("the column is empty"),
    LEFT_NO_HEADER: N_("the column has no header"),
    LEFT_ROW_NUMBERS: N_("the column only numbers the rows"),
}

_PUNCT = re.compile(r"[\s\-_.:;,/\\()\[\]{}'\"«»“”#№*]+")
_FOLD = str.maketrans({"ё": "е", "ي": "ی", "ك": "ک", "\u200c": "", "\u200f": "", "\u200e": ""})


def header_key(text: object) -> str:
    """A header folded for lookup: lower case, no punctuation or spaces, ё as е, Persian letters unified."""
    return _PUNCT.sub("", str(text).casefold().translate(_FOLD))


_LOOKUP: dict[str, dict[str, str]] = {}
# Headers that only number the rows of a list: the client's number in the old base (folded to lower case).
_NUMBER_HEADERS = frozenset(
    {"№", "№ п/п", "n", "no", "no.", "nr", "nr.", "nro", "#", "id", "шифр", "ش", "ردیف"}
)


def _lookup(kind: str) -> dict[str, str]:
    """Folded header -> field for ``kind``: its own synonyms over the shared ones, field names last."""
    table = _LOOKUP.get(kind)
    if table is None:
        table = {}
        for scope in ("*", kind):
            for fld, words in SYNONYMS.get(scope, {}).items():
                if fld in TARGET_FIELDS[kind]:
                    for word in words:
                        table[header_key(word)] = fld
        for fld in TARGET_FIELDS[kind]:
            table[header_key(fld)] = fld  # the English field names always map to themselves
        _LOOKUP[kind] = table
    return table


def field_for_header(kind: str, header: str) -> str | None:
    """The field a header names for ``kind`` (None when the header is not known).

    Besides the synonyms: a numbered phone or e-mail column (``phone_2``, ``email_3``, ``Телефон 2``) is a
    phone or an e-mail, and ``phone_kind`` / ``phone_2_kind`` (``email_…_kind``) says the kind of the
    phones of the column of that name (as CustDesk's export writes them).
    """
    table = _lookup(kind)
    key = header_key(header)
    if kind == "clients" and " ".join(str(header).split()).casefold() in _NUMBER_HEADERS:
        return "external_id"  # a workbook's "№" / "No" / "ID" column numbers its clients
    found = table.get(key)
    if found is not None:
        return found
    numbered = _NUMBERED.match(key)
    base = numbered.group("base") if numbered and not numbered.group("kind") else None
    if base is not None and table.get(base) in _CONTACT_FIELDS:
        return table[base]
    # Google Contacts: "Phone 1 - Value" is a phone, "Phone 1 - Type" the kind of that column's phones.
    for suffix, kind_column in ((_VALUE_SUFFIX, False), (_TYPE_SUFFIX, True)):
        numbered = _NUMBERED.match(key[: -len(suffix)]) if key.endswith(suffix) else None
        found = table.get(numbered.group("base")) if numbered and not numbered.group("kind") else None
        if found in _CONTACT_FIELDS:
            return _CONTACT_FIELDS[found] if kind_column else found
    if key.endswith(_KIND_SUFFIX):
        owner = contact_field_for_kind(kind, header)
        if owner is not None and _CONTACT_FIELDS[owner] in TARGET_FIELDS[kind]:
            return _CONTACT_FIELDS[owner]
    return None


def contact_field_for_kind(kind: str, header: str) -> str | None:
    """For a kind column (``phone_2_kind``), the contact field of the column it describes (``phone``)."""
    key = header_key(header)
    if not key.endswith(_KIND_SUFFIX):
        return None
    owner = key[: -len(_KIND_SUFFIX)]
    numbered = _NUMBERED.match(owner)
    for candidate in (owner, numbered.group("base") if numbered else None):
        found = _lookup(kind).get(candidate) if candidate else None
        if found in _CONTACT_FIELDS:
            return found
    return None


def kind_owner_key(header: str) -> str:
    """The folded header of the column a kind column describes (``phone_2_kind`` -> that of ``phone_2``;
    ``Phone 1 - Type`` -> that of ``Phone 1 - Value``, as :func:`contact_owner_key` folds it)."""
    key = header_key(header)
    for suffix in (_KIND_SUFFIX, _TYPE_SUFFIX):
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def contact_owner_key(header: str) -> str:
    """The folded header of a phone or e-mail column as its kind column names it (``Phone 1 - Value`` ->
    ``phone1``)."""
    key = header_key(header)
    return key[: -len(_VALUE_SUFFIX)] if key.endswith(_VALUE_SUFFIX) else key


def own_target(name: str) -> str:
    """The mapping target of the own field named ``name``."""
    return OWN_PREFIX + " ".join(name.split())


def own_name(target: str) -> str | None:
    """The own field's name a target names (None: a built-in field)."""
    return target[len(OWN_PREFIX) :] if target.startswith(OWN_PREFIX) else None


def own_key(name: str) -> str:
    """An own field's name folded for comparing (case and spaces)."""
    return " ".join(name.split()).casefold()


def field_label(name: str) -> str:
    """The translated name of a target field (an own field: its name)."""
    own = own_name(name)
    if own is not None:
        return own
    return _(FIELD_NAMES[name]) if name in FIELD_NAMES else name


def kind_label(kind: str) -> str:
    """The translated name of an own field's kind."""
    from custdesk.core.fields import KINDS

    return _(KINDS[kind]).lower() if kind in KINDS else kind


def _valid_own(name: str | None, kind: str | None) -> bool:
    from custdesk.core.fields import KINDS, MAX_NAME_LENGTH

    return bool(name and name.strip() and len(name) <= MAX_NAME_LENGTH and kind in KINDS and kind != "choice")


def header_score(cells: Iterable[object]) -> float:
    """How much a row looks like a header row (higher: more), for finding the header row."""
    from custdesk.io import parsing

    known = set().union(*(_lookup(k).keys() for k in TARGET_FIELDS))
    score = 0.0
    for cell in cells:
        if not isinstance(cell, str):
            score -= 1.0  # numbers and dates are data
            continue
        text = cell.strip()
        if header_key(text) in known:
            score += 3.0
        elif len(text) > 40 or parsing.looks_like_data(text):
            score -= 1.0
        else:
            score += 1.0
    return score


@dataclass
class ColumnMapping:
    """Which file column fills which field.

    Attributes:
        kind: clients, purchases or history.
        columns: file header -> target field (a field from :data:`TARGET_FIELDS`); a header not in it
            is left out. Several headers may fill a field of :data:`MULTI_FIELDS`.
        reasons: file header -> why it got its field (``header``, ``content`` or ``user``; ``new``: a
            new own field proposed for a column no built-in field fits, ``own``: an own field of the
            base of the header's name).
        kinds: file header -> the kind of the own field it fills (``own:NAME`` targets; for a field
            the base already has, the base's kind wins).
        left_out: file header -> why a clients import leaves the column out (see
            :data:`LEFT_OUT_REASONS`).
    """

    kind: str
    columns: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)

    def set(self, header: str, target: str | None, kind: str | None = None) -> None:
        """Map ``header`` to ``target`` (None or "" leaves the column out); the user's choice.

        ``target`` is a field of :data:`TARGET_FIELDS` or an own field (:func:`own_target`, clients only)
        of ``kind`` (text, number, money, date, yesno).
        """
        if not target:
            self.columns.pop(header, None)
            self.reasons.pop(header, None)
            self.kinds.pop(header, None)
            return
        own = own_name(target)
        if own is not None:
            kind = kind or self.kinds.get(header) or "text"
            if self.kind != "clients" or not _valid_own(own, kind):
                raise ValueError(f"{target!r} ({kind}) is not an own field of a {self.kind} import")
            target = own_target(own)
            for other in [
                h for h, f in self.columns.items() if h != header and own_key(f) == own_key(target)
            ]:
                self.set(other, None)
            self.kinds[header] = kind
        else:
            if target not in TARGET_FIELDS[self.kind]:
                raise ValueError(f"{target!r} is not a field of a {self.kind} import")
            if target not in MULTI_FIELDS:
                for other in [h for h, f in self.columns.items() if f == target and h != header]:
                    self.set(other, None)
            self.kinds.pop(header, None)
        self.columns[header] = target
        self.reasons[header] = BY_USER
        self.left_out.pop(header, None)

    def own_columns(self) -> dict[str, tuple[str, str]]:
        """File header -> (own field's name, kind) of the columns that fill own fields."""
        return {
            h: (name, self.kinds.get(h, "text"))
            for h, f in self.columns.items()
            if (name := own_name(f)) is not None
        }

    def headers_for(self, target: str) -> list[str]:
        """The file headers that fill ``target``, in mapping order."""
        return [h for h, f in self.columns.items() if f == target]

    def fields(self) -> list[str]:
        """The fields this mapping fills, in the order of :data:`TARGET_FIELDS`."""
        filled = set(self.columns.values())
        return [f for f in TARGET_FIELDS[self.kind] if f in filled]

    def problems(self) -> list[str]:
        """Why this mapping cannot import its kind (translated; empty when it can)."""
        filled = set(self.columns.values())
        messages = []
        for group in REQUIRED_ANY[self.kind]:
            if not filled.intersection(group):
                names = ", ".join(field_label(f) for f in group)
                messages.append(_("No column is mapped to {fields}.").format(fields=names))
        return messages

    def to_json(self) -> dict[str, Any]:
        """The mapping as JSON-ready data."""
        data: dict[str, Any] = {"format": MAPPING_FORMAT, "kind": self.kind, "columns": dict(self.columns)}
        kinds = {h: k for h, k in self.kinds.items() if h in self.columns}
        if kinds:
            data["kinds"] = kinds
        return data

    @classmethod
    def from_json(cls, data: Any) -> ColumnMapping:
        """A mapping from :meth:`to_json` data.

        Raises:
            ImportFileError: the data is not a mapping of a known kind and fields.
        """
        if not isinstance(data, dict) or data.get("kind") not in TARGET_FIELDS:
            raise ImportFileError(_("This is not a CustDesk column mapping."))
        kind = str(data["kind"])
        columns = data.get("columns")
        if not isinstance(columns, dict) or not all(
            isinstance(h, str) and isinstance(f, str) for h, f in columns.items()
        ):
            raise ImportFileError(_("This is not a CustDesk column mapping."))
        kinds = data.get("kinds") or {}
        if not isinstance(kinds, dict):
            raise ImportFileError(_("This is not a CustDesk column mapping."))
        unknown = sorted(
            {
                f
                for h, f in columns.items()
                if f not in TARGET_FIELDS[kind]
                and not (kind == "clients" and _valid_own(own_name(f), kinds.get(h, "text")))
            }
        )
        if unknown:
            raise ImportFileError(
                _("The mapping names fields that a {kind} import does not have: {fields}.").format(
                    kind=kind, fields=", ".join(unknown)
                )
            )
        own_kinds = {h: str(kinds.get(h, "text")) for h, f in columns.items() if own_name(f) is not None}
        return cls(kind, dict(columns), {h: BY_USER for h in columns}, own_kinds)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the mapping to ``path`` as JSON (UTF-8)."""
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ColumnMapping:
        """Read a mapping saved by :meth:`save`.

        Raises:
            ImportFileError: the file cannot be read or is not a mapping.
        """
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise ImportFileError(
                _("The mapping {path} cannot be read: {reason}").format(path=p, reason=exc.strerror or exc)
            ) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportFileError(_("{path} is not a CustDesk column mapping.").format(path=p)) from exc
        return cls.from_json(data)

    def for_table(self, table: SourceTable) -> ColumnMapping:
        """This (saved) mapping applied to a table: headers the table lacks are dropped."""
        present = {header_key(h): h for h in table.headers}
        columns: dict[str, str] = {}
        kinds: dict[str, str] = {}
        for header, target in self.columns.items():
            actual = header if header in table.headers else present.get(header_key(header))
            if actual is not None:
                columns[actual] = target
                if header in self.kinds:
                    kinds[actual] = self.kinds[header]
        return ColumnMapping(self.kind, columns, {h: BY_USER for h in columns}, kinds)


def says_nothing(header: str) -> bool:
    """Whether a header tells nothing of its column (``C``, ``Column C``, ``Колонка 3``, ``F1``)."""
    from custdesk.io.mapping_words import GENERIC_HEADER

    return GENERIC_HEADER.fullmatch(" ".join(str(header).casefold().split())) is not None


def names_something_else(header: str) -> bool:
    """Whether a header names a thing that is not a phone (a card, an account, a code, an index...)."""
    from custdesk.io.mapping_words import NOT_PHONE_WORDS

    key = header_key(header)
    return any(header_key(w) in key for w in NOT_PHONE_WORDS)


def _valid_phone_share(sample: list[object]) -> float:
    """The share of cells that are valid numbers for some country (the firm's is not known here)."""
    from custdesk.io import parsing
    from custdesk.io.phone_regions import CANDIDATES

    valid = 0
    for cell in sample:
        pieces = parsing.split_phones(cell)
        if pieces and any(_valid_somewhere(pieces[0], region) for region in CANDIDATES):
            valid += 1
    return valid / len(sample)


def _valid_somewhere(piece: str, region: str) -> bool:
    from custdesk.io import parsing

    try:
        parsing.normalise_import_phone(piece, region)
    except ValueError:
        return False
    return True


def _sniffed_field(kind: str, cells: list[object], header: str = "") -> str | None:
    """The field a column's cells say it holds, when its header does not.

    E-mails are taken from any column; a phone only from a column whose header names nothing else and
    whose values are mostly valid numbers (a card number ``00004500`` is not); a date only from a column
    whose header says nothing at all (a registration date is no birthday).
    """
    from custdesk.io import parsing

    sample = [c for c in cells if c is not None and str(c).strip()][:SNIFF_SAMPLE]
    if len(sample) < 1:
        return None

    def share(test: Any) -> float:
        return sum(1 for c in sample if test(c)) / len(sample)

    if share(parsing.looks_like_email) >= SNIFF_SHARE:
        return "email" if kind == "clients" else "client_email"
    if share(parsing.looks_like_date) >= SNIFF_SHARE:
        return ("birthday" if kind == "clients" else "date") if says_nothing(header) else None
    if (
        share(parsing.looks_like_phone) >= SNIFF_SHARE
        and not names_something_else(header)
        and _valid_phone_share(sample) > 0.5
    ):
        return "phone" if kind == "clients" else "client_phone"
    if kind == "purchases" and share(parsing.looks_like_money) >= SNIFF_SHARE:
        return "amount"
    return None


def _row_numbers(cells: list[object]) -> bool:
    """Whether a column's filled cells are 1, 2, 3… (it numbers the rows)."""
    from custdesk.io.import_rows import cell_text

    texts = [t for t in (cell_text(c) for c in cells) if t]
    if len(texts) < 2 or not texts[0].isdigit():
        return False
    first = int(texts[0])
    return all(t == str(first + i) for i, t in enumerate(texts))


def own_field_for_column(
    header: str, cells: list[object], own_fields: Mapping[str, str]
) -> tuple[str | None, str]:
    """The own field a column no built-in field takes fills: ``(target, kind)``, or ``(None, reason)``.

    A header that names an own field of the base (case and spaces folded) fills that field; otherwise
    a new field named after the header, of the kind its cells say (:func:`custdesk.core.fields.guess_kind`
    over the cells' text as the file holds it: ``0004512`` is text). An empty column, one without header
    text and one that only numbers the rows are left out (the reason: a key of :data:`LEFT_OUT_REASONS`).
    """
    from custdesk.core.fields import MAX_NAME_LENGTH, guess_kind
    from custdesk.io.import_rows import cell_text

    name = " ".join(str(header).split())
    texts = [cell_text(c) for c in cells]
    if not any(texts):
        return None, LEFT_EMPTY
    if not name or says_nothing(name):
        return None, LEFT_NO_HEADER
    if _row_numbers(cells):
        return None, LEFT_ROW_NUMBERS
    for existing, existing_kind in own_fields.items():
        if own_key(existing) == own_key(name):
            return own_target(existing), existing_kind
    kind = guess_kind(t for t in texts if t)
    if kind == "text":
        from custdesk.io import parsing

        filled = [c for c, t in zip(cells, texts, strict=True) if t]
        if all(parsing.looks_like_date(c) for c in filled):
            kind = "date"  # 03.05.2021 as well as 2021-05-03
    return own_target(name[:MAX_NAME_LENGTH]), ("text" if kind == "choice" else kind)


def suggest_mapping(
    kind: str, table: SourceTable, own_fields: Mapping[str, str] | None = None
) -> ColumnMapping:
    """The mapping CustDesk proposes for ``table``: by header names first, then by content.

    A header is matched after folding (case, spaces, punctuation); a field already taken by a header is
    not taken again by content, except the fields several columns may fill (phones, e-mails). In a
    clients import, a column left then becomes an own field (:func:`own_field_for_column`).

    Args:
        kind: clients, purchases or history.
        table: the table read.
        own_fields: the base's own fields, name -> kind (``custom_fields.list_fields``).
    """
    if kind not in TARGET_FIELDS:
        raise ValueError(f"unknown import kind {kind!r}")
    mapping = ColumnMapping(kind)
    for header in table.headers:
        target = field_for_header(kind, header)
        if target is None:
            continue
        if target not in MULTI_FIELDS and target in mapping.columns.values():
            continue  # the first column with that meaning wins
        mapping.columns[header] = target
        mapping.reasons[header] = BY_HEADER
    for index, header in enumerate(table.headers):
        if header in mapping.columns:
            continue
        target = _sniffed_field(kind, [row[index] for row in table.rows[: SNIFF_SAMPLE * 4]], header)
        if target is None or (target not in MULTI_FIELDS and target in mapping.columns.values()):
            continue
        mapping.columns[header] = target
        mapping.reasons[header] = BY_CONTENT
    if kind != "clients":
        return mapping
    for index, header in enumerate(table.headers):
        if header in mapping.columns:
            continue
        if field_for_header(kind, header) is not None:
            mapping.left_out[header] = LEFT_TAKEN  # it names a built-in field another column fills
            continue
        target, what = own_field_for_column(header, [row[index] for row in table.rows], own_fields or {})
        if target is None:
            mapping.left_out[header] = what
            continue
        if any(own_key(f) == own_key(target) for f in mapping.columns.values()):
            continue  # two columns of one name: the first fills the field
        mapping.columns[header] = target
        known = {own_key(n) for n in own_fields or {}}
        mapping.reasons[header] = BY_OWN if own_key(own_name(target) or "") in known else BY_NEW
        mapping.kinds[header] = what
    return mapping


def left_out_reason(mapping: ColumnMapping, header: str) -> str:
    """Why a column is not imported, translated ("" when no reason is known: the user left it out)."""
    why = mapping.left_out.get(header)
    return _(LEFT_OUT_REASONS[why]) if why in LEFT_OUT_REASONS else ""


def mapping_line(mapping: ColumnMapping, header: str) -> str:
    """What becomes of a column, as the preview and the CLI say it (translated)."""
    target = mapping.columns.get(header)
    if target is None:
        why = left_out_reason(mapping, header)
        if why:
            return _("{column} → not imported: {reason}").format(column=header, reason=why)
        return _("{column} → not imported").format(column=header)
    own = own_name(target)
    if own is not None:
        kind = kind_label(mapping.kinds.get(header, "text"))
        if mapping.reasons.get(header) == BY_OWN:
            return _("{column} → own field “{name}” ({kind})").format(column=header, name=own, kind=kind)
        return _("{column} → New own field “{name}” ({kind})").format(column=header, name=own, kind=kind)
    return _("{column} → {field}").format(column=header, field=field_label(target))


__all__ = [
    "ADDRESS_PARTS",
    "BY_CONTENT",
    "BY_HEADER",
    "BY_NEW",
    "BY_OWN",
    "BY_USER",
    "FIELD_NAMES",
    "MULTI_FIELDS",
    "TARGET_FIELDS",
    "ColumnMapping",
    "contact_field_for_kind",
    "field_for_header",
    "field_label",
    "header_key",
    "header_score",
    "kind_label",
    "kind_owner_key",
    "left_out_reason",
    "mapping_line",
    "own_field_for_column",
    "own_key",
    "own_name",
    "own_target",
    "suggest_mapping",
]
