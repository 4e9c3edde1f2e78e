"""Client cards: create, update, archive, restore, set the funnel marker, find duplicates, merge.

Each public function opens one transaction (``db.session()``), writes every change to the audit
journal in it, and returns DTOs, never ORM objects. Validation uses the base's settings
``phone_region`` and ``require_contact``. Nothing is deleted: a card is archived (and restored), and a
card merged into another is archived with ``merged_into_id``.

Merging lives in :mod:`custdesk.core.services.merge` and is re-exported here as :func:`merge_clients`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from custdesk.core import rules
from custdesk.core.db import Database
from custdesk.core.dto import CARD_FIELDS, ClientCard, ClientInput, DuplicateMatch
from custdesk.core.errors import CustDeskError, FieldChange, FieldError, StaleCardError, ValidationFailed
from custdesk.core.models import Client, Email, Phone, Tag
from custdesk.core.services import custom_fields
from custdesk.core.services._shared import (
    card_json,
    card_to_dto,
    display_name,
    emails_text,
    firm_settings,
    load_client,
    phones_text,
)
from custdesk.core.services.audit import operation, record
from custdesk.core.services.duplicates import DuplicateIndex, normalised_contacts
from custdesk.core.services.merge import merge_clients
from custdesk.core.validation import email_key, field_label, validate_client
from custdesk.core.vocab import FUNNEL_KEYS
from custdesk.i18n import _

__all__ = [
    "archive_client",
    "card_to_dto",
    "create_client",
    "find_duplicates",
    "get_client",
    "merge_clients",
    "restore_client",
    "set_funnel",
    "update_client",
    "update_in",
]


def _tags_for(session: Session, names: Iterable[str]) -> list[Tag]:
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return []
    existing = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(wanted)))}
    tags = []
    for name in wanted:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
        tags.append(tag)
    return tags


def _validated(
    session: Session, data: ClientInput, conf: Mapping[str, Any], exclude_id: int | None
) -> ClientInput:
    """The input validated and normalised, the external id checked for a clash, every error at once."""
    errors: list[FieldError] = []
    clean: ClientInput | None = None
    try:
        clean = validate_client(
            data, region=str(conf["phone_region"]), require_contact=bool(conf["require_contact"])
        )
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    external_id = (data.external_id or "").strip()
    if external_id:
        stmt = select(Client.id).where(Client.external_id == external_id)
        if exclude_id is not None:
            stmt = stmt.where(Client.id != exclude_id)
        if session.scalar(stmt.limit(1)) is not None:
            errors.append(
                FieldError(
                    "external_id",
                    _("{field} {value} already belongs to another client.").format(
                        field=field_label("external_id"), value=external_id
                    ),
                )
            )
    custom: dict[str, str | None] | None = None
    if data.custom is not None:
        custom, custom_errors = custom_fields.check_values(custom_fields.specs_in(session), data.custom)
        errors.extend(custom_errors)
    if errors or clean is None:
        raise ValidationFailed(errors)
    return replace(clean, custom=custom)


def _with_custom(session: Session, card: ClientCard) -> ClientCard:
    """The card with its custom values (``ClientCard.custom``)."""
    return replace(card, custom=custom_fields.values_in(session, [card.id]).get(card.id, {}))


def _store_custom(
    session: Session, client_id: int, clean: ClientInput, who: str | None, at: datetime | None = None
) -> bool:
    if clean.custom is None:
        return False
    specs = custom_fields.specs_in(session)
    return custom_fields.store_values_in(session, client_id, specs, clean.custom, who=who, at=at)


def _set_contacts(client: Client, data: ClientInput, *, phones: bool = True, emails: bool = True) -> None:
    if phones:
        client.phones = [
            Phone(number=p.number, kind=p.kind, extension=p.extension, is_primary=p.is_primary, position=i)
            for i, p in enumerate(data.phones)
        ]
    if emails:
        client.emails = [
            Email(
                address=e.address,
                address_key=email_key(e.address),
                kind=e.kind,
                is_primary=e.is_primary,
                position=i,
            )
            for i, e in enumerate(data.emails)
        ]


# --- Create, read, update ------------------------------------------------------------------------------


def create_client(db: Database, data: ClientInput, *, who: str | None = None) -> ClientCard:
    """Validate and store a new client; a new lead is white and due to be called today.

    Args:
        db: the open base.
        data: the card as typed.
        who: who is working (None: the current user).

    Returns:
        The stored card.

    Raises:
        ValidationFailed: every problem of the input (the base is left unchanged).
    """
    with db.session() as s:
        conf = firm_settings(s)
        clean = _validated(s, data, conf, None)
        now = datetime.now()
        client = Client(
            external_id=clean.external_id or uuid4().hex,
            funnel="white",
            funnel_reason="",
            purchase_count=0,
            revenue_total=Decimal(0),
            archived=False,
            created_at=now,
            updated_at=now,
        )
        for name in CARD_FIELDS:
            setattr(client, name, getattr(clean, name))
        client.client_since = clean.client_since
        _set_contacts(client, clean)
        client.tags = _tags_for(s, clean.tags)
        cycle = rules.call_cycle_days(client.temperature, client.call_cycle_days, conf)
        client.next_call_on = rules.next_call_on(None, cycle, now.date())
        s.add(client)
        s.flush()
        card = card_to_dto(client, str(conf["phone_region"]))
        record(s, "create", "client", client.id, new=card_json(card), who=who, at=now)
        if _store_custom(s, client.id, clean, who, now):
            card = _with_custom(s, card)
        return card


def get_client(db: Database, client_id: int) -> ClientCard:
    """The card of ``client_id``.

    Raises:
        NotFoundError: there is no such client.
    """
    with db.session() as s:
        conf = firm_settings(s)
        return _with_custom(s, card_to_dto(load_client(s, client_id), str(conf["phone_region"])))


def update_client(db: Database, client_id: int, data: ClientInput, *, who: str | None = None) -> ClientCard:
    """Validate and store an edited card; each changed field goes to the journal with old and new.

    Phones, e-mails and tags are journaled as the fields ``phones``, ``emails`` and ``tags`` with their
    joined values. A changed call cycle or temperature reschedules the next call from the last contact.
    ``data.external_id`` None keeps the card's external id.

    Raises:
        NotFoundError: there is no such client.
        ValidationFailed: every problem of the input (the base is left unchanged).
    """
    with db.session() as s, operation(s, "edit"):  # the fields of one save are undone together
        conf = firm_settings(s)
        client = load_client(s, client_id)
        clean = _validated(s, data, conf, client.id)
        if data.version is not None:
            _claim(s, client_id, data.version, clean, conf)
            s.expire_all()  # read again now that the row is held: as the version says
            client = load_client(s, client_id)
        changed = update_in(s, client, clean, conf=conf, who=who)
        if _store_custom(s, client.id, clean, who) and not changed:
            client.updated_at = datetime.now()
            client.version = (client.version or 1) + 1  # an own field's change is a change of the card
        s.flush()
        return _with_custom(s, card_to_dto(client, str(conf["phone_region"])))


def _claim(
    session: Session, client_id: int, version: int, data: ClientInput, conf: Mapping[str, Any]
) -> None:
    """Hold the card for this save if it is still at ``version`` (``UPDATE … WHERE version = ?``).

    The row stays locked to this transaction until it ends, so a seat saving at the same moment waits and
    then finds the version moved. Raises :class:`StaleCardError` (nothing saved) when it moved.
    """
    held = session.execute(
        update(Client)
        .where(Client.id == client_id, Client.version == version)
        .values(version=Client.version)
        .execution_options(synchronize_session=False)
    )
    if held.rowcount == 1:  # type: ignore[attr-defined]
        return
    current = load_client(session, client_id)  # NotFoundError if another seat deleted it
    stored = card_to_dto(current, str(conf["phone_region"]))
    raise StaleCardError(_("This card was changed since you opened it."), _differences(stored, data), stored)


def _differences(stored: ClientCard, data: ClientInput) -> list[FieldChange]:
    """The fields where the stored card and a save differ, as text (theirs, yours)."""

    def shown(value: Any) -> str:
        return "" if value is None else str(value)

    changes = [
        FieldChange(name, shown(getattr(stored, name)), shown(getattr(data, name)))
        for name in CARD_FIELDS
        if getattr(stored, name) != getattr(data, name)
    ]
    lists = (
        ("phones", ", ".join(p.number for p in stored.phones), ", ".join(p.number for p in data.phones)),
        ("emails", ", ".join(e.address for e in stored.emails), ", ".join(e.address for e in data.emails)),
        ("tags", ", ".join(sorted(stored.tags)), ", ".join(sorted(data.tags))),
    )
    changes += [FieldChange(name, theirs, yours) for name, theirs, yours in lists if theirs != yours]
    return changes


def update_in(
    session: Session,
    client: Client,
    clean: ClientInput,
    *,
    conf: Mapping[str, Any],
    who: str | None = None,
    at: datetime | None = None,
) -> bool:
    """Store a validated card over ``client`` in the caller's session, journalling each changed field.

    What :func:`update_client` does once the input is validated (and what an import's ``update`` of a
    matched card does): every changed card field, the external id (``clean.external_id`` None keeps it),
    the phones, e-mails and tags (journalled as ``phones``, ``emails``, ``tags`` with their joined values)
    are written with one journal entry each. Only a changed temperature or call cycle reschedules the next
    call from the last contact, so a call moved by hand (snoozed) stays where it was put.

    Args:
        session: the open transaction.
        client: the card to change.
        clean: the card as it should be, already validated and normalised (phones E.164).
        conf: the firm's settings (:func:`firm_settings`), for the call cycles.
        who: who is working (None: the current user).
        at: the time of the change (None: now).

    Returns:
        Whether anything changed.
    """
    now = at or datetime.now()
    changed = False
    old_cycle = (client.temperature, client.call_cycle_days)

    def note(field: str, old: Any, new: Any) -> None:
        nonlocal changed
        changed = True
        record(session, "update", "client", client.id, field=field, old=old, new=new, who=who, at=now)

    for name in CARD_FIELDS:
        old, new = getattr(client, name), getattr(clean, name)
        if old != new:
            setattr(client, name, new)
            note(name, old, new)
    if clean.external_id and clean.external_id != client.external_id:
        note("external_id", client.external_id, clean.external_id)
        client.external_id = clean.external_id
    old_phones, old_emails = phones_text(client.phones), emails_text(client.emails)
    new_phones, new_emails = phones_text(clean.phones), emails_text(clean.emails)
    if old_phones != new_phones:
        _set_contacts(client, clean, emails=False)
        note("phones", old_phones, new_phones)
    if old_emails != new_emails:
        _set_contacts(client, clean, phones=False)
        note("emails", old_emails, new_emails)
    old_tags = ", ".join(sorted(t.name for t in client.tags))
    new_tags = ", ".join(sorted(clean.tags))
    if old_tags != new_tags:
        client.tags = _tags_for(session, clean.tags)
        note("tags", old_tags, new_tags)
    if client.last_contact_at is not None and (client.temperature, client.call_cycle_days) != old_cycle:
        cycle = rules.call_cycle_days(client.temperature, client.call_cycle_days, conf)
        due = rules.next_call_on(client.last_contact_at, cycle, client.created_at.date())
        if due != client.next_call_on:
            note("next_call_on", client.next_call_on, due)
            client.next_call_on = due
    if changed:
        client.updated_at = now
        client.version = (client.version or 1) + 1
    return changed


# --- Life cycle and funnel --------------------------------------------------------------------------


def archive_client(db: Database, client_id: int, *, who: str | None = None) -> ClientCard:
    """Archive a card (it leaves the working list; nothing is deleted). Archiving twice changes nothing.

    Raises:
        NotFoundError: there is no such client.
    """
    with db.session() as s:
        conf = firm_settings(s)
        client = load_client(s, client_id)
        if not client.archived:
            now = datetime.now()
            client.archived, client.archived_at, client.updated_at = True, now, now
            record(s, "archive", "client", client.id, field="archived", old=False, new=True, who=who, at=now)
        return card_to_dto(client, str(conf["phone_region"]))


def restore_client(db: Database, client_id: int, *, who: str | None = None) -> ClientCard:
    """Bring an archived card back to the working list.

    Raises:
        NotFoundError: there is no such client.
        CustDeskError: the card was merged into another one (open that card instead).
    """
    with db.session() as s:
        conf = firm_settings(s)
        client = load_client(s, client_id)
        if client.merged_into_id is not None:
            target = s.get(Client, client.merged_into_id)
            raise CustDeskError(
                _(
                    "This card was merged into the card of {name} (number {id}); "
                    "its history and purchases are there. Open that card instead."
                ).format(name=display_name(target) if target else "", id=client.merged_into_id)
            )
        if client.archived:
            now = datetime.now()
            client.archived, client.archived_at, client.updated_at = False, None, now
            record(s, "restore", "client", client.id, field="archived", old=True, new=False, who=who, at=now)
        return card_to_dto(client, str(conf["phone_region"]))


def set_funnel(db: Database, client_id: int, marker: str, *, who: str | None = None) -> ClientCard:
    """Set the funnel marker by hand (the card shows when, and "set by hand").

    Raises:
        NotFoundError: there is no such client.
        ValidationFailed: ``marker`` is not a funnel marker (field ``funnel``).
    """
    if marker not in FUNNEL_KEYS:
        raise ValidationFailed(
            [FieldError("funnel", _("{marker} is not a funnel marker.").format(marker=marker))]
        )
    with db.session() as s:
        conf = firm_settings(s)
        client = load_client(s, client_id)
        if client.funnel != marker:
            now = datetime.now()
            record(
                s,
                "update",
                "client",
                client.id,
                field="funnel",
                old=client.funnel,
                new=marker,
                who=who,
                at=now,
            )
            client.funnel, client.funnel_reason, client.funnel_changed_at = marker, rules.REASON_MANUAL, now
            client.updated_at = now
        return card_to_dto(client, str(conf["phone_region"]))


# --- Duplicates ---------------------------------------------------------------------------------------


def find_duplicates(
    db: Database, data: ClientInput, *, exclude_id: int | None = None
) -> list[DuplicateMatch]:
    """Existing clients that look like ``data``: same phone, same e-mail, or same name and city.

    One definition of a duplicate serves this check and the import: :mod:`custdesk.core.services.duplicates`.

    Invalid phones and e-mails in ``data`` are ignored (validation reports them); cards merged into
    another are skipped; archived cards are found (they can be restored).

    Args:
        db: the open base.
        data: the card being saved, as typed.
        exclude_id: the card being edited, which is not its own duplicate.

    Returns:
        Matches ordered by client number, each with its reasons (``phone``, ``email``, ``name-city``).
    """
    with db.session() as s:
        region = str(firm_settings(s)["phone_region"])
        return duplicates_in(s, data, region=region, exclude_id=exclude_id)


def duplicates_in(
    session: Session, data: ClientInput, *, region: str, exclude_id: int | None = None
) -> list[DuplicateMatch]:
    """:func:`find_duplicates` inside a caller's session (rules: :mod:`custdesk.core.services.duplicates`)."""
    card = replace(normalised_contacts(data, region), external_id=None)
    reasons = DuplicateIndex.load_for(session, card, exclude_id=exclude_id).matches(card)
    if not reasons:
        return []
    clients = session.scalars(select(Client).where(Client.id.in_(reasons)).order_by(Client.id))
    return [DuplicateMatch(c.id, display_name(c), tuple(reasons[c.id])) for c in clients]
