"""Finding duplicates for a whole import at once: the rules of ``clients.find_duplicates`` in bulk.

:func:`custdesk.core.services.clients.find_duplicates` answers for one card with three queries and a
scan of the distinct cities; for 100,000 rows that is hours. :class:`DuplicateIndex` loads the keys
of every live client once (E.164 phones, e-mail keys, folded name+city and organisation+city, external
ids) and answers per row from memory, with the same rules: same phone, same e-mail, or same name (or
organisation) in the same city; cards merged into another are left out, archived ones found. Rows
added with :meth:`add` are found too, so duplicates within the file are caught the same way. A test
checks it against ``find_duplicates``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from custdesk.core.dto import ClientInput
from custdesk.core.models import Client, Email, Phone
from custdesk.core.services._shared import fold
from custdesk.core.validation import email_key


class DuplicateIndex:
    """Keys of the clients of a base (and of rows added), answering "who looks like this card?"."""

    def __init__(self) -> None:
        self.phones: dict[str, set[int]] = defaultdict(set)
        self.emails: dict[str, set[int]] = defaultdict(set)
        self.names: dict[tuple[str, str, str], set[int]] = defaultdict(set)
        self.external_ids: dict[str, int] = {}
        self.display: dict[int, str] = {}

    @classmethod
    def load(cls, session: Session) -> DuplicateIndex:
        """The index of every client of the base that was not merged into another."""
        index = cls()
        live = Client.merged_into_id.is_(None)
        rows = session.execute(
            select(Client.id, Client.external_id, Client.kind, Client.name, Client.organisation, Client.city)
        )
        merged = set(session.scalars(select(Client.id).where(Client.merged_into_id.is_not(None))))
        for cid, external_id, kind, name, organisation, city in rows:
            index.external_ids[external_id] = cid
            if cid in merged:
                continue
            index.display[cid] = (
                organisation if kind == "organisation" and organisation else name or organisation
            )
            index._add_names(cid, name, organisation, city)
        for cid, number in session.execute(select(Phone.client_id, Phone.number).join(Client).where(live)):
            index.phones[number].add(cid)
        for cid, key in session.execute(select(Email.client_id, Email.address_key).join(Client).where(live)):
            index.emails[key].add(cid)
        return index

    def _add_names(self, cid: int, name: str, organisation: str, city: str) -> None:
        place = fold(city)
        if not place:
            return
        for part, text in (("n", name), ("o", organisation)):
            key = fold(text)
            if key:
                self.names[(place, part, key)].add(cid)

    def add(self, cid: int, data: ClientInput, display: str = "") -> None:
        """Make a card (a row being imported, ``cid`` possibly a placeholder) findable."""
        for phone in data.phones:
            self.phones[phone.number].add(cid)
        for email in data.emails:
            self.emails[email_key(email.address)].add(cid)
        self._add_names(cid, data.name, data.organisation, data.city)
        if data.external_id:
            self.external_ids[data.external_id] = cid
        self.display[cid] = display or data.organisation or data.name

    def matches(self, data: ClientInput) -> dict[int, list[str]]:
        """Cards that look like ``data`` (already validated: phones E.164), with the reasons, by id.

        Reasons are those of ``find_duplicates`` (``phone``, ``email``, ``name-city``) plus
        ``external_id`` when the row's external id is a card's.
        """
        reasons: dict[int, list[str]] = {}

        def note(ids: Iterable[int], why: str) -> None:
            for cid in sorted(ids):
                if why not in reasons.setdefault(cid, []):
                    reasons[cid].append(why)

        if data.external_id and data.external_id in self.external_ids:
            cid = self.external_ids[data.external_id]
            if cid in self.display:
                note([cid], "external_id")
        for phone in data.phones:
            note(self.phones.get(phone.number, ()), "phone")
        for email in data.emails:
            note(self.emails.get(email_key(email.address), ()), "email")
        place = fold(data.city)
        if place:
            for part, text in (("n", data.name), ("o", data.organisation)):
                key = fold(text)
                if key:
                    note(self.names.get((place, part, key), ()), "name-city")
        return dict(sorted(reasons.items()))
