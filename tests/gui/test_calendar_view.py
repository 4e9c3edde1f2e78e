"""The Calendar tab: a day and its week listed, days with entries bold, and a call dropped on another day
of the month moved there, the minimum gap asking first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, InteractionInput, PhoneInput
from custdesk.core.services import clients, history, reminders, settings
from custdesk.ui.calendar.calendar_view import CalendarView
from custdesk.ui.formatting import to_qdate
from custdesk.ui.tasks import ChangeBus, TaskRunner

TODAY = date.today()


@pytest.fixture
def view(qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus) -> Iterator[CalendarView]:
    v = CalendarView(runner, db, bus)
    qtbot.addWidget(v)
    v.resize(1100, 600)
    v.show()
    yield v


def _answer(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    def attempt() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)


def test_a_call_dropped_on_another_day_moves_and_the_gap_asks(
    qtbot: QtBot, runner: TaskRunner, db: Database, view: CalendarView
) -> None:
    settings.set_values(db, {"phone_region": "FI", "min_contact_gap_days": 3})
    cid = clients.create_client(db, ClientInput(name="Aino", phones=(PhoneInput("040 123 4567"),))).id
    history.add_interaction(db, cid, InteractionInput(occurred_at=datetime.now(), outcome="reached"))
    reminders.add_reminder(db, cid, "custom", TODAY, "send the price list", at=time(15, 30))
    call_day = clients.get_client(db, cid).next_call_on
    assert call_day is not None
    view.month.setSelectedDate(to_qdate(call_day))
    view.reload()
    qtbot.waitUntil(lambda: runner.idle and bool(view.entries), timeout=5000)
    assert view.month.dateTextFormat(to_qdate(call_day)).fontWeight() == QFont.Weight.Bold
    assert view.tree.topLevelItem(0).text(2) == "Aino" and view.tree.topLevelItem(0).text(1) == "call"

    # The week of today lists the reminder with its time.
    view.month.setSelectedDate(to_qdate(TODAY))
    view.mode.setCurrentIndex(view.mode.findData("week"))
    texts = [
        view.tree.topLevelItem(i).child(j).text(3)
        for i in range(view.tree.topLevelItemCount())
        for j in range(view.tree.topLevelItem(i).childCount())
    ]
    assert "send the price list" in texts

    target = TODAY + timedelta(days=1)
    view.month.setSelectedDate(to_qdate(target))  # the page that shows tomorrow
    point = view.cell_of(target)
    assert point is not None and view.date_at(point) == target
    seen: list[str] = []
    _answer(QMessageBox.StandardButton.No, seen)
    view.drop_call(cid, view.date_at(point) or target)
    qtbot.waitUntil(lambda: bool(seen) and runner.idle, timeout=5000)
    assert "less than 3 days ago" in seen[0]
    assert clients.get_client(db, cid).next_call_on == call_day  # "No": nothing moved
    _answer(QMessageBox.StandardButton.Yes, seen)
    view.drop_call(cid, target)
    qtbot.waitUntil(lambda: clients.get_client(db, cid).next_call_on == target, timeout=5000)
    qtbot.waitUntil(lambda: runner.idle and any(e.day == target and e.kind == "call" for e in view.entries))


def test_the_persian_calendar_maps_its_cells_and_loads_its_month(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    from custdesk import i18n

    i18n.set_language("fa")
    try:
        settings.set_values(db, {"phone_region": "IR"})
        cid = clients.create_client(db, ClientInput(name="مهدی", phones=(PhoneInput("0912 345 6789"),))).id
        reminders.add_reminder(db, cid, "custom", TODAY, "فهرست قیمت", at=time(9, 0))
        v = CalendarView(runner, db, bus)
        qtbot.addWidget(v)
        v.resize(1100, 600)
        v.show()
        v.reload()
        qtbot.waitUntil(lambda: runner.idle and any(e.text == "فهرست قیمت" for e in v.entries), timeout=5000)
        first, last = v.span()
        assert first <= TODAY <= last
        point = v.cell_of(TODAY)
        assert point is not None and v.date_at(point) == TODAY
    finally:
        i18n.set_language("en")
