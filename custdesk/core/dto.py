"""Frozen dataclasses the services take and return: the UI and the CLI never hold live ORM objects.

``*Input`` classes carry what a person typed (phones as typed, money as Decimal); the services validate
and normalise them. The other classes are read results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# Fields of a client card that are plain values, in card order. Services, merge, import and export
# iterate over these names instead of repeating them.
GENERAL_FIELDS: tuple[str, ...] = (
    "kind",
    "name",
    "organisation",
    "tax_id",
    "registration_no",
    "bank_details",
    "country",
    "region",
    "city",
    "district",
    "street",
    "building",
    "postcode",
    "birthday",
    "source",
    "vip",
)
SPECIAL_FIELDS: tuple[str, ...] = (
    "buying_particulars",
    "preferred_products",
    "usual_volume",
    "deal_terms",
    "discount_percent",
    "payment_terms",
    "delivery_terms",
    "contract_no",
    "contract_end",
    "competitor",
    "competitor_advantage",
    "notes",
)
WORK_FIELDS: tuple[str, ...] = ("temperature", "call_cycle_days")
CARD_FIELDS: tuple[str, ...] = GENERAL_FIELDS + SPECIAL_FIELDS + WORK_FIELDS


@dataclass(frozen=True)
class PhoneInput:
    """A phone as typed; ``number`` may be in any format the firm's region understands."""

    number: str
    kind: str = "mobile"
    is_primary: bool = False
    extension: str = ""


@dataclass(frozen=True)
class EmailInput:
    """An e-mail address as typed."""

    address: str
    kind: str = "work"
    is_primary: bool = False


@dataclass(frozen=True)
class ClientInput:
    """Everything a person can edit on a client card (``CARD_FIELDS`` plus contacts and tags)."""

    kind: str = "person"
    name: str = ""
    organisation: str = ""
    tax_id: str = ""
    registration_no: str = ""
    bank_details: str = ""
    country: str = ""
    region: str = ""
    city: str = ""
    district: str = ""
    street: str = ""
    building: str = ""
    postcode: str = ""
    birthday: date | None = None
    source: str = ""
    vip: bool = False
    buying_particulars: str = ""
    preferred_products: str = ""
    usual_volume: str = ""
    deal_terms: str = ""
    discount_percent: Decimal | None = None
    payment_terms: str = ""
    delivery_terms: str = ""
    contract_no: str = ""
    contract_end: date | None = None
    competitor: str = ""
    competitor_advantage: str = ""
    notes: str = ""
    temperature: str = "warm"
    call_cycle_days: int | None = None
    phones: tuple[PhoneInput, ...] = ()
    emails: tuple[EmailInput, ...] = ()
    tags: tuple[str, ...] = ()
    external_id: str | None = None  # None: a new stable id is made
    client_since: date | None = None  # when the client came (an import's old base); not edited on the card
    # The firm's own fields by catalogue key (``cf12``); None leaves the stored values as they are.
    custom: Mapping[str, Any] | None = None
    version: int | None = None  # the card's version when it was opened: a save is refused if it moved


@dataclass(frozen=True)
class PhoneDTO:
    """A stored phone: ``number`` in E.164, ``display`` formatted for people."""

    id: int
    number: str
    display: str
    kind: str
    is_primary: bool
    extension: str = ""


@dataclass(frozen=True)
class EmailDTO:
    """A stored e-mail address."""

    id: int
    address: str
    kind: str
    is_primary: bool


@dataclass(frozen=True)
class ClientCard:
    """A whole client card as stored, with its contacts and the figures the services keep."""

    id: int
    external_id: str
    kind: str
    name: str
    organisation: str
    tax_id: str
    registration_no: str
    bank_details: str
    country: str
    region: str
    city: str
    district: str
    street: str
    building: str
    postcode: str
    birthday: date | None
    source: str
    vip: bool
    buying_particulars: str
    preferred_products: str
    usual_volume: str
    deal_terms: str
    discount_percent: Decimal | None
    payment_terms: str
    delivery_terms: str
    contract_no: str
    contract_end: date | None
    competitor: str
    competitor_advantage: str
    notes: str
    temperature: str
    call_cycle_days: int | None
    funnel: str
    funnel_changed_at: datetime | None
    funnel_reason: str
    last_contact_at: datetime | None
    next_call_on: date | None
    purchase_count: int
    revenue_total: Decimal
    last_purchase_on: date | None
    archived: bool
    archived_at: datetime | None
    merged_into_id: int | None
    created_at: datetime
    updated_at: datetime
    phones: tuple[PhoneDTO, ...] = ()
    emails: tuple[EmailDTO, ...] = ()
    tags: tuple[str, ...] = ()
    client_since: date | None = None
    # The firm's own fields that hold a value, by catalogue key (``cf12``), as stored text
    # (custdesk.core.fields.canonical); filled by clients.get_client, create_client and update_client.
    custom: Mapping[str, str] = field(default_factory=dict)
    version: int = 1  # counts the saved changes of the card (optimistic locking between seats)

    @property
    def since(self) -> date:
        """When the client came to the firm: ``client_since`` when an import brought it, else the card's
        creation."""
        return self.client_since or self.created_at.date()

    @property
    def display_name(self) -> str:
        """The organisation for an organisation, else the person's name."""
        if self.kind == "organisation" and self.organisation:
            return self.organisation
        return self.name or self.organisation

    @property
    def primary_phone(self) -> PhoneDTO | None:
        """The primary phone (the first one when none is marked)."""
        return next((p for p in self.phones if p.is_primary), self.phones[0] if self.phones else None)

    @property
    def primary_email(self) -> EmailDTO | None:
        """The primary e-mail (the first one when none is marked)."""
        return next((e for e in self.emails if e.is_primary), self.emails[0] if self.emails else None)

    def to_input(self) -> ClientInput:
        """The card as an editable input (for an edit form or a merge)."""
        values = {name: getattr(self, name) for name in CARD_FIELDS}
        return ClientInput(
            **values,
            phones=tuple(PhoneInput(p.number, p.kind, p.is_primary, p.extension) for p in self.phones),
            emails=tuple(EmailInput(e.address, e.kind, e.is_primary) for e in self.emails),
            tags=self.tags,
            external_id=self.external_id,
            client_since=self.client_since,
            custom=dict(self.custom),
        )


@dataclass(frozen=True)
class ClientSummary:
    """One row of the client list (what ``custdesk-cli clients --json`` prints, plus list figures)."""

    id: int
    external_id: str
    name: str
    organisation: str
    phone: str | None  # primary, E.164
    email: str | None  # primary
    city: str
    funnel: str
    temperature: str
    next_call: date | None
    last_purchase_on: date | None = None
    revenue_total: Decimal = Decimal(0)
    archived: bool = False


@dataclass(frozen=True)
class InteractionInput:
    """A new entry of the history of cooperation."""

    kind: str = "call"
    occurred_at: datetime | None = None  # None: now
    outcome: str = ""
    text: str = ""
    next_step: str = ""
    duration_seconds: int | None = None


@dataclass(frozen=True)
class InteractionDTO:
    """A stored history entry."""

    id: int
    client_id: int
    kind: str
    occurred_at: datetime
    outcome: str
    text: str
    next_step: str
    duration_seconds: int | None
    created_by: str


@dataclass(frozen=True)
class PurchaseInput:
    """A purchase as entered; zero and negative amounts are returns or corrections."""

    purchased_on: date
    amount: Decimal
    profit: Decimal | None = None
    items: str = ""
    document_no: str = ""


@dataclass(frozen=True)
class PurchaseDTO:
    """A stored purchase."""

    id: int
    client_id: int
    purchased_on: date
    amount: Decimal
    profit: Decimal | None
    items: str
    document_no: str


@dataclass(frozen=True)
class PurchaseTotals:
    """A client's purchases summed up."""

    count: int
    total: Decimal
    profit: Decimal | None
    first: date | None
    last: date | None
    average: Decimal | None


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing client that looks like the one being saved, and why."""

    client_id: int
    display_name: str
    reasons: tuple[str, ...]  # "phone", "email", "name-city"


@dataclass(frozen=True)
class Change:
    """What a mutating service changed, for the UI to refresh what is affected."""

    entity: str  # client | interaction | purchase | setting | base
    ids: tuple[int, ...] = ()
    fields: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)
