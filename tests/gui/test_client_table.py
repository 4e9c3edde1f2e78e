"""The client table model: a correct Qt model, windows fetched by SQL, memory bounded, sorting in SQL."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from custdesk.core.db import Database
from custdesk.core.services.client_list import ListQuery
from custdesk.core.vocab import FUNNEL_BY_KEY
from custdesk.ui.models.client_table import COLUMN_INDEX, ClientIdRole, ClientTableModel, FunnelColourRole
from custdesk.ui.tasks import TaskRunner
from tests.gui._data import add_clients


def _model(qtbot: QtBot, runner: TaskRunner, db: Database, **kwargs: object) -> ClientTableModel:
    model = ClientTableModel(runner, db, currency="USD", phone_region="US", **kwargs)  # type: ignore[arg-type]
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(ListQuery())
    return model


def _text(model: ClientTableModel, row: int, key: str) -> str:
    return str(model.data(model.index(row, COLUMN_INDEX[key])))


def _load_all_visible(qtbot: QtBot, model: ClientTableModel, rows: range) -> None:
    for row in rows:
        model.data(model.index(row, 0))
    qtbot.waitUntil(lambda: all(model.client_row(r) is not None for r in rows), timeout=5000)


def test_qtmodeltester(qtmodeltester: ModelTester, qtbot: QtBot, runner: TaskRunner, db: Database) -> None:
    add_clients(db, 30)
    model = _model(qtbot, runner, db, page_size=10)
    _load_all_visible(qtbot, model, range(30))
    qtmodeltester.check(model, force_py=True)


def test_rows_show_formatted_values(qtbot: QtBot, runner: TaskRunner, db: Database) -> None:
    add_clients(db, 12)
    model = _model(qtbot, runner, db)
    assert model.rowCount() == 12
    assert model.base_total == 12
    assert _text(model, 0, "name") == "Client 0000"
    assert _text(model, 3, "revenue") == "$30.50"
    assert _text(model, 1, "phone") == "(202) 555-0001"
    revenue = model.index(3, COLUMN_INDEX["revenue"])
    assert model.data(revenue, Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    funnel = model.index(2, COLUMN_INDEX["funnel"])
    assert model.data(funnel) == FUNNEL_BY_KEY["gold"].letter == "Go"  # the letters beside the colour
    assert model.data(funnel, FunnelColourRole).name().upper() == FUNNEL_BY_KEY["gold"].colour.upper()
    assert "bought once" in model.data(funnel, Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 0), ClientIdRole) == model.client_id(0)
    # Client 0000 has its next call four days ago: shown in red.
    overdue = model.index(0, COLUMN_INDEX["next_call"])
    assert model.data(overdue, Qt.ItemDataRole.ForegroundRole).name().upper() == "#C62828"


def test_pages_are_fetched_on_demand_and_bounded(qtbot: QtBot, runner: TaskRunner, db: Database) -> None:
    add_clients(db, 250)
    model = _model(qtbot, runner, db, page_size=20, max_pages=3)
    assert model.rowCount() == 250
    assert model.pages_cached == 1  # only the first window
    assert model.data(model.index(200, 0)) is None  # not there yet: asked for
    qtbot.waitUntil(lambda: model.data(model.index(200, 0)) == "Client 0200", timeout=5000)
    for row in (40, 80, 120, 160):
        qtbot.waitUntil(lambda row=row: model.data(model.index(row, 0)) is not None, timeout=5000)
    assert model.pages_cached <= 3


def test_sort_by_header_is_sql(qtbot: QtBot, runner: TaskRunner, db: Database) -> None:
    add_clients(db, 40)
    model = _model(qtbot, runner, db, page_size=10)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(COLUMN_INDEX["revenue"], Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "revenue" and model.query.descending
    assert _text(model, 0, "name") == "Client 0039"
    assert _text(model, 0, "revenue") == "$390.50"


def test_refresh_keeps_rows_and_follows_count(qtbot: QtBot, runner: TaskRunner, db: Database) -> None:
    add_clients(db, 5)
    model = _model(qtbot, runner, db)
    add_clients(db, 3, prefix="Later")
    with qtbot.waitSignal(model.rowsInserted, timeout=5000):
        model.refresh()
    assert model.rowCount() == 8
    assert _text(model, 0, "name") == "Client 0000"


def test_the_order_searches_use_is_readied_after_the_list_shows(
    qtbot: QtBot, runner: TaskRunner, db: Database
) -> None:
    from custdesk.core.services import list_sql, ranked_search

    def by_sql(q: ListQuery) -> list[int]:
        with db.session() as s:
            return list_sql.window_ids(s, q, "sqlite", 0, None)

    add_clients(db, 30)
    model = _model(qtbot, runner, db, page_size=50)
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    kept = ranked_search.of(db)
    assert kept.orders_read == 1  # read on the worker after the list showed, before anything was typed
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.update_query(search="Client 002")
    shown = [model.client_id(r) for r in range(model.rowCount())]
    assert 10 <= len(shown) < 30 and shown == by_sql(model.query)
    assert _text(model, 0, "name") == "Client 0002"
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert kept.orders_read == 1  # the keystroke found it ready
    add_clients(db, 1, prefix="Aaa Client 002")  # found, and first in the list
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.refresh()
    assert model.rowCount() == len(shown) + 1  # the change was seen: the order was read again
    assert _text(model, 0, "name") == "Aaa Client 002 0000"
    assert kept.orders_read == 2
