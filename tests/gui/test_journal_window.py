"""The journal window and the duplicate finder, driven as a person does: filters, old → new per field,
Undo with a confirmation and the service's refusals in words; groups of duplicates, Not duplicates, Merge."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients, settings
from custdesk.ui.dialogs.merge_dialog import MergeDialog
from custdesk.ui.journal.duplicates_window import DuplicatesWindow
from custdesk.ui.journal.journal_window import JournalWindow
from custdesk.ui.tasks import ChangeBus, TaskRunner


def _edit(db: Database, cid: int, city: str) -> None:
    card = clients.get_client(db, cid)
    clients.update_client(
        db, cid, ClientInput(name=card.name, city=city, phones=(PhoneInput(card.phones[0].number),))
    )


def _question(qtbot: QtBot) -> QMessageBox:
    def found() -> QMessageBox | None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        return boxes[0] if boxes else None

    qtbot.waitUntil(lambda: found() is not None)
    box = found()
    assert box is not None
    return box


def _click(box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if text in b.text().replace("&", ""))
    button.click()


def test_journal_filters_show_old_and_new_and_undo_asks_then_undoes(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    settings.set_values(db, {"phone_region": "RU"})
    anna = clients.create_client(
        db, ClientInput(name="Анна", city="Тверь", phones=(PhoneInput("+79120000001"),))
    ).id
    ivan = clients.create_client(
        db, ClientInput(name="Иван", city="Казань", phones=(PhoneInput("+79120000002"),))
    ).id
    _edit(db, anna, "Москва")
    window = JournalWindow(runner, db, bus, client_id=anna)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_loaded)
    cells = [[window.table.item(r, c).text() for c in range(8)] for r in range(window.table.rowCount())]
    assert all(row[4] == "Анна" for row in cells)  # only Anna's card
    edit = next(row for row in cells if row[5] == "City")
    assert (edit[6], edit[7]) == ("Тверь", "Москва")

    window.client.setValue(0)
    window.kind.setCurrentIndex(window.kind.findData("edit"))
    qtbot.waitUntil(lambda: {e.client_id for e in window.entries} >= {anna, ivan})  # all cards
    assert {window.table.item(r, 3).text() for r in range(window.table.rowCount())} == {"Edit"}

    window.select_row(0)
    assert window.undo_button.isEnabled()
    window.undo_button.click()
    _click(_question(qtbot), "Yes, undo")
    qtbot.waitUntil(lambda: "Undone" in window.status.text())
    assert clients.get_client(db, anna).city == "Тверь"


def test_undo_of_a_field_changed_since_asks_in_words(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    settings.set_values(db, {"phone_region": "RU"})
    anna = clients.create_client(
        db, ClientInput(name="Анна", city="Тверь", phones=(PhoneInput("+79120000001"),))
    ).id
    _edit(db, anna, "Москва")
    _edit(db, anna, "Сочи")
    window = JournalWindow(runner, db, bus, client_id=anna)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_loaded)
    first_edit = next(r for r, e in enumerate(window.entries) if e.new == "Москва")
    window.select_row(first_edit)
    window.undo_button.click()
    _click(_question(qtbot), "Yes, undo")
    box = _question(qtbot)
    qtbot.waitUntil(lambda: "has changed since" in box.text())
    assert "City" in box.text() and "Анна" in box.text()
    _click(box, "Undo anyway")
    qtbot.waitUntil(lambda: clients.get_client(db, anna).city == "Тверь")


def test_duplicates_window_lists_groups_and_remembers_not_duplicates(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    settings.set_values(db, {"phone_region": "RU"})
    for name, city, phone in (
        ("Петров Иван", "Москва", "+79120000001"),
        ("Петрав Иван", "Москва", "+79120000002"),
        ("Анна", "Тверь", "+79120000003"),
        ("Анна С.", "Казань", "8 912 000-00-03"),
    ):
        clients.create_client(db, ClientInput(name=name, city=city, phones=(PhoneInput(phone),)))
    window = DuplicatesWindow(runner, db, bus)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_loaded)
    assert window.table.rowCount() == 2
    assert window.table.item(0, 2).text() == "the same phone"  # the surer group first
    assert "similar name in the same city" in window.table.item(1, 2).text()
    assert "Петрав Иван" in window.table.item(1, 1).text()

    window.select_row(1)
    window.findChild(QPushButton, "notDuplicatesButton").click()
    qtbot.waitUntil(lambda: window.table.rowCount() == 1)
    window.rescan()
    qtbot.waitUntil(lambda: window.is_loaded)
    assert window.table.rowCount() == 1

    window.select_row(0)
    dialog = window.merge_selected()
    assert isinstance(dialog, MergeDialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)
    dialog.merge()
    qtbot.waitUntil(lambda: window.is_loaded and window.table.rowCount() == 0)
    assert "No likely duplicates" in window.intro.text()
