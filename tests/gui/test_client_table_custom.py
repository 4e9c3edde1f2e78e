"""The firm's own fields as list columns: shown after the built-in ones, formatted, sorted by SQL."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from custdesk.core.db import Database
from custdesk.core.dto import ClientInput, PhoneInput
from custdesk.core.services import clients, custom_fields
from custdesk.core.services.client_list import ListQuery
from custdesk.ui.models.client_table import COLUMNS, ClientTableModel
from custdesk.ui.tasks import TaskRunner


def _base(db: Database) -> None:
    custom_fields.create_field(db, "Card", "text", list_column=True)
    custom_fields.create_field(db, "Points", "number", list_column=True)
    custom_fields.create_field(db, "Hidden", "text")
    card, points, _hidden = custom_fields.list_fields(db)
    phone = (PhoneInput("+12025550100"),)
    # Points sort as numbers (9 < 10 < 100), not as text; a client without a value comes last both ways.
    for name, code, score in (("Ann", "0004512", "10"), ("Bob", "0000007", "9"), ("Cid", "12", "100")):
        clients.create_client(
            db, ClientInput(name=name, phones=phone, custom={card.key: code, points.key: score})
        )
    clients.create_client(db, ClientInput(name="Dan", phones=phone))


def _model(qtbot: QtBot, runner: TaskRunner, db: Database) -> ClientTableModel:
    model = ClientTableModel(runner, db, currency="USD", phone_region="US")
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(ListQuery())
    model.reload_custom_fields()
    qtbot.waitUntil(lambda: model.columnCount() == len(COLUMNS) + 2)
    return model


def _column(model: ClientTableModel, header: str) -> list[str]:
    col = next(
        i for i in range(model.columnCount()) if model.headerData(i, Qt.Orientation.Horizontal) == header
    )
    return [str(model.data(model.index(r, col)) or "") for r in range(model.rowCount())]


def _names(model: ClientTableModel) -> list[str]:
    return [str(model.data(model.index(r, 0))) for r in range(model.rowCount())]


def test_own_columns_show_and_sort(qtbot: QtBot, runner: TaskRunner, db: Database) -> None:
    _base(db)
    model = _model(qtbot, runner, db)
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers[-2:] == ["Card", "Points"] and "Hidden" not in headers
    qtbot.waitUntil(lambda: model.client_row(3) is not None)
    assert _column(model, "Card") == ["0004512", "0000007", "12", ""]
    points = len(COLUMNS) + 1
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(points, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.client_row(3) is not None)
    assert _names(model) == ["Bob", "Ann", "Cid", "Dan"]
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(points, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.client_row(3) is not None)
    assert _names(model) == ["Cid", "Ann", "Bob", "Dan"]
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(len(COLUMNS), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.client_row(3) is not None)
    assert _column(model, "Card") == ["0000007", "0004512", "12", ""]


def test_the_model_with_own_columns_passes_the_model_tester(
    qtmodeltester: ModelTester, qtbot: QtBot, runner: TaskRunner, db: Database
) -> None:
    _base(db)
    model = _model(qtbot, runner, db)
    qtmodeltester.check(model)


def test_the_filters_panel_narrows_the_list_by_an_own_field(
    qtbot: QtBot, runner: TaskRunner, db: Database
) -> None:
    from custdesk.ui.widgets.filter_panel import FilterPanel

    _base(db)
    model = _model(qtbot, runner, db)
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.changed.connect(lambda values: model.update_query(**values))
    assert panel.custom_box.isHidden()
    panel.set_custom_fields(custom_fields.list_fields(db))
    assert not panel.custom_box.isHidden()
    assert [panel.custom_field_combo.itemText(i) for i in range(panel.custom_field_combo.count())] == [
        "Card",
        "Points",
        "Hidden",
    ]
    with qtbot.waitSignal(model.loaded, timeout=5000):
        qtbot.keyClicks(panel.custom_value, "0004")  # a text field: the value holds it
    qtbot.waitUntil(lambda: runner.idle and model.rowCount() == 1)
    assert _names(model) == ["Ann"] and panel.active_count() == 1
    panel.custom_field_combo.setCurrentIndex(1)  # a number: equal to what is typed
    panel.custom_value.setText("100")
    qtbot.waitUntil(lambda: runner.idle and model.rowCount() == 1 and _names(model) == ["Cid"])
    panel.clear()
    qtbot.waitUntil(lambda: runner.idle and model.rowCount() == 4)
