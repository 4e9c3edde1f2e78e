"""From a set of clients to an action: the right-click menu on an analysis cell, the list's selection
and Today's birthdays opens the mailing (previewed per client, sent to a real local SMTP server off the
GUI thread) and the SMS list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot
from smtp_server import Mailbox, body, running_server
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.models import Client, Email, Interaction
from custdesk.core.services import settings
from custdesk.core.services.mailings import Audience
from custdesk.ui.dialogs.mailing_dialog import MailingDialog
from custdesk.ui.dialogs.sms_dialog import SmsDialog
from custdesk.ui.main_window import MainWindow
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.unit.analysis._sales import add_purchases, make_clients


@pytest.fixture
def ids(db: Database) -> list[int]:
    """Client 1 steady and big (AX), 2 once (BZ), 3 and 4 once and small (CZ), 5 no purchase (D); all but
    client 4 have an e-mail."""
    made = make_clients(db, 5)
    add_purchases(
        db,
        made,
        [
            (0, "2024-01-10", "400.00"),
            (0, "2024-02-10", "400.00"),
            (1, "2024-01-20", "150.00"),
            (2, "2024-02-10", "30.00"),
            (3, "2024-02-12", "20.00"),
        ],
    )
    with db.session() as s:
        for n, cid in enumerate(made):
            client = s.get(Client, cid)
            assert client is not None
            if n != 3:
                address = f"client{n + 1}@example.org"
                client.emails.append(Email(address=address, address_key=address, is_primary=True))
    return made


@pytest.fixture
def server(db: Database) -> Iterator[Mailbox]:
    with running_server() as box:
        settings.set_values(
            db,
            {
                "smtp_host": "127.0.0.1",
                "smtp_port": box.port,
                "smtp_security": "none",
                "smtp_sender": "shop@example.com",
            },
        )
        yield box


@pytest.fixture
def window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path, ids: list[int]
) -> Iterator[MainWindow]:
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm={"currency": "USD", "phone_region": "US"})
    qtbot.addWidget(w)
    w.resize(1200, 760)
    w.show()
    qtbot.waitUntil(lambda: w.model.total == 5 and not w.model.loading, timeout=5000)
    yield w


def _choose_in_popup(qtbot: QtBot, text: str) -> None:
    """Click the item ``text`` of the menu that popped up (as a user would)."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    action = next(a for a in menu.actions() if a.text() == text)
    menu.hide()
    action.trigger()


def _open_dialog(kind: type) -> object:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def test_a_matrix_cell_offers_a_mailing_to_its_clients(
    qtbot: QtBot, window: MainWindow, ids: list[int], server: Mailbox, db: Database
) -> None:
    from test_analysis_tab import computed_tab  # the same computed tab as the analysis tests

    tab = computed_tab(qtbot, window)
    tab.show_view("matrix")
    chart = tab.pages.pages["matrix"].chart
    qtbot.waitUntil(lambda: chart.drawn is not None and ("cell", "C", "Z") in chart.drawn.targets.values())
    artist = next(a for a, t in chart.drawn.targets.items() if t == ("cell", "C", "Z"))
    x, y = chart.widget_point_of(artist)
    qtbot.mouseClick(chart.canvas, Qt.MouseButton.RightButton, pos=QPoint(x, y))
    _choose_in_popup(qtbot, "E-mail mailing…")
    qtbot.waitUntil(lambda: _open_dialog(MailingDialog) is not None, timeout=5000)
    dialog = _open_dialog(MailingDialog)
    assert isinstance(dialog, MailingDialog)
    assert dialog.findChild(object, "mailingHeading").text() == "To: CZ (2 clients)"
    assert window.model.query.only_ids is None  # the list was not filtered: the menu acted instead

    dialog.subject.setText("A gift for {{ name }}")
    dialog.body.setPlainText("Dear {{ name }}, come and get it.")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert [dialog.recipients.item(i).text() for i in range(dialog.recipients.count())] == [
        "Client 3 <client3@example.org>"
    ]
    assert [dialog.left_out.item(i).text() for i in range(dialog.left_out.count())] == [
        "Client 4: no e-mail address"
    ]
    assert "Dear Client 3, come and get it." in dialog.letter.toPlainText()
    assert dialog.mailto_button.isEnabled()

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes).click()
        else:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "1 letter sent." in dialog.status.text(), timeout=30000)  # a busy CI machine
    (letter,) = server.to("client3@example.org")
    assert letter["Subject"] == "A gift for Client 3" and body(letter) == "Dear Client 3, come and get it.\n"
    with db.session() as s:
        assert list(s.scalars(select(Interaction.client_id).where(Interaction.kind == "mailing"))) == [ids[2]]
    # Previewed again after sending: the client just mailed is left out now.
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.recipients.count() == 0, timeout=5000)
    assert dialog.left_out.item(0).text() == "Client 3: already received this mailing"
    dialog.subject.setText("Another letter")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert dialog.left_out.item(0).text().startswith("Client 3: last mailed on ")
    assert not dialog.send_button.isEnabled()
    dialog.close()


def test_the_lists_selection_offers_the_actions(qtbot: QtBot, window: MainWindow, ids: list[int]) -> None:
    window.table.selectAll()
    menu = window.clients.context_menu()
    texts = [a.text() for a in menu.actions()]
    assert "E-mail mailing…" in texts and "SMS list…" in texts
    next(a for a in menu.actions() if a.text() == "SMS list…").trigger()
    dialog = _open_dialog(SmsDialog)
    assert isinstance(dialog, SmsDialog)
    assert "no SMS gateway" in dialog.findChild(object, "smsNote").text()
    dialog.close()


def test_todays_birthdays_offer_a_greeting(
    qtbot: QtBot, window: MainWindow, db: Database, ids: list[int]
) -> None:
    today = date.today()
    with db.session() as s:
        client = s.get(Client, ids[0])
        assert client is not None
        client.birthday = (
            date(1980, today.month, today.day) if (today.month, today.day) != (2, 29) else date(1980, 2, 29)
        )
    view = window.today_view  # type: ignore[attr-defined]
    view.reload("change")
    qtbot.waitUntil(lambda: view.lists is not None and view.lists.birthday_count == 1, timeout=5000)
    section = view.sections["birthday"]
    row = section.child(0)
    pos = view.tree.visualItemRect(row).center()
    menu = view.context_menu_at(pos)
    assert menu is not None
    texts = [a.text() for a in menu.actions()]
    assert "Greet by e-mail…" in texts and "Today's birthdays" in texts
    next(a for a in menu.actions() if a.text() == "Greet by e-mail…").trigger()
    dialog = _open_dialog(MailingDialog)
    assert isinstance(dialog, MailingDialog)
    assert dialog.audience == Audience(ids=(ids[0],))
    assert dialog.subject.text() == "Happy birthday, {{ first_name or display_name }}!"
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert "Dear Client," in dialog.letter.toPlainText()  # "Client 1": the first name is "Client"
    dialog.close()


def test_a_call_campaign_from_the_selection_is_planned_scheduled_and_followed(
    qtbot: QtBot, window: MainWindow, db: Database, ids: list[int]
) -> None:
    from custdesk.core.models import Phone
    from custdesk.ui.dialogs.campaign_dialog import CampaignDialog, CampaignsDialog

    with db.session() as s:
        for n, cid in enumerate(ids[:4]):
            s.add(Phone(client_id=cid, number=f"+1202555010{n}", is_primary=True))
    window.table.selectAll()
    menu = window.clients.context_menu()
    next(a for a in menu.actions() if a.text() == "Call campaign…").trigger()
    dialog = _open_dialog(CampaignDialog)
    assert isinstance(dialog, CampaignDialog)
    dialog.name.setText("Spring")
    dialog.note.setText("offer the spring collection")
    dialog.days.setValue(2)
    dialog.per_day.setValue(1)
    qtbot.waitUntil(lambda: "more clients (4) than calls that fit" in dialog.summary.text(), timeout=5000)
    assert not dialog.schedule_button.isEnabled()
    dialog.per_day.setValue(2)
    qtbot.waitUntil(lambda: dialog.schedule_button.isEnabled(), timeout=5000)
    assert [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())] == ["2", "2"]
    assert dialog.left_out.text().startswith("Left out: 1.")  # client 5 has no phone
    qtbot.mouseClick(dialog.schedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary.text().startswith("Scheduled: 4 calls"), timeout=5000)
    dialog.close()

    follow = next(a for a in window.client_menu.actions() if a.objectName() == "campaignsAction")
    follow.trigger()
    campaigns = _open_dialog(CampaignsDialog)
    assert isinstance(campaigns, CampaignsDialog)
    qtbot.waitUntil(lambda: campaigns.table.rowCount() == 1, timeout=5000)
    assert campaigns.table.item(0, 0).text() == "Spring — offer the spring collection"
    assert [campaigns.table.item(0, c).text() for c in (2, 3)] == ["4", "0 (0%)"]
    campaigns.close()
