"""What makes two cards duplicates, in one place: the card editor's check and the import's both use it.

Two cards look alike when they share a phone (E.164), an e-mail address (compared in lower case), or the
same name (or organisation) in the same city (both folded: case, extra spaces, ``ё`` as ``е``). Cards
merged into another are never found; archived ones are (they can be restored).

:class:`DuplicateIndex` holds those keys and answers "who looks like this card?" from memory:
:meth:`DuplicateIndex.load` reads the keys of the whole base once (an import of 100,000 rows),
:meth:`DuplicateIndex.load_for` only the cards that share a key with one card (the card editor's check,
:func:`custdesk.core.services.clients.find_duplicates`). Cards added with :meth:`DuplicateIndex.add` are
found too, so the rows of one file are checked against each other the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from custdesk.core.dto import ClientInput
from custdesk.core.models import Client, Email, Phone
from custdesk.core.services._shared import fold
from custdesk.core.validation import email_key, normalise_email, normalise_phone

NameKey = tuple[str, str, str]  # (folded city, "n" name / "o" organisation, folded text)


@lru_cache(maxsize=4096)
def _place(city: str) -> str:
    return fold(city)  # a few distinct cities over many cards


def name_keys(name: str, organisation: str, city: str) -> list[NameKey]:
    """The name-and-city keys of a card: none without a city; one for the name, one for the organisation."""
    place = _place(city)
    if not place:
        return []
    return [(place, part, key) for part, key in (("n", fold(name)), ("o", fold(organisation))) if key]


def normalised_contacts(data: ClientInput, region: str) -> ClientInput:
    """``data`` with phones in E.164 and e-mails normalised; invalid ones left out (validation says why)."""
    phones = []
    for phone in data.phones:
        try:
            phones.append(replace(phone, number=normalise_phone(phone.number, region)))
        except ValueError:
            continue
    emails = []
    for email in data.emails:
        try:
            emails.append(replace(email, address=normalise_email(email.address)))
        except ValueError:
            continue
    return replace(data, phones=tuple(phones), emails=tuple(emails))


class DuplicateIndex:
    """Keys of the live clients of a base (and of cards added), answering "who looks like this card?"."""

    def __init__(self) -> None:
        self.phones: dict[str, set[int]] = defaultdict(set)
        self.emails: dict[str, set[int]] = defaultdict(set)
        self.names: dict[NameKey, set[int]] = defaultdict(set)
        self.external_ids: dict[str, int] = {}
        self.display: dict[int, str] = {}
        self.folded: dict[int, tuple[str, str]] = {}  # id -> (folded name, folded organisation)

    @classmethod
    def load(cls, session: Session) -> DuplicateIndex:
        """The index of every client of the base that was not merged into another.

        External ids of merged cards are kept too (an import must not reuse one), but never match.
        """
        index = cls()
        merged = set(session.scalars(select(Client.id).where(Client.merged_into_id.is_not(None))))
        rows = session.execute(
            select(Client.id, Client.external_id, Client.kind, Client.name, Client.organisation, Client.city)
        )
        for cid, external_id, kind, name, organisation, city in rows:
            index.external_ids[external_id] = cid
            if cid not in merged:
                index._add_card(cid, kind, name, organisation, city)
        index._add_contacts(session, Client.merged_into_id.is_(None))
        return index

    @classmethod
    def load_for(
        cls, session: Session, data: ClientInput, *, exclude_id: int | None = None
    ) -> DuplicateIndex:
        """The index of just the live cards sharing a key with ``data`` (phones E.164), but ``exclude_id``."""
        index = cls()
        live: ColumnElement[bool] = Client.merged_into_id.is_(None)
        if exclude_id is not None:
            live = and_(live, Client.id != exclude_id)
        numbers = {p.number for p in data.phones}
        keys = {email_key(e.address) for e in data.emails}
        ids: set[int] = set()
        if numbers:
            ids.update(
                session.scalars(select(Phone.client_id).join(Client).where(Phone.number.in_(numbers), live))
            )
        if keys:
            ids.update(
                session.scalars(select(Email.client_id).join(Client).where(Email.address_key.in_(keys), live))
            )
        wanted = name_keys(data.name, data.organisation, data.city)
        if wanted:
            # Case folding in SQL is ASCII-only in SQLite: fold the (few) distinct cities here instead.
            place = wanted[0][0]
            spellings = [c for c in session.scalars(select(Client.city).distinct()) if c and fold(c) == place]
            if spellings:
                ids.update(session.scalars(select(Client.id).where(Client.city.in_(spellings), live)))
        if not ids:
            return index
        id_list = sorted(ids)
        for start in range(0, len(id_list), 900):
            chunk = id_list[start : start + 900]
            rows = session.execute(
                select(Client.id, Client.kind, Client.name, Client.organisation, Client.city).where(
                    Client.id.in_(chunk)
                )
            )
            for cid, kind, name, organisation, city in rows:
                index._add_card(cid, kind, name, organisation, city)
            index._add_contacts(session, Client.id.in_(chunk))
        return index

    def _add_card(self, cid: int, kind: str, name: str, organisation: str, city: str) -> None:
        self.display[cid] = organisation if kind == "organisation" and organisation else name or organisation
        self.folded[cid] = (fold(name), fold(organisation))
        for key in name_keys(name, organisation, city):
            self.names[key].add(cid)

    def _add_contacts(self, session: Session, where: ColumnElement[bool]) -> None:
        for cid, number in session.execute(select(Phone.client_id, Phone.number).join(Client).where(where)):
            self.phones[number].add(cid)
        for cid, key in session.execute(select(Email.client_id, Email.address_key).join(Client).where(where)):
            self.emails[key].add(cid)

    def add(self, cid: int, data: ClientInput, display: str = "") -> None:
        """Make a card (a row being imported, ``cid`` possibly a placeholder) findable."""
        for phone in data.phones:
            self.phones[phone.number].add(cid)
        for email in data.emails:
            self.emails[email_key(email.address)].add(cid)
        for key in name_keys(data.name, data.organisation, data.city):
            self.names[key].add(cid)
        if data.external_id:
            self.external_ids[data.external_id] = cid
        self.display[cid] = display or data.organisation or data.name
        self.folded[cid] = (fold(data.name), fold(data.organisation))

    def same_name(self, cid: int, data: ClientInput) -> bool:
        """Whether the card ``cid`` has the name (or, without names, the organisation) of ``data``."""
        name, organisation = self.folded.get(cid, ("", ""))
        mine = fold(data.name)
        if mine or name:
            return mine == name
        return bool(organisation) and fold(data.organisation) == organisation

    def matches(self, data: ClientInput) -> dict[int, list[str]]:
        """Cards that look like ``data`` (phones already E.164), with the reasons, by id.

        Reasons: ``phone``, ``email``, ``name-city``, and ``external_id`` when the card's external id is
        a live card's (only an index from :meth:`load` knows external ids).
        """
        found: list[tuple[Iterable[int], str]] = []
        if data.external_id and data.external_id in self.external_ids:
            cid = self.external_ids[data.external_id]
            if cid in self.display:
                found.append(([cid], "external_id"))
        for phone in data.phones:
            if phone.number in self.phones:
                found.append((self.phones[phone.number], "phone"))
        for email in data.emails:
            key = email_key(email.address)
            if key in self.emails:
                found.append((self.emails[key], "email"))
        for name in name_keys(data.name, data.organisation, data.city):
            if name in self.names:
                found.append((self.names[name], "name-city"))
        if not found:  # the usual answer, given without building anything
            return {}
        reasons: dict[int, list[str]] = {}
        for ids, why in found:
            for cid in sorted(ids):
                if why not in reasons.setdefault(cid, []):
                    reasons[cid].append(why)
        return dict(sorted(reasons.items()))


__all__ = ["DuplicateIndex", "NameKey", "name_keys", "normalised_contacts"]
