"""What a new owner tripped over in the first hour (issue 23): widths in every language, windows sized to
the screen, the Today banner following every change, the analysis click-through giving back "Show
archived", the card's next call and last contact, Ctrl+P and Print in the card, the e-mail field that must
not jump, dark mode and the platform's file dialog.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from custdesk import i18n
from custdesk.core.db import Database
from custdesk.ui import language
from custdesk.ui.main_window import MainWindow
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.gui._data import add_clients

SMALL_SCREEN_WIDTH = 1280  # the narrowest screen the owner works on (1280x800; 1366x768 is wider)


@pytest.fixture
def state(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def back_to_english(qapp: QApplication) -> Iterator[None]:
    yield
    switch(qapp, "en")


def switch(qapp: QApplication, code: str) -> None:
    """What start-up does for a language: gettext, Qt's translations, the layout direction."""
    i18n.set_language(code)
    language.install_qt_translations(qapp)
    language.apply_layout_direction(qapp)


def build_window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, state: QSettings, count: int = 30
) -> MainWindow:
    add_clients(db, count)
    w = MainWindow(runner, db, bus, state, firm={"currency": "EUR", "phone_region": "FI"})
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.model.loading and w.model.total == count, timeout=5000)
    return w


# --- 1. Nothing forces a window past 1,280 px, in any language -------------------------------------------


@pytest.mark.usefixtures("back_to_english")
@pytest.mark.parametrize("code", i18n.LANGUAGES)
def test_main_window_and_funnel_board_fit_a_1280_screen_in_every_language(
    qtbot: QtBot,
    qapp: QApplication,
    runner: TaskRunner,
    db: Database,
    bus: ChangeBus,
    state: QSettings,
    code: str,
) -> None:
    switch(qapp, code)
    w = build_window(qtbot, runner, db, bus, state)
    w.act_toggle_filters.trigger()  # Ctrl+Shift+F: the filters panel, as after a click-through
    qtbot.waitUntil(w.filters_dock.isVisible)
    for index in range(w.tabs.count()):  # every main tab in front once (each sets its own minimum)
        w.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        assert w.minimumSizeHint().width() <= SMALL_SCREEN_WIDTH, w.tabs.tabText(index)
    w.resize(SMALL_SCREEN_WIDTH, 760)
    qtbot.waitUntil(lambda: w.width() == SMALL_SCREEN_WIDTH)
    assert w.search.isVisible()

    board = w.open_funnel_board()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: board.board_widget.board is not None, timeout=5000)
    assert board.minimumSizeHint().width() <= SMALL_SCREEN_WIDTH
    assert board.width() <= SMALL_SCREEN_WIDTH
    board.close()


# --- 2. Windows open no larger than the screen -----------------------------------------------------------


def test_card_print_preview_and_main_window_open_within_the_screen(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, state: QSettings
) -> None:
    from custdesk.ui.dialogs.client_card import ClientCardDialog

    w = build_window(qtbot, runner, db, bus, state, count=3)
    available = w.screen().availableGeometry()
    assert w.width() <= available.width() and w.height() <= available.height()
    card = ClientCardDialog(runner, db, bus, None, w)
    qtbot.addWidget(card)
    assert card.width() <= available.width() and card.height() <= available.height()
    w.table.selectRow(0)
    w.printing.print_selected()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: w.printing.preview_dialog is not None, timeout=5000)  # type: ignore[attr-defined]
    preview = w.printing.preview_dialog  # type: ignore[attr-defined]
    assert preview.width() <= available.width() and preview.height() <= available.height()
    preview.close()
    card._closing_ok = True
    card.close()


# --- 7. The Today banner follows every change ------------------------------------------------------------


def test_the_banner_follows_every_call_logged_and_goes_when_nothing_is_due(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, state: QSettings
) -> None:
    from datetime import date, timedelta

    from PySide6.QtCore import Qt

    from custdesk.core.models import Client
    from custdesk.ui.notifications import due_message
    from tests.gui.test_today_view import click_button

    ids = add_clients(db, 2, prefix="Due")
    with db.session() as s:  # one call overdue, one due today
        for client_id, days in zip(ids, (-3, 0), strict=True):
            client = s.get(Client, client_id)
            assert client is not None
            client.next_call_on = date.today() + timedelta(days=days)
    w = MainWindow(runner, db, bus, state, firm={"currency": "USD", "phone_region": "US"})
    qtbot.addWidget(w)
    w.show()
    view, notifier = w.today_view, w.today_notifier  # type: ignore[attr-defined]
    notifier.use_tray = False  # offscreen has no tray: the banner is what the owner sees
    qtbot.waitUntil(lambda: view.lists is not None, timeout=5000)
    notifier.notify(due_message(view.lists))  # what start-up says
    assert notifier.banner.label.text() == "2 calls to make today, 1 of them overdue."

    w.show_tab(view)
    for expected in ("1 call to make today.", None):
        section = "overdue" if view.lists.overdue_count else "today"
        click_button(qtbot, view, section, 0, "called")
        dialog = view.call_dialog
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("interested"))
        with qtbot.waitSignal(view.loaded, timeout=5000):
            qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
        if expected is None:
            assert not notifier.banner.isVisible()  # nothing left to do today
        else:
            assert notifier.banner.isVisible() and notifier.banner.label.text() == expected
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)


# --- 8. The analysis click-through gives back "Show archived clients" ------------------------------------


@pytest.mark.parametrize("archived_before", [False, True])
def test_removing_the_analysis_chip_gives_back_the_archive_scope(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, state: QSettings, archived_before: bool
) -> None:
    from PySide6.QtCore import Qt

    from custdesk.ui.analysis_tab import AnalysisTab

    w = build_window(qtbot, runner, db, bus, state, count=5)
    if archived_before:
        w.view_menu.show()
        w.act_show_archived.trigger()
    assert w.act_show_archived.isChecked() is archived_before
    tab = w.findChild(AnalysisTab)
    assert tab is not None
    tab.clients_requested.emit(frozenset({1, 2}), "Analysis: AX — 2 clients")  # a click on a matrix cell
    chip = w.filters.analysis.chip
    qtbot.waitUntil(lambda: chip.isVisible() and w.model.query.only_ids == frozenset({1, 2}))
    assert w.act_show_archived.isChecked()  # archived clients behind the figure are shown too
    assert w.model.query.archived == "all"

    qtbot.mouseClick(chip.remove_button, Qt.MouseButton.LeftButton)
    assert not chip.isVisible()
    assert w.act_show_archived.isChecked() is archived_before
    assert w.model.query.archived == ("all" if archived_before else "active")
    assert w.filters.archived_radios["all" if archived_before else "active"].isChecked()


def test_a_scope_chosen_during_the_selection_is_kept(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, state: QSettings
) -> None:
    from PySide6.QtCore import Qt

    from custdesk.ui.analysis_tab import AnalysisTab

    w = build_window(qtbot, runner, db, bus, state, count=5)
    tab = w.findChild(AnalysisTab)
    tab.clients_requested.emit(frozenset({1}), "Analysis: AX — 1 client")
    qtbot.waitUntil(w.filters.analysis.chip.isVisible)
    w.filters.archived_radios["archived"].click()  # the owner's own choice
    qtbot.mouseClick(w.filters.analysis.chip.remove_button, Qt.MouseButton.LeftButton)
    assert w.model.query.archived == "archived"


# --- 4. The card's head says when the next call is and what the last contact was, live ---------------------


@pytest.fixture
def card_of(qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus) -> Iterator[object]:
    """Open a client's card and wait until it is loaded; every card is closed after the test."""
    import shiboken6

    from custdesk.ui.dialogs import client_card

    opened: list[client_card.ClientCardDialog] = []

    def open_(client_id: int | None, parent: object = None) -> client_card.ClientCardDialog:
        dialog = client_card.ClientCardDialog(runner, db, bus, client_id, parent)  # type: ignore[arg-type]
        opened.append(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.is_loaded and runner.idle, timeout=5000)
        return dialog

    yield open_
    for dialog in opened:
        if shiboken6.isValid(dialog):
            dialog._closing_ok = True
            dialog.close()
    client_card._open_cards.clear()


def test_the_card_head_shows_the_next_call_and_last_contact_and_follows_a_call(
    qtbot: QtBot, db: Database, card_of: object
) -> None:
    from datetime import date, timedelta

    from PySide6.QtCore import Qt

    from custdesk.core.models import Client
    from custdesk.ui.widgets.fields import date_text

    (cid,) = add_clients(db, 1, prefix="Head")
    in_a_week = date.today() + timedelta(days=7)
    with db.session() as s:
        client = s.get(Client, cid)
        assert client is not None
        client.next_call_on, client.last_contact_at, client.temperature = in_a_week, None, "warm"
    card = card_of(cid)  # type: ignore[operator]
    shown = card.header.contacts
    assert shown.isVisible()
    assert shown.text() == f"Next call: {date_text(in_a_week)} (in 7 days) · Last contact: none yet"

    panel = card.history  # a call logged in the open card
    card.tabs.setCurrentWidget(panel)
    panel.kind.setCurrentIndex(panel.kind.findData("call"))
    panel.outcome.setCurrentIndex(panel.outcome.findData("reached"))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    next_call = date.today() + timedelta(days=14)  # the warm cycle
    expected = f"Next call: {date_text(next_call)} (in 14 days) · Last contact: today, call, reached"
    qtbot.waitUntil(lambda: shown.text() == expected, timeout=5000)


def test_a_new_card_has_no_contacts_line(qtbot: QtBot, card_of: object) -> None:
    card = card_of(None)  # type: ignore[operator]
    assert not card.header.contacts.isVisible()


# --- 5. Ctrl+P and Print in an open card -----------------------------------------------------------------


@pytest.mark.parametrize("how", ["ctrl+p", "button"])
def test_ctrl_p_and_print_in_an_open_card_preview_that_card(
    qtbot: QtBot,
    runner: TaskRunner,
    db: Database,
    bus: ChangeBus,
    state: QSettings,
    card_of: object,
    how: str,
) -> None:
    from PySide6.QtCore import Qt

    w = build_window(qtbot, runner, db, bus, state, count=3)
    w.table.selectRow(0)  # the list's selection is another client: the card prints its own
    card_id = w.model.client_id(2)
    card = card_of(card_id, w)  # type: ignore[operator]
    previewed: list[list[int]] = []
    real_preview = w.printing.preview  # type: ignore[attr-defined]

    def preview(job: object) -> None:
        previewed.append(list(job.client_ids))  # type: ignore[attr-defined]
        real_preview(job)

    w.printing.preview = preview  # type: ignore[attr-defined]
    assert card.print_button.isVisible() and card.print_button.isEnabled()
    card.activateWindow()
    card.general.fields["name"].box.editor.setFocus()  # type: ignore[attr-defined]
    if how == "ctrl+p":
        qtbot.keyClick(
            card.general.fields["name"].box.editor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
        )  # type: ignore[attr-defined]
    else:
        qtbot.mouseClick(card.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.printing.preview_dialog is not None, timeout=5000)  # type: ignore[attr-defined]
    assert previewed == [[card_id]]
    w.printing.preview_dialog.close()  # type: ignore[attr-defined]


# --- 6. The e-mail field stays put when a phone's error goes; the problems line follows the edits ------


def test_fixing_a_phone_moves_nothing_and_recounts_the_problems(qtbot: QtBot, card_of: object) -> None:
    card = card_of(None)  # type: ignore[operator]
    card.general.fields["name"].box.editor.setText("Anna Example")  # type: ignore[attr-defined]
    phone = card.general.phones.rows[0]
    email = card.general.emails.rows[0].value
    qtbot.keyClicks(phone.value, "555 12")
    qtbot.keyClicks(email, "anna@@example")
    card.save()
    qtbot.waitUntil(card.status.isVisible)
    assert card.status.text() == "The card has 2 problems: they are marked in red."
    assert phone.error.isVisibleTo(card)
    qtbot.wait(50)  # the layout settles (the error labels that appeared) before the place is taken
    where = email.mapTo(card, email.rect().topLeft())

    phone.value.clear()
    qtbot.keyClicks(phone.value, "202 555 0123")  # a real number now: its message goes
    qtbot.wait(50)
    assert not phone.error.isVisibleTo(card)
    assert email.mapTo(card, email.rect().topLeft()) == where  # the e-mail field did not jump
    assert card.status.text() == "The card has 1 problem: it is marked in red."

    email.clear()
    qtbot.keyClicks(email, "anna@example.com")
    assert not card.status.isVisible()


# --- 19. Dark mode everywhere, with a setting to force light or dark ------------------------------------


@pytest.fixture
def system_scheme_after(qapp: QApplication) -> Iterator[None]:
    style = qapp.style().name()
    yield
    from PySide6.QtWidgets import QStyleFactory

    from custdesk.ui import theme

    theme.apply_scheme("", qapp)
    qapp.setStyle(QStyleFactory.create(style))


@pytest.mark.usefixtures("system_scheme_after")
def test_dark_chosen_in_the_preferences_darkens_banner_hints_and_charts(
    qtbot: QtBot, qapp: QApplication, runner: TaskRunner, db: Database, bus: ChangeBus, state: QSettings
) -> None:
    from matplotlib.colors import to_rgba
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPalette

    from custdesk.analysis.chart_style import TEXT_COLOUR, text_colour_on
    from custdesk.ui import theme
    from custdesk.ui.dialogs.preferences import PreferencesDialog
    from custdesk.ui.widgets.analysis_chart import ChartView

    w = build_window(qtbot, runner, db, bus, state, count=3)
    w.today_notifier.use_tray = False  # type: ignore[attr-defined]
    w.today_notifier.notify("3 calls to make today.")  # type: ignore[attr-defined]
    banner = w.today_notifier.banner  # type: ignore[attr-defined]
    light_banner = banner.grab().toImage().pixelColor(3, banner.height() // 2)
    assert light_banner.lightness() > 180  # a light yellow on a light window

    dialog = PreferencesDialog(state, w)
    qtbot.addWidget(dialog)
    dialog.scheme.setCurrentIndex(dialog.scheme.findData("dark"))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert theme.saved_scheme(state) == "dark"
    qtbot.waitUntil(lambda: theme.is_dark(w))
    window_colour = qapp.palette().color(QPalette.ColorRole.Window)
    assert window_colour.lightness() < 80
    qtbot.waitUntil(lambda: banner.grab().toImage().pixelColor(3, banner.height() // 2).lightness() < 100)

    hint = w.today_view.findChild(type(banner.label), "todayHint")  # type: ignore[attr-defined]
    assert hint.foregroundRole() == QPalette.ColorRole.PlaceholderText
    hint_colour = hint.palette().color(QPalette.ColorRole.PlaceholderText)
    assert hint_colour.lightness() - window_colour.lightness() > 60  # readable on the dark window

    chart = ChartView("darkChart")
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    chart.show()
    bar_fill = "#F9A825"  # a light fill: the value written on it stays dark

    def draw(figure: object) -> None:
        ax = figure.add_subplot()  # type: ignore[attr-defined]
        ax.bar([0], [10], color=bar_fill, width=0.9)
        ax.text(0, 5, "on the bar", color=text_colour_on(bar_fill), ha="center")
        ax.set_title("A title", color=TEXT_COLOUR)
        ax.text(1.2, 5, "beside", color=TEXT_COLOUR)
        ax.set_xlim(-1, 2)

    chart.draw(draw)
    figure = chart.figure
    assert QColor.fromRgbF(*figure.get_facecolor()).name() == window_colour.name()
    texts = {t.get_text(): QColor.fromRgbF(*to_rgba(t.get_color())) for t in figure.axes[0].texts}
    assert QColor.fromRgbF(*to_rgba(figure.axes[0].title.get_color())).lightness() > 180
    assert texts["beside"].lightness() > 180
    assert texts["on the bar"].lightness() < 80


# --- 20. The platform's file dialog where there is one ----------------------------------------------------


def test_a_linux_desktop_gets_its_own_file_dialog_and_nothing_else_changes() -> None:
    from custdesk.ui.theme import use_platform_dialogs

    desktop = {"XDG_CURRENT_DESKTOP": "GNOME", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}
    env = dict(desktop)
    assert use_platform_dialogs(env, "linux") == "xdgdesktopportal"
    assert env["QT_QPA_PLATFORMTHEME"] == "xdgdesktopportal"
    chosen = {**desktop, "QT_QPA_PLATFORMTHEME": "gtk3"}  # the owner's or packager's choice wins
    assert use_platform_dialogs(chosen, "linux") is None and chosen["QT_QPA_PLATFORMTHEME"] == "gtk3"
    bare: dict[str, str] = {}  # no desktop session (a test, a virtual screen)
    assert use_platform_dialogs(bare, "linux") is None and bare == {}
    windows = dict(desktop)  # Windows and macOS: the native dialog is Qt's default already
    assert use_platform_dialogs(windows, "win32") is None and "QT_QPA_PLATFORMTHEME" not in windows


def test_qt_own_dialogs_speak_the_language(qapp: QApplication, back_to_english: None) -> None:
    from PySide6.QtCore import QCoreApplication

    for code in ("ru", "fi", "fa"):
        switch(qapp, code)
        assert language.install_qt_translations(qapp), code  # qtbase_<code>.qm of PySide6 is loaded
        cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
        assert cancel != "Cancel", code


# --- 3. Nothing cut short: long names get a tooltip, buttons and titles fit their words ----------------


@pytest.mark.usefixtures("back_to_english")
def test_long_words_are_whole_or_in_a_tooltip_in_russian(
    qtbot: QtBot,
    qapp: QApplication,
    runner: TaskRunner,
    db: Database,
    bus: ChangeBus,
    state: QSettings,
    card_of: object,
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    from custdesk.ui.models.client_table import COLUMN_INDEX

    switch(qapp, "ru")
    w = build_window(qtbot, runner, db, bus, state, count=3)
    model = w.model
    for row in (0, 1):  # Client 0000 is a VIP, Client 0001 is not
        name = str(model.data(model.index(row, COLUMN_INDEX["name"])))
        tip = str(model.data(model.index(row, COLUMN_INDEX["name"]), Qt.ItemDataRole.ToolTipRole))
        assert tip == (f"{name} (VIP-клиент)" if row == 0 else name)
    placeholder = w.search.placeholderText()
    room = w.search.width() - w.search.textMargins().left() - w.search.textMargins().right() - 8
    assert w.search.fontMetrics().horizontalAdvance(placeholder) < room  # the placeholder is whole

    card = card_of(model.client_id(0), w)  # type: ignore[operator]
    button = card.header.set_marker_button
    option = QStyleOptionButton()
    button.initStyleOption(option)
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    assert button.width() >= button.fontMetrics().horizontalAdvance(button.text()) + arrow
