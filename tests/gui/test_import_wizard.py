"""The import wizard, driven as a user does: a real .xlsx and a real .csv land in the base."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from custdesk.core.db import Database
from custdesk.core.models import AuditEntry, Client, Phone
from custdesk.ui.import_wizard import ImportWizard
from custdesk.ui.tasks import ChangeBus, TaskRunner


def _xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Notes"
    sheet.append(["nothing here"])
    clients = book.create_sheet("Клиенты")
    clients.append(["ФИО", "Телефон", "Почта", "Город"])
    clients.append(["Иван Петров", "+7 912 345-67-89", "ivan@example.ru", "Москва"])
    clients.append(["Anna Virtanen", "+358 40 123 4567", "anna@example.fi", "Helsinki"])
    clients.append(["Broken Phone", "12", "not-an-email", "Springfield"])
    book.save(path)
    return path


def _csv(path: Path) -> Path:
    path.write_text(
        "Name;Phone;Birthday\r\n"
        "John Smith;+1 202 555 0143;31.12.1980\r\n"
        "مریم احمدی;+98 912 123 4567;1992-11-03\r\n",
        encoding="utf-8-sig",
    )
    return path


def _wizard(qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, path: Path) -> ImportWizard:
    wizard = ImportWizard(runner, db, bus)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.page_file
    qtbot.keyClicks(page.path_edit, str(path))
    qtbot.keyClick(page.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(page.isComplete, timeout=10000)
    return wizard


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(Client.id))) or 0)


def _next(qtbot: QtBot, wizard: ImportWizard) -> None:
    page = wizard.currentPage()
    qtbot.waitUntil(page.isComplete, timeout=10000)
    wizard.next()


def test_xlsx_is_mapped_previewed_imported_and_reported(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, runner, db, bus, _xlsx(tmp_path / "old base.xlsx"))
    # The sheet with the client list is picked, and why is shown.
    assert wizard.state.table is not None and wizard.state.table.name == "Клиенты"
    assert "Клиенты" in wizard.page_file.reason.text()
    assert wizard.page_file.sample.rowCount() == 3
    _next(qtbot, wizard)
    assert wizard.page_kind.buttons["clients"].isChecked()
    _next(qtbot, wizard)
    mapping = wizard.page_mapping
    assert mapping.combos["ФИО"].currentData() == "name"
    assert mapping.combos["Телефон"].currentData() == "phone"
    assert mapping.combos["Почта"].currentData() == "email"
    assert mapping.combos["Город"].currentData() == "city"
    assert mapping.table.item(1, 2).text() == "phones"  # the content sniffing shown
    _next(qtbot, wizard)
    wizard.page_options.bad_rows["skip"].setChecked(True)
    _next(qtbot, wizard)
    preview = wizard.page_preview
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=10000)
    assert preview.table.rowCount() == 3
    headers = [preview.table.horizontalHeaderItem(c).text() for c in range(preview.table.columnCount())]
    name_col = headers.index("Full name")
    assert [preview.table.item(r, name_col).text() for r in range(3)][:2] == ["Иван Петров", "Anna Virtanen"]
    assert preview.table.item(2, 0).toolTip()  # the bad row says why
    assert _count(db) == 0  # nothing lands before Import
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.page_report, timeout=20000)
    view = wizard.page_report.view
    assert view.counts["created"].text() == "2"
    assert view.issues.rowCount() >= 1 and view.issues.item(0, 0).text() == "4"
    with db.session() as s:
        names = set(s.scalars(select(Client.name)))
        phones = set(s.scalars(select(Phone.number)))
    assert names == {"Иван Петров", "Anna Virtanen"}
    assert {"+79123456789", "+358401234567"} <= phones
    # The report names the import's journal entry, which the journal can undo.
    entry = wizard.page_report.view.report.journal_entry_id  # type: ignore[union-attr]
    assert entry and f"journal entry {entry}:" in view.summary.text()
    saved = view.save(str(tmp_path / "report.csv"))
    assert "row,column,field,reason,action" in saved.read_text(encoding="utf-8-sig")


def test_csv_with_a_saved_mapping(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, runner, db, bus, _csv(tmp_path / "contacts.csv"))
    assert "semicolon" in wizard.page_file.facts.text()
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    mapping = wizard.page_mapping
    assert mapping.combos["Birthday"].currentData() == "birthday"
    mapping.set_field("Birthday", None)
    mapping.save_mapping(str(tmp_path / "map.json"))
    mapping.suggest()
    assert mapping.combos["Birthday"].currentData() == "birthday"
    mapping.load_mapping(str(tmp_path / "map.json"))
    assert mapping.combos["Birthday"].currentData() == ""
    mapping.set_field("Birthday", "birthday")
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=10000)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.page_report, timeout=20000)
    with db.session() as s:
        born = dict(s.execute(select(Client.name, Client.birthday)).all())
        journal = s.scalars(select(AuditEntry.action).where(AuditEntry.action == "import")).all()
    assert {k: v.isoformat() for k, v in born.items() if v} == {
        "John Smith": "1980-12-31",
        "مریم احمدی": "1992-11-03",
    }
    assert journal


def test_cancel_leaves_the_base_unchanged(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, runner, db, bus, _xlsx(tmp_path / "base.xlsx"))
    for _step in range(4):
        _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=10000)
    gate = threading.Event()
    runner.run(gate.wait, 10)  # the worker is busy: the import waits behind it
    wizard.next()
    run = wizard.page_run
    assert run.running
    qtbot.mouseClick(run.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not run.running, timeout=10000)
    assert "cancelled" in run.label.text() and "as it was" in run.label.text()
    assert wizard.currentPage() is run and not run.isComplete()
    assert _count(db) == 0


@pytest.mark.parametrize("content", [b"\x00\x01\x02 binary garbage \xff\xfe", b""])
def test_a_bad_file_says_why_and_goes_no_further(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    wizard = ImportWizard(runner, db, bus)
    qtbot.addWidget(wizard)
    wizard.page_file.read(str(path))
    qtbot.waitUntil(lambda: "list.xlsx" in wizard.page_file.reason.text(), timeout=10000)
    assert not wizard.page_file.isComplete()


def test_the_preview_counts_the_whole_file_and_offers_the_phones_country(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> None:
    from custdesk.core.services import settings
    from custdesk.core.validation import country_name
    from custdesk.ui.formatting import format_number
    from custdesk.ui.widgets.import_run import PREVIEW_ROWS

    settings.set_values(db, {"phone_region": "US"})
    rows = [
        f"Клиент {k};8 915 {k:03d}-{k % 100:02d}-{k % 90 + 10:02d};Москва" for k in range(PREVIEW_ROWS + 30)
    ]
    path = tmp_path / "ru.csv"
    path.write_bytes(("ФИО;Телефон;Город\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1251"))
    wizard = _wizard(qtbot, runner, db, bus, path)
    for _step in range(3):
        _next(qtbot, wizard)
    assert wizard.page_options.bad_rows["flag"].isChecked()  # nothing entered is lost by default
    _next(qtbot, wizard)
    preview = wizard.page_preview
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=10000)
    total = format_number(PREVIEW_ROWS + 30)
    assert preview.table.rowCount() == PREVIEW_ROWS
    assert preview.counts.text().startswith(f"The whole file: new {total} · flagged for review 0")
    assert not preview.region.isHidden() and preview.region.isChecked()
    assert country_name("RU") in preview.region.text() and "(+7)" in preview.region.text()
    preview.region.setChecked(False)  # read them for the firm's country after all
    qtbot.waitUntil(
        lambda: wizard.state.preview is not None and wizard.state.preview.region == "US", timeout=10000
    )
    assert f"flagged for review {total}" in preview.counts.text() and "left out 0" in preview.counts.text()
    preview.region.setChecked(True)
    qtbot.waitUntil(
        lambda: wizard.state.preview is not None and wizard.state.preview.region == "RU", timeout=10000
    )
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.page_report, timeout=20000)
    with db.session() as s:
        assert int(s.scalar(select(func.count(Phone.id))) or 0) == PREVIEW_ROWS + 30


def test_a_possible_duplicate_says_so_in_the_preview(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> None:
    """Two rows with their own external ids but the same name and city: both land, and the preview says
    of the second what the report will say ("imported: a possible duplicate"), not "a new client"."""
    path = tmp_path / "twins.csv"
    path.write_text(
        "ID,Name,City,Phone\r\n"
        "K-1,Anna Virtanen,Oulu,+358401111111\r\n"
        "K-2,Anna Virtanen,Oulu,+358402222222\r\n",
        encoding="utf-8",
    )
    wizard = _wizard(qtbot, runner, db, bus, path)
    for _step in range(4):
        _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=10000)
    table = wizard.page_preview.table
    shown = [table.item(r, 1).text() for r in range(table.rowCount())]  # type: ignore[union-attr]
    assert shown[0] == "a new client"
    assert shown[1].startswith("imported: a possible duplicate")


def test_extra_columns_are_offered_as_own_fields_renamed_and_skipped(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> None:
    from custdesk.core.services import custom_fields

    book = Workbook()
    sheet = book.active
    sheet.title = "Клиенты"
    sheet.append(["ФИО", "Телефон", "Скидочная карта", "Размер", "Бонусы"])
    sheet.append(["Иван Петров", "+7 912 345-67-89", "0004512", "XL", 120])
    sheet.append(["Анна Смирнова", "+7 912 111-22-33", "0000077", "M", 35])
    book.save(tmp_path / "own.xlsx")
    wizard = _wizard(qtbot, runner, db, bus, tmp_path / "own.xlsx")
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    page = wizard.page_mapping
    card = page.combos["Скидочная карта"]
    assert card.currentText() == "New own field: Скидочная карта (text)"
    assert page.combos["Бонусы"].currentText() == "New own field: Бонусы (number)"
    row = wizard.state.table.headers.index("Скидочная карта")  # type: ignore[union-attr]
    assert page.table.item(row, 4).text() == "no field of CustDesk fits"
    # Rename "Размер" through its dialog, as the user does from the column's list.
    size = page.combos["Размер"]
    size.setCurrentIndex(size.findText("Own field: rename or change its kind…"))
    size.activated.emit(size.currentIndex())
    dialog = page.findChild(QDialog, "importOwnFieldDialog")
    assert dialog is not None and dialog.name_edit.text() == "Размер"
    dialog.name_edit.setText("Размер одежды")
    dialog.accept()
    assert page.combos["Размер"].currentText() == "New own field: Размер одежды (text)"
    # Skip "Бонусы": chosen as not imported.
    bonus = page.combos["Бонусы"]
    bonus.setCurrentIndex(bonus.findData(""))
    bonus.activated.emit(bonus.currentIndex())
    assert "Бонусы" not in wizard.state.mapping.columns  # type: ignore[union-attr]
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=10000)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.page_report, timeout=20000)
    assert {s.label: s.kind for s in custom_fields.list_fields(db)} == {
        "Скидочная карта": "text",
        "Размер одежды": "text",
    }
    ids = sorted(report_id for report_id in wizard.state.report.created_ids)  # type: ignore[union-attr]
    values = custom_fields.named_values(db, ids)
    assert sorted(v["Скидочная карта"] for v in values.values()) == ["0000077", "0004512"]
    assert sorted(v["Размер одежды"] for v in values.values()) == ["M", "XL"]
