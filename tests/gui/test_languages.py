"""The interface in Russian, Finnish and Persian: translated widgets, Qt's own dialogs, right to left, Jalali.

Each test switches the language (as start-up does) and builds its windows afresh; the fixture puts
English, left to right and the Gregorian calendar back.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import date, datetime, timedelta
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
        tabs = dialog.tabs
        shown = [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)]  # own fields: none yet
        seen[code] = (shown, dialog.isRightToLeft())
        dialog._closing_ok = True
        dialog.close()
    for d in list(client_card._open_cards.values()):
        if shiboken6.isValid(d):
            d._closing_ok = True
            d.close()
    client_card._open_cards.clear()
    assert seen["ru"] == (["&Общие", "Подро&бности", "&История", "По&купки", "&Напоминания"], False)
    assert seen["fa"] == (["&عمومی", "&جزئیات", "&سوابق", "&خریدها", "&یادآوری‌ها"], True)


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


# --- right to left: isolates, Persian digits, the Jalali calendar in editors, header widths, argparse -----

ASCII_DIGITS = set("0123456789")
T0 = datetime(2024, 1, 1, 9, 0)


def test_today_in_persian_has_persian_digits_and_isolated_latin_text(
    qtbot: QtBot, qapp: QApplication, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    from custdesk.core.models import Client, Phone
    from custdesk.ui.today_view import COL, TodayView

    today = date.today()
    soon = today + timedelta(days=3)
    with db.session() as s:
        late = Client(
            external_id="L",
            name="Jenna Dunn",
            organisation="Smith & Whitehead Co.",
            kind="organisation",
            next_call_on=today - timedelta(days=4),
            created_at=T0,
            updated_at=T0,
        )
        late.phones.append(Phone(number="+12814877236", is_primary=True))
        bday = Client(
            external_id="B",
            name="Bea",
            birthday=date(today.year - 23, soon.month, min(soon.day, 28)),
            next_call_on=today + timedelta(days=40),
            created_at=T0,
            updated_at=T0,
        )
        s.add_all([late, bday])
    switch(qapp, "fa")
    view = TodayView(runner, db, bus)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.reload("start")
    (row,) = view.items("overdue")
    when = row.text(COL["when"])
    assert "۴" in when and not ASCII_DIGITS & set(when), when  # "4 days overdue" in Persian digits
    (birthday,) = view.items("birthday")
    assert "۲۳" in birthday.text(COL["when"]) and not ASCII_DIGITS & set(birthday.text(COL["when"]))
    # The phone stays left to right, the English names keep their full stop and brackets.
    assert row.text(COL["phone"]) == "\u2066(281) 487-7236\u2069"
    assert "\u2068Smith & Whitehead Co.\u2069" in row.text(COL["client"])
    assert "\u2068Jenna Dunn\u2069" in row.text(COL["client"])
    assert view.sections["overdue"].text(0).endswith("۱")
    switch(qapp, "en")
    english = TodayView(runner, db, bus)
    qtbot.addWidget(english)
    with qtbot.waitSignal(english.loaded, timeout=5000):
        english.reload("start")
    (row,) = english.items("overdue")
    assert row.text(COL["phone"]) == "(281) 487-7236"  # left to right: no isolates
    assert row.text(COL["when"]).endswith("4 days overdue")


def test_date_editors_use_the_jalali_calendar_in_persian(qapp: QApplication) -> None:
    from custdesk.ui.today_dialogs import SnoozeDialog
    from custdesk.ui.widgets.fields import date_edit

    switch(qapp, "fa")
    edit = date_edit(QDate(2026, 11, 22))
    assert edit.calendar().name() == "Jalali"
    assert edit.text() == "۱۴۰۵/۹/۱"
    assert edit.date() == QDate(2026, 11, 22)  # the value stays the same day
    popup = edit.calendarWidget()
    assert popup is not None and popup.calendar().name() == "Jalali"
    snooze = SnoozeDialog("Jenna", date(2026, 11, 21))
    assert snooze.date_edit.calendar().name() == "Jalali"
    assert snooze.date_edit.text() == "۱۴۰۵/۹/۱"  # tomorrow
    assert snooze.chosen_date() == date(2026, 11, 22)
    snooze.deleteLater()
    switch(qapp, "ru")
    edit = date_edit(QDate(2026, 11, 22))
    assert edit.calendar().name() == "Gregorian" and edit.text() == "22.11.2026"


def test_history_timeline_in_persian_jalali_dates_and_digits(
    qtbot: QtBot, qapp: QApplication, runner: TaskRunner, db: Database
) -> None:
    from custdesk.core.dto import InteractionDTO
    from custdesk.ui.widgets import history_panel

    switch(qapp, "fa")
    assert history_panel.elapsed_text(63) == "۰۱:۰۳"
    entry = InteractionDTO(
        id=1,
        client_id=1,
        kind="call",
        occurred_at=datetime(2026, 11, 18, 10, 14),
        outcome="reached",
        text="Обсудили заказ.",
        next_step="Smith & Co.",
        duration_seconds=63,
        created_by="anna",
    )
    assert formatting.format_datetime(entry.occurred_at) == "۱۴۰۵/۸/۲۷ ۱۰:۱۴"
    panel = history_panel.HistoryPanel(runner, db, lambda: "")
    qtbot.addWidget(panel)
    panel.show_entries([entry])
    text = panel.timeline.toPlainText()
    assert "۱۴۰۵/۸/۲۷" in text and "2026" not in text and "۰۱:۰۳" in text
    assert panel.count_label.text().startswith("۱")
    assert "\u2068Обсудили заказ.\u2069" in text  # the client's words keep their own direction
    assert "<i>" not in panel.timeline.toHtml().split("<body")[1]  # Persian has no italics


def test_client_list_headers_are_as_wide_as_their_russian_words(
    qtbot: QtBot,
    qapp: QApplication,
    runner: TaskRunner,
    db: Database,
    bus: ChangeBus,
    state: QSettings,
) -> None:
    from PySide6.QtWidgets import QStyle

    from custdesk.ui.main_window import DEFAULT_WIDTHS
    from custdesk.ui.models.client_table import COLUMN_INDEX

    add_clients(db, 3)
    switch(qapp, "ru")
    w = build_window(qtbot, runner, db, bus, state)
    try:
        header = w.table.horizontalHeader()
        mark = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        for key, default in DEFAULT_WIDTHS.items():
            if key == "organisation":
                continue  # it stretches over the room left
            i = COLUMN_INDEX[key]
            text = str(w.model.headerData(i, Qt.Orientation.Horizontal))
            needed = header.fontMetrics().horizontalAdvance(text) + mark
            assert header.sectionSize(i) >= max(default, needed), (key, text, header.sectionSize(i), needed)
        assert w.model.headerData(COLUMN_INDEX["temperature"], Qt.Orientation.Horizontal) == "Температура"
    finally:
        w.close()


@pytest.mark.parametrize(
    ("code", "usage", "titles", "help_line"),
    [
        ("ru", "использование:", ("позиционные аргументы:", "параметры:"), "показать эту справку и выйти"),
        ("fi", "käyttö:", ("paikkasidonnaiset argumentit:", "valitsimet:"), "näytä tämä ohje ja lopeta"),
        ("fa", "طرز استفاده:", ("آرگومان‌های موقعیتی:", "گزینه‌ها:"), "نمایش این راهنما و خروج"),
    ],
)
def test_help_of_both_programs_speaks_the_language(
    capsys: pytest.CaptureFixture[str], code: str, usage: str, titles: tuple[str, str], help_line: str
) -> None:
    from custdesk import app, cli

    assert cli.main(["--lang", code, "--help"]) == 0
    text = capsys.readouterr().out
    with pytest.raises(SystemExit) as exited:
        app.main(["--lang", code, "--help"])
    assert exited.value.code == 0
    gui = capsys.readouterr().out
    for out in (text, gui):
        assert out.startswith(usage), out[:80]
        assert all(t in out.splitlines() for t in titles), out
        assert help_line in out
        assert "usage:" not in out and "show this help message" not in out and "\noptions:" not in out
    # argparse's own errors too.
    assert cli.main(["--lang", code, "clients", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(usage) and "--bogus" in err and "unrecognized arguments" not in err


def test_phones_and_names_in_a_persian_list_keep_their_direction(
    qtbot: QtBot,
    qapp: QApplication,
    runner: TaskRunner,
    db: Database,
    bus: ChangeBus,
    state: QSettings,
) -> None:
    from custdesk.ui.models.client_table import COLUMN_INDEX

    add_clients(db, 3)
    switch(qapp, "fa")
    w = build_window(qtbot, runner, db, bus, state)
    try:
        phone = w.model.data(w.model.index(0, COLUMN_INDEX["phone"]))
        assert phone == "\u2066+1 202-555-0000\u2069", repr(phone)  # LRI … PDI: "+1" stays at its start
        name = w.model.data(w.model.index(0, COLUMN_INDEX["name"]))
        assert name == "\u2068Client 0000\u2069"  # FSI … PDI: the text's own direction
        assert w.model.data(w.model.index(0, COLUMN_INDEX["city"])) == "\u2068Springfield\u2069"
    finally:
        w.close()
    switch(qapp, "en")
    w = build_window(qtbot, runner, db, bus, state)
    try:
        assert w.model.data(w.model.index(0, COLUMN_INDEX["name"])) == "Client 0000"  # no isolates
        assert w.model.data(w.model.index(0, COLUMN_INDEX["phone"])) == "+1 202-555-0000"
    finally:
        w.close()
