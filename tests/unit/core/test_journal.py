"""The journal read back and undone: field edits, archive/restore, merges and imports, undo of an undo."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from custdesk.core.db import Database
from custdesk.core.dto import ClientCard, ClientInput, EmailInput, InteractionInput, PhoneInput, PurchaseInput
from custdesk.core.models import (
    AuditEntry,
    Client,
    Email,
    Interaction,
    Phone,
    Purchase,
    Reminder,
    client_tags,
)
from custdesk.core.services import clients, history, journal, purchases, reminders, settings
from custdesk.io.import_engine import ImportOptions, run_import
from custdesk.io.importers import read_source
from custdesk.io.mapping import suggest_mapping
from tests.unit.io._import_data import write_xlsx


@pytest.fixture(autouse=True)
def _russian_firm(db: Database) -> None:
    settings.set_values(db, {"phone_region": "RU"})


def make(db: Database, name: str, phone: str, email: str = "", **values: Any) -> ClientCard:
    emails = (EmailInput(email),) if email else ()
    return clients.create_client(
        db, ClientInput(name=name, phones=(PhoneInput(phone),), emails=emails, **values)
    )


def as_input(card: ClientCard, **changes: Any) -> ClientInput:
    data = clients.card_to_input(card) if hasattr(clients, "card_to_input") else None
    if data is None:
        from custdesk.core.dto import CARD_FIELDS

        values = {f: getattr(card, f) for f in CARD_FIELDS}
        phones = tuple(PhoneInput(p.number, p.kind, p.is_primary, p.extension) for p in card.phones)
        emails = tuple(EmailInput(e.address, e.kind, e.is_primary) for e in card.emails)
        data = ClientInput(**values, phones=phones, emails=emails, tags=tuple(card.tags))
    from dataclasses import replace

    return replace(data, **changes)


def rows_of(db: Database, ids: tuple[int, ...]) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row of the cards ``ids`` and of their children, column by column."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.session() as s:
        for name, table, column in (
            ("clients", Client.__table__, Client.__table__.c.id),
            ("phones", Phone.__table__, Phone.__table__.c.client_id),
            ("emails", Email.__table__, Email.__table__.c.client_id),
            ("tags", client_tags, client_tags.c.client_id),
            ("interactions", Interaction.__table__, Interaction.__table__.c.client_id),
            ("purchases", Purchase.__table__, Purchase.__table__.c.client_id),
            ("reminders", Reminder.__table__, Reminder.__table__.c.client_id),
        ):
            out[name] = sorted(tuple(r) for r in s.execute(select(table).where(column.in_(ids))))
    return out


def counts(db: Database) -> tuple[int, ...]:
    with db.session() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Client, Phone, Email, Purchase, Interaction)
        )


def last_entry(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.max(AuditEntry.id))) or 0)


# --- Field edits ---------------------------------------------------------------------------------------


def test_a_field_edit_then_undo_puts_the_old_values_back_as_a_new_entry(db: Database) -> None:
    card = make(db, "Иван Петров", "8 912 345-67-89", city="Москва", tags=("vip",))
    clients.update_client(db, card.id, as_input(card, city="Тверь", notes="звонить утром", tags=("opt",)))
    edit = journal.list_entries(db, client_id=card.id, kinds=("edit",))[0]
    assert edit.operation_id is not None

    result = journal.undo(db, edit.id)

    back = clients.get_client(db, card.id)
    assert (back.city, back.notes, back.tags) == ("Москва", "", ("vip",))
    entries = journal.list_entries(db, client_id=card.id)
    assert entries[0].operation_id == result.entry_id and entries[-1].kind == "edit"
    undo_entries = [e for e in entries if e.kind == "undo"]
    assert {e.field for e in undo_entries} >= {"city", "notes", "tags", "update"}
    assert all(e.undoes == edit.operation_id for e in undo_entries)
    shown = {e.id: e for e in journal.list_entries(db, client_id=card.id, kinds=("edit",))}
    assert shown[edit.id].undone_by == result.entry_id


def test_phones_and_emails_come_back_from_the_journal_text(db: Database) -> None:
    card = make(db, "Анна", "8 912 111-22-33", "anna@example.ru")
    changed = as_input(card, phones=(PhoneInput("+79990001122", "work", True, "12"),), emails=())
    clients.update_client(db, card.id, changed)
    journal.undo(db, last_entry(db))
    back = clients.get_client(db, card.id)
    assert [(p.number, p.kind, p.is_primary) for p in back.phones] == [("+79121112233", "mobile", True)]
    assert [e.address for e in back.emails] == ["anna@example.ru"]


def test_a_field_changed_since_asks_first_then_force_overwrites(db: Database) -> None:
    card = make(db, "Иван", "8 912 345-67-89", city="Москва")
    clients.update_client(db, card.id, as_input(card, city="Тверь"))
    first = last_entry(db)
    clients.update_client(db, card.id, as_input(clients.get_client(db, card.id), city="Казань"))

    with pytest.raises(journal.UndoNeedsConfirmation) as asked:
        journal.undo(db, first)
    assert "City" in str(asked.value) and "Иван" in str(asked.value)
    assert clients.get_client(db, card.id).city == "Казань"  # nothing changed by asking

    journal.undo(db, first, force=True)
    assert clients.get_client(db, card.id).city == "Москва"


def test_an_undo_is_undone_and_an_action_is_not_undone_twice(db: Database) -> None:
    card = make(db, "Иван", "8 912 345-67-89", city="Москва")
    clients.update_client(db, card.id, as_input(card, city="Тверь"))
    edit = last_entry(db)
    undone = journal.undo(db, edit)
    with pytest.raises(journal.UndoRefused, match=f"entry {undone.entry_id}"):
        journal.undo(db, edit)
    journal.undo(db, undone.entry_id)  # redo
    assert clients.get_client(db, card.id).city == "Тверь"
    journal.undo(db, edit)  # the redo is an undo of the undo: the edit can be undone again
    assert clients.get_client(db, card.id).city == "Москва"


def test_archive_and_restore_undo_each_other(db: Database) -> None:
    card = make(db, "Иван", "8 912 345-67-89")
    clients.archive_client(db, card.id)
    archived = last_entry(db)
    journal.undo(db, archived)
    assert not clients.get_client(db, card.id).archived
    kinds = [e.action for e in journal.list_entries(db, client_id=card.id, kinds=("restore",))]
    assert kinds == ["restore"]
    journal.undo(db, last_entry(db))
    assert clients.get_client(db, card.id).archived


def test_an_export_is_refused_with_a_reason(db: Database) -> None:
    from custdesk.core.services.audit import record

    with db.session() as s:
        entry = record(s, "export", "base", None, field="clients", new="{}")
        s.flush()
        eid = entry.id
    with pytest.raises(journal.UndoRefused, match="export"):
        journal.undo(db, eid)


# --- Merge ---------------------------------------------------------------------------------------------


@pytest.fixture
def pair(db: Database) -> tuple[int, int]:
    keep = make(db, "Иван Петров", "8 912 345-67-89", "ivan@example.com", city="Москва", tags=("vip",))
    other = make(
        db, "Петров Иван", "+7 921 000 00 00", "IVAN@example.com", street="Тверская", tags=("opt", "vip")
    )
    today = date.today()
    purchases.add_purchase(db, keep.id, PurchaseInput(today - timedelta(days=30), Decimal("100.10")))
    purchases.add_purchase(db, other.id, PurchaseInput(today - timedelta(days=20), Decimal("200.20")))
    purchases.add_purchase(db, other.id, PurchaseInput(today - timedelta(days=10), Decimal("300.30")))
    history.add_interaction(
        db, other.id, InteractionInput(occurred_at=datetime.now() - timedelta(days=5), text="o")
    )
    reminders.add_reminder(db, other.id, "call", today + timedelta(days=3), "call back")
    third = make(db, "Пётр", "+7 921 000 00 01")
    clients.merge_clients(db, other.id, third.id)  # a card merged into ``other`` earlier
    return keep.id, other.id


def test_merge_then_undo_gives_back_both_cards_byte_identical_with_children(
    db: Database, pair: tuple[int, int]
) -> None:
    keep, other = pair
    third = keep + 2
    before = rows_of(db, (keep, other, third))
    clients.merge_clients(db, keep, other, {"street": "other"})
    assert rows_of(db, (keep, other, third)) != before
    merge_entry = journal.list_entries(db, kinds=("merge",))[0]

    journal.undo(db, merge_entry.id)

    assert rows_of(db, (keep, other, third)) == before


def test_merge_undo_is_refused_when_the_kept_card_changed_since(db: Database, pair: tuple[int, int]) -> None:
    keep, other = pair
    clients.merge_clients(db, keep, other)  # the kept card takes the other's street
    merge_entry = journal.list_entries(db, kinds=("merge",))[0]
    clients.update_client(db, keep, as_input(clients.get_client(db, keep), street="Невский"))
    after = rows_of(db, (keep, other))

    with pytest.raises(journal.UndoRefused) as refused:
        journal.undo(db, merge_entry.id)

    assert "Иван Петров" in str(refused.value) and f"number {keep}" in str(refused.value)
    assert rows_of(db, (keep, other)) == after
    # Undoing the later edit first clears the way.
    journal.undo(db, journal.list_entries(db, client_id=keep, kinds=("edit",))[0].id)
    journal.undo(db, merge_entry.id)
    assert not clients.get_client(db, other).archived


def test_a_later_edit_of_a_field_the_merge_left_alone_survives_its_undo(
    db: Database, pair: tuple[int, int]
) -> None:
    keep, other = pair
    clients.merge_clients(db, keep, other)
    merge_entry = journal.list_entries(db, kinds=("merge",))[0]
    clients.update_client(db, keep, as_input(clients.get_client(db, keep), notes="later"))
    journal.undo(db, merge_entry.id)
    assert clients.get_client(db, keep).notes == "later"
    assert clients.get_client(db, keep).street == ""
    assert not clients.get_client(db, other).archived


def test_undoing_a_merge_undo_merges_again(db: Database, pair: tuple[int, int]) -> None:
    keep, other = pair
    clients.merge_clients(db, keep, other)
    merged = rows_of(db, (keep, other))
    undone = journal.undo(db, journal.list_entries(db, kinds=("merge",))[0].id)
    journal.undo(db, undone.entry_id)
    assert rows_of(db, (keep, other)) == merged


# --- Import --------------------------------------------------------------------------------------------

ROWS: list[list[object]] = [
    ["ФИО", "Телефон", "E-mail", "Город", "Дата рождения"],
    ["Иванов Иван", "+7 912 345-67-89", "ivanov@example.ru", "Москва", "12.03.1985"],
    ["Петрова Анна", "8 912 111-22-33", "anna@example.ru", "Тверь", "1979-12-31"],
    ["Сидоров Пётр", "9123334455", "", "Казань", ""],
]


def run(db: Database, path: Path, **options: Any) -> Any:
    kind = str(options.get("kind", "clients"))
    table = read_source(path, kind=kind)
    return run_import(db, table, suggest_mapping(kind, table), ImportOptions(**options))


@pytest.fixture
def existing(db: Database) -> int:
    card = clients.create_client(
        db,
        ClientInput(name="Иванов Иван", city="Москва", phones=(PhoneInput("+79123456789"),), notes="старый"),
    )
    return card.id


def test_import_then_undo_gives_back_the_counts_and_the_old_values(
    db: Database, existing: int, tmp_path: Path
) -> None:
    before_counts, before_card = counts(db), rows_of(db, (existing,))
    report = run(db, write_xlsx(tmp_path / "c.xlsx", {"S": ROWS}), duplicates="update")
    assert (report.created, report.updated) == (2, 1) and report.journal_entry_id
    assert clients.get_client(db, existing).birthday == date(1985, 3, 12)

    result = journal.undo(db, report.journal_entry_id)

    assert counts(db) == before_counts
    assert rows_of(db, (existing,)) == before_card
    assert set(result.clients) == {existing, *report.created_ids}


def test_an_import_undo_lists_what_later_work_blocks_and_offers_the_rest(
    db: Database, existing: int, tmp_path: Path
) -> None:
    report = run(db, write_xlsx(tmp_path / "c.xlsx", {"S": ROWS}), duplicates="update")
    anna = next(c for c in report.created_ids if clients.get_client(db, c).name == "Петрова Анна")
    purchases.add_purchase(db, anna, PurchaseInput(date.today(), Decimal("10")))
    snapshot = counts(db)

    with pytest.raises(journal.UndoBlocked) as blocked:
        journal.undo(db, report.journal_entry_id)
    assert "Петрова Анна" in str(blocked.value) and len(blocked.value.blockers) == 1
    assert counts(db) == snapshot  # refused: nothing changed

    journal.undo(db, report.journal_entry_id, partial=True)
    assert clients.get_client(db, anna).name == "Петрова Анна"
    assert counts(db)[0] == 2  # the existing card and Anna's
    assert clients.get_client(db, existing).birthday is None


def test_a_purchases_import_then_undo_takes_the_purchases_out_and_the_figures_back(
    db: Database, existing: int, tmp_path: Path
) -> None:
    before = rows_of(db, (existing,))
    rows = [
        ["Телефон", "Дата", "Сумма"],
        ["+7 912 345-67-89", "01.02.2024", "1000"],
        ["+79123456789", "02.02.2024", "5"],
    ]
    report = run(db, write_xlsx(tmp_path / "p.xlsx", {"S": rows}), kind="purchases")
    assert report.created == 2 and clients.get_client(db, existing).funnel == "gold"
    journal.undo(db, report.journal_entry_id)
    assert rows_of(db, (existing,)) == before


def test_the_journal_filters_by_client_who_kind_and_day(db: Database) -> None:
    a = make(db, "Иван", "8 912 345-67-89")
    b = make(db, "Анна", "8 912 111-22-33")
    clients.set_funnel(db, a.id, "green", who="boss")
    clients.archive_client(db, b.id, who="clerk")
    assert {e.client_id for e in journal.list_entries(db, client_id=a.id)} == {a.id}
    assert [e.kind for e in journal.list_entries(db, who="boss")] == ["marker"]
    assert [e.client_name for e in journal.list_entries(db, kinds=("archive",))] == ["Анна"]
    tomorrow = date.today() + timedelta(days=1)
    assert journal.list_entries(db, since=tomorrow) == []
    assert len(journal.list_entries(db, until=date.today())) >= 4
    assert {"boss", "clerk"} <= set(journal.people(db))
