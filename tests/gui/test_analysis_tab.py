"""The Analysis tab driven like a user: compute, click a matrix cell, type a plan, store classes, export."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QDate, QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from custdesk.analysis.plan import get_plan
from custdesk.core.db import Database
from custdesk.core.models import AuditEntry, Client, Setting
from custdesk.ui.analysis_tab import AnalysisTab
from custdesk.ui.main_window import MainWindow
from custdesk.ui.models.client_table import COLUMN_INDEX
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.unit.analysis._sales import add_purchases, make_clients


@pytest.fixture
def ids(db: Database) -> list[int]:
    """Five clients: 0 steady and big (AX), 1 once (BZ), 2 once and small (CZ), 3 and 4 no purchase (D)."""
    made = make_clients(db, 5)
    add_purchases(
        db,
        made,
        [
            (0, "2024-01-10", "400.00"),
            (0, "2024-02-10", "400.00"),
            (1, "2024-01-20", "150.00"),
            (2, "2024-02-10", "50.00"),
            (3, "2023-06-01", "70.00"),  # before the window: D, and lapsed
        ],
    )
    return made


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


def computed_tab(qtbot: QtBot, window: MainWindow) -> AnalysisTab:
    """Open the tab (it computes the last year), then compute January–February 2024."""
    tab = window.analysis_tab  # type: ignore[attr-defined]
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "Analysis"
    with qtbot.waitSignal(tab.computed, timeout=10000):
        window.show_tab(tab)
    tab.preset.setCurrentIndex(tab.preset.findData("custom"))
    tab.date_from.setDate(QDate(2024, 1, 1))
    tab.date_to.setDate(QDate(2024, 2, 29))
    with qtbot.waitSignal(tab.computed, timeout=10000):
        qtbot.mouseClick(tab.compute_button, Qt.MouseButton.LeftButton)
    return tab


def click_chart(qtbot: QtBot, tab: AnalysisTab, key: str, target: tuple[object, ...]) -> None:
    chart = tab.pages.pages[key].chart
    artist = next(a for a, t in chart.drawn.targets.items() if t == target)
    x, y = chart.widget_point_of(artist)
    qtbot.mouseClick(chart.canvas, Qt.MouseButton.LeftButton, pos=QPoint(x, y))


def shown_names(window: MainWindow) -> list[str]:
    return [window.model.data(window.model.index(r, COLUMN_INDEX["name"])) for r in range(window.model.total)]


def test_matrix_counts_and_a_click_opens_those_clients(
    qtbot: QtBot, window: MainWindow, ids: list[int]
) -> None:
    tab = computed_tab(qtbot, window)
    tab.show_view("matrix")
    chart = tab.pages.pages["matrix"].chart
    qtbot.waitUntil(lambda: chart.drawn is not None and ("cell", "A", "X") in chart.drawn.targets.values())
    shown = [t.get_text() for t in chart.figure.axes[0].texts]
    for expected in ("AX", "BZ", "CZ", "$800.00 · 80%", "$150.00 · 15%", "2 clients"):
        assert expected in shown
    assert "1,000.00" in tab.status.text() and "3 of 5 clients bought" in tab.status.text()
    abc = tab.pages.abc_table
    assert [abc.item(r, 1).text() for r in range(4)] == ["1", "1", "1", "2"]

    click_chart(qtbot, tab, "matrix", ("cell", "A", "X"))
    qtbot.waitUntil(
        lambda: window.model.query.only_ids is not None and not window.model.loading, timeout=5000
    )
    assert window.tabs.currentWidget() is window.table
    assert shown_names(window) == ["Client 1"]
    chip = window.filters.analysis.chip
    assert chip.isVisible() and chip.label.text() == "Analysis: AX — 1 client"

    window.show_tab(tab)
    click_chart(qtbot, tab, "matrix", ("abc", "D"))
    qtbot.waitUntil(lambda: window.model.total == 2 and not window.model.loading, timeout=5000)
    assert shown_names(window) == ["Client 4", "Client 5"]
    assert chip.label.text() == "Analysis: class D — 2 clients"
    qtbot.mouseClick(chip.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.total == 5 and not window.model.loading, timeout=5000)
    assert not chip.isVisible() and window.model.query.only_ids is None


def test_rows_and_bars_open_their_clients(qtbot: QtBot, window: MainWindow) -> None:
    tab = computed_tab(qtbot, window)
    tab.show_view("abc")
    qtbot.mouseClick(
        tab.pages.abc_table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=tab.pages.abc_table.visualItemRect(tab.pages.abc_table.item(2, 0)).center(),
    )
    qtbot.waitUntil(lambda: window.model.query.only_label == "Analysis: class C — 1 client", timeout=5000)
    qtbot.waitUntil(lambda: not window.model.loading and shown_names(window) == ["Client 3"], timeout=5000)
    window.show_tab(tab)
    tab.show_view("growth")
    click_chart(qtbot, tab, "growth", ("lapsed", date(2024, 1, 1), date(2024, 1, 31)))
    qtbot.waitUntil(
        lambda: "lapsed" in window.model.query.only_label and not window.model.loading, timeout=5000
    )
    assert sorted(shown_names(window)) == ["Client 4"]  # bought in 2023, not in January 2024


def test_plan_typed_in_the_tab_is_saved_and_fulfilment_shown(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    tab = computed_tab(qtbot, window)
    tab.show_view("plan")
    table = tab.pages.plan_page.plan_table
    qtbot.waitUntil(lambda: table.row_of(date(2024, 1, 1)) is not None, timeout=5000)
    row = table.row_of(date(2024, 1, 1))
    assert row is not None and table.item(row, 2).text() == "$550.00"
    table.setCurrentCell(row, 1)
    table.editItem(table.item(row, 1))
    editor = table.viewport().findChild(QLineEdit)
    assert isinstance(editor, QLineEdit) and editor.text() == ""
    QTest.keyClicks(editor, "1000")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: get_plan(db, date(2024, 1, 5)) == Decimal("1000.00"), timeout=5000)
    qtbot.waitUntil(lambda: table.item(table.row_of(date(2024, 1, 1)), 3).text() == "55.0%", timeout=5000)
    assert tab.report.plan[0].fulfilment == Decimal("55.00")
    chart = tab.pages.pages["plan"].chart
    qtbot.waitUntil(lambda: "55%" in [t.get_text() for t in chart.figure.axes[1].texts], timeout=5000)
    with db.session() as s:
        assert s.scalar(select(AuditEntry.entity).where(AuditEntry.entity == "sales_plan")) == "sales_plan"


def _plan_cell(qtbot: QtBot, window: MainWindow, month: date) -> tuple[Any, list[str]]:
    """The plan table's amount cell of ``month`` on the computed tab, and the amounts it refuses."""
    table = computed_tab(qtbot, window).pages.plan_page.plan_table
    qtbot.waitUntil(lambda: table.row_of(month) is not None, timeout=5000)
    refused: list[str] = []
    table.bad_amount.disconnect()
    table.bad_amount.connect(refused.append)
    return table.item(table.row_of(month), 1), refused


def test_bad_plan_amount_is_refused_and_nothing_saved(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    cell, refused = _plan_cell(qtbot, window, date(2024, 2, 1))
    cell.setText("lots")
    assert refused == ["lots"] and get_plan(db, date(2024, 2, 1)) is None


@pytest.mark.parametrize("typed", ["$1,200.50", "1 200.50 $", "\u2066$1,200.50\u2069", "1200.5"])
def test_a_plan_cell_edited_in_place_keeps_its_currency_sign(
    qtbot: QtBot, window: MainWindow, db: Database, typed: str
) -> None:
    """Editing the shown "$1,000.00" into "$1,200.50" saves 1,200.50 (the sign and marks are left out)."""
    cell, refused = _plan_cell(qtbot, window, date(2024, 3, 1))
    cell.setText(typed)
    qtbot.waitUntil(lambda: get_plan(db, date(2024, 3, 1)) == Decimal("1200.50"), timeout=5000)
    assert refused == []


def test_store_classes_fills_the_list_columns_and_filters(
    qtbot: QtBot, window: MainWindow, db: Database, ids: list[int]
) -> None:
    tab = computed_tab(qtbot, window)
    header = window.table.horizontalHeader()
    assert header.isSectionHidden(COLUMN_INDEX["abc"])  # nothing stored yet: the columns would be empty
    qtbot.mouseClick(tab.store_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Classes stored on 5 clients" in tab.status.text(), timeout=5000)
    assert not any(header.isSectionHidden(COLUMN_INDEX[k]) for k in ("abc", "xyz", "segment"))
    with db.session() as s:
        assert s.scalar(select(Client.abc_class).where(Client.id == ids[0])) == "A"
    window.show_client_list()
    column = COLUMN_INDEX["abc"]
    qtbot.waitUntil(
        lambda: (
            [window.model.data(window.model.index(r, column)) for r in range(5)] == ["A", "B", "C", "D", "D"]
        ),
        timeout=5000,
    )
    assert window.model.data(window.model.index(0, COLUMN_INDEX["xyz"])) == "X"
    window.filters.analysis.abc_checks["D"].setChecked(True)
    qtbot.waitUntil(lambda: window.model.total == 2 and not window.model.loading, timeout=5000)
    assert shown_names(window) == ["Client 4", "Client 5"]


def test_thresholds_are_shown_and_saved_as_firm_settings(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    tab = computed_tab(qtbot, window)
    assert "X if the coefficient of variation is up to 10.0%" in tab.pages.xyz_note.text()
    assert "yearly data" in tab.pages.xyz_note.text()
    tab.xyz_x.setValue(50.0)
    tab.xyz_y.setValue(100.0)
    tab.bucket.setCurrentIndex(tab.bucket.findData("quarter"))
    qtbot.mouseClick(tab.save_thresholds_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Thresholds saved" in tab.status.text(), timeout=5000)
    with db.session() as s:
        stored = {r.key: r.value for r in s.scalars(select(Setting))}
    assert stored["xyz_thresholds"] == "[0.5, 1.0]" and stored["xyz_bucket"] == '"quarter"'


def test_export_xlsx_reads_back(qtbot: QtBot, window: MainWindow, db: Database, tmp_path: Path) -> None:
    tab = computed_tab(qtbot, window)
    path = tmp_path / "analysis.xlsx"
    with qtbot.waitSignal(tab.exported, timeout=10000):
        tab.export_to(str(path))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Summary", "ABC", "XYZ", "ABC × XYZ", "RFM", "Clients",
        "Dynamics", "Plan", "Growth", "Funnel", "Geography",
    ]  # fmt: skip
    abc = book["ABC"]
    assert abc.freeze_panes == "A2" and abc["A1"].font.bold
    assert [[c.value for c in row] for row in abc.iter_rows(min_row=2, max_col=4)] == [
        ["A", 1, 0.2, 800],
        ["B", 1, 0.2, 150],
        ["C", 1, 0.2, 50],
        ["D", 2, 0.4, 0],
    ]
    assert abc["D2"].number_format == "#,##0.00" and abc["C2"].number_format == "0.0%"
    matrix = book["ABC × XYZ"]
    assert [c.value for c in matrix[2]] == ["A", 1, 800, 0, 0, 0, 0]
    assert [c.value for c in matrix[5]][:3] == ["D", 2, 0]
    clients = book["Clients"]
    assert clients.max_row == 6 and [c.value for c in clients[2]][2:5] == ["Client 1", "A", "X"]
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.entity == "analysis" and entry.field == "xlsx" and "analysis.xlsx" in entry.new


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
def test_export_pdf_has_tables_and_charts(
    qtbot: QtBot, window: MainWindow, db: Database, tmp_path: Path
) -> None:
    tab = computed_tab(qtbot, window)
    path = tmp_path / "analysis.pdf"
    # Eleven charts drawn on the worker, which checks its every call in the tests (worker_guard): a
    # loaded two-core machine needed over 20 s once.
    with qtbot.waitSignal(tab.exported, timeout=90000):
        tab.export_to(str(path))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == tab.last_pdf_pages and pages >= 7  # the tables, then two charts a page (11 charts)
    text = unicodedata.normalize(
        "NFKC",
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout,
    )
    for expected in ("Client analysis", "ABC × XYZ", "RFM segments", "Plan vs actual", "Page 1 of"):
        assert expected in text
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.splitlines()) - 2 == 11
    with db.session() as s:
        assert s.scalar(select(AuditEntry.field).where(AuditEntry.action == "export")) == "pdf"


def test_building_the_main_window_does_not_import_matplotlib(empty_base_file: Path, tmp_path: Path) -> None:
    code = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["CUSTDESK_DATA_DIR"] = {str(tmp_path / "data")!r}
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from custdesk.core.db import open_base
from custdesk.ui.main_window import MainWindow
from custdesk.ui.tasks import ChangeBus, TaskRunner
db = open_base({str(empty_base_file)!r}, auto_backup=False)
runner = TaskRunner()
w = MainWindow(runner, db, ChangeBus(), QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat))
w.show(); app.processEvents()
assert w.analysis_tab is not None
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib")))
runner.shutdown(); db.close()
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
