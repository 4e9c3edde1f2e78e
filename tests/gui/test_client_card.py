"""The client card driven like a user: typing, saving, the guards, history, purchases, archive.

Every test works on a real base; what the card shows is checked, and what landed in the base is read
back through the services (or the audit table). Message boxes are answered by a timer that finds the
active modal box, as a user would click it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, InteractionInput, PhoneInput
from custdesk.core.models import AuditEntry, Client
from custdesk.core.services import clients, history, purchases, reminders, settings
from custdesk.core.validation import field_label
from custdesk.ui.dialogs import client_card
from custdesk.ui.dialogs.client_card import ClientCardDialog
from custdesk.ui.formatting import isolate_text
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.widgets.purchases_panel import PurchaseDialog

OpenCard = Callable[[int | None], ClientCardDialog]


@pytest.fixture
def fi_db(db: Database) -> Database:
    """A base of a Finnish firm (phones checked against Finland), contact gap 2 days."""
    settings.set_values(db, {"phone_region": "FI", "currency": "EUR", "min_contact_gap_days": 2})
    return db


@pytest.fixture
def open_card(qtbot: QtBot, runner: TaskRunner, fi_db: Database, bus: ChangeBus) -> Iterator[OpenCard]:
    """Open a card (None: new) and wait until it is loaded; every card is closed after the test."""
    opened: list[ClientCardDialog] = []

    def open_(client_id: int | None) -> ClientCardDialog:
        dialog = ClientCardDialog(runner, fi_db, bus, client_id)
        opened.append(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.is_loaded)
        qtbot.waitUntil(lambda: runner.idle)
        return dialog

    yield open_
    for dialog in opened + list(client_card._open_cards.values()):
        if shiboken6.isValid(dialog):
            dialog._closing_ok = True
            dialog.close()
    client_card._open_cards.clear()


def answer_box(
    button: QMessageBox.StandardButton | str, seen: dict[str, str] | None = None
) -> dict[str, str]:
    """Click ``button`` (a standard button or a button's text) on the next modal message box."""
    seen = seen if seen is not None else {}
    tries = {"n": 0}

    def attempt() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox):
            seen["text"] = f"{widget.text()}\n{widget.informativeText()}"
            if isinstance(button, str):
                target = next(b for b in widget.buttons() if b.text() == button)
            else:
                target = widget.button(button)
            target.click()
            seen["clicked"] = str(button)
            return
        tries["n"] += 1
        if tries["n"] < 400:
            QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)
    return seen


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a user; non-ASCII characters go one by one as key events (see PLATFORM-NOTES)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
            )


def editor(dialog: ClientCardDialog, name: str) -> QWidget:
    panel = dialog.general if name in dialog.general.fields else dialog.special
    return panel.fields[name].box.editor


def save(qtbot: QtBot, dialog: ClientCardDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def client_count(db: Database) -> int:
    with db.session() as s:
        return len(list(s.scalars(select(Client.id))))


def make_client(
    db: Database, name: str = "Matti Meikäläinen", phone: str = "040 123 4567", **kw: object
) -> int:
    return clients.create_client(db, ClientInput(name=name, phones=(PhoneInput(phone),), **kw)).id  # type: ignore[arg-type]


# --- creating ---------------------------------------------------------------------------------------


def test_invalid_phone_is_marked_while_typing_and_save_is_refused(
    qtbot: QtBot, open_card: OpenCard, fi_db: Database
) -> None:
    card = open_card(None)
    name = editor(card, "name")
    type_text(qtbot, name, "Äino Ylä-Mäki")
    assert card.header.name_label.text() == "Äino Ylä-Mäki"
    row = card.general.phones.rows[0]
    qtbot.keyClicks(row.value, "12")
    # Marked while typing: the property drives the red border; the reason is shown and is the tooltip.
    assert row.value.property("invalid") is True
    assert row.error.isVisibleTo(card)
    assert "Phone 1" in row.error.text() and "too short" in row.error.text()
    assert row.value.toolTip() == row.error.text()

    save(qtbot, card)
    qtbot.waitUntil(lambda: card.status.isVisibleTo(card))
    assert "1 problem" in card.status.text()
    assert QApplication.focusWidget() is row.value
    assert card.client_id is None
    assert client_count(fi_db) == 0

    row.value.clear()
    qtbot.keyClicks(row.value, "040 123 4567")
    assert row.value.property("invalid") is False
    assert not row.error.isVisibleTo(card)
    with qtbot.waitSignal(card.saved, timeout=5000):
        save(qtbot, card)
    stored = clients.get_client(fi_db, card.client_id or 0)
    assert stored.name == "Äino Ylä-Mäki"
    assert [p.number for p in stored.phones] == ["+358401234567"]
    assert not card.isWindowModified()
    assert card.header.badge.text() == "W"


def test_required_fields_are_marked_on_save(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    card = open_card(None)
    save(qtbot, card)
    name = editor(card, "name")
    assert name.property("invalid") is True
    assert "required" in card.general.fields["name"].box.error.text()
    assert card.general.contact_error.isVisibleTo(card)
    assert QApplication.focusWidget() is name
    # An organisation needs its organisation name; the person's name becomes the optional contact person.
    qtbot.mouseClick(card.general.organisation_radio, Qt.MouseButton.LeftButton)
    assert name.property("invalid") is False
    assert editor(card, "organisation").property("invalid") is True
    assert card.general.requisites_group.isVisibleTo(card)
    qtbot.keyClicks(editor(card, "organisation"), "Nordic Tools Oy")
    assert editor(card, "organisation").property("invalid") is False
    email = card.general.emails.rows[0].value
    qtbot.keyClicks(email, "sales@nordic")
    assert email.property("invalid") is True
    qtbot.keyClicks(email, ".fi")
    assert email.property("invalid") is False
    qtbot.keyClicks(editor(card, "tax_id"), "FI12345678")
    with qtbot.waitSignal(card.saved, timeout=5000):
        save(qtbot, card)
    stored = clients.get_client(fi_db, card.client_id or 0)
    assert (stored.kind, stored.organisation, stored.tax_id) == (
        "organisation",
        "Nordic Tools Oy",
        "FI12345678",
    )
    assert [e.address for e in stored.emails] == ["sales@nordic.fi"]


def test_discount_and_birthday_checked_while_typing(qtbot: QtBot, open_card: OpenCard) -> None:
    card = open_card(None)
    discount = editor(card, "discount_percent")
    qtbot.keyClicks(discount, "150")
    assert discount.property("invalid") is True
    assert "0 to 100" in card.special.fields["discount_percent"].box.error.text()
    discount.clear()
    qtbot.keyClicks(discount, "7.5")
    assert discount.property("invalid") is False
    birthday = card.general.fields["birthday"].box.editor
    birthday.check.setChecked(True)  # type: ignore[attr-defined]
    birthday.edit.setDate(birthday.edit.date().addDays(30))  # type: ignore[attr-defined]
    assert birthday.property("invalid") is True
    assert "future" in card.general.fields["birthday"].box.error.text()


# --- editing ----------------------------------------------------------------------------------------


def test_edit_is_saved_and_journaled(
    qtbot: QtBot, open_card: OpenCard, fi_db: Database, bus: ChangeBus
) -> None:
    cid = make_client(fi_db, city="Espoo")
    card = open_card(cid)
    city = editor(card, "city")
    assert isinstance(city, QLineEdit) and city.text() == "Espoo"
    assert not card.isWindowModified()
    city.selectAll()
    qtbot.keyClicks(city, "Tampere")
    assert card.isWindowModified()
    with qtbot.waitSignal(bus.changed, timeout=5000) as changed:
        save(qtbot, card)
    assert changed.args[0].ids == (cid,) and "city" in changed.args[0].fields
    assert clients.get_client(fi_db, cid).city == "Tampere"
    with fi_db.session() as s:
        rows = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "client", AuditEntry.entity_id == cid, AuditEntry.field == "city"
            )
        ).all()
        assert [(r.action, r.old, r.new) for r in rows] == [("update", "Espoo", "Tampere")]
    assert not card.isWindowModified()


def test_a_card_changed_by_another_seat_is_not_overwritten(
    qtbot: QtBot, open_card: OpenCard, fi_db: Database
) -> None:
    cid = make_client(fi_db, city="Espoo")
    card = open_card(cid)
    theirs = clients.get_client(fi_db, cid)  # another seat saves the same card meanwhile
    clients.update_client(fi_db, cid, dataclasses.replace(theirs.to_input(), city="Vantaa", version=1))
    city = editor(card, "city")
    city.selectAll()
    qtbot.keyClicks(city, "Tampere")

    seen = answer_box("Back to editing")
    save(qtbot, card)
    qtbot.waitUntil(lambda: "clicked" in seen)
    assert "This card was changed since you opened it" in seen["text"]
    assert f"{field_label('city')}: {isolate_text('Vantaa')} → {isolate_text('Tampere')}" in seen["text"]
    qtbot.waitUntil(lambda: not card._busy)
    assert clients.get_client(fi_db, cid).city == "Vantaa"  # nothing overwritten
    assert card.isWindowModified() and city.text() == "Tampere"  # the typing is kept

    seen = answer_box("Save mine over theirs")
    with qtbot.waitSignal(card.saved, timeout=5000):
        qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    assert "Vantaa" in seen["text"]
    assert clients.get_client(fi_db, cid).city == "Tampere"
    assert not card.isWindowModified()


def test_unsaved_changes_guard(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    cid = make_client(fi_db, city="Espoo")
    card = open_card(cid)
    city = editor(card, "city")
    city.selectAll()
    qtbot.keyClicks(city, "Turku")

    seen = answer_box(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert "not saved" in seen["text"]
    assert card.isVisible()

    answer_box(QMessageBox.StandardButton.Discard)
    with qtbot.waitSignal(card.destroyed, timeout=5000):
        qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert clients.get_client(fi_db, cid).city == "Espoo"

    card = open_card(cid)
    city = editor(card, "city")
    city.selectAll()
    qtbot.keyClicks(city, "Oulu")
    answer_box(QMessageBox.StandardButton.Save)
    with qtbot.waitSignal(card.destroyed, timeout=5000):
        card.close()
    assert clients.get_client(fi_db, cid).city == "Oulu"


def test_duplicate_is_named_on_save(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    existing = make_client(fi_db, "Liisa Laine", "040 765 4321")
    card = open_card(None)
    qtbot.keyClicks(editor(card, "name"), "L. Laine")
    qtbot.keyClicks(card.general.phones.rows[0].value, "+358 40 7654321")

    seen = answer_box("Back to editing")
    save(qtbot, card)
    qtbot.waitUntil(lambda: "clicked" in seen)
    assert "Liisa Laine" in seen["text"] and "same phone" in seen["text"]
    qtbot.waitUntil(lambda: not card._busy)
    assert client_count(fi_db) == 1

    seen = answer_box("Open the existing card")
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: existing in client_card._open_cards)
    other = client_card._open_cards[existing]
    qtbot.waitUntil(lambda: other.is_loaded)
    assert other.header.name_label.text() == "Liisa Laine"
    assert client_count(fi_db) == 1

    seen = answer_box("Save anyway")
    with qtbot.waitSignal(card.saved, timeout=5000):
        qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    assert client_count(fi_db) == 2


# --- history ----------------------------------------------------------------------------------------


def test_history_entry_and_too_soon_confirmation(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    cid = make_client(fi_db, "Pekka Puu")
    history.add_interaction(
        fi_db,
        cid,
        InteractionInput("note", text="older note", occurred_at=datetime.now() - timedelta(days=9)),
    )
    card = open_card(cid)
    panel = card.history
    qtbot.waitUntil(lambda: len(panel.entries) == 1)
    card.tabs.setCurrentWidget(panel)
    panel.kind.setCurrentIndex(panel.kind.findData("call"))
    panel.outcome.setCurrentIndex(panel.outcome.findData("asked-info"))
    qtbot.keyClicks(panel.text, "Asked for the price list")
    qtbot.keyClicks(panel.next_step, "Send prices")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(panel.entries) == 2)
    timeline = panel.timeline.toPlainText()
    assert timeline.index("Asked for the price list") < timeline.index("older note")  # newest first
    assert "Next step: Send prices" in timeline
    qtbot.waitUntil(lambda: card.card is not None and card.card.funnel == "gold-green")
    assert card.header.badge.text() == "GG"

    # A second call the same day is pestering: the card asks first.
    qtbot.keyClicks(panel.text, "Called again")
    seen = answer_box(QMessageBox.StandardButton.No)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "clicked" in seen)
    assert "Pekka Puu" in seen["text"] and "contact again anyway" in seen["text"]
    qtbot.waitUntil(lambda: runner_idle(card))
    assert len(history.list_interactions(fi_db, cid)) == 2
    seen = answer_box(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(panel.entries) == 3)
    assert history.list_interactions(fi_db, cid)[0].text == "Called again"


def runner_idle(card: ClientCardDialog) -> bool:
    return card.runner.idle


def test_call_timer_turns_red_past_budget(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    settings.set_values(fi_db, {"call_budget_minutes": 0})
    card = open_card(make_client(fi_db))
    timer = card.history.timer
    assert timer.budget_minutes == 0
    qtbot.mouseClick(timer.button, Qt.MouseButton.LeftButton)
    assert timer.running and timer.button.text() == "Stop call"
    qtbot.waitUntil(lambda: timer.display.property("over") is True, timeout=3000)
    qtbot.mouseClick(timer.button, Qt.MouseButton.LeftButton)
    assert not timer.running and timer.seconds() >= 1
    assert timer.display.text() != "00:00"


# --- purchases --------------------------------------------------------------------------------------


def fill_purchase(qtbot: QtBot, amount: str, items: str) -> dict[str, bool]:
    done = {"ok": False}
    tries = {"n": 0}

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PurchaseDialog):
            amount_edit = dialog.amount.editor
            assert isinstance(amount_edit, QLineEdit)
            amount_edit.selectAll()
            qtbot.keyClicks(amount_edit, amount)
            dialog.items.setText(items)
            qtbot.keyClick(dialog.items, Qt.Key.Key_Return)
            done["ok"] = dialog.result() == QDialog.DialogCode.Accepted
            return
        tries["n"] += 1
        if tries["n"] < 400:
            QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)
    return done


def plain(rich: str) -> str:
    return re.sub(r"<[^>]+>", "", rich)


def test_add_and_edit_purchase_with_totals(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    cid = make_client(fi_db)
    card = open_card(cid)
    panel = card.purchases
    card.tabs.setCurrentWidget(panel)
    done = fill_purchase(qtbot, "1234.50", "Garden chairs")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert done["ok"]
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    amount_item = panel.table.item(0, 1)
    assert amount_item.text() == "1,234.50"
    assert amount_item.textAlignment() & Qt.AlignmentFlag.AlignRight
    qtbot.waitUntil(lambda: "1 purchase" in plain(panel.totals_label.text()))
    assert "total €1,234.50" in plain(panel.totals_label.text())
    qtbot.waitUntil(lambda: card.header.badge.text() == "Go")  # the first purchase makes a client gold

    panel.table.selectRow(0)
    done = fill_purchase(qtbot, "1000", "Garden chairs and a table")
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert done["ok"]
    qtbot.waitUntil(
        lambda: panel.table.item(0, 1) is not None and panel.table.item(0, 1).text() == "1,000.00"
    )
    stored = purchases.list_purchases(fi_db, cid)
    assert [(p.amount, p.items) for p in stored] == [(Decimal("1000.00"), "Garden chairs and a table")]
    qtbot.waitUntil(lambda: "total €1,000.00" in plain(panel.totals_label.text()))


def test_purchase_form_refuses_bad_amount(qtbot: QtBot) -> None:
    dialog = PurchaseDialog("EUR")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.amount.editor, "12x")
    assert dialog.amount.editor.property("invalid") is True and not ok.isEnabled()
    dialog.amount.editor.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(dialog.amount.editor, "1,299.99")
    assert ok.isEnabled()
    assert dialog.value().amount == Decimal("1299.99")


# --- life cycle, marker, reminders ------------------------------------------------------------------


def test_archive_and_restore(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    cid = make_client(fi_db)
    card = open_card(cid)
    assert card.archive_button.isVisible() and not card.restore_button.isVisible()
    seen = answer_box(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(card.archive_button, Qt.MouseButton.LeftButton)
    assert "nothing is deleted" in seen["text"]
    qtbot.waitUntil(lambda: card.header.archived_banner.isVisible())
    assert clients.get_client(fi_db, cid).archived
    assert card.restore_button.isVisible() and not card.save_button.isEnabled()
    qtbot.mouseClick(card.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not card.header.archived_banner.isVisible())
    assert not clients.get_client(fi_db, cid).archived
    assert card.general.isEnabled()


def test_set_marker_by_hand(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    cid = make_client(fi_db)
    card = open_card(cid)
    action = next(a for a in card.header.marker_menu.actions() if a.data() == "yellow")
    action.trigger()
    qtbot.waitUntil(lambda: card.header.badge.text() == "Y")
    assert "set by hand" in card.header.marker_changed.text()
    assert "mailings" in card.header.marker_text.text()
    assert clients.get_client(fi_db, cid).funnel == "yellow"


def test_reminders_add_complete_snooze(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    cid = make_client(fi_db)
    card = open_card(cid)
    panel = card.reminders
    panel.kind.setCurrentIndex(panel.kind.findData("custom"))
    qtbot.keyClicks(panel.text, "Offer the spring catalogue")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(panel.items) == 1)
    assert panel.tree.topLevelItem(0).text(2) == "Offer the spring catalogue"
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    panel.snooze_selected(7)
    qtbot.waitUntil(
        lambda: (
            runner_idle(card)
            and panel.items
            and panel.items[0].due_on > datetime.now().date() + timedelta(days=6)
        )
    )
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    qtbot.mouseClick(panel.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.items)
    assert reminders.list_reminders(fi_db, cid) == []
    assert len(reminders.list_reminders(fi_db, cid, include_done=True)) == 1


def test_a_reminder_with_a_time_of_day(qtbot: QtBot, open_card: OpenCard, fi_db: Database) -> None:
    from datetime import time

    from PySide6.QtCore import QTime

    from custdesk.ui.widgets.fields import datetime_text

    cid = make_client(fi_db)
    card = open_card(cid)
    panel = card.reminders
    assert not panel.at.isEnabled()
    panel.timed.setChecked(True)
    panel.at.setTime(QTime(15, 45))
    qtbot.keyClicks(panel.text, "Call back after the meeting")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(panel.items) == 1)
    (stored,) = reminders.list_reminders(fi_db, cid)
    assert stored.due_time == time(15, 45)
    assert stored.due_at is not None
    assert panel.tree.topLevelItem(0).text(0) == datetime_text(stored.due_at)


def test_the_card_says_since_when_the_client_is_with_the_firm(
    qtbot: QtBot, open_card: OpenCard, fi_db: Database
) -> None:
    """An imported client's own date ("client since") shows on its card; a card made here shows the day
    it was made; a new card shows no such row."""
    from datetime import date

    from custdesk.ui.formatting import format_date

    phone = (PhoneInput(number="+358401234567"),)
    old = clients.create_client(
        fi_db, ClientInput(name="Anna Old", phones=phone, client_since=date(2019, 5, 3))
    )
    made_here = clients.create_client(
        fi_db, ClientInput(name="Bert New", phones=(PhoneInput(number="+358401234568"),))
    )
    card = open_card(old.id)
    assert card.general.since_label.text() == format_date(date(2019, 5, 3))
    assert card.general.since_label.isVisibleTo(card)
    card = open_card(made_here.id)
    assert card.general.since_label.text() == format_date(made_here.created_at.date())
    new = open_card(None)
    assert not new.general.since_label.isVisibleTo(new)
