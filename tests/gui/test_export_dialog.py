"""File > Export clients… / purchases… from the main window: the list or the selection, to a real file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from custdesk.core.db import Database
from custdesk.core.models import AuditEntry
from custdesk.ui.export_dialog import ExportDialog, open_export_dialog
from custdesk.ui.main_window import MainWindow
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.gui._data import add_clients


@pytest.fixture
def window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> Iterator[MainWindow]:
    add_clients(db, 30)
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm={"currency": "USD", "phone_region": "US"})
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.model.total == 30 and not w.model.loading, timeout=5000)
    yield w
    w.close()


def _set_path(qtbot: QtBot, dialog: ExportDialog, path: Path) -> None:
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(path))


def _export(qtbot: QtBot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)


def test_the_file_menu_has_import_and_export(window: MainWindow) -> None:
    names = {a.objectName() for a in window.file_menu.actions()}
    assert {
        "actImport",
        "actImportReports",
        "actExportClients",
        "actExportPurchases",
        "actExportHistory",
    } <= names


def test_export_the_filtered_list_to_xlsx(
    qtbot: QtBot, window: MainWindow, db: Database, tmp_path: Path
) -> None:
    window.model.update_query(city="Springfield")
    qtbot.waitUntil(lambda: window.model.total == 10 and not window.model.loading, timeout=5000)
    window.findChild(QAction, "actExportClients").trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    assert "(10)" in dialog.scope_list.text() and dialog.scope_list.isChecked()
    assert not dialog.scope_selection.isEnabled()
    _set_path(qtbot, dialog, tmp_path / "springfield.xlsx")
    assert not dialog.delimiter.isEnabled()
    _export(qtbot, dialog)
    sheet = load_workbook(tmp_path / "springfield.xlsx").active
    assert sheet.max_row == 11
    assert {sheet.cell(r, 6).value for r in range(2, 12)} == {"Springfield"}
    assert "Exported 10 rows" in window.statusBar().currentMessage()
    with db.session() as s:
        assert s.scalars(select(AuditEntry.field).where(AuditEntry.action == "export")).all() == ["xlsx"]


def test_export_the_selection_to_csv_with_semicolons(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    selection = window.table.selectionModel()
    for row in (2, 3, 7):
        selection.select(
            window.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    expected = [window.model.client_row(r).external_id for r in (2, 3, 7)]
    dialog = open_export_dialog(window, "clients")
    assert dialog.scope_selection.isEnabled() and dialog.scope_selection.isChecked()
    assert "(3)" in dialog.scope_selection.text()
    _set_path(qtbot, dialog, tmp_path / "chosen.csv")
    assert dialog.delimiter.isEnabled()
    dialog.delimiter.setCurrentIndex(dialog.delimiter.findData(";"))
    _export(qtbot, dialog)
    lines = (tmp_path / "chosen.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("external_id;name;")
    assert [line.split(";")[0] for line in lines[1:]] == expected


def test_a_wrong_file_type_disables_export(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_export_dialog(window, "purchases")
    _set_path(qtbot, dialog, tmp_path / "purchases.vcf")
    assert not dialog.export_button.isEnabled()
    assert ".xlsx" in dialog.error.text()
    _set_path(qtbot, dialog, tmp_path / "purchases.xlsx")
    assert dialog.export_button.isEnabled() and not dialog.error.text()
    dialog.close()
