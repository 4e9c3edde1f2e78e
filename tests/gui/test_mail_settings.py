"""Firm settings → E-mail: the mail server, its test button against a real local server, the password
in the OS keyring (an in-memory keyring backend here), never in the base."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from smtp_server import Mailbox, free_port, running_server
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.models import Setting
from custdesk.core.services import settings
from custdesk.core.services.mail_transport import KEYRING_SERVICE
from custdesk.ui.dialogs.firm_settings import FirmSettingsDialog
from custdesk.ui.tasks import ChangeBus, TaskRunner


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict (keyring's own backend interface)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    old = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(old)


@pytest.fixture
def server() -> Iterator[Mailbox]:
    with running_server() as box:
        yield box


def _dialog(qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus) -> FirmSettingsDialog:
    dialog = FirmSettingsDialog(runner, db, bus)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=5000)
    dialog.tabs.setCurrentIndex(1)
    return dialog


def test_the_test_button_reaches_the_server_and_names_a_dead_one(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, server: Mailbox
) -> None:
    dialog = _dialog(qtbot, runner, db, bus)
    dialog.smtp_host.setText("127.0.0.1")
    dialog.smtp_port.setValue(server.port)
    dialog.smtp_security.setCurrentIndex(dialog.smtp_security.findData("none"))
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10000)
    assert dialog.test_result.text() == "The server answered and accepted the login."

    dead = free_port()
    dialog.smtp_port.setValue(dead)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10000)
    assert dialog.test_result.text().startswith(f"The mail server 127.0.0.1:{dead} cannot be reached")


def test_saving_keeps_the_server_in_the_base_and_the_password_in_the_keyring(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, memory_keyring: MemoryKeyring
) -> None:
    dialog = _dialog(qtbot, runner, db, bus)
    assert dialog.mailing_gap.value() == 7
    dialog.smtp_host.setText("smtp.example.com")
    dialog.smtp_user.setText("shop")
    dialog.smtp_password.setText("s3cret-pass")
    dialog.smtp_sender.setText("shop@example.com")
    dialog.mailing_gap.setValue(10)
    with qtbot.waitSignal(bus.changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    values = settings.get_all(db)
    assert (values["smtp_host"], values["smtp_user"], values["smtp_sender"]) == (
        "smtp.example.com",
        "shop",
        "shop@example.com",
    )
    assert values["mailing_min_gap_days"] == 10
    assert memory_keyring.store == {(KEYRING_SERVICE, "shop@smtp.example.com"): "s3cret-pass"}
    with db.session() as s:
        assert all("s3cret" not in row.value for row in s.scalars(select(Setting)))

    again = _dialog(qtbot, runner, db, bus)  # the password comes back from the keyring
    assert again.smtp_password.text() == "s3cret-pass"
