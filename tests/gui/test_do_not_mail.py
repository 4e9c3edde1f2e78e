"""The card's "Do not mail" flag: ticked with the day and the reason, saved at once, journalled, and
honoured by the next mailing; cleared again by unticking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, EmailInput
from custdesk.core.models import AuditEntry
from custdesk.core.services import clients
from custdesk.core.services.mail_templates import parse_template
from custdesk.core.services.mailings import Audience, plan_mailing
from custdesk.ui.dialogs import client_card
from custdesk.ui.dialogs.client_card import ClientCardDialog
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.widgets.do_not_mail import DoNotMailDialog
from custdesk.ui.widgets.fields import date_text


@pytest.fixture
def card(qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus) -> Iterator[ClientCardDialog]:
    cid = clients.create_client(
        db, ClientInput(name="Anna Berg", emails=(EmailInput("anna@example.org"),))
    ).id
    dialog = ClientCardDialog(runner, db, bus, cid)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.is_loaded)
    qtbot.waitUntil(lambda: runner.idle)
    yield dialog
    if shiboken6.isValid(dialog):
        dialog._closing_ok = True
        dialog.close()
    client_card._open_cards.clear()


def _fill_the_dialog(reason: str) -> None:
    def attempt() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, DoNotMailDialog):
            widget.reason.setText(reason)
            widget.accept()
            return
        QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)


def test_the_flag_is_saved_with_day_and_reason_and_honoured(
    qtbot: QtBot, runner: TaskRunner, db: Database, card: ClientCardDialog
) -> None:
    box = card.do_not_mail
    assert box.isEnabled() and not box.check.isChecked() and box.detail.text() == ""
    _fill_the_dialog("asked by phone")
    qtbot.mouseClick(box.check, Qt.MouseButton.LeftButton)
    expected = f"since {date_text(date.today())}: asked by phone"
    qtbot.waitUntil(lambda: box.detail.text() == expected)
    assert box.check.isChecked()
    cid = card.client_id
    assert cid is not None
    plan = plan_mailing(db, parse_template("Subject: Hi\n\nHello"), Audience(ids=(cid,)))
    assert plan.recipients == () and [e.reason for e in plan.left_out] == ["do-not-mail"]
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.field == "do_not_mail")).one()
        assert "asked by phone" in (entry.new or "")

    qtbot.mouseClick(box.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.detail.text() == "")
    qtbot.waitUntil(lambda: runner.idle)
    assert not box.check.isChecked()
    assert [
        r.client_id
        for r in plan_mailing(db, parse_template("Subject: Hi\n\nHello"), Audience(ids=(cid,))).recipients
    ] == [cid]


def test_a_new_card_cannot_be_flagged_before_it_is_saved(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    dialog = ClientCardDialog(runner, db, bus, None)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)
    assert not dialog.do_not_mail.isEnabled()
