"""The funnel board and setting markers by hand from the client list, driven like a user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.models import Client
from custdesk.ui.funnel_board import FunnelBoardDialog
from custdesk.ui.main_window import MainWindow
from custdesk.ui.models.client_table import COLUMN_INDEX
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.gui._data import add_clients


@pytest.fixture
def window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> Iterator[MainWindow]:
    add_clients(db, 50)  # markers in turn: white, green, gold, platinum, gold-red (10 each)
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm={"currency": "USD", "phone_region": "US"})
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.model.total == 50 and not w.model.loading, timeout=5000)
    yield w  # pytest-qt closes it


def open_board(qtbot: QtBot, window: MainWindow) -> FunnelBoardDialog:
    window.show_client_list()
    action = next(a for a in window.view_menu.actions() if a.objectName() == "actFunnelBoard")
    assert action.shortcut().toString() == "Ctrl+Shift+B"
    action.trigger()
    board = window.findChild(FunnelBoardDialog)
    assert board is not None
    qtbot.waitUntil(lambda: board.board_widget.board is not None, timeout=5000)
    return board


def funnels_of(db: Database, ids: list[int]) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(Client.funnel).where(Client.id.in_(ids)).order_by(Client.id)))


def test_board_shows_counts_and_conversions(qtbot: QtBot, window: MainWindow) -> None:
    board = open_board(qtbot, window)
    w = board.board_widget
    assert w.summary.text() == "Funnel of 50 active clients"
    assert {k: b.count_text() for k, b in w.bars.items() if b.count} == {
        "white": "10",
        "green": "10",
        "gold": "10",
        "platinum": "10",
        "gold-red": "10",
    }
    # reached: green 40, yellow 30, gold-green 30, gold 30, platinum 10.
    assert w.conversions["green"].text() == "↓ 80.0% of the clients who reached white also reached green"
    assert w.conversions["yellow"].text().startswith("↓ 75.0%")
    assert w.conversions["gold"].text().startswith("↓ 100.0%")
    assert w.conversions["platinum"].text().startswith("↓ 33.3%")
    assert w.temperature_buttons["hot"].text() == "hot: 17"
    assert w.bars["gold-red"].isVisible() and "no longer interested" in w.bars["gold-red"].toolTip()


def test_click_on_a_bar_filters_the_list(qtbot: QtBot, window: MainWindow) -> None:
    board = open_board(qtbot, window)
    window.search.setText("Client")
    qtbot.mouseClick(board.board_widget.bars["platinum"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.model.loading and window.model.total == 10, timeout=5000)
    assert window.model.query.funnels == frozenset({"platinum"})
    assert window.tabs.currentWidget() is window.table
    assert window.filters.funnel_checks["platinum"].isChecked() and window.filters_dock.isVisible()
    assert window.search.text() == ""
    shown = {window.model.data(window.model.index(r, COLUMN_INDEX["funnel"])) for r in range(10)}
    assert shown == {"Pl"}
    # From the keyboard: Space on the focused bar.
    bar = board.board_widget.bars["gold-red"]
    bar.setFocus()
    QTest.keyClick(bar, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.model.query.funnels == frozenset({"gold-red"}), timeout=5000)
    qtbot.mouseClick(board.board_widget.temperature_buttons["cold"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.query.temperatures == frozenset({"cold"}), timeout=5000)
    assert window.model.query.funnels == frozenset()


def test_board_follows_changes_while_open(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    board = open_board(qtbot, window)
    window.table.selectRow(0)  # Client 0000: white
    window.clients.set_marker("platinum")
    qtbot.waitUntil(lambda: board.board_widget.bars["platinum"].count == 11, timeout=5000)
    assert board.board_widget.bars["white"].count == 9


def test_set_marker_from_the_context_menu_and_by_shortcut(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    window.show_client_list()
    ids = [window.model.client_id(r) for r in (0, 1)]
    assert funnels_of(db, ids) == ["white", "green"]  # type: ignore[arg-type]
    window.table.selectRow(0)
    menu = window.clients.context_menu()
    marker_menu = next(a.menu() for a in menu.actions() if a.menu() is not None)
    titles = [a.text() for a in marker_menu.actions()]
    assert titles[:3] == ["white", "green", "yellow"] and titles[-1] == "platinum-red"
    gold = next(a for a in marker_menu.actions() if a.text() == "gold")
    assert gold.shortcut().toString() == "Ctrl+5"
    gold.trigger()
    qtbot.waitUntil(lambda: funnels_of(db, ids)[0] == "gold", timeout=5000)  # type: ignore[arg-type]
    with db.session() as s:
        reason = s.scalar(select(Client.funnel_reason).where(Client.id == ids[0]))
    assert reason == "manual"

    # Both rows selected, Ctrl+2 on the list: green for both.
    window.table.setFocus()
    window.table.selectRow(0)
    QTest.keyClick(window.table.viewport(), Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(window.table, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: funnels_of(db, ids) == ["green", "green"], timeout=5000)  # type: ignore[arg-type]
    qtbot.waitUntil(
        lambda: window.model.data(window.model.index(0, COLUMN_INDEX["funnel"])) == "G", timeout=5000
    )


@pytest.mark.parametrize("code", ["en", "ru"])
def test_wrapped_conversion_lines_get_their_height(qtbot: QtBot, window: MainWindow, code: str) -> None:
    """A conversion sentence wraps at the board's width; its label is given the height of its lines,
    so its second line never runs under the next row (it did: the grid gave it one line)."""
    from custdesk import i18n

    i18n.set_language(code)
    try:
        board = open_board(qtbot, window)
        convs = list(board.board_widget.conversions.values())
        qtbot.waitUntil(lambda: all(c.text() for c in convs), timeout=5000)
        qtbot.wait(50)
        wrapped = [c for c in convs if c.heightForWidth(c.width()) > c.fontMetrics().lineSpacing() * 1.5]
        assert wrapped, "no conversion line wraps at this width: the test shows nothing"
        for conv in convs:
            assert conv.height() >= conv.heightForWidth(conv.width()), conv.text()
    finally:
        i18n.set_language("en")
