"""Users and roles, enforced in the services: a seller and a viewer call the services as the GUI would.

Also: the first user must be an owner and turns protection on (with a recovery key shown once), Argon2
hashes, lock-out after five wrong passwords, recovery, and the journal's "who".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput, PurchaseInput
from custdesk.core.models import AuditEntry, User
from custdesk.core.services import access, clients, purchases, settings, users
from custdesk.core.services.access import AccessDenied, Actor, Role
from custdesk.io.cards import card_documents
from custdesk.io.exporters import export_file
from custdesk.io.import_engine import ImportOptions, run_import
from custdesk.io.importers import read_source
from custdesk.io.mapping import suggest_mapping
from tests.unit.io._import_data import base_state

OWNER_PW, SELLER_PW, VIEWER_PW = "owner-secret-1", "seller-secret-2", "viewer-secret-3"


@pytest.fixture(autouse=True)
def _signed_out() -> Iterator[None]:
    access.sign_in(None)
    yield
    access.sign_in(None)


def _client(db: Database, name: str = "Anna") -> int:
    card = clients.create_client(
        db, ClientInput(name=name, emails=(EmailInput(f"{name.lower()}@example.com"),))
    )
    return card.id


@pytest.fixture
def protected(db: Database) -> Database:
    """A base with an owner, a seller and a viewer, a client with a purchase; nobody signed in."""
    cid = _client(db)
    purchases.add_purchase(
        db, cid, PurchaseInput(date(2024, 3, 1), Decimal("100.00"), profit=Decimal("30.00"))
    )
    _change, protection = users.add_user(db, "Olga", "owner", OWNER_PW)
    assert protection is not None
    users.add_user(db, "Sam", "seller", SELLER_PW)
    users.add_user(db, "Vera", "viewer", VIEWER_PW)
    access.sign_in(None)
    return db


def _as(db: Database, name: str, password: str) -> Actor:
    actor = users.authenticate(db, name, password)
    access.sign_in(actor)
    return actor


def _journal(db: Database) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_an_unprotected_base_is_the_computers_account_as_owner(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "the_owner")
    monkeypatch.setenv("LOGNAME", "the_owner")
    monkeypatch.setenv("USERNAME", "the_owner")
    assert not users.is_protected(db)
    actor = access.current(db)
    assert actor.role is Role.OWNER and not actor.protected
    _client(db)
    who = _journal(db)[-1].who
    assert who == access.os_account() and who != "the_owner"  # the environment cannot name someone else


def test_the_first_user_must_be_an_owner_and_turns_protection_on(db: Database) -> None:
    with pytest.raises(Exception, match="must be an owner"):
        users.add_user(db, "Sam", "seller", SELLER_PW)
    assert not users.is_protected(db)
    _change, protection = users.add_user(db, "Olga", "owner", OWNER_PW)
    assert protection is not None and len(protection.recovery_key.replace("-", "")) == 30
    assert users.is_protected(db)
    assert access.current(db).name == "Olga"  # the owner who turned it on is signed in
    _change, again = users.add_user(db, "Sam", "seller", SELLER_PW)
    assert again is None  # the key is shown once, when protection is turned on
    with db.session() as s:
        hashes = {u.name: u.password_hash for u in s.scalars(select(User))}
    assert all(h.startswith("$argon2id$") for h in hashes.values())
    assert OWNER_PW not in hashes["Olga"] and protection.recovery_key not in str(settings.get_all(db))


def test_nobody_signed_in_may_change_nothing(protected: Database) -> None:
    before = base_state(protected)
    with pytest.raises(AccessDenied, match="sign in"):
        _client(protected, "Bob")
    assert base_state(protected) == before


def test_a_seller_works_cards_and_purchases_but_sees_no_profit(protected: Database) -> None:
    _as(protected, "Sam", SELLER_PW)
    cid = _client(protected, "Bob")
    assert _journal(protected)[-1].who == "Sam"
    added = purchases.add_purchase(
        protected, cid, PurchaseInput(date(2024, 4, 1), Decimal("50.00"), profit=Decimal("9"))
    )
    assert added.profit is None
    anna = next(c for c in _ids(protected) if c != cid)
    assert all(p.profit is None for p in purchases.list_purchases(protected, anna))
    assert purchases.purchase_totals(protected, anna).profit is None
    # A seller's edit of a purchase keeps the profit they cannot see.
    row = purchases.list_purchases(protected, anna)[0]
    purchases.update_purchase(
        protected, row.id, PurchaseInput(row.purchased_on, Decimal("110.00"), items="x")
    )
    access.sign_in(None)
    _as(protected, "Olga", OWNER_PW)
    assert purchases.list_purchases(protected, anna)[0].profit == Decimal("30.00")
    assert purchases.list_purchases(protected, cid)[0].profit is None  # the seller set none


def _ids(db: Database) -> list[int]:
    from custdesk.core.services.client_list import list_clients

    return [c.id for c in list_clients(db)]


@pytest.mark.parametrize("name,password", [("Sam", SELLER_PW), ("Vera", VIEWER_PW)])
def test_sellers_and_viewers_export_import_and_change_settings_and_users_not(
    protected: Database, tmp_path: Path, name: str, password: str
) -> None:
    _as(protected, name, password)
    before = base_state(protected)
    refusals = [
        lambda: export_file(protected, tmp_path / "all.csv", "clients"),
        lambda: settings.set_values(protected, {"backup_keep": 3}),
        lambda: users.add_user(protected, "Eve", "owner", "eve-secret-9"),
        lambda: users.remove_user(protected, "Olga"),
        lambda: users.set_password(protected, "Olga", "taken-over-1"),
    ]
    for refused in refusals:
        with pytest.raises(AccessDenied):
            refused()
    source = tmp_path / "c.csv"
    source.write_text("name,email\nEve,eve@example.com\n", encoding="utf-8")
    table = read_source(source)
    with pytest.raises(AccessDenied, match="import"):
        run_import(protected, table, suggest_mapping("clients", table), ImportOptions())
    assert base_state(protected) == before
    assert not (tmp_path / "all.csv").exists() and list(tmp_path.glob("*.part")) == []


def test_a_viewer_reads_and_sees_profit_but_changes_nothing(protected: Database) -> None:
    _as(protected, "Vera", VIEWER_PW)
    before = base_state(protected)
    anna = _ids(protected)[0]
    assert purchases.list_purchases(protected, anna)[0].profit == Decimal("30.00")
    with pytest.raises(AccessDenied, match="viewer"):
        _client(protected, "Bob")
    with pytest.raises(AccessDenied):
        purchases.add_purchase(protected, anna, PurchaseInput(date(2024, 4, 1), Decimal("5.00")))
    assert base_state(protected) == before


def test_a_seller_prints_a_few_cards_not_the_base(protected: Database) -> None:
    _as(protected, "Olga", OWNER_PW)
    for n in range(6):
        _client(protected, f"Client{n}")
    ids = _ids(protected)
    _as(protected, "Sam", SELLER_PW)
    assert len(card_documents(protected, ids[: access.PRINT_LIMIT])) == access.PRINT_LIMIT
    with pytest.raises(AccessDenied, match="print more than"):
        card_documents(protected, ids)
    _as(protected, "Olga", OWNER_PW)
    assert len(card_documents(protected, ids)) == len(ids)


def test_a_seller_changes_their_own_password(protected: Database) -> None:
    _as(protected, "Sam", SELLER_PW)
    users.set_password(protected, "Sam", "new-seller-pw")
    assert users.authenticate(protected, "Sam", "new-seller-pw").role is Role.SELLER


def test_five_wrong_passwords_slow_further_tries(protected: Database) -> None:
    t0 = datetime(2026, 1, 1, 12, 0, 0)
    for n in range(users.FREE_TRIES - 1):
        with pytest.raises(users.SignInRefused, match="Wrong"):
            users.authenticate(protected, "Sam", f"wrong-{n}", now=t0)
    assert (
        users.authenticate(protected, "Sam", SELLER_PW, now=t0).name == "Sam"
    )  # four: no lock, count cleared
    for n in range(users.FREE_TRIES):
        with pytest.raises(users.SignInRefused, match="Wrong"):
            users.authenticate(protected, "Sam", f"wrong-{n}", now=t0)
    # Locked: even the right password is not looked at.
    with pytest.raises(users.SignInRefused, match="try again in 30 seconds"):
        users.authenticate(protected, "Sam", SELLER_PW, now=t0 + timedelta(seconds=0))
    # Once the wait is over, a wrong try doubles the next wait.
    t1 = t0 + timedelta(seconds=users.LOCK_FIRST_SECONDS)
    with pytest.raises(users.SignInRefused, match="Wrong"):
        users.authenticate(protected, "Sam", "wrong-again", now=t1)
    with pytest.raises(users.SignInRefused, match="try again in 60 seconds"):
        users.authenticate(protected, "Sam", SELLER_PW, now=t1)
    t2 = t1 + timedelta(seconds=2 * users.LOCK_FIRST_SECONDS)
    assert users.authenticate(protected, "Sam", SELLER_PW, now=t2).name == "Sam"
    with pytest.raises(users.SignInRefused, match="Wrong"):
        users.authenticate(protected, "Sam", "wrong", now=t2)  # the count started afresh: no lock


def test_the_recovery_key_replaces_a_forgotten_owner_password_once(db: Database) -> None:
    _change, protection = users.add_user(db, "Olga", "owner", OWNER_PW)
    assert protection is not None
    users.add_user(db, "Sam", "seller", SELLER_PW)
    access.sign_in(None)
    with pytest.raises(users.SignInRefused):
        users.recover_owner(db, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF", "Olga", "new-owner-pw")
    with pytest.raises(Exception, match="not an owner"):
        users.recover_owner(db, protection.recovery_key, "Sam", "new-owner-pw")
    typed = protection.recovery_key.lower().replace("-", " ")  # as a person may type it
    fresh = users.recover_owner(db, typed, "Olga", "new-owner-pw")
    assert fresh.recovery_key != protection.recovery_key
    assert users.authenticate(db, "Olga", "new-owner-pw").role is Role.OWNER
    with pytest.raises(users.SignInRefused):
        users.authenticate(db, "Olga", OWNER_PW)
    with pytest.raises(users.SignInRefused):  # the old key is used up
        users.recover_owner(db, protection.recovery_key, "Olga", "another-pw-1")
    assert _journal(db)[-1].field == "recovery key used"


def test_the_last_owner_stays(protected: Database) -> None:
    _as(protected, "Olga", OWNER_PW)
    with pytest.raises(Exception, match="last owner"):
        users.remove_user(protected, "Olga")
    users.remove_user(protected, "Sam")
    assert [u.name for u in users.list_users(protected)] == ["Olga", "Vera"]


def test_a_sign_in_does_not_open_another_protected_base(protected: Database, tmp_path: Path) -> None:
    from custdesk.core.db import open_base

    _as(protected, "Olga", OWNER_PW)
    other = open_base(tmp_path / "other.sqlite", auto_backup=False)
    try:
        access.sign_in(None)
        users.add_user(other, "Olga", "owner", "other-owner-pw")
        access.sign_in(users.authenticate(protected, "Olga", OWNER_PW))
        with pytest.raises(AccessDenied, match="sign in"):
            _client(other, "Intruder")
    finally:
        other.close()


def test_names_in_any_script_and_case_sign_in(db: Database) -> None:
    users.add_user(db, "Ольга Петрова", "owner", OWNER_PW)
    assert users.authenticate(db, "ольга  петрова", OWNER_PW).name == "Ольга Петрова"
    with pytest.raises(Exception, match="already a user"):
        users.add_user(db, "ОЛЬГА ПЕТРОВА", "seller", SELLER_PW)
    users.add_user(db, "مریم", "viewer", VIEWER_PW)
    assert users.authenticate(db, "مریم", VIEWER_PW).role is Role.VIEWER
