"""Automatic backups from the window: after it is up, on a timer while it stays open, when it closes; and
the excepthook's dialog for an unexpected error."""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from custdesk import app, paths
from custdesk.core import backup
from custdesk.core.db import Database
from custdesk.core.dto import Change
from custdesk.core.services import settings
from custdesk.ui import backup_scheduler
from custdesk.ui.backup_scheduler import BackupScheduler
from custdesk.ui.main_window import MainWindow
from custdesk.ui.session import Session
from custdesk.ui.tasks import ChangeBus, TaskRunner
from tests.gui._data import add_clients


def _autos(base: Path) -> list[backup.BackupInfo]:
    return [b for b in backup.list_backups(base) if b.kind == "auto"]


@pytest.fixture
def window(
    qtbot: QtBot, runner: TaskRunner, db: Database, bus: ChangeBus, tmp_path: Path
) -> Iterator[MainWindow]:
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    w = MainWindow(runner, db, bus, state, firm={"currency": "USD", "phone_region": "US"})
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def test_backup_runs_after_the_window_is_up_with_progress_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    add_clients(db, 300)
    assert _autos(db.path) == []
    scheduler = BackupScheduler(window, runner, db, bus, first_delay_ms=50)
    progress: list[tuple[int, int]] = []
    scheduler.bar.valueChanged.connect(lambda v: progress.append((v, scheduler.bar.maximum())))
    with qtbot.waitSignal(scheduler.finished, timeout=20000) as made:
        pass
    assert isinstance(made.args[0], Path) and made.args[0].is_file()
    [auto] = _autos(db.path)
    assert auto.path == made.args[0] and auto.sound
    # The bar counted the base's pages, as SQLite counts them.
    con = sqlite3.connect(f"file:{auto.path}?mode=ro", uri=True)
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    assert progress and progress[-1] == (pages, pages)
    assert not scheduler.bar.isVisible() and not scheduler.label.isVisible()
    assert auto.path.name in window.statusBar().currentMessage()
    scheduler.finish(final=False)
    qtbot.waitUntil(lambda: runner.idle, timeout=10000)


def test_a_window_left_open_backs_up_on_its_timer(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner, db: Database, bus: ChangeBus
) -> None:
    yesterday = datetime.now() - timedelta(days=1, hours=2)
    old = backup.make_backup(db.path, kind="auto", now=yesterday)
    # Not at start (the first check is far away): only the timer can make the next one.
    scheduler = BackupScheduler(window, runner, db, bus, first_delay_ms=10_000_000, interval_ms=100)
    with qtbot.waitSignal(scheduler.finished, timeout=20000) as made:
        pass
    assert isinstance(made.args[0], Path)
    assert [b.path for b in _autos(db.path)] == [made.args[0], old]
    # Within the day the timer makes no more.
    with qtbot.assertNotEmitted(scheduler.started, wait=500):
        pass
    scheduler.finish(final=False)
    qtbot.waitUntil(lambda: runner.idle, timeout=10000)


def test_closing_after_changes_backs_up_once_more(
    qtbot: QtBot, runner: TaskRunner, bus: ChangeBus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_scheduler, "FIRST_DELAY_MS", 50)
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    session = Session(runner, bus, state)
    base = tmp_path / "shop.sqlite"
    session.start(base)  # a new base: backed up without a second open
    qtbot.waitUntil(lambda: session.window is not None, timeout=20000)
    assert session.backups is not None
    scheduler = session.backups
    with qtbot.waitSignal(scheduler.finished, timeout=20000):
        pass
    assert len(_autos(base)) == 1

    # A change the user makes (through the services, announced on the bus) ...
    assert session.db is not None
    db = session.db
    runner.call(settings.set_values, db, {"firm_name": "Kahvila"})
    bus.changed.emit(Change("setting", fields=("firm_name",)))
    with qtbot.waitSignal(session.finished, timeout=20000):
        session.window.close()
    qtbot.waitUntil(lambda: runner.idle, timeout=20000)
    # ... is in a backup made when the window closed (the day's earlier one rotated out: one a day is
    # kept), and the base is closed after it.
    autos = _autos(base)
    assert [b.seq for b in autos] == [2]
    con = sqlite3.connect(f"file:{autos[0].path}?mode=ro", uri=True)
    assert con.execute("SELECT value FROM settings WHERE key = 'firm_name'").fetchone()[0] == '"Kahvila"'
    con.close()
    assert not paths.lock_path(base).exists()


def test_a_damaged_base_is_said_in_a_dialog(
    qtbot: QtBot,
    window: MainWindow,
    runner: TaskRunner,
    db: Database,
    bus: ChangeBus,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        backup,
        "integrity_problems",
        lambda path, quick=False: ["page 7: btreeInitPage() returns error code 11"],
    )
    scheduler = BackupScheduler(window, runner, db, bus, first_delay_ms=0)
    with qtbot.waitSignal(scheduler.finished, timeout=20000) as result:
        pass
    assert "is damaged" in str(result.args[0])
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorBox" and w.isVisible()]
    assert len(boxes) == 1 and "No backup was made" in boxes[0].text()
    boxes[0].close()
    assert _autos(db.path) == []
    scheduler.finish(final=False)
    qtbot.waitUntil(lambda: runner.idle, timeout=10000)


def test_excepthook_logs_and_shows_a_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    paths.set_data_dir(tmp_path / "data")
    log_path = app.setup_logging()
    seen: list[str] = []

    def read_and_close() -> None:
        box = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None
        )
        if box is None:
            QTimer.singleShot(20, read_and_close)
            return
        seen.append(f"{box.text()}\n{box.informativeText()}")
        box.close()

    QTimer.singleShot(0, read_and_close)
    try:
        raise ZeroDivisionError("the plan has no months")
    except ZeroDivisionError:
        app.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    finally:
        for handler in list(logging.getLogger("custdesk").handlers):
            logging.getLogger("custdesk").removeHandler(handler)
            handler.close()
    assert seen and "Something went wrong." in seen[0]
    assert "ZeroDivisionError: the plan has no months" in seen[0] and str(log_path) in seen[0]
    assert log_path is not None
    text = log_path.read_text(encoding="utf-8")
    assert "Traceback" in text and "the plan has no months" in text
