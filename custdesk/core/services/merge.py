"""Merging two cards of the same client: field-by-field choice, contacts united, history joined.

The kept card takes, field by field, its own value or the other card's; phones, e-mails and tags are
united without repeats; interactions, purchases and reminders move to it and its figures are
recomputed. The other card is archived with ``merged_into_id`` (nothing is deleted), and the journal
keeps both originals as full JSON snapshots.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import update

from custdesk.core import rules
from custdesk.core.db import Database
from custdesk.core.dto import CARD_FIELDS, ClientCard
from custdesk.core.errors import CustDeskError
from custdesk.core.models import Client, Email, Interaction, Phone, Purchase, Reminder
from custdesk.core.services import row_images
from custdesk.core.services._shared import (
    apply_funnel,
    card_json,
    card_to_dto,
    display_name,
    firm_settings,
    load_client,
    refresh_purchase_figures,
)
from custdesk.core.services.audit import operation, record
from custdesk.core.vocab import RED_MARKERS
from custdesk.i18n import _

CHOICES = ("keep", "other")
_NO_CHOICES: Mapping[str, str] = MappingProxyType({})


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False


def _merged_marker(keep: Client, other: Client) -> str:
    """The marker of the merged card: the one set last (white only when both are white), then brought
    in line with the joined purchases (red by the purchase count; gold/platinum by purchases)."""
    candidates = [c for c in (keep, other) if c.funnel != "white"] or [keep]
    latest = max(candidates, key=lambda c: (c.funnel_changed_at or c.created_at, c is keep))
    marker = latest.funnel
    if marker in RED_MARKERS:
        return rules.red_marker_for(keep.purchase_count)
    raised = rules.after_purchase(marker, keep.purchase_count)
    return raised[0] if raised else marker


def _unite_contacts(keep: Client, other: Client) -> None:
    numbers = {(p.number, p.extension) for p in keep.phones}
    for p in sorted(other.phones, key=lambda p: p.position):
        if (p.number, p.extension) not in numbers:
            numbers.add((p.number, p.extension))
            keep.phones.append(
                Phone(
                    number=p.number,
                    kind=p.kind,
                    extension=p.extension,
                    is_primary=False,
                    position=len(keep.phones),
                )
            )
    if keep.phones and not any(p.is_primary for p in keep.phones):
        keep.phones[0].is_primary = True
    keys = {e.address_key for e in keep.emails}
    for e in sorted(other.emails, key=lambda e: e.position):
        if e.address_key not in keys:
            keys.add(e.address_key)
            keep.emails.append(
                Email(
                    address=e.address,
                    address_key=e.address_key,
                    kind=e.kind,
                    is_primary=False,
                    position=len(keep.emails),
                )
            )
    if keep.emails and not any(e.is_primary for e in keep.emails):
        keep.emails[0].is_primary = True
    names = {t.name for t in keep.tags}
    for tag in other.tags:
        if tag.name not in names:
            keep.tags.append(tag)


def merge_clients(
    db: Database,
    keep_id: int,
    other_id: int,
    choices: Mapping[str, str] = _NO_CHOICES,
    *,
    who: str | None = None,
) -> ClientCard:
    """Merge the card ``other_id`` into the card ``keep_id``.

    Args:
        db: the open base.
        keep_id: the card that stays.
        other_id: the card merged into it (archived afterwards, with ``merged_into_id``).
        choices: per field of ``dto.CARD_FIELDS``, ``"keep"`` or ``"other"``. A field not named keeps
            the kept card's value, or takes the other's when the kept card's is empty.
        who: who is working (None: the current user).

    Returns:
        The kept card after the merge.

    Raises:
        NotFoundError: either card does not exist.
        CustDeskError: the two numbers are the same card, or one was already merged.
        ValueError: ``choices`` names an unknown field or choice (a programming error).
    """
    bad = sorted(f"{k}={v}" for k, v in choices.items() if k not in CARD_FIELDS or v not in CHOICES)
    if bad:
        raise ValueError(f"unknown merge choices: {', '.join(bad)}")
    if keep_id == other_id:
        raise CustDeskError(_("A card cannot be merged with itself."))
    with db.session() as s, operation(s, "merge") as op:
        conf = firm_settings(s)
        region = str(conf["phone_region"])
        keep, other = load_client(s, keep_id), load_client(s, other_id)
        for client in (keep, other):
            if client.merged_into_id is not None:
                raise CustDeskError(
                    _("The card of {name} was already merged into the card number {id}.").format(
                        name=display_name(client), id=client.merged_into_id
                    )
                )
        now = datetime.now()
        keep_before, other_before = card_to_dto(keep, region), card_to_dto(other, region)
        rows_before = row_images.snapshot(s, (keep.id, other.id))  # what an undo puts back, exactly

        for name in CARD_FIELDS:
            mine, theirs = getattr(keep, name), getattr(other, name)
            choice = choices.get(name)
            if choice == "other" or (choice is None and _empty(mine) and not _empty(theirs)):
                setattr(keep, name, theirs)
        _unite_contacts(keep, other)

        for model in (Interaction, Purchase, Reminder):
            s.execute(update(model).where(model.client_id == other.id).values(client_id=keep.id))
        # Cards merged into the other one earlier now point at the card that stays.
        s.execute(update(Client).where(Client.merged_into_id == other.id).values(merged_into_id=keep.id))

        refresh_purchase_figures(s, keep)
        contacts = [c for c in (keep.last_contact_at, other.last_contact_at) if c is not None]
        keep.last_contact_at = max(contacts) if contacts else None
        if keep.last_contact_at is not None:
            cycle = rules.call_cycle_days(keep.temperature, keep.call_cycle_days, conf)
            keep.next_call_on = rules.next_call_on(keep.last_contact_at, cycle, keep.created_at.date())
        else:
            due = [d for d in (keep.next_call_on, other.next_call_on) if d is not None]
            keep.next_call_on = min(due) if due else None
        marker = _merged_marker(keep, other)
        if marker != keep.funnel:
            apply_funnel(s, keep, (marker, rules.REASON_MERGE), who=who, at=now)
        keep.updated_at = now

        other.archived, other.merged_into_id, other.updated_at = True, keep.id, now
        other.archived_at = other.archived_at or now
        s.flush()
        keep_after = card_to_dto(keep, region)
        record(
            s,
            "merge",
            "client",
            keep.id,
            field="kept",
            old=card_json(keep_before),
            new=card_json(keep_after),
            who=who,
            at=now,
        )
        record(
            s,
            "merge",
            "client",
            other.id,
            field="merged_into",
            old=card_json(other_before),
            new=keep.id,
            who=who,
            at=now,
        )
        op.undo_rows = row_images.diff(rows_before, row_images.snapshot(s, (keep.id, other.id)))
        return keep_after
