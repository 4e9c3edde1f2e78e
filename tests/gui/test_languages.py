"""The interface in Russian, Finnish and Persian: translated widgets, Qt's own dialogs, right to left, Jalali.

Each test switches the language (as start-up does) and builds its windows afresh; the fixture puts
English, left to right and the Gregorian calendar back.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import date, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from custdesk import i18n
from custdesk.core.db import Database, open_base
from custdesk.ui import formatting, language
from custdesk.ui.dialogs import client_card
from custdesk.ui.dialogs.client_card import ClientCardDialog
from custdesk.ui.dialogs.preferences import PreferencesDialog
from custdesk.ui.main_window import MainWindow
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.gui._data import add_clients


@pytest.fixture(autouse=True)
def _back_to_english(qapp: QApplication) -> Iterator[None]:
    yield
    i18n.set_language("en")
    i18n.set_jalali(None)
    language.install_qt_translations(qapp)
    language.apply_layout_direction(qapp)


@pytest.fixture
def state(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)


def switch(qapp: QApplication, code: str) -> None:
    """What start-up does for a language: gettext, Qt's translations, the layout direction."""
    i18n.set_language(code)
    language.install_qt_translations(qapp)
    language.apply_layout_direction(qapp)


def build_window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, state: QSettings
) -> MainWindow:
    w = MainWindow(runner, db, bus, state, firm={"currency": "EUR", "phone_region": "FI"})
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.model.loading and w.model.total == 3, timeout=5000)
    return w


def menu_titles(w: MainWindow) -> list[str]:
    return [a.text() for a in w.menuBar().actions()]


def tab_titles(w: MainWindow) -> list[str]:
    return [w.tabs.tabText(i) for i in range(w.tabs.count())]


@pytest.mark.parametrize(
    ("code", "file_menu", "clients_tab", "name_header", "today", "count"),
    [
        ("ru", "&Файл", "Клиенты", "Имя", "Сегодня", "3 из 3 клиентов"),
        ("fi", "&Tiedosto", "Asiakkaat", "Nimi", "Tänään", "3/3 asiakasta"),
        ("fa", "&فایل", "مشتریان", "نام", "امروز", "۳ از ۳ مشتری"),
    ],
)
def test_main_window_speaks_the_language(
    qtbot: QtBot,
    qapp: QApplication,
    runner: TaskRunner,
    db: Database,
    bus: ChangeBus,
    state: QSettings,
    code: str,
    file_menu: str,
    clients_tab: str,
    name_header: str,
    today: str,
    count: str,
) -> None:
    add_clients(db, 3)
    switch(qapp, code)
    w = build_window(qtbot, runner, db, bus, state)
    try:
        assert menu_titles(w)[0] == file_menu
        assert "&File" not in menu_titles(w)
        assert tab_titles(w)[0] == clients_tab
        assert any(t.startswith(today) for t in tab_titles(w)), tab_titles(w)  # the Today tab
        assert w.model.headerData(0, Qt.Orientation.Horizontal) == name_header
        assert w.count_label.text() == count
        texts = [a.text() for a in w.file_menu.actions()]
        assert i18n._("&Preferences…") in texts and "&Preferences…" not in texts
        direction = Qt.LayoutDirection.RightToLeft if code == "fa" else Qt.LayoutDirection.LeftToRight
        assert QApplication.layoutDirection() == direction
        assert w.layoutDirection() == direction and w.table.layoutDirection() == direction
    finally:
        w.close()


def test_client_card_tabs_in_russian_and_persian(
    qtbot: QtBot, qapp: QApplication, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    (cid,) = add_clients(db, 1)
    seen = {}
    for code in ("ru", "fa"):
        switch(qapp, code)
        dialog = ClientCardDialog(runner, db, bus, cid)
        dialog.show()
        qtbot.waitUntil(lambda d=dialog: d.is_loaded, timeout=5000)
        qtbot.waitUntil(lambda: runner.idle, timeout=5000)
        seen[code] = ([dialog.tabs.tabText(i) for i in range(dialog.tabs.count())], dialog.isRightToLeft())
        dialog._closing_ok = True
        dialog.close()
    for d in list(client_card._open_cards.values()):
        if shiboken6.isValid(d):
            d._closing_ok = True
            d.close()
    client_card._open_cards.clear()
    assert seen["ru"] == (["&Общие", "Осо&бые", "&История", "&Покупки", "&Напоминания"], False)
    assert seen["fa"] == (["&عمومی", "&ویژه", "&سوابق", "&خریدها", "&یادآوری‌ها"], True)


@pytest.mark.parametrize(("code", "cancel"), [("ru", "Отмена"), ("fi", "Peru"), ("fa", "انصراف")])
def test_qt_standard_buttons_use_qts_own_translations(qapp: QApplication, code: str, cancel: str) -> None:
    switch(qapp, code)
    assert language.install_qt_translations(qapp), "PySide6 ships qtbase_<lang>.qm"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == cancel
    switch(qapp, "en")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Cancel"


def test_jalali_dates_through_qcalendar_agree_with_the_cli() -> None:
    i18n.set_language("fa")  # Jalali is the default for Persian
    assert formatting.format_date(date(2026, 3, 21)) == "۱۴۰۵/۱/۱"
    day = date(2024, 1, 1)
    while day < date(2030, 1, 1):  # every date of six years: Qt's QCalendar and the pure-Python rule
        parts = formatting.calendar().partsFromDate(QDate(day.year, day.month, day.day))
        assert (parts.year, parts.month, parts.day) == i18n.gregorian_to_jalali(day), day
        day += timedelta(days=1)
    for code, expected in (("fa", "۱۴۰۵/۹/۱"), ("ru", "01.09.1405"), ("en", "9/1/1405")):
        i18n.set_language(code)
        i18n.set_jalali(True)
        assert formatting.format_date(date(2026, 11, 22)) == expected
        assert i18n.format_date(date(2026, 11, 22)) == expected  # printed cards and the CLI say the same
    i18n.set_language("fa")
    i18n.set_jalali(False)
    assert formatting.format_date(date(2026, 11, 22)) == "۲۰۲۶/۱۱/۲۲"


def test_preferences_remember_the_language_for_the_next_start(qtbot: QtBot, state: QSettings) -> None:
    i18n.set_language("en")
    dialog = PreferencesDialog(state)
    qtbot.addWidget(dialog)
    assert "restarted" in dialog.findChild(QLabel, "restartNote").text()
    assert not dialog.jalali.isChecked()
    dialog.language.setCurrentIndex(dialog.language.findData("fa"))
    assert dialog.jalali.isChecked()  # follows Persian until the owner decides
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert language.saved_language(state) == "fa" and language.saved_jalali(state) is None
    # The next start: no --lang, the saved choice wins over the system's English.
    assert language.choose_language(None, state) == "fa" and i18n.uses_jalali()
    assert language.choose_language("ru", state) == "ru"  # --lang wins over the saved choice
    # Back to the system's language, the Jalali calendar chosen by hand for Russian.
    dialog = PreferencesDialog(state)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(0)
    dialog.jalali.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert language.saved_language(state) is None and language.saved_jalali(state) is True
    assert language.choose_language(None, state) == "en" and i18n.uses_jalali()


def test_cli_prints_russian_headers(empty_base_file: Path) -> None:
    from custdesk.cli import main

    db = open_base(empty_base_file)
    add_clients(db, 2)
    db.close()
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--lang", "ru", "clients", "--db", str(empty_base_file)])
    assert code == 0
    text = out.getvalue()
    assert "Имя" in text and "Телефон" in text and "Name" not in text
    assert "2 клиента" in text
