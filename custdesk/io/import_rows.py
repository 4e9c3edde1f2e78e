"""One row of a file turned into what the services take: a ClientInput, PurchaseInput or InteractionInput.

Each converter returns the input (None when the row cannot land at all) and the row's problems. With
``flag`` set, a bad value is left out and the row still lands, its problems listed for the card's notes;
without it, any problem makes the row bad. Validation is :mod:`custdesk.core.validation`'s, with the
phones and e-mails checked here once each (with repairs for what spreadsheets do to phone numbers) and
the rest of the card by :func:`~custdesk.core.validation.validate_client`.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from custdesk.core.dto import ClientInput, EmailInput, InteractionInput, PhoneInput, PurchaseInput
from custdesk.core.models import Tag
from custdesk.core.services.history import validate_interaction
from custdesk.core.services.purchases import validate_purchase
from custdesk.core.validation import (
    email_error,
    field_error,
    line_kind,
    normalise_email,
    region_of,
    text_field_ok,
)
from custdesk.core.vocab import has_legal_form
from custdesk.i18n import _
from custdesk.io import parsing
from custdesk.io.import_card_fields import (
    READ_FIELDS,
    client_input,
    contact_kind,
    kind_columns,
    read_card_fields,
)
from custdesk.io.import_engine import RowIssue
from custdesk.io.import_own_fields import own_value
from custdesk.io.importers.base import SourceTable
from custdesk.io.mapping import ADDRESS_PARTS, ColumnMapping, field_label, header_key
from custdesk.io.mapping_words import KIND_WORDS, ORG_WORDS, OUTCOME_WORDS, PHONEKIND_WORDS, is_totals_row

# Excel's own limit of a cell: a longer value is a broken file, not data.
MAX_CELL_CHARS = 32767
LAST_NAME_FIRST = frozenset({"RU", "BY", "KZ", "UA", "HU", "CN", "JP", "KR"})
_DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


@dataclass
class RowContext:
    """What every row of one import shares: columns, the firm's region and rules."""

    table: SourceTable
    mapping: ColumnMapping
    region: str
    require_contact: bool
    flag: bool
    today: date = field(default_factory=date.today)
    # Own-field target (``own:NAME``) -> its spec (import_own_fields.own_specs); set by the import.
    own_specs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index = {h: i for i, h in enumerate(self.table.headers)}
        self.header_index = index
        self.columns: dict[str, list[tuple[str, int]]] = {}
        for header, target in self.mapping.columns.items():
            if header in index:
                self.columns.setdefault(target, []).append((header, index[header]))
        self.dayfirst = self.region.upper() != "US"  # slashes only: dots are day-first everywhere
        self.kind_of = kind_columns(self.columns)
        self.single_line = tuple(f for f in _SINGLE_LINE_FIELDS if f in self.columns)
        self.card_fields = not READ_FIELDS.isdisjoint(self.columns)
        # A birthday up to here is in the past both for this import and for field_error(), which asks
        # the clock: no need to ask it.
        self.past = min(self.today, date.today())
        _field_error.cache_clear()  # messages in today's language, birthdays checked against today
        self.last_first = self.region.upper() in LAST_NAME_FIRST


@dataclass
class RowResult:
    """A converted row: the input (None: it cannot land), its problems, and whether they are fatal."""

    row: int
    value: ClientInput | PurchaseInput | InteractionInput | None
    issues: list[RowIssue] = field(default_factory=list)
    client_key: tuple[str, str] | None = None  # purchases/history: how to find the client
    funnel: str = ""  # clients: the funnel marker the row names ("": a new lead, white)
    own: dict[str, str] = field(default_factory=dict)  # clients: own-field target -> stored text

    @property
    def bad(self) -> bool:
        return bool(self.issues)


def cell_text(value: object) -> str:
    """A cell as text: a whole float without ``.0``, a date in ISO, text stripped."""
    if value is None or value is False:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.isoformat(sep=" ", timespec="minutes")
            if value.time() != datetime.min.time()
            else (value.date().isoformat())
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@lru_cache(maxsize=8192)
def _field_error(fld: str, value: Any, region: str, kind: str) -> str | None:
    """:func:`~custdesk.core.validation.field_error`, once per value (cities, dates, kinds repeat)."""
    return field_error(fld, value, region, kind=kind)


@lru_cache(maxsize=65536)
def _domain_ok(domain: str) -> bool:
    return email_error(f"a@{domain}") is None


def check_email(address: str) -> tuple[str | None, str | None]:
    """(normalised address, None) or (None, reason) — the card editor's rules, quick for plain addresses.

    A dot-atom local part (RFC 5322) of an ASCII address is always accepted by email-validator, so only
    its domain needs the full check, once per domain; anything else goes through the full check.
    """
    local, at, domain = address.strip().rpartition("@")
    plain = at and _DOT_ATOM.match(local) and len(local) <= 64 and domain.isascii() and len(address) <= 254
    if plain and _domain_ok(domain.lower()):
        return f"{local}@{domain.lower()}", None
    reason = email_error(address)
    if reason is not None:
        return None, reason
    return normalise_email(address), None


@lru_cache(maxsize=256)
def _phone_kind(header: str) -> str:
    key = header_key(header)
    for kind, words in PHONEKIND_WORDS:
        if any(header_key(w) in key for w in words):
            return kind
    return ""


def _by_the_rows_country(others: list[str], piece: str, region: str) -> str:
    """A local number the firm's country refused, read in the country of the row's other, international
    numbers (a vCard or a row with ``+7 912…`` beside ``8 (342) 212-34-56``); ``""`` when none reads it."""
    for other in others:
        if not other.strip().startswith("+"):
            continue
        try:
            country = region_of(parsing.normalise_import_phone(other, region))
        except ValueError:
            continue
        if country and country != region:
            try:
                return parsing.normalise_import_phone(piece, country)
            except ValueError:
                continue
    return ""


# Groups an address book gives every contact: no tag of the firm's.
_SYSTEM_GROUPS = frozenset({"mycontacts", "my contacts"})


def _number_kind(number: str, at_firm: bool) -> str:
    """A phone's kind when its column does not say: mobile or a landline (at a firm, its work number; a
    private person's, their home), by the number itself; mobile where the country does not tell."""
    line = line_kind(number)
    if line == "fixed":
        return "work" if at_firm else "home"
    return "mobile"


def _issue(ctx: RowContext, row: int, header: str, fld: str, reason: str) -> RowIssue:
    return RowIssue(row, header, fld, reason, "flagged" if ctx.flag else "skipped")


def _values(ctx: RowContext, cells: list[object], fld: str) -> list[tuple[str, object]]:
    return [(h, cells[i]) for h, i in ctx.columns.get(fld, ()) if cells[i] is not None and cells[i] != ""]


def _text(ctx: RowContext, cells: list[object], fld: str, sep: str = " ") -> tuple[str, str]:
    """The text of a field (several columns joined) and the first column it came from."""
    found = _values(ctx, cells, fld)
    return sep.join(cell_text(v) for _h, v in found).strip(), (found[0][0] if found else "")


def _too_long(ctx: RowContext, row: int, cells: list[object], issues: list[RowIssue]) -> list[object]:
    """The row with every cell longer than a spreadsheet cell can be emptied, and an issue for each."""
    if all(not isinstance(c, str) or len(c) <= MAX_CELL_CHARS for c in cells):
        return cells  # the usual row: nothing to empty, no copy
    out = list(cells)
    for header, i in (pair for pairs in ctx.columns.values() for pair in pairs):
        cell = out[i]
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            reason = _("The cell holds {count} characters; a cell holds at most {max}.").format(
                count=len(cell), max=MAX_CELL_CHARS
            )
            issues.append(_issue(ctx, row, header, ctx.mapping.columns[header], reason))
            out[i] = None
    return out


_SINGLE_LINE_FIELDS = (
    "organisation",
    "region",
    "city",
    "district",
    "street",
    "building",
    "postcode",
    "tax_id",
    "source",
)
_TAG_MAX = int(getattr(Tag.__table__.c.name.type, "length", None) or 64)
_NAMES_AND_KIND = frozenset({"name", "organisation", "kind"})
_ORG_IN_EMPTY = "" in ORG_WORDS  # what an empty kind cell says: an org only if a word were empty


def _found(ctx: RowContext, cells: list[object]) -> dict[str, list[tuple[str, object]]] | None:
    """Field -> the (header, cell) pairs of the row's non-empty cells that fill it.

    None when a mapped cell is longer than a spreadsheet cell can be (see :func:`_too_long`).
    """
    out: dict[str, list[tuple[str, object]]] = {}
    for fld, pairs in ctx.columns.items():
        for header, i in pairs:  # a plain loop: most fields have one column, most rows few empty cells
            cell = cells[i]
            if cell is not None and cell != "":
                if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                    return None
                if fld in out:
                    out[fld].append((header, cell))
                else:
                    out[fld] = [(header, cell)]
    return out


def _joined(found: dict[str, list[tuple[str, object]]], fld: str, sep: str = " ") -> str:
    pairs = found.get(fld)
    if not pairs:
        return ""
    if len(pairs) == 1:  # the usual field: one column
        return cell_text(pairs[0][1]).strip()
    return sep.join(cell_text(v) for _h, v in pairs).strip()


def _header(found: dict[str, list[tuple[str, object]]], fld: str) -> str:
    """The first column a field came from ("" when none)."""
    pairs = found.get(fld)
    return pairs[0][0] if pairs else ""


def client_row(ctx: RowContext, row: int, raw: list[object]) -> RowResult:
    """A row of a clients import as a validated ClientInput (phones E.164, e-mails normalised).

    Each filled field is checked with :func:`custdesk.core.validation.field_error` (the card editor's
    check) and cleaned as :func:`~custdesk.core.validation.validate_client` cleans it, so the result is a
    card ``validate_client`` accepts unchanged (a test holds it to that); checking only the filled fields
    keeps 100,000 rows within seconds.
    """
    issues: list[RowIssue] = []
    found = _found(ctx, raw)
    if found is None:  # a cell too long for a spreadsheet: emptied, with an issue for it
        found = _found(ctx, _too_long(ctx, row, raw, issues))
        assert found is not None
    values: dict[str, Any] = {}
    extra_notes: list[str] = []  # what has no field of its own, kept in the card's notes
    for fld in ctx.single_line:
        if fld in found:
            if fld in ADDRESS_PARTS:  # a business and a home address (Outlook): the first one filled,
                text = " ".join(cell_text(found[fld][0][1]).split())
                for header, other in found[fld][1:]:  # and any other into the notes
                    other_text = " ".join(cell_text(other).split())
                    if other_text and other_text != text:
                        extra_notes.append(f"{header}: {other_text}")
            else:
                text = " ".join(_joined(found, fld, ", " if fld == "street" else " ").split())
            if text:
                values[fld] = text
    name = _joined(found, "name")
    if not name:
        last, first, middle = (_joined(found, f) for f in ("last_name", "first_name", "middle_name"))
        name = " ".join(p for p in ((last, first, middle) if ctx.last_first else (first, middle, last)) if p)
    values["name"] = " ".join(name.split())
    kind_text = _joined(found, "kind").casefold()
    is_org = (any(w in kind_text for w in ORG_WORDS) if kind_text else _ORG_IN_EMPTY) or (
        not name and bool(values.get("organisation"))
    )
    if not kind_text and not is_org and not values.get("organisation") and has_legal_form(values["name"]):
        # «ООО "Ромашка"» in the name column, no organisation column: a firm, named as such.
        is_org = True
        values["organisation"], values["name"] = values["name"], ""
    values["kind"] = kind = "organisation" if is_org else "person"
    region = ctx.region
    if "country" in found:
        header, value = found["country"][0]
        try:
            values["country"] = region = parsing.parse_country(value)
        except ValueError as exc:
            issues.append(_issue(ctx, row, header, "country", str(exc)))
    if "birthday" in found:
        header, value = found["birthday"][0]
        try:
            values["birthday"] = parsing.parse_date(value, dayfirst=ctx.dayfirst, today=ctx.today)
        except ValueError as exc:
            day = parsing.day_without_year(value)
            if day:  # "--07-04": a card's birthday needs its year; the day goes into the notes
                extra_notes.append(_("Birthday: {day} (the year is not known).").format(day=day))
            else:
                issues.append(_issue(ctx, row, header, "birthday", str(exc)))
    if "client_since" in found:
        header, value = found["client_since"][0]
        try:
            since = parsing.parse_date(value, dayfirst=ctx.dayfirst, today=ctx.today)
        except ValueError as exc:
            issues.append(_issue(ctx, row, header, "client_since", str(exc)))
        else:
            if since > ctx.today:
                why = _("“{value}”: a client cannot have come in the future.").format(value=cell_text(value))
                issues.append(_issue(ctx, row, header, "client_since", why))
            else:
                values["client_since"] = since
    funnel = (
        read_card_fields(
            found,
            values,
            lambda header, fld, reason: issues.append(_issue(ctx, row, header, fld, reason)),
            dayfirst=ctx.dayfirst,
        )
        if ctx.card_fields
        else ""
    )
    refused: set[str] = set()
    for fld in ["name", "organisation", *[f for f in values if f not in _NAMES_AND_KIND]]:
        value = values.get(fld, "")
        if fld == "client_since":
            continue  # checked above (the card editor does not edit it)
        if text_field_ok(fld, value, kind=kind) or (fld == "birthday" and value <= ctx.past):
            continue  # surely fine (the usual value), without asking field_error() below
        message = _field_error(fld, value, region, kind)
        if message is None and fld == "birthday" and value > ctx.today:
            message = field_error(fld, date.max, region)
        if message is not None:
            refused.add(fld)
            issues.append(_issue(ctx, row, _header(found, fld), fld, message))
    external = " ".join(_joined(found, "external_id").split()) or None
    if external and field_error("external_id", external, region):
        issues.append(
            _issue(
                ctx,
                row,
                _header(found, "external_id"),
                "external_id",
                field_error("external_id", external, region) or "",
            )
        )
        external = None
    tags: list[str] = []
    for header, value in found.get("tags", ()):
        for tag in re.split(r":::|[,;]", cell_text(value)):  # ":::": Google Contacts' groups
            tag = " ".join(tag.split()).removeprefix("* ")
            if tag.casefold() in _SYSTEM_GROUPS:
                continue
            if len(tag) > _TAG_MAX:
                issues.append(
                    _issue(
                        ctx,
                        row,
                        header,
                        "tags",
                        _("Tag “{tag}” is too long: at most {max} characters.").format(tag=tag, max=_TAG_MAX),
                    )
                )
            elif tag and tag not in tags:
                tags.append(tag)
    phones: list[PhoneInput] = []
    seen: set[object] = set()
    pieces = [
        (header, piece) for header, value in found.get("phone", ()) for piece in parsing.split_phones(value)
    ]
    for at, (header, piece) in enumerate(pieces):
        try:
            number = parsing.normalise_import_phone(piece, region)
        except ValueError as exc:
            number = _by_the_rows_country([p for i, (_h, p) in enumerate(pieces) if i != at], piece, region)
            if not number:
                issues.append(_issue(ctx, row, header, "phone", str(exc)))
                continue
        ext = parsing.phone_extension(piece)
        if (number, ext) not in seen:
            seen.add((number, ext))
            contact = (
                _contact_kind(ctx, raw, header, phone=True)
                or _phone_kind(header)
                or _number_kind(number, kind == "organisation" or bool(values.get("organisation")))
            )
            phones.append(PhoneInput(number, contact, not phones, ext))
    emails: list[EmailInput] = []
    for header, value in found.get("email", ()):
        for piece in parsing.split_emails(value):
            address, reason = check_email(piece)
            if address is None:
                issues.append(_issue(ctx, row, header, "email", reason or ""))
            elif address.lower() not in seen:
                seen.add(address.lower())
                contact = _contact_kind(ctx, raw, header, phone=False) or "work"
                emails.append(EmailInput(address, contact, not emails))
    if not phones and not emails and is_totals_row(values["name"] or values.get("organisation", "")):
        # The sum line under a list ("Итого", "Total:") is not a client: left out, and said so.
        why = _("A totals line (“{text}”), not a client: left out.").format(text=values["name"])
        return RowResult(row, None, [RowIssue(row, "", "name", why, "skipped")])
    own: dict[str, str] = {}
    for target, spec in ctx.own_specs.items():
        if target in found:
            header, value = found[target][0]
            stored, error = own_value(spec, value, dayfirst=ctx.dayfirst, today=ctx.today)
            if error:
                issues.append(_issue(ctx, row, header, target, error))
            elif stored is not None:
                own[target] = stored
    if ctx.require_contact and not phones and not emails:
        issues.append(
            _issue(ctx, row, "", "phone", _("The row has no phone or e-mail to reach the client by."))
        )
    if issues:
        issues = _with_values(ctx, raw, issues)
    if {"name", "organisation"} & refused or not (values["name"] or values.get("organisation")):
        return RowResult(row, None, [replace(i, action="skipped") for i in issues])
    for fld in refused:
        values.pop(fld, None)
    notes = "\n".join(cell_text(v) for _h, v in found["notes"]).strip() if "notes" in found else ""
    notes = "\n".join(n for n in (notes, *extra_notes) if n)
    values.update(notes=notes, tags=tuple(tags), phones=tuple(phones), emails=tuple(emails))
    values["external_id"] = external
    return RowResult(row, client_input(values), issues, funnel=funnel, own=own)


def _with_values(ctx: RowContext, raw: list[object], issues: list[RowIssue]) -> list[RowIssue]:
    """The issues with the cell's text as the file holds it (kept verbatim in a flagged card's notes)."""
    out = []
    for issue in issues:
        at = ctx.header_index.get(issue.column)
        if at is not None and not issue.value and raw[at] not in (None, ""):
            text = cell_text(raw[at])
            if len(text) <= MAX_CELL_CHARS:
                issue = replace(issue, value=text)
        out.append(issue)
    return out


def _contact_kind(ctx: RowContext, cells: list[object], header: str, *, phone: bool) -> str:
    index = ctx.kind_of.get(header)
    value = cells[index] if index is not None else None
    return contact_kind(value, phone=phone) if value not in (None, "") else ""


def _client_key(
    ctx: RowContext, cells: list[object], row: int, issues: list[RowIssue]
) -> tuple[str, str] | None:
    external, _h = _text(ctx, cells, "client_external_id")
    if external:
        return ("external_id", external)
    for header, value in _values(ctx, cells, "client_phone"):
        for piece in parsing.split_phones(value):
            try:
                return ("phone", parsing.normalise_import_phone(piece, ctx.region))
            except ValueError as exc:
                issues.append(RowIssue(row, header, "client_phone", str(exc), "skipped"))
    for _header, value in _values(ctx, cells, "client_email"):
        for piece in parsing.split_emails(value):
            return ("email", piece.strip().lower())
    if not issues:
        issues.append(
            RowIssue(row, "", "client_external_id", _("The row does not say whose it is."), "skipped")
        )
    return None


def purchase_row(ctx: RowContext, row: int, raw: list[object]) -> RowResult:
    """A row of a purchases import as a validated PurchaseInput and the key of its client."""
    issues: list[RowIssue] = []
    cells = _too_long(ctx, row, raw, issues)
    issues = [replace(i, action="skipped") for i in issues]
    key = _client_key(ctx, cells, row, issues)
    when: date | None = None
    amount: Decimal | None = None
    profit: Decimal | None = None
    for fld in ("date", "amount", "profit"):
        found = _values(ctx, cells, fld)[:1]
        if not found and fld != "profit":
            issues.append(
                RowIssue(row, "", fld, _("{field} is empty.").format(field=field_label(fld)), "skipped")
            )
        for header, value in found:
            try:
                if fld == "date":
                    when = parsing.parse_date(value, dayfirst=ctx.dayfirst, today=ctx.today)
                elif fld == "amount":
                    amount = parsing.parse_money(value)
                else:
                    profit = parsing.parse_money(value)
            except ValueError as exc:
                issues.append(RowIssue(row, header, fld, str(exc), "skipped"))
    if issues or when is None or amount is None:
        return RowResult(row, None, issues, key)
    data = PurchaseInput(
        when, amount, profit, _text(ctx, cells, "items", "; ")[0], _text(ctx, cells, "document_no")[0]
    )
    headers = {f: h for h, f in ctx.mapping.columns.items()}
    for error in validate_purchase(data, today=ctx.today):
        name = "date" if error.field == "purchased_on" else error.field
        issues.append(RowIssue(row, headers.get(name, ""), name, error.message, "skipped"))
    return RowResult(row, None if issues else data, issues, key)


def _vocab(text: str, words: dict[str, tuple[str, ...]], default: str) -> str:
    key = text.strip().casefold()
    if not key:
        return default
    if key in words:  # CustDesk's own name ("mailing"), before any word it contains ("mail")
        return key
    for value, options in words.items():
        if key == value or any(w in key for w in options):
            return value
    return ""


def history_row(ctx: RowContext, row: int, raw: list[object]) -> RowResult:
    """A row of a history import as a validated InteractionInput and the key of its client."""
    issues: list[RowIssue] = []
    cells = _too_long(ctx, row, raw, issues)
    issues = [replace(i, action="skipped") for i in issues]
    key = _client_key(ctx, cells, row, issues)
    occurred: datetime | None = None
    for header, value in _values(ctx, cells, "date")[:1]:
        try:
            occurred = parsing.parse_datetime(value, dayfirst=ctx.dayfirst, today=ctx.today)
        except ValueError as exc:
            issues.append(RowIssue(row, header, "date", str(exc), "skipped"))
    if occurred is None and not issues:
        issues.append(
            RowIssue(row, "", "date", _("{field} is empty.").format(field=field_label("date")), "skipped")
        )
    text, _h = _text(ctx, cells, "text", "\n")
    kind_text, outcome_text = _text(ctx, cells, "kind")[0], _text(ctx, cells, "outcome")[0]
    kind = _vocab(kind_text, KIND_WORDS, "note") or "note"
    outcome = _vocab(outcome_text, OUTCOME_WORDS, "")
    if outcome_text and not outcome:  # an outcome CustDesk has no name for stays in the text
        text = f"{outcome_text}\n{text}".strip()
    if kind_text and _vocab(kind_text, KIND_WORDS, "note") == "":
        text = f"{kind_text}\n{text}".strip()
    if issues or occurred is None:
        return RowResult(row, None, issues, key)
    duration: int | None = None
    for header, value in _values(ctx, cells, "duration_seconds")[:1]:
        seconds = cell_text(value)
        if seconds.isdigit():
            duration = int(seconds)
        else:
            reason = _("“{value}” is not a whole number of seconds.").format(value=seconds)
            issues.append(RowIssue(row, header, "duration_seconds", reason, "skipped"))
    if issues:
        return RowResult(row, None, issues, key)
    data = InteractionInput(kind, occurred, outcome, text, _text(ctx, cells, "next_step", "\n")[0], duration)
    for error in validate_interaction(data, now=datetime.combine(ctx.today, datetime.max.time())):
        issues.append(RowIssue(row, "", error.field, error.message, "skipped"))
    return RowResult(row, None if issues else data, issues, key)


def new_external_id() -> str:
    """A new stable external id: 32 random hex digits, as the services make them (``uuid4().hex``)."""
    return secrets.token_hex(16)
