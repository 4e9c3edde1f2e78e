"""The SQLAlchemy 2.0 ORM of a CustDesk base.

Money is stored as integer minor units (cents, kopecks) through :class:`Money` and read back as
``Decimal``; it is never a float. Enumerated values (funnel markers, temperatures, kinds) are stored as
their English names from DOMAIN.md; ``custdesk.core.vocab`` lists them with their translations.

Some figures of a client are kept on the client row (purchase count, revenue, last purchase, last
contact, next call) so that the list of 100,000 clients sorts and filters by SQL without a join; the
services keep them in step in the same transaction that changes purchases or history.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CENT = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    """A Decimal amount with two places stored as a BIGINT of minor units.

    ``SUM()`` over such a column is processed back into Decimal too, so analysis sums stay exact.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        d = value if isinstance(value, Decimal) else Decimal(str(value))
        return int((d * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


class Base(DeclarativeBase):
    """Declarative base with a naming convention (so batch migrations can name constraints)."""

    metadata = MetaData(naming_convention=NAMING)


client_tags = Table(
    "client_tags",
    Base.metadata,
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Client(Base):
    """A person or an organisation that bought, or may buy."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="person")  # person | organisation
    # General data.
    name: Mapped[str] = mapped_column(String(200), default="")  # full name, or the contact person
    organisation: Mapped[str] = mapped_column(String(200), default="")
    tax_id: Mapped[str] = mapped_column(String(64), default="")
    registration_no: Mapped[str] = mapped_column(String(64), default="")
    bank_details: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166 alpha-2
    region: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    building: Mapped[str] = mapped_column(String(50), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    birthday: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(100), default="")
    vip: Mapped[bool] = mapped_column(Boolean, default=False)
    # Special data.
    buying_particulars: Mapped[str] = mapped_column(Text, default="")
    preferred_products: Mapped[str] = mapped_column(Text, default="")
    usual_volume: Mapped[str] = mapped_column(String(200), default="")
    deal_terms: Mapped[str] = mapped_column(Text, default="")
    discount_percent: Mapped[Decimal | None] = mapped_column(Money)
    payment_terms: Mapped[str] = mapped_column(String(200), default="")
    delivery_terms: Mapped[str] = mapped_column(String(200), default="")
    contract_no: Mapped[str] = mapped_column(String(64), default="")
    contract_end: Mapped[date | None] = mapped_column(Date)
    # When the client came to the firm, as an imported old base says it (None: ``created_at`` says it).
    client_since: Mapped[date | None] = mapped_column(Date)
    # Raised by every save of the card: a save from a card opened before another seat's save is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    competitor: Mapped[str] = mapped_column(String(200), default="")
    competitor_advantage: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Funnel and working rules.
    funnel: Mapped[str] = mapped_column(String(16), default="white")
    funnel_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    funnel_reason: Mapped[str] = mapped_column(String(64), default="")
    temperature: Mapped[str] = mapped_column(String(8), default="warm")
    call_cycle_days: Mapped[int | None] = mapped_column(Integer)  # None: the default of the temperature
    # Kept in step by the services (see the module docstring).
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime)
    next_call_on: Mapped[date | None] = mapped_column(Date)
    purchase_count: Mapped[int] = mapped_column(Integer, default=0)
    revenue_total: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    last_purchase_on: Mapped[date | None] = mapped_column(Date)
    # Derived for the client list, kept in step by triggers on SQLite (migration 0003); never written by code:
    # the E.164 number of the primary phone ('' without a phone), and month * 100 + day of the birthday.
    primary_phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    birthday_md: Mapped[int | None] = mapped_column(Integer)
    # The latest stored client analysis (custdesk.analysis.store; migration 0004): classes, RFM scores and
    # segment, and the run (analysis_runs.id) they were computed in; NULL: not analysed since created.
    abc_class: Mapped[str | None] = mapped_column(String(1))
    xyz_class: Mapped[str | None] = mapped_column(String(1))
    rfm_r: Mapped[int | None] = mapped_column(Integer)
    rfm_f: Mapped[int | None] = mapped_column(Integer)
    rfm_m: Mapped[int | None] = mapped_column(Integer)
    rfm_segment: Mapped[str | None] = mapped_column(String(32))
    analysis_run_id: Mapped[int | None] = mapped_column(Integer)
    # The client asked not to be mailed (migration 0011): left out of every mailing; the day and the reason.
    do_not_mail: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    do_not_mail_on: Mapped[date | None] = mapped_column(Date)
    do_not_mail_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Life cycle.
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    phones: Mapped[list[Phone]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Phone.position"
    )
    emails: Mapped[list[Email]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Email.position"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=client_tags, order_by="Tag.name")

    __table_args__ = (
        Index("ix_clients_name", "name"),
        Index("ix_clients_organisation", "organisation"),
        Index("ix_clients_city", "city"),
        Index("ix_clients_region", "region"),
        Index("ix_clients_next_call_on", "next_call_on"),
        Index("ix_clients_funnel", "funnel"),
        Index("ix_clients_archived", "archived"),
        # The client list's sort orders and filters (migration 0002): a window is an index range scan.
        Index("ix_clients_archived_name", "archived", "name"),
        Index("ix_clients_archived_organisation", "archived", "organisation"),
        Index("ix_clients_archived_city", "archived", "city"),
        Index("ix_clients_archived_funnel", "archived", "funnel"),
        Index("ix_clients_archived_temperature", "archived", "temperature"),
        Index("ix_clients_archived_next_call_on", "archived", "next_call_on"),
        Index("ix_clients_archived_last_purchase_on", "archived", "last_purchase_on"),
        Index("ix_clients_archived_revenue_total", "archived", "revenue_total"),
        # The phone sort order, the birthday and VIP filters (migration 0003).
        Index("ix_clients_archived_primary_phone", "archived", "primary_phone"),
        Index("ix_clients_archived_birthday_md", "archived", "birthday_md"),
        Index("ix_clients_archived_vip", "archived", "vip"),
        # Contract prolongations due soon (migration 0004).
        Index("ix_clients_archived_contract_end", "archived", "contract_end"),
        # The stored analysis classes the list sorts and filters by (migration 0004).
        Index("ix_clients_archived_abc_class", "archived", "abc_class"),
        Index("ix_clients_archived_xyz_class", "archived", "xyz_class"),
        Index("ix_clients_archived_rfm_segment", "archived", "rfm_segment"),
    )


class Phone(Base):
    """A phone of a client, stored in E.164 (``+79123456789``)."""

    __tablename__ = "phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="mobile")  # mobile | work | home | fax | other
    number: Mapped[str] = mapped_column(String(32), index=True)  # E.164
    extension: Mapped[str] = mapped_column(String(16), default="")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    client: Mapped[Client] = relationship(back_populates="phones")


class Email(Base):
    """An e-mail address of a client; ``address_key`` is the lower-cased form used to find duplicates."""

    __tablename__ = "emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="work")  # work | personal | other
    address: Mapped[str] = mapped_column(String(254))
    address_key: Mapped[str] = mapped_column(String(254), index=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    client: Mapped[Client] = relationship(back_populates="emails")


class Tag(Base):
    """A free label on clients."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Interaction(Base):
    """One entry of the history of cooperation: a call, meeting, e-mail, visit or note."""

    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="call")
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(32), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_interactions_client_occurred", "client_id", "occurred_at"),)


class Purchase(Base):
    """A purchase (deal); analysis reads these. Zero and negative amounts are returns and corrections."""

    __tablename__ = "purchases"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    purchased_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    profit: Mapped[Decimal | None] = mapped_column(Money)
    items: Mapped[str] = mapped_column(Text, default="")
    document_no: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        # Covering indexes: per-client aggregates and per-window scans read no table rows.
        Index("ix_purchases_client_date", "client_id", "purchased_on", "amount", "profit"),
        Index("ix_purchases_date_client", "purchased_on", "client_id", "amount", "profit"),
    )


class Reminder(Base):
    """Something to do for a client on a day: a call, a birthday, a contract prolongation, a note."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="call")
    due_on: Mapped[date] = mapped_column(Date, index=True)
    due_time: Mapped[time | None] = mapped_column(Time)  # a time of day (migration 0011); None: the whole day
    text: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SalesPlan(Base):
    """The owner's sales plan for a month (``month`` is the first day of it)."""

    __tablename__ = "sales_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)
    amount: Mapped[Decimal] = mapped_column(Money)


class AnalysisRun(Base):
    """One stored client analysis: the window and parameters the clients' stored classes were computed for."""

    __tablename__ = "analysis_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    criterion: Mapped[str] = mapped_column(String(8))  # revenue | profit
    bucket: Mapped[str] = mapped_column(String(8))  # month | quarter | year
    abc_thresholds: Mapped[str] = mapped_column(String(64))  # "0.8,0.95"
    xyz_thresholds: Mapped[str] = mapped_column(String(64))  # "0.1,0.25"
    clients: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    stored_by: Mapped[str] = mapped_column(String(64), default="")


class AuditEntry(Base):
    """The journal: who created, changed, archived, merged, exported or printed what, and when."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    who: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(16))  # create | update | archive | restore | merge | ...
    entity: Mapped[str] = mapped_column(String(32))  # client | phone | purchase | interaction | base | ...
    entity_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64), default="")
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    # The first entry of the user action this entry belongs to (NULL: written before actions were grouped).
    operation_id: Mapped[int | None] = mapped_column(Integer)
    undoes: Mapped[int | None] = mapped_column(Integer)  # an undo: the action it took back

    # The tamper-evident chain (custdesk.core.services.journal_chain): the entry's place in it and its
    # hash over every other column and the previous entry's hash; NULL until the commit seals it.
    chain_seq: Mapped[int | None] = mapped_column(Integer)
    chain_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_operation", "operation_id"),
        Index("ix_audit_undoes", "undoes"),
        Index("ux_audit_chain_seq", "chain_seq", unique=True),  # also finds the unsealed (NULL) fast
    )


class AuditChainHead(Base):
    """The end of the journal's hash chain: one row (id 1), locked by each commit that appends to it."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class User(Base):
    """A person who may sign in to a protected base (no row: protection is off)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(8))  # owner | seller | viewer
    password_hash: Mapped[str] = mapped_column(String(255))  # Argon2id (argon2-cffi), never the password
    failed_tries: Mapped[int] = mapped_column(Integer, default=0)  # wrong passwords since the last good one
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)  # no try is checked before then
    created_at: Mapped[datetime] = mapped_column(DateTime)


class UndoData(Base):
    """What undoing a user action needs beyond its journal entries (rows before and after; ids made)."""

    __tablename__ = "undo_data"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(Integer)  # the action's first journal entry
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)  # JSON

    __table_args__ = (Index("ix_undo_data_entry", "entry_id", unique=True),)


class DuplicateMark(Base):
    """Two cards a person said are not duplicates, or a card an import made as a possible duplicate."""

    __tablename__ = "duplicate_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    other_id: Mapped[int | None] = mapped_column(Integer)  # "not": the larger id of the pair
    state: Mapped[str] = mapped_column(String(16))  # not | possible
    marked_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_duplicate_marks_pair", "client_id", "other_id"),)


class MailTemplate(Base):
    """A mailing or greeting template kept in the base (Jinja2; ``subject`` and ``body``)."""

    __tablename__ = "mail_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="")
    is_html: Mapped[bool] = mapped_column(Boolean, default=False)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Mailing(Base):
    """One mailing: its text is found again by ``text_key`` when it is run once more."""

    __tablename__ = "mailings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(Text)
    text_key: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    started_by: Mapped[str] = mapped_column(String(64), default="")
    gap_overridden: Mapped[bool] = mapped_column(Boolean, default=False)


class MailingRecipient(Base):
    """A client of a mailing: ``sent`` or ``failed`` (with the server's answer in ``error``)."""

    __tablename__ = "mailing_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailings.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("mailing_id", "client_id", name="uq_mailing_recipients_mailing_client"),
    )


class Campaign(Base):
    """A named call campaign: a call for each of its clients, spread over working days."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    first_day: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    per_day: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64), default="")


class CampaignCall(Base):
    """A client's day in a call campaign."""

    __tablename__ = "campaign_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("campaign_id", "client_id", name="uq_campaign_calls_campaign_client"),)


class CustomField(Base):
    """A client field the firm defined itself (Base > Fields…); its values are in ``client_field_values``."""

    __tablename__ = "custom_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # text | number | money | date | yesno | choice
    section: Mapped[str] = mapped_column(String(64))  # the card section (a group on the Details tab)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    list_column: Mapped[bool] = mapped_column(Boolean, default=False)
    choices: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of the choices of a choice field
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ClientFieldValue(Base):
    """The value of one custom field of one client, as canonical text (see ``custdesk.core.fields``)."""

    __tablename__ = "client_field_values"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    field_id: Mapped[int] = mapped_column(
        ForeignKey("custom_fields.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[str] = mapped_column(String(1000))

    __table_args__ = (
        Index("ix_client_field_values_field_value", "field_id", "value", "client_id"),
        {"sqlite_with_rowid": False},  # rows in key order: a window of clients reads a few pages
    )


class Setting(Base):
    """A setting that belongs to the firm's data (call cycles, thresholds, phone region, currency)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


__all__ = [
    "AnalysisRun",
    "AuditChainHead",
    "AuditEntry",
    "Base",
    "Campaign",
    "CampaignCall",
    "Client",
    "ClientFieldValue",
    "CustomField",
    "DuplicateMark",
    "Email",
    "Interaction",
    "MailTemplate",
    "Mailing",
    "MailingRecipient",
    "Money",
    "Phone",
    "Purchase",
    "Reminder",
    "SalesPlan",
    "Setting",
    "Tag",
    "UndoData",
    "User",
    "client_tags",
]
