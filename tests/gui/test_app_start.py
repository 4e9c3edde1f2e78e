"""Start-up: the first-run window on an empty machine, an empty base from it, and a bad base explained."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from custdesk import app, paths
from custdesk.ui.main_window import MainWindow
from custdesk.ui.session import Session


def test_first_run_window_when_there_is_no_base(qtbot: QtBot, session: Session) -> None:
    assert not paths.default_base_path().exists()
    session.start(None)
    first = session.first_run
    assert first is not None and first.isVisible()
    folder = first.findChild(QLabel, "dataFolder")
    assert folder is not None and str(paths.data_dir()) in folder.text()
    texts = [
        b.text() for b in (first.demo_button, first.empty_button, first.import_button, first.open_button)
    ]
    assert texts == [
        "Open the demo base",
        "Start an empty base",
        "Bring my Excel / Access base",
        "Open an existing base…",
    ]


def test_choosing_an_empty_base_creates_it_and_shows_the_main_window(qtbot: QtBot, session: Session) -> None:
    session.start(None)
    assert session.first_run is not None
    session.first_run.empty_button.click()
    qtbot.waitUntil(lambda: session.window is not None, timeout=10000)
    window = session.window
    assert isinstance(window, MainWindow) and window.isVisible()
    assert session.first_run is None
    assert paths.default_base_path().is_file()
    assert window.path_label.text() == str(paths.default_base_path())
    qtbot.waitUntil(lambda: window.count_label.text() == "0 of 0 clients", timeout=5000)
    # The first thing the owner sees after opening a base: the Today tab.
    assert window.tabs.currentWidget() is window.today_view
    # The next start opens it without the first-run window.
    assert session.state.value("session/lastBase") == str(paths.default_base_path())


def test_bringing_the_old_base_opens_the_base_then_the_import_wizard(qtbot: QtBot, session: Session) -> None:
    from custdesk.ui.import_wizard import ImportWizard

    session.start(None)
    assert session.first_run is not None
    session.first_run.import_button.click()
    qtbot.waitUntil(lambda: session.window is not None, timeout=10000)
    window = session.window
    assert window is not None and paths.default_base_path().is_file()
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    wizard.close()
    # The empty base's Clients tab points to the import, and its button opens the wizard again.
    pointer = window.empty_base_pointer  # type: ignore[attr-defined]
    window.show_client_list()
    qtbot.waitUntil(lambda: window.count_label.text() == "0 of 0 clients", timeout=5000)
    qtbot.waitUntil(pointer.isVisible, timeout=5000)
    assert "no clients yet" in pointer.label.text()
    pointer.button.click()
    qtbot.waitUntil(lambda: any(w.isVisible() for w in window.findChildren(ImportWizard)), timeout=5000)


def _click_in_error_box(button_text: str, seen: list[str]) -> None:
    def click() -> None:
        box = next(
            (w for w in QApplication.topLevelWidgets() if w.objectName() == "openErrorBox" and w.isVisible()),
            None,
        )
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(f"{box.text()}\n{box.informativeText()}")
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def test_a_bad_base_gets_a_dialog_and_stays_untouched(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "clients.sqlite"
    content = b"Name;Phone\nAnna;+7 912 345-67-89\n" * 50
    bad.write_bytes(content)
    seen: list[str] = []
    _click_in_error_box("Quit", seen)
    with qtbot.waitSignal(session.finished, timeout=10000) as finished:
        session.start(bad)
    assert finished.args == [1]
    assert "is not a CustDesk base" in seen[0] and str(bad) in seen[0]
    assert session.window is None
    assert bad.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir() if p.name != "ui-state.ini"] == [
        "clients.sqlite"
    ]  # no -wal, no lock


def test_main_shows_the_error_and_exits_non_zero(qtbot: QtBot, tmp_path: Path) -> None:
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"not a database at all")
    seen: list[str] = []
    _click_in_error_box("Quit", seen)
    hook = sys.excepthook
    try:
        code = app.main(["--data-dir", str(tmp_path / "data"), "--lang", "en", str(bad)])
    finally:
        sys.excepthook = hook
        for handler in list(logging.getLogger("custdesk").handlers):
            logging.getLogger("custdesk").removeHandler(handler)
            handler.close()
        paths.set_data_dir(None)
    assert code == 1
    assert "not a SQLite database file" in seen[0]
    assert bad.read_bytes() == b"not a database at all"
    assert (tmp_path / "data" / "logs" / "custdesk.log").is_file()


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        app.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("CustDesk ")
    with pytest.raises(SystemExit):
        app.main(["--help"])
    out = capsys.readouterr().out
    for option in ("BASE", "--db", "--data-dir", "--lang", "--version"):
        assert option in out
