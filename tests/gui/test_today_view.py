"""The Today tab driven like a user: row buttons and keys log calls, snooze and open cards; the base
changes as it should; the tab title, the midnight reload and the notification banner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.models import Client, Interaction, Phone
from custdesk.ui.dialogs.client_card import ClientCardDialog
from custdesk.ui.main_window import MainWindow
from custdesk.ui.tasks import ChangeBus, TaskRunner
from custdesk.ui.today_view import COL, TodayView, show_at_start

TODAY = date.today()
T = datetime(2024, 1, 1, 9, 0)


def add(db: Database, name: str, **values: object) -> int:
    with db.session() as s:
        values.setdefault("temperature", "warm")
        c = Client(external_id=f"X-{name}", name=name, created_at=T, updated_at=T, **values)
        c.phones.append(Phone(number="+12025550123", is_primary=True))
        s.add(c)
        s.flush()
        return c.id


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    return {
        "late": add(db, "Late Larry", next_call_on=TODAY - timedelta(days=3)),
        "due": add(db, "Due Dora", next_call_on=TODAY, temperature="hot"),
        "recent": add(
            db, "Recent Rita", next_call_on=TODAY, last_contact_at=datetime.now() - timedelta(days=1)
        ),
        "bday": add(db, "Birthday Bea", next_call_on=TODAY + timedelta(days=20), birthday=date(1990, 1, 1)),
        "contract": add(db, "Contract Carl", next_call_on=None, contract_end=TODAY + timedelta(days=5)),
    }


@pytest.fixture
def view(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, ids: dict[str, int]
) -> Iterator[TodayView]:
    with db.session() as s:  # a birthday in three days, whatever today is
        bea = s.get(Client, ids["bday"])
        assert bea is not None
        soon = TODAY + timedelta(days=3)
        bea.birthday = date(1990, soon.month, min(soon.day, 28))
    v = TodayView(runner, db, bus)
    qtbot.addWidget(v)
    v.resize(1100, 600)
    v.show()
    with qtbot.waitSignal(v.loaded, timeout=5000):
        v.reload("start")
    yield v


def names(v: TodayView, reason: str) -> list[str]:
    return [item.text(COL["client"]) for item in v.items(reason)]


def click_button(qtbot: QtBot, v: TodayView, reason: str, row: int, key: str) -> None:
    item = v.items(reason)[row]
    index = v.tree.indexFromItem(item, COL["actions"])
    v.tree.scrollTo(index)
    rect = v.buttons_delegate.rect_of(index, key)
    assert rect is not None, f"no {key} button on the row"
    qtbot.mouseClick(v.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def stored_calls(db: Database, client_id: int) -> list[tuple[str, str, str]]:
    with db.session() as s:
        rows = s.scalars(select(Interaction).where(Interaction.client_id == client_id)).all()
        return [(r.kind, r.outcome, r.text) for r in rows]


def next_call(db: Database, client_id: int) -> date | None:
    with db.session() as s:
        c = s.get(Client, client_id)
        assert c is not None
        return c.next_call_on


def test_sections_and_title(view: TodayView) -> None:
    assert names(view, "overdue") == ["Late Larry"]
    assert names(view, "today") == ["Due Dora", "Recent Rita"]  # hot first
    assert names(view, "birthday") == ["Birthday Bea"]
    assert names(view, "prolongation") == ["Contract Carl"]
    assert view.title() == "Today (5)"
    assert view.sections["overdue"].text(0) == "Overdue call — 1"
    assert view.sections["today"].text(0) == "Calls today — 2"
    larry = view.items("overdue")[0]
    assert larry.text(COL["when"]).endswith("3 days overdue") and larry.text(COL["phone"]) == "(202) 555-0123"
    assert view.items("prolongation")[0].text(COL["when"]).endswith("in 5 days")
    assert "turns" in view.items("birthday")[0].text(COL["when"])
    # Birthdays and contracts cannot be snoozed (the next call is not what they are about).
    assert (
        view.buttons_delegate.rect_of(
            view.tree.indexFromItem(view.items("birthday")[0], COL["actions"]), "snooze"
        )
        is None
    )


def test_called_logs_the_call_and_reschedules(
    qtbot: QtBot, view: TodayView, db: Database, ids: dict[str, int]
) -> None:
    click_button(qtbot, view, "overdue", 0, "called")
    dialog = view.call_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("interested"))
    qtbot.keyClicks(dialog.note, "Wants the catalogue")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    assert stored_calls(db, ids["late"]) == [("call", "interested", "Wants the catalogue")]
    assert next_call(db, ids["late"]) == TODAY + timedelta(days=14)  # warm cycle
    assert names(view, "overdue") == []
    assert view.title() == "Today (4)"
    assert "Late Larry" in view.message.text() and "next call" in view.message.text()


def test_called_too_soon_asks_first(qtbot: QtBot, view: TodayView, db: Database, ids: dict[str, int]) -> None:
    view.select_client(ids["recent"], "today")
    view.tree.setFocus()
    QTest.keyClick(view.tree, Qt.Key.Key_C)
    dialog = view.call_dialog
    assert dialog is not None
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("reached"))
    qtbot.waitUntil(dialog.outcome.hasFocus, timeout=5000)  # the outcome list has the focus
    QTest.keyClick(dialog.outcome, Qt.Key.Key_Return)  # Enter logs the call
    qtbot.waitUntil(lambda: view.too_soon_box is not None and view.too_soon_box.isVisible(), timeout=5000)
    box = view.too_soon_box
    assert box is not None and "Recent Rita" in box.text() and "2 days" in box.text()
    assert stored_calls(db, ids["recent"]) == []  # nothing stored before the answer
    with qtbot.waitSignal(view.loaded, timeout=5000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert stored_calls(db, ids["recent"]) == [("call", "reached", "")]
    assert next_call(db, ids["recent"]) == TODAY + timedelta(days=14)


def test_too_soon_answered_no_stores_nothing(
    qtbot: QtBot, view: TodayView, db: Database, ids: dict[str, int]
) -> None:
    click_button(qtbot, view, "today", 1, "called")
    assert view.call_dialog is not None
    view.call_dialog.accept()
    qtbot.waitUntil(lambda: view.too_soon_box is not None and view.too_soon_box.isVisible(), timeout=5000)
    view.too_soon_box.button(QMessageBox.StandardButton.No).click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: view.runner.idle, timeout=5000)
    assert stored_calls(db, ids["recent"]) == []
    assert next_call(db, ids["recent"]) == TODAY


def test_snooze_by_key_to_tomorrow(qtbot: QtBot, view: TodayView, db: Database, ids: dict[str, int]) -> None:
    view.select_client(ids["due"], "today")
    view.tree.setFocus()
    QTest.keyClick(view.tree, Qt.Key.Key_S)
    dialog = view.snooze_dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(dialog.tomorrow_button, Qt.MouseButton.LeftButton)
    assert next_call(db, ids["due"]) == TODAY + timedelta(days=1)
    assert names(view, "today") == ["Recent Rita"]
    assert stored_calls(db, ids["due"]) == []  # a snooze is not a contact


def test_snooze_button_to_a_chosen_day(
    qtbot: QtBot, view: TodayView, db: Database, ids: dict[str, int]
) -> None:
    click_button(qtbot, view, "overdue", 0, "snooze")
    dialog = view.snooze_dialog
    assert dialog is not None
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(9))  # tomorrow + 9
    with qtbot.waitSignal(view.loaded, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert next_call(db, ids["late"]) == TODAY + timedelta(days=10)


def test_open_card_by_button_and_by_enter(qtbot: QtBot, view: TodayView, ids: dict[str, int]) -> None:
    def cards() -> list[ClientCardDialog]:
        return [
            w for w in QApplication.topLevelWidgets() if isinstance(w, ClientCardDialog) and w.isVisible()
        ]

    click_button(qtbot, view, "prolongation", 0, "open")
    qtbot.waitUntil(lambda: any(c.client_id == ids["contract"] for c in cards()), timeout=5000)
    view.select_client(ids["late"], "overdue")
    view.tree.setFocus()
    QTest.keyClick(view.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(c.client_id == ids["late"] for c in cards()), timeout=5000)
    for card in cards():
        qtbot.waitUntil(lambda: view.runner.idle, timeout=5000)
        card.close()


def _shown_window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> MainWindow:
    state = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, db, bus, state, firm={"currency": "USD", "phone_region": "US"})
    qtbot.addWidget(window)
    window.show()
    return window


def test_midnight_reload_and_notice(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, ids: dict[str, int], tmp_path: Path
) -> None:
    window = _shown_window(qtbot, runner, db, bus, tmp_path)
    v: TodayView = window.today_view  # type: ignore[attr-defined]
    notifier = window.today_notifier  # type: ignore[attr-defined]
    notifier.use_tray = False  # the offscreen platform has no tray; the banner is what we check
    qtbot.waitUntil(lambda: v.lists is not None, timeout=5000)
    assert window.tabs.currentWidget() is window.table
    show_at_start(window)
    assert window.tabs.currentWidget() is v
    assert window.tabs.tabText(window.tabs.indexOf(v)) == "Today (4)"
    qtbot.waitUntil(lambda: notifier.banner is not None and notifier.banner.isVisible(), timeout=5000)
    assert notifier.banner.label.text() == "3 calls to make today, 1 of them overdue."
    notifier.banner.close_button.click()
    assert not notifier.banner.isVisible()
    assert v.midnight_timer.isActive()

    # The next morning: Birthday Bea's call is not due yet, Carl's contract one day nearer.
    v.clock = lambda: datetime.combine(TODAY + timedelta(days=20), datetime.min.time())
    with qtbot.waitSignal(notifier.notified, timeout=5000) as blocker:
        v.midnight_timer.timeout.emit()
    assert blocker.args == ["4 calls to make today, 3 of them overdue."]
    assert notifier.banner.isVisible()
    window.show_client_list()
    qtbot.mouseClick(notifier.banner.show_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is v and not notifier.banner.isVisible()


def test_the_first_notice_leaves_the_list_shown_and_focused(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, ids: dict[str, int], tmp_path: Path
) -> None:
    """The bar appears above the tabs without hiding them for a moment (which took the list's focus)."""
    window = _shown_window(qtbot, runner, db, bus, tmp_path)
    notifier = window.today_notifier  # type: ignore[attr-defined]
    assert notifier.banner is None or not notifier.banner.isVisible()  # nothing said yet
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    notifier.notify("3 calls to make today.")
    assert notifier.banner.isVisible()
    assert window.table.isVisible() and window.table.hasFocus()
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)


def test_firm_settings_edit_cycles_gap_and_budget(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    from custdesk.core.services import settings
    from custdesk.ui.dialogs.firm_settings import FirmSettingsDialog

    dialog = FirmSettingsDialog(runner, db, bus)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=5000)
    assert dialog.call_budget.value() == 10
    dialog.days["call_cycle_hot_days"].setValue(5)
    dialog.days["min_contact_gap_days"].setValue(3)
    dialog.call_budget.setValue(15)
    with qtbot.waitSignal(bus.changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    stored = settings.get_all(db)
    assert (stored["call_cycle_hot_days"], stored["min_contact_gap_days"], stored["call_budget_minutes"]) == (
        5,
        3,
        15,
    )
