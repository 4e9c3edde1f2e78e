"""Two seats and one card: a save made on a card that changed since it was opened is refused, with what
changed, and nothing is overwritten (optimistic locking by ``clients.version``). On both dialects."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.errors import FieldChange, StaleCardError
from custdesk.core.models import AuditEntry
from custdesk.core.services import clients, settings


@pytest.fixture(autouse=True)
def _russian_firm(db: Database) -> None:
    settings.set_values(db, {"phone_region": "RU"}, who="setup")


def journal_size(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def new_card(db: Database) -> int:
    data = ClientInput(name="Иван Петров", city="Москва", phones=(PhoneInput("8 912 345-67-89"),))
    return clients.create_client(db, data).id


def test_every_saved_change_moves_the_version(db: Database) -> None:
    client_id = new_card(db)
    opened = clients.get_client(db, client_id)
    assert opened.version == 1
    saved = clients.update_client(db, client_id, replace(opened.to_input(), city="Казань", version=1))
    assert saved.version == 2 == clients.get_client(db, client_id).version
    same = clients.update_client(db, client_id, replace(saved.to_input(), version=2))  # nothing changed
    assert same.version == 2
    without = clients.update_client(db, client_id, replace(saved.to_input(), notes="Звонить утром"))  # CLI
    assert without.version == 3


def test_the_second_save_of_the_same_card_is_refused_with_what_changed(db: Database) -> None:
    client_id = new_card(db)
    anna = clients.get_client(db, client_id)  # two seats open the same card
    boris = clients.get_client(db, client_id)
    theirs = replace(anna.to_input(), city="Казань", phones=(PhoneInput("+79120000000"),), version=1)
    clients.update_client(db, client_id, theirs)
    stored = clients.get_client(db, client_id)
    entries = journal_size(db)
    mine = replace(boris.to_input(), notes="Любит чай", version=boris.version)
    with pytest.raises(StaleCardError) as refused:
        clients.update_client(db, client_id, mine)
    assert "changed since you opened it" in str(refused.value)
    assert refused.value.changes == [
        FieldChange("city", "Казань", "Москва"),
        FieldChange("notes", "", "Любит чай"),
        FieldChange("phones", "+79120000000", "+79123456789"),
    ]
    assert refused.value.current == stored
    assert clients.get_client(db, client_id) == stored  # nothing overwritten
    assert journal_size(db) == entries
    # Saving over theirs knowingly: with the version now stored.
    over = clients.update_client(db, client_id, replace(mine, version=stored.version))
    assert (over.city, over.notes, over.version) == ("Москва", "Любит чай", 3)


def test_two_seats_on_different_cards_both_save(db: Database) -> None:
    first, second = new_card(db), new_card(db)
    a, b = clients.get_client(db, first), clients.get_client(db, second)
    clients.update_client(db, first, replace(a.to_input(), city="Казань", version=a.version))
    clients.update_client(db, second, replace(b.to_input(), city="Тверь", version=b.version))
    assert (clients.get_client(db, first).city, clients.get_client(db, second).city) == ("Казань", "Тверь")
