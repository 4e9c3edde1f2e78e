"""The roles reach the services other issues added: mailings (a seller mails a few clients, never inside
the minimum gap) and undo (a seller takes back their own work, not another user's)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from smtp_server import running_server
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput
from custdesk.core.models import AuditEntry
from custdesk.core.services import access, clients, journal, settings, users
from custdesk.core.services.access import MAIL_LIMIT, AccessDenied
from custdesk.core.services.mail_templates import parse_template
from custdesk.core.services.mail_transport import SmtpSettings, SmtpTransport
from custdesk.core.services.mailings import Audience, plan_mailing, send_mailing

TEMPLATE = parse_template("Subject: Offer for {{ name }}\n\nDear {{ name }}.\n")


@pytest.fixture(autouse=True)
def _signed_out() -> Iterator[None]:
    access.sign_in(None)
    yield
    access.sign_in(None)


@pytest.fixture
def shop(db: Database) -> list[int]:
    """An owner and a seller, and more clients than a seller may mail at once; nobody signed in."""
    settings.set_values(db, {"require_contact": False})
    ids = [
        clients.create_client(
            db, ClientInput(name=f"Client {i}", emails=(EmailInput(f"c{i}@example.org"),))
        ).id
        for i in range(MAIL_LIMIT + 1)
    ]
    users.add_user(db, "Olga", "owner", "owner-secret-1")
    users.add_user(db, "Sam", "seller", "seller-secret-2")
    access.sign_in(None)
    return ids


def _send(db: Database, ids: list[int], port: int) -> object:
    plan = plan_mailing(db, TEMPLATE, Audience(ids=tuple(ids)))
    smtp = SmtpSettings("127.0.0.1", port, "none", "", "shop@example.com", "Shop")
    return send_mailing(db, plan, SmtpTransport(smtp), sender=smtp.sender)


def test_a_seller_mails_a_few_clients_and_the_owner_many(db: Database, shop: list[int]) -> None:
    with running_server() as box:
        access.sign_in(users.authenticate(db, "Sam", "seller-secret-2"))
        with pytest.raises(AccessDenied, match="Only the owner may mail more than"):
            _send(db, shop, box.port)
        assert box.letters == []  # refused before a single letter
        _send(db, shop[:2], box.port)
        assert len(box.letters) == 2
        access.sign_in(users.authenticate(db, "Olga", "owner-secret-1"))
        _send(db, shop[2:], box.port)
        assert len(box.letters) == len(shop)


def test_a_seller_undoes_their_own_edit_but_not_the_owners(db: Database, shop: list[int]) -> None:
    access.sign_in(users.authenticate(db, "Olga", "owner-secret-1"))
    clients.update_client(
        db, shop[0], ClientInput(name="Renamed by Olga", emails=(EmailInput("c0@example.org"),))
    )
    access.sign_in(users.authenticate(db, "Sam", "seller-secret-2"))
    clients.update_client(
        db, shop[1], ClientInput(name="Renamed by Sam", emails=(EmailInput("c1@example.org"),))
    )
    with db.session() as s:
        olga_edit, sam_edit = (
            s.scalar(select(AuditEntry.id).where(AuditEntry.new == name))
            for name in ("Renamed by Olga", "Renamed by Sam")
        )
    assert olga_edit is not None and sam_edit is not None
    with pytest.raises(AccessDenied, match="Only the owner may undo another user's work"):
        journal.undo(db, olga_edit)
    assert clients.get_client(db, shop[0]).name == "Renamed by Olga"
    journal.undo(db, sam_edit)
    assert clients.get_client(db, shop[1]).name == "Client 1"
